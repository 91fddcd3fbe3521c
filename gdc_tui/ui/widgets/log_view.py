"""One log as a virtual list of events: levels coloured, known errors marked with their guide ref,
long messages wrapped, a cursor, following at the end, search highlights and a level filter.

A row is an event, not a line: a Java stack trace is one row showing its first line and how many
more it holds; space shows the rest (dimmed, with the event's time, thread, class and context).
It is a Line API ScrollView: only the lines on screen are rendered, and a row's height is
arithmetic on its length, so the kept events (2000 by default) lay out in about a millisecond.

Following: the cursor sits on the newest event and new events scroll into view. Moving up (keys,
the wheel, the scrollbar, a jump to an error or a match) pauses it; End, or coming back down to the
bottom, resumes it. While paused, the lines on screen stay put even as old events are dropped.

"Problem" events — what `e`/`E` jump between and what the WARN+ filter keeps — are WARN and above
(Event.is_problem) plus any event that matches a catalog entry (a plain Service.err line has no
level, but "Access denied for user" is still a known error).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from rich.cells import get_character_cell_size
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollDown, ScrollTo, ScrollUp
from textual.strip import Strip

from gdc_tui.knowledge import ErrorEntry
from gdc_tui.logs.parse import Event

LEVELS = ("all", "warn", "error")  # the `l` cycle
LEVEL_TITLES = {"all": "all levels", "warn": "WARN+", "error": "ERROR+"}
GUTTER = 4  # "A11 ": the guide ref of a known error, or blank
TAB_SIZE = 4
MIN_BODY = 12  # cells a message keeps however narrow the pane
LEVEL_CLASSES = {"FATAL": "log-view--error", "ERROR": "log-view--error", "WARN": "log-view--warn",
                 "DEBUG": "log-view--debug", "TRACE": "log-view--debug"}


def gutter_label(entry: ErrorEntry) -> str:
    """At most 3 cells: `A6`, `A11`, `B2+` (B2/B5), `fld` (an error seen in the field)."""
    if not entry.guide:
        return "fld"
    return entry.guide[0] if len(entry.guide) == 1 else f"{entry.guide[0]}+"


@dataclass(eq=False, slots=True)
class LogRow:
    """One event as the view keeps it, with the catalog entry it is evidence for (if any)."""

    event: Event
    entry: ErrorEntry | None = None
    seq: int = 0  # the view's running number: identity across trims
    height: int = 1  # display lines, for `measured`
    measured: tuple[int, bool] | None = None  # (width, expanded) the height is for
    folded: str | None = None  # the event's text in lower case, once searched

    @property
    def lower(self) -> str:
        if self.folded is None:
            self.folded = self.event.text.lower()
        return self.folded

    @property
    def problem(self) -> bool:
        return self.entry is not None or self.event.is_problem

    def passes(self, level: str) -> bool:
        if level == "warn":
            return self.problem
        if level == "error":
            return self.entry is not None or self.event.is_error
        return True


def _cuts(text: str, width: int) -> list[int]:
    """Where `text` is cut into lines of at most `width` cells (character wrap, as `less` does)."""
    if text.isascii():
        return list(range(width, len(text), width))
    cuts, used = [], 0
    for index, char in enumerate(text):
        size = get_character_cell_size(char)
        if used and used + size > width:
            cuts.append(index)
            used = 0
        used += size
    return cuts


def _columns(event: Event) -> tuple[str, str]:
    """The time and level columns of a row ("" when the log writes none)."""
    time = f"{event.timestamp:%H:%M:%S} " if event.timestamp else ""
    level = f"{event.level or '':<5} " if (event.level or time) else ""
    return time, level


def _message(event: Event, expanded: bool) -> str:
    text = event.message.expandtabs(TAB_SIZE)
    if not expanded and event.nlines > 1:
        text += f"  [+{event.nlines - 1} lines]"
    return text


def _details(row: LogRow) -> list[tuple[str, str]]:
    """The lines an expanded row adds, with the component class of each."""
    event = row.event
    facts = [event.timestamp.isoformat(sep=" ", timespec="milliseconds") if event.timestamp else "",
             event.thread or "", event.source or "", event.context or "",
             f"line {event.line}" if event.line else ""]
    out = []
    if any(facts):
        out.append((" · ".join(f for f in facts if f), "log-view--detail"))
    if row.entry is not None:
        out.append((f"{row.entry.guide_label} · {row.entry.title} — Enter opens the guide's entry",
                    "log-view--known-text"))
    out += [(line.expandtabs(TAB_SIZE), "log-view--trace") for line in event.text.split("\n")[1:]]
    return out


class LogView(ScrollView, can_focus=True):
    """The events of one log. The pane feeds it with `add()`; see the module docstring."""

    COMPONENT_CLASSES = {
        "log-view--cursor", "log-view--time", "log-view--error", "log-view--warn", "log-view--debug",
        "log-view--known", "log-view--known-text", "log-view--more", "log-view--match",
        "log-view--detail", "log-view--trace", "log-view--note",
    }

    DEFAULT_CSS = """
    LogView {
        scrollbar-gutter: stable;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
        & > .log-view--cursor { background: $block-cursor-blurred-background; }
        &:focus > .log-view--cursor { background: $block-cursor-background 60%; }
        & > .log-view--time { color: $text-muted; }
        & > .log-view--error { color: $text-error; text-style: bold; }
        & > .log-view--warn { color: $text-warning; }
        & > .log-view--debug { color: $text-muted; }
        & > .log-view--known { color: $text; background: $error-darken-1; text-style: bold; }
        & > .log-view--known-text { color: $text-error; }
        & > .log-view--more { color: $text-muted; text-style: italic; }
        & > .log-view--match { color: $text; background: $warning-darken-1; text-style: bold; }
        & > .log-view--detail { color: $text-muted; }
        & > .log-view--trace { color: $text-muted; }
        & > .log-view--note { color: $text-muted; }
    }
    """

    BINDINGS = [
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("e", "next_problem", "Next error"),
        Binding("E", "previous_problem", "Prev error", show=False),
        Binding("enter", "select", "Open"),
        Binding("space", "toggle_details", "Details", show=False),
        Binding("end", "last", "Follow"),  # offered only while paused (check_action)
    ]

    class Changed(Message):
        """Following, the cursor, the filter or the number of events changed: the status line is stale."""

        def __init__(self, view: LogView) -> None:
            super().__init__()
            self.view = view

    def __init__(self, *, keep: int = 2000, **kwargs) -> None:
        super().__init__(**kwargs)
        if keep < 1:
            raise ValueError("keep must be at least 1")
        self.keep = keep
        self.following = True
        self.level = "all"
        self.search = ""  # lower case; "" for none
        self.cursor: int | None = None  # index into the shown rows
        self.note: Text | None = None  # shown instead of events while there are none
        self._rows: list[LogRow] = []  # every kept event, oldest first
        self._shown: list[LogRow] = []  # those the level filter lets through
        self._starts = [0]  # first display line of each shown row; the last item is the total
        self._expanded: set[int] = set()  # seqs
        self._seq = 0
        self._auto = False  # a scroll of our own (not the user's) is under way
        self._offered = True  # `following` when the footer's bindings were last worked out
        self._cache: LRUCache[tuple, list[Strip]] = LRUCache(512)

    # --- feeding ---------------------------------------------------------------------------------

    @property
    def rows(self) -> list[LogRow]:
        """The rows shown (after the level filter), oldest first."""
        return self._shown

    @property
    def kept(self) -> int:
        return len(self._rows)

    @property
    def current(self) -> LogRow | None:
        return self._shown[self.cursor] if self.cursor is not None and self._shown else None

    def add(self, rows: list[LogRow]) -> None:
        """Append new events; the oldest go beyond `keep`."""
        if not rows:
            return
        for row in rows:
            self._seq += 1
            row.seq = self._seq
        self._rows.extend(rows)
        self._shown.extend(r for r in rows if r.passes(self.level))
        removed = 0
        excess = len(self._rows) - self.keep
        if excess > 0:
            last_gone = self._rows[excess - 1].seq
            del self._rows[:excess]
            cut = 0
            while cut < len(self._shown) and self._shown[cut].seq <= last_gone:
                removed += self._shown[cut].height
                cut += 1
            del self._shown[:cut]
            if self.cursor is not None:
                self.cursor = max(0, self.cursor - cut)
            if self._expanded:
                self._expanded = {s for s in self._expanded if s > last_gone}
        if self.cursor is None and self._shown:
            self.cursor = len(self._shown) - 1
        self._relayout()
        if self.following:
            self.cursor = len(self._shown) - 1 if self._shown else None
            self._scroll_end()
        elif removed:
            self._scroll_to_y(self.scroll_offset.y - removed)  # keep the lines on screen still
        self.refresh()
        self._changed()

    def set_note(self, note: Text | None) -> None:
        self.note = note
        self.refresh()

    # --- filter and search -----------------------------------------------------------------------

    def set_level(self, level: str) -> None:
        if level not in LEVELS:
            raise ValueError(f"unknown level filter {level!r}")
        if level == self.level:
            return
        keep = self.current
        self.level = level
        self._shown = [r for r in self._rows if r.passes(level)]
        if self.following or keep is None:
            self.cursor = len(self._shown) - 1 if self._shown else None
        else:  # the same event if it is still shown, else the one before it
            index = bisect_right([r.seq for r in self._shown], keep.seq) - 1
            self.cursor = max(0, index) if self._shown else None
        self._relayout()
        if self.following:
            self._scroll_end()
        elif self.cursor is not None:
            self._reveal(self.cursor, center=True)
        self.refresh()
        self._changed()

    def set_search(self, term: str) -> int:
        """Highlight `term` (case-insensitive); returns the number of shown events holding it."""
        self.search = term.lower()
        self.refresh()
        self._changed()
        return self.search_hits()

    def search_hits(self) -> int:
        return sum(1 for r in self._shown if self.search in r.lower) if self.search else 0

    def search_next(self, forward: bool = True, *, include_current: bool = False) -> bool:
        """Move to the next (previous) event holding the search term, wrapping around."""
        term = self.search
        if not term:
            return False
        found = self._find(lambda r: term in r.lower, forward, include_current=include_current)
        if found is None:
            return False
        row = self._shown[found]
        if term not in row.event.message.lower():  # the match is in the trace or the details
            self._expanded.add(row.seq)
            self._relayout()
        self._go(found, follow=False)
        return True

    def problem_next(self, forward: bool = True) -> bool:
        found = self._find(lambda r: r.problem, forward)
        if found is None:
            return False
        self._go(found, follow=False)
        return True

    def _find(self, wanted: Callable[[LogRow], bool], forward: bool, *, include_current: bool = False) -> int | None:
        count = len(self._shown)
        if not count:
            return None
        start = self.cursor if self.cursor is not None else count - 1
        steps = range(0 if include_current else 1, count + 1)
        for step in steps:
            index = (start + step if forward else start - step) % count
            if wanted(self._shown[index]):
                return index
        return None

    # --- actions ---------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "last":
            return not self.following
        return True

    def action_cursor_up(self) -> None:
        self._go(self._on_screen(self.cursor, top=True) - 1, follow=False)

    def action_cursor_down(self) -> None:
        index = self._on_screen(self.cursor, top=False) + 1
        self._go(index, follow=index >= len(self._shown) - 1)

    def action_page_up(self) -> None:
        start = self._on_screen(self.cursor, top=True)
        if not self._shown:
            return
        target = self._starts[start] - max(1, self._viewport() - 1)
        self._go(max(0, bisect_right(self._starts, max(0, target)) - 1), follow=False)

    def action_page_down(self) -> None:
        start = self._on_screen(self.cursor, top=False)
        if not self._shown:
            return
        target = self._starts[start] + max(1, self._viewport() - 1)
        index = min(len(self._shown) - 1, bisect_right(self._starts, target) - 1)
        self._go(index, follow=index >= len(self._shown) - 1)

    def action_first(self) -> None:
        self._go(0, follow=False)

    def action_last(self) -> None:
        """End: back to the newest event, following again."""
        self._go(len(self._shown) - 1, follow=True)

    def action_next_problem(self) -> None:
        if not self.problem_next(True):
            self.notify("No WARN, ERROR or known-error event in this log" +
                        (f" ({LEVEL_TITLES[self.level]})" if self.level != "all" else ""), timeout=3)

    def action_previous_problem(self) -> None:
        if not self.problem_next(False):
            self.notify("No WARN, ERROR or known-error event in this log", timeout=3)

    def action_select(self) -> None:
        """Enter: a known error opens its catalog entry; any other event shows or hides its details."""
        row = self.current
        if row is None:
            return
        if row.entry is not None:
            self.app.open_entry(row.entry)  # type: ignore[attr-defined]
        else:
            self.action_toggle_details()

    def action_toggle_details(self) -> None:
        row = self.current
        if row is None:
            return
        self._expanded.symmetric_difference_update({row.seq})
        self._relayout()
        if self.following and self.cursor == len(self._shown) - 1:
            self._scroll_end()
        else:
            self._reveal(self.cursor)  # type: ignore[arg-type]
        self.refresh()

    # --- moving ----------------------------------------------------------------------------------

    def _go(self, index: int, *, follow: bool) -> None:
        if not self._shown:
            self.following = follow
            self._changed()
            return
        self.cursor = max(0, min(index, len(self._shown) - 1))
        self.following = follow
        if follow:
            self._scroll_end()
        else:
            self._reveal(self.cursor)
        self.refresh()
        self._changed()

    def _changed(self) -> None:
        if self.following != self._offered:  # End (follow) is offered only while paused
            self._offered = self.following
            self.refresh_bindings()
        self.post_message(self.Changed(self))

    def _on_screen(self, index: int | None, *, top: bool) -> int:
        """The cursor, or — when the user scrolled it out of sight — the row at the top (bottom)
        of the screen, so that arrows move from what the user is looking at."""
        if not self._shown:
            return 0
        index = len(self._shown) - 1 if index is None else index
        y, height = self.scroll_offset.y, self._viewport()
        if self._starts[index + 1] > y and self._starts[index] < y + height:
            return index
        line = y if top else y + height - 1
        edge = max(0, min(len(self._shown) - 1, bisect_right(self._starts, line) - 1))
        return edge + 1 if top else edge - 1  # the caller's step lands on the edge row itself

    def _viewport(self) -> int:
        return max(1, self.scrollable_content_region.height)

    def _reveal(self, index: int, *, center: bool = False) -> None:
        top, bottom = self._starts[index], self._starts[index + 1]
        y, height = self.scroll_offset.y, self._viewport()
        if center and not (top >= y and bottom <= y + height):
            self._scroll_to_y(max(0, top - height // 2))
        elif top < y:
            self._scroll_to_y(top)
        elif bottom > y + height:
            self._scroll_to_y(max(top, bottom - height) if bottom - top <= height else top)

    def _scroll_end(self) -> None:
        self._scroll_to_y(self.max_scroll_y)
        # Before the first layout (or just after a resize) the size may be stale: again after it.
        self.call_after_refresh(self._settle_end)

    def _settle_end(self) -> None:
        if self.following and self.scroll_offset.y != self.max_scroll_y:
            self._scroll_to_y(self.max_scroll_y)

    def watch_show_vertical_scrollbar(self, shown: bool) -> None:
        # A scrollbar that appears after we scrolled (the first events arrive before the first
        # layout) would start with its thumb at the top while the view shows the end.
        if shown:
            self.vertical_scrollbar.position = self.scroll_y

    def _scroll_to_y(self, y: float) -> None:
        self._auto = True
        try:
            self.scroll_to(y=max(0, y), animate=False, force=True)
        finally:
            self._auto = False

    # The user's own scrolling: up pauses following, reaching the bottom resumes it. These handlers
    # run before the Widget's own (which do the scrolling), hence call_next.

    def _after_user_scroll(self, target: float | None = None) -> None:
        if not self._shown or self._auto:
            return
        at_end = (self.scroll_target_y if target is None else target) >= self.max_scroll_y
        if self.following and not at_end:
            self.following = False
            self.refresh()
            self._changed()
        elif not self.following and at_end:
            self._go(len(self._shown) - 1, follow=True)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self.call_next(self._after_user_scroll)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self.call_next(self._after_user_scroll)

    def on_scroll_to(self, message: ScrollTo) -> None:  # the scrollbar dragged
        if message.y is not None:
            self._after_user_scroll(message.y)

    def on_scroll_up(self, message: ScrollUp) -> None:  # a click on the scrollbar's track
        self.call_next(self._after_user_scroll)

    def on_scroll_down(self, message: ScrollDown) -> None:
        self.call_next(self._after_user_scroll)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or not self._shown:
            return
        line = self.scroll_offset.y + offset.y
        if line >= self._starts[-1]:
            return
        index = bisect_right(self._starts, line) - 1
        last = index == len(self._shown) - 1
        self._go(index, follow=last and self.following)
        if event.chain == 2:
            self.action_select()

    # --- layout and rendering --------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self._relayout()
        if self.following:
            self._scroll_end()
        elif self.cursor is not None and self._shown:
            self._reveal(self.cursor)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    def _text_width(self) -> int:
        return self.scrollable_content_region.width

    def _relayout(self) -> None:
        """Row heights for the current width, and where each row starts."""
        width = self._text_width()
        starts = [0]
        total = 0
        expanded = self._expanded
        for row in self._shown:
            key = (width, row.seq in expanded)
            if row.measured != key:
                row.height = self._measure(row, width, key[1])
                row.measured = key
            total += row.height
            starts.append(total)
        self._starts = starts
        self.virtual_size = Size(width, total)

    def _measure(self, row: LogRow, width: int, expanded: bool) -> int:
        if expanded:
            return len(self._lines(row, width, expanded=True, search=""))
        time, level = _columns(row.event)
        body = max(MIN_BODY, width - GUTTER - len(time) - len(level))
        return len(_cuts(_message(row.event, False), body)) + 1

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(name, partial=True)

    def _lines(self, row: LogRow, width: int, *, expanded: bool, search: str) -> list[Text]:
        """The display lines of a row, each at most `width` cells (MIN_BODY allowing)."""
        event = row.event
        time, level = _columns(event)
        indent = GUTTER + len(time) + len(level)
        body = max(MIN_BODY, width - indent)
        head = Text()
        if row.entry is not None:
            head.append(f"{gutter_label(row.entry):<3}", self._style("log-view--known"))
            head.append(" ")
        else:
            head.append(" " * GUTTER)
        if time:
            head.append(time, self._style("log-view--time"))
        if level:
            level_class = LEVEL_CLASSES.get(event.level or "")
            head.append(level, self._style(level_class) if level_class else "")
        plain = _message(event, expanded)
        message = Text(plain)
        if not expanded and event.nlines > 1:
            message.stylize(self._style("log-view--more"), len(event.message.expandtabs(TAB_SIZE)))
        if search:
            message.highlight_words([search], self._style("log-view--match"), case_sensitive=False)
        pad = Text(" " * indent)
        lines = [(head if i == 0 else pad) + piece for i, piece in enumerate(message.divide(_cuts(plain, body)))]
        if expanded:
            for text, name in _details(row):
                detail = Text(text, style=self._style(name))
                if search:
                    detail.highlight_words([search], self._style("log-view--match"), case_sensitive=False)
                lines += [pad + piece for piece in detail.divide(_cuts(text, body))]
        return lines

    def _strips(self, index: int, width: int) -> list[Strip]:
        row = self._shown[index]
        expanded = row.seq in self._expanded
        cursor = index == self.cursor and (self.has_focus or not self.following)
        key = (row.seq, width, expanded, cursor, self.has_focus, self.search)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        base = self.rich_style
        style = base + self.get_component_rich_style("log-view--cursor", partial=True) if cursor else base
        console = self.app.console
        strips = [Strip(list(text.render(console)), text.cell_len).crop_extend(0, width, None).apply_style(style)
                  for text in self._lines(row, width, expanded=expanded, search=self.search)]
        self._cache[key] = strips
        return strips

    def render_line(self, y: int) -> Strip:
        width = self._text_width()
        if not self._shown:
            return self._note_line(y, width)
        line = self.scroll_offset.y + y
        if line >= self._starts[-1]:
            return Strip.blank(width, self.rich_style)
        index = bisect_right(self._starts, line) - 1
        strips = self._strips(index, width)
        sub = line - self._starts[index]
        return strips[sub] if sub < len(strips) else Strip.blank(width, self.rich_style)

    def _note_line(self, y: int, width: int) -> Strip:
        if self.note is None or width <= 2:
            return Strip.blank(width, self.rich_style)
        lines = self.note.wrap(self.app.console, width - 2)
        if y >= len(lines):
            return Strip.blank(width, self.rich_style)
        text = Text(" ") + lines[y]
        strip = Strip(list(text.render(self.app.console)), text.cell_len)
        return strip.crop_extend(0, width, None).apply_style(self.rich_style + self._style("log-view--note"))
