"""The Error lookup step: paste text, see the ranked catalog matches, open one."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Button, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from gdc_tui.knowledge import Knowledge
from gdc_tui.lookup import Match, lookup
from gdc_tui.wizard import Step

DEBOUNCE_S = 0.2  # re-rank while the user types or pastes, without work on every keystroke


class LookupView(Vertical):
    BINDINGS = [
        Binding("ctrl+r", "find", "Find"),
    ]

    def __init__(self, step: Step, knowledge: Knowledge, **kwargs) -> None:
        super().__init__(**kwargs)
        self.step = step
        self.knowledge = knowledge
        self.matches: list[Match] = []
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static(self.step.text, classes="step-text")
        yield TextArea(id="lookup-text", placeholder=self.step.placeholder, soft_wrap=True,
                       show_line_numbers=False)
        with Horizontal(classes="lookup-bar"):
            yield Button("Find", id="lookup-find", variant="primary", compact=True)
            yield Static("", id="lookup-status")
        yield OptionList(id="lookup-results")

    def on_mount(self) -> None:
        self.query_one("#lookup-results", OptionList).border_title = "Matches"

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE_S, self.action_find)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "lookup-find":
            self.action_find()

    def action_find(self) -> None:
        self.find(self.query_one("#lookup-text", TextArea).text)

    @work(thread=True, exclusive=True, group="lookup")
    def find(self, text: str) -> None:
        # Off the UI thread: a pasted multi-megabyte trace takes a moment to rank.
        matches = lookup(self.knowledge, text)
        self.app.call_from_thread(self.show, matches, bool(text.strip()))

    def show(self, matches: list[Match], asked: bool) -> None:
        self.matches = matches
        results = self.query_one("#lookup-results", OptionList)
        results.set_options(
            Option(f"{m.entry.guide_label:>5}  {m.entry.title}  [dim](score {m.score:g})[/dim]", id=m.entry.id)
            for m in matches
        )
        status = self.query_one("#lookup-status", Static)
        if not asked:
            status.update("")
        elif matches:
            status.update(f"{len(matches)} match{'es' if len(matches) > 1 else ''}: Tab to the list, Enter opens")
            results.highlighted = 0
        else:
            status.update("No known error matches this text.")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        entry = self.knowledge.error(event.option.id or "")
        if entry is not None:
            self.app.open_entry(entry)
