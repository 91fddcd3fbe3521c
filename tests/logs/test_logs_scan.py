"""Scanning the logs for known errors: what an admin reads in `gdc-tui scan`."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from helpers.privdrop import run_unprivileged
from logdata import (
    AGENT_DIR,
    DRIVER_TRACE,
    ORA_TRACE,
    SCIM_DIR,
    T0,
    FakeServices,
    agent,
    at,
    healthy_agent,
    make_host,
    spring,
    write,
)

from gdc_tui.logs import literals, scan
from gdc_tui.logs.discovery import discover, read_journal
from gdc_tui.logs.scan import Scanner, Target, parse_duration, scan_host, scan_paths
from gdc_tui.lookup import lookup


def ora_event(moment, *, level: str = "ERROR") -> list[str]:
    return [agent(moment, "Error while creating the connection pool", level=level), *ORA_TRACE]


def findings_by_id(result):
    return {f.entry.id: f for f in result.findings}


def test_a_known_error_is_counted_with_first_and_last_seen_and_an_example(tmp_path, knowledge):
    lines = healthy_agent(50) + ora_event(at(100)) + healthy_agent(30, 200) + ora_event(at(300)) + healthy_agent(5, 400)
    path = write(tmp_path / "agent.log", lines)
    result = scan_paths(knowledge, [Target("agent.log", path)])
    (finding,) = result.findings
    assert finding.entry.id == "oracle-invalid-credentials"
    assert finding.count == 2
    assert (finding.first_seen, finding.last_seen) == (at(100).replace(tzinfo=None), at(300).replace(tzinfo=None))
    assert finding.file == "agent.log"
    assert finding.line == 50 + len(ORA_TRACE) + 1 + 30 + 1  # the later one, by its header line
    assert finding.excerpt.splitlines() == [lines[finding.line - 1], ORA_TRACE[0]]
    assert result.files == ("agent.log",)
    doc = result.to_json()
    assert set(doc) == {"files", "findings"}
    assert set(doc["findings"][0]) == {"id", "guide", "title", "count", "first_seen", "last_seen", "file", "line", "excerpt"}
    assert doc["findings"][0]["guide"] == "A6" and doc["findings"][0]["last_seen"] == "2026-01-10T09:05:00.000"


def test_a_healthy_log_gives_no_findings_even_when_it_names_okta_com_and_the_proxy(tmp_path, knowledge):
    agent_log = write(tmp_path / "agent.log", healthy_agent(500))
    service_out = write(tmp_path / "Service.out", [
        "Starting OktaOnPremScimServer", "Properties:", "  server.port=1443",
        "  server.max-http-request-header-size=10KB", "  scim.security.bearer.token=<hidden>",
    ])
    application = write(tmp_path / "Application.log", [spring(at(i), f"Creating user: USER{i}") for i in range(200)])
    result = scan_paths(knowledge, [Target("agent.log", agent_log), Target("Service.out", service_out),
                                    Target("Application.log", application)])
    assert result.findings == ()
    assert len(result.files) == 3


def test_the_spring_log_has_no_levels_but_its_errors_are_found_with_their_stack_trace(tmp_path, knowledge):
    lines = [spring(at(i), f"Creating user: USER{i}") for i in range(20)]
    lines += [spring(at(30), "Failed to initialise the data source", cls="com.zaxxer.hikari.HikariConfig:484"), *DRIVER_TRACE]
    lines += [spring(at(40), "done")]
    path = write(tmp_path / "Application.log", lines)
    (finding,) = scan_paths(knowledge, [Target("Application.log", path, format="spring")]).findings
    assert (finding.entry.id, finding.count, finding.line) == ("jdbc-driver-not-loaded", 1, 21)
    assert "Failed to load driver class" in finding.excerpt


def test_rotated_and_compressed_copies_are_scanned_with_the_log(tmp_path, knowledge):
    root = tmp_path / "root"
    logs = root / AGENT_DIR.lstrip("/")
    write(logs / "agent.log", healthy_agent(10, 5000) + ora_event(at(6000)), mtime=at(6000))
    write(logs / "agent.log.1", healthy_agent(10, 3000) + ora_event(at(3500)), mtime=at(3500))
    logs.joinpath("agent.log.2.gz").write_bytes(gzip.compress(("\n".join(ora_event(at(1000)) * 2) + "\n").encode()))
    os.utime(logs / "agent.log.2.gz", (at(1000).timestamp(),) * 2)
    host = make_host(root)
    found = discover(host, knowledge)
    source = found.get("agent-log")
    assert [r.path.rsplit("/", 1)[1] for r in source.rotated] == ["agent.log.2.gz", "agent.log.1"]
    assert source.rotated[0].compressed == "gzip"
    result = scan_host(host, knowledge)
    finding = findings_by_id(result)["oracle-invalid-credentials"]
    assert finding.count == 4
    assert finding.first_seen == at(1000).replace(tzinfo=None)
    assert (finding.file, finding.line) == (f"{AGENT_DIR}/agent.log", 11)
    assert result.files[:3] == (f"{AGENT_DIR}/agent.log.2.gz", f"{AGENT_DIR}/agent.log.1", f"{AGENT_DIR}/agent.log")


def test_since_counts_only_the_recent_events_and_skips_older_files_unread(tmp_path, knowledge):
    root = tmp_path / "root"
    logs = root / AGENT_DIR.lstrip("/")
    write(logs / "agent.log", ora_event(at(0)) + ora_event(at(3000)) + ora_event(at(3500)), mtime=at(3500))
    write(logs / "agent.log.1", ["not even a log \x00", *ora_event(at(-9000))], mtime=at(-9000))
    host = make_host(root, now=at(3600))
    finding = findings_by_id(scan_host(host, knowledge, since=timedelta(hours=0.5)))["oracle-invalid-credentials"]
    assert finding.count == 2 and finding.first_seen == at(3000).replace(tzinfo=None)
    everything = findings_by_id(scan_host(host, knowledge))["oracle-invalid-credentials"]
    assert everything.count == 4


def test_since_in_a_big_file_starts_near_the_first_recent_event_and_keeps_line_numbers(tmp_path, knowledge, monkeypatch):
    monkeypatch.setattr(scan, "SINCE_BISECT_MIN", 1)
    lines = []
    for block in range(40):
        lines += healthy_agent(400, block * 1000) + ora_event(at(block * 1000 + 500))
    path = write(tmp_path / "agent.log", lines)
    since = at(35 * 1000)
    scanner = Scanner(knowledge, since=since, block_size=64 * 1024)
    scanner.scan_target(Target("agent.log", path))
    result = scanner.result()
    (finding,) = result.findings
    assert finding.count == 5
    assert lines[finding.line - 1] == ora_event(at(39 * 1000 + 500))[0]
    assert result.bytes_scanned < path.stat().st_size / 2


def test_an_event_is_never_cut_in_two_by_the_scanners_blocks(tmp_path, knowledge):
    lines = []
    for i in range(300):
        lines += healthy_agent(3, i * 10) + ora_event(at(i * 10 + 5))
    path = write(tmp_path / "agent.log", lines)
    scanner = Scanner(knowledge, block_size=4096)
    scanner.scan_target(Target("agent.log", path))
    (finding,) = scanner.result().findings
    assert finding.count == 300
    assert lines[finding.line - 1] == ora_event(at(2995))[0]


def test_discovery_matches_names_ignoring_case_and_lists_what_is_missing_and_what_else_is_there(tmp_path, knowledge):
    root = tmp_path / "root"
    scim = root / SCIM_DIR.lstrip("/")
    write(scim / "application.log", [spring(T0, "Started")])
    write(scim / "application.log.2026-01-09.0.gz", [])
    write(scim / "Service.out", ["Starting"])
    write(scim / "gc.log", [agent(T0, "not really gc")])
    write(scim / "gc.log.1", ["old"])
    services = FakeServices(journals={"OktaProvisioningAgent": "2026-01-10T09:00:00+0000 h java[1]: started\n"},
                            errors={"OktaOnPremScimServer": "needs root to see the unit's messages"})
    host = make_host(root, services=services)
    found = discover(host, knowledge)
    application = found.get("scim-application-log")
    assert application.path == f"{SCIM_DIR}/application.log" and application.readable and application.format == "spring"
    assert [r.path for r in application.rotated] == [f"{SCIM_DIR}/application.log.2026-01-09.0.gz"]
    err = found.get("scim-service-err")
    assert not err.readable and err.problem == "not found" and err.hint is None
    agent_log = found.get("agent-log")
    assert agent_log.problem == f"not found (no folder {AGENT_DIR})"
    extra = found.get("scim_server:gc.log")
    assert extra is not None and not extra.known and extra.format == "agent"
    assert [r.path for r in extra.rotated] == [f"{SCIM_DIR}/gc.log.1"]
    assert [j.id for j in found.journals] == ["journal:OktaProvisioningAgent", "journal:OktaOnPremScimServer"]
    events, problem = read_journal(host, "OktaProvisioningAgent")
    assert problem is None and [e.message for e in events] == ["started"]
    assert read_journal(host, "OktaOnPremScimServer") == ([], "needs root to see the unit's messages")
    result = scan_host(host, knowledge)
    assert "journal:OktaProvisioningAgent" in result.files
    assert {s.display: s.reason for s in result.skipped}[f"{SCIM_DIR}/Service.err"] == "not found"
    assert {s.display: s.reason for s in result.skipped}["journal:OktaOnPremScimServer"] == \
        "needs root to see the unit's messages"


def test_an_unreadable_log_is_listed_with_the_sudo_hint_and_not_scanned(tmp_path_factory, knowledge):
    base = Path(tmp_path_factory.mktemp("shared"))
    for folder in (base, *base.parents):  # pytest's own tmp folders are closed to others
        if folder in (Path("/tmp"), Path("/")):
            break
        folder.chmod(0o755)
    root = base / "root"
    logs = root / AGENT_DIR.lstrip("/")
    write(logs / "agent.log", ora_event(T0)).chmod(0o600 if os.geteuid() == 0 else 0)
    for folder in (root, *logs.relative_to(root).parents, logs.relative_to(root)):
        (root / folder).chmod(0o755)

    def look() -> tuple[str | None, str | None, list[tuple[str, str, str | None]], int]:
        host = make_host(root)
        source = discover(host, knowledge).get("agent-log")
        result = scan_host(host, knowledge)
        return source.problem, source.hint, [(s.display, s.reason, s.hint) for s in result.skipped], len(result.findings)

    problem, hint, skipped, findings = run_unprivileged(look)
    assert problem == "permission denied"
    assert "sudo gdc-tui scan" in hint
    assert (f"{AGENT_DIR}/agent.log", "permission denied", hint) in skipped
    assert findings == 0


def test_a_journal_error_is_found_too(tmp_path, knowledge):
    journal = "\n".join(f"2026-01-10T09:00:0{i}+0000 h java[7]: {line}" for i, line in enumerate(ORA_TRACE))
    host = make_host(tmp_path / "root", services=FakeServices(journals={"OktaOnPremScimServer": journal}))
    finding = findings_by_id(scan_host(host, knowledge))["oracle-invalid-credentials"]
    assert finding.file == "journal:OktaOnPremScimServer" and finding.count == 1


def test_every_catalog_example_passes_the_prefilter(knowledge):
    """The prefilter may only drop text that cannot match: each entry's own message, as lookup
    ranks it, must reach scoring — in a small text and in a big block alike."""
    prefilter = literals.build(knowledge.errors, sample=None)
    block = bytearray()
    for index, entry in enumerate(knowledge.errors):
        matches = lookup(knowledge, entry.message)
        if not matches or matches[0].entry.id != entry.id:
            continue
        text = entry.message.lower().encode()
        assert index in prefilter.entries_in(text), entry.id
        block += b"x" * 100 + b"\n" + text + b"\n"
        start = len(block) - len(text) - 1
        assert any(index in entries and start <= pos < start + len(text)
                   for pos, entries in prefilter.hits(bytes(block))), entry.id


def test_regex_signatures_give_their_literal_alternatives():
    cost = literals.frequency(None)
    options = literals._seq_options(literals._sp.parse(r"(?:ClassNotFoundException|NoClassDefFoundError):? (?:a\.b|c\.d)"), cost)
    assert frozenset({"classnotfoundexception", "noclassdeffounderror"}) in options
    assert literals.tokens('set to "true" and "trustServerCertificate"') == ["set", "to", "true", "and", "trustservercertificate"]


@pytest.mark.parametrize(("text", "seconds"), [("30m", 1800), ("2h", 7200), ("7d", 604800), ("1h30m", 5400), ("45s", 45)])
def test_durations(text, seconds):
    assert parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["", "2x", "-1h", "0m", "h"])
def test_bad_durations(text):
    with pytest.raises(ValueError):
        parse_duration(text)


def _cli(*args: str):
    return subprocess.run([sys.executable, "-m", "gdc_tui", "scan", *args], capture_output=True, text=True, timeout=60)


def test_the_scan_command_reports_json_and_exits_1_when_it_finds_something(tmp_path):
    bad = write(tmp_path / "agent.log", healthy_agent(5) + ora_event(at(10)))
    good = write(tmp_path / "ok.log", healthy_agent(5))
    run = _cli("--json", str(bad), str(good))
    assert run.returncode == 1, run.stderr
    doc = json.loads(run.stdout)
    assert doc["files"] == [str(bad), str(good)]
    assert [(f["id"], f["count"], f["file"], f["line"]) for f in doc["findings"]] == [
        ("oracle-invalid-credentials", 1, str(bad), 6)]
    healthy = _cli("--json", str(good))
    assert healthy.returncode == 0 and json.loads(healthy.stdout) == {"files": [str(good)], "findings": []}
    people = _cli(str(bad))
    assert people.returncode == 1 and "oracle-invalid-credentials" in people.stdout and "A6" in people.stdout


def test_the_scan_command_refuses_bad_input_with_64(tmp_path):
    missing = _cli("--json", str(tmp_path / "nope.log"))
    assert missing.returncode == 64 and "no such file" in missing.stderr and missing.stdout == ""
    bad_since = _cli("--since", "soon", str(write(tmp_path / "a.log", ["x"])))
    assert bad_since.returncode == 64 and "--since" in bad_since.stderr


def test_the_pane_marks_known_errors_event_by_event(knowledge):
    from gdc_tui.logs import EventMatcher, parse_text

    matcher = EventMatcher(knowledge)
    events = parse_text("\n".join(healthy_agent(4) + ora_event(at(9))), "agent")
    assert [matcher.match(e).entry.id if matcher.match(e) else None for e in events] == [
        None, None, None, None, "oracle-invalid-credentials"]
    (spring_event,) = parse_text("\n".join([spring(T0, "Failed to initialise the data source"), *DRIVER_TRACE]), "spring")
    assert matcher.match(spring_event).entry.id == "jdbc-driver-not-loaded"


def test_a_discovered_log_opens_a_follower_and_a_journal_is_followed_by_its_new_lines(tmp_path, knowledge):
    from gdc_tui.logs import JournalFollower

    root = tmp_path / "root"
    write(root / AGENT_DIR.lstrip("/") / "agent.log", healthy_agent(3))
    services = FakeServices(journals={"OktaProvisioningAgent": "2026-01-10T09:00:00+0000 h java[1]: one\n"})
    host = make_host(root, services=services)
    source = discover(host, knowledge).get("agent-log")
    with source.follower(keep=10) as follower:
        assert [e.level for e in follower.open_at_end(2)] == ["INFO", "INFO"]
        assert follower.fmt.name == "agent"
    journal = JournalFollower(host, "OktaProvisioningAgent")
    assert [e.message for e in journal.open_at_end()] == ["one"]
    assert journal.poll() == []
    services.journals["OktaProvisioningAgent"] += "2026-01-10T09:00:01+0000 h java[1]: two\n"
    assert [e.message for e in journal.poll()] == ["two"]
    services.errors["OktaProvisioningAgent"] = "journalctl: not found"
    assert journal.poll() == [] and journal.problem == "journalctl: not found"
    # only the first read goes into the session transcript, not the polls that repeat it
    assert services.recorded == [True, False, False, False]
