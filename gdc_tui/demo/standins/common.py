"""What every stand-in process shares: dying with its parent, a stop signal, the ready file, log
writers for the connector's formats, the unit's journal, and the demo host's /etc/hosts.

A stand-in never outlives the gdc-tui that started it: the kernel sends it SIGTERM when its parent
dies (PR_SET_PDEATHSIG, set here as well as before exec), and a watcher thread also notices when
its parent pid changes (re-parenting to init), in case the signal was lost.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import signal
import socket
import socketserver
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path

from gdc_tui.demo.context import DemoContext
from gdc_tui.demo.logformat import Event, Pattern, agent_lines, spring_lines

PR_SET_NAME = 15
PR_SET_PDEATHSIG = 1
PARENT_POLL_S = 0.25


def set_parent_death_signal(sig: int = signal.SIGTERM) -> bool:
    """Ask Linux to send `sig` to this process when its parent dies. False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def set_process_name(name: str) -> None:
    """The short name `ps` and psutil show (the real services show up as `java`)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_NAME, ctypes.c_char_p(name.encode()[:15]), 0, 0, 0)
    except (OSError, AttributeError):
        pass


def base_arguments(description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--context", type=Path, required=True, help="the demo's context.json")
    parser.add_argument("--parent", type=int, default=0, help="exit when this process is gone")
    parser.add_argument(
        "--started-at", default=None, help="adopt this start time (ISO): the logs already tell the start-up"
    )
    parser.add_argument("--log-pid", type=int, default=0, help="the pid the logs print (0: the real one)")
    return parser


class Life:
    """A stand-in's life: started, ready, told to stop (SIGTERM/SIGINT) or orphaned."""

    def __init__(self, name: str, ctx: DemoContext, parent: int = 0, *, process_name: str = "java"):
        self.name = name
        self.ctx = ctx
        self.stop = threading.Event()
        self.orphaned = False
        self.parent = parent or os.getppid()
        set_parent_death_signal(signal.SIGTERM)
        if os.getppid() != self.parent:  # the parent died before the signal was armed
            os._exit(0)
        set_process_name(process_name)
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, self._on_signal)
        threading.Thread(target=self._watch_parent, name="parent-watch", daemon=True).start()

    def _on_signal(self, signum: int, frame: object) -> None:
        if not self.stop.is_set() and os.getppid() != self.parent:
            self.orphaned = True
        self.stop.set()

    def _watch_parent(self) -> None:
        while not self.stop.wait(PARENT_POLL_S):
            if os.getppid() != self.parent:
                self.orphaned = True
                self.stop.set()

    def ready(self) -> None:
        """Tell the supervisor this stand-in serves: a file holding its pid, written atomically."""
        path = self.ctx.ready_file(self.name)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(str(os.getpid()))
        os.replace(tmp, path)

    def wait(self) -> None:
        while not self.stop.wait(0.5):
            pass

    def serve(self, server: socketserver.BaseServer, on_stop: Callable[[], None] | None = None) -> None:
        """Serve `server` from a thread until told to stop, then close it (`on_stop` runs after
        the server has closed and before the ready file goes)."""
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        self.ready()
        self.wait()
        server.shutdown()
        server.server_close()
        if on_stop is not None:
            on_stop()
        self.clear_ready()

    def clear_ready(self) -> None:
        try:
            if self.ctx.ready_file(self.name).read_text() == str(os.getpid()):
                self.ctx.ready_file(self.name).unlink()
        except OSError:
            pass


class Clock:
    """The stand-ins' clock: real time, or the frozen demo's fixed instant."""

    def __init__(self, ctx: DemoContext):
        self.frozen_at = datetime.fromisoformat(ctx.frozen_at) if ctx.frozen_at else None

    def now(self) -> datetime:
        return self.frozen_at if self.frozen_at is not None else datetime.now(timezone.utc)


class LogWriter:
    """Appends events to one log file in one of the connector's formats, a whole event (with its
    stack trace) per write so that lines of two threads never interleave."""

    def __init__(
        self, path: Path, kind: str, *, pid: int, pattern: Pattern | None = None, frozen_at: datetime | None = None
    ):
        if kind not in ("agent", "spring"):
            raise ValueError(kind)
        self.path = path
        self.kind = kind
        self.pid = pid
        self.pattern = pattern
        self.frozen_at = frozen_at
        self._lock = threading.Lock()

    def render(self, events: Iterable[Event], when: datetime) -> str:
        lines: list[str] = []
        for event in events:
            stamp = when + timedelta(milliseconds=event.at_ms)
            if self.kind == "agent":
                lines += agent_lines(event, stamp)
            else:
                assert self.pattern is not None
                lines += spring_lines(event, stamp, self.pid, self.pattern)
        return "".join(line + "\n" for line in lines)

    def write(self, events: Sequence[Event], when: datetime) -> None:
        if not events:
            return
        data = self.render(events, when).encode("utf-8")
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, data)
            finally:
                os.close(fd)
            if self.frozen_at is not None:
                stamp = self.frozen_at.timestamp()
                os.utime(self.path, (stamp, stamp))


def journal_line(when: datetime, host: str, ident: str, pid: int, message: str) -> str:
    """One line as `journalctl -o short-iso` prints it."""
    stamp = when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    return f"{stamp} {host} {ident}[{pid}]: {message}\n"


def journal(ctx: DemoContext, unit: str, pid: int, message: str, when: datetime) -> None:
    path = ctx.journal_file(unit)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(journal_line(when, ctx.short_name, unit, pid, message))


def hosts_entries(ctx: DemoContext) -> dict[str, str]:
    """Name -> address from the demo host's own /etc/hosts (read each time: it may be edited)."""
    entries: dict[str, str] = {}
    try:
        text = ctx.real(ctx.paths["hosts_file"]).read_text(errors="replace")
    except OSError:
        return entries
    for line in text.splitlines():
        fields = line.split("#", 1)[0].split()
        for name in fields[1:]:
            entries.setdefault(name.lower(), fields[0])
    return entries


def resolve(ctx: DemoContext, name: str) -> str:
    """The address of `name` as the demo host resolves it: its /etc/hosts, then the real DNS."""
    address = hosts_entries(ctx).get(name.lower())
    if address:
        return address
    return socket.gethostbyname(name)


def read_json(path: Path) -> dict:
    return json.loads(path.read_text())


def parse_keyvalue(text: str) -> dict[str, str]:
    """`key = value` lines (the agent's config) and `KEY=value` shell lines, comments skipped."""
    values: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def parse_data_size(text: str, default: int) -> int:
    """Spring's DataSize: `10KB` -> 10240, `8192` -> bytes, `1MB`..."""
    value = text.strip().upper()
    if not value:
        return default
    units = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}
    for unit in ("KB", "MB", "GB", "B"):
        if value.endswith(unit):
            number = value[: -len(unit)].strip()
            try:
                return int(float(number) * units[unit])
            except ValueError:
                return default
    try:
        return int(value)
    except ValueError:
        return default
