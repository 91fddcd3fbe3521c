"""Finding the connector's logs on a host: the ones knowledge/ names, whatever else is in their
folders, their rotated copies, and each unit's journal — or why one cannot be read.

Paths come from knowledge/components.toml ([[component.log]]) and are resolved through
host.files, so a --root copy and the demo host are read the same way as `/`. Names are matched
ignoring case (`Application.log` or `application.log`).
"""

from __future__ import annotations

import os
import stat as stat_mod
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from gdc_tui.host.base import Host, HostError
from gdc_tui.knowledge import Knowledge
from gdc_tui.logs import formats, rotation
from gdc_tui.logs.parse import Event, clean_line, parse_text

SNIFF_BYTES = 16 * 1024
JOURNAL_LINES = 5000


@dataclass(frozen=True)
class RotatedFile:
    """An older copy of a log (`agent.log.1`, `Application.log.2026-01-10.0.gz`)."""

    path: str  # connector path
    real: Path
    size: int | None
    mtime: datetime | None  # tz-aware UTC
    compressed: str | None  # "gzip", "bzip2", "xz" or None
    problem: str | None = None
    hint: str | None = None


@dataclass(frozen=True)
class LogSource:
    """One log as the Logs section and the pane show it: a file (with its rotated copies) or a
    unit's journal."""

    id: str  # the knowledge log id; "<component>:<name>" for other files; "journal:<unit>"
    component: str  # component id
    kind: str  # "file" or "journal"
    title: str  # "agent.log", "Application.log", "journal of OktaProvisioningAgent"
    path: str  # connector path (a file) or the unit name (a journal)
    format: str  # formats name
    what: str = ""  # what it holds, in the guide's words (knowledge/)
    known: bool = True  # named in knowledge/ (False: found beside the known logs)
    real: Path | None = None  # where it is on this machine (under the host's root)
    unit: str | None = None
    exists: bool = False
    size: int | None = None
    mtime: datetime | None = None  # tz-aware UTC
    problem: str | None = None  # "not found", "permission denied", ... (None: readable)
    hint: str | None = None  # what to do about it, e.g. the sudo command
    rotated: tuple[RotatedFile, ...] = ()  # oldest first

    @property
    def readable(self) -> bool:
        return self.problem is None and (self.kind == "journal" or self.exists)

    def follower(self, **options: object):
        """A LogFollower on this file (see gdc_tui.logs.tail)."""
        from gdc_tui.logs.tail import LogFollower

        if self.kind != "file" or self.real is None:
            raise ValueError(f"{self.title} is not a file: read it with read_journal()")
        return LogFollower(self.real, fmt=self.format, **options)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Discovery:
    sources: tuple[LogSource, ...]

    @property
    def files(self) -> tuple[LogSource, ...]:
        return tuple(s for s in self.sources if s.kind == "file")

    @property
    def journals(self) -> tuple[LogSource, ...]:
        return tuple(s for s in self.sources if s.kind == "journal")

    @property
    def problems(self) -> tuple[LogSource, ...]:
        return tuple(s for s in self.sources if s.problem is not None)

    def get(self, source_id: str) -> LogSource | None:
        return next((s for s in self.sources if s.id == source_id), None)


def discover(host: Host, knowledge: Knowledge) -> Discovery:
    """Every log of every component that has log files on the host, and each unit's journal."""
    sources: list[LogSource] = []
    for component in knowledge.components:
        logs = [lg for lg in component.logs if lg.dir.startswith("/")]  # not the Admin Console's
        folders: dict[str, list] = {}
        for log in logs:
            folders.setdefault(log.dir.rstrip("/") or "/", []).append(log)
        for folder, folder_logs in folders.items():
            sources.extend(_folder(host, component.id, folder, folder_logs))
        if component.unit:
            sources.append(LogSource(
                id=f"journal:{component.unit}", component=component.id, kind="journal",
                title=f"journal of {component.unit}", path=component.unit, format="journal",
                what=f"What systemd recorded for {component.unit}: starts, stops, crashes, and "
                     "what the service wrote to its standard output and error.",
                unit=component.unit,
            ))
    return Discovery(tuple(sources))


