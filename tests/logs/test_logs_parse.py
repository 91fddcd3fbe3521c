"""Reading the connector's log formats: fields, levels, and stack traces as one event."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from logdata import DRIVER_TRACE, ORA_TRACE, T0, agent, spring

from gdc_tui.logs import formats
from gdc_tui.logs.parse import clean_line, parse_bytes, parse_text


def test_an_agent_line_gives_its_time_thread_class_context_level_and_message():
    line = "[ 2026-01-10 09:12:33.456 ] [ main ] [OppAgentConfigLoader] [  ] [INFO] - Register Mode successfully finished"
    (event,) = parse_text(line, "agent")
    assert event.timestamp == datetime(2026, 1, 10, 9, 12, 33, 456000)
    assert (event.thread, event.source, event.context, event.level) == ("main", "OppAgentConfigLoader", None, "INFO")
    assert event.message == "Register Mode successfully finished"
    assert not event.level_derived and event.line == 1


def test_an_agent_stack_trace_is_one_error_event_with_its_header():
    lines = [agent(T0, "first"), agent(T0, "Error while creating the pool", level="ERROR", context="action=act_1"),
             *ORA_TRACE, agent(T0, "after", level="WARN")]
    events = parse_text("\n".join(lines), "agent")
    assert [e.level for e in events] == ["INFO", "ERROR", "WARN"]
    error = events[1]
    assert error.nlines == 1 + len(ORA_TRACE) and error.line == 2
    assert error.context == "action=act_1"
    assert error.text.splitlines()[1:] == ORA_TRACE
    assert error.is_error and events[2].is_problem and not events[0].is_problem


def test_a_spring_line_has_no_level_so_it_is_info_unless_it_holds_an_exception():
    line = spring(T0, "Creating user: {userName=jdoe}")
    trace = "\n".join([spring(T0, "Error while creating the connection pool", cls="com.zaxxer.hikari.pool.HikariPool:421"),
                       *ORA_TRACE])
    plain, failed = parse_text(line + "\n" + trace, "spring")
    assert plain.timestamp == datetime(2026, 1, 10, 9, 0, tzinfo=timezone.utc)
    assert (plain.thread, plain.source) == ("https-jsse-nio-1443-exec-1", "c.o.s.s.controller.UserController")
    assert (plain.level, plain.level_derived) == ("INFO", True)
    assert plain.message == "Creating user: {userName=jdoe}"
    assert (failed.level, failed.level_derived, failed.nlines) == ("ERROR", True, 1 + len(ORA_TRACE))
    assert failed.source == "com.zaxxer.hikari.pool.HikariPool"


def test_a_spring_pattern_with_a_level_added_is_read_with_it():
    (event,) = parse_text("2026-02-17T11:54:32.123+00:00 WARN [pid:42] [main] c.o.s.Foo:12 - slow query", "spring")
    assert (event.level, event.level_derived, event.message) == ("WARN", False, "slow query")


def test_suppressed_and_nested_frames_stay_in_the_event():
    events = parse_text("\n".join([spring(T0, "boom"), *DRIVER_TRACE, spring(T0, "next")]), "spring")
    assert [e.nlines for e in events] == [1 + len(DRIVER_TRACE), 1]


def test_plain_text_groups_a_java_exception_with_its_frames_and_caused_by():
    text = "\n".join([
        "Starting OktaOnPremScimServer",
        'Exception in thread "main" java.lang.IllegalStateException: Failed to execute CommandLineRunner',
        "\tat org.springframework.boot.SpringApplication.callRunner(SpringApplication.java:771)",
        "Caused by: java.io.FileNotFoundException: /opt/OktaOnPremScimServer/userplugin/test.jar",
        "\t... 5 more",
        "",
        "Stopped",
    ])
    events = parse_text(text, "plain")
    assert [e.nlines for e in events] == [1, 5, 1]
    assert events[1].level == "ERROR" and events[0].level == "INFO"


def test_journal_lines_in_both_journalctl_formats():
    text = "\n".join([
        "2026-01-10T09:12:33+0000 host java[4242]: Exception in thread \"main\" java.lang.Error: x",
        "2026-01-10T09:12:33+0000 host java[4242]: \tat a.B.c(B.java:1)",
        "Jan 10 09:12:34 host systemd[1]: Started OktaProvisioningAgent.",
    ])
    first, second = parse_text(text, "journal", year=2026)
    assert first.nlines == 2 and first.source == "java" and first.level == "ERROR"
    assert first.timestamp == datetime(2026, 1, 10, 9, 12, 33, tzinfo=timezone.utc)
    assert second.timestamp == datetime(2026, 1, 10, 9, 12, 34) and second.source == "systemd"


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-01-10 09:12:33.456", datetime(2026, 1, 10, 9, 12, 33, 456000)),
    ("2026-01-10T09:12:33,456Z", datetime(2026, 1, 10, 9, 12, 33, 456000, tzinfo=timezone.utc)),
    ("2026-01-10T09:12:33+0100", datetime(2026, 1, 10, 9, 12, 33, tzinfo=timezone(timedelta(hours=1)))),
    ("2026-01-10T09:12:33.123456789+00:00", datetime(2026, 1, 10, 9, 12, 33, 123456, tzinfo=timezone.utc)),
    ("not a time", None),
])
def test_timestamps_as_the_logs_write_them(text, expected):
    assert formats.parse_timestamp(text) == expected


def test_sniffing_tells_the_formats_apart():
    assert formats.sniff([agent(T0, "x"), *ORA_TRACE]).name == "agent"
    assert formats.sniff([spring(T0, "x")] * 3).name == "spring"
    assert formats.sniff(["hello", "world"]).name == "plain"
    # A declared format that fits no line gives way to what the lines are.
    assert formats.confirm(formats.get("spring"), [agent(T0, "x")]).name == "agent"


def test_invalid_utf8_nul_and_escape_bytes_stay_visible():
    text = clean_line(b"bad \xff\xfe byte, nul \x00 here, esc \x1b[31m red\r")
    assert text == "bad \ufffd\ufffd byte, nul \u2400 here, esc \u241b[31m red"


def test_a_10_mb_line_is_cut_at_64_kb_and_says_how_much_is_missing():
    raw = b"x" * (10 * 1024 * 1024)
    text = clean_line(raw)
    assert text.startswith("x" * 1000) and text.endswith(f"… [{len(raw) - 65536} bytes more]")
    assert len(text) < 65536 + 40
    (event,) = parse_bytes(raw + b"\n", "plain")
    assert "bytes more" in event.text
