"""The host checks: systemd's state, disk space, memory, Java, OpenSSL and debug logging, from real
files and recorded outputs of systemctl, java and openssl."""

from __future__ import annotations

from pathlib import Path

from helpers.fakebin import Reply

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "host"


def meminfo(total_kb: int, available_kb: int) -> str:
    return f"MemTotal:       {total_kb} kB\nMemFree:         1000 kB\nMemAvailable:   {available_kb} kB\n"


# --- systemd ---------------------------------------------------------------------------------------------------


def test_systemd_passes_when_running(site):
    site.program("systemctl", Reply(["is-system-running"], stdout="running\n"))
    result = site.run("systemd")
    assert result.status == "pass"
    assert result.evidence[0].argv == ("systemctl", "is-system-running")


def test_systemd_degraded_warns_and_names_the_failed_units(site):
    site.program("systemctl", Reply(["is-system-running"], stdout="degraded\n", exit=1),
                 Reply(["--failed", "--no-legend", "--plain", "--no-pager"],
                       stdout="kdump.service loaded failed failed Crash recovery kernel arming\n"))
    result = site.run("systemd")
    assert result.status == "warn"
    assert "kdump.service" in result.summary


def test_systemd_not_pid_1_fails_clearly(site):
    # What this build machine's systemctl prints when systemd is not the init.
    site.program("systemctl", Reply(["is-system-running"], stdout="offline\n", exit=1))
    result = site.run("systemd")
    assert result.status == "fail"
    assert "systemd is not running on this host" in result.summary


def test_systemd_bus_error_fails_clearly(site):
    not_booted = (FIXTURES / "systemctl" / "not-booted.stderr").read_text()
    site.program("systemctl", Reply(["is-system-running"], stderr=not_booted, exit=1))
    result = site.run("systemd")
    assert result.status == "fail" and "not running" in result.summary


# --- disk-space, memory ------------------------------------------------------------------------------------------


def test_disk_space_measures_opt_var_log_and_tmp_under_the_root(site):
    site.mkdir("/opt/OktaOnPremScimServer")
    result = site.run("disk-space")
    assert result.status in ("pass", "warn", "fail")
    for path in ("/opt", "/var/log", "/tmp"):
        assert any(d.startswith(path) for d in result.details), result.details
    # /var/log and /tmp do not exist under this root: measured on their nearest parent.
    assert any(d.startswith("/var/log (on /)") for d in result.details)


def test_memory_below_4_gb_fails(site):
    site.write("/proc/meminfo", meminfo(2_000_000, 1_500_000))
    result = site.run("memory")
    assert result.status == "fail" and "below the 4 GB" in result.summary


def test_memory_of_a_4_gb_vm_passes(site):
    site.write("/proc/meminfo", meminfo(3_880_000, 2_900_000))  # what a 4 GB VM reports
    assert site.run("memory").status == "pass"


def test_memory_nearly_exhausted_warns(site):
    site.write("/proc/meminfo", meminfo(8_000_000, 200_000))
    result = site.run("memory")
    assert result.status == "warn" and "available" in result.summary


# --- java, openssl ----------------------------------------------------------------------------------------------


JAVA = 'openjdk version "{v}" 2024-10-15 LTS\nOpenJDK Runtime Environment (Red_Hat-{v}) (build {v}+11-LTS)\n'


def test_java_21_passes(site):
    site.program("java", Reply(["-version"], stderr=JAVA.format(v="21.0.5")))
    result = site.run("java")
    assert result.status == "pass" and result.summary == "java 21.0.5 (JDK 21)"


def test_java_17_fails_with_the_install_command(site):
    site.program("java", Reply(["-version"], stderr=JAVA.format(v="17.0.13")))
    result = site.run("java")
    assert result.status == "fail"
    assert result.remediation.startswith("sudo dnf install -y java-21-openjdk-headless")


def test_java_8_is_read_from_its_old_version_string(site):
    site.program("java", Reply(["-version"], stderr='openjdk version "1.8.0_392"\n'))
    result = site.run("java")
    assert result.status == "fail" and "1.8.0_392" in result.summary


def test_a_newer_java_warns(site):
    site.program("java", Reply(["-version"], stderr=JAVA.format(v="25.0.1")))
    assert site.run("java").status == "warn"


def test_openssl_3_passes_and_1_1_fails(site):
    site.program("openssl", Reply(["version"], stdout="OpenSSL 3.2.2 4 Jun 2024 (Library: OpenSSL 3.2.2 4 Jun 2024)\n"))
    assert site.run("openssl").summary == "OpenSSL 3.2.2"


def test_openssl_1_1_fails(site):
    site.program("openssl", Reply(["version"], stdout="OpenSSL 1.1.1k  FIPS 25 Mar 2021\n"))
    result = site.run("openssl")
    assert result.status == "fail" and "1.1.1k" in result.summary


# --- debug-logging --------------------------------------------------------------------------------------------------


def test_debug_logging_passes_at_info(site):
    site.install_scim()
    result = site.run("debug-logging")
    assert result.status == "pass"
    assert any("logging.level.com.okta.server.scim=INFO" in d for d in result.details)


def test_debug_logging_left_on_warns_with_the_exact_edit(site):
    path = site.install_scim(extra="logging.level.com.okta.server.scim=DEBUG\n")
    result = site.run("debug-logging")
    assert result.status == "warn"
    assert "logging.level.com.okta.server.scim=DEBUG" in result.summary
    assert result.remediation.splitlines() == [
        f"sudo sed -i 's/^logging\\.level\\.com\\.okta\\.server\\.scim=.*/logging.level.com.okta.server.scim=INFO/' "
        f"{path}",
        "sudo systemctl restart OktaOnPremScimServer",
    ]
    assert result.fix == "disable-debug-logging"


def test_debug_logging_in_jvm_conf_warns_too(site):
    site.install_scim()
    site.write("/etc/OktaOnPremScimServer/jvm.conf", 'JAVA_OPTS="-Xmx4096m -Dlogging.level.com.zaxxer.hikari=TRACE"\n')
    result = site.run("debug-logging")
    assert result.status == "warn" and "com.zaxxer.hikari=TRACE" in result.summary


def test_debug_logging_skips_without_the_scim_server(site):
    assert site.run("debug-logging").status == "skip"
