"""The Host contract: the small interfaces through which all of gdc-tui touches a machine.

The real host (gdc_tui.host.real) implements them with files under a root, `sh`, systemctl, rpm,
sockets and psutil; the demo host (gdc_tui.demo) implements the same ones over its simulated
connector. Checks, logs, actions and the UI are given a Host and never reach past it.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from gdc_tui.settings import Settings


class HostError(Exception):
    """The machine cannot be used as asked (a missing --root, a path escaping it, ...).

    `str()` is the one line to show the user.
    """


@dataclass(frozen=True)
class CommandResult:
    """One command as it ran: what was asked, what came back. A missing program is a result too."""

    argv: tuple[str, ...]
    exit_code: int | None  # None: did not run to completion (missing program, timeout)
    stdout: str
    stderr: str
    duration_s: float
    error: str | None = None  # "not found", "timed out after 5s", "permission denied", ...
    not_found: bool = False  # the program does not exist (on PATH, or at its absolute path)
    timed_out: bool = False  # killed because it ran past its timeout
    started: datetime | None = None  # when it was started (tz-aware UTC), for the transcript

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and self.error is None

    @property
    def command_line(self) -> str:
        """The argv as a shell would show it (for plans and transcripts; never run as a string)."""
        return shlex.join(self.argv)


@dataclass(frozen=True)
class ServiceStatus:
    """systemd's view of one unit (from `systemctl show`), or why it is not available."""

    unit: str
    available: bool  # False: systemd not running / systemctl missing / unit unknown
    reason: str = ""  # why not available, in one line
    load_state: str = ""
    active_state: str = ""
    sub_state: str = ""
    main_pid: int | None = None
    since: datetime | None = None
    unit_file_state: str = ""

    @property
    def running(self) -> bool:
        return self.available and self.active_state == "active"


@dataclass(frozen=True)
class ProcessInfo:
    pid: int
    name: str
    cmdline: tuple[str, ...]
    username: str | None
    started: datetime | None
    rss_bytes: int | None
    cpu_percent: float | None


@dataclass(frozen=True)
class ListeningSocket:
    address: str
    port: int
    pid: int | None  # None when the socket belongs to another user and we are not root


@dataclass(frozen=True)
class TlsPeer:
    """What a TLS handshake showed: the served certificate, or the error."""

    host: str
    port: int
    ok: bool
    error: str | None = None
    verified: bool = False  # True when the chain was verified against the given trust store
    subject: str = ""
    issuer: str = ""
    sans: tuple[str, ...] = ()
    not_after: datetime | None = None
    sha256_fingerprint: str = ""  # AA:BB:... upper-case, as the credentials script prints
    protocol: str = ""
    pem: str = ""
    verify_error: str | None = None  # why `verified` is False, e.g. "self-signed certificate"
    not_before: datetime | None = None
    duration_s: float = 0.0


@dataclass(frozen=True)
class HttpResponse:
    url: str
    status: int | None
    body: str
    headers: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    duration_s: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300


@dataclass(frozen=True)
class ProxyConfig:
    """An HTTP proxy reached with CONNECT (the agent's proxyHost/proxyPort/proxyUser/... keys)."""

    host: str
    port: int
    user: str | None = None
    password: str | None = None  # a secret: never shown, never logged
    scheme: str = "http"

    def __repr__(self) -> str:
        secret = ", password=***" if self.password else ""
        return f"ProxyConfig({self.scheme}://{self.host}:{self.port}, user={self.user!r}{secret})"


@dataclass(frozen=True)
class ResolveResult:
    """A DNS lookup: the addresses found, or the error in one line."""

    ok: bool
    addresses: tuple[str, ...] = ()
    error: str | None = None
    duration_s: float = 0.0
    name: str = ""  # the name looked up


@dataclass(frozen=True)
class ConnectResult:
    """A TCP connect (the guide's `telnet HOST PORT`): connected, or why not in one line."""

    ok: bool
    error: str | None = None
    duration_s: float = 0.0
    host: str = ""
    port: int = 0
    address: str | None = None  # the address actually connected to


class Clock(Protocol):
    def now(self) -> datetime: ...


class Runner(Protocol):
    def run(self, argv: list[str], *, timeout: float = 10.0, env: dict[str, str] | None = None,
            stdin: str | None = None, record: bool = True) -> CommandResult: ...

    @property
    def transcript(self) -> list[CommandResult]: ...


class Services(Protocol):
    def status(self, unit: str) -> ServiceStatus: ...
    def start(self, unit: str) -> CommandResult: ...
    def stop(self, unit: str) -> CommandResult: ...
    def restart(self, unit: str) -> CommandResult: ...
    def journal(self, unit: str, lines: int = 50, *, record: bool = True) -> CommandResult: ...


class Packages(Protocol):
    def installed_version(self, name: str) -> str | None: ...
    def file_version(self, rpm_path: Path) -> str | None: ...


@dataclass
class Host:
    """Everything gdc-tui may touch on one machine. `name` is what the header shows."""

    name: str
    root: Path
    files: object  # gdc_tui.host.files.Files
    runner: Runner
    services: Services
    packages: Packages
    network: object  # gdc_tui.host.network.Network
    processes: object  # gdc_tui.host.processes.Processes
    clock: Clock
    demo: bool = False
    facts: dict[str, str] = field(default_factory=dict)
    settings: Settings | None = None  # the tool's own settings (gdc_tui.settings), if loaded
