"""The log pane beside every step: it follows the logs live, jumps between errors, marks the known
ones with their guide ref and opens their entry, searches, filters by level, survives rotation,
and says why a log cannot be shown."""

from __future__ import annotations

import os
import time

import pytest
from textual import events
from textual.app import App, ComposeResult

from gdc_tui.demo import open_demo
from gdc_tui.host.real import real_host
from gdc_tui.logs.parse import parse_text
from gdc_tui.ui.app import GdcApp
from gdc_tui.ui.entry_screen import EntryScreen
from gdc_tui.ui.widgets.log_pane import LogPane
from gdc_tui.ui.widgets.log_view import LogRow, LogView
from gdc_tui.wizard import Wizard, load_wizard

AGENT_DIR = "opt/OktaProvisioningAgent/logs"


def agent_line(n: int, level: str = "INFO", message: str | None = None) -> str:
    stamp = f"2026-02-10 08:{30 + n // 60:02d}:{n % 60:02d}.000"
    return f"[ {stamp} ] [ OktaPoller-1 ] [OktaActionPoller] [  ] [{level}] - {message or f'test line {n}'}\n"


def logs_only(knowledge) -> Wizard:
    """Just the Logs section: these tests are about the pane, not the health checks."""
    return Wizard(tuple(s for s in load_wizard(knowledge).sections if s.id == "logs"))


async def until(pilot, condition, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        await pilot.pause(0.05)


async def loaded(pilot) -> LogPane:
    pane = pilot.app.query_one(LogPane)
    await until(pilot, lambda: pane.loaded)
    await pilot.pause()
    return pane


def text_of(view: LogView, index: int) -> list[str]:
    return [strip.text for strip in view._strips(index, view.scrollable_content_region.width)]


@pytest.fixture(scope="module")
def bad_db(knowledge):
    with open_demo("bad-db-credentials", knowledge=knowledge, frozen=True) as host:
        yield host


async def test_the_pane_follows_the_agent_stand_ins_live_output(knowledge):
    with open_demo("bad-db-credentials", knowledge=knowledge) as host:  # not frozen: the agent polls
        app = GdcApp(knowledge, host=host, wizard=logs_only(knowledge))
        async with app.run_test(size=(120, 40)) as pilot:
            pane = await loaded(pilot)
            assert pane.display and pane.active_tab.source.id == "agent-log"
            view = pane.active_view
            last = view.rows[-1].event.text
            await until(pilot, lambda: view.rows[-1].event.text != last, timeout=8)
            assert view.following and view.cursor == len(view.rows) - 1
            assert view.scroll_offset.y == view.max_scroll_y  # the newest line is on screen


async def test_e_jumps_to_the_scenarios_a6_line_and_enter_opens_its_entry(knowledge, bad_db):
    app = GdcApp(knowledge, host=bad_db)  # the whole wizard, health checks running beside
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await loaded(pilot)
        await pilot.press("f3")  # the pane is open at 120 columns: F3 gives it the keyboard
        view = pane.active_view
        assert view.has_focus
        await pilot.press("e")
        row = view.current
        assert row.event.is_problem and row.entry is not None and row.entry.guide == ("A6",)
        assert not view.following  # a jump pauses following
        assert text_of(view, view.cursor)[0].startswith("A6 ")  # the gutter names the guide ref
        await pilot.press("E", "e")  # back and forth between errors: still on an error
        assert view.current.problem
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EntryScreen)
        assert app.screen.entry.id == row.entry.id == "oracle-invalid-credentials"


