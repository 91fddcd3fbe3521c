"""The SCIM server <-> database checks and the custom-code check: real jars (zips) in a real userlib,
real TCP listeners and closed ports, the unit's start time from a recorded `systemctl show`."""

from __future__ import annotations

import hashlib
import os
import socket
from datetime import timedelta

import pytest
from checksite import STARTED_AT
from helpers.servers import closed_port

from gdc_tui.settings import DatabaseTarget

ORACLE_CLASS = "oracle/jdbc/OracleDriver.class"


@pytest.fixture
def listener():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    yield sock.getsockname()[1]
    sock.close()


# --- db-target, db-reachable --------------------------------------------------------------------------------


def test_db_target_warns_and_shows_how_to_set_it(site):
    result = site.run("db-target")
    assert result.status == "warn"
    assert "[database]" in result.remediation and 'type = "oracle"' in result.remediation
    assert "/etc/gdc-tui/config.toml" in result.remediation
    assert result.fix == "set-db-target"


def test_db_target_passes_when_set(site):
    site.database = DatabaseTarget("sqlserver", "mssql01.example.test", 1433)
    result = site.run("db-target")
    assert result.status == "pass"
    assert result.summary == "Microsoft SQL Server at mssql01.example.test:1433"


def test_db_reachable_connects_like_the_guides_telnet(site, listener):
    site.database = DatabaseTarget("oracle", "127.0.0.1", listener)
    result = site.run("db-reachable")
    assert result.status == "pass", result
    assert f"connected to 127.0.0.1:{listener}" in result.summary


def test_db_reachable_fails_when_the_port_is_closed(site):
    port = closed_port()
    site.database = DatabaseTarget("oracle", "127.0.0.1", port)
    result = site.run("db-reachable")
    assert result.status == "fail"
    assert "refused" in result.summary
    assert f"</dev/tcp/127.0.0.1/{port}" in result.remediation
    assert "db-connection-unavailable" in result.errors


def test_db_reachable_fails_when_the_host_does_not_resolve(site):
    site.database = DatabaseTarget("oracle", "oradb.no-such-domain.invalid", 1521)
    result = site.run("db-reachable")
    assert result.status == "fail" and "does not resolve" in result.summary


def test_db_reachable_skips_without_a_target(site):
    result = site.run("db-reachable")
    assert result.status == "skip" and "db-target" in result.summary


# --- jdbc-driver ---------------------------------------------------------------------------------------------


@pytest.fixture
def oracle_site(site):
    site.install_scim()
    site.unit("scim_server", pid=os.getpid())
    site.database = DatabaseTarget("oracle", "127.0.0.1", 1521)
    return site


def test_jdbc_driver_passes_for_a_jar_holding_the_class_before_the_start(oracle_site):
    oracle_site.jar("userlib", "ojdbc11.jar", [ORACLE_CLASS], mtime=STARTED_AT - timedelta(days=3))
    result = oracle_site.run("jdbc-driver")
    assert result.status == "pass", result
    assert result.summary.startswith("ojdbc11.jar holds oracle.jdbc.OracleDriver, readable by okscimserver")


def test_jdbc_driver_fails_when_userlib_has_no_driver(oracle_site):
    result = oracle_site.run("jdbc-driver")
    assert result.status == "fail"
    assert "no jar in /opt/OktaOnPremScimServer/userlib holds oracle.jdbc.OracleDriver" in result.summary
    assert result.errors == ("jdbc-driver-not-loaded",) and result.fix == "install-jdbc-driver"
    assert "sudo cp <driver>.jar /opt/OktaOnPremScimServer/userlib/" in result.remediation


def test_jdbc_driver_looks_inside_the_jar_not_at_its_name(oracle_site):
    oracle_site.jar("userlib", "ojdbc11.jar", ["com/example/NotADriver.class"], mtime=STARTED_AT - timedelta(days=1))
    assert oracle_site.run("jdbc-driver").status == "fail"
    oracle_site.jar("userlib", "vendor-bundle.jar", [ORACLE_CLASS], mtime=STARTED_AT - timedelta(days=1))
    assert oracle_site.run("jdbc-driver").status == "pass"


def test_jdbc_driver_fails_on_a_corrupt_jar(oracle_site):
    oracle_site.write("/opt/OktaOnPremScimServer/userlib/ojdbc11.jar", b"<html>404 Not Found</html>")
    result = oracle_site.run("jdbc-driver")
    assert result.status == "fail" and "not a valid jar" in result.summary


