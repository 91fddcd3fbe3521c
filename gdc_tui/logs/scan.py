"""Scanning logs for the catalog's known errors: per entry, how often, first and last seen, and
the file and line of an example with its excerpt. `gdc-tui scan` and the Logs section use it.

How it stays fast on gigabytes (see literals.py for the prefilter):
- Logs are read in big blocks (8 MiB; .gz/.bz2/.xz streamed through their decompressor), cut at
  an event's first line so that a stack trace never straddles two blocks. Memory stays constant.
- In formats that write a level on every line (the agent's), only events at WARN and above can be
  findings: their level tokens (`[ERROR]`) are found with bytes.find, and everything else is never
  looked at. An INFO line that mentions okta.com or a proxy is not an error. In unstructured output
  (plain files such as Service.out, the journal) an event must read like a problem (an exception,
  "failed", "denied", ...): Service.out's list of properties names max-http-request-header-size
  on every healthy start. The SCIM server's Spring log has no level: every event can count.
- Elsewhere (the SCIM server's Spring log has no level) the prefilter's automaton finds every
  token in one pass over the lower-cased block. Only where a token hits is the event around it
  assembled (its header line and stack trace), decoded, and scored with lookup.score_entry — and
  only for the entries that token is evidence for.
- `since`: files last written before it are skipped unread; in a big file the first event newer
  than it is found by bisection on timestamps; each event is then checked by its own time.

An event counts for one entry: the best scoring one that reaches lookup.MIN_SCORE (ties as in
lookup). Times are compared as instants; a log time without a zone is this machine's local time.
"""

from __future__ import annotations

import itertools
import lzma
import os
import pickle
import re
import threading
import time
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import BinaryIO

from gdc_tui.host.base import Host
from gdc_tui.knowledge import ErrorEntry, Knowledge
from gdc_tui.logs import formats, literals, rotation
from gdc_tui.logs.discovery import JOURNAL_LINES, discover, read_journal, scan_sources
from gdc_tui.logs.formats import PROBLEM_LEVELS, Format
from gdc_tui.logs.parse import MAX_EVENT_LINES, Event, build_event, clean_line
from gdc_tui.lookup import MIN_SCORE, Match, PreparedText, score_entry

BLOCK = 8 * 1024 * 1024
MAX_CARRY = 4 * BLOCK  # an "event" longer than this (no header for 32 MiB) is cut
MAX_EVENT_BYTES = 1024 * 1024
MAX_WALK_LINES = 5000  # how far back from a hit its event's first line is looked for
SINCE_BISECT_MIN = 64 * 1024 * 1024  # smaller files are just read from the start
PARALLEL_MIN = 64 * 1024 * 1024  # a file this big is scanned by several processes
MAX_WORKERS = 8
SAMPLE_MIN = 16 * 1024 * 1024  # smaller logs are scanned with an untuned prefilter
EXCERPT_LINES = 6
EXCERPT_LINE_CHARS = 300

_TRACE_B = re.compile(formats.TRACE_LINE.encode())
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smhdw])")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> timedelta:
    """`30m`, `2h`, `7d`, `45s`, `1w`, `1h30m` -> timedelta; ValueError otherwise."""
    spec = text.strip().lower()
    parts = _DURATION.findall(spec)
    if not parts or _DURATION.sub("", spec).strip():
        raise ValueError(f"{text!r} is not a duration like 30m, 2h or 7d")
    seconds = sum(float(n) * _UNITS[u] for n, u in parts)
    if seconds <= 0:
        raise ValueError(f"{text!r}: a duration must be longer than 0")
    return timedelta(seconds=seconds)


@dataclass(frozen=True)
class Target:
    """One file to scan. `display` is its path as the user knows it (the connector path)."""

    display: str
    path: Path
    format: str | None = None  # a formats name; sniffed from the first lines when None
    compressed: str | None = None  # "gzip", "bzip2", "xz"; from the name when None
    mtime: datetime | None = None  # tz-aware; from the file when None


@dataclass(frozen=True)
class Skipped:
    display: str
    reason: str
    hint: str | None = None  # e.g. "needs root: sudo gdc-tui scan"


