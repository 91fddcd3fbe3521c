"""Processes through psutil: one by pid, or every one whose command line mentions something
(the agent's `-jar .../OktaProvisioningAgent.jar`). What another user's process hides is None,
not an error.
"""

from __future__ import annotations

import os
import time
from datetime import datetime, timezone

import psutil

from gdc_tui.host.base import ProcessInfo

_ATTRS = ["pid", "name", "cmdline", "username", "create_time", "memory_info", "cpu_times"]


def _info(values: dict) -> ProcessInfo:
    """A ProcessInfo from `Process.as_dict(_ATTRS)`, where anything denied is None."""
    created = values.get("create_time")
    memory = values.get("memory_info")
    cpu_times = values.get("cpu_times")
    cpu_percent: float | None = None
    if cpu_times is not None and created:
        # Average over the process's life, as `ps` shows %CPU: no second sample, no waiting.
        alive = max(time.time() - created, 1e-3)
        cpu_percent = round(100.0 * (cpu_times.user + cpu_times.system) / alive, 1)
    return ProcessInfo(
        pid=int(values["pid"]),
        name=values.get("name") or "",
        cmdline=tuple(values.get("cmdline") or ()),
        username=values.get("username"),
        started=datetime.fromtimestamp(created, timezone.utc) if created else None,
        rss_bytes=memory.rss if memory is not None else None,
        cpu_percent=cpu_percent,
    )


class Processes:
    """The real processes adapter."""

    def get(self, pid: int) -> ProcessInfo | None:
        """The process `pid`, or None when there is none. What cannot be read (another user's
        process without root, a zombie's command line) is None in the result."""
        try:
            process = psutil.Process(pid)
            with process.oneshot():
                values = process.as_dict(_ATTRS, ad_value=None)
        except (psutil.NoSuchProcess, ValueError):  # ZombieProcess is a NoSuchProcess too
            return None
        return _info(values)

    def find(self, cmdline_contains: str, *, include_self: bool = False) -> list[ProcessInfo]:
        """Every process whose command line contains `cmdline_contains`, by pid. gdc-tui itself is
        left out unless `include_self` (its own arguments may mention the same words)."""
        if not cmdline_contains:
            raise ValueError("find() needs something to look for")
        own = os.getpid()
        found: list[ProcessInfo] = []
        for process in psutil.process_iter(["pid", "cmdline"], ad_value=None):
            try:
                cmdline = process.info.get("cmdline") or ()
                if process.pid == own and not include_self:
                    continue
                if cmdline_contains not in " ".join(cmdline):
                    continue
                with process.oneshot():
                    values = process.as_dict(_ATTRS, ad_value=None)
            except (psutil.NoSuchProcess, psutil.ZombieProcess):
                continue
            found.append(_info(values))
        return sorted(found, key=lambda p: p.pid)
