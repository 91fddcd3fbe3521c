"""Shared fixtures: the loaded catalog, and snapshot SVGs kept in the top-level snapshots/ folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from gdc_tui.knowledge import Knowledge, load_knowledge

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    return load_knowledge()
