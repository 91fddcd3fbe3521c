"""The log pane: the connector's logs followed live beside whatever step is on screen — a tab per
discovered log file and per unit's journal.

Following stays off the UI thread without a thread that lives forever: a timer starts a short
thread worker that polls every file's LogFollower once (each reads at most its max_read bytes),
matches the new events against the catalog (EventMatcher) and posts them all in one message. The
next poll starts only once the UI has taken that message, so however fast a log is written nothing
piles up between the two (and each view keeps its last `keep` events). Journals are polled the same
way, every few seconds and only while their tab is on screen: each poll runs journalctl.

Keys (with the pane focused): `/` search (Enter jumps to the nearest match at or above the cursor,
n/N to the next/previous one), `l` level filter (all → WARN+ → ERROR+), `[`/`]` previous/next log,
`z` maximise, Esc clears the search; the view's own keys are in log_view.py.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.markup import escape
from textual.message import Message
from textual.widgets import ContentSwitcher, Input, Static, Tab, Tabs

from gdc_tui.host.base import Host
from gdc_tui.knowledge import Knowledge
from gdc_tui.logs.discovery import Discovery, JournalFollower, LogSource, discover
from gdc_tui.logs.scan import EventMatcher
from gdc_tui.logs.tail import LogFollower
from gdc_tui.ui.widgets.log_view import LEVEL_TITLES, LEVELS, LogRow, LogView

KEEP = 2000  # events kept per log
POLL_SECONDS = 0.1  # files
JOURNAL_SECONDS = 3.0  # journals (a journalctl run each)
JOURNAL_TAIL = 200  # journal lines shown when its tab opens


@dataclass
class _Tab:
    """One log of the pane. `follower`, `opened` and `sent` belong to the polling worker."""

    index: int
    source: LogSource
    follower: LogFollower | JournalFollower
    label: str
    opened: bool = False
    sent: tuple[str, str | None] | None = None  # the status last posted
    status: str = "opening"  # as the UI last heard: following | missing | unreadable | ...
    problem: str | None = None

    @property
    def tab_id(self) -> str:
        return f"log-tab-{self.index}"

    @property
    def page_id(self) -> str:
        return f"log-page-{self.index}"

    @property
    def journal(self) -> bool:
        return self.source.kind == "journal"


@dataclass(frozen=True)
class _Update:
    index: int
    rows: list[LogRow]
    status: str
    problem: str | None


class LogPane(Vertical):
    """See the module docstring. Given the host and the knowledge; `keep` events per log."""

    class Found(Message):
        def __init__(self, discovery: Discovery | None, matchers: tuple[EventMatcher, EventMatcher] | None,
                     error: str | None = None) -> None:
            super().__init__()
            self.discovery = discovery
            self.matchers = matchers
            self.error = error

    class Polled(Message):
        def __init__(self, updates: list[_Update], *, journal: bool) -> None:
            super().__init__()
            self.updates = updates
            self.journal = journal

    BINDINGS = [
        Binding("slash", "search", "Search"),
        Binding("n", "search_next", "Next match", show=False),
        Binding("N", "search_previous", "Prev match", show=False),
        Binding("l", "cycle_level", "Level"),
        Binding("right_square_bracket", "next_log", "Next log", show=False),
        Binding("left_square_bracket", "previous_log", "Prev log", show=False),
        Binding("z", "app.maximise_logs", "Maximise", show=False),
        Binding("escape", "escape", "Clear search", show=False),
    ]

    def __init__(self, host: Host, knowledge: Knowledge, *, keep: int = KEEP, poll_seconds: float = POLL_SECONDS,
                 journal_seconds: float = JOURNAL_SECONDS, **kwargs) -> None:
        super().__init__(**kwargs)
        self.host = host
        self.knowledge = knowledge
        self.keep = keep
        self.poll_seconds = poll_seconds
        self.journal_seconds = journal_seconds
        self.discovery: Discovery | None = None
        self.level = "all"
        self.search = ""
        self.tabs: list[_Tab] = []
        self._matchers: tuple[EventMatcher, EventMatcher] | None = None
        self._wanted: str | None = None  # a source to show once the logs are found
        self._focus_wanted = False
        self._polling = False
        self._journal_polling = False
        self._loaded = False  # every file tab had its first read
        self._lock = threading.Lock()  # held by the file worker while it reads; on unmount
        self._closed = False

    def compose(self) -> ComposeResult:
        yield Static("Finding the logs…", id="log-finding")
        yield Input(placeholder="search this log · Enter: nearest match above · n/N next/prev · Esc clears",
                    id="log-search")

    def on_mount(self) -> None:
        self.border_title = "Logs"
        self.query_one("#log-search", Input).display = False
        self._discover()

    def on_unmount(self) -> None:
        with self._lock:
            self._closed = True
            for tab in self.tabs:
                if isinstance(tab.follower, LogFollower):
                    tab.follower.close()

    # --- what the app asks -----------------------------------------------------------------------

    @property
    def loaded(self) -> bool:
        """The logs are found and each file's end has been read (tests and snapshots wait for it)."""
        return self._loaded

    def show_source(self, source_id: str) -> bool:
        """Bring a log's tab forward (once the logs are found, if they are not yet)."""
        if self.discovery is None:
            self._wanted = source_id
            return True
        tab = next((t for t in self.tabs if t.source.id == source_id), None)
        if tab is None:
            return False
        self.query_one("#log-tabs", Tabs).active = tab.tab_id
        self._switch(tab)
        return True

    def focus_log(self) -> None:
        view = self.active_view
        if view is not None:
            self.screen.set_focus(view)  # at once: keys typed right after F3 go to the log
        else:
            self._focus_wanted = True  # once the logs are found

    @property
    def active_tab(self) -> _Tab | None:
        if not self.tabs:
            return None
        current = self.query_one("#log-pages", ContentSwitcher).current
        return next((t for t in self.tabs if t.page_id == current), None)

    @property
    def active_view(self) -> LogView | None:
        tab = self.active_tab
        return self.view(tab) if tab is not None else None

    def view(self, tab: _Tab) -> LogView:
        return self.query_one(f"#{tab.page_id}", LogView)

    def tab_for(self, source_id: str) -> _Tab | None:
        return next((t for t in self.tabs if t.source.id == source_id), None)

    # --- finding the logs ------------------------------------------------------------------------

    @work(thread=True, group="log-pane-discover")
    def _discover(self) -> None:
        try:
            found = discover(self.host, self.knowledge)
            matchers = (EventMatcher(self.knowledge), EventMatcher(self.knowledge))
        except Exception as exc:  # a host that cannot be read at all: say so in the pane
            self.post_message(self.Found(None, None, f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(self.Found(found, matchers))

    async def on_log_pane_found(self, message: Found) -> None:
        finding = self.query_one("#log-finding", Static)
        if message.discovery is None:
            finding.update(f"The logs could not be found: {message.error}")
            return
        self.discovery = message.discovery
        self._matchers = message.matchers
        sources = [*message.discovery.files, *message.discovery.journals]
        for index, source in enumerate(sources):
            if source.kind == "journal":
                assert source.unit is not None
                follower: LogFollower | JournalFollower = JournalFollower(self.host, source.unit, lines=JOURNAL_TAIL)
                label = f"{self.knowledge.component(source.component).short} journal"
            else:
                follower = source.follower(keep=self.keep)
                label = source.title
            self.tabs.append(_Tab(index, source, follower, label,
                                  status="opening" if source.problem is None else "missing"))
        if not self.tabs:
            finding.update("No logs of the connector are named in knowledge/.")
            return
        tabs = Tabs(*[Tab(self._label(t), id=t.tab_id) for t in self.tabs], id="log-tabs")
        tabs.can_focus = False
        pages = ContentSwitcher(*[LogView(keep=self.keep, id=t.page_id) for t in self.tabs], id="log-pages",
                                initial=self.tabs[0].page_id)
        await finding.remove()
        await self.mount(tabs, pages, before=self.query_one("#log-search"))
        for tab in self.tabs:
            self._refresh_note(tab)
        self.set_interval(self.poll_seconds, self._tick)
        self.set_interval(self.journal_seconds, self._journal_tick)
        self._tick()
        wanted, self._wanted = self._wanted, None
        if wanted is None or not self.show_source(wanted):
            self._switch(self.tabs[0])
        if self._focus_wanted:
            self._focus_wanted = False
            self.focus_log()

    # --- polling ---------------------------------------------------------------------------------

    def _tick(self) -> None:
        files = [t for t in self.tabs if not t.journal]
        if not files:
            self._loaded = True
        elif not self._polling and not self._closed:
            self._polling = True
            self._poll_files(files)

    @work(thread=True, group="log-pane-files")
    def _poll_files(self, tabs: list[_Tab]) -> None:
        assert self._matchers is not None
        updates: list[_Update] = []
        with self._lock:
            if self._closed:
                return
            for tab in tabs:
                follower = tab.follower
                assert isinstance(follower, LogFollower)
                try:
                    if not tab.opened:
                        events = follower.open_at_end(self.keep)
                        tab.opened = True
                    else:
                        events = follower.poll()
                    update = self._update(tab, events, follower.status, follower.problem, self._matchers[0])
                except OSError as exc:  # a read error mid-way: say it, try again next time
                    update = self._update(tab, [], "unreadable", f"{tab.source.path}: {exc.strerror or exc}",
                                          self._matchers[0])
                except Exception as exc:  # a bug must not take the whole app down: show it in the tab
                    update = self._update(tab, [], "unreadable", f"cannot follow {tab.source.path}: "
                                          f"{type(exc).__name__}: {exc}", self._matchers[0])
                if update is not None:
                    updates.append(update)
        self.post_message(self.Polled(updates, journal=False))

    def _journal_tick(self) -> None:
        tab = self.active_tab
        if (self._journal_polling or self._closed or tab is None or not tab.journal or not self.display):
            return
        self._journal_polling = True
        self._poll_journal(tab)

    @work(thread=True, group="log-pane-journal")
    def _poll_journal(self, tab: _Tab) -> None:
        assert self._matchers is not None and isinstance(tab.follower, JournalFollower)
        follower = tab.follower
        try:
            events = follower.poll() if tab.opened else follower.open_at_end(JOURNAL_TAIL)
            tab.opened = True
            status, problem = ("unreadable", follower.problem) if follower.problem else ("following", None)
            update = self._update(tab, events, status, problem, self._matchers[1])
        except Exception as exc:  # the host's runner failing in some new way: show it, keep going
            tab.opened = True
            update = self._update(tab, [], "unreadable", f"journalctl failed: {type(exc).__name__}: {exc}",
                                  self._matchers[1])
        self.post_message(self.Polled([update] if update else [], journal=True))

    def _update(self, tab: _Tab, events: list, status: str, problem: str | None,
                matcher: EventMatcher) -> _Update | None:
        """The rows to post for these events (matched here, off the UI thread), or None."""
        events = events[-self.keep:]
        rows = []
        for event in events:
            match = matcher.match(event)
            rows.append(LogRow(event, match.entry if match is not None else None))
        if not rows and tab.sent == (status, problem):
            return None
        tab.sent = (status, problem)
        return _Update(tab.index, rows, status, problem)

    def on_log_pane_polled(self, message: Polled) -> None:
        for update in message.updates:
            tab = self.tabs[update.index]
            changed = (tab.status, tab.problem) != (update.status, update.problem)
            tab.status, tab.problem = update.status, update.problem
            self.view(tab).add(update.rows)
            if changed or update.rows:
                self._refresh_note(tab)
            if changed:
                self.query_one(f"#{tab.tab_id}", Tab).label = self._label(tab)
        if message.journal:
            self._journal_polling = False
        else:
            self._polling = False
            self._loaded = all(t.opened for t in self.tabs if not t.journal)
        self._show_status()

    # --- showing ---------------------------------------------------------------------------------

    def _label(self, tab: _Tab) -> Text:
        broken = tab.status in ("missing", "unreadable") or (tab.source.problem is not None and not tab.opened)
        return Text.assemble(tab.label, (" ✖", "bold red") if broken else "")

    def _refresh_note(self, tab: _Tab) -> None:
        """What a tab shows while it has no events: why (and the sudo hint), or that it is empty."""
        view = self.view(tab)
        if view.kept:
            view.set_note(None)
            return
        source = tab.source
        note = Text()
        problem = tab.problem or source.problem
        if tab.journal and not tab.opened:
            note.append(f"Reading the journal of {source.unit}…")
        elif tab.journal and problem:
            note.append(f"The journal of {source.unit} cannot be read: ", "bold")
            note.append(problem)
        elif tab.journal:
            note.append(f"The journal of {source.unit} has no entries yet.")
        elif problem and tab.status != "following":
            note.append(f"{source.title}: {source.problem or problem}\n", "bold")
            note.append(f"{source.path}\n")
            if source.hint:
                note.append(f"{source.hint}\n", "bold")
            if tab.status == "missing" or (source.problem or "").startswith("not found"):
                note.append("It shows here as soon as it is written.")
        elif not tab.opened:
            note.append(f"Reading {source.path}…")
        else:
            note.append(f"{source.title} is empty: nothing has been written to it yet. New lines show here.")
        view.set_note(note)

    def _switch(self, tab: _Tab) -> None:
        self.query_one("#log-pages", ContentSwitcher).current = tab.page_id
        view = self.view(tab)
        view.set_level(self.level)
        view.set_search(self.search)
        if tab.journal and not tab.opened:
            self._journal_tick()
        self._show_status()

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        event.stop()
        tab = next((t for t in self.tabs if t.tab_id == event.tab.id), None)
        if tab is not None and self.active_tab is not tab:
            had_focus = self.active_view is not None and self.active_view.has_focus
            self._switch(tab)
            if had_focus:
                self.view(tab).focus()

    def on_log_view_changed(self, message: LogView.Changed) -> None:
        if message.view is self.active_view:
            self._show_status()

    def _show_status(self) -> None:
        tab = self.active_tab
        if tab is None:
            return
        view = self.view(tab)
        parts = ["● following" if view.following else "❚❚ paused · End follows"]
        if self.level != "all":
            parts.append(LEVEL_TITLES[self.level])
        shown = len(view.rows)
        count = f"{shown}" if shown == view.kept else f"{shown}/{view.kept}"
        parts.append(f"{count} event{'s' if view.kept != 1 else ''}")
        known = sum(1 for r in view.rows if r.entry is not None)
        if known:
            parts.append(f"{known} known error{'s' if known != 1 else ''}")
        if self.search:
            parts.append(f"/{self.search}: {view.search_hits()}")
        if tab.status == "missing" and view.kept:
            parts.append("file gone")
        self.border_subtitle = escape(" · ".join(parts))

    # --- actions ---------------------------------------------------------------------------------

    def action_search(self) -> None:
        if self.active_view is None:
            return
        box = self.query_one("#log-search", Input)
        box.display = True
        box.value = self.search
        self.screen.set_focus(box)  # now, not after the keys already queued (focus() waits)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "log-search":
            event.stop()
            self._set_search(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "log-search":
            return
        event.stop()
        self._set_search(event.value)
        event.input.display = False
        view = self.active_view
        if view is None:
            return
        view.focus()
        if self.search and not view.search_next(False, include_current=True):
            self.notify(f"{self.search!r} is not in this log", timeout=3)

    def _set_search(self, term: str) -> None:
        self.search = term.strip().lower()
        view = self.active_view
        if view is not None:
            view.set_search(self.search)
        self._show_status()

    def action_search_next(self) -> None:
        self._search_step(True)

    def action_search_previous(self) -> None:
        self._search_step(False)

    def _search_step(self, forward: bool) -> None:
        view = self.active_view
        if view is None:
            return
        if not self.search:
            self.action_search()
        elif not view.search_next(forward):
            self.notify(f"{self.search!r} is not in this log", timeout=3)

    def action_cycle_level(self) -> None:
        self.level = LEVELS[(LEVELS.index(self.level) + 1) % len(LEVELS)]
        for tab in self.tabs:
            self.view(tab).set_level(self.level)
        self._show_status()

    def action_next_log(self) -> None:
        self._step_tab(1)

    def action_previous_log(self) -> None:
        self._step_tab(-1)

    def _step_tab(self, step: int) -> None:
        tab = self.active_tab
        if tab is None:
            return
        following = self.tabs[(tab.index + step) % len(self.tabs)]
        self.query_one("#log-tabs", Tabs).active = following.tab_id
        self._switch(following)
        self.view(following).focus()

    def action_escape(self) -> None:
        box = self.query_one("#log-search", Input)
        if box.display:
            box.display = False
            self._set_search("")
            self.focus_log()
        elif self.search:
            self._set_search("")
        elif self.has_class("-maximised"):  # (the app sets it)
            self.app.action_maximise_logs()  # type: ignore[attr-defined]
