"""Starts, watches and stops the demo's stand-in processes, and makes sure none outlives gdc-tui.

The layers, from the first to the last resort:
1. `Supervisor.close()` (the end of `open_demo`'s with-block, also on exceptions);
2. an `atexit` hook and SIGTERM/SIGINT/SIGHUP handlers that close every open demo and then let the
   signal do what it would have done (the previous handler, else exit 128 + signal);
3. each stand-in arms PR_SET_PDEATHSIG(SIGTERM) at start and watches its parent pid;
4. a watchdog process that, when gdc-tui dies without cleaning up (SIGKILL, os._exit), stops the
   stand-ins named in the demo's manifest and removes the demo root.

PR_SET_PDEATHSIG fires when the *thread* that forked a child ends, so every child is started from
one long-lived spawner thread: a restart asked for from a short-lived worker thread (the UI runs
actions off its main thread) must not kill the process it just started.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from gdc_tui.demo.watchdog import start_ticks

READY_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class Spec:
    """How to start one stand-in."""

    name: str  # "scim_server", "agent", "database", "okta"
    module: str  # gdc_tui.demo.standins.<x>
    args: tuple[str, ...] = ()
    stdout: Path | None = None  # appended to (the unit's Service.out, or its journal)
    stderr: Path | None = None


@dataclass
class Child:
    spec: Spec
    process: subprocess.Popen[bytes]
    started: datetime  # when its unit started, as systemd would say (may be adopted from history)
    ticks: str | None
    stopped_by_us: bool = False


class _Spawner:
    """One long-lived thread that forks every child (see the module docstring)."""

    def __init__(self) -> None:
        self._jobs: queue.Queue[tuple[Callable[[], Any], Future[Any]] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="gdc-demo-spawner", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            work, future = job
            try:
                future.set_result(work())
            except BaseException as exc:
                future.set_exception(exc)

    def call(self, work: Callable[[], Any]) -> Any:
        if threading.current_thread() is self._thread:
            return work()
        future: Future[Any] = Future()
        self._jobs.put((work, future))
        return future.result()

    def close(self) -> None:
        self._jobs.put(None)


class StartError(Exception):
    """A stand-in did not come up; the message says why (its exit code and last stderr line)."""


@dataclass
class Supervisor:
    root: Path
    state: Path  # the demo's own folder under the root
    context_file: Path
    keep_root: bool = False
    children: dict[str, Child] = field(default_factory=dict)
    closed: bool = False

    def __post_init__(self) -> None:
        self._lock = threading.RLock()
        self._done = False
        self._spawner = _Spawner()
        self._watchdog: subprocess.Popen[bytes] | None = None
        self._manifest = self.state / "run" / "manifest.json"
        self._manifest.parent.mkdir(parents=True, exist_ok=True)
        _register(self)
        self._write_manifest()
        self._watchdog = self._spawner.call(
            lambda: subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gdc_tui.demo.watchdog",
                    "--parent",
                    str(os.getpid()),
                    "--manifest",
                    str(self._manifest),
                ],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
                close_fds=True,
                env=_child_env(),
            )
        )

    # --- starting --------------------------------------------------------------------------------

    def spawn(self, spec: Spec, started: datetime) -> Child:
        """Start `spec` (without waiting for it to be ready)."""
        with self._lock:
            if self.closed:
                raise StartError("the demo host is closed")
            old = self.children.get(spec.name)
            if old is not None and old.process.poll() is None:
                raise StartError(f"{spec.name} is already running (pid {old.process.pid})")
            self.ready_file(spec.name).unlink(missing_ok=True)
            argv = [
                sys.executable,
                "-m",
                spec.module,
                "--context",
                str(self.context_file),
                "--parent",
                str(os.getpid()),
                *spec.args,
            ]

            def work() -> subprocess.Popen[bytes]:
                # Handed to the child, then closed here (finally): no with-block can span the Popen.
                out = open(spec.stdout, "ab") if spec.stdout else subprocess.DEVNULL  # noqa: SIM115
                err = open(spec.stderr, "ab") if spec.stderr else subprocess.DEVNULL  # noqa: SIM115
                try:
                    return subprocess.Popen(
                        argv,
                        stdin=subprocess.DEVNULL,
                        stdout=out,
                        stderr=err,
                        start_new_session=True,
                        close_fds=True,
                        cwd=str(self.root),
                        env=_child_env(),
                    )
                finally:
                    for handle in (out, err):
                        if not isinstance(handle, int):
                            handle.close()

            process = self._spawner.call(work)
            child = Child(spec, process, started, start_ticks(process.pid))
            self.children[spec.name] = child
            self._write_manifest()
            return child

    def ready_file(self, name: str) -> Path:
        return self.state / "run" / f"{name}.ready"

    def wait_ready(self, names: list[str], timeout: float = READY_TIMEOUT_S) -> None:
        """Wait until each named child says it serves; StartError when one exits or is too slow."""
        deadline = time.monotonic() + timeout
        pending = list(names)
        while pending:
            for name in list(pending):
                child = self.children[name]
                try:
                    if self.ready_file(name).read_text() == str(child.process.pid):
                        pending.remove(name)
                        continue
                except OSError:
                    pass
                code = child.process.poll()
                if code is not None:
                    raise StartError(f"{name} exited with status {code} while starting" + _last_line(child.spec.stderr))
            if pending and time.monotonic() > deadline:
                raise StartError(f"{', '.join(pending)} did not start within {timeout:g}s")
            if pending:
                time.sleep(0.01)

    def start(self, spec: Spec, started: datetime, timeout: float = READY_TIMEOUT_S) -> Child:
        child = self.spawn(spec, started)
        self.wait_ready([spec.name], timeout)
        return child

    # --- asking ----------------------------------------------------------------------------------

    def child(self, name: str) -> Child | None:
        return self.children.get(name)

    def running(self, name: str) -> bool:
        child = self.children.get(name)
        return child is not None and child.process.poll() is None

    # --- stopping --------------------------------------------------------------------------------

    def stop(self, name: str, timeout: float = STOP_TIMEOUT_S) -> int | None:
        """SIGTERM, then SIGKILL after `timeout`. The exit status, or None when it was not running."""
        with self._lock:
            child = self.children.get(name)
            if child is None or child.process.poll() is not None:
                return None
            child.stopped_by_us = True
            _signal_group(child.process, signal.SIGTERM)
            try:
                return child.process.wait(timeout)
            except subprocess.TimeoutExpired:
                _signal_group(child.process, signal.SIGKILL)
                return child.process.wait(2.0)
            finally:
                self.ready_file(name).unlink(missing_ok=True)
                self._write_manifest()

    def close(self) -> None:
        """Stop every child, the watchdog, and remove the root unless it is to be kept.

        Idempotent, and resumable: every step checks what is left to do, so a close interrupted by a
        signal whose handler closes again (same thread, re-entrant lock) still finishes the job."""
        with self._lock:
            if self._done:
                return
            self.closed = True  # no more spawns
            live = [c for c in self.children.values() if c.process.poll() is None]
            for child in live:
                child.stopped_by_us = True
                _signal_group(child.process, signal.SIGTERM)
            deadline = time.monotonic() + STOP_TIMEOUT_S
            for child in live:
                try:
                    child.process.wait(max(0.05, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    _signal_group(child.process, signal.SIGKILL)
                    with contextlib.suppress(subprocess.TimeoutExpired):
                        child.process.wait(2.0)
            if self._watchdog is not None and self._watchdog.poll() is None:
                self._watchdog.kill()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self._watchdog.wait(2.0)
            self._spawner.close()
            if not self.keep_root:
                shutil.rmtree(self.root, ignore_errors=True)
            else:
                for name in self.children:
                    self.ready_file(name).unlink(missing_ok=True)
                self._manifest.unlink(missing_ok=True)
            self._done = True
            _unregister(self)

    def _write_manifest(self) -> None:
        data = {
            "root": str(self.root),
            "keep_root": self.keep_root,
            "processes": [
                {"name": c.spec.name, "pid": c.process.pid, "ticks": c.ticks}
                for c in self.children.values()
                if c.process.poll() is None
            ],
        }
        tmp = self._manifest.with_suffix(".tmp")
        tmp.write_text(json.dumps(data))
        os.replace(tmp, self._manifest)


def _signal_group(process: subprocess.Popen[bytes], sig: int) -> None:
    """Signal the child's own process group (it leads one: start_new_session)."""
    try:
        os.killpg(process.pid, sig)
    except (ProcessLookupError, PermissionError):
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(sig)


