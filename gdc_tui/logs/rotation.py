"""Rotated copies of a log: which names belong to which log, and reading compressed ones.

logrotate and logback name old logs in many ways; all of these belong to `agent.log`:
`agent.log.1`, `agent.log.2.gz`, `agent.log-2026-01-10`, `agent.log-20260110.gz`,
`agent.log.2026-01-10.log.gz`, `agent.log.2026-01-10.0.gz`, `agent-2026-01-10.log`,
`agent.2026-01-10.1.log.gz`. Names are compared ignoring case (the guide says `Application.log`,
hosts show `application.log`).
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import re
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

COMPRESSED = {".gz": "gzip", ".bz2": "bzip2", ".xz": "xz"}


@lru_cache(maxsize=256)
def _sibling_re(base: str) -> re.Pattern[str]:
    name = base.lower()
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        stem, ext = name, ""
    comp = r"(?:\.(?:gz|bz2|xz))?"
    # Something with a digit after the full name, or a dated/numbered stem with the extension.
    alternatives = [re.escape(name) + r"[.\-_](?=[^/]*\d)[\w.\-]+"]
    if ext:
        alternatives.append(re.escape(stem) + r"[.\-_](?=[^/]*\d)[\w.\-]*\." + re.escape(ext) + comp)
    alternatives.append(re.escape(name) + r"\.(?:old|bak)" + comp)
    return re.compile("^(?:" + "|".join(alternatives) + ")$")


def is_rotated(base: str, name: str) -> bool:
    """Whether file `name` is a rotated copy of the log called `base` (case-insensitive)."""
    lowered = name.lower()
    return lowered != base.lower() and bool(_sibling_re(base).match(lowered))


def compression(name: str) -> str | None:
    """"gzip", "bzip2", "xz" from the name's last suffix, else None."""
    return COMPRESSED.get(Path(name).suffix.lower())


def open_log(path: Path, kind: str | None = None) -> BinaryIO:
    """A binary stream of the log's text, decompressing on the fly (constant memory)."""
    kind = kind if kind is not None else compression(path.name)
    if kind == "gzip":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    if kind == "bzip2":
        return bz2.open(path, "rb")  # type: ignore[return-value]
    if kind == "xz":
        return lzma.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb", buffering=0)
