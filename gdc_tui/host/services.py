"""systemd through systemctl and journalctl: unit status from `systemctl show` (key=value, never the
prose of `status`), start/stop/restart, and the unit's journal. Where systemd is not PID 1 (a
container, a build machine) or systemctl is missing, the status says so instead of failing.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from gdc_tui.host.base import CommandResult, Runner, ServiceStatus

SHOW_PROPERTIES = ("LoadState", "ActiveState", "SubState", "MainPID", "ExecMainStartTimestamp",
                   "UnitFileState")
BOOTED_MARKER = Path("/run/systemd/system")  # exists exactly when systemd is PID 1 (sd_booted)
# systemctl prints times in the zone of its TZ; it is run with TZ=UTC so they parse as UTC.
_ENV = {"TZ": "UTC", "SYSTEMD_PAGER": "", "SYSTEMD_COLORS": "0"}
_UNIT_NAME = re.compile(r"^[A-Za-z0-9:_.@\\-]+$")
_NOT_BOOTED = ("has not been booted with systemd", "failed to connect to bus",
               "system has not been booted")
_DENIED = ("access denied", "interactive authentication required", "permission denied",
           "not permitted", "authentication is required")


def parse_show(text: str) -> dict[str, str]:
    """`key=value` lines of `systemctl show` as a dict (values keep any `=` they contain)."""
    props: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep and key and " " not in key:
            props[key.strip()] = value.strip()
    return props


def parse_timestamp(value: str) -> datetime | None:
    """A systemd timestamp such as `Tue 2025-11-11 18:26:15 UTC` (or `@1731349575`) as aware UTC;
    None for `n/a`, empty, or a zone this parser cannot place."""
    value = value.strip()
    if not value or value in ("n/a", "0"):
        return None
    if value.startswith("@"):
        try:
            return datetime.fromtimestamp(float(value[1:]), timezone.utc)
        except ValueError:
            return None
    parts = value.split()
    # Optional weekday first; then date, time (maybe with microseconds), zone.
    if parts and not parts[0][:1].isdigit():
        parts = parts[1:]
    if len(parts) < 2:
        return None
    zone = parts[2] if len(parts) > 2 else "UTC"
    if zone not in ("UTC", "GMT", "Z", "+0000", "+00:00"):
        return None
    stamp = f"{parts[0]} {parts[1]}"
    for fmt in ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(stamp, fmt).replace(tzinfo=timezone.utc)
        except ValueError:
            continue
    return None


def status_from_show(unit: str, props: dict[str, str]) -> ServiceStatus:
    load_state = props.get("LoadState", "")
    pid_text = props.get("MainPID", "")
    main_pid = int(pid_text) if pid_text.isdigit() and int(pid_text) > 0 else None
    common = dict(
        unit=unit, load_state=load_state, active_state=props.get("ActiveState", ""),
        sub_state=props.get("SubState", ""), main_pid=main_pid,
        since=parse_timestamp(props.get("ExecMainStartTimestamp", "")),
        unit_file_state=props.get("UnitFileState", ""),
    )
    if load_state == "not-found":
        return ServiceStatus(available=False, reason=f"unit {unit} is not installed (systemd does "
                             "not know it: is its package installed?)", **common)
    if load_state in ("error", "bad-setting", "masked"):
        return ServiceStatus(available=True, reason=f"unit {unit} is {load_state}", **common)
    return ServiceStatus(available=True, **common)


class Systemd:
    """The real Services: systemctl and journalctl through the runner."""

    def __init__(self, runner: Runner, *, booted_marker: Path | None = BOOTED_MARKER,
                 timeout: float = 10.0):
        self.runner = runner
        self.booted_marker = booted_marker
        self.timeout = timeout

    def systemd_running(self) -> bool:
        """Whether systemd is this machine's init (the check sd_booted() makes)."""
        return self.booted_marker is None or self.booted_marker.is_dir()

    def status(self, unit: str) -> ServiceStatus:
        _check_unit(unit)
        result = self.runner.run(
            ["systemctl", "show", unit, "-p", ",".join(SHOW_PROPERTIES), "--no-pager"],
            timeout=self.timeout, env=_ENV,
        )
        if result.not_found:
            return ServiceStatus(unit=unit, available=False, reason="systemctl is not "
                                 "installed: this host does not run systemd")
        props = parse_show(result.stdout)
        if result.exit_code == 0 and "LoadState" in props:
            return status_from_show(unit, props)
        said = _first_line(result.stderr) or _first_line(result.stdout) or result.error or ""
        if not self.systemd_running() or any(m in said.lower() for m in _NOT_BOOTED):
            reason = "systemd is not running on this host (PID 1 is not systemd)"
            return ServiceStatus(unit=unit, available=False,
                                 reason=f"{reason}: systemctl says: {said}" if said else reason)
        return ServiceStatus(unit=unit, available=False,
                             reason=f"systemctl show {unit} failed: {said or 'no output'}")

    def start(self, unit: str) -> CommandResult:
        return self._verb("start", unit)

    def stop(self, unit: str) -> CommandResult:
        return self._verb("stop", unit)

    def restart(self, unit: str) -> CommandResult:
        return self._verb("restart", unit)

    def _verb(self, verb: str, unit: str) -> CommandResult:
        _check_unit(unit)
        # --no-ask-password: without root, polkit would otherwise wait for a password nobody types.
        result = self.runner.run(["systemctl", "--no-ask-password", verb, unit],
                                 timeout=max(self.timeout, 90.0), env=_ENV)
        if result.ok or result.error:
            return result
        said = _first_line(result.stderr) or _first_line(result.stdout)
        lowered = said.lower()
        if any(m in lowered for m in _DENIED) or (os.geteuid() != 0 and result.exit_code == 4):
            return replace(result, error=f"needs root: sudo systemctl {verb} {unit}")
        if any(m in lowered for m in _NOT_BOOTED):
            return replace(result, error=f"systemd is not running on this host: {said}")
        return replace(result, error=said or f"systemctl {verb} {unit} exited {result.exit_code}")

    def journal(self, unit: str, lines: int = 50, *, record: bool = True) -> CommandResult:
        _check_unit(unit)
        if lines < 1:
            raise ValueError("lines must be at least 1")
        result = self.runner.run(
            ["journalctl", "-u", unit, "-n", str(lines), "--no-pager", "-o", "short-iso"],
            timeout=self.timeout, env=_ENV, record=record,
        )
        if result.error:
            return result
        said = result.stderr.lower()
        if "no journal files were found" in said:
            return replace(result,
                           error="no journal on this host (systemd-journald is not running)")
        if "not seeing messages from other users" in said or "permission" in said:
            return replace(result, error=f"needs root to see the unit's messages: "
                           f"sudo journalctl -u {unit} -n {lines}")
        if result.exit_code not in (0, None):
            said = _first_line(result.stderr) or f"journalctl exited {result.exit_code}"
            return replace(result, error=said)
        return result


def _check_unit(unit: str) -> None:
    # Unit names come from knowledge/; refusing anything else keeps them from reading as options.
    if not _UNIT_NAME.match(unit) or unit.startswith("-"):
        raise ValueError(f"not a systemd unit name: {unit!r}")


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return ""
