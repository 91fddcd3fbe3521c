"""The demo's commands answer like a RHEL connector host; anything else is recorded, not run."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes

from gdc_tui.demo import open_demo
from gdc_tui.host.base import Host
from gdc_tui.host.packages import Rpm
from gdc_tui.knowledge import Knowledge

CREDENTIALS = "/opt/OktaOnPremScimServer/bin/Get-OktaOnPremScimServer-Credentials.sh"


@pytest.fixture(scope="module")
def host(knowledge: Knowledge) -> Iterator[Host]:
    with open_demo("healthy", knowledge=knowledge) as demo:
        yield demo


def test_host_facts_are_a_rhel_connector_hosts(host: Host) -> None:
    java = host.runner.run(["java", "-version"])
    assert java.ok and java.stderr.startswith('openjdk version "21.')
    assert host.runner.run(["openssl", "version"]).stdout.startswith("OpenSSL 3.")
    assert host.runner.run(["hostname", "-f"]).stdout == "gdc-demo.example.internal\n"
    assert host.runner.run(["firewall-cmd", "--state"]).stdout == "running\n"
    assert "NTPSynchronized=yes" in host.runner.run(["timedatectl", "show"]).stdout
    assert host.runner.run(["systemctl", "is-active", "firewalld"]).stdout == "active\n"
    listing = host.runner.run(["firewall-cmd", "--list-all"]).stdout
    assert f"ports: {host.facts['scim_port']}/tcp" in listing
    ss = host.runner.run(["ss", "-tuln"]).stdout
    assert f"127.0.0.1:{host.facts['scim_port']}" in ss


def test_rpm_answers_as_rpm_does_for_the_real_adapter(host: Host) -> None:
    rpm = Rpm(host.runner)
    assert rpm.installed_version("OktaProvisioningAgent") == "03.00.07-SNAPSHOT20260130151220"
    assert rpm.installed_version("OktaOnPremScimServer") == host.packages.installed_version("OktaOnPremScimServer")
    assert rpm.installed_version("NotInstalled") is None and "not installed" in (rpm.last_error or "")
    installer = host.files.path("/installers/OktaOnPremScimServer-1.3.0-1762992000.e391127.rpm")
    assert rpm.file_version(installer) == "1.3.0-1762992000.e391127" == host.packages.file_version(installer)
    assert (
        host.runner.run(["rpm", "-q", "OktaProvisioningAgent"]).stdout
        == "OktaProvisioningAgent-03.00.07-SNAPSHOT20260130151220.x86_64\n"
    )


def test_the_credentials_script_prints_the_token_and_the_certificates_fingerprint(host: Host) -> None:
    result = host.runner.run(["sudo", CREDENTIALS])
    assert result.ok, result
    lines = result.stdout.splitlines()
    customer_id = host.facts["customer_id"]
    crt = host.files.path(f"/etc/pki/tls/certs/OktaOnPremScimServer-{customer_id}.crt")
    fingerprint = x509.load_pem_x509_certificate(crt.read_bytes()).fingerprint(hashes.SHA256()).hex(":").upper()
    assert lines[1] == "API Bearer Token (use as 'Authorization: Bearer <token>')"
    token = lines[3]
    assert len(token) == 32 and f"scim.security.bearer.token={token}" in host.files.read_text(
        f"/etc/OktaOnPremScimServer/config-{customer_id}.properties"
    )
    assert lines[lines.index("SHA256 Fingerprint:") + 1] == fingerprint
    assert f"Path: /tmp/OktaOnPremScimServer-{customer_id}.crt" in lines
    assert host.files.read_bytes(f"/tmp/OktaOnPremScimServer-{customer_id}.crt") == crt.read_bytes()


def test_other_commands_are_reported_not_run_and_everything_is_recorded(host: Host) -> None:
    before = len(host.runner.transcript)
    result = host.runner.run(["rm", "-rf", "/"])
    assert result.exit_code is None and "a real host would run: rm -rf /" in (result.error or "")
    assert host.files.is_dir("/etc")
    transcript = host.runner.transcript
    assert transcript[before:] == [result] and result.command_line == "rm -rf /"


def test_systemctl_status_reads_like_the_guides(host: Host) -> None:
    text = host.runner.run(["sudo", "systemctl", "status", "OktaOnPremScimServer"]).stdout
    assert text.startswith("● OktaOnPremScimServer.service - Okta On-Prem SCIM Server\n")
    assert "Active: active (running) since " in text and "Main PID: " in text
    missing = host.runner.run(["systemctl", "status", "firewalld2"])
    assert missing.exit_code == 4 and "could not be found" in missing.stderr
