"""Following one log file, `tail -F` done right: the core of the log pane, with no UI in it.

- `open_at_end(lines)` reads backwards from the end in blocks until it has the last N lines (and
  the header of the first event among them): constant time whatever the file's size.
- `poll()` returns the events completed since the last poll (a worker calls it every few tens of
  milliseconds; it never blocks, and reads at most `max_read` bytes per call — `behind` says
  there is more).
- Rotation by rename (the path names a new inode): the old file is read to its end first, then the
  new one from its start. Copytruncate (the file shrinks below our offset, or the bytes before our
  offset changed): the lines written before the truncation are taken from the rotated copy when
  one beside the log still holds them, then the log is read again from its start. A deleted log
  is still read while a writer holds it open, and a log that comes back is read from its start.
  No line is lost or shown twice, provided a writer stops writing to the old file once the path
  names the new one (logback, log4j and logrotate behave so).
- Memory is bounded: the last `keep` events (and at most `keep_chars` characters of them) stay in
  `events`; a partial last line waits for its newline, but at most `max_line` bytes of it are kept.

Not thread-safe: one worker owns a follower and hands the returned events to the UI.
"""

from __future__ import annotations

import os
import stat as stat_mod
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

from gdc_tui.logs import formats, rotation
from gdc_tui.logs.formats import Format
from gdc_tui.logs.parse import MAX_LINE, Event, EventAssembler, clean_line

BLOCK = 64 * 1024
TAIL_CHECK = 32  # bytes before our offset compared on each poll: a rewrite shows up there
SNIFF_LINES = 64  # lines the format is guessed from when not given
MAX_HEADER_SEARCH = 1024 * 1024  # how far back open_at_end looks for the first event's header


