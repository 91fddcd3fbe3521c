"""The gdc-tui application: header with the host, a sidebar of the wizard's steps, the step views."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import ContentSwitcher, Footer, Header, OptionList
from textual.widgets.option_list import Option

from gdc_tui.host.base import Host
from gdc_tui.knowledge import ErrorEntry, Knowledge
from gdc_tui.ui.entry_screen import EntryScreen
from gdc_tui.ui.views.catalog import CatalogView
from gdc_tui.ui.views.health import HealthView
from gdc_tui.ui.views.lookup import LookupView
from gdc_tui.wizard import Step, Wizard, load_wizard

# The view of each kind of step, whether it needs a host to show anything, and what gets focus.
VIEWS = {
    "lookup": (LookupView, False, "#lookup-text"),
    "catalog": (CatalogView, False, "#catalog-tree"),
    "checks": (HealthView, True, "#health-list"),
}


class GdcApp(App[int]):
    """The wizard. It is handed everything it shows: the knowledge, the screens, the host."""

    CSS_PATH = "app.tcss"
    TITLE = "gdc-tui"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("f2", "focus_sidebar", "Sections"),
    ]

    def __init__(self, knowledge: Knowledge, *, host: Host | None = None, wizard: Wizard | None = None,
                 host_name: str | None = None) -> None:
        super().__init__()
        self.knowledge = knowledge
        self.host = host
        self.wizard = wizard or load_wizard(knowledge)
        self.host_name = host.name if host is not None else (host_name or "")
        self.steps: list[Step] = [step for s in self.wizard.sections for step in s.steps if self._shown(step)]

    def _shown(self, step: Step) -> bool:
        """Only steps that can do something here: a host-bound step needs a host."""
        return step.kind in VIEWS and (self.host is not None or not VIEWS[step.kind][1])

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="body"):
            options: list[Option | None] = []
            for section in self.wizard.sections:
                shown = [s for s in section.steps if self._shown(s)]
                if not shown:
                    continue
                options.append(Option(f"[b]{section.title}[/b]", id=f"section-{section.id}", disabled=True))
                options += [Option(f"  {step.title}", id=step.id) for step in shown]
            yield OptionList(*options, id="sidebar")
            with ContentSwitcher(id="views", initial=self.steps[0].id):
                for step in self.steps:
                    view, needs_host, _ = VIEWS[step.kind]
                    extra = {"host": self.host} if needs_host else {}
                    yield view(step, self.knowledge, id=step.id, classes="view", **extra)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.host_name + (" (demo)" if self.host is not None and self.host.demo else "")
        sidebar = self.query_one("#sidebar", OptionList)
        sidebar.border_title = "gdc-tui"
        sidebar.highlighted = sidebar.get_option_index(self.steps[0].id)
        self.show_step(self.steps[0].id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "sidebar" and event.option.id:
            self.show_step(event.option.id)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "sidebar" and event.option.id:
            self.query_one("#views", ContentSwitcher).current = event.option.id

    def show_step(self, step_id: str) -> None:
        self.query_one("#views", ContentSwitcher).current = step_id
        view = self.query_one(f"#{step_id}")
        view.query_one(VIEWS[self.wizard.step(step_id).kind][2]).focus()

    def open_entry(self, entry: ErrorEntry) -> None:
        self.push_screen(EntryScreen(entry, self.knowledge))

    def action_focus_sidebar(self) -> None:
        self.query_one("#sidebar").focus()
