"""The Okta <-> agent checks against real files, real loopback TLS servers, a real CONNECT proxy and
recorded outputs of systemctl, rpm, firewall-cmd, timedatectl and chronyc."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers.fakebin import Reply
from helpers.servers import TOKEN, ConnectProxy, HttpsServer, closed_port
from helpers.tls import make_ca, make_cert

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "host"
TRUST_STORE = "/etc/pki/tls/certs/ca-bundle.crt"


@pytest.fixture(scope="module")
def okta_tls(tmp_path_factory):
    """An "Okta org" on loopback with a certificate from its own CA, and a second, unrelated CA."""
    folder = tmp_path_factory.mktemp("okta")
    ca = make_ca(folder / "ca", name="Okta test root")
    leaf = make_cert(folder / "leaf", issuer=ca, common_name="localhost", sans=("localhost", "127.0.0.1"))
    other = make_ca(folder / "other", name="Corporate proxy CA")
    return ca, leaf, other


@pytest.fixture
def okta(okta_tls):
    _, leaf, _ = okta_tls
    with HttpsServer(leaf.cert_path, leaf.key_path, token=TOKEN) as server:
        yield server


# --- okta-reachable ------------------------------------------------------------------------------------


def test_okta_reachable_passes_with_a_trusted_handshake_to_the_org_url(site, okta, okta_tls):
    ca, _, _ = okta_tls
    site.write(TRUST_STORE, ca.cert_pem)
    site.install_agent(org_url=f"https://localhost:{okta.port}")
    result = site.run("okta-reachable")
    assert result.status == "pass", result
    assert f"localhost:{okta.port}" in result.summary and "trusted" in result.summary
    assert any(d.startswith("DNS: localhost") for d in result.details)


def test_okta_reachable_fails_when_a_proxy_ca_is_not_trusted(site, okta, okta_tls):
    _, _, other = okta_tls
    site.write(TRUST_STORE, other.cert_pem)  # the host trusts another CA than the one that signed the org's cert
    site.install_agent(org_url=f"https://localhost:{okta.port}")
    result = site.run("okta-reachable")
    assert result.status == "fail"
    assert "does not trust" in result.summary
    assert "agent-untrusted-proxy-ca" in result.errors
    assert "keytool -importcert" in result.remediation and "/opt/OktaProvisioningAgent/jre" in result.remediation


def test_okta_reachable_fails_when_outbound_443_is_refused(site):
    port = closed_port()
    site.install_agent(org_url=f"https://127.0.0.1:{port}")
    result = site.run("okta-reachable")
    assert result.status == "fail"
    assert "no outbound TCP connection" in result.summary and "refused" in result.summary
    assert "curl -sv" in result.remediation


def test_okta_reachable_fails_when_the_org_does_not_resolve(site):
    site.install_agent(org_url="https://no-such-org.invalid")
    result = site.run("okta-reachable")
    assert result.status == "fail"
    assert "does not resolve" in result.summary
    assert "getent hosts no-such-org.invalid" in result.remediation


def test_okta_reachable_goes_through_the_agents_proxy(site, okta, okta_tls):
    ca, _, _ = okta_tls
    site.write(TRUST_STORE, ca.cert_pem)
    with ConnectProxy(user="svc", password="pw") as proxy:
        site.install_agent(org_url=f"https://localhost:{okta.port}", extra=(
            f"proxyEnabled = true\nproxyHost = 127.0.0.1\nproxyPort = {proxy.port}\n"
            "proxyUser = svc\nproxyPassword = pw\n"))
        result = site.run("okta-reachable")
    assert result.status == "pass", result
    assert f"through 127.0.0.1:{proxy.port}" in result.summary
    assert proxy.connects and proxy.connects[0][0] == f"localhost:{okta.port}"
    assert not any("pw" in d for d in result.details)  # the proxy password is a secret


def test_okta_reachable_skips_without_an_agent(site):
    result = site.run("okta-reachable")
    assert result.status == "skip"
    assert "not installed" in result.summary


# --- firewall ------------------------------------------------------------------------------------------


LIST_ALL = """public (active)
  target: default
  interfaces: eth0
  services: cockpit dhcpv6-client ssh
  ports: {ports}
  protocols:
