"""The demos support staff show, pinned as snapshots: the wizard on a frozen demo host.

Frozen mode fixes the clock, names, keys and log text; what a live host cannot hold still — the
free loopback ports, the stand-ins' pids, timings and the build machine's free disk — is replaced
by fixed values before the SVG is compared (the stored SVGs hold those fixed values).
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from textual.widgets import OptionList

from gdc_tui.demo import open_demo
from gdc_tui.ui.app import GdcApp
from gdc_tui.ui.views.health import HealthView
from gdc_tui.ui.views.logs import LogsView

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def normalizer(host):
    ports = {host.facts[k]: fixed for k, fixed in
             (("scim_port", "41443"), ("okta_port", "40443"), ("database_port", "41521")) if host.facts.get(k)}

    def normalize(svg: str) -> str:
        for live, fixed in ports.items():
            svg = re.sub(rf"\b{live}\b", fixed, svg)
            for cut in range(1, len(live)):  # a port cut short by a row's ellipsis
                svg = re.sub(rf"\b{live[:cut]}…", f"{fixed[:cut]}…", svg)
        svg = re.sub(r"PID(&#160;|\s)\d+", r"PID\g<1>4242", svg)
        svg = re.sub(r"\b\d+\.\d\ds\b", "0.01s", svg)
        svg = re.sub(r"\b\d+(&#160;|\s)ms\b", r"1\g<1>ms", svg)
        return re.sub(r"\b\d+\.\d(&#160;|\s)GiB(&#160;|\s)free", r"42.0\g<1>GiB\g<2>free", svg)

    return normalize


async def logs_loaded(pilot) -> None:
    """The log pane has found the logs and read their ends (it keeps following afterwards)."""
    pane = pilot.app.log_pane
    for _ in range(200):
        if pane is None or pane.loaded:
            break
        await pilot.pause(0.02)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _hold_timings_still(view: HealthView) -> None:
    """A check's own words may hold a timing ("connected ... in 12 ms"): pinned before the
    screenshot, as the normalizer cannot fix the SVG's text lengths after it."""
    def pin(text: str) -> str:
        return re.sub(r"\b\d+ ms\b", "1 ms", text)

    for check_id, result in list(view.results.items()):
        view.results[check_id] = replace(result, summary=pin(result.summary), details=tuple(map(pin, result.details)))
    view._rebuild()


def _on_check(check_id: str):
    async def run_before(pilot) -> None:
        pilot.app.show_step("checks")  # the Logs step comes first; these pin the health checks
        await logs_loaded(pilot)
        _hold_timings_still(pilot.app.query_one(HealthView))
        listing = pilot.app.query_one("#health-list", OptionList)
        listing.highlighted = listing.get_option_index(check_id)
        listing.focus()
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_scim_stopped_shows_the_three_failing_checks_and_why(snap_compare, knowledge, size):
    with open_demo("scim-stopped", knowledge=knowledge, frozen=True) as host:
        app = GdcApp(knowledge, host=host)
        assert snap_compare(app, terminal_size=size, run_before=_on_check("scim-status"),
                            normalize=normalizer(host))


@pytest.mark.parametrize("size", SIZES)
def test_healthy_demo_passes_everything(snap_compare, knowledge, size):
    with open_demo("healthy", knowledge=knowledge, frozen=True) as host:
        app = GdcApp(knowledge, host=host)
        assert snap_compare(app, terminal_size=size, run_before=_on_check("jdbc-driver"),
                            normalize=normalizer(host))


async def _logs_step_scanned(pilot) -> None:
    """The Logs step once the health checks are done and the logs rescanned after them (a check
    may make a stand-in write a line), so the counts hold still."""
    await logs_loaded(pilot)
    view = pilot.app.query_one(LogsView)
    view.action_refresh()
    for _ in range(250):
        if view.scan is not None and view.discovery is not None:
            break
        await pilot.pause(0.02)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_logs_step_lists_each_log_and_the_known_errors_found(snap_compare, knowledge, size):
    with open_demo("bad-db-credentials", knowledge=knowledge, frozen=True) as host:
        app = GdcApp(knowledge, host=host)
        assert snap_compare(app, terminal_size=size, run_before=_logs_step_scanned, normalize=normalizer(host))


@pytest.mark.parametrize("size", SIZES)
def test_log_pane_e_jumps_to_the_a6_error(snap_compare, knowledge, size):
    async def run_before(pilot) -> None:
        await _logs_step_scanned(pilot)
        await pilot.press("f3", "e")  # F3 opens the pane at 80 columns, focuses it at 120
        await pilot.pause()

    with open_demo("bad-db-credentials", knowledge=knowledge, frozen=True) as host:
        app = GdcApp(knowledge, host=host)
        assert snap_compare(app, terminal_size=size, run_before=run_before, normalize=normalizer(host))