class LogFollower:
    """Follow `path`; see the module docstring. `fmt` is a formats name or Format (sniffed from
    the first lines when None)."""

    def __init__(self, path: Path | str, *, keep: int = 5000, fmt: Format | str | None = None,
                 max_line: int = MAX_LINE, settle: float = 0.05, max_read: int = 4 * 1024 * 1024,
                 keep_chars: int = 32 * 1024 * 1024, clock: Callable[[], float] = time.monotonic):
        if keep < 1:
            raise ValueError("keep must be at least 1")
        self.path = Path(path)
        self.keep = keep
        self.events: deque[Event] = deque(maxlen=keep)
        self.fmt: Format | None = formats.get(fmt) if isinstance(fmt, str) else fmt
        self.max_line = max_line
        self.settle = settle
        self.max_read = max_read
        self.keep_chars = keep_chars
        self.clock = clock
        self.status = "closed"  # following | missing (path gone) | unreadable | closed
        self.problem: str | None = None  # why the path cannot be followed, in one line
        self.rotations = 0  # times the path was replaced by another file
        self.truncations = 0  # times the file was truncated (copytruncate) or rewritten
        self.bytes_read = 0  # from disk, in total (tests check open_at_end reads little)
        self.behind = False  # the last poll stopped at max_read: call poll again soon
        self._fd: int | None = None
        self._ident: tuple[int, int] | None = None
        self._offset = 0  # the next byte to read in the current file
        self._tail = b""  # the last bytes before _offset
        self._partial = bytearray()
        self._dropped = 0  # bytes of the partial line beyond max_line, not kept
        self._partial_offset = 0
        self._lineno: int | None = None  # number of the next line, when read from the start
        self._assembler: EventAssembler | None = None
        self._last_data = clock()
        self._chars = 0

    # --- public --------------------------------------------------------------------------------

    def open_at_end(self, lines: int = 200) -> list[Event]:
        """The events of the last `lines` lines; following continues from the end."""
        self.close()
        self._assembler = None  # a new start: nothing pending from before
        if not self._open():
            return []
        size = os.fstat(self._fd).st_size  # type: ignore[arg-type]
        wanted = max(lines, SNIFF_LINES if self.fmt is None else 0)
        data, start = self._read_back(size, wanted + 1, max(wanted, 1) * self.max_line)
        head: list[tuple[int, bytes]] = []
        if start > 0:
            cut = data.find(b"\n")
            if cut != -1:
                if data.count(b"\n") <= wanted:  # out of budget inside a huge line: show its end
                    head = [(start, "\u2026 ".encode() + data[:cut])]
                data, start = data[cut + 1:], start + cut + 1
        body_end = data.rfind(b"\n") + 1
        rows = head + _rows(data[:body_end], start)
        out: list[Event] = []
        if rows:  # (an empty file: the format is read from its first lines when they come)
            self._choose_format([raw for _, raw in rows[-SNIFF_LINES * 4:]])
            assert self._assembler is not None and self.fmt is not None
            rows = rows[-lines:] if lines > 0 else []
            texts = [clean_line(raw, cap=self.max_line) for _, raw in rows]
            if rows and rows[0][0] > 0 and self.fmt.nonheader_continues \
                    and not self._assembler.starts_event(texts[0]):
                extra = self._back_to_header(rows[0][0])
                rows = extra + rows
                texts = [clean_line(raw, cap=self.max_line) for _, raw in extra] + texts
            for (offset, _), text in zip(rows, texts, strict=True):
                event = self._assembler.feed(text, offset=offset)
                if event is not None:
                    out.append(event)
            last = self._assembler.flush()
            if last is not None:
                out.append(last)
        # The unterminated last line waits for its newline.
        rest = data[body_end:]
        self._partial = bytearray(rest[: self.max_line])
        self._dropped = max(0, len(rest) - self.max_line)
        self._partial_offset = start + body_end
        self._offset = size
        self._tail = data[-TAIL_CHECK:] if data else b""
        self._lineno = None
        self._remember(out)
        return out

    def poll(self) -> list[Event]:
        """The events completed since the last call (possibly none)."""
        out: list[Event] = []
        self.behind = False
        if self._fd is None and not self._open():
            return out
        path_ident = self._path_ident()
        size = os.fstat(self._fd).st_size  # type: ignore[arg-type]
        if self._rewritten(size):
            self._after_truncation(out)
        got = self._read_available(out)
        if path_ident is not None and path_ident != self._ident and not self.behind:
            # The path names another file now: the old one is complete (read to its end above).
            self._end_of_file(out)
            self._close_fd()
            self.rotations += 1
            if self._open():
                got += self._read_available(out)
        elif path_ident is None:
            self.status, self.problem = "missing", f"{self.path} was removed (still reading what is open)"
        elif self.status == "missing":
            self.status, self.problem = "following", None
        now = self.clock()
        if got:
            self._last_data = now
        # The last event may still get its stack trace: it is complete once the next event
        # starts, or once the file has been quiet for `settle` seconds.
        if self._assembler is not None and self._assembler.pending and now - self._last_data >= self.settle:
            last = self._assembler.flush()
            if last is not None:
                out.append(last)
        self._remember(out)
        return out

    def close(self) -> None:
        self._close_fd()
        self.status = "closed"

    def __enter__(self) -> LogFollower:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- opening -------------------------------------------------------------------------------

    def _open(self) -> bool:
        """Open the path and start at its beginning; False (with status and problem) when not."""
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except FileNotFoundError:
            self.status, self.problem = "missing", f"{self.path}: not found (waiting for it)"
            return False
        except PermissionError:
            self.status, self.problem = "unreadable", f"{self.path}: permission denied"
            return False
        except OSError as exc:
            self.status, self.problem = "unreadable", f"{self.path}: {exc.strerror or exc}"
            return False
        st = os.fstat(fd)
        if not stat_mod.S_ISREG(st.st_mode):
            os.close(fd)
            self.status, self.problem = "unreadable", f"{self.path}: not a regular file"
            return False
        self._fd = fd
        self._ident = (st.st_dev, st.st_ino)
        self._offset = 0
        self._tail = b""
        self._partial = bytearray()
        self._dropped = 0
        self._partial_offset = 0
        self._lineno = 1
        self.status, self.problem = "following", None
        return True

    def _close_fd(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
            self._ident = None

    def _path_ident(self) -> tuple[int, int] | None:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        except OSError:
            return self._ident  # cannot tell: assume unchanged
        return (st.st_dev, st.st_ino)

    # --- reading -------------------------------------------------------------------------------

    def _pread(self, size: int, offset: int, fd: int | None = None) -> bytes:
        data = os.pread(self._fd if fd is None else fd, size, offset)  # type: ignore[arg-type]
        self.bytes_read += len(data)
        return data

    def _read_back(self, end: int, newlines: int, budget: int) -> tuple[bytes, int]:
        """Bytes before `end` holding `newlines` newlines (or the file's start, or `budget`)."""
        chunks: list[bytes] = []
        pos, seen = end, 0
        while pos > 0 and seen < newlines and end - pos < budget:
            size = min(BLOCK, pos)
            pos -= size
            chunk = self._pread(size, pos)
            chunks.append(chunk)
            seen += chunk.count(b"\n")
        chunks.reverse()
        return b"".join(chunks), pos

    def _back_to_header(self, first_offset: int) -> list[tuple[int, bytes]]:
        """The lines before `first_offset` back to the header of the event it continues (a
        stack trace's first lines), if one is within MAX_HEADER_SEARCH bytes."""
        assert self._assembler is not None
        data, pos, checked = b"", first_offset, first_offset  # lines from `checked` on: no header
        while pos > 0 and first_offset - pos < MAX_HEADER_SEARCH:
            size = min(BLOCK, pos)
            pos -= size
            data = self._pread(size, pos) + data
            cut = data.find(b"\n") + 1 if pos > 0 else 0  # the first line may be cut
            if pos > 0 and cut == 0:
                continue
            rows = _rows(data[cut:], pos + cut)
            for index in range(len(rows) - 1, -1, -1):
                if rows[index][0] >= checked:
                    continue
                if self._assembler.starts_event(clean_line(rows[index][1], cap=self.max_line)):
                    return rows[index:]
            checked = pos + cut
        return []

    def _read_available(self, out: list[Event]) -> int:
        """Read from our offset to the end of the file (at most max_read bytes)."""
        got = 0
        while got < self.max_read:
            chunk = self._pread(BLOCK, self._offset)
            if not chunk:
                return got
            self._feed(chunk, self._offset, out)
            self._offset += len(chunk)
            self._tail = (self._tail + chunk)[-TAIL_CHECK:]
            got += len(chunk)
            if len(chunk) < BLOCK:
                return got
        self.behind = True
        return got

    def _choose_format(self, raws: list[bytes]) -> None:
        sample = [clean_line(raw, cap=4096) for raw in raws]
        self.fmt = formats.sniff(sample) if self.fmt is None else formats.confirm(self.fmt, sample)
        self._assembler = EventAssembler(self.fmt)

    def _feed(self, chunk: bytes, chunk_offset: int, out: list[Event]) -> None:
        pieces = chunk.split(b"\n")
        rest = pieces.pop()
        if self._assembler is None and pieces:
            self._choose_format(pieces[: SNIFF_LINES * 4])
        position = chunk_offset
        for piece in pieces:
            if self._partial or self._dropped:
                room = max(0, self.max_line - len(self._partial))
                raw = bytes(self._partial) + piece[:room]
                dropped = self._dropped + max(0, len(piece) - room)
                line_offset = self._partial_offset
                self._partial = bytearray()
                self._dropped = 0
            else:
                raw, dropped, line_offset = piece, 0, position
            self._line(raw, dropped, line_offset, out)
            position += len(piece) + 1
        if rest:
            if not self._partial and not self._dropped:
                self._partial_offset = position
            room = max(0, self.max_line - len(self._partial))
            self._partial += rest[:room]
            self._dropped += max(0, len(rest) - room)

    def _line(self, raw: bytes, dropped: int, offset: int, out: list[Event]) -> None:
        text = clean_line(raw, cap=self.max_line, dropped=dropped)
        if self._assembler is None:
            self._choose_format([raw])
        assert self._assembler is not None
        event = self._assembler.feed(text, offset=offset, line=self._lineno)
        if self._lineno is not None:
            self._lineno += 1
        if event is not None:
            out.append(event)

    def _end_of_file(self, out: list[Event]) -> None:
        """The current file will get no more data: its last line and event are complete."""
        if self._partial or self._dropped:
            raw, dropped = bytes(self._partial), self._dropped
            self._partial, self._dropped = bytearray(), 0
            self._line(raw, dropped, self._partial_offset, out)
        if self._assembler is not None:
            last = self._assembler.flush()
            if last is not None:
                out.append(last)

    # --- truncation ----------------------------------------------------------------------------

    def _rewritten(self, size: int) -> bool:
        if size < self._offset:
            return True
        if not self._tail:
            return False
        at = self._offset - len(self._tail)
        return self._pread(len(self._tail), at) != self._tail

    def _after_truncation(self, out: list[Event]) -> None:
        self.truncations += 1
        self._recover_from_copy(out)
        self._end_of_file(out)
        self._offset = 0
        self._tail = b""
        self._lineno = 1

    def _recover_from_copy(self, out: list[Event]) -> bool:
        """copytruncate copies the log, then empties it: what we had not read yet is in the copy."""
        if self._offset == 0 or not self._tail:
            return False
        try:
            entries = list(os.scandir(self.path.parent))
        except OSError:
            return False
        copies = []
        for entry in entries:
            if not rotation.is_rotated(self.path.name, entry.name) or rotation.compression(entry.name):
                continue
            try:
                st = entry.stat()
            except OSError:
                continue
            if stat_mod.S_ISREG(st.st_mode) and st.st_size >= self._offset:
                copies.append((st.st_mtime, entry.path))
        for _mtime, copy in sorted(copies, reverse=True)[:4]:
            try:
                fd = os.open(copy, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
            except OSError:
                continue
            try:
                at = self._offset - len(self._tail)
                if self._pread(len(self._tail), at, fd) != self._tail:
                    continue
                offset = self._offset
                while chunk := self._pread(BLOCK, offset, fd):
                    self._feed(chunk, offset, out)
                    offset += len(chunk)
                return True
            finally:
                os.close(fd)
        return False

    # --- memory --------------------------------------------------------------------------------

    def _remember(self, events: list[Event]) -> None:
        for event in events:
            if len(self.events) == self.keep:
                self._chars -= len(self.events[0].text)
            self.events.append(event)
            self._chars += len(event.text)
        while self._chars > self.keep_chars and len(self.events) > 1:
            self._chars -= len(self.events.popleft().text)


def _rows(data: bytes, start: int) -> list[tuple[int, bytes]]:
    """(offset, line) for each newline-terminated line of `data`, which starts at offset `start`."""
    rows = []
    offset = start
    for raw in data.split(b"\n")[:-1]:
        rows.append((offset, raw))
        offset += len(raw) + 1
    return rows
