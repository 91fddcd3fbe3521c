"""Log lines into events: a header line and what continues it (a Java stack trace is one event).

Lines arrive as bytes from files that may hold anything: invalid UTF-8 becomes U+FFFD, control
characters (NUL, ESC, ...) become their visible Unicode pictures (␀, ␛) so that they can neither
vanish nor drive the terminal, and a line longer than `MAX_LINE` bytes keeps its first part and
says how much was cut: `… [10485760 bytes more]`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from gdc_tui.logs import formats
from gdc_tui.logs.formats import Format

MAX_LINE = 64 * 1024  # bytes of one line that are kept; the rest is counted
MAX_EVENT_LINES = 2000  # a longer run of continuation lines is cut into several events

_CONTROL = {i: 0x2400 + i for i in range(32) if i != 9}
_CONTROL[0x7F] = 0x2421
_HAS_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_NO_GROUPS: dict[str, str | None] = {}


def clean_line(raw: bytes, *, cap: int = MAX_LINE, dropped: int = 0) -> str:
    """One line (without its newline) as safe text. `dropped`: bytes of it already discarded by a
    reader that stopped buffering at `cap`."""
    if raw.endswith(b"\r") and not dropped:
        raw = raw[:-1]
    over = dropped
    if len(raw) > cap:
        over += len(raw) - cap
        raw = raw[:cap]
    text = raw.decode("utf-8", "replace")
    if _HAS_CONTROL.search(text):
        text = text.translate(_CONTROL)
    if over:
        text += f" … [{over} bytes more]"
    return text


@dataclass(frozen=True, slots=True)
class Event:
    """One log event as the pane shows it and the scanner scores it."""

    text: str  # the whole event: its header line and continuation lines, joined by "\n"
    message: str  # the header line's message (after the timestamp, thread, class ...)
    format: str  # the formats.FORMATS name it was read as
    timestamp: datetime | None = None  # as written; naive when the log names no zone
    level: str | None = None  # TRACE DEBUG INFO WARN ERROR FATAL (None: plain text, no clue)
    level_derived: bool = False  # True: the format writes no level, it was read from the text
    thread: str | None = None
    source: str | None = None  # the Java class / logger / journal identifier
    context: str | None = None  # the agent's context field
    line: int | None = None  # 1-based line number of the header in its file, when known
    offset: int | None = None  # byte offset of the header in the file (its current generation)
    nlines: int = 1

    @property
    def first_line(self) -> str:
        return self.text.split("\n", 1)[0]

    @property
    def is_error(self) -> bool:
        return self.level in ("ERROR", "FATAL")

    @property
    def is_problem(self) -> bool:
        """WARN and above: what `e`/`E` jump between."""
        return self.level in formats.PROBLEM_LEVELS


class EventAssembler:
    """Turns lines into events, in order. `feed` returns the event a new header completes;
    `flush` returns the event still open (the reader decides when a quiet file means it is done)."""

    def __init__(self, fmt: Format, *, year: int | None = None, max_lines: int = MAX_EVENT_LINES):
        self.fmt = fmt
        self.year = year
        self.max_lines = max_lines
        self._lines: list[str] = []
        self._head: re.Match[str] | None = None
        self._offset: int | None = None
        self._line: int | None = None

    @property
    def pending(self) -> bool:
        return bool(self._lines)

    def starts_event(self, text: str) -> bool:
        return self._header(text)[0]

    def _header(self, text: str) -> tuple[bool, re.Match[str] | None]:
        match = self.fmt.header_re.match(text)
        if self.fmt.nonheader_continues:
            return match is not None, match
        msg = match.group("msg") if match else text
        return not (msg == "" or formats.is_trace_line(msg)), match

    def feed(self, text: str, *, offset: int | None = None, line: int | None = None) -> Event | None:
        starts, match = self._header(text)
        if self._lines and not starts and len(self._lines) < self.max_lines:
            self._lines.append(text)
            return None
        done = self.flush()
        self._lines = [text]
        self._head = match
        self._offset = offset
        self._line = line
        return done

    def flush(self) -> Event | None:
        if not self._lines:
            return None
        event = build_event(self.fmt, self._lines, self._head, offset=self._offset, line=self._line,
                            year=self.year)
        self._lines = []
        self._head = None
        return event


def build_event(fmt: Format, lines: list[str], head: re.Match[str] | None, *,
                offset: int | None = None, line: int | None = None, year: int | None = None) -> Event:
    text = "\n".join(lines) if len(lines) > 1 else lines[0]
    groups = head.groupdict() if head else _NO_GROUPS
    message = groups.get("msg")
    if message is None:
        message = lines[0]
    explicit = formats.normalize_level(groups.get("level"))
    if explicit or fmt.levels:
        level, derived = explicit, False
    elif fmt.name == "plain":
        level, derived = formats.level_in_text(message) or formats.derive_level(text), True
    else:
        level, derived = formats.derive_level(text), True
    return Event(
        text=text,
        message=message,
        format=fmt.name,
        timestamp=formats.parse_timestamp(groups.get("ts"), year=year),
        level=level,
        level_derived=derived,
        thread=groups.get("thread") or None,
        source=groups.get("source") or None,
        context=groups.get("context") or None,
        line=line,
        offset=offset,
        nlines=len(lines),
    )


def split_lines(data: bytes) -> list[bytes]:
    """Complete lines of `data` (a trailing piece without newline is a line too)."""
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return lines


def parse_lines(lines: Iterable[str], fmt: Format | str | None = None, *, first_line: int = 1,
                year: int | None = None) -> Iterator[Event]:
    """Events from text lines (already cleaned); the format is sniffed when not given."""
    items = list(lines) if fmt is None else lines
    if fmt is None:
        fmt = formats.sniff(items[:64])  # type: ignore[index]
    elif isinstance(fmt, str):
        fmt = formats.get(fmt)
    assembler = EventAssembler(fmt, year=year)
    for number, text in enumerate(items, first_line):
        event = assembler.feed(text, line=number)
        if event is not None:
            yield event
    last = assembler.flush()
    if last is not None:
        yield last


def parse_bytes(data: bytes, fmt: Format | str | None = None, *, year: int | None = None) -> list[Event]:
    """Events of a whole (small) text: a journal's output, a test's sample."""
    return list(parse_lines([clean_line(raw) for raw in split_lines(data)], fmt, year=year))


def parse_text(text: str, fmt: Format | str | None = None, *, year: int | None = None) -> list[Event]:
    return parse_bytes(text.encode("utf-8", "surrogateescape"), fmt, year=year)
