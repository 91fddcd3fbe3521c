"""The Health checks step: every row fills in as its check finishes, the detail follows the cursor."""

from __future__ import annotations

from textual.widgets import Markdown, OptionList

from gdc_tui.checks.engine import all_checks
from gdc_tui.host.real import real_host
from gdc_tui.ui.app import GdcApp
from gdc_tui.ui.views.health import HealthView


async def _finished(pilot, view: HealthView) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_health_checks_fill_in_grouped_by_hop_on_an_empty_root(knowledge, tmp_path):
    # A root with no connector: every check must still finish, with a reason, and the UI show it.
    app = GdcApp(knowledge, host=real_host(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        app.show_step("checks")
        view = app.query_one(HealthView)
        await _finished(pilot, view)
        assert set(view.results) == {c.id for c in all_checks()}
        listing = app.query_one("#health-list", OptionList)
        headings = [listing.get_option_at_index(i).id for i in range(listing.option_count)
                    if listing.get_option_at_index(i).disabled]
        assert headings[0] == "hop-okta-agent" and len(headings) == len(set(headings))
        # the cursor starts on the first check, and the detail shows its result
        first = listing.get_option_at_index(listing.highlighted).id
        result = view.results[first]
        source = app.query_one("#health-detail", Markdown).source
        assert result.title in source and result.status.upper() in source


async def test_rerunning_one_check_replaces_only_its_result(knowledge, tmp_path):
    app = GdcApp(knowledge, host=real_host(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(HealthView)
        await _finished(pilot, view)
        before = dict(view.results)
        app.show_step("checks")
        await pilot.press("r")
        await _finished(pilot, view)
        selected = view._selected_id()
        assert view.results[selected] is not before[selected]
        assert all(view.results[k] is before[k] for k in before if k != selected)
