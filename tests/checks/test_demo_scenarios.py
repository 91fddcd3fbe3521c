"""The scenario table (issue 4, item 6): on the demo host, through the real CLI in a subprocess,
each scenario makes exactly the checks it should fail or warn, for the right reason; every other
check passes. `log-errors` names the scenario's catalog entry when its fault writes errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

# scenario -> (the checks that must fail or warn besides log-errors, the entry log-errors must name)
TABLE: dict[str, tuple[set[str], str | None]] = {
    "healthy": (set(), None),
    "scim-stopped": ({"scim-service", "scim-listening", "scim-status"}, "scim-connection-refused"),
    "agent-stopped": ({"agent-service"}, None),
    "missing-driver": ({"jdbc-driver"}, "jdbc-driver-not-loaded"),
    "driver-not-loaded": ({"jdbc-driver"}, "jdbc-driver-not-loaded"),
    "db-unreachable": ({"db-reachable"}, "db-connection-unavailable"),
    "bad-db-credentials": (set(), "oracle-invalid-credentials"),
    "old-agent-pkix": ({"agent-version"}, "agent-pkix-validation"),
    "sqlserver-encrypt": (set(), "sqlserver-untrusted-certificate"),
    "debug-left-on": ({"debug-logging"}, None),
    "header-too-small": ({"header-size"}, "request-header-too-large"),
    "bad-user-id-column": (set(), "invalid-user-id-column"),
    "plugin-hash-mismatch": ({"userplugin"}, "plugin-hash-mismatch"),
}


def _check(scenario: str) -> tuple[int, dict, str, float]:
    begin = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "gdc_tui", "check", "--demo", scenario, "--json"],
                          capture_output=True, text=True, cwd=REPO, timeout=60,
                          env={**os.environ, "NO_COLOR": "1"})
    wall = time.monotonic() - begin
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"{scenario}: stdout is not JSON (exit {proc.returncode}): {proc.stdout[:500]!r} {proc.stderr[-2000:]}")
    return proc.returncode, report, proc.stderr, wall


@pytest.fixture(scope="module")
def reports() -> dict[str, tuple[int, dict, str, float]]:
    """Every scenario checked once, several at a time (each is its own demo host and processes)."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(zip(TABLE, pool.map(_check, TABLE), strict=True))


@pytest.mark.parametrize("scenario", list(TABLE))
def test_the_scenario_fails_or_warns_exactly_its_checks(reports, scenario):
    code, report, stderr, wall = reports[scenario]
    assert "Traceback" not in stderr
    expected, entry = TABLE[scenario]
    if entry is not None:
        expected = expected | {"log-errors"}
    by_id = {c["id"]: c for c in report["checks"]}
    flagged = {cid for cid, c in by_id.items() if c["status"] in ("warn", "fail")}
    assert flagged == expected, {cid: (by_id[cid]["status"], by_id[cid]["summary"]) for cid in flagged ^ expected}
    # Nothing else may be unsure: no errors, and no skips on a host that has everything.
    unsure = {cid: c["summary"] for cid, c in by_id.items() if c["status"] in ("error", "skip")}
    assert not unsure
    for cid in expected:
        assert by_id[cid]["remediation"], f"{cid} gives no remediation"
    worst = max((2 if by_id[c]["status"] == "fail" else 1) for c in expected) if expected else 0
    assert code == worst
    assert wall < 30


@pytest.mark.parametrize("scenario", [s for s, (_, entry) in TABLE.items() if entry])
def test_log_errors_names_the_scenarios_catalog_entry(reports, scenario):
    _, report, _, _ = reports[scenario]
    log_errors = next(c for c in report["checks"] if c["id"] == "log-errors")
    entry = TABLE[scenario][1]
    assert entry in log_errors["errors"], log_errors
    assert entry in log_errors["summary"]


def test_healthy_passes_every_check(reports):
    code, report, _, _ = reports["healthy"]
    assert code == 0
    assert report["summary"]["pass"] == len(report["checks"])
    log_errors = next(c for c in report["checks"] if c["id"] == "log-errors")
    assert log_errors["errors"] == []


def test_scim_stopped_names_the_three_scim_checks_with_their_remediations(reports):
    code, report, _, _ = reports["scim-stopped"]
    assert code == 2
    by_id = {c["id"]: c for c in report["checks"]}
    for cid in ("scim-service", "scim-listening", "scim-status"):
        assert by_id[cid]["status"] == "fail"
        assert "sudo systemctl start OktaOnPremScimServer" in by_id[cid]["remediation"]
        assert by_id[cid]["fix"] == "start-scim-server"
        assert "scim-connection-refused" in by_id[cid]["errors"]


def test_missing_and_not_loaded_drivers_fail_for_different_reasons(reports):
    missing = next(c for c in reports["missing-driver"][1]["checks"] if c["id"] == "jdbc-driver")
    late = next(c for c in reports["driver-not-loaded"][1]["checks"] if c["id"] == "jdbc-driver")
    assert "no jar in" in missing["summary"] and missing["fix"] == "install-jdbc-driver"
    assert "after the SCIM server started" in late["summary"] and late["fix"] == "restart-scim-server"
    assert late["remediation"] == "sudo systemctl restart OktaOnPremScimServer"


def test_old_agent_is_the_pkix_bug_of_a4(reports):
    version = next(c for c in reports["old-agent-pkix"][1]["checks"] if c["id"] == "agent-version")
    assert version["status"] == "fail"
    assert version["errors"] == ["agent-pkix-validation"]
    assert "03.00.03" in version["summary"]


def test_plugin_hash_mismatch_shows_the_jars_real_sha256(reports):
    plugin = next(c for c in reports["plugin-hash-mismatch"][1]["checks"] if c["id"] == "userplugin")
    assert plugin["status"] == "fail" and "plugin-hash-mismatch" in plugin["errors"]
    assert "Enter the jar's SHA-256" in plugin["remediation"]
    assert any("SHA-256" in d for d in plugin["details"])


def test_the_healthy_table_for_people_exits_0():
    proc = subprocess.run([sys.executable, "-m", "gdc_tui", "check", "--demo", "healthy"], capture_output=True,
                          text=True, cwd=REPO, timeout=60, env={**os.environ, "NO_COLOR": "1", "COLUMNS": "100"})
    assert proc.returncode == 0, proc.stdout
    assert "✔ pass  scim-status" in proc.stdout
    assert "✖" not in proc.stdout and "! warn" not in proc.stdout
