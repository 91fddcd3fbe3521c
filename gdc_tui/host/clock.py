"""Clocks: the system's (tz-aware UTC) and a frozen one that tests and snapshots inject."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone


class SystemClock:
    """The machine's clock, always tz-aware UTC (log times, backups and records compare in UTC)."""

    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class FrozenClock:
    """A clock that says the same time until told to move: tests and snapshots never drift."""

    def __init__(self, at: datetime):
        if at.tzinfo is None or at.utcoffset() is None:
            raise ValueError(f"FrozenClock needs a tz-aware datetime, not {at.isoformat()}")
        self._at = at.astimezone(timezone.utc)

    def now(self) -> datetime:
        return self._at

    def advance(self, seconds: float = 0.0, **delta: float) -> datetime:
        """Move the frozen time forward (`advance(5)`, `advance(minutes=2)`); returns the new
        time."""
        self._at += timedelta(seconds=seconds, **delta)
        return self._at