async def test_following_pauses_when_moving_up_and_resumes_on_end(knowledge, bad_db):
    app = GdcApp(knowledge, host=bad_db, wizard=logs_only(knowledge))
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await loaded(pilot)
        pane.focus_log()
        view = pane.active_view
        await pilot.press("up", "up")
        assert not view.following
        held, top = view.current, view.scroll_offset.y
        kept = view.kept
        log = pane.active_tab.source.real
        with open(log, "a") as handle:
            handle.writelines(agent_line(n, message=f"appended while paused {n}") for n in range(3))
        await until(pilot, lambda: view.kept >= kept + 3)
        assert view.current is held and view.scroll_offset.y == top  # nothing moved under the user
        assert "paused" in str(pane.border_subtitle)
        await pilot.press("end")
        assert view.following
        assert view.current.event.message == "appended while paused 2"
        assert view.scroll_offset.y == view.max_scroll_y
        assert "following" in str(pane.border_subtitle)


async def test_search_highlights_matches_and_n_moves_between_them(knowledge, bad_db):
    app = GdcApp(knowledge, host=bad_db, wizard=logs_only(knowledge))
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await loaded(pilot)
        pane.focus_log()
        view = pane.active_view
        await pilot.press("slash")
        box = pane.query_one("#log-search")
        assert box.has_focus
        box.value = "ORA-01017"
        await pilot.press("enter")
        first = view.current
        assert "ora-01017" in first.lower and view.has_focus and not box.display
        match = view.get_component_rich_style("log-view--match", partial=True)
        width = view.scrollable_content_region.width
        marked = "".join(seg.text for strip in view._strips(view.cursor, width) for seg in strip
                         if seg.style and seg.style.bgcolor == match.bgcolor)
        assert marked and set(marked.lower().split("ora-01017")) == {""}  # the matches, and only them
        assert f"/ora-01017: {view.search_hits()}" in str(pane.border_subtitle)
        await pilot.press("N")
        second = view.current
        assert second is not first and "ora-01017" in second.lower
        assert view.rows.index(second) < view.rows.index(first)  # N goes up (older)
        await pilot.press("n")
        assert view.current is first
        await pilot.press("escape")
        assert pane.search == "" and view.search == ""


async def test_the_level_filter_hides_info_then_warnings(knowledge, bad_db):
    app = GdcApp(knowledge, host=bad_db, wizard=logs_only(knowledge))
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await loaded(pilot)
        pane.focus_log()
        view = pane.active_view
        everything = len(view.rows)
        assert any(r.event.level == "INFO" for r in view.rows)
        await pilot.press("l")
        assert view.rows and len(view.rows) < everything
        assert all(r.event.is_problem or r.entry for r in view.rows)
        assert "WARN+" in str(pane.border_subtitle)
        await pilot.press("l")
        assert all(r.event.is_error or r.entry for r in view.rows)
        await pilot.press("l")
        assert len(view.rows) == everything and view.level == "all"


async def test_a_stack_trace_is_one_row_and_space_shows_it(knowledge, bad_db):
    app = GdcApp(knowledge, host=bad_db, wizard=logs_only(knowledge))
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await loaded(pilot)
        pane.show_source("scim-application-log")
        pane.focus_log()
        await pilot.pause()
        view = pane.active_view
        index = next(i for i in range(len(view.rows) - 1, -1, -1) if view.rows[i].event.nlines > 5)
        row = view.rows[index]
        collapsed = text_of(view, index)
        assert f"[+{row.event.nlines - 1} lines]" in "".join(collapsed)
        view._go(index, follow=False)
        await pilot.press("space")
        expanded = text_of(view, index)
        assert len(expanded) > row.event.nlines  # every trace line, and the event's details
        assert any(line.strip().startswith("at ") for line in expanded)


