"""A catalog entry, full screen: why it happens and what to do, rendered as Markdown."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Markdown

from gdc_tui.knowledge import ErrorEntry, Knowledge
from gdc_tui.render import entry_markdown


class EntryScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("backspace", "app.pop_screen", "Back", show=False),
    ]

    def __init__(self, entry: ErrorEntry, knowledge: Knowledge) -> None:
        super().__init__()
        self.entry = entry
        self.knowledge = knowledge

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="entry-scroll"):
            yield Markdown(entry_markdown(self.entry, self.knowledge), id="entry")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"{self.entry.guide_label} · {self.entry.id}"
        self.query_one("#entry-scroll").focus()
