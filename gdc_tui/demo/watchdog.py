"""The demo's last line of defence: a tiny process that outlives nothing. When the gdc-tui that
opened a demo dies without cleaning up (SIGKILL, os._exit, a crash in C), it stops the stand-ins
listed in the demo's manifest and removes the demo root, then exits.

It learns of its parent's death twice over: PR_SET_PDEATHSIG (SIGTERM) and a poll of its parent
pid. On a normal close the supervisor cleans up itself and kills this watchdog first.
Run: python -m gdc_tui.demo.watchdog --parent PID --manifest FILE
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import sys
import threading
import time
from pathlib import Path

from gdc_tui.demo.standins.common import set_parent_death_signal, set_process_name

POLL_S = 0.2


def start_ticks(pid: int) -> str | None:
    """The start time of `pid` in clock ticks (field 22 of /proc/PID/stat): tells a recycled pid."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()[19]


def alive(pid: int, ticks: str | None) -> bool:
    current = start_ticks(pid)
    if current is None or (ticks is not None and current != ticks):
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def cleanup(manifest: Path) -> None:
    """Stop what the manifest lists (only if each pid is still the process it names), then remove
    the root unless it is to be kept."""
    try:
        data = json.loads(manifest.read_text())
    except (OSError, ValueError):
        return
    processes = [(int(p["pid"]), p.get("ticks")) for p in data.get("processes", [])]
    for sig, wait in ((signal.SIGTERM, 3.0), (signal.SIGKILL, 1.0)):
        pending = [(pid, ticks) for pid, ticks in processes if alive(pid, ticks)]
        if not pending:
            break
        for pid, _ in pending:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, sig)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and any(alive(p, t) for p, t in pending):
            time.sleep(0.05)
    root = data.get("root")
    if root and not data.get("keep_root"):
        for _ in range(5):
            shutil.rmtree(root, ignore_errors=True)
            if not os.path.exists(root):
                break
            time.sleep(0.1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parent", type=int, required=True)
    parser.add_argument("--manifest", type=Path, required=True)
    args = parser.parse_args(argv)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C is for gdc-tui, which then cleans up
    signal.signal(signal.SIGHUP, lambda *_: stop.set())
    set_parent_death_signal(signal.SIGTERM)
    set_process_name("gdc-demo-watch")
    while not stop.is_set() and os.getppid() == args.parent:
        stop.wait(POLL_S)
    # A SIGTERM from someone else while gdc-tui lives is no reason to pull the demo from under it.
    deadline = time.monotonic() + 0.5
    while os.getppid() == args.parent and time.monotonic() < deadline:
        time.sleep(0.02)
    if os.getppid() != args.parent:
        cleanup(args.manifest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
