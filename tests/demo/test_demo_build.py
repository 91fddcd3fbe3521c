"""Every demo scenario builds a real host, makes its fault real, and leaves nothing behind."""

from __future__ import annotations

import json
import stat
import zipfile
from pathlib import Path

import javaproperties
import pytest
from demo_helpers import findings, live_processes, wait_until

from gdc_tui.demo import open_demo, scenario_names
from gdc_tui.demo.scenarios import load_scenarios
from gdc_tui.knowledge import Knowledge

SCENARIOS = load_scenarios()
# Which log shows which catalog entry, per scenario (issue 5's table); healthy shows none at all.
EXPECTED = {
    "scim-stopped": {"agent.log": "A3"},
    "missing-driver": {"Application.log": "A5"},
    "driver-not-loaded": {"Application.log": "A5"},
    "db-unreachable": {"Application.log": "A11"},
    "bad-db-credentials": {"Application.log": "A6"},
    "old-agent-pkix": {"agent.log": "A4"},
    "sqlserver-encrypt": {"Application.log": "A7"},
    "header-too-small": {"Application.log": "A10", "agent.log": "A10"},
    "bad-user-id-column": {"agent.log": "A9"},
    "plugin-hash-mismatch": {"Application.log": "C2"},
}


def properties_of(root: Path, customer_id: str) -> dict[str, str]:
    path = root / "etc/OktaOnPremScimServer" / f"config-{customer_id}.properties"
    with open(path, encoding="latin-1") as handle:
        return dict(javaproperties.load(handle))


def test_there_are_the_13_scenarios_of_the_issue() -> None:
    assert scenario_names() == (
        "healthy",
        "scim-stopped",
        "agent-stopped",
        "missing-driver",
        "driver-not-loaded",
        "db-unreachable",
        "bad-db-credentials",
        "old-agent-pkix",
        "sqlserver-encrypt",
        "debug-left-on",
        "header-too-small",
        "bad-user-id-column",
        "plugin-hash-mismatch",
    )


@pytest.mark.parametrize("name", scenario_names())
def test_scenario_builds_runs_its_fault_and_tears_down(name: str, knowledge: Knowledge) -> None:
    scenario = SCENARIOS[name]
    with open_demo(name, knowledge=knowledge) as host:
        root = Path(host.root)
        customer_id = host.facts["customer_id"]
        props = properties_of(root, customer_id)

        # The layout, written from knowledge/: the properties file is 0600 and complete.
        mode = stat.S_IMODE((root / "etc/OktaOnPremScimServer" / f"config-{customer_id}.properties").stat().st_mode)
        assert mode == 0o600
        assert props["server.port"] == host.facts["scim_port"]
        assert len(props["scim.security.bearer.token"]) == 32
        int(props["scim.security.bearer.token"], 16)
        assert props["server.max-http-request-header-size"] == "10KB"
        assert (root / "etc/pki/tls/certs" / f"OktaOnPremScimServer-{customer_id}.crt").is_file()
        assert (root / "opt/OktaProvisioningAgent/conf/OktaProvisioningAgent.conf").is_file()
        settings = host.settings
        assert settings is not None and settings.database is not None
        assert settings.customer_id == customer_id
        assert settings.database.port == int(host.facts["database_port"])

        # Units: the stopped ones have no process, the others are active with a live pid.
        for component, unit in (("agent", "OktaProvisioningAgent"), ("scim_server", "OktaOnPremScimServer")):
            status = host.services.status(unit)
            assert status.available
            if scenario.runs(component):
                assert status.running and status.main_pid and host.processes.get(status.main_pid)
            else:
                assert status.active_state == "inactive" and status.main_pid is None
        scim_up = host.network.tcp_connect("127.0.0.1", int(host.facts["scim_port"]), timeout=2.0)
        assert scim_up.ok == scenario.runs("scim_server")

        # The database: a listener unless the scenario says it does not answer.
        db = settings.database
        assert host.network.tcp_connect(db.host, db.port, timeout=2.0).ok == scenario.database_up

        # The driver jar: a real zip holding the driver's class file, or missing, or late.
        userlib = root / "opt/OktaOnPremScimServer/userlib"
        jars = sorted(userlib.glob("*.jar"))
        if scenario.driver == "absent":
            assert jars == []
        else:
            class_file = knowledge.database(scenario.database).class_files[0]
            assert class_file in zipfile.ZipFile(jars[0]).namelist()
            mtime = host.files.stat(f"/opt/OktaOnPremScimServer/userlib/{jars[0].name}").mtime
            since = host.services.status("OktaOnPremScimServer").since
            assert since is not None
            assert (mtime > since) == (scenario.driver == "added-after-start")

        # Properties the scenario changes are really in the file.
        for key, value in scenario.properties.items():
            assert props[key] == value

        # The logs show the scenario's catalog entries in the right file; healthy shows none.
        found = findings(knowledge, root)
        if name == "healthy":
            assert found == {}
        for log, entry in EXPECTED.get(name, {}).items():
            assert entry in found.get(log, set()), (log, found)

        marker = str(root)
        assert len(live_processes(marker)) >= 2  # okta + scim/agent/database, all under this root
    assert wait_until(lambda: not live_processes(marker), 5.0), live_processes(marker)
    assert not root.exists()


def test_sqlserver_scenario_has_the_sqlserver_driver_and_encrypting_database(knowledge: Knowledge) -> None:
    with open_demo("sqlserver-encrypt", knowledge=knowledge) as host:
        root = Path(host.root)
        assert [p.name for p in (root / "opt/OktaOnPremScimServer/userlib").glob("*.jar")] == [
            "mssql-jdbc-12.8.1.jre11.jar"
        ]
        org = json.loads((root / ".gdc-demo/okta/okta-org.json").read_text())
        assert "encrypt=true;trustServerCertificate=false" in org["app"]["connection"]["url"]
        db = host.settings.database
        assert db.type == "sqlserver"
        peer = host.network.tls_probe("127.0.0.1", db.port, timeout=3.0)
        # SQL Server negotiates TLS inside its own protocol: a bare TLS handshake is not answered.
        assert not peer.ok


def test_keep_root_keeps_the_folder_but_stops_the_processes(tmp_path: Path, knowledge: Knowledge) -> None:
    keep = tmp_path / "demo"
    with open_demo("healthy", knowledge=knowledge, keep_root=keep) as host:
        assert Path(host.root) == keep.resolve()
    assert (keep / "opt/OktaProvisioningAgent/logs/agent.log").is_file()
    assert wait_until(lambda: not live_processes(str(keep)), 5.0)
    # The same folder can hold a fresh demo again; a folder holding something else is refused.
    with open_demo("scim-stopped", knowledge=knowledge, keep_root=keep):
        pass
    other = tmp_path / "other"
    other.mkdir()
    (other / "precious.txt").write_text("keep me")
    from gdc_tui.host.base import HostError

    with pytest.raises(HostError, match="not empty"), open_demo("healthy", knowledge=knowledge, keep_root=other):
        pass
    assert (other / "precious.txt").read_text() == "keep me"


def test_unknown_scenario_names_the_valid_ones(knowledge: Knowledge) -> None:
    from gdc_tui.host.base import HostError

    with pytest.raises(HostError, match="healthy, scim-stopped"), open_demo("nope", knowledge=knowledge):
        pass
