"""The agent <-> SCIM server checks against a real HTTPS stand-in on loopback (its certificate, its
bearer token), a silent listener, closed ports, real files and recorded systemctl/rpm outputs."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from helpers.fakebin import Reply
from helpers.servers import TOKEN, SilentServer, closed_port
from helpers.tls import make_cert

from gdc_tui.checks.agent_scim import parse_data_size

# --- scim-service, scim-version ---------------------------------------------------------------------------


def test_scim_service_fails_when_stopped_and_names_the_start_command(site):
    site.install_scim()
    site.unit("scim_server", active="inactive", sub="dead")
    site.write("/var/log/OktaOnPremScimServer/Service.err", "Error: Unable to access jarfile\n")
    result = site.run("scim-service")
    assert result.status == "fail"
    assert result.summary.startswith("OktaOnPremScimServer is inactive (dead)")
    assert result.remediation.splitlines()[0] == "sudo systemctl start OktaOnPremScimServer"
    assert result.fix == "start-scim-server" and "scim-connection-refused" in result.errors
    assert any("Unable to access jarfile" in d for d in result.details)


def test_scim_service_passes_when_active(site):
    site.install_scim()
    site.unit("scim_server", pid=os.getpid())
    assert site.run("scim-service").status == "pass"


def test_scim_version_requires_1_7_0_for_db2(site):
    from gdc_tui.settings import DatabaseTarget

    site.install_scim()
    site.package("scim_server", "1.5.2-1740000000.abcdef0")
    assert site.run("scim-version").status == "pass"
    site.database = DatabaseTarget("db2", "db2.example.test", 50000)
    result = site.run("scim-version")
    assert result.status == "warn"
    assert "1.7.0" in result.summary
    assert f"sudo CUSTOMER_ID={site.customer_id} rpm -Uvh /installers/OktaOnPremScimServer-<VERSION>.rpm" \
        in result.remediation


def test_scim_version_reads_the_guides_release_strings(site):
    site.install_scim()
    site.package("scim_server", "1.3.0-1762992000.e391127")
    result = site.run("scim-version")
    assert result.status == "warn" and "older than the supported minimum 1.5.0" in result.summary


# --- scim-config ---------------------------------------------------------------------------------------------


def test_scim_config_passes_for_a_complete_0600_file(site):
    path = site.install_scim()
    result = site.run("scim-config")
    assert result.status == "pass", result
    assert path in result.summary
    assert TOKEN not in " ".join(result.details)  # the token is masked
    assert any("5634*****785693" in d for d in result.details)


def test_scim_config_warns_when_others_can_read_the_token(site):
    path = site.install_scim(mode=0o644)
    result = site.run("scim-config")
    assert result.status == "warn"
    assert "0644" in result.summary
    assert result.remediation == f"sudo chmod 600 {path}"


def test_scim_config_fails_without_a_bearer_token(site):
    site.install_scim(token="")
    result = site.run("scim-config")
    assert result.status == "fail"
    assert "scim.security.bearer.token is missing" in result.summary
    assert "scim-token-rejected" in result.errors


def test_scim_config_fails_when_the_keystore_is_gone(site):
    site.install_scim()
    site.real(site.component_path("scim_server", "keystore")).unlink()
    result = site.run("scim-config")
    assert result.status == "fail" and "does not exist" in result.summary


def test_scim_config_fails_on_a_bad_port(site):
    site.install_scim(extra="server.port=14x3\n")
    result = site.run("scim-config")
    assert result.status == "fail" and "server.port=14x3 is not a port number" in result.summary


def test_scim_config_skips_when_the_scim_server_is_not_installed(site):
    result = site.run("scim-config")
    assert result.status == "skip" and "not installed" in result.summary


# --- scim-listening ------------------------------------------------------------------------------------------


def test_scim_listening_passes_when_the_units_main_process_holds_the_port(site, scim_server):
    site.install_scim(port=scim_server.port)
    site.unit("scim_server", pid=os.getpid())
    result = site.run("scim-listening")
    assert result.status == "pass", result
    assert f"owned by OktaOnPremScimServer (PID {os.getpid()})" in result.summary


def test_scim_listening_warns_when_another_process_holds_the_port(site, scim_server):
    site.install_scim(port=scim_server.port)
    site.unit("scim_server", pid=1)
    result = site.run("scim-listening")
    assert result.status == "warn"
    assert f"PID {os.getpid()}" in result.summary


def test_scim_listening_fails_when_nothing_listens(site):
    site.install_scim(port=closed_port())
    site.unit("scim_server", active="inactive", sub="dead")
    result = site.run("scim-listening")
    assert result.status == "fail"
    assert "nothing listens" in result.summary and "not running" in result.summary
    assert result.fix == "start-scim-server"


# --- scim-status -----------------------------------------------------------------------------------------------


def test_scim_status_passes_with_the_pinned_certificate_and_the_token(site, scim_server, scim_cert):
    site.install_scim(port=scim_server.port, cert=scim_cert)
    result = site.run("scim-status")
    assert result.status == "pass", result
    assert "answers 200" in result.summary
    assert any("same SHA-256" in d for d in result.details)
    path, headers = scim_server.requests[-1]
    assert path == "/ws/rest/jdbc_on_prem/scim/v2/Status"
    assert headers["Authorization"] == f"Bearer {TOKEN}"


def test_scim_status_fails_with_401_when_the_token_does_not_match(site, scim_server, scim_cert):
    site.install_scim(port=scim_server.port, cert=scim_cert, token="0" * 32)
    result = site.run("scim-status")
    assert result.status == "fail"
    assert "answers 401" in result.summary and "does not match" in result.summary
    assert result.errors == ("scim-token-rejected",)
    assert "Get-OktaOnPremScimServer-Credentials.sh" in result.remediation


def test_scim_status_fails_when_the_server_serves_another_certificate(site, scim_server, tmp_path):
    other = make_cert(tmp_path / "other", name="other")
    site.install_scim(port=scim_server.port, cert=other)
    result = site.run("scim-status")
    assert result.status == "fail"
    assert "serves another certificate" in result.summary
    assert "scim-client-handshake-failed" in result.errors


def test_scim_status_fails_when_the_port_is_refused(site):
    site.install_scim(port=closed_port())
    result = site.run("scim-status")
    assert result.status == "fail"
    assert "refused" in result.summary and result.fix == "start-scim-server"


def test_scim_status_fails_in_time_when_the_port_never_answers_tls(site):
    with SilentServer() as silent:
        site.install_scim(port=silent.port)
        result = site.run("scim-status")
    assert result.status == "fail"
    assert "timed out after 5s" in result.summary
    assert result.duration_s < 6


# --- scim-cert ---------------------------------------------------------------------------------------------------


def test_scim_cert_passes_when_valid_and_the_fqdn_is_a_san(site, scim_cert):
    site.install_scim(cert=scim_cert)
    site.program("hostname", Reply(["-f"], stdout="scim.example.test\n"))
    result = site.run("scim-cert")
    assert result.status == "pass", result
    assert "SANs cover scim.example.test" in result.summary


def test_scim_cert_warns_when_the_fqdn_is_not_a_san(site, scim_cert):
    site.install_scim(cert=scim_cert)
    site.program("hostname", Reply(["-f"], stdout="gdc01.corp.example\n"))
    result = site.run("scim-cert")
    assert result.status == "warn"
    assert "gdc01.corp.example not among its SANs" in result.summary


def test_scim_cert_warns_within_30_days_and_fails_once_expired(site, scim_cert):
    site.install_scim(cert=scim_cert)
    site.program("hostname", Reply(["-f"], stdout="scim.example.test\n"))
    site.freeze(scim_cert.cert.not_valid_after_utc - timedelta(days=10))
    result = site.run("scim-cert")
    assert result.status == "warn" and "expires in" in result.summary
    site.freeze(scim_cert.cert.not_valid_after_utc + timedelta(days=1))
    result = site.run("scim-cert")
    assert result.status == "fail" and "expired" in result.summary
    assert "rpm -Uvh --replacepkgs" in result.remediation


def test_scim_cert_fails_when_the_certificate_file_is_missing(site):
    site.install_scim()
    result = site.run("scim-cert")
    assert result.status == "fail" and "does not exist" in result.summary


# --- hostname-fqdn ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["vm", "localhost", "localhost.localdomain"])
def test_hostname_fqdn_fails_for_a_short_or_loopback_name(site, name):
    site.program("hostname", Reply(["-f"], stdout=f"{name}\n"))
    result = site.run("hostname-fqdn")
    assert result.status == "fail"
    assert "not a fully qualified name" in result.summary
    assert result.remediation.startswith("sudo hostnamectl set-hostname")
    assert "scim-unknown-host" in result.errors


def test_hostname_fqdn_fails_when_the_name_does_not_resolve(site):
    site.program("hostname", Reply(["-f"], stdout="gdc01.no-such-domain.invalid\n"))
    result = site.run("hostname-fqdn")
    assert result.status == "fail" and "does not resolve" in result.summary
    assert "sudo tee -a /etc/hosts" in result.remediation


def test_hostname_fqdn_fails_when_hostname_f_itself_fails(site):
    site.program("hostname", Reply(["-f"], stderr="hostname: Name or service not known\n", exit=1))
    result = site.run("hostname-fqdn")
    assert result.status == "fail" and "Name or service not known" in result.summary


# --- header-size -----------------------------------------------------------------------------------------------------


def test_header_size_parses_springs_data_sizes():
    assert parse_data_size("10KB") == 10240
    assert parse_data_size("20kb") == 20480
    assert parse_data_size("1MB") == 1_048_576
    assert parse_data_size("16384") == 16384
    assert parse_data_size("lots") is None


def test_header_size_passes_at_20kb(site):
    site.install_scim(extra="server.max-http-request-header-size=20KB\n")
    result = site.run("header-size")
    assert result.status == "pass" and "20KB" in result.summary


def test_header_size_below_20kb_passes_while_no_request_overflowed_it(site):
    site.install_scim()
    result = site.run("header-size")
    assert result.status == "pass"
    assert "10KB" in result.summary and "A10" in result.summary


def test_header_size_fails_on_a_value_that_is_not_a_size(site):
    site.install_scim(extra="server.max-http-request-header-size=big\n")
    assert site.run("header-size").status == "fail"
