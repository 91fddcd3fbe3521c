"""Clocks: the system's is UTC; a frozen one stays put until moved."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from gdc_tui.host.clock import FrozenClock, SystemClock


def test_system_clock_is_aware_utc():
    now = SystemClock().now()
    assert now.tzinfo is timezone.utc
    assert abs(now - datetime.now(timezone.utc)) < timedelta(seconds=5)


def test_frozen_clock_stays_and_moves_when_told():
    at = datetime(2026, 2, 10, 9, 21, 11, tzinfo=timezone(timedelta(hours=1)))
    clock = FrozenClock(at)
    assert clock.now() == at and clock.now().tzinfo is timezone.utc
    assert clock.now() == clock.now()
    assert clock.advance(minutes=2) == at + timedelta(minutes=2)
    assert clock.advance(5) == at + timedelta(minutes=2, seconds=5)


def test_frozen_clock_refuses_naive_times():
    with pytest.raises(ValueError, match="tz-aware"):
        FrozenClock(datetime(2026, 2, 10, 8, 0))