async def test_rotating_the_followed_log_keeps_every_line_once(knowledge, tmp_path):
    logs = tmp_path / AGENT_DIR
    logs.mkdir(parents=True)
    log = logs / "agent.log"
    log.write_text("".join(agent_line(n) for n in range(5)))
    app = GdcApp(knowledge, host=real_host(tmp_path), wizard=logs_only(knowledge))
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await loaded(pilot)
        view = pane.active_view
        assert [r.event.message for r in view.rows] == [f"test line {n}" for n in range(5)]
        with open(log, "a") as handle:  # the writer keeps writing, then logrotate renames
            handle.writelines(agent_line(n) for n in range(5, 8))
        os.rename(log, logs / "agent.log.1")
        with open(log, "w") as handle:
            handle.writelines(agent_line(n) for n in range(8, 12))
        await until(pilot, lambda: view.rows[-1].event.message == "test line 11")
        with open(log, "a") as handle:
            handle.write(agent_line(12, "ERROR", "after the rotation"))
        await until(pilot, lambda: view.rows[-1].event.message == "after the rotation")
        assert [r.event.message for r in view.rows] == [f"test line {n}" for n in range(12)] + ["after the rotation"]
        assert pane.active_tab.follower.rotations == 1 and view.following


async def test_a_missing_log_shows_why_and_opens_when_it_appears(knowledge, tmp_path):
    (tmp_path / AGENT_DIR).mkdir(parents=True)
    (tmp_path / AGENT_DIR / "agent.log").write_text(agent_line(0))
    app = GdcApp(knowledge, host=real_host(tmp_path), wizard=logs_only(knowledge))
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await loaded(pilot)
        tab = pane.tab_for("scim-application-log")
        assert "✖" in str(pane.query_one(f"#{tab.tab_id}").label)
        pane.show_source("scim-application-log")
        await pilot.pause()
        view = pane.active_view
        assert view.kept == 0
        note = view.note.plain
        assert "Application.log: not found" in note and "/var/log/OktaOnPremScimServer" in note
        assert "as soon as it is written" in note
        scim = tmp_path / "var/log/OktaOnPremScimServer"
        scim.mkdir(parents=True)
        (scim / "Application.log").write_text(
            "2026-02-10T08:21:01.043+00:00  [pid:715] [main] c.o.server.scim.ScimServerApplication:55 - Started\n")
        await until(pilot, lambda: view.kept == 1)
        assert view.note is None and "✖" not in str(pane.query_one(f"#{tab.tab_id}").label)


async def test_the_pane_starts_collapsed_at_80_columns_and_f3_f4_open_and_maximise_it(knowledge, bad_db):
    app = GdcApp(knowledge, host=bad_db, wizard=logs_only(knowledge))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.query_one(LogPane)
        assert not pane.display
        await pilot.press("f3")
        await loaded(pilot)
        assert pane.display and pane.active_view.has_focus
        await pilot.press("f4")
        assert not app.query_one("#main").display and pane.region.height == 22
        await pilot.press("z")
        assert app.query_one("#main").display
        await pilot.press("f3")  # focused: F3 hides it, and the step has the keyboard again
        assert not pane.display and app.focused.id == "logs-list"


class OneView(App):
    def compose(self) -> ComposeResult:
        yield LogView(keep=50)


async def test_the_view_keeps_only_its_last_events():
    app = OneView()
    async with app.run_test(size=(80, 10)) as pilot:
        view = app.query_one(LogView)
        text = "".join(agent_line(n) for n in range(300))
        events = parse_text(text, "agent")
        for start in range(0, 300, 60):
            view.add([LogRow(e) for e in events[start:start + 60]])
        await pilot.pause()
        assert view.kept == 50 and len(view.rows) == 50
        assert view.rows[0].event.message == "test line 250" and view.current.event.message == "test line 299"
        assert view._starts[-1] == sum(r.height for r in view.rows)



async def test_the_wheel_up_pauses_following_and_back_down_to_the_bottom_resumes_it(knowledge, bad_db):
    app = GdcApp(knowledge, host=bad_db, wizard=logs_only(knowledge))
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await loaded(pilot)
        view = pane.active_view

        async def wheel(kind) -> None:
            view.post_message(kind(view, 5, 5, 0, 0, 0, False, False, False))
            await pilot.pause()

        await wheel(events.MouseScrollUp)
        assert not view.following and view.scroll_offset.y < view.max_scroll_y
        while view.scroll_offset.y < view.max_scroll_y:
            await wheel(events.MouseScrollDown)
        assert view.following and view.current is view.rows[-1]
