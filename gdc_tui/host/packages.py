"""RPM packages: the installed version of a package, the version inside an .rpm file, and rpm's own
version ordering (rpmvercmp), so `03.00.07-SNAPSHOT...` and `1.3.0-1762992000.e391127` compare
the way `rpm -U` decides an upgrade, not as strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from gdc_tui.host.base import CommandResult, Runner

QUERY_FORMAT = "%{VERSION}-%{RELEASE}\\n"
_PACKAGE_NAME = re.compile(r"^[A-Za-z0-9_.+-]+$")


def _isdigit(c: str) -> bool:
    return "0" <= c <= "9"


def _isalpha(c: str) -> bool:
    return "a" <= c <= "z" or "A" <= c <= "Z"


def _isalnum(c: str) -> bool:
    return _isdigit(c) or _isalpha(c)


def rpmvercmp(a: str, b: str) -> int:
    """rpm's rpmvercmp(): 1 when `a` is newer, -1 when `b` is, 0 when equal.

    A port of rpmio/rpmvercmp.c: versions split into runs of digits and runs of ASCII letters;
    everything else only separates. Numbers compare as numbers (leading zeros ignored), letters as
    strings, a number beats letters, `~` sorts before anything (1.0~rc1 < 1.0) and `^` after the
    base version but before any further segment (1.0 < 1.0^git1 < 1.0.1).
    """
    if a == b:
        return 0
    one, two = a, b
    i = j = 0
    n1, n2 = len(one), len(two)
    while i < n1 or j < n2:
        while i < n1 and not _isalnum(one[i]) and one[i] not in "~^":
            i += 1
        while j < n2 and not _isalnum(two[j]) and two[j] not in "~^":
            j += 1

        c1 = one[i] if i < n1 else ""
        c2 = two[j] if j < n2 else ""
        # The tilde separator sorts before everything else.
        if c1 == "~" or c2 == "~":
            if c1 != "~":
                return 1
            if c2 != "~":
                return -1
            i += 1
            j += 1
            continue
        # The caret is like the tilde, except that a version that has ended is the older one.
        if c1 == "^" or c2 == "^":
            if not c1:
                return -1
            if not c2:
                return 1
            if c1 != "^":
                return 1
            if c2 != "^":
                return -1
            i += 1
            j += 1
            continue
        if not (c1 and c2):
            break

        start1, start2 = i, j
        if _isdigit(one[i]):
            while i < n1 and _isdigit(one[i]):
                i += 1
            while j < n2 and _isdigit(two[j]):
                j += 1
            isnum = True
        else:
            while i < n1 and _isalpha(one[i]):
                i += 1
            while j < n2 and _isalpha(two[j]):
                j += 1
            isnum = False
        seg1, seg2 = one[start1:i], two[start2:j]
        # Segments of different kinds: the numeric one is newer.
        if not seg2:
            return 1 if isnum else -1
        if isnum:
            seg1 = seg1.lstrip("0")
            seg2 = seg2.lstrip("0")
            if len(seg1) != len(seg2):
                return 1 if len(seg1) > len(seg2) else -1
        if seg1 != seg2:
            return 1 if seg1 > seg2 else -1

    if i >= n1 and j >= n2:
        return 0
    # Whichever still has characters left is newer.
    return -1 if i >= n1 else 1


@dataclass(frozen=True)
class Evr:
    """An [EPOCH:]VERSION[-RELEASE] string split the way rpm splits it."""

    epoch: int
    version: str
    release: str | None

    @classmethod
    def parse(cls, text: str) -> Evr:
        text = text.strip()
        epoch = 0
        head, colon, rest = text.partition(":")
        if colon and head.isdigit():
            epoch, text = int(head), rest
        version, dash, release = text.rpartition("-")
        if not dash:
            return cls(epoch, text, None)
        return cls(epoch, version, release or None)

    def __str__(self) -> str:
        out = f"{self.epoch}:" if self.epoch else ""
        return out + self.version + (f"-{self.release}" if self.release else "")


def compare_versions(a: str, b: str) -> int:
    """Compare two "VERSION-RELEASE" strings (an `EPOCH:` prefix allowed) as rpm does: epoch,
    then version, then release, which counts only when both strings have one."""
    ea, eb = Evr.parse(a), Evr.parse(b)
    if ea.epoch != eb.epoch:
        return 1 if ea.epoch > eb.epoch else -1
    rc = rpmvercmp(ea.version, eb.version)
    if rc or ea.release is None or eb.release is None:
        return rc
    return rpmvercmp(ea.release, eb.release)


def newest(versions: list[str]) -> str | None:
    best: str | None = None
    for version in versions:
        if best is None or compare_versions(version, best) > 0:
            best = version
    return best


class Rpm:
    """The real Packages: asks `rpm`. When it cannot answer, the method returns None and
    `last_error` says why in one line ("rpm is not installed on this host", ...)."""

    def __init__(self, runner: Runner, *, timeout: float = 20.0):
        self.runner = runner
        self.timeout = timeout
        self.last_error: str | None = None
        self.last_result: CommandResult | None = None

    def installed_versions(self, name: str) -> list[str]:
        """Every installed VERSION-RELEASE of `name` (rpm allows several), oldest first."""
        if not _PACKAGE_NAME.match(name) or name.startswith("-"):
            raise ValueError(f"not a package name: {name!r}")
        result = self._rpm(["rpm", "-q", "--qf", QUERY_FORMAT, "--", name])
        if result is None:
            return []
        if "is not installed" in result.stdout + result.stderr:
            self.last_error = f"package {name} is not installed"
            return []
        if result.exit_code != 0:
            self.last_error = _reason(result, f"rpm -q {name}")
            return []
        versions = [line.strip() for line in result.stdout.splitlines() if line.strip()]
        return sorted(versions, key=_SortKey)

    def installed_version(self, name: str) -> str | None:
        """The installed VERSION-RELEASE of `name` (the newest, if several), or None."""
        return newest(self.installed_versions(name))

    def file_version(self, rpm_path: Path | str) -> str | None:
        """The VERSION-RELEASE inside the .rpm file at `rpm_path` (a real path: resolve connector
        paths with Files.path first), or None with `last_error` set."""
        result = self._rpm(["rpm", "-qp", "--qf", QUERY_FORMAT, "--", str(rpm_path)])
        if result is None:
            return None
        lines = [line.strip() for line in result.stdout.splitlines() if line.strip()]
        if result.exit_code != 0 or not lines:
            self.last_error = _reason(result, f"rpm -qp {rpm_path}")
            return None
        return lines[0]

    def _rpm(self, argv: list[str]) -> CommandResult | None:
        self.last_error = None
        result = self.runner.run(argv, timeout=self.timeout)
        self.last_result = result
        if result.not_found:
            self.last_error = "rpm is not installed on this host (not an RPM-based system?)"
            return None
        if result.error:
            self.last_error = f"{result.command_line}: {result.error}"
            return None
        return result


class _SortKey:
    """Sort VERSION-RELEASE strings in rpm order."""

    def __init__(self, version: str):
        self.version = version

    def __lt__(self, other: _SortKey) -> bool:
        return compare_versions(self.version, other.version) < 0


def _reason(result: CommandResult, what: str) -> str:
    for text in (result.stderr, result.stdout):
        for line in text.splitlines():
            line = line.strip()
            if line and not line.startswith("warning:"):
                return line.removeprefix("error: ")
    return f"{what} exited {result.exit_code}"
