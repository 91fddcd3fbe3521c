"""Fixtures of the demo host's tests."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_frozen_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GDC_TUI_FROZEN", raising=False)