def _last_line(path: Path | None) -> str:
    if path is None:
        return ""
    try:
        lines = [line for line in path.read_text(errors="replace").splitlines() if line.strip()]
    except OSError:
        return ""
    return f": {lines[-1].strip()}" if lines else ""


def _child_env() -> dict[str, str]:
    """The children run this very gdc_tui (also from a checkout that is not installed)."""
    env = dict(os.environ)
    package_parent = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_parent, env.get("PYTHONPATH", "")) if p)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.pop("GDC_TUI_FROZEN", None)
    return env


# --- every open demo, for atexit and the signal handlers -----------------------------------------
# Process-wide on purpose: a signal or interpreter exit concerns every demo this process opened.

_OPEN: list[Supervisor] = []
_PREVIOUS: dict[int, Any] = {}
_HANDLED = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
_INSTALL_LOCK = threading.Lock()


def _register(supervisor: Supervisor) -> None:
    with _INSTALL_LOCK:
        first = not _OPEN and not _PREVIOUS
        _OPEN.append(supervisor)
        if first:
            atexit.register(close_all)
        if threading.current_thread() is threading.main_thread():
            for sig in _HANDLED:
                current = signal.getsignal(sig)
                if current is not _on_signal:
                    _PREVIOUS[sig] = current
                    signal.signal(sig, _on_signal)


def _unregister(supervisor: Supervisor) -> None:
    with _INSTALL_LOCK:
        if supervisor in _OPEN:
            _OPEN.remove(supervisor)


def close_all() -> None:
    """Close every demo this process has open (atexit, signals)."""
    for supervisor in list(_OPEN):
        with contextlib.suppress(Exception):  # one demo failing to close must not keep the others open
            supervisor.close()


def _on_signal(signum: int, frame: Any) -> None:
    """Close every demo, then do what the signal would have done: call the handler that was there
    before (SIGINT's raises KeyboardInterrupt), or exit with 128 + the signal's number. Exiting by
    SystemExit rather than dying of the signal lets the TUI restore the terminal on the way out."""
    previous = _PREVIOUS.get(signum, signal.SIG_DFL)
    if previous is signal.SIG_IGN:
        return
    close_all()
    if callable(previous):
        previous(signum, frame)
        return
    raise SystemExit(128 + signum)
