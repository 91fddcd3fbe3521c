"""The guide's fixes really fix the demo host: the SCIM server loads a driver after a restart, a
raised header limit lets long SQL through, the upgrade ends the PKIX errors, DEBUG goes away."""

from __future__ import annotations

from pathlib import Path

from demo_helpers import scim_call, wait_until

from gdc_tui.demo import jars, open_demo
from gdc_tui.demo.rpmfile import RpmHeader, build_rpm
from gdc_tui.knowledge import Knowledge
from gdc_tui.properties import PropertiesFile

SCIM = "OktaOnPremScimServer"
AGENT = "OktaProvisioningAgent"
NEW_AGENT = "/installers/OktaProvisioningAgent-03.00.07-SNAPSHOT20260130151220.x86_64.rpm"


def test_a_dropped_in_driver_loads_only_after_a_restart(knowledge: Knowledge) -> None:
    with open_demo("missing-driver", knowledge=knowledge) as host:
        status, body = scim_call(host, "getUsers")
        assert status == 400 and "Failed to load driver class oracle.jdbc.OracleDriver" in body
        oracle = knowledge.database("oracle")
        host.files.atomic_write(
            "/opt/OktaOnPremScimServer/userlib/ojdbc11.jar",
            jars.driver_jar(oracle.driver_classes, title="Oracle JDBC", version="23.6", when=host.clock.now()),
            backup=False,
        )
        assert scim_call(host, "getUsers")[0] == 400  # dropped in, not restarted: still not loaded
        assert host.services.restart(SCIM).ok
        status, body = scim_call(host, "getUsers")
        assert status == 200 and "JOHN.SMITH" in body


def test_driver_not_loaded_is_fixed_by_the_restart(knowledge: Knowledge) -> None:
    with open_demo("driver-not-loaded", knowledge=knowledge) as host:
        assert scim_call(host, "getUsers")[0] == 400
        assert host.services.restart(SCIM).ok
        assert scim_call(host, "getUsers")[0] == 200


def test_raising_the_header_limit_lets_the_long_sql_through(knowledge: Knowledge) -> None:
    with open_demo("header-too-small", knowledge=knowledge) as host:
        status, body = scim_call(host, "getUsers")
        assert status == 400 and "Request header is too large" in body
        path = f"/etc/OktaOnPremScimServer/config-{host.facts['customer_id']}.properties"
        props = PropertiesFile.load(host.files, path)
        props.set("server.max-http-request-header-size", "20KB")
        props.save(host.files, path)
        assert scim_call(host, "getUsers")[0] == 400  # the file changed, the running server did not
        assert host.services.restart(SCIM).ok
        status, body = scim_call(host, "getUsers")
        assert status == 200 and "EXT_ATTRIBUTE_150" not in body and "JOHN.SMITH" in body


def test_debug_logging_stops_after_info_and_a_restart(knowledge: Knowledge) -> None:
    with open_demo("debug-left-on", knowledge=knowledge) as host:
        log = host.files.path("/var/log/OktaOnPremScimServer/Application.log")
        assert "x-okta-onprem-data:" in log.read_text()  # DEBUG shows the request data, credentials and all
        path = f"/etc/OktaOnPremScimServer/config-{host.facts['customer_id']}.properties"
        props = PropertiesFile.load(host.files, path)
        props.set("logging.level.com.okta.server.scim", "INFO")
        props.save(host.files, path)
        assert host.services.restart(SCIM).ok
        size = log.stat().st_size
        assert scim_call(host, "getUsers")[0] == 200
        assert wait_until(lambda: b"Get users" in log.read_bytes()[size:], 3.0)
        assert b"DEBUG" not in log.read_bytes()[size:] and b"x-okta-onprem-data" not in log.read_bytes()[size:]


def test_upgrading_the_old_agent_ends_the_pkix_errors(knowledge: Knowledge) -> None:
    with open_demo("old-agent-pkix", knowledge=knowledge) as host:
        assert host.packages.installed_version("OktaProvisioningAgent") == "03.00.03-SNAPSHOT20250903160015"
        result = host.runner.run(["sudo", "yum", "-y", "localupdate", NEW_AGENT])
        assert result.ok, result
        assert "Upgraded:\n  OktaProvisioningAgent-03.00.07-SNAPSHOT20260130151220.x86_64" in result.stdout
        assert host.packages.installed_version("OktaProvisioningAgent") == "03.00.07-SNAPSHOT20260130151220"
        assert not host.services.status(AGENT).running  # the guide: the agent is left stopped
        log = host.files.path("/opt/OktaProvisioningAgent/logs/agent.log")
        size = log.stat().st_size
        assert host.services.start(AGENT).ok
        assert wait_until(lambda: b"completed: SUCCESS" in log.read_bytes()[size:], 10.0)
        assert b"PKIX path validation failed" not in log.read_bytes()[size:]


def test_the_scim_server_upgrade_needs_the_customer_id_and_the_eula_and_rotates_the_token(knowledge: Knowledge) -> None:
    with open_demo("healthy", knowledge=knowledge) as host:
        newer = "/installers/OktaOnPremScimServer-1.10.0-1771000000.a1b2c3d.rpm"
        host.files.atomic_write(
            newer, build_rpm(RpmHeader("OktaOnPremScimServer", "1.10.0", "1771000000.a1b2c3d", "x86_64")), backup=False
        )
        customer_id = host.facts["customer_id"]
        path = f"/etc/OktaOnPremScimServer/config-{customer_id}.properties"
        token = PropertiesFile.load(host.files, path).get("scim.security.bearer.token")
        pid = host.services.status(SCIM).main_pid

        assert host.runner.run(["sudo", "rpm", "-Uvh", newer]).exit_code == 1  # no CUSTOMER_ID
        refused = host.runner.run(["sudo", "rpm", "-Uvh", newer], env={"CUSTOMER_ID": customer_id})
        assert refused.exit_code == 1 and "EULA not accepted" in refused.stdout
        done = host.runner.run(["sudo", "rpm", "-Uvh", newer], env={"CUSTOMER_ID": customer_id}, stdin="yes\n")
        assert done.ok, done
        assert "Upgrade detected. Reusing existing server keystore and configs." in done.stdout
        assert host.packages.installed_version("OktaOnPremScimServer") == "1.10.0-1771000000.a1b2c3d"
        new_token = PropertiesFile.load(host.files, path).get("scim.security.bearer.token")
        assert new_token and new_token != token
        status = host.services.status(SCIM)
        assert status.running and status.main_pid != pid
        assert Path(host.files.path(path)).stat().st_mode & 0o777 == 0o600
        assert scim_call(host, "getUsers")[0] == 200  # the server now wants the new token
