"""No orphans, ever: however the process that opened a demo ends, no stand-in survives it and the
demo's root is removed. Each way is tried for real, in a child Python that opens a demo."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from demo_helpers import alive, live_processes, wait_until

REPO = Path(__file__).resolve().parents[2]
OPENER = textwrap.dedent("""
    import os, sys
    from gdc_tui.knowledge import load_knowledge
    from gdc_tui.demo import open_demo

    how = sys.argv[1]
    with open_demo("healthy", knowledge=load_knowledge()) as host:
        print(host.root, flush=True)
        sys.stdin.readline()  # the test collects the demo's pids, then says go (or sends a signal)
        if how == "crash":
            raise RuntimeError("a bug in gdc-tui")
        if how == "os-exit":
            try:
                raise RuntimeError("a bug in gdc-tui")
            except RuntimeError:
                os._exit(70)  # no finally, no atexit, no signal handler runs
    print("closed", flush=True)
""")


def open_in_child(how: str) -> tuple[subprocess.Popen[str], Path, list[int]]:
    child = subprocess.Popen(
        [sys.executable, "-c", OPENER, how],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    assert child.stdout is not None
    line = child.stdout.readline().strip()
    assert line, child.stderr.read() if child.stderr else ""
    root = Path(line)
    assert root.is_dir()
    # The stand-ins and the watchdog all name the root on their command lines.
    assert wait_until(lambda: len(live_processes(str(root))) >= 5, 5.0), live_processes(str(root))
    pids = [p.pid for p in live_processes(str(root))]
    return child, root, pids


def assert_nothing_left(root: Path, pids: list[int]) -> None:
    assert wait_until(lambda: not any(alive(pid) for pid in pids), 10.0), [p for p in pids if alive(p)]
    assert wait_until(lambda: not live_processes(str(root)), 5.0)
    assert wait_until(lambda: not root.exists(), 5.0), f"{root} is still there"


def finish(child: subprocess.Popen[str]) -> int:
    try:
        return child.wait(15)
    finally:
        for stream in (child.stdin, child.stdout, child.stderr):
            if stream:
                stream.close()


def test_normal_exit_leaves_nothing() -> None:
    child, root, pids = open_in_child("normal")
    assert child.stdin is not None
    child.stdin.write("go\n")
    child.stdin.flush()
    assert finish(child) == 0
    assert_nothing_left(root, pids)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name)
def test_a_signal_leaves_nothing(sig: signal.Signals) -> None:
    child, root, pids = open_in_child("wait")
    child.send_signal(sig)
    code = finish(child)
    assert code in (1, -sig, 128 + sig), code  # KeyboardInterrupt exits 1; the others die of the signal
    assert_nothing_left(root, pids)


def test_an_exception_leaves_nothing() -> None:
    child, root, pids = open_in_child("crash")
    assert child.stdin is not None
    child.stdin.write("go\n")
    child.stdin.flush()
    assert finish(child) == 1
    assert_nothing_left(root, pids)


@pytest.mark.parametrize("how", ["os-exit", "sigkill"])
def test_dying_without_any_cleanup_leaves_nothing(how: str) -> None:
    # Nothing in the process runs: the stand-ins' parent-death signal and the watchdog do the work.
    child, root, pids = open_in_child(how)
    if how == "sigkill":
        child.kill()
    else:
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()
    assert finish(child) in (70, -signal.SIGKILL)
    assert_nothing_left(root, pids)
