"""The health check result model (as Datadog's `diagnose`): a status, a one-line summary, the details,
the evidence (commands run and what they printed), the remediation, the catalog entries it relates
to and the action that fixes it. Plus `Check`, the registry record of one check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from gdc_tui.host.base import CommandResult

if TYPE_CHECKING:
    from gdc_tui.checks.context import CheckContext

PASS, WARN, FAIL, ERROR, SKIP = "pass", "warn", "fail", "error", "skip"
STATUSES = (PASS, WARN, FAIL, ERROR, SKIP)
# How bad a status is, for the exit code and for "the worst of" (skip counts as fine).
SEVERITY = {PASS: 0, SKIP: 0, WARN: 1, FAIL: 2, ERROR: 3}
# Symbol AND word, so the table still reads with NO_COLOR or in a log file.
SYMBOLS = {PASS: "✔", WARN: "!", FAIL: "✖", ERROR: "?", SKIP: "-"}
STYLES = {PASS: "green", WARN: "yellow", FAIL: "red", ERROR: "magenta", SKIP: "dim"}


@dataclass(frozen=True)
class Outcome:
    """What a check function returns; the engine adds the check's id, title, hop and duration."""

    status: str
    summary: str
    details: tuple[str, ...] = ()
    remediation: str | None = None  # what to do, with the exact commands (sudo included)
    errors: tuple[str, ...] = ()  # related catalog entry ids
    fix: str | None = None  # the id of the action that fixes it (actions come later)
    evidence: tuple[CommandResult, ...] = ()

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r} (known: {', '.join(STATUSES)})")
        if not self.summary.strip():
            # A skip always says why; every other status says what it found.
            raise ValueError(f"a {self.status} outcome needs a summary")


def _outcome(status: str, summary: str, details: Iterable[str] | str | None, remediation: str | None,
             errors: Iterable[str], fix: str | None) -> Outcome:
    if isinstance(details, str):
        details = (details,)
    return Outcome(status, summary, tuple(details or ()), remediation, tuple(errors), fix)


def passed(summary: str, details: Iterable[str] | str | None = None) -> Outcome:
    return _outcome(PASS, summary, details, None, (), None)


def warned(summary: str, details: Iterable[str] | str | None = None, *, remediation: str | None = None,
           errors: Iterable[str] = (), fix: str | None = None) -> Outcome:
    return _outcome(WARN, summary, details, remediation, errors, fix)


def failed(summary: str, details: Iterable[str] | str | None = None, *, remediation: str | None = None,
           errors: Iterable[str] = (), fix: str | None = None) -> Outcome:
    return _outcome(FAIL, summary, details, remediation, errors, fix)


def skipped(reason: str, details: Iterable[str] | str | None = None, *, remediation: str | None = None) -> Outcome:
    """Not checked, and why (always with the reason)."""
    return _outcome(SKIP, reason, details, remediation, (), None)


def errored(summary: str, details: Iterable[str] | str | None = None, *, remediation: str | None = None) -> Outcome:
    """The check could not run (as opposed to: it ran and found a fault)."""
    return _outcome(ERROR, summary, details, remediation, (), None)


@dataclass(frozen=True)
class CheckResult:
    """One finished check. `evidence` holds the commands it ran (argv, exit code, output)."""

    id: str
    title: str
    hop: str
    status: str
    summary: str
    details: tuple[str, ...] = ()
    remediation: str | None = None
    errors: tuple[str, ...] = ()
    fix: str | None = None
    evidence: tuple[CommandResult, ...] = ()
    duration_s: float = 0.0

    @property
    def symbol(self) -> str:
        return SYMBOLS[self.status]

    @property
    def ok(self) -> bool:
        return SEVERITY[self.status] == 0

    def to_json(self) -> dict:
        """The CLI's JSON contract for one check (evidence stays out: it is for the detail view)."""
        return {
            "id": self.id,
            "title": self.title,
            "hop": self.hop,
            "status": self.status,
            "summary": self.summary,
            "details": list(self.details),
            "remediation": self.remediation,
            "errors": list(self.errors),
            "fix": self.fix,
            "duration_s": round(self.duration_s, 3),
        }


CheckFunction = Callable[["CheckContext"], Outcome]


@dataclass(frozen=True)
class Check:
    """One check in the registry. `timeout` bounds it: past it, its result is "timed out"."""

    id: str
    title: str
    hop: str  # a hop id of knowledge/components.toml
    function: CheckFunction = field(repr=False, compare=False)
    timeout: float = 10.0
    description: str = ""  # what it looks at, for --list and the TUI's detail view

    def result(self, outcome: Outcome, duration_s: float,
               evidence: Iterable[CommandResult] = ()) -> CheckResult:
        return CheckResult(
            id=self.id, title=self.title, hop=self.hop, status=outcome.status,
            summary=outcome.summary, details=outcome.details, remediation=outcome.remediation,
            errors=outcome.errors, fix=outcome.fix,
            evidence=(*outcome.evidence, *evidence), duration_s=duration_s,
        )


def counts(results: Iterable[CheckResult]) -> dict[str, int]:
    """How many results of each status: {"pass": 3, "warn": 0, ...} (every status present)."""
    tally = dict.fromkeys(STATUSES, 0)
    for result in results:
        tally[result.status] += 1
    return tally


def exit_code(results: Iterable[CheckResult]) -> int:
    """0 all pass (skips allowed), 1 warnings, 2 failures, 3 a check could not run: the worst wins."""
    return max((SEVERITY[r.status] for r in results), default=0)