"""


def test_firewall_passes_when_the_agent_calls_the_scim_server_on_the_same_host(site):
    site.install_agent()
    site.install_scim()
    site.unit("firewalld")
    site.program("firewall-cmd", Reply(["--list-all"], stdout=LIST_ALL.format(ports="")))
    result = site.run("firewall")
    assert result.status == "pass", result
    assert "need not be open" in result.summary


def test_firewall_fails_when_a_remote_agent_cannot_reach_the_scim_port(site):
    site.install_scim(port=1443)  # no agent on this host: it calls in from another one
    site.unit("firewalld")
    site.program("firewall-cmd", Reply(["--list-all"], stdout=LIST_ALL.format(ports="22/tcp")))
    result = site.run("firewall")
    assert result.status == "fail"
    assert "1443/tcp" in result.summary
    assert result.remediation.startswith("sudo firewall-cmd --permanent --add-port=1443/tcp")
    assert "scim-connect-timed-out" in result.errors


def test_firewall_passes_when_the_scim_port_is_open(site):
    site.install_scim(port=1443)
    site.unit("firewalld")
    site.program("firewall-cmd", Reply(["--list-all"], stdout=LIST_ALL.format(ports="1443/tcp")))
    assert site.run("firewall").status == "pass"


def test_firewall_absent_says_what_else_filters(site):
    result = site.run("firewall")  # systemctl: firewalld not-found; no firewall-cmd, nft or iptables here
    assert result.status == "pass"
    assert "firewalld is not installed" in result.summary
    assert any("okta-reachable and db-reachable" in d for d in result.details)


# --- agent-service -----------------------------------------------------------------------------------------


def test_agent_service_passes_with_since_pid_and_memory(site):
    site.install_agent()
    site.unit("agent", pid=os.getpid())
    result = site.run("agent-service")
    assert result.status == "pass", result
    assert "since 2026-02-10 08:21:11 UTC" in result.summary and f"PID {os.getpid()}" in result.summary
    assert "memory" in result.summary and "unknown" not in result.summary
    assert any(e.argv[:2] == ("systemctl", "show") for e in result.evidence)


def test_agent_service_fails_with_the_journal_when_it_is_stopped(site):
    site.install_agent()
    journal = (FIXTURES / "journal" / "agent.txt").read_text()
    site.unit("agent", active="failed", sub="failed", journal=journal)
    result = site.run("agent-service")
    assert result.status == "fail"
    assert "OktaProvisioningAgent is failed" in result.summary
    assert result.fix == "start-agent"
    assert result.remediation.startswith("sudo systemctl start OktaProvisioningAgent")
    assert any(line.strip() == journal.splitlines()[-1].strip() for line in result.details)


def test_agent_service_fails_when_the_agent_is_not_installed(site):
    result = site.run("agent-service")
    assert result.status == "fail"
    assert "not installed" in result.summary
    assert "configure_agent.sh" in result.remediation


def test_agent_service_without_systemd_skips_with_the_reason(site):
    site.install_agent()
    not_booted = (FIXTURES / "systemctl" / "not-booted.stderr").read_text()
    site.program("systemctl", Reply(None, stderr=not_booted, exit=1))
    result = site.run("agent-service")
    assert result.status == "skip"
    assert "systemd is not running" in result.summary


# --- agent-version ----------------------------------------------------------------------------------------


def test_agent_version_up_to_3_0_3_fails_for_the_pkix_bug(site):
    site.install_agent()
    site.package("agent", "03.00.03-SNAPSHOT20250903160015")
    result = site.run("agent-version")
    assert result.status == "fail"
    assert "PKIX" in result.summary
    assert result.errors == ("agent-pkix-validation",) and result.fix == "upgrade-agent"
    assert "sudo yum localupdate /installers/OktaProvisioningAgent-<VERSION>.rpm" in result.remediation


def test_agent_version_below_the_minimum_warns(site):
    site.install_agent()
    site.package("agent", "03.00.05-SNAPSHOT20251001000000")
    assert site.run("agent-version").status == "warn"


def test_agent_version_compares_the_way_rpm_does(site):
    site.install_agent()
    site.package("agent", "03.00.07-SNAPSHOT20260130151220")
    result = site.run("agent-version")
    assert result.status == "pass"
    assert result.summary == "OktaProvisioningAgent 03.00.07-SNAPSHOT20260130151220 (minimum 3.0.6)"


def test_agent_version_fails_when_rpm_does_not_know_an_installed_home(site):
    site.install_agent()
    result = site.run("agent-version")
    assert result.status == "fail" and "is not installed" in result.summary


# --- agent-config -------------------------------------------------------------------------------------------


def test_agent_config_passes_for_a_registered_agent(site):
    site.install_agent()
    result = site.run("agent-config")
    assert result.status == "pass", result
    assert "acme.okta.com" in result.summary and "a53kq2x8v1TRmYdgh1d7" in result.summary
    assert not any("00secret" in d for d in result.details)


def test_agent_config_reads_the_vendor_documented_path_too(site):
    path = site.install_agent(legacy=True)
    result = site.run("agent-config")
    assert result.status == "pass"
    assert any(path in d for d in result.details)


def test_agent_config_fails_when_the_agent_is_not_registered(site):
    site.mkdir(site.component_path("agent", "home"))
    site.write(site.config_path("agent-conf"), "env = prod\n")
    result = site.run("agent-config")
    assert result.status == "fail"
    assert "orgUrl" in result.summary and "agentId" in result.summary
    assert "configure_agent.sh" in result.remediation


def test_agent_config_fails_on_incoherent_proxy_keys(site):
    site.install_agent(extra="proxyEnabled = true\nproxyPort = 3128\n")
    result = site.run("agent-config")
    assert result.status == "fail"
    assert "proxyHost is empty" in result.summary


def test_agent_config_fails_when_only_old_tls_protocols_are_allowed(site):
    site.install_agent()
    site.write(site.config_path("agent-settings"), 'JAVA_OPTS="-Xmx4096m -Dhttps.protocols=TLSv1,TLSv1.1"\n')
    result = site.run("agent-config")
    assert result.status == "fail"
    assert "TLSv1.2 or TLSv1.3" in result.summary


# --- clock-sync ------------------------------------------------------------------------------------------------


def test_clock_sync_passes_when_ntp_is_synchronised(site):
    site.program("timedatectl", Reply(["show"], stdout="Timezone=UTC\nNTP=yes\nNTPSynchronized=yes\n"))
    result = site.run("clock-sync")
    assert result.status == "pass"
    assert result.evidence[0].argv == ("timedatectl", "show")


def test_clock_sync_warns_when_ntp_is_off(site):
    site.program("timedatectl", Reply(["show"], stdout="Timezone=UTC\nNTP=no\nNTPSynchronized=no\n"))
    result = site.run("clock-sync")
    assert result.status == "warn"
    assert "sudo timedatectl set-ntp true" in result.remediation
    assert "agent-token-invalid" in result.errors


def test_clock_sync_falls_back_to_chronyc_without_systemd(site):
    not_booted = (FIXTURES / "systemctl" / "not-booted.stderr").read_text()
    site.program("timedatectl", Reply(None, stderr=not_booted, exit=1))
    site.program("chronyc", Reply(["tracking"], stdout="Reference ID    : A9FEA97B (169.254.169.123)\n"
                                                      "System time     : 0.000012 seconds fast of NTP time\n"
                                                      "Leap status     : Normal\n"))
    result = site.run("clock-sync")
    assert result.status == "pass"
    assert "chronyd" in result.summary


def test_clock_sync_skips_when_nothing_can_tell(site):
    not_booted = (FIXTURES / "systemctl" / "not-booted.stderr").read_text()
    site.program("timedatectl", Reply(None, stderr=not_booted, exit=1))
    site.program("chronyc", Reply(None, stderr="506 Cannot talk to daemon\n", exit=1))
    result = site.run("clock-sync")
    assert result.status == "skip"
    assert "neither timedatectl nor chronyc" in result.summary
