"""The Logs step: the guide's Logs page on this host, and its golden rule — check the logs first.

Per component, as the guide lists them: each log, where it is, what it holds (the guide's words,
from knowledge/components.toml), its size and last write — or why it cannot be read, with the sudo
hint. Okta's System Log is not on the host: the row says where the Admin Console keeps it. Below,
the known errors the scanner finds in the logs (rotated and compressed copies and the journals
included), each leading to its catalog entry.

Discovery and the scan run in thread workers (a scan of gigabytes takes a while); sizes and times
are refreshed every few seconds while the step is on screen.
"""

from __future__ import annotations

import time
from datetime import datetime

from rich.console import Group
from rich.padding import Padding
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from gdc_tui.host.base import Host
from gdc_tui.knowledge import Component, Knowledge, LogFile
from gdc_tui.logs.discovery import Discovery, LogSource, discover
from gdc_tui.logs.scan import Finding, ScanResult, scan_host
from gdc_tui.wizard import Step

# Where knowledge/ keeps the System Log: the component, its log, and the Admin Console path's key.
SYSTEM_LOG = ("okta", "okta-system-log", "system_log")
REFRESH_SECONDS = 5.0  # sizes and times are looked at again this often while the step is shown
STALE_SECONDS = 30.0  # and the list is redrawn at least this often ("written 2 min ago")
NAME_WIDTH = 16


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{size} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"  # not reached