@dataclass(frozen=True)
class Finding:
    entry: ErrorEntry
    count: int
    first_seen: datetime | None
    last_seen: datetime | None
    file: str  # where the example event is
    line: int | None
    excerpt: str

    def to_json(self) -> dict:
        return {
            "id": self.entry.id,
            "guide": self.entry.guide_json,
            "title": self.entry.title,
            "count": self.count,
            "first_seen": _iso(self.first_seen),
            "last_seen": _iso(self.last_seen),
            "file": self.file,
            "line": self.line,
            "excerpt": self.excerpt,
        }


@dataclass(frozen=True)
class ScanResult:
    files: tuple[str, ...]  # every file (and journal) looked at
    skipped: tuple[Skipped, ...]  # the ones that could not be read, and why
    findings: tuple[Finding, ...]  # most recently seen first
    bytes_scanned: int = 0
    events_scored: int = 0
    seconds: float = 0.0

    def to_json(self) -> dict:
        return {"files": list(self.files), "findings": [f.to_json() for f in self.findings]}


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="milliseconds") if moment is not None else None


@dataclass
class _Tally:
    count: int = 0
    first: tuple[datetime, datetime] | None = None  # (UTC instant, as written)
    last: tuple[datetime, datetime] | None = None
    example_at: datetime | None = None
    example: tuple[str, int | None, str] | None = None  # (file, line, text)


@dataclass
class _Lines:
    """Line numbers of positions in one block, counted incrementally (positions only grow)."""

    base: int
    data: bytes
    pos: int = 0
    line: int = 0

    def at(self, position: int) -> int:
        if position < self.pos:
            self.pos, self.line = 0, 0
        self.line += self.data.count(b"\n", self.pos, position)
        self.pos = position
        return self.base + self.line