def test_jdbc_driver_dropped_in_after_the_start_needs_a_restart(oracle_site):
    oracle_site.jar("userlib", "ojdbc11.jar", [ORACLE_CLASS], mtime=STARTED_AT + timedelta(minutes=20))
    result = oracle_site.run("jdbc-driver")
    assert result.status == "fail"
    assert "after the SCIM server started" in result.summary
    assert result.remediation == "sudo systemctl restart OktaOnPremScimServer"
    assert result.fix == "restart-scim-server"


def test_jdbc_driver_missing_and_not_loaded_give_different_reasons(oracle_site):
    missing = oracle_site.run("jdbc-driver")
    oracle_site.jar("userlib", "ojdbc11.jar", [ORACLE_CLASS], mtime=STARTED_AT + timedelta(minutes=20))
    not_loaded = oracle_site.run("jdbc-driver")
    assert missing.status == not_loaded.status == "fail"
    assert missing.summary != not_loaded.summary and missing.fix != not_loaded.fix


def test_jdbc_driver_fails_when_the_service_user_cannot_read_the_jar(oracle_site):
    oracle_site.jar("userlib", "ojdbc11.jar", [ORACLE_CLASS], mode=0o600, mtime=STARTED_AT - timedelta(days=1))
    result = oracle_site.run("jdbc-driver")
    assert result.status == "fail"
    assert "cannot be read by okscimserver" in result.summary
    assert result.remediation.startswith("sudo chmod 644 /opt/OktaOnPremScimServer/userlib/ojdbc11.jar")


def test_jdbc_driver_warns_on_two_versions_of_one_driver(oracle_site):
    for name in ("ojdbc8.jar", "ojdbc11.jar"):
        oracle_site.jar("userlib", name, [ORACLE_CLASS], mtime=STARTED_AT - timedelta(days=1))
    result = oracle_site.run("jdbc-driver")
    assert result.status == "warn" and "2 jars hold Oracle's driver" in result.summary


def test_jdbc_driver_checks_the_configured_type(oracle_site):
    oracle_site.jar("userlib", "postgresql-42.7.4.jar", ["org/postgresql/Driver.class"],
                    mtime=STARTED_AT - timedelta(days=1))
    assert oracle_site.run("jdbc-driver").status == "fail"
    oracle_site.database = DatabaseTarget("postgresql", "127.0.0.1", 5432)
    assert oracle_site.run("jdbc-driver").status == "pass"


def test_jdbc_driver_without_a_type_uses_the_one_driver_in_userlib(site):
    site.install_scim()
    site.unit("scim_server", pid=os.getpid())
    site.jar("userlib", "mssql-jdbc-12.8.1.jre11.jar", ["com/microsoft/sqlserver/jdbc/SQLServerDriver.class"],
             mtime=STARTED_AT - timedelta(days=1))
    result = site.run("jdbc-driver")
    assert result.status == "pass"
    assert any("Microsoft SQL Server's driver" in d for d in result.details)


# --- userplugin -------------------------------------------------------------------------------------------------


def test_userplugin_skips_without_custom_code(site):
    site.install_scim()
    result = site.run("userplugin")
    assert result.status == "skip" and "holds no jars" in result.summary


def test_userplugin_shows_the_sha256_of_each_signed_jar(site):
    site.install_scim()
    path = site.jar("userplugin", "hr-plugin.jar", {"com/acme/HrOps.class": b"\xca\xfe",
                                                      "META-INF/ACME.SF": b"sig", "META-INF/ACME.RSA": b"key"})
    digest = hashlib.sha256(site.real(path).read_bytes()).hexdigest()
    result = site.run("userplugin")
    assert result.status == "pass", result
    assert any(digest in d and "signed" in d for d in result.details)


def test_userplugin_notes_an_unsigned_jar_and_warns_on_a_broken_one(site):
    site.install_scim()
    site.jar("userplugin", "unsigned.jar", ["com/acme/HrOps.class"])
    result = site.run("userplugin")
    assert result.status == "pass"
    assert any("no jar signature" in d and "C3" in d for d in result.details)
    site.write("/opt/OktaOnPremScimServer/userplugin/broken.jar", b"not a zip")
    result = site.run("userplugin")
    assert result.status == "warn" and "broken.jar is not a valid jar" in result.summary
