"""The command runner: argv only, explicit environment, a timeout on every call, results not crashes."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import psutil
import pytest

from gdc_tui.host.clock import FrozenClock
from gdc_tui.host.commands import CommandRunner


def test_a_command_returns_its_exit_code_and_output():
    runner = CommandRunner()
    result = runner.run(["sh", "-c", "echo out; echo err >&2; exit 3"])
    assert (result.exit_code, result.stdout, result.stderr) == (3, "out\n", "err\n")
    assert result.error is None and not result.ok
    assert result.argv == ("sh", "-c", "echo out; echo err >&2; exit 3")
    assert 0 <= result.duration_s < 5
    assert runner.run(["true"]).ok


def test_arguments_are_never_read_by_a_shell():
    result = CommandRunner().run(["printf", "%s\\n", "$(touch /tmp/gdc-pwned); `id` | ls > x"])
    assert result.stdout == "$(touch /tmp/gdc-pwned); `id` | ls > x\n"
    assert not Path("/tmp/gdc-pwned").exists()


def test_a_missing_program_is_a_result():
    runner = CommandRunner()
    result = runner.run(["no-such-program-gdc", "--version"])
    assert result.not_found and result.exit_code is None
    assert result.error == "command not found: no-such-program-gdc"
    absolute = runner.run(["/opt/OktaOnPremScimServer/bin/Get-OktaOnPremScimServer-Credentials.sh"])
    assert absolute.not_found and not absolute.ok


def test_a_program_that_cannot_run_is_a_result(tmp_path: Path):
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    assert "permission denied" in CommandRunner().run([str(text)]).error
    garbage = tmp_path / "broken"
    garbage.write_bytes(b"\x7fELF not really")
    garbage.chmod(0o755)
    result = CommandRunner().run([str(garbage)])
    assert result.exit_code is None and "Exec format error" in result.error


def test_a_hung_command_is_killed_at_its_timeout():
    begin = time.monotonic()
    result = CommandRunner().run(["sleep", "5"], timeout=0.5)
    elapsed = time.monotonic() - begin
    assert result.timed_out and result.exit_code is None
    assert result.error == "timed out after 0.5s"
    assert elapsed < 1.5


def test_a_timeout_leaves_no_child_behind(tmp_path: Path):
    marker = f"gdc-tui-orphan-test-{time.time_ns()}"
    script = tmp_path / "slow.sh"
    # The grandchild shell carries the marker in its command line (as $0) while it waits.
    script.write_text(f"#!/bin/sh\necho started\nsh -c 'sleep 30; true' {marker}\n")
    script.chmod(0o755)
    result = CommandRunner().run([str(script)], timeout=0.5)
    assert result.timed_out and result.stdout == "started\n"
    deadline = time.monotonic() + 2
    while True:
        left = [p.pid for p in psutil.process_iter(["cmdline", "status"])
                if marker in " ".join(p.info["cmdline"] or ())
                and p.info["status"] != psutil.STATUS_ZOMBIE]
        if not left or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert left == []


def test_the_environment_is_explicit(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("GDC_TUI_LEAK_CHECK", "leaked")
    result = CommandRunner().run(["env"], env={"CUSTOMER_ID": "00oevo9zds7GtFLqw1d7"})
    seen = dict(line.split("=", 1) for line in result.stdout.splitlines())
    assert seen["CUSTOMER_ID"] == "00oevo9zds7GtFLqw1d7"
    assert seen["LANG"] == "C" and "PATH" in seen
    assert "GDC_TUI_LEAK_CHECK" not in seen
    custom = CommandRunner(base_env={"PATH": "/bin:/usr/bin", "TZ": "UTC"}).run(["env"])
    assert "TZ=UTC" in custom.stdout.splitlines()


def test_stdin_is_given_or_empty():
    runner = CommandRunner()
    assert runner.run(["cat"], stdin="yes\n").stdout == "yes\n"
    # A program that reads a prompt's answer gets end-of-file at once, not a hang.
    begin = time.monotonic()
    assert runner.run(["cat"], timeout=5).stdout == ""
    assert time.monotonic() - begin < 2


def test_invalid_utf8_output_is_replaced_not_raised():
    result = CommandRunner().run(["printf", "caf\\351\\n"])
    assert result.stdout == "caf\ufffd\n"


def test_a_program_killed_by_a_signal_says_so():
    result = CommandRunner().run(["sh", "-c", "kill -TERM $$"])
    assert result.exit_code == -15 and result.error == "killed by signal SIGTERM"


def test_every_run_is_in_the_transcript_even_from_threads():
    clock = FrozenClock(datetime(2026, 2, 10, 8, 0, tzinfo=timezone.utc))
    runner = CommandRunner(clock=clock)
    threads = [threading.Thread(target=runner.run, args=(["echo", str(i)],)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    runner.run(["no-such-program-gdc"])
    transcript = runner.transcript
    assert len(transcript) == 9
    assert sorted(r.stdout for r in transcript[:8]) == sorted(f"{i}\n" for i in range(8))
    assert all(r.started == clock.now() for r in transcript)
    assert transcript[-1].not_found
    transcript.clear()  # a copy: the runner's record is untouched
    assert len(runner.transcript) == 9


def test_command_line_quotes_like_a_shell():
    result = CommandRunner().run(["echo", "a b", "c"])
    assert result.command_line == "echo 'a b' c"


def test_a_run_with_record_false_stays_out_of_the_transcript():
    # The log pane polls journalctl every few seconds: the first read is recorded, the polls not.
    from gdc_tui.host.commands import CommandRunner

    runner = CommandRunner()
    runner.run(["true"])
    runner.run(["true"], record=False)
    assert [r.argv for r in runner.transcript] == [("true",)]
