"""The checks that read the logs (log-errors; header-size and userplugin use it as evidence): real log
files in the SCIM server's Spring pattern and the agent's format, scanned by gdc_tui.logs.scan."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone


def spring(when: datetime, message: str, trace: tuple[str, ...] = ()) -> str:
    """An Application.log event in the SCIM server's logging.pattern.file."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}+00:00"
    lines = [f"{stamp}  [pid:715] [https-jsse-nio-1443-exec-3] c.o.s.s.c.ExceptionHandler:52 - {message}", *trace]
    return "\n".join(lines) + "\n"


def write_log(site, text: str) -> None:
    site.write("/var/log/OktaOnPremScimServer/Application.log", text)


NOW = datetime.now(timezone.utc)
ORA_01017 = spring(NOW - timedelta(minutes=3), "SQL operation GET_USERS failed", (
    "java.sql.SQLException: ORA-01017: invalid username/password; logon denied",
    "\tat oracle.jdbc.driver.T4CTTIoer11.processError(T4CTTIoer11.java:630)",
))
HEADER_TOO_LARGE = spring(NOW - timedelta(minutes=5), "Error parsing HTTP request header", (
    "java.lang.IllegalArgumentException: Request header is too large",
    "\tat org.apache.tomcat.util.net.NioChannel.read(NioChannel.java:123)",
))
HASH_MISMATCH = spring(NOW - timedelta(minutes=2), "Custom code failed for GET_USERS", (
    "java.lang.RuntimeException: JAR file integrity check failed",
    "\tat com.okta.server.scim.plugin.JarVerifier.verifyHash(JarVerifier.java:61)",
))


def test_log_errors_passes_on_clean_logs(site):
    site.install_scim()
    write_log(site, spring(NOW - timedelta(minutes=1), "Started ScimServerApplication in 9.1 seconds"))
    result = site.run("log-errors")
    assert result.status == "pass", result
    assert any("Application.log" in d for d in result.details)


def test_log_errors_fails_naming_the_entry_of_a_recent_error(site):
    site.install_scim()
    write_log(site, ORA_01017)
    result = site.run("log-errors")
    assert result.status == "fail"
    assert "A6 oracle-invalid-credentials (1x)" in result.summary
    assert result.errors == ("oracle-invalid-credentials",)
    assert any("ORA-01017" in d or "Application.log:1" in d for d in result.details)


def test_log_errors_warns_on_an_error_that_stopped_hours_ago(site):
    site.install_scim()
    write_log(site, spring(NOW - timedelta(hours=5), "SQL operation GET_USERS failed", (
        "java.sql.SQLException: ORA-01017: invalid username/password; logon denied",)))
    result = site.run("log-errors")
    assert result.status == "warn"
    assert "none in the last 1h" in result.summary


def test_log_errors_ignores_errors_older_than_a_day(site):
    site.install_scim()
    write_log(site, spring(NOW - timedelta(days=3), "SQL operation GET_USERS failed", (
        "java.sql.SQLException: ORA-01017: invalid username/password; logon denied",)))
    assert site.run("log-errors").status == "pass"


def test_log_errors_skips_where_there_are_no_logs(site):
    result = site.run("log-errors")
    assert result.status == "skip"
    assert "no connector log files" in result.summary


def test_header_size_warns_when_a10_is_in_the_logs(site):
    path = site.install_scim()
    write_log(site, HEADER_TOO_LARGE)
    result = site.run("header-size")
    assert result.status == "warn"
    assert result.errors == ("request-header-too-large",) and result.fix == "set-header-size"
    assert result.remediation.splitlines() == [
        f"sudo sed -i 's/^server\\.max-http-request-header-size=.*/server.max-http-request-header-size=20KB/' {path}",
        "sudo systemctl restart OktaOnPremScimServer",
    ]


def test_header_size_at_20kb_passes_even_with_old_a10_lines(site):
    site.install_scim(extra="server.max-http-request-header-size=20KB\n")
    write_log(site, HEADER_TOO_LARGE)
    assert site.run("header-size").status == "pass"


def test_userplugin_fails_on_c2_and_gives_the_jars_sha256(site):
    import hashlib

    site.install_scim()
    path = site.jar("userplugin", "hr-plugin.jar", ["com/acme/HrOps.class"])
    digest = hashlib.sha256(site.real(path).read_bytes()).hexdigest()
    write_log(site, HASH_MISMATCH)
    result = site.run("userplugin")
    assert result.status == "fail"
    assert "C2" in result.summary and result.errors == ("plugin-hash-mismatch",)
    assert f"hr-plugin.jar: {digest}" in result.remediation
