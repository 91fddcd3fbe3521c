"""Terminal output for people: a rich console that honours NO_COLOR and pipes, and catalog entries."""

from __future__ import annotations

from rich.console import Console
from rich.markdown import Markdown
from rich.rule import Rule

from gdc_tui.knowledge import ErrorEntry, Knowledge
from gdc_tui.lookup import resolution_json
from gdc_tui.render import entry_markdown


def console() -> Console:
    # rich already honours NO_COLOR and plain pipes; soft_wrap off keeps commands copyable.
    return Console(highlight=False)


def print_entry(out: Console, entry: ErrorEntry, knowledge: Knowledge, *, rank: int | None = None,
                score: float | None = None, full: bool = True) -> None:
    label = f"{rank}. " if rank else ""
    out.print(Rule(f"[bold]{label}{entry.guide_label} · {entry.title}[/bold]", align="left"))
    if score is not None:
        out.print(f"[dim]match score {score:g}[/dim]")
    if full:
        out.print(Markdown(entry_markdown(entry, knowledge, heading=False)))
    else:
        out.print(f"  {entry.reasons[0]}")
        out.print(f"  [dim]gdc-tui errors {entry.id}[/dim]")
    out.print()


def entry_json(entry: ErrorEntry) -> dict:
    return {
        "id": entry.id,
        "guide": entry.guide_json,
        "category": entry.category,
        "component": entry.component,
        "hop": entry.hop,
        "title": entry.title,
        "message": entry.message,
        "reasons": list(entry.reasons),
        "resolution": resolution_json(entry),
        "checks": list(entry.checks),
        "actions": list(entry.actions),
    }
