"""Following a log: open at the end at once, follow appends, survive rotation both ways, stay small."""

from __future__ import annotations

import os
import re
import shutil
import threading
import time
from pathlib import Path

from logdata import ORA_TRACE, T0, agent, at

from gdc_tui.logs.tail import LogFollower

NUMBER = re.compile(r"line (\d+)$")


def numbers(events) -> list[int]:
    out = []
    for event in events:
        for line in event.text.splitlines():
            match = NUMBER.search(line)
            if match:
                out.append(int(match.group(1)))
    return out


def poll_until(follower: LogFollower, done, timeout: float = 10.0) -> list:
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        seen.extend(follower.poll())
        if done(seen):
            return seen
        time.sleep(0.002)
    return seen


def test_opening_a_200_mb_file_at_the_end_reads_only_its_end(tmp_path):
    path = tmp_path / "agent.log"
    with open(path, "wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # a sparse start: reading it would take long and show NULs
        handle.seek(0, os.SEEK_END)
        handle.write(b"\n")
        handle.write("".join(agent(at(i), f"line {i}") + "\n" for i in range(1000)).encode())
    follower = LogFollower(path)
    started = time.perf_counter()
    events = follower.open_at_end(200)
    elapsed = time.perf_counter() - started
    assert numbers(events) == list(range(800, 1000))
    assert follower.fmt.name == "agent"
    assert follower.bytes_read < 512 * 1024
    assert elapsed < 0.5
    assert events[0].offset == path.stat().st_size - sum(len(agent(at(i), f"line {i}")) + 1 for i in range(800, 1000))


def test_the_first_event_shown_starts_at_its_header_even_inside_a_stack_trace(tmp_path):
    path = tmp_path / "agent.log"
    lines = [agent(T0, "line 0"), agent(T0, "pool failed", level="ERROR"), *ORA_TRACE * 40]
    path.write_text("\n".join(lines) + "\n")
    events = LogFollower(path).open_at_end(10)
    assert events[0].first_line == lines[1] and events[0].level == "ERROR"
    assert events[0].nlines == 1 + len(ORA_TRACE) * 40


def test_appended_lines_arrive_and_a_partial_line_waits_for_its_newline(tmp_path):
    path = tmp_path / "agent.log"
    path.write_text(agent(T0, "line 0") + "\n")
    follower = LogFollower(path, settle=0.0)
    assert numbers(follower.open_at_end()) == [0]
    with open(path, "a") as out:
        out.write(agent(at(1), "line 1") + "\n" + agent(at(2), "line"))
    assert numbers(follower.poll()) == [1]  # line 2 is still being written
    assert numbers(follower.poll()) == []
    with open(path, "a") as out:
        out.write(" 2\n")
    assert numbers(follower.poll()) == [2]
    assert [e.level for e in follower.events] == ["INFO", "INFO", "INFO"]


def test_a_stack_trace_written_after_its_header_joins_it_while_the_file_is_busy(tmp_path):
    path = tmp_path / "agent.log"
    path.write_text("")
    follower = LogFollower(path, settle=0.2)
    follower.open_at_end()
    with open(path, "a") as out:
        out.write(agent(T0, "pool failed", level="ERROR") + "\n")
    assert follower.poll() == []  # it may still get its trace
    with open(path, "a") as out:
        out.write("\n".join(ORA_TRACE) + "\n" + agent(at(1), "line 9") + "\n")
    (error,) = follower.poll()
    assert error.nlines == 1 + len(ORA_TRACE)
    time.sleep(0.25)
    assert numbers(follower.poll()) == [9]  # quiet for `settle`: the last event is done


class Writer(threading.Thread):
    """Appends numbered agent lines; rotate() runs under its lock, between two writes."""

    def __init__(self, path: Path, total: int, rotate_at: tuple[int, ...], how: str):
        super().__init__(daemon=True)
        self.path, self.total, self.rotate_at, self.how = path, total, set(rotate_at), how
        self.lock = threading.Lock()
        self.rotations = 0
        self.out = open(path, "ab")  # noqa: SIM115 - held across writes; O_APPEND, as logback writes

    def run(self) -> None:
        for i in range(self.total):
            with self.lock:
                if i in self.rotate_at:
                    self.rotate()
                self.out.write((agent(at(i), f"line {i}") + "\n").encode())
                self.out.flush()
            if i % 50 == 0:
                time.sleep(0.0005)
        self.out.close()

    def rotate(self) -> None:
        self.rotations += 1
        if self.how == "rename":
            # logback/log4j: close, rename away, open a new file at the old name.
            self.out.close()
            os.replace(self.path, self.path.with_name(f"{self.path.name}.{self.rotations}"))
            self.out = open(self.path, "ab")  # noqa: SIM115
        else:
            # logrotate copytruncate: copy the log, then empty it; the writer keeps its descriptor.
            shutil.copyfile(self.path, self.path.with_name(f"{self.path.name}.{self.rotations}"))
            os.truncate(self.path, 0)


def _follow_through_rotations(tmp_path: Path, how: str) -> LogFollower:
    path = tmp_path / "agent.log"
    path.write_text("")
    follower = LogFollower(path, keep=100_000, settle=0.0)
    follower.open_at_end()
    total = 6000
    writer = Writer(path, total, rotate_at=(1500, 3100, 4700), how=how)
    writer.start()
    seen = poll_until(follower, lambda s: len(numbers(s)) >= total, timeout=20)
    writer.join(10)
    assert numbers(seen) == list(range(total)), "every line exactly once, in order"
    assert writer.rotations == 3
    return follower


def test_rotation_by_rename_mid_stream_loses_and_repeats_nothing(tmp_path):
    follower = _follow_through_rotations(tmp_path, "rename")
    assert follower.rotations == 3


def test_copytruncate_mid_stream_loses_and_repeats_nothing(tmp_path):
    follower = _follow_through_rotations(tmp_path, "copytruncate")
    assert follower.truncations == 3


def test_a_file_rewritten_past_our_offset_is_read_again_from_its_start(tmp_path):
    path = tmp_path / "agent.log"
    path.write_text("".join(agent(at(i), f"line {i}") + "\n" for i in range(3)))
    follower = LogFollower(path, settle=0.0)
    follower.open_at_end()
    # Truncated and refilled beyond where we were before we looked again (no copy beside it).
    path.write_text("".join(agent(at(i), f"line {i}") + "\n" for i in range(100, 110)))
    assert numbers(follower.poll()) == list(range(100, 110))
    assert follower.truncations == 1


def test_a_log_that_disappears_and_comes_back_is_followed_again(tmp_path):
    path = tmp_path / "agent.log"
    path.write_text(agent(T0, "line 0") + "\n")
    follower = LogFollower(path, settle=0.0)
    follower.open_at_end()
    path.unlink()
    assert follower.poll() == []
    assert follower.status == "missing"
    path.write_text(agent(at(1), "line 1") + "\n" + agent(at(2), "line 2") + "\n")
    assert numbers(follower.poll()) == [1, 2]
    assert follower.status == "following" and follower.rotations == 1


def test_a_log_that_does_not_exist_yet_is_waited_for(tmp_path):
    path = tmp_path / "agent.log"
    follower = LogFollower(path, settle=0.0)
    assert follower.open_at_end() == [] and follower.status == "missing"
    assert "not found" in follower.problem
    path.write_text(agent(T0, "line 0") + "\n")
    assert numbers(follower.poll()) == [0]


def test_invalid_utf8_nul_bytes_and_a_10_mb_line_neither_crash_nor_stall(tmp_path):
    path = tmp_path / "service.err"
    path.write_bytes(b"start\n")
    follower = LogFollower(path, settle=0.0, fmt="plain")
    follower.open_at_end()
    events = []
    started = time.perf_counter()
    with open(path, "ab") as out:
        out.write(b"bad \xff\xfe utf-8 and a \x00 nul\n")
        for _ in range(10):  # a 10 MB line arriving in pieces
            out.write(b"y" * (1024 * 1024))
            out.flush()
            events.extend(follower.poll())
            assert len(follower._partial) <= follower.max_line  # never buffers the whole line
        out.write(b"\nafter\n")
    events.extend(poll_until(follower, lambda s: any(e.text == "after" for e in s)))
    assert time.perf_counter() - started < 3
    texts = [e.text for e in events]
    assert texts[0] == "bad \ufffd\ufffd utf-8 and a \u2400 nul"
    assert texts[1].startswith("y" * 100) and texts[1].endswith(f"… [{10 * 1024 * 1024 - 65536} bytes more]")
    assert texts[-1] == "after"
    # Opening at the end of it is bounded too.
    reopened = LogFollower(path, fmt="plain")
    started = time.perf_counter()
    tail = reopened.open_at_end(5)
    assert time.perf_counter() - started < 2
    assert tail[-1].text == "after" and "bytes more" in tail[-2].text


def test_memory_stays_bounded_to_the_last_n_events(tmp_path):
    path = tmp_path / "agent.log"
    path.write_text("")
    follower = LogFollower(path, keep=100, settle=0.0)
    follower.open_at_end()
    with open(path, "a") as out:
        out.write("".join(agent(at(i), f"line {i}") + "\n" for i in range(10_000)))
    got = poll_until(follower, lambda s: len(s) >= 10_000)
    assert len(got) == 10_000
    assert len(follower.events) == 100
    assert numbers(follower.events) == list(range(9900, 10_000))


def test_a_large_backlog_is_read_a_slice_per_poll(tmp_path):
    path = tmp_path / "agent.log"
    path.write_text("")
    follower = LogFollower(path, settle=0.0, max_read=256 * 1024)
    follower.open_at_end()
    with open(path, "a") as out:
        out.write("".join(agent(at(i), f"line {i}") + "\n" for i in range(20_000)))
    first = follower.poll()
    assert follower.behind and 0 < len(first) < 20_000


def _lines(start: int, stop: int) -> str:
    return "".join(agent(at(i), f"line {i}") + "\n" for i in range(start, stop))


def test_lines_still_unread_in_a_renamed_log_are_read_before_the_new_one(tmp_path):
    path = tmp_path / "agent.log"
    path.write_text(_lines(0, 10))
    follower = LogFollower(path, settle=0.0)
    follower.open_at_end()
    with open(path, "a") as out:
        out.write(_lines(10, 20))  # not polled yet ...
    os.replace(path, tmp_path / "agent.log.1")  # ... when the log is rotated
    path.write_text(_lines(20, 25))
    assert numbers(follower.poll()) == list(range(10, 25))


def test_lines_still_unread_when_copytruncate_empties_the_log_come_from_the_copy(tmp_path):
    path = tmp_path / "agent.log"
    path.write_text(_lines(0, 10))
    follower = LogFollower(path, settle=0.0)
    follower.open_at_end()
    with open(path, "a") as out:
        out.write(_lines(10, 20) + agent(at(20), "line"))  # unread, and a half-written line
    shutil.copyfile(path, tmp_path / "agent.log.1")
    os.truncate(path, 0)
    with open(path, "a") as out:
        out.write(_lines(21, 30))  # more than we had read: the size alone would not tell
    assert numbers(follower.poll()) == [*range(10, 20), *range(21, 30)]
    assert any(e.text.endswith("] - line") for e in follower.events)  # the half line, as it was
    assert follower.truncations == 1
