"""Log lines in the connector's real formats, and a Host on a folder, for the log tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from gdc_tui.host.base import CommandResult, Host
from gdc_tui.host.clock import FrozenClock
from gdc_tui.host.files import Files

T0 = datetime(2026, 1, 10, 9, 0, 0, tzinfo=timezone.utc)
AGENT_DIR = "/opt/OktaProvisioningAgent/logs"
SCIM_DIR = "/var/log/OktaOnPremScimServer"

ORA_TRACE = [
    "java.sql.SQLException: ORA-01017: invalid username/password; logon denied",
    "\tat oracle.jdbc.driver.T4CTTIoer11.processError(T4CTTIoer11.java:509)",
    "\tat com.zaxxer.hikari.pool.HikariPool.createPoolEntry(HikariPool.java:476)",
    "Caused by: java.io.IOException: login rejected",
    "\t... 42 more",
]
DRIVER_TRACE = [
    "java.lang.RuntimeException: Failed to load driver class oracle.jdbc.OracleDriver in either of "
    "HikariConfig class loader or Thread context classloader",
    "\tat com.zaxxer.hikari.HikariConfig.setDriverClassName(HikariConfig.java:491)",
    "\tSuppressed: java.lang.IllegalStateException: second",
    "\t\tat x.Y.z(Y.java:1)",
]


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def agent(moment: datetime, msg: str, level: str = "INFO", thread: str = "main", cls: str = "ScimConnectorClient",
          context: str = " ") -> str:
    stamp = moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.") + f"{moment.microsecond // 1000:03d}"
    return f"[ {stamp} ] [ {thread} ] [{cls}] [ {context} ] [{level}] - {msg}"


def spring(moment: datetime, msg: str, thread: str = "https-jsse-nio-1443-exec-1",
           cls: str = "c.o.s.s.controller.UserController:87") -> str:
    stamp = moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}+00:00"
    return f"{stamp}  [pid:42] [{thread}] {cls} - {msg}"


def healthy_agent(count: int, start: float = 0.0) -> list[str]:
    """Busy but healthy: polling the org (okta.com), a proxy note, heartbeats."""
    messages = [
        "Polling https://acme.okta.com/api/1/internal/agents/a53/actions for provisioning actions",
        "Proxy is not configured: proxyEnabled=false",
        "Heartbeat sent, status=200",
        "Register Mode successfully finished",
    ]
    return [agent(at(start + i), messages[i % len(messages)]) for i in range(count)]


def write(path: Path, lines: list[str], *, mtime: datetime | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    if mtime is not None:
        stamp = mtime.timestamp()
        import os

        os.utime(path, (stamp, stamp))
    return path


@dataclass
class FakeServices:
    """Only the journal: what `journalctl -u UNIT -n N -o short-iso` printed, or an error."""

    journals: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    calls: list[tuple[str, int]] = field(default_factory=list)
    recorded: list[bool] = field(default_factory=list)  # the `record` flag of each call

    def journal(self, unit: str, lines: int = 50, *, record: bool = True) -> CommandResult:
        self.calls.append((unit, lines))
        self.recorded.append(record)
        argv = ("journalctl", "-u", unit, "-n", str(lines))
        if unit in self.errors:
            return CommandResult(argv, 1, "", self.errors[unit], 0.01, error=self.errors[unit])
        text = self.journals.get(unit, "-- No entries --\n")
        return CommandResult(argv, 0, "\n".join(text.splitlines()[-lines:]) + "\n", "", 0.01)


def make_host(root: Path, *, now: datetime = T0 + timedelta(days=1), services: FakeServices | None = None) -> Host:
    root.mkdir(parents=True, exist_ok=True)
    clock = FrozenClock(now)
    return Host(name="test-host", root=root, files=Files(root, clock=clock, rerun="gdc-tui scan"),
                runner=None, services=services or FakeServices(), packages=None,  # type: ignore[arg-type]
                network=None, processes=None, clock=clock)
