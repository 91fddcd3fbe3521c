"""`gdc-tui scan --demo SCENARIO --json` finds each scenario's catalog entry, and none on `healthy`."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("gdc_tui.demo")

from gdc_tui.cli import main

EXPECTED = {
    "bad-db-credentials": "A6",
    "sqlserver-encrypt": "A7",
    "missing-driver": "A5",
    "db-unreachable": "A11",
    "old-agent-pkix": "A4",
    "bad-user-id-column": "A9",
    "plugin-hash-mismatch": "C2",
}


def _scan(scenario: str, capsys) -> tuple[int, dict]:
    code = main(["scan", "--demo", scenario, "--json"])
    return code, json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("scenario", sorted(EXPECTED))
def test_each_fault_scenario_finds_its_catalog_entry(scenario, capsys):
    code, doc = _scan(scenario, capsys)
    assert code == 1
    assert EXPECTED[scenario] in [f["guide"] for f in doc["findings"]]
    best = doc["findings"][0]
    assert best["count"] >= 1 and best["line"] and best["excerpt"]
    assert "/opt/OktaProvisioningAgent/logs/agent.log" in doc["files"]


def test_the_healthy_scenario_finds_nothing(capsys):
    code, doc = _scan("healthy", capsys)
    assert code == 0 and doc["findings"] == []
    assert "/var/log/OktaOnPremScimServer/Application.log" in doc["files"]
