"""`gdc-tui check` through the real CLI in a subprocess: the JSON contract, the table, exit codes,
--only/--skip/--list, and a machine without the connector (like this build machine)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gdc_tui.checks import all_checks

REPO = Path(__file__).resolve().parents[2]
CHECK_KEYS = {"id", "title", "hop", "status", "summary", "details", "remediation", "errors", "fix", "duration_s"}


def gdc(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120", **(env or {})}
    return subprocess.run([sys.executable, "-m", "gdc_tui", *args], capture_output=True, text=True, cwd=REPO,
                          env=full_env, timeout=timeout)


@pytest.fixture(scope="module")
def bare_root(tmp_path_factory) -> Path:
    """A root with no connector on it at all."""
    return tmp_path_factory.mktemp("bare-root")


def test_json_on_a_host_without_the_connector_is_complete_and_quick(bare_root):
    begin = time.monotonic()
    proc = gdc("check", "--json", "--root", str(bare_root))
    wall = time.monotonic() - begin
    assert proc.returncode in (1, 2, 3), proc.stderr
    assert "Traceback" not in proc.stderr
    report = json.loads(proc.stdout)  # only JSON on stdout
    assert set(report) == {"host", "checks", "summary"}
    assert report["host"]["root"] == str(bare_root.resolve())
    hops = [c["hop"] for c in report["checks"]]
    assert hops == sorted(hops, key=hops.index)  # grouped by hop
    assert {c["id"] for c in report["checks"]} == {c.id for c in all_checks()}
    for check in report["checks"]:
        assert set(check) == CHECK_KEYS
        assert check["summary"], check
        assert check["status"] in ("pass", "warn", "fail", "skip"), check  # nothing "could not run"
    assert sum(report["summary"].values()) == len(report["checks"])
    by_id = {c["id"]: c for c in report["checks"]}
    assert by_id["scim-service"]["status"] == "fail" and "not installed" in by_id["scim-service"]["summary"]
    assert by_id["scim-status"]["status"] == "skip" and "not installed" in by_id["scim-status"]["summary"]
    assert wall < 15, f"took {wall:.1f}s"


def test_the_table_reads_without_colour_and_shows_remediations(bare_root):
    proc = gdc("check", "--root", str(bare_root))
    out = proc.stdout
    assert "\x1b[" not in out
    assert "✖ fail  scim-service" in out
    assert "- skip  scim-status" in out
    assert "fix: Install it with its customer id: sudo CUSTOMER_ID=<CUSTOMER_ID> rpm -ivh" in out
    assert "Agent ↔ On-prem SCIM Server" in out  # grouped by hop, in the words of knowledge/


def test_only_runs_the_named_checks_and_the_exit_code_follows_them(bare_root):
    proc = gdc("check", "--json", "--root", str(bare_root), "--only", "disk-space,memory")
    assert proc.returncode == 0, proc.stdout
    assert [c["id"] for c in json.loads(proc.stdout)["checks"]] == ["disk-space", "memory"]
    proc = gdc("check", "--json", "--root", str(bare_root), "--only", "scim-service")
    assert proc.returncode == 2
    proc = gdc("check", "--json", "--root", str(bare_root), "--only", "db-target")
    assert proc.returncode == 1


def test_skip_leaves_checks_out(bare_root):
    proc = gdc("check", "--json", "--root", str(bare_root), "--skip", "java", "--skip", "openssl,memory")
    ids = [c["id"] for c in json.loads(proc.stdout)["checks"]]
    assert "java" not in ids and "openssl" not in ids and "memory" not in ids and "systemd" in ids


def test_an_unknown_check_id_is_one_clear_line_with_the_valid_ids():
    proc = gdc("check", "--only", "scim-statsu")
    assert proc.returncode == 64
    assert proc.stdout == ""
    line = proc.stderr.strip()
    assert "\n" not in line
    assert "'scim-statsu'" in line and "scim-status" in line and "db-reachable" in line


def test_list_shows_every_check_with_its_hop_and_timeout():
    proc = gdc("check", "--list", "--json")
    assert proc.returncode == 0
    listed = json.loads(proc.stdout)["checks"]
    assert {c["id"] for c in listed} == {c.id for c in all_checks()}
    assert all(set(c) == {"id", "title", "hop", "timeout_s", "description"} for c in listed)
    table = gdc("check", "--list").stdout
    assert "scim-status" in table and "agent-scim" in table


def test_root_reads_a_copied_hosts_files_and_its_settings(site):
    from datetime import datetime, timedelta, timezone

    site.install_scim()
    site.jar("userlib", "ojdbc11.jar", ["oracle/jdbc/OracleDriver.class"],
             mtime=datetime.now(timezone.utc) - timedelta(days=1))
    site.write("/etc/gdc-tui/config.toml", '[database]\ntype = "oracle"\nhost = "oradb01.example.test"\n')
    proc = gdc("check", "--json", "--root", str(site.root), "--only", "scim-config,db-target,jdbc-driver")
    by_id = {c["id"]: c for c in json.loads(proc.stdout)["checks"]}
    assert by_id["scim-config"]["status"] == "pass", by_id["scim-config"]
    assert site.customer_id in by_id["scim-config"]["summary"]  # detected from customer-id.conf
    assert by_id["db-target"]["summary"] == "Oracle at oradb01.example.test:1521"  # the type's default port
    assert by_id["jdbc-driver"]["status"] == "pass"
    assert proc.returncode == 0
