"""Java .properties files (the SCIM server's config-<id>.properties) read and edited in place:
comments, order, spacing and every untouched line stay byte for byte; saving goes through the
atomic write with a backup.

Parser choice: `javaproperties` (already a dependency), not jproperties and not a parser of our
own. Its `parse()` yields every line-level element (comment, blank, key/value) with the exact
source text it came from, and it implements the full Java grammar (`=`, `:` or white space as the
separator, `\\` line continuations, `\\uXXXX` escapes, `!` comments). Its `PropertiesFile` class is
not used for editing because it rewrites a changed line in its own style and drops the later
duplicates of a key; this module rewrites only the value part of the one line Java reads (the
last occurrence), keeping that line's key spelling, separator and line ending.

Files are decoded as ISO-8859-1, as Java's Properties.load(InputStream) and Spring Boot read
them: each byte is one character, so saving writes back exactly the bytes that were read. New
values are written with `\\uXXXX` escapes for anything outside ASCII.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import javaproperties

from gdc_tui.host.base import HostError
from gdc_tui.host.files import Files

ENCODING = "iso-8859-1"
MAX_BYTES = 4 * 1_048_576
_SEPARATOR_SPACE = " \t\f"


@dataclass
class _Line:
    """One logical line: its exact source, and for a key/value line the key and value."""

    source: str
    key: str | None = None
    value: str | None = None


def _line_ending(source: str) -> str:
    for ending in ("\r\n", "\n", "\r"):
        if source.endswith(ending):
            return ending
    return ""


def _value_start(source: str) -> tuple[int, int]:
    """Where the key ends and the value begins in the source of a key/value line."""
    i, n = 0, len(source)
    while i < n and source[i] in _SEPARATOR_SPACE:
        i += 1
    while i < n:
        c = source[i]
        if c == "\\":
            i += 2
            # A continuation inside the key: skip the line break and the next line's indent.
            if source[i - 1:i] == "\r" and source[i:i + 1] == "\n":
                i += 1
            if source[i - 1:i] in ("\r", "\n"):
                while i < n and source[i] in _SEPARATOR_SPACE:
                    i += 1
            continue
        if c in "=:" or c in _SEPARATOR_SPACE or c in "\r\n":
            break
        i += 1
    key_end = i
    while i < n and source[i] in _SEPARATOR_SPACE:
        i += 1
    if i < n and source[i] in "=:":
        i += 1
        while i < n and source[i] in _SEPARATOR_SPACE:
            i += 1
    return key_end, i


def _escape_value(value: str) -> str:
    """A value as Java writes it: backslashes, line breaks and leading blanks escaped, non-ASCII as
    \\uXXXX. (join_key_value with a throw-away key gives exactly the value part.)"""
    return javaproperties.join_key_value("k", value, separator="=")[2:]


class PropertiesFile:
    """A .properties file held as its lines; `text()` is the file exactly as read, plus edits."""

    def __init__(self, lines: list[_Line]):
        self._lines = lines
        self._origin: tuple[str, bytes] | None = None  # (path, bytes) as `load` read them

    @classmethod
    def parse(cls, text: str) -> PropertiesFile:
        lines: list[_Line] = []
        for element in javaproperties.parse(text):
            if isinstance(element, javaproperties.KeyValue):
                lines.append(_Line(element.source, element.key, element.value))
            else:
                lines.append(_Line(element.source))
        return cls(lines)

    @classmethod
    def load(cls, files: Files, path: str) -> PropertiesFile:
        """Read connector path `path`. Over 4 MiB is refused: a config file, not a data dump,
        and a part of a file must never be saved back as the whole."""
        data = files.read_bytes(path, MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise HostError(f"{path}: over {MAX_BYTES // 1_048_576} MiB, too large for a "
                            ".properties file: not read")
        props = cls.parse(data.decode(ENCODING))
        props._origin = (path, data)
        return props

    # --- reading ---------------------------------------------------------------------------------

    def get(self, key: str) -> str | None:
        """The value Java would read: the last occurrence of `key` wins."""
        for line in reversed(self._lines):
            if line.key == key:
                return line.value
        return None

    def __contains__(self, key: object) -> bool:
        return any(line.key == key for line in self._lines)

    def items(self) -> list[tuple[str, str]]:
        """(key, value) in the order keys first appear, each with the value Java reads."""
        merged: dict[str, str] = {}
        for line in self._lines:
            if line.key is not None:
                merged[line.key] = line.value or ""
        return list(merged.items())

    def keys(self) -> Iterator[str]:
        return (key for key, _ in self.items())

    def text(self) -> str:
        return "".join(line.source for line in self._lines)

    # --- editing ---------------------------------------------------------------------------------

    def set(self, key: str, value: str) -> None:
        """Give `key` the value `value`: rewrite the value of the line Java reads, keeping its key
        spelling, separator and line ending; or append `key=value` when the key is new."""
        for line in reversed(self._lines):
            if line.key == key:
                key_end, start = _value_start(line.source)
                ending = _line_ending(line.source)
                # `key` alone on its line has no separator yet: give it one.
                separator = "=" if start == key_end else ""
                line.source = line.source[:start] + separator + _escape_value(value) + ending
                line.value = value
                return
        ending = self._dominant_ending()
        if self._lines and not _line_ending(self._lines[-1].source):
            last = self._lines[-1]
            # A last line ending in a lone `\` would swallow the new line as its continuation.
            if last.key is not None and _trailing_backslashes(last.source) % 2 == 1:
                last.source = last.source[:-1]
            last.source += ending
        entry = javaproperties.join_key_value(key, value, separator="=")
        self._lines.append(_Line(entry + ending, key, value))

    def _dominant_ending(self) -> str:
        counts = {"\r\n": 0, "\n": 0, "\r": 0}
        for line in self._lines:
            ending = _line_ending(line.source)
            if ending:
                counts[ending] += 1
        best = max(counts, key=lambda e: counts[e])
        return best if counts[best] else "\n"

    def save(self, files: Files, path: str) -> Path | None:
        """Write back through the atomic write (mode and owner kept); returns the backup's path.
        Refuses (HostError) when the file changed on disk since `load` read it, rather than
        silently undoing someone else's edit."""
        if self._origin is not None and self._origin[0] == path:
            try:
                current = files.read_bytes(path, MAX_BYTES + 1)
            except FileNotFoundError:
                current = b""
            if current != self._origin[1]:
                raise HostError(f"{path} changed on disk since gdc-tui read it: "
                                "read it again before editing")
        data = self.text().encode(ENCODING, errors="javapropertiesreplace")
        backup = files.atomic_write(path, data, backup=True)
        self._origin = (path, data)
        return backup


def _trailing_backslashes(text: str) -> int:
    return len(text) - len(text.rstrip("\\"))
