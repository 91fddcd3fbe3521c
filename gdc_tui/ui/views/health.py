"""The Health checks step: the guide's Health Checks page made live, grouped by hop.

Checks run in a worker thread (gdc_tui.checks.engine.iter_results); each row fills in as its
check finishes, so the UI never waits on a slow one. The detail panel shows the selected check's
evidence, remediation and the catalog entries it relates to.
"""

from __future__ import annotations

import threading

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Markdown, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from gdc_tui.checks.context import CheckContext
from gdc_tui.checks.engine import all_checks, iter_results, ordered
from gdc_tui.checks.model import STYLES, SYMBOLS, Check, CheckResult, counts
from gdc_tui.host.base import Host
from gdc_tui.knowledge import Knowledge
from gdc_tui.render import check_markdown
from gdc_tui.wizard import Step

RUNNING = "…"


class HealthView(Vertical):
    class Finished(Message):
        """One check finished (posted from the worker thread: post_message is thread-safe and,
        unlike call_from_thread, never blocks a worker on an app that is shutting down)."""

        def __init__(self, result: CheckResult, run: int) -> None:
            super().__init__()
            self.result = result
            self.run = run

    BINDINGS = [
        Binding("r", "rerun_selected", "Re-run"),
        Binding("R", "rerun_all", "Re-run all"),
        Binding("o", "open_entry", "Open entry", show=False),
    ]

    def __init__(self, step: Step, knowledge: Knowledge, host: Host, **kwargs) -> None:
        super().__init__(**kwargs)
        self.step = step
        self.knowledge = knowledge
        self.host = host
        chosen = set(step.checks)
        self.checks: list[Check] = ordered([c for c in all_checks() if not chosen or c.id in chosen], knowledge)
        self.results: dict[str, CheckResult] = {}
        self._latest: dict[str, int] = {}  # check id -> the run whose result it waits for
        self._runs = 0
        self._cancel = threading.Event()  # set when the view goes away: workers stop reporting

    def compose(self) -> ComposeResult:
        yield Static(self.step.text, classes="step-text")
        with Horizontal(classes="health-bar"):
            yield ProgressBar(total=len(self.checks), show_eta=False, id="health-progress")
            yield Static("", id="health-summary")
        yield OptionList(id="health-list")
        with VerticalScroll(id="health-detail-scroll"):
            yield Markdown("", id="health-detail")

    def on_mount(self) -> None:
        self.query_one("#health-list", OptionList).border_title = "Checks by hop"
        self.query_one("#health-detail-scroll").border_title = "Detail"
        self.start(self.checks)

    def on_unmount(self) -> None:
        self._cancel.set()

    # --- running ---------------------------------------------------------------------------------

    def start(self, checks: list[Check]) -> None:
        """(Re-)run `checks`: their rows go back to running, a worker fills them in. A check re-run
        while an earlier run is still going takes the newer result only (`run` numbers)."""
        self._runs += 1
        for check in checks:
            self.results.pop(check.id, None)
            self._latest[check.id] = self._runs
        self._rebuild()
        self.run_checks(checks, self._runs)

    @work(thread=True, group="health")
    def run_checks(self, checks: list[Check], run: int) -> None:
        context = CheckContext(self.host, self.knowledge)
        for result in iter_results(checks, context, cancel=self._cancel):
            if self._cancel.is_set():
                return
            self.post_message(self.Finished(result, run))

    def on_health_view_finished(self, message: Finished) -> None:
        if self._latest.get(message.result.id) != message.run:
            return  # an older run's result for a check that was re-run since
        self.results[message.result.id] = message.result
        if self.is_attached:
            self._rebuild()

    def action_rerun_all(self) -> None:
        self.start(self.checks)

    def action_rerun_selected(self) -> None:
        check = self._selected_check()
        if check is not None:
            self.start([check])

    def action_open_entry(self) -> None:
        result = self.results.get(self._selected_id() or "")
        if result and result.errors and (entry := self.knowledge.error(result.errors[0])):
            self.app.open_entry(entry)

    # --- showing ---------------------------------------------------------------------------------

    def _rebuild(self) -> None:
        listing = self.query_one("#health-list", OptionList)
        keep = listing.highlighted
        options: list[Option] = []
        hop = None
        titles = {h.id: h.title for h in self.knowledge.hops}
        for check in self.checks:
            if check.hop != hop:
                hop = check.hop
                options.append(Option(Text(titles.get(hop, hop), style="bold"), id=f"hop-{hop}", disabled=True))
            options.append(Option(self._row(check), id=check.id))
        listing.set_options(options)
        if keep is not None and keep < len(options):
            listing.highlighted = keep
        elif options:
            listing.highlighted = 1
        done = sum(1 for c in self.checks if c.id in self.results)
        self.query_one("#health-progress", ProgressBar).update(total=len(self.checks), progress=done)
        tally = counts(self.results[c.id] for c in self.checks if c.id in self.results)
        summary = "  ".join(f"{SYMBOLS[s]} {n} {s}" for s, n in tally.items() if n)
        running = len(self.checks) - done
        if running:
            summary += f"  {RUNNING} {running} running"
        self.query_one("#health-summary", Static).update(summary)
        self._show_detail()

    def _row(self, check: Check) -> Text:
        result = self.results.get(check.id)
        if result is None:
            row = Text.assemble((f"{RUNNING} run   ", "dim"), (f"{check.id:<15}", "bold"), " ", (check.title, "dim"))
        else:
            row = Text.assemble((f"{result.symbol} {result.status:<5} ", STYLES[result.status]),
                                (f"{check.id:<15}", "bold"), " ", result.summary)
        return row  # one line per check (app.tcss: nowrap), the detail panel has the rest

    def _selected_id(self) -> str | None:
        listing = self.query_one("#health-list", OptionList)
        if listing.highlighted is None:
            return None
        return listing.get_option_at_index(listing.highlighted).id

    def _selected_check(self) -> Check | None:
        wanted = self._selected_id()
        return next((c for c in self.checks if c.id == wanted), None)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "health-list":
            self._show_detail()

    def _show_detail(self) -> None:
        check = self._selected_check()
        detail = self.query_one("#health-detail", Markdown)
        if check is None:
            detail.update("")
            return
        result = self.results.get(check.id)
        if result is None:
            detail.update(f"**{check.title}** — running…\n\n{check.description}")
        else:
            detail.update(check_markdown(result, self.knowledge))

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        if event.href.startswith("entry:") and (entry := self.knowledge.error(event.href[6:])):
            event.prevent_default()
            self.app.open_entry(entry)
