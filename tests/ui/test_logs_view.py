"""The Logs step, first in the wizard (the guide's golden rule): every log with where it is, what it
holds, its size and last write or why it cannot be read; Okta's System Log and where to find it;
the known errors the scanner finds, leading to their entries; Enter opens a log in the pane."""

from __future__ import annotations

import time

import pytest
from rich.console import Group
from textual.widgets import OptionList

from gdc_tui.demo import open_demo
from gdc_tui.host.real import real_host
from gdc_tui.ui.app import GdcApp
from gdc_tui.ui.entry_screen import EntryScreen
from gdc_tui.ui.views.logs import LogsView, human_size
from gdc_tui.ui.widgets.log_pane import LogPane
from gdc_tui.ui.widgets.log_view import LogView
from gdc_tui.wizard import Wizard, load_wizard


def logs_only(knowledge) -> Wizard:
    return Wizard(tuple(s for s in load_wizard(knowledge).sections if s.id == "logs"))


async def scanned(pilot) -> LogsView:
    view = pilot.app.query_one(LogsView)
    deadline = time.monotonic() + 10
    while (view.scan is None and view.scan_error is None) or view.discovery is None:
        assert time.monotonic() < deadline, "the scan did not finish"
        await pilot.pause(0.05)
    await pilot.pause()
    return view


def rows(app) -> dict[str, str]:
    """Each option of the list as the plain text it shows."""
    listing = app.query_one("#logs-list", OptionList)
    out = {}
    for index in range(listing.option_count):
        option = listing.get_option_at_index(index)
        prompt = option.prompt
        if isinstance(prompt, Group):
            out[option.id] = "\n".join(part.renderable.plain for part in prompt.renderables)
        else:
            out[option.id] = getattr(prompt, "plain", str(prompt))
    return out


@pytest.fixture(scope="module")
def bad_db(knowledge):
    with open_demo("bad-db-credentials", knowledge=knowledge, frozen=True) as host:
        yield host


async def test_the_logs_step_comes_first_and_lists_each_log_with_its_size_and_the_known_errors(knowledge, bad_db):
    app = GdcApp(knowledge, host=bad_db)
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.steps[0].kind == "logs"  # always check the logs first
        view = await scanned(pilot)
        shown = rows(app)
        for source in view.discovery.files:
            text = next(t for t in shown.values() if t.lstrip().startswith(source.title))
            assert (human_size(source.size) if source.size else "empty") in text
            assert source.what in text  # the guide's words, from knowledge/
        titles = [s.title for s in view.discovery.files]
        assert titles[:1] == ["agent.log"] and {"Application.log", "Service.err", "Service.out"} <= set(titles)
        assert "journal of OktaProvisioningAgent" in "".join(shown.values())
        assert "/opt/OktaProvisioningAgent/logs/" in shown["component-agent"]
        a6 = shown["finding-oracle-invalid-credentials"]
        finding = next(f for f in view.scan.findings if f.entry.id == "oracle-invalid-credentials")
        assert a6.lstrip().startswith("A6") and f"{finding.count}×" in a6 and "agent.log" in a6
        # the cursor starts on the first known error, and Enter opens its entry
        listing = app.query_one("#logs-list", OptionList)
        assert listing.get_option_at_index(listing.highlighted).id == "finding-oracle-invalid-credentials"
        assert "Enter or o" in str(app.query_one("#logs-detail").render())
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EntryScreen) and app.screen.entry.guide == ("A6",)
        await pilot.press("escape")
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, EntryScreen)


async def test_the_okta_system_log_says_where_the_admin_console_keeps_it(knowledge, bad_db):
    app = GdcApp(knowledge, host=bad_db, wizard=logs_only(knowledge))
    async with app.run_test(size=(80, 24)) as pilot:
        await scanned(pilot)
        okta = knowledge.component("okta")
        system_log = next(lg for lg in okta.logs if lg.id == "okta-system-log")
        text = rows(app)["offhost-okta-system-log"]
        assert okta.paths["system_log"] in text and system_log.what in text


async def test_enter_on_a_log_opens_it_in_the_pane_even_when_collapsed(knowledge, bad_db):
    app = GdcApp(knowledge, host=bad_db, wizard=logs_only(knowledge))
    async with app.run_test(size=(80, 24)) as pilot:
        await scanned(pilot)
        pane = app.query_one(LogPane)
        assert not pane.display  # 80 columns: collapsed
        listing = app.query_one("#logs-list", OptionList)
        listing.highlighted = listing.get_option_index("log:scim-service-out")
        await pilot.press("enter")
        await pilot.pause()
        assert pane.display
        assert pane.active_tab.source.title == "Service.out"
        assert isinstance(app.focused, LogView) and app.focused is pane.active_view


async def test_a_missing_log_shows_its_reason(knowledge, tmp_path):
    agent = tmp_path / "opt/OktaProvisioningAgent/logs"
    agent.mkdir(parents=True)
    (agent / "agent.log").write_text("")
    app = GdcApp(knowledge, host=real_host(tmp_path), wizard=logs_only(knowledge))
    async with app.run_test(size=(120, 40)) as pilot:
        await scanned(pilot)
        shown = rows(app)
        agent_row = next(t for t in shown.values() if t.lstrip().startswith("agent.log"))
        assert "empty" in agent_row
        scim = next(t for t in shown.values() if t.lstrip().startswith("Application.log"))
        assert "✖ not found (no folder /var/log/OktaOnPremScimServer)" in scim
        assert "none of the catalog's errors" in shown["no-findings"]


async def test_a_healthy_host_has_no_known_errors(knowledge):
    with open_demo("healthy", knowledge=knowledge, frozen=True) as host:
        app = GdcApp(knowledge, host=host, wizard=logs_only(knowledge))
        async with app.run_test(size=(120, 40)) as pilot:
            view = await scanned(pilot)
            assert view.scan.findings == ()
            assert "no-findings" in rows(app)