def _folder(host: Host, component: str, folder: str, logs: list) -> list[LogSource]:
    files = host.files
    real_folder = files.path(folder)  # type: ignore[attr-defined]
    try:
        entries = {e.name: e for e in os.scandir(real_folder) if _is_file(e)}
    except FileNotFoundError:
        return [_missing(host, component, folder, log, f"not found (no folder {folder})") for log in logs]
    except NotADirectoryError:
        return [_missing(host, component, folder, log, f"not found ({folder} is not a folder)") for log in logs]
    except PermissionError:
        return [_missing(host, component, folder, log, f"permission denied (cannot list {folder})")
                for log in logs]
    taken: set[str] = set()
    out: list[LogSource] = []
    known_names = {log.name.lower() for log in logs}
    for log in logs:
        matches = sorted((n for n in entries if n.lower() == log.name.lower()),
                         key=lambda n: (n != log.name, -_mtime_ns(entries[n])))
        rotated = _rotated(host, folder, log.name, entries, taken, known_names)
        if not matches:
            source = _missing(host, component, folder, log, "not found")
            out.append(_with_rotated(source, rotated))
            continue
        name = matches[0]
        taken.add(name)
        out.append(_source(host, component, folder, name, entries[name], log.id, log.format, log.what,
                           known=True, rotated=rotated))
    # Whatever else is in the folder, grouped with its own rotated copies.
    rest = sorted(n for n in entries if n not in taken)
    bases = [n for n in rest if not any(rotation.is_rotated(other, n) for other in rest if other != n)]
    for name in bases:
        if name in taken:
            continue
        taken.add(name)
        rotated = _rotated(host, folder, name, entries, taken, known_names)
        real = real_folder / name
        out.append(_source(host, component, folder, name, entries[name], f"{component}:{name}",
                           _sniff(real), "", known=False, rotated=rotated))
    for name in rest:  # rotated copies whose base log is gone
        if name not in taken:
            taken.add(name)
            out.append(_source(host, component, folder, name, entries[name], f"{component}:{name}",
                               _sniff(real_folder / name), "", known=False, rotated=()))
    return out


def _is_file(entry: os.DirEntry) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def _mtime_ns(entry: os.DirEntry) -> int:
    try:
        return entry.stat().st_mtime_ns
    except OSError:
        return 0


def _join(folder: str, name: str) -> str:
    return folder.rstrip("/") + "/" + name


def _missing(host: Host, component: str, folder: str, log, problem: str) -> LogSource:
    path = _join(folder, log.name)
    return LogSource(id=log.id, component=component, kind="file", title=log.name, path=path,
                     format=log.format, what=log.what, known=True, real=host.files.path(path),  # type: ignore[attr-defined]
                     exists=False, problem=problem, hint=_hint(host, path))


def _with_rotated(source: LogSource, rotated: tuple[RotatedFile, ...]) -> LogSource:
    if not rotated:
        return source
    fields = {k: getattr(source, k) for k in source.__dataclass_fields__}
    fields["rotated"] = rotated
    return LogSource(**fields)


def _hint(host: Host, path: str) -> str | None:
    try:
        return host.files.permission_hint(path)  # type: ignore[attr-defined]
    except (OSError, HostError):
        return None


def _stat(host: Host, path: str, entry: os.DirEntry) -> tuple[int | None, datetime | None, str | None, str | None]:
    """size, mtime, problem, hint."""
    try:
        st = entry.stat()
    except PermissionError:
        return None, None, "permission denied", _hint(host, path)
    except OSError as exc:
        return None, None, (exc.strerror or str(exc)).lower(), None
    mtime = datetime.fromtimestamp(st.st_mtime, timezone.utc)
    if not stat_mod.S_ISREG(st.st_mode):
        return st.st_size, mtime, "not a regular file", None
    if not os.access(entry.path, os.R_OK):
        return st.st_size, mtime, "permission denied", _hint(host, path) or "needs root: run gdc-tui with sudo"
    return st.st_size, mtime, None, None


