"""The gdc-tui application: header with the host, a sidebar of the wizard's steps, the step views,
and (with a host) the log pane beside them."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import ContentSwitcher, Footer, Header, OptionList
from textual.widgets.option_list import Option

from gdc_tui.host.base import Host
from gdc_tui.knowledge import ErrorEntry, Knowledge
from gdc_tui.ui.entry_screen import EntryScreen
from gdc_tui.ui.views.catalog import CatalogView
from gdc_tui.ui.views.health import HealthView
from gdc_tui.ui.views.logs import LogsView
from gdc_tui.ui.views.lookup import LookupView
from gdc_tui.ui.widgets.log_pane import LogPane
from gdc_tui.wizard import Step, Wizard, load_wizard

# The view of each kind of step, whether it needs a host to show anything, and what gets focus.
VIEWS = {
    "lookup": (LookupView, False, "#lookup-text"),
    "catalog": (CatalogView, False, "#catalog-tree"),
    "checks": (HealthView, True, "#health-list"),
    "logs": (LogsView, True, "#logs-list"),
}

# Below this many columns the log pane starts collapsed (F3 opens it): the step needs the room.
PANE_MIN_COLUMNS = 100


class GdcApp(App[int]):
    """The wizard. It is handed everything it shows: the knowledge, the screens, the host."""

    CSS_PATH = "app.tcss"
    TITLE = "gdc-tui"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("f2", "focus_sidebar", "Sections"),
        Binding("f3", "toggle_logs", "Logs"),
        Binding("f4", "maximise_logs", "Max logs"),
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
        with Vertical(id="body"):
            with Horizontal(id="main"):
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
            if self.host is not None:
                yield LogPane(self.host, self.knowledge, id="log-pane")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.host_name + (" (demo)" if self.host is not None and self.host.demo else "")
        sidebar = self.query_one("#sidebar", OptionList)
        sidebar.border_title = "gdc-tui"
        sidebar.highlighted = sidebar.get_option_index(self.steps[0].id)
        if self.log_pane is not None and self.size.width < PANE_MIN_COLUMNS:
            self.log_pane.display = False
        self.show_step(self.steps[0].id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "sidebar" and event.option.id:
            self.show_step(event.option.id)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "sidebar" and event.option.id:
            self.query_one("#views", ContentSwitcher).current = event.option.id

    def show_step(self, step_id: str) -> None:
        sidebar = self.query_one("#sidebar", OptionList)
        if sidebar.highlighted != (index := sidebar.get_option_index(step_id)):
            sidebar.highlighted = index
        self.query_one("#views", ContentSwitcher).current = step_id
        view = self.query_one(f"#{step_id}")
        view.query_one(VIEWS[self.wizard.step(step_id).kind][2]).focus()

    def open_entry(self, entry: ErrorEntry) -> None:
        self.push_screen(EntryScreen(entry, self.knowledge))

    def action_focus_sidebar(self) -> None:
        self.query_one("#sidebar").focus()

    # --- the log pane ----------------------------------------------------------------------------

    @property
    def log_pane(self) -> LogPane | None:
        """The pane, when the screen on top holds it (not over an entry, not without a host)."""
        found = self.screen.query("#log-pane")
        return found.first(LogPane) if found else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("toggle_logs", "maximise_logs"):
            return self.log_pane is not None  # no host (or an entry on screen): not offered
        return True

    def show_log(self, source_id: str) -> None:
        """Open the pane on one log (a LogSource id) and give it the keyboard."""
        pane = self.log_pane
        if pane is None:
            return
        pane.display = True
        pane.show_source(source_id)
        pane.focus_log()

    def action_toggle_logs(self) -> None:
        """F3: open the pane (and focus it); focus it when open elsewhere; hide it when focused."""
        pane = self.log_pane
        if pane is None:
            return
        if not pane.display:
            pane.display = True
            pane.focus_log()
        elif not pane.has_focus_within:
            pane.focus_log()
        else:
            self._set_maximised(False)
            pane.display = False
            self._focus_step()

    def action_maximise_logs(self) -> None:
        """F4 (z in the pane): the pane takes the whole screen, or gives the step its room back."""
        pane = self.log_pane
        if pane is None:
            return
        maximised = not pane.has_class("-maximised")
        self._set_maximised(maximised)
        if maximised:
            pane.display = True
            pane.focus_log()
        elif not pane.has_focus_within:
            self._focus_step()

    def _set_maximised(self, on: bool) -> None:
        pane = self.log_pane
        if pane is not None:
            pane.set_class(on, "-maximised")
            self.query_one("#body").set_class(on, "-logs-max")

    def _focus_step(self) -> None:
        current = self.query_one("#views", ContentSwitcher).current
        if current:
            self.query_one(f"#{current}").query_one(VIEWS[self.wizard.step(current).kind][2]).focus()
