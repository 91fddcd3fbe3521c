"""What the demos show, pinned as SVG snapshots (snapshots/test_snapshots/)."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList, TextArea

from gdc_tui.ui.app import GdcApp

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
PASTE = """2026-02-17T11:54:32.123+00:00  [pid:4242] [https-jsse-nio-1443-exec-3] c.z.h.pool.HikariPool:597 - HikariPool-1 - Exception during pool initialization.
java.sql.SQLException: ORA-01017: invalid username/password; logon denied
\tat oracle.jdbc.driver.T4CTTIoer11.processError(T4CTTIoer11.java:509)"""


async def _paste(pilot) -> None:
    pilot.app.query_one("#lookup-text", TextArea).insert(PASTE)
    await pilot.press("ctrl+r")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _open_first_match(pilot) -> None:
    await _paste(pilot)
    pilot.app.query_one("#lookup-results", OptionList).focus()
    await pilot.press("enter")
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_lookup_shows_the_match(snap_compare, knowledge, size):
    app = GdcApp(knowledge, host_name="scim01.example.com")
    assert snap_compare(app, terminal_size=size, run_before=_paste)


@pytest.mark.parametrize("size", SIZES)
def test_entry_detail(snap_compare, knowledge, size):
    app = GdcApp(knowledge, host_name="scim01.example.com")
    assert snap_compare(app, terminal_size=size, run_before=_open_first_match)