def _source(host: Host, component: str, folder: str, name: str, entry: os.DirEntry, source_id: str,
            fmt: str, what: str, *, known: bool, rotated: tuple[RotatedFile, ...]) -> LogSource:
    path = _join(folder, name)
    size, mtime, problem, hint = _stat(host, path, entry)
    return LogSource(id=source_id, component=component, kind="file", title=name, path=path, format=fmt,
                     what=what, known=known, real=Path(entry.path), exists=True, size=size, mtime=mtime,
                     problem=problem, hint=hint, rotated=rotated)


def _rotated(host: Host, folder: str, base: str, entries: dict[str, os.DirEntry], taken: set[str],
             known_names: set[str]) -> tuple[RotatedFile, ...]:
    out = []
    for name, entry in entries.items():
        if name in taken or name.lower() in known_names or not rotation.is_rotated(base, name):
            continue
        taken.add(name)
        path = _join(folder, name)
        size, mtime, problem, hint = _stat(host, path, entry)
        out.append(RotatedFile(path=path, real=Path(entry.path), size=size, mtime=mtime,
                               compressed=rotation.compression(name), problem=problem, hint=hint))
    epoch = datetime.min.replace(tzinfo=timezone.utc)
    out.sort(key=lambda r: (r.mtime or epoch, r.path))
    return tuple(out)


def _sniff(real: Path) -> str:
    """The format of a file nobody told us about, from its first lines."""
    try:
        with rotation.open_log(real) as handle:
            head = handle.read(SNIFF_BYTES)
    except (OSError, EOFError):
        return "plain"
    return formats.sniff(clean_line(raw, cap=4096) for raw in head.split(b"\n")[:64]).name


def read_journal(host: Host, unit: str, lines: int = JOURNAL_LINES) -> tuple[list[Event], str | None]:
    """The last `lines` lines of the unit's journal as events, or ([], why not)."""
    result = host.services.journal(unit, lines)
    if not result.ok:
        said = result.error or next((ln.strip() for ln in result.stderr.splitlines() if ln.strip()), "")
        return [], said or f"journalctl exited {result.exit_code}"
    text = "\n".join(ln for ln in result.stdout.splitlines() if not _journal_note(ln))
    year = host.clock.now().year
    return parse_text(text, "journal", year=year), None


def _journal_note(line: str) -> bool:
    """journalctl's own lines: `-- No entries --`, `-- Boot 1a2b... --`, `-- Logs begin at ...`."""
    stripped = line.strip()
    return (stripped.startswith("-- ") and stripped.endswith(" --")) or stripped == "-- No entries --"


def scan_sources(discovery: Discovery) -> Iterable[tuple[LogSource, RotatedFile | None]]:
    """Each readable file to scan, oldest first within a log: its rotated copies, then itself."""
    for source in discovery.files:
        for old in source.rotated:
            yield source, old
        yield source, None


@dataclass
class JournalFollower:
    """Follows a unit's journal by asking for its last lines again and keeping what is new (the
    Host gives no cursor). Like LogFollower: `open_at_end()`, then `poll()`."""

    host: Host
    unit: str
    lines: int = 200
    problem: str | None = None
    _seen: list[str] = field(default_factory=list)

    def open_at_end(self, lines: int | None = None) -> list[Event]:
        self.lines = lines or self.lines
        return self._fetch(initial=True)

    def poll(self) -> list[Event]:
        return self._fetch(initial=False)

    def _fetch(self, *, initial: bool) -> list[Event]:
        # The first read goes into the transcript; the polls repeat it every few seconds and do not.
        result = self.host.services.journal(self.unit, self.lines, record=initial)
        if not result.ok:
            self.problem = result.error or (result.stderr.strip().splitlines() or ["journalctl failed"])[0]
            return []
        self.problem = None
        current = [ln for ln in result.stdout.splitlines() if ln.strip() and not _journal_note(ln)]
        fresh = current if initial else _after(self._seen, current)
        self._seen = current[-self.lines:]
        if not fresh:
            return []
        return parse_text("\n".join(fresh), "journal", year=self.host.clock.now().year)


def _after(seen: list[str], current: list[str]) -> list[str]:
    """The lines of `current` after the longest overlap of its start with the end of `seen`."""
    if not seen:
        return current
    for size in range(min(len(seen), len(current)), 0, -1):
        if seen[-size:] == current[:size]:
            return current[size:]
    return current
