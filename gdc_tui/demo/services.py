"""The demo host's systemd: the connector's units are the stand-in processes (start, stop and restart
really start and stop them), the host's other units (firewalld, chronyd, sshd) are states. Status
comes back the way `systemctl show` gives it, through the same parser the real adapter uses, and the
journal is the units' own recent output."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from gdc_tui.demo.standins.common import journal_line
from gdc_tui.demo.supervisor import Spec, StartError, Supervisor
from gdc_tui.host.base import Clock, CommandResult, ServiceStatus
from gdc_tui.host.services import status_from_show

JOURNAL_ARGV = ("journalctl", "-u", "{unit}", "-n", "{lines}", "--no-pager", "-o", "short-iso")


@dataclass
class Unit:
    """One unit of the demo host and what systemd remembers about it."""

    name: str
    description: str
    path: str  # the unit file
    standin: str | None = None  # the stand-in behind it; None for a unit that is only a state
    active: bool = False  # for state-only units
    started: datetime | None = None  # ExecMainStartTimestamp
    inactive_since: datetime | None = None
    failed: bool = False
    reported_exit: int | None = field(default=None, repr=False)  # pid whose exit is in the journal


def systemd_time(when: datetime | None) -> str:
    """`Tue 2026-02-10 08:21:11 UTC`, as systemctl show prints a timestamp (TZ=UTC)."""
    if when is None:
        return ""
    return when.astimezone(timezone.utc).strftime("%a %Y-%m-%d %H:%M:%S UTC")


class DemoServices:
    """base.Services for the demo host."""

    def __init__(
        self,
        supervisor: Supervisor,
        units: dict[str, Unit],
        spec_for: Callable[[str], Spec],
        clock: Clock,
        journal_dir: Path,
        host_name: str,
        on_start: Callable[[str, int], None] | None = None,
        on_stop: Callable[[str], None] | None = None,
    ):
        self.supervisor = supervisor
        self.units = units
        self.spec_for = spec_for
        self.clock = clock
        self.journal_dir = journal_dir
        self.host_name = host_name
        self.on_start = on_start
        self.on_stop = on_stop
        self._lock = threading.RLock()

    # --- the journal -----------------------------------------------------------------------------

    def _journal_file(self, unit: str) -> Path:
        return self.journal_dir / f"{unit}.journal"

    def _systemd_says(self, unit: str, *messages: str) -> None:
        path = self._journal_file(unit)
        path.parent.mkdir(parents=True, exist_ok=True)
        now = self.clock.now()
        with open(path, "a", encoding="utf-8") as handle:
            for message in messages:
                handle.write(journal_line(now, self.host_name, "systemd", 1, message))

    def journal(self, unit: str, lines: int = 50, *, record: bool = True) -> CommandResult:
        # (read from the demo's own journal files: nothing runs, so there is nothing to record)
        if lines < 1:
            raise ValueError("lines must be at least 1")
        argv = tuple(a.replace("{unit}", unit).replace("{lines}", str(lines)) for a in JOURNAL_ARGV)
        self._notice_exit(unit)
        try:
            text = self._journal_file(unit).read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            text = ""
        kept = text.splitlines()[-lines:]
        stdout = "\n".join(kept) + "\n" if kept else "-- No entries --\n"
        return CommandResult(argv, 0, stdout, "", 0.0, started=self.clock.now())

    # --- status ----------------------------------------------------------------------------------

    def _notice_exit(self, name: str) -> None:
        """A stand-in that died on its own is `failed`, as systemd records it (once)."""
        with self._lock:
            unit = self.units.get(name)
            if unit is None or unit.standin is None:
                return
            child = self.supervisor.child(unit.standin)
            if child is None or child.stopped_by_us or unit.reported_exit == child.process.pid:
                return
            code = child.process.poll()
            if code is None:
                return
            unit.reported_exit = child.process.pid
            unit.inactive_since = self.clock.now()
            if code < 0:
                what, result = f"code=killed, status={-code}/{_signal_name(-code)}", "signal"
            else:
                what, result = f"code=exited, status={code}/{'FAILURE' if code else 'SUCCESS'}", "exit-code"
            unit.failed = code != 0
            messages = [f"{name}.service: Main process exited, {what}"]
            if unit.failed:
                messages.append(f"{name}.service: Failed with result '{result}'.")
            self._systemd_says(name, *messages)
            if self.on_stop:
                self.on_stop(name)

    def properties(self, name: str) -> dict[str, str]:
        """What `systemctl show UNIT` says: LoadState, ActiveState, SubState, MainPID, ..."""
        with self._lock:
            unit = self.units.get(name)
            if unit is None:
                return {
                    "Id": f"{name}.service",
                    "LoadState": "not-found",
                    "ActiveState": "inactive",
                    "SubState": "dead",
                    "MainPID": "0",
                    "ExecMainStartTimestamp": "",
                    "UnitFileState": "",
                    "Description": f"{name}.service",
                    "Result": "success",
                }
            self._notice_exit(name)
            pid = 0
            if unit.standin is not None:
                child = self.supervisor.child(unit.standin)
                running = child is not None and child.process.poll() is None
                pid = child.process.pid if running and child is not None else 0
            else:
                running = unit.active
            if running:
                active, sub = "active", "running"
            elif unit.failed:
                active, sub = "failed", "failed"
            else:
                active, sub = "inactive", "dead"
            return {
                "Id": f"{name}.service",
                "Description": unit.description,
                "LoadState": "loaded",
                "ActiveState": active,
                "SubState": sub,
                "MainPID": str(pid),
                "ExecMainStartTimestamp": systemd_time(unit.started),
                "InactiveEnterTimestamp": systemd_time(None if running else unit.inactive_since),
                "UnitFileState": "enabled",
                "FragmentPath": unit.path,
                "Result": "exit-code" if unit.failed else "success",
            }

    def status(self, unit: str) -> ServiceStatus:
        return status_from_show(unit, self.properties(unit))

    # --- start, stop, restart ------------------------------------------------------------------

    def _result(self, verb: str, unit: str, code: int = 0, stderr: str = "", error: str | None = None) -> CommandResult:
        return CommandResult(
            ("systemctl", "--no-ask-password", verb, unit), code, "", stderr, 0.0, error=error, started=self.clock.now()
        )

    def start(self, unit: str) -> CommandResult:
        with self._lock:
            info = self.units.get(unit)
            if info is None:
                said = f"Failed to start {unit}.service: Unit {unit}.service not found."
                return self._result("start", unit, 5, said + "\n", said)
            if info.standin is None:
                if not info.active:
                    info.active, info.started, info.failed = True, self.clock.now(), False
                    self._systemd_says(unit, f"Started {info.description}.")
                return self._result("start", unit)
            if self.supervisor.running(info.standin):
                return self._result("start", unit)
            info.started = self.clock.now()
            info.failed = False
            try:
                child = self.supervisor.start(self.spec_for(info.standin), info.started)
            except StartError as exc:
                self._notice_exit(unit)
                info.failed = True
                info.inactive_since = self.clock.now()
                self._systemd_says(unit, f"Failed to start {info.description}.")
                said = (
                    f"Job for {unit}.service failed because the control process exited with error code.\n"
                    f'See "systemctl status {unit}.service" and "journalctl -xeu {unit}.service" '
                    "for details.\n"
                )
                return self._result("start", unit, 1, said, f"{unit} failed to start: {exc}")
            info.reported_exit = None
            self._systemd_says(unit, f"Started {info.description}.")
            if self.on_start:
                self.on_start(unit, child.process.pid)
            return self._result("start", unit)

    def stop(self, unit: str) -> CommandResult:
        with self._lock:
            info = self.units.get(unit)
            if info is None:
                said = f"Failed to stop {unit}.service: Unit {unit}.service not loaded."
                return self._result("stop", unit, 5, said + "\n", said)
            if info.standin is None:
                if info.active:
                    info.active, info.inactive_since = False, self.clock.now()
                    self._systemd_says(unit, f"Stopping {info.description}...", f"Stopped {info.description}.")
                return self._result("stop", unit)
            self._notice_exit(unit)
            if not self.supervisor.running(info.standin):
                return self._result("stop", unit)
            self._systemd_says(unit, f"Stopping {info.description}...")
            self.supervisor.stop(info.standin)
            info.inactive_since = self.clock.now()
            info.failed = False
            self._systemd_says(unit, f"{unit}.service: Deactivated successfully.", f"Stopped {info.description}.")
            if self.on_stop:
                self.on_stop(unit)
            return self._result("stop", unit)

    def restart(self, unit: str) -> CommandResult:
        with self._lock:
            stopped = self.stop(unit)
            if stopped.exit_code not in (0, None) and unit not in self.units:
                said = f"Failed to restart {unit}.service: Unit {unit}.service not found."
                return self._result("restart", unit, 5, said + "\n", said)
            started = self.start(unit)
            return CommandResult(
                ("systemctl", "--no-ask-password", "restart", unit),
                started.exit_code,
                started.stdout,
                started.stderr,
                started.duration_s,
                error=started.error,
                started=self.clock.now(),
            )

    def remove_unit(self, unit: str) -> None:
        """The unit's package was removed: systemd no longer knows it (its process is stopped first)."""
        with self._lock:
            self.stop(unit)
            self.units.pop(unit, None)

    def failed_units(self) -> list[str]:
        return [name for name in self.units if self.properties(name)["ActiveState"] == "failed"]


def _signal_name(number: int) -> str:
    import signal

    try:
        return signal.Signals(number).name.removeprefix("SIG")
    except ValueError:
        return str(number)
