"""The machine behind small interfaces (see base.py): `Host`, and `real_host()` for this machine."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gdc_tui.host.base import Host, HostError

if TYPE_CHECKING:
    from gdc_tui.host.real import real_host

__all__ = ["Host", "HostError", "real_host"]


def __getattr__(name: str) -> Any:
    # real_host pulls in sh, psutil and cryptography; importing the contract alone stays light.
    if name == "real_host":
        from gdc_tui.host.real import real_host

        return real_host
    raise AttributeError(f"module 'gdc_tui.host' has no attribute {name!r}")
