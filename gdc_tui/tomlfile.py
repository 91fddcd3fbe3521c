"""Strict reading of gdc-tui's own TOML files: typed fields, unknown keys refused, one clear error.

knowledge/, screens/ and the settings file are all read through `Table`, so a typo in any of them
stops with a single line naming the file, the entry and the key instead of a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib


class DataFileError(Exception):
    """A data file is broken or inconsistent. `str()` is the one line to show the user."""

    def __init__(self, file: Path | str, message: str, entry: str | None = None, key: str | None = None):
        self.file = str(file)
        self.entry = entry
        self.key = key
        self.message = message
        where = self.file
        if entry:
            where += f": entry {entry!r}"
        if key:
            where += f", key {key!r}"
        super().__init__(f"{where}: {message}")


def read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(path, f"not valid TOML: {exc}") from None
    except OSError as exc:
        raise DataFileError(path, f"cannot be read: {exc.strerror or exc}") from None


_TYPE_NAMES = {str: "a string", int: "an integer", float: "a number", bool: "true or false",
               list: "a list", dict: "a table"}


class Table:
    """One TOML table being read; every key must be consumed, or `done()` names the stray ones."""

    def __init__(self, data: Any, file: Path | str, entry: str | None = None, prefix: str = ""):
        if not isinstance(data, dict):
            raise DataFileError(file, "must be a table", entry, prefix or None)
        self.data = data
        self.file = file
        self.entry = entry
        self.prefix = prefix
        self._seen: set[str] = set()

    def _key(self, key: str) -> str:
        return f"{self.prefix}.{key}" if self.prefix else key

    def fail(self, key: str | None, message: str) -> DataFileError:
        return DataFileError(self.file, message, self.entry, self._key(key) if key else self.prefix or None)

    def _get(self, key: str, kind: type, required: bool, default: Any) -> Any:
        self._seen.add(key)
        if key not in self.data:
            if required:
                raise self.fail(key, "is missing")
            return default
        value = self.data[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.fail(key, f"must be {_TYPE_NAMES[kind]}, not {type(value).__name__}")
        return value

    def str(self, key: str, default: str | None = None, *, required: bool = True) -> str:
        value = self._get(key, str, required and default is None, default)
        if required and default is None and not value.strip():
            raise self.fail(key, "must not be empty")
        return value

    def opt_str(self, key: str) -> str | None:
        return self._get(key, str, False, None)

    def int(self, key: str, default: int | None = None) -> int:
        return self._get(key, int, default is None, default)

    def opt_int(self, key: str) -> int | None:
        return self._get(key, int, False, None)

    def float(self, key: str, default: float | None = None) -> float:
        return self._get(key, float, default is None, default)

    def bool(self, key: str, default: bool | None = None) -> bool:
        return self._get(key, bool, default is None, default)

    def strs(self, key: str, *, required: bool = False, allow_str: bool = False) -> tuple[str, ...]:
        """A list of strings; with `allow_str`, a single string stands for a list of one."""
        self._seen.add(key)
        if key not in self.data:
            if required:
                raise self.fail(key, "is missing")
            return ()
        value = self.data[key]
        if allow_str and isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, "must be a list of strings")
        if required and not value:
            raise self.fail(key, "must not be empty")
        return tuple(value)

    def tables(self, key: str, *, required: bool = False) -> Iterator[Table]:
        """The array of tables under `key`, each as a Table (with an indexed key path)."""
        self._seen.add(key)
        value = self.data.get(key, [])
        if not isinstance(value, list):
            raise self.fail(key, "must be an array of tables ([[...]])")
        if required and not value:
            raise self.fail(key, "must have at least one entry")
        for index, item in enumerate(value):
            yield Table(item, self.file, self.entry, self._key(f"{key}[{index}]"))

    def table(self, key: str, *, required: bool = True) -> Table | None:
        self._seen.add(key)
        if key not in self.data:
            if required:
                raise self.fail(key, "is missing")
            return None
        return Table(self.data[key], self.file, self.entry, self._key(key))

    def done(self) -> None:
        """Refuse keys nobody asked for: they are typos or fields this version does not know."""
        stray = sorted(set(self.data) - self._seen)
        if stray:
            raise self.fail(stray[0], "is not a known field" + (f" (nor {', '.join(stray[1:])})" if stray[1:] else ""))
