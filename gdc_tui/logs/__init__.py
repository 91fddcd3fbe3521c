"""The connector's logs: finding them (discovery), reading their formats (formats, parse),
following them live (tail) and scanning them for the catalog's known errors (scan, literals).

No UI in here: the log pane polls a `LogFollower` from a worker thread, and the Logs section
shows `discover()` and `scan_host()`.
"""

from gdc_tui.logs.discovery import (
    Discovery,
    JournalFollower,
    LogSource,
    RotatedFile,
    discover,
    read_journal,
)
from gdc_tui.logs.parse import Event, parse_text
from gdc_tui.logs.scan import (
    EventMatcher,
    Finding,
    Scanner,
    ScanResult,
    Target,
    parse_duration,
    scan_host,
    scan_paths,
)
from gdc_tui.logs.tail import LogFollower

__all__ = [
    "Discovery",
    "Event",
    "EventMatcher",
    "Finding",
    "JournalFollower",
    "LogFollower",
    "LogSource",
    "RotatedFile",
    "ScanResult",
    "Scanner",
    "Target",
    "discover",
    "parse_duration",
    "parse_text",
    "read_journal",
    "scan_host",
    "scan_paths",
]