def ago(then: datetime, now: datetime) -> str:
    seconds = (now - then).total_seconds()
    if seconds < -60:
        return "in the future (check the clock)"
    if seconds < 60:
        return "just now" if seconds < 2 else f"{int(seconds)} s ago"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    days = int(seconds // 86400)
    return f"{days} day{'s' if days != 1 else ''} ago"


def lines(*parts: tuple[Text, int]) -> Group:
    """A row of the list: each part on its own lines, wrapped with its own indent (a hanging indent)."""
    return Group(*(Padding(text, (0, 0, 0, indent)) for text, indent in parts))


def stamp(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S} UTC" if moment is not None else "unknown"


class LogsView(Vertical):
    class Found(Message):
        def __init__(self, discovery: Discovery | None, error: str | None = None) -> None:
            super().__init__()
            self.discovery = discovery
            self.error = error

    class Scanned(Message):
        def __init__(self, result: ScanResult | None, run: int, error: str | None = None) -> None:
            super().__init__()
            self.result = result
            self.run = run
            self.error = error

    BINDINGS = [
        Binding("o", "open_entry", "Open entry"),
        Binding("r", "refresh", "Refresh"),
    ]

    def __init__(self, step: Step, knowledge: Knowledge, host: Host, **kwargs) -> None:
        super().__init__(**kwargs)
        self.step = step
        self.knowledge = knowledge
        self.host = host
        self.discovery: Discovery | None = None
        self.discovery_error: str | None = None
        self.scan: ScanResult | None = None
        self.scan_error: str | None = None
        self._sources: dict[str, LogSource] = {}  # option id -> the log it shows
        self._runs = 0
        self._discovering = False
        self._shown_at = 0.0  # when the list was last built (time.monotonic)

    def compose(self) -> ComposeResult:
        yield Static(self.step.text, classes="step-text")
        yield OptionList(id="logs-list")
        with VerticalScroll(id="logs-detail-scroll"):
            yield Static("", id="logs-detail")

    def on_mount(self) -> None:
        self.query_one("#logs-list", OptionList).border_title = "Logs of the connector"
        self.query_one("#logs-detail-scroll").border_title = "Detail"
        self._rebuild()
        self.action_refresh()
        self.set_interval(REFRESH_SECONDS, self._refresh_sizes)

    # --- work ------------------------------------------------------------------------------------

    def action_refresh(self) -> None:
        """r: look for the logs again and rescan them."""
        self._runs += 1
        self.scan, self.scan_error = None, None
        self._find()
        self._scan(self._runs)
        self._rebuild()

    def _refresh_sizes(self) -> None:
        if self.display and self.is_attached:
            self._find()

    def _find(self) -> None:
        if not self._discovering:
            self._discovering = True
            self._discover()

    @work(thread=True, group="logs-discover")
    def _discover(self) -> None:
        try:
            self.post_message(self.Found(discover(self.host, self.knowledge)))
        except Exception as exc:  # a host that cannot be read: the step says so
            self.post_message(self.Found(None, f"{type(exc).__name__}: {exc}"))

    @work(thread=True, group="logs-scan")
    def _scan(self, run: int) -> None:
        try:
            self.post_message(self.Scanned(scan_host(self.host, self.knowledge), run))
        except Exception as exc:
            self.post_message(self.Scanned(None, run, f"{type(exc).__name__}: {exc}"))

    def on_logs_view_found(self, message: Found) -> None:
        self._discovering = False
        now = time.monotonic()
        if (message.discovery == self.discovery and message.error == self.discovery_error
                and now - self._shown_at < STALE_SECONDS):
            return  # nothing changed: leave the list (and where the user scrolled it) alone
        self.discovery, self.discovery_error = message.discovery, message.error
        self._rebuild()

    def on_logs_view_scanned(self, message: Scanned) -> None:
        if message.run != self._runs:
            return
        self.scan, self.scan_error = message.result, message.error
        untouched = self._highlighted_id() == self._default_id()
        self._rebuild()
        if untouched and self.scan is not None and self.scan.findings:
            listing = self.query_one("#logs-list", OptionList)
            listing.highlighted = listing.get_option_index(f"finding-{self.scan.findings[0].entry.id}")

    def _default_id(self) -> str | None:
        """Where the cursor starts: the first row that can be chosen."""
        listing = self.query_one("#logs-list", OptionList)
        return next((listing.get_option_at_index(i).id for i in range(listing.option_count)
                     if not listing.get_option_at_index(i).disabled), None)

    # --- rows ------------------------------------------------------------------------------------

    def _rebuild(self) -> None:
        self._shown_at = time.monotonic()
        listing = self.query_one("#logs-list", OptionList)
        keep = self._highlighted_id()
        # The known errors first: what the logs say went wrong. Then the logs, as the guide lists them.
        options: list[Option] = [Option(Text("Known errors found in the logs", style="bold"), id="findings",
                                        disabled=True), *self._finding_rows()]
        self._sources = {}
        for component in self.knowledge.components:
            offhost = [lg for lg in component.logs if not lg.dir.startswith("/")]
            sources = [s for s in (self.discovery.sources if self.discovery else ()) if s.component == component.id]
            if not offhost and not sources and not (self.discovery is None and component.logs):
                continue
            options.append(Option(self._heading(component), id=f"component-{component.id}", disabled=True))
            options += [Option(self._offhost_row(component, log), id=f"offhost-{log.id}") for log in offhost]
            for source in sources:
                self._sources[f"log:{source.id}"] = source
                options.append(Option(self._source_row(source), id=f"log:{source.id}"))
            if self.discovery is None and not offhost:
                note = self.discovery_error or "looking…"
                options.append(Option(lines((Text(note, style="dim"), 2)), id=f"wait-{component.id}", disabled=True))
        listing.set_options(options)
        ids = [o.id for o in options]
        if keep in ids:
            listing.highlighted = ids.index(keep)
        else:
            listing.highlighted = next((i for i, o in enumerate(options) if not o.disabled), None)
        self._show_detail()

    def _heading(self, component: Component) -> Text:
        name = component.name if component.short in component.name else f"{component.name} ({component.short})"
        places = sorted({lg.dir.rstrip("/") + ("/" if lg.dir.startswith("/") else "") for lg in component.logs})
        return Text.assemble((name, "bold"), (f" · {', '.join(places)}" if places else "", "dim"))

    def _offhost_row(self, component: Component, log: LogFile) -> Group:
        where = component.paths.get(SYSTEM_LOG[2], log.dir) if (component.id, log.id) == SYSTEM_LOG[:2] else log.dir
        return lines((Text.assemble((f"{log.name:<{NAME_WIDTH}}", "bold"), " ", (where, "cyan")), 2),
                     (Text(log.what, style="dim"), 4))

    def _source_row(self, source: LogSource) -> Group:
        row = Text()
        if source.kind == "journal":
            row.append(f"{source.title}", "bold")
            row.append(f"  journalctl -u {source.unit}", "cyan")
        else:
            row.append(f"{source.title:<{NAME_WIDTH}}", "bold")
            row.append(" ")
            if source.problem is not None:
                row.append(f"✖ {source.problem}", "bold red")
            elif source.size == 0:
                row.append("empty", "dim")
            else:
                row.append(human_size(source.size or 0))
                if source.mtime is not None:
                    row.append(f" · written {ago(source.mtime, self.host.clock.now())}", "dim")
            if source.rotated:
                row.append(f" · +{len(source.rotated)} rotated", "dim")
        parts = [(row, 2)]
        what = source.what or ("Found beside the logs the guide names." if not source.known else "")
        if what:
            parts.append((Text(what, style="dim"), 4))
        if source.hint:
            parts.append((Text(source.hint, style="bold yellow"), 4))
        return lines(*parts)

    def _finding_rows(self) -> list[Option]:
        if self.scan_error:
            return [Option(lines((Text(f"✖ the scan failed: {self.scan_error}", style="red"), 2)), id="scan-error",
                           disabled=True)]
        if self.scan is None:
            return [Option(lines((Text("… scanning the logs for the catalog's errors", style="dim"), 2)), id="scanning",
                           disabled=True)]
        rows = [Option(self._finding_row(f), id=f"finding-{f.entry.id}") for f in self.scan.findings]
        if not rows:
            rows.append(Option(lines((Text("✔ none of the catalog's errors are in the logs", style="green"), 2)),
                               id="no-findings", disabled=True))
        if self.scan.skipped:
            names = ", ".join(f"{s.display} ({s.reason})" for s in self.scan.skipped)
            rows.append(Option(lines((Text(f"⚠ not scanned: {names}", style="yellow"), 2)), id="scan-skipped"))
        return rows

    def _finding_row(self, finding: Finding) -> Group:
        where = finding.file.rsplit("/", 1)[-1] + (f":{finding.line}" if finding.line else "")
        last = f" · last {finding.last_seen:%Y-%m-%d %H:%M:%S}" if finding.last_seen else ""
        return lines((Text.assemble((f"{finding.entry.guide_label:<5}", "bold red"), " ", finding.entry.title), 2),
                     (Text(f"{finding.count}× · {where}{last}", style="dim"), 8))

    # --- selection -------------------------------------------------------------------------------

    def _highlighted_id(self) -> str | None:
        listing = self.query_one("#logs-list", OptionList)
        if listing.highlighted is None or listing.highlighted >= listing.option_count:
            return None
        return listing.get_option_at_index(listing.highlighted).id

    def _finding(self, option_id: str | None) -> Finding | None:
        if not option_id or not option_id.startswith("finding-") or self.scan is None:
            return None
        return next((f for f in self.scan.findings if f"finding-{f.entry.id}" == option_id), None)

    def _source(self, option_id: str | None) -> LogSource | None:
        return self._sources.get(option_id or "")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "logs-list":
            self._show_detail()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id != "logs-list":
            return
        event.stop()
        option_id = event.option.id
        if (finding := self._finding(option_id)) is not None:
            self.app.open_entry(finding.entry)  # type: ignore[attr-defined]
        elif (source := self._source(option_id)) is not None:
            self.app.show_log(source.id)  # type: ignore[attr-defined]
        elif option_id and option_id.startswith("offhost-"):
            self.notify(self._offhost_detail(option_id).plain, title="Not on this host", timeout=6)

    def action_open_entry(self) -> None:
        finding = self._finding(self._highlighted_id())
        if finding is not None:
            self.app.open_entry(finding.entry)  # type: ignore[attr-defined]

    # --- detail ----------------------------------------------------------------------------------

    def _show_detail(self) -> None:
        option_id = self._highlighted_id()
        detail = self.query_one("#logs-detail", Static)
        if (finding := self._finding(option_id)) is not None:
            detail.update(self._finding_detail(finding))
        elif (source := self._source(option_id)) is not None:
            detail.update(self._source_detail(source))
        elif option_id and option_id.startswith("offhost-"):
            detail.update(self._offhost_detail(option_id))
        elif option_id == "scan-skipped" and self.scan is not None:
            text = Text("Not scanned\n", style="bold")
            for skipped in self.scan.skipped:
                hint = f" — {skipped.hint}" if skipped.hint else ""
                text.append(f"{skipped.display}: {skipped.reason}{hint}\n")
            detail.update(text)
        else:
            detail.update("")

    def _source_detail(self, source: LogSource) -> Text:
        if source.kind == "journal":
            text = Text.assemble((source.title, "bold"), "\n", f"journalctl -u {source.unit}\n")
        elif source.problem is not None:
            text = Text.assemble((source.path, "bold"), "\n", (f"✖ {source.problem}\n", "bold red"))
            if source.hint:
                text.append(f"{source.hint}\n", "bold yellow")
        else:
            text = Text.assemble((source.path, "bold"), "\n",
                                 f"{human_size(source.size or 0)} · last write {stamp(source.mtime)}\n")
        for old in source.rotated:
            state = old.problem or (human_size(old.size) if old.size is not None else "?")
            text.append(f"  {old.path}  {state}" + (f" · {old.compressed}" if old.compressed else "") + "\n", "dim")
        if source.what:
            text.append(f"{source.what}\n", "dim")
        text.append("Enter: open it in the log pane (F3 shows or hides the pane, F4 maximises it)", "italic")
        return text

    def _offhost_detail(self, option_id: str) -> Text:
        for component in self.knowledge.components:
            for log in component.logs:
                if f"offhost-{log.id}" == option_id:
                    where = component.paths.get(SYSTEM_LOG[2], log.dir) if (component.id, log.id) == SYSTEM_LOG[:2] \
                        else log.dir
                    return Text.assemble((f"{log.name}", "bold"), f" ({component.name}): not on this host.\n",
                                         f"Find it in {where}.\n", (log.what, "dim"))
        return Text("")

    def _finding_detail(self, finding: Finding) -> Text:
        entry = finding.entry
        text = Text.assemble((f"{entry.guide_label} · {entry.title}", "bold"), "\n")
        text.append(f"{finding.count}× · first {stamp_or(finding.first_seen)} · last {stamp_or(finding.last_seen)}\n")
        text.append(f"{finding.file}" + (f", line {finding.line}" if finding.line else "") + "\n")
        text.append(finding.excerpt + "\n", "dim")
        text.append("Enter or o: open the guide's entry", "italic")
        return text


def stamp_or(moment: datetime | None) -> str:
    """A log's own time, as written (the scanner keeps it as the log wrote it)."""
    return moment.isoformat(sep=" ", timespec="seconds") if moment is not None else "unknown"
