"""The real host: this machine's files (under a root), commands, systemd, rpm, network,
processes and clock."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import TYPE_CHECKING

from gdc_tui.host.base import Clock, Host
from gdc_tui.host.clock import SystemClock
from gdc_tui.host.commands import CommandRunner
from gdc_tui.host.files import Files
from gdc_tui.host.network import Network
from gdc_tui.host.packages import Rpm
from gdc_tui.host.processes import Processes
from gdc_tui.host.services import Systemd

if TYPE_CHECKING:
    from gdc_tui.settings import Settings


def host_name() -> str:
    """This machine's name as `hostname` prints it. (Not getfqdn(): that asks DNS and can hang.)"""
    return socket.gethostname() or "localhost"


def real_host(root: Path = Path("/"), *, settings: Settings | None = None,
              clock: Clock | None = None) -> Host:
    """The Host for this machine. `root` is where its files are ("/"; a copy with --root DIR).
    Raises HostError when `root` is not a folder."""
    clock = clock or SystemClock()
    files = Files(root, clock=clock)
    runner = CommandRunner(clock=clock)
    return Host(
        name=host_name(),
        root=files.root,
        files=files,
        runner=runner,
        services=Systemd(runner),
        packages=Rpm(runner),
        network=Network(),
        processes=Processes(),
        clock=clock,
        settings=settings,
    )
