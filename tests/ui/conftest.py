"""Snapshot tests: SVGs live in snapshots/<test module>/ at the top of the repo, not tests/__snapshots__.

pytest-textual-snapshot hard-codes syrupy's default folder; this `snap_compare` replaces its
fixture with one that uses an extension whose `dirname` points into snapshots/. Update snapshots
with `pytest tests/ui --snapshot-update`, and only after looking at the new SVGs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from pytest_textual_snapshot import SVGImageExtension
from syrupy.assertion import SnapshotAssertion
from textual.app import App

SNAPSHOTS = Path(__file__).resolve().parents[2] / "snapshots"


class ProjectSVGExtension(SVGImageExtension):
    @classmethod
    def dirname(cls, *, test_location) -> str:
        return str(SNAPSHOTS / Path(test_location.filepath).stem)


@pytest.fixture
def snap_compare(snapshot: SnapshotAssertion) -> Callable[..., bool]:
    from textual._doc import take_svg_screenshot

    snapshot = snapshot.use_extension(ProjectSVGExtension)

    def compare(app: App, press: Iterable[str] = (), terminal_size: tuple[int, int] = (80, 24),
                run_before=None, normalize: Callable[[str], str] | None = None) -> bool:
        """`normalize` replaces what a live host cannot hold still (ports, pids, timings) before
        the SVG is compared or stored."""
        svg = take_svg_screenshot(app=app, press=press, terminal_size=terminal_size, run_before=run_before)
        return snapshot == (normalize(svg) if normalize else svg)

    return compare
