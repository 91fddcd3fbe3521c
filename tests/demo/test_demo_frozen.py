"""A frozen demo is the same every time: clock, names, certificates, logs and file times."""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from pathlib import Path

import pytest

from gdc_tui.demo import open_demo
from gdc_tui.knowledge import Knowledge

FROZEN_AT = datetime(2026, 2, 10, 8, 21, 11, tzinfo=timezone.utc)
STABLE = (
    "opt/OktaProvisioningAgent/logs/agent.log",
    "var/log/OktaOnPremScimServer/Application.log",
    "etc/pki/tls/certs/OktaOnPremScimServer-00oevo9zds7GtFLqw1d7.crt",
    "etc/pki/tls/private/OktaOnPremScimServer-00oevo9zds7GtFLqw1d7.key",
    "etc/pki/tls/certs/ca-bundle.crt",
    "opt/OktaOnPremScimServer/userplugin/okta-gdc-custom-ops-1.2.0.jar",
    "opt/OktaOnPremScimServer/userlib/ojdbc11.jar",
    "installers/OktaProvisioningAgent-03.00.07-SNAPSHOT20260130151220.x86_64.rpm",
)


def snapshot(knowledge: Knowledge, scenario: str = "healthy", **kwargs: object) -> tuple[dict, dict]:
    with open_demo(scenario, knowledge=knowledge, **kwargs) as host:  # type: ignore[arg-type]
        root = Path(host.root)
        files = {
            name: (hashlib.sha256((root / name).read_bytes()).hexdigest(), int((root / name).stat().st_mtime))
            for name in STABLE
        }
        facts = {
            "name": host.name,
            "now": host.clock.now(),
            "customer_id": host.facts["customer_id"],
            "since": host.services.status("OktaOnPremScimServer").since,
            "token": host.runner.run(
                ["/opt/OktaOnPremScimServer/bin/Get-OktaOnPremScimServer-Credentials.sh"]
            ).stdout.splitlines()[3],
        }
    return files, facts


def test_two_frozen_demos_are_identical(knowledge: Knowledge) -> None:
    first_files, first = snapshot(knowledge, frozen=True)
    second_files, second = snapshot(knowledge, frozen=True)
    assert first_files == second_files
    assert first == second
    assert first["now"] == FROZEN_AT
    assert first["name"] == "gdc-demo.example.internal"
    assert first["customer_id"] == "00oevo9zds7GtFLqw1d7"
    assert first["token"] == "5634a1f0c9e2b7d84f1a6c3e0b785693"


def test_frozen_logs_use_the_frozen_clock_and_default_ports(knowledge: Knowledge) -> None:
    with open_demo("scim-stopped", knowledge=knowledge, frozen=True) as host:
        agent_log = host.files.read_text("/opt/OktaProvisioningAgent/logs/agent.log")
        stamps = [line[:25] for line in agent_log.splitlines() if line.startswith("[ ")]
        assert stamps[-1].startswith("[ 2026-02-10 08:2") and all(s < "[ 2026-02-10 08:21:12" for s in stamps)
        assert f":{host.facts['scim_port']}" not in agent_log
        assert "https://gdc-demo.example.internal:1443/ws/rest/jdbc_on_prem/scim/v2/" in agent_log
        assert host.files.stat("/opt/OktaProvisioningAgent/logs/agent.log").mtime == FROZEN_AT


def test_the_environment_variable_freezes_too(knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GDC_TUI_FROZEN", "1")
    with open_demo("healthy", knowledge=knowledge) as host:
        assert host.clock.now() == FROZEN_AT
        assert host.facts["frozen"] == "yes"


def test_an_ordinary_demo_has_fresh_names(knowledge: Knowledge) -> None:
    with open_demo("healthy", knowledge=knowledge) as one, open_demo("healthy", knowledge=knowledge) as two:
        assert one.facts["customer_id"] != two.facts["customer_id"]
        assert one.root != two.root
        assert one.clock.now() != FROZEN_AT
