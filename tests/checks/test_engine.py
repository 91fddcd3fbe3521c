"""The check engine: parallel, bounded by each check's timeout, streamed, never crashed by a check."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from gdc_tui.checks import (
    CheckContext,
    UnknownCheckError,
    all_checks,
    counts,
    exit_code,
    iter_results,
    ordered,
    run_checks,
    select,
)
from gdc_tui.checks.context import FactError
from gdc_tui.checks.model import Check, CheckResult, Outcome, failed, passed, skipped, warned
from gdc_tui.host.real import real_host
from gdc_tui.settings import Settings

# The ids of the CLI contract (issue 4, item 2).
CONTRACT_IDS = {
    "firewall", "okta-reachable", "agent-service", "agent-version", "agent-config", "clock-sync",
    "scim-service", "scim-version", "scim-config", "scim-listening", "scim-status", "scim-cert",
    "hostname-fqdn", "db-target", "db-reachable", "jdbc-driver", "header-size", "userplugin",
    "systemd", "disk-space", "memory", "java", "openssl", "debug-logging", "log-errors",
}


@pytest.fixture
def ctx(tmp_path: Path, knowledge) -> CheckContext:
    return CheckContext(real_host(tmp_path), knowledge, Settings())


def sleeper(seconds: float, status: str = "pass"):
    def check(ctx: CheckContext) -> Outcome:
        time.sleep(seconds)
        return Outcome(status, f"slept {seconds}s")
    return check


def test_five_checks_that_sleep_one_second_finish_in_about_one_second(ctx):
    checks = [Check(f"sleep-{i}", f"Sleep {i}", "host", sleeper(1.0), timeout=5) for i in range(5)]
    begin = time.monotonic()
    results = run_checks(checks, ctx)
    wall = time.monotonic() - begin
    assert [r.status for r in results] == ["pass"] * 5
    assert wall < 1.6, f"5 x 1 s took {wall:.2f} s: the checks did not run in parallel"
    assert sum(r.duration_s for r in results) >= 4.9


def test_a_hung_check_times_out_without_delaying_the_others(ctx):
    release = threading.Event()

    def hung(ctx: CheckContext) -> Outcome:
        release.wait(30)
        return passed("released")

    checks = [Check("hung", "Hung", "host", hung, timeout=0.5),
              Check("quick", "Quick", "host", sleeper(0.1), timeout=5),
              Check("slower", "Slower", "host", sleeper(0.3), timeout=5)]
    seen: list[tuple[str, float]] = []
    begin = time.monotonic()
    results = run_checks(checks, ctx, on_result=lambda r: seen.append((r.id, time.monotonic() - begin)))
    release.set()
    wall = time.monotonic() - begin
    by_id = {r.id: r for r in results}
    assert by_id["hung"].status == "error"
    assert by_id["hung"].summary == "timed out after 0.5s"
    assert by_id["quick"].status == by_id["slower"].status == "pass"
    # Streamed as they finished: quick first, the hung one last, right at its timeout.
    assert [name for name, _ in seen] == ["quick", "slower", "hung"]
    assert dict(seen)["quick"] < 0.3
    assert 0.45 <= dict(seen)["hung"] < 0.9
    assert wall < 1.0


def test_an_exception_inside_a_check_becomes_an_error_result(ctx):
    def broken(ctx: CheckContext) -> Outcome:
        raise KeyError("server.port")

    results = run_checks([Check("broken", "Broken", "host", broken), Check("fine", "Fine", "host", sleeper(0))], ctx)
    by_id = {r.id: r for r in results}
    assert by_id["broken"].status == "error"
    assert "KeyError" in by_id["broken"].summary and "server.port" in by_id["broken"].summary
    assert any("test_engine.py" in line for line in by_id["broken"].details)
    assert by_id["fine"].status == "pass"
    assert exit_code(results) == 3


def test_a_shared_fact_is_computed_once_for_all_checks_that_use_it(ctx):
    calls = []

    def compute(c: CheckContext) -> str:
        calls.append(threading.current_thread().name)
        time.sleep(0.2)
        return "parsed"

    def user(c: CheckContext) -> Outcome:
        return passed(c.fact("properties", compute))

    checks = [Check(f"user-{i}", "User", "host", user) for i in range(8)]
    results = run_checks(checks, ctx)
    assert len(calls) == 1
    assert {r.summary for r in results} == {"parsed"}


def test_a_fact_that_raises_makes_every_user_an_error_with_its_reason(ctx):
    def compute(c: CheckContext) -> str:
        raise OSError("disk on fire")

    def user(c: CheckContext) -> Outcome:
        return passed(c.fact("broken-fact", compute))

    results = run_checks([Check("a", "A", "host", user), Check("b", "B", "host", user)], ctx)
    assert [r.status for r in results] == ["error", "error"]
    assert all("disk on fire" in r.summary for r in results)
    with pytest.raises(FactError):
        ctx.fact("broken-fact", compute)


def test_commands_a_check_runs_are_its_evidence(ctx):
    def echo(c: CheckContext) -> Outcome:
        result = c.run(["echo", "hello"], timeout=5)
        return passed(result.stdout.strip())

    [result] = run_checks([Check("echo", "Echo", "host", echo)], ctx)
    assert result.summary == "hello"
    assert [e.argv for e in result.evidence] == [("echo", "hello")]
    assert result.evidence[0].stdout == "hello\n"


def test_cancel_stops_waiting_and_reports_the_rest_as_skipped(ctx):
    cancel = threading.Event()
    checks = [Check("slow", "Slow", "host", sleeper(5), timeout=10), Check("fast", "Fast", "host", sleeper(0))]
    begin = time.monotonic()
    results = []
    for result in iter_results(checks, ctx, cancel=cancel):
        results.append(result)
        cancel.set()
    assert time.monotonic() - begin < 1.0
    assert [(r.id, r.status) for r in results] == [("fast", "pass"), ("slow", "skip")]
    assert results[1].summary == "cancelled before it finished"


def test_the_registry_has_every_check_of_the_cli_contract_once():
    ids = [c.id for c in all_checks()]
    assert len(ids) == len(set(ids))
    assert set(ids) >= CONTRACT_IDS - {"log-errors"}


def test_every_check_the_catalog_names_exists(knowledge):
    knowledge.check_references([c.id for c in all_checks()], [])


def test_every_check_belongs_to_a_hop_of_knowledge(knowledge):
    hops = {h.id for h in knowledge.hops}
    for check in all_checks():
        assert check.hop in hops, check.id
        assert 0 < check.timeout <= 30, check.id


def test_only_and_skip_select_by_id_and_accept_comma_lists():
    assert [c.id for c in select(only=["java,openssl"])] == ["java", "openssl"]
    assert [c.id for c in select(only="memory")] == ["memory"]
    chosen = [c.id for c in select(skip=["java", "openssl,memory"])]
    assert "java" not in chosen and "memory" not in chosen and "systemd" in chosen


def test_an_unknown_id_is_a_clear_error_listing_the_valid_ones():
    with pytest.raises(UnknownCheckError) as caught:
        select(only=["scim-statsu"])
    message = str(caught.value)
    assert "'scim-statsu'" in message
    assert "scim-status" in message and "db-reachable" in message


def test_results_are_ordered_by_hop_then_registry_order(knowledge):
    def result(check_id: str, hop: str) -> CheckResult:
        return CheckResult(check_id, check_id, hop, "pass", "ok")

    mixed = [result("memory", "host"), result("jdbc-driver", "scim-db"), result("firewall", "okta-agent"),
             result("scim-status", "agent-scim"), result("db-target", "scim-db")]
    assert [r.id for r in ordered(mixed, knowledge)] == [
        "firewall", "scim-status", "db-target", "jdbc-driver", "memory"]
    hop_index = {h.id: i for i, h in enumerate(knowledge.hops)}
    positions = [hop_index[c.hop] for c in ordered(all_checks(), knowledge)]
    assert positions == sorted(positions)


def test_exit_code_is_the_worst_status():
    def results(*statuses: str) -> list[CheckResult]:
        return [CheckResult(str(i), "t", "host", s, "x") for i, s in enumerate(statuses)]

    assert exit_code(results("pass", "skip")) == 0
    assert exit_code(results("pass", "warn")) == 1
    assert exit_code(results("warn", "fail", "pass")) == 2
    assert exit_code(results("fail", "error")) == 3
    assert counts(results("pass", "pass", "skip")) == {"pass": 2, "warn": 0, "fail": 0, "error": 0, "skip": 1}


def test_a_skip_always_carries_its_reason():
    with pytest.raises(ValueError):
        skipped("")
    with pytest.raises(ValueError):
        Outcome("maybe", "unknown status")
    assert warned("w").status == "warn" and failed("f").status == "fail"