@dataclass
class Scanner:
    """Scans targets one after another and tallies findings. Not thread-safe."""

    knowledge: Knowledge
    since: datetime | None = None  # tz-aware; events before it are not counted
    sample: bytes | None = None  # lower-cased bytes of the logs, to tune the prefilter on
    block_size: int = BLOCK
    parallel: bool | None = None  # None: in parallel when worth it; False: never
    prefilter: literals.Prefilter = field(init=False)
    files: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    bytes_scanned: int = 0
    events_scored: int = 0

    def __post_init__(self) -> None:
        self.prefilter = literals.build(self.knowledge.errors, self.sample)
        self._order = {e.id: i for i, e in enumerate(self.knowledge.errors)}
        self._tallies: dict[str, _Tally] = {}
        self._started = time.perf_counter()

    # --- inputs --------------------------------------------------------------------------------

    def skip(self, display: str, reason: str, hint: str | None = None) -> None:
        self.skipped.append(Skipped(display, reason, hint))

    def scan_target(self, target: Target) -> bool:
        """Scan one file; False (and a Skipped record) when it cannot be read."""
        try:
            st = os.stat(target.path)
            mtime = target.mtime or datetime.fromtimestamp(st.st_mtime, timezone.utc)
            self.files.append(target.display)
            if self.since is not None and mtime < self.since:
                return True  # last written before --since: nothing in it is newer
            kind = target.compressed if target.compressed is not None else rotation.compression(target.path.name)
            with rotation.open_log(target.path, kind) as stream:
                self._scan_stream(stream, target, kind is None, st.st_size)
            return True
        except (OSError, EOFError, lzma.LZMAError, zlib.error) as exc:  # a damaged archive too
            if self.files and self.files[-1] == target.display:
                self.files.pop()
            self.skip(target.display, _reason(exc))
            return False

    def scan_events(self, events: Iterable[Event], display: str) -> None:
        """Score already parsed events (a unit's journal)."""
        self.files.append(display)
        for event in events:
            if not admitted(event, formats.get(event.format)) or not self._in_window(event):
                continue
            found = self.prefilter.entries_in(event.text.lower().encode("utf-8", "replace"))
            if found:
                self._score(event, found, display)

    # --- the result ----------------------------------------------------------------------------

    def result(self) -> ScanResult:
        by_id = {e.id: e for e in self.knowledge.errors}
        findings = []
        for entry_id, tally in self._tallies.items():
            entry = by_id[entry_id]
            file, line, text = tally.example  # type: ignore[misc]
            findings.append(Finding(
                entry=entry, count=tally.count,
                first_seen=tally.first[1] if tally.first else None,
                last_seen=tally.last[1] if tally.last else None,
                file=file, line=line, excerpt=excerpt(entry, text),
            ))
        findings.sort(key=lambda f: (f.last_seen is None,
                                     -formats.as_utc(f.last_seen).timestamp() if f.last_seen else 0.0,
                                     self._order[f.entry.id]))
        return ScanResult(tuple(self.files), tuple(self.skipped), tuple(findings), self.bytes_scanned,
                          self.events_scored, time.perf_counter() - self._started)

    # --- reading -------------------------------------------------------------------------------

    def _scan_stream(self, stream: BinaryIO, target: Target, seekable: bool, size: int) -> None:
        head = stream.read(65536)
        first = [clean_line(raw, cap=4096) for raw in head.split(b"\n")[:64]]
        fmt = formats.confirm(formats.get(target.format), first) if target.format else formats.sniff(first)
        start, line_base = 0, 1
        if seekable and self.since is not None and size >= SINCE_BISECT_MIN and fmt.name != "plain":
            start, line_base = self._since_start(stream, size, fmt)
        if seekable:
            workers = self._workers(size - start)
            if workers > 1:
                self._scan_parallel(target, fmt, start, size, line_base, workers)
                return
            stream.seek(start)
            self._scan_range(stream, None, fmt, line_base, target.display)
        else:
            self._scan_range(stream, None, fmt, line_base, target.display, pending=head)

    def _scan_range(self, stream: BinaryIO, length: int | None, fmt: Format, line_base: int,
                    display: str, pending: bytes = b"") -> int:
        """Scan `length` bytes (None: to the end) from the stream's position, block by block,
        each block cut where an event starts. Returns the number of lines read."""
        left = length

        def read() -> bytes:
            nonlocal left
            if left is None:
                return stream.read(self.block_size)
            chunk = stream.read(min(self.block_size, left)) if left > 0 else b""
            left -= len(chunk)
            return chunk

        first_line = line_base
        data = pending + read() if pending else read()
        carry = b""
        while True:
            eof = not data
            block = carry + data if carry else data
            if not block:
                break
            if eof:
                cut = len(block)
            else:
                cut = self._last_start(block, fmt)
                if cut == 0 and len(block) < MAX_CARRY:
                    carry, data = block, read()
                    continue
                if cut == 0:
                    cut = block.rfind(b"\n") + 1 or len(block)
            work, carry = block[:cut], block[cut:]
            self.bytes_scanned += len(work)
            line_base += self._scan_block(work, line_base, display, fmt)
            if eof:
                break
            data = read()
        return line_base - first_line

    # --- in parallel ---------------------------------------------------------------------------

    def _workers(self, size: int) -> int:
        """How many processes scan a file of `size` bytes: one per core (at most MAX_WORKERS)
        for big files, and only from a single-threaded program (forking beside threads — the
        TUI's workers — is not safe)."""
        if self.parallel is False or size < PARALLEL_MIN or not hasattr(os, "fork"):
            return 1
        if threading.active_count() > 1:
            return 1
        try:
            cores = len(os.sched_getaffinity(0))
        except (AttributeError, OSError):
            cores = os.cpu_count() or 1
        return max(1, min(cores, MAX_WORKERS, size // (PARALLEL_MIN // 2)))

    def _scan_parallel(self, target: Target, fmt: Format, start: int, end: int, line_base: int,
                       workers: int) -> None:
        """Split [start, end) at event starts; forked children scan all pieces but the first,
        which this process scans, and send back their tallies; line numbers are fixed up by
        the lines of the pieces before."""
        with open(target.path, "rb", buffering=0) as handle:
            cuts = [start]
            for i in range(1, workers):
                cut = self._event_boundary(handle, start + (end - start) * i // workers, fmt)
                if cut > cuts[-1] and cut < end:
                    cuts.append(cut)
            cuts.append(end)
        pieces = list(itertools.pairwise(cuts))
        children: list[tuple[int, int]] = []
        for piece_start, piece_end in pieces[1:]:
            read_fd, write_fd = os.pipe()
            pid = os.fork()
            if pid == 0:  # pragma: no cover - runs in the child
                os.close(read_fd)
                code = 0
                try:
                    outcome = self._child(target, fmt, piece_start, piece_end)
                except BaseException as exc:
                    outcome, code = ("error", f"{type(exc).__name__}: {exc}"), 1
                try:
                    with os.fdopen(write_fd, "wb") as pipe:
                        pickle.dump(outcome, pipe, protocol=pickle.HIGHEST_PROTOCOL)
                finally:
                    os._exit(code)
            os.close(write_fd)
            children.append((pid, read_fd))
        with open(target.path, "rb", buffering=0) as handle:
            handle.seek(pieces[0][0])
            lines = self._scan_range(handle, pieces[0][1] - pieces[0][0], fmt, line_base, target.display)
        offset = line_base + lines
        failure = None
        for pid, read_fd in children:
            with os.fdopen(read_fd, "rb") as pipe:
                data = pipe.read()
            os.waitpid(pid, 0)
            outcome = pickle.loads(data) if data else ("error", "a scanning process died")
            if outcome[0] == "error":
                failure = failure or outcome[1]
                continue
            _, tallies, piece_lines, scanned, scored = outcome
            self._merge(tallies, offset - 1)
            offset += piece_lines
            self.bytes_scanned += scanned
            self.events_scored += scored
        if failure:
            raise OSError(f"scanning in parallel failed: {failure}")

    def _child(self, target: Target, fmt: Format, start: int, end: int) -> tuple:  # pragma: no cover
        self._tallies = {}
        self.bytes_scanned = self.events_scored = 0
        with open(target.path, "rb", buffering=0) as handle:
            handle.seek(start)
            lines = self._scan_range(handle, end - start, fmt, 1, target.display)
        return "ok", self._tallies, lines, self.bytes_scanned, self.events_scored

    def _event_boundary(self, handle: BinaryIO, offset: int, fmt: Format) -> int:
        """The first offset at or after `offset` where a line starts an event."""
        handle.seek(offset)
        chunk = handle.read(MAX_EVENT_BYTES)
        nl = chunk.find(b"\n")
        if nl < 0:
            return offset + len(chunk)
        pos = nl + 1
        for _ in range(MAX_WALK_LINES):
            if pos >= len(chunk) or self._starts(chunk, pos, fmt):
                return offset + pos
            nl = chunk.find(b"\n", pos)
            if nl < 0:
                return offset + len(chunk)
            pos = nl + 1
        return offset + pos

    def _merge(self, tallies: dict[str, _Tally], line_shift: int) -> None:
        """Add a later piece's tallies (its line numbers counted from 1) to ours."""
        for entry_id, theirs in tallies.items():
            ours = self._tallies.setdefault(entry_id, _Tally())
            ours.count += theirs.count
            if theirs.first and (ours.first is None or theirs.first[0] < ours.first[0]):
                ours.first = theirs.first
            if theirs.last and (ours.last is None or theirs.last[0] >= ours.last[0]):
                ours.last = theirs.last
            if theirs.example is not None:
                file, line, text = theirs.example
                if _later(theirs.example_at, ours):
                    ours.example = (file, line + line_shift if line is not None else None, text)
                    ours.example_at = theirs.example_at

    def _since_start(self, stream: BinaryIO, size: int, fmt: Format) -> tuple[int, int]:
        """Where the first event newer than `since` is, roughly (bisecting on timestamps), and
        the number of the line there; a little before it, to be safe with out-of-order threads."""
        assert self.since is not None
        lo, hi = 0, size
        while hi - lo > self.block_size:
            mid = (lo + hi) // 2
            moment = self._time_near(stream, mid, fmt)
            if moment is None or moment >= self.since:
                hi = mid
            else:
                lo = mid
        start = max(0, lo - self.block_size)
        if start == 0:
            return 0, 1
        stream.seek(start)
        head = stream.read(65536)
        cut = head.find(b"\n")
        if cut == -1:
            return 0, 1
        start += cut + 1
        stream.seek(0)
        lines, left = 0, start
        while left > 0:
            chunk = stream.read(min(self.block_size, left))
            if not chunk:
                break
            lines += chunk.count(b"\n")
            left -= len(chunk)
        return start, lines + 1

    @staticmethod
    def _time_near(stream: BinaryIO, offset: int, fmt: Format) -> datetime | None:
        stream.seek(offset)
        chunk = stream.read(256 * 1024)
        for raw in chunk.split(b"\n")[1:-1]:
            match = fmt.header_bre.match(raw)
            if match and match.group("ts"):
                moment = formats.parse_timestamp(match.group("ts").decode("ascii", "replace"))
                if moment is not None:
                    return formats.as_utc(moment)
        return None

    # --- one block -----------------------------------------------------------------------------

    def _scan_block(self, work: bytes, line_base: int, display: str, fmt: Format) -> int:
        """Scan one block; returns its number of lines (counted on the way: one pass, not two)."""
        lines = _Lines(line_base, work)
        self._scan_events_of(work, lines, display, fmt)
        return lines.line + work.count(b"\n", lines.pos)

    def _scan_events_of(self, work: bytes, lines: _Lines, display: str, fmt: Format) -> None:
        if self.prefilter.always:
            for start, end in self._all_spans(work, fmt):
                self._consider(work, start, end, set(range(len(self.prefilter.entries))), lines, display, fmt)
            return
        if fmt.gate == "level":
            for start, end in self._problem_spans(work, fmt):
                found = self.prefilter.entries_in(work[start:end].lower())
                if found:
                    self._consider(work, start, end, found, lines, display, fmt)
            return
        hits = self.prefilter.hits(work.lower())
        start = end = -1
        found: set[int] = set()
        for position, entries in hits:
            if position < end:
                found |= entries
                continue
            if found:
                self._consider(work, start, end, found, lines, display, fmt)
            start = self._event_start(work, position, fmt)
            end = self._event_end(work, start, fmt)
            if end <= position:  # the walk back stopped short: at least the hit's own line
                start = work.rfind(b"\n", 0, position) + 1
                end = self._event_end(work, start, fmt)
            found = set(entries)
        if found:
            self._consider(work, start, end, found, lines, display, fmt)

    def _problem_spans(self, work: bytes, fmt: Format) -> list[tuple[int, int]]:
        starts: set[int] = set()
        if fmt.level_bre is not None:
            for match in fmt.level_bre.finditer(work):
                starts.add(work.rfind(b"\n", 0, match.start()) + 1)
        spans = []
        for start in sorted(starts):
            match = fmt.header_bre.match(work, start)
            if match is None:
                continue
            level = formats.normalize_level(match.group("level").decode("ascii", "replace"))
            if level in PROBLEM_LEVELS:
                spans.append((start, self._event_end(work, start, fmt)))
        return spans

    def _all_spans(self, work: bytes, fmt: Format) -> Iterable[tuple[int, int]]:
        start = 0
        while start < len(work):
            end = self._event_end(work, start, fmt)
            yield start, end
            start = end

    def _starts(self, work: bytes, pos: int, fmt: Format) -> bool:
        """Whether the line at `pos` starts an event (else it continues the one before)."""
        if fmt.nonheader_continues:
            return fmt.header_bre.match(work, pos) is not None
        at = pos
        if fmt.name != "plain":
            match = fmt.header_bre.match(work, pos)
            if match is None:
                return True  # not the format's line at all: a line of its own
            at = match.start("msg")
        nxt = work[at:at + 1]
        return nxt not in (b"\n", b"\r", b"") and _TRACE_B.match(work, at) is None

    def _event_start(self, work: bytes, pos: int, fmt: Format) -> int:
        start = work.rfind(b"\n", 0, pos) + 1
        for _ in range(MAX_WALK_LINES):
            if start == 0 or self._starts(work, start, fmt):
                return start
            start = work.rfind(b"\n", 0, start - 1) + 1
        return start

    def _event_end(self, work: bytes, start: int, fmt: Format) -> int:
        size = len(work)
        nl = work.find(b"\n", start)
        pos = size if nl < 0 else nl + 1
        lines = 1
        while pos < size and lines < MAX_EVENT_LINES and pos - start < MAX_EVENT_BYTES:
            if self._starts(work, pos, fmt):
                break
            nl = work.find(b"\n", pos)
            pos = size if nl < 0 else nl + 1
            lines += 1
        return pos

    def _last_start(self, block: bytes, fmt: Format) -> int:
        """The start of the last line that begins an event (0 when none is found)."""
        end = len(block)
        for _ in range(MAX_WALK_LINES):
            nl = block.rfind(b"\n", 0, end)
            if nl < 0:
                return 0
            start = nl + 1
            if start < len(block) and self._starts(block, start, fmt):
                return start
            end = nl
        return block.rfind(b"\n") + 1

    # --- one event -----------------------------------------------------------------------------

    def _consider(self, work: bytes, start: int, end: int, found: set[int], lines: _Lines,
                  display: str, fmt: Format) -> None:
        raw = work[start:end]
        pieces = raw.split(b"\n")
        if pieces and pieces[-1] == b"":
            pieces.pop()
        texts = [clean_line(piece) for piece in pieces] or [""]
        event = build_event(fmt, texts, fmt.header_re.match(texts[0]), line=lines.at(start), offset=None)
        if admitted(event, fmt) and self._in_window(event):
            self._score(event, found, display)

    def _in_window(self, event: Event) -> bool:
        if self.since is None or event.timestamp is None:
            return True
        return formats.as_utc(event.timestamp) >= self.since

    def _score(self, event: Event, found: set[int], display: str) -> None:
        self.events_scored += 1
        best = best_match(self.prefilter.entries, found, PreparedText.of(event.text))
        if best is not None:
            self._tally(best.entry, event, display)

    def _tally(self, entry: ErrorEntry, event: Event, display: str) -> None:
        tally = self._tallies.setdefault(entry.id, _Tally())
        tally.count += 1
        moment = formats.as_utc(event.timestamp) if event.timestamp is not None else None
        if moment is not None:
            assert event.timestamp is not None
            if tally.first is None or moment < tally.first[0]:
                tally.first = (moment, event.timestamp)
            if tally.last is None or moment >= tally.last[0]:
                tally.last = (moment, event.timestamp)
        if _later(moment, tally):
            tally.example = (display, event.line, event.text)
            tally.example_at = moment


class EventMatcher:
    """The catalog entry an event is evidence for, for the log pane's known-error marks: the same
    prefilter, gate and scoring as `scan`, one event at a time."""

    def __init__(self, knowledge: Knowledge):
        self.prefilter = literals.build(knowledge.errors)

    def match(self, event: Event) -> Match | None:
        if not admitted(event, formats.get(event.format)):
            return None
        found = self.prefilter.entries_in(event.text.lower().encode("utf-8", "replace"))
        return best_match(self.prefilter.entries, found, PreparedText.of(event.text)) if found else None


def best_match(entries: tuple[ErrorEntry, ...], found: Iterable[int], prepared: PreparedText) -> Match | None:
    """The best scoring of these entries that reaches MIN_SCORE (ties: the strongest single piece
    of evidence, then catalog order — as lookup ranks)."""
    best: Match | None = None
    for index in sorted(found):
        match = score_entry(entries[index], prepared)
        if match is None or match.score < MIN_SCORE:
            continue
        if best is None or (match.score, match.evidence[0].weight) > (best.score, best.evidence[0].weight):
            best = match
    return best


def _later(moment: datetime | None, tally: _Tally) -> bool:
    """Whether an event at `moment` replaces the tally's example: the example is the most recent
    event (by time; among events without one, the one read last)."""
    if tally.example is None:
        return True
    if moment is None:
        return tally.example_at is None
    return tally.example_at is None or moment >= tally.example_at


def admitted(event: Event, fmt: Format) -> bool:
    """Whether the format's gate lets this event be a finding (see formats.Format.gate)."""
    if fmt.gate == "level":
        return event.level in PROBLEM_LEVELS
    if fmt.gate == "words":
        return event.level in PROBLEM_LEVELS or formats.reads_like_problem(event.text)
    return True


def _reason(exc: BaseException) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, FileNotFoundError):
        return "not found"
    if isinstance(exc, IsADirectoryError):
        return "is a folder"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return f"cannot be read ({type(exc).__name__}: {exc})"


def excerpt(entry: ErrorEntry, text: str) -> str:
    """The event's first line and the lines that hold the entry's evidence, each shortened."""
    lines = text.split("\n")
    keep = [0]
    positives = [s for s in entry.signatures if s.weight > 0]
    for index, line in enumerate(lines[1:400], 1):
        if len(keep) >= EXCERPT_LINES:
            break
        prepared = PreparedText.of(line)
        if any(prepared.hits(s) for s in positives):
            keep.append(index)
    if len(keep) == 1:
        keep.extend(range(1, min(len(lines), 3)))
    out = []
    for index in keep:
        line = lines[index]
        out.append(line if len(line) <= EXCERPT_LINE_CHARS else line[: EXCERPT_LINE_CHARS - 1] + "…")
    return "\n".join(out)


def sample_of(paths: Iterable[Path], size: int = literals.SAMPLE_BYTES) -> bytes | None:
    """Lower-cased bytes from the start and the end of the largest plain file, to tune the
    prefilter on (compressed files are not sampled); None when the logs are small enough that
    any plan is fast (tuning would cost more than it saves)."""
    best: tuple[int, Path] | None = None
    for path in paths:
        if rotation.compression(path.name):
            continue
        try:
            length = os.stat(path).st_size
        except OSError:
            continue
        if best is None or length > best[0]:
            best = (length, path)
    if best is None or best[0] < SAMPLE_MIN:
        return None
    length, path = best
    try:
        with open(path, "rb") as handle:
            head = handle.read(size // 2)
            if length > size:
                handle.seek(length - size // 2)
            tail = handle.read(size // 2) if length > size // 2 else b""
    except OSError:
        return None
    return (head + b"\n" + tail).lower()


def scan_paths(knowledge: Knowledge, targets: Iterable[Target], *, since: datetime | None = None) -> ScanResult:
    """Scan these files (compressed or not)."""
    targets = list(targets)
    scanner = Scanner(knowledge, since=since, sample=sample_of(t.path for t in targets))
    for target in targets:
        scanner.scan_target(target)
    return scanner.result()


def scan_host(host: Host, knowledge: Knowledge, *, since: timedelta | None = None,
              journal_lines: int = JOURNAL_LINES) -> ScanResult:
    """Scan every log discovery finds on `host` (rotated and compressed copies included) and
    each unit's journal; `since` counts back from host.clock.now()."""
    cutoff = host.clock.now() - since if since is not None else None
    found = discover(host, knowledge)
    plan: list[Target | Skipped] = []
    for source, old in scan_sources(found):
        if old is not None:
            plan.append(Skipped(old.path, old.problem, old.hint) if old.problem else
                        Target(old.path, old.real, source.format, old.compressed, old.mtime))
        elif source.problem is not None:
            plan.append(Skipped(source.path, source.problem, source.hint))
        elif source.real is not None:
            plan.append(Target(source.path, source.real, source.format, None, source.mtime))
    targets = [t for t in plan if isinstance(t, Target)]
    scanner = Scanner(knowledge, since=cutoff, sample=sample_of(t.path for t in targets))
    for item in plan:
        if isinstance(item, Skipped):
            scanner.skip(item.display, item.reason, item.hint)
        else:
            scanner.scan_target(item)
    for journal in found.journals:
        assert journal.unit is not None
        events, problem = read_journal(host, journal.unit, journal_lines)
        if problem:
            scanner.skip(journal.id, problem)
        else:
            scanner.scan_events(events, journal.id)
    return scanner.result()
