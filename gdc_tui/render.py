"""Catalog entries as Markdown: one rendering for the terminal (rich) and the TUI (Markdown widget)."""

from __future__ import annotations

import re

from gdc_tui.knowledge import ErrorEntry, Knowledge

PLACE_TITLES = {
    "okta-admin-console": "In the Okta Admin Console",
    "host": "On the host",
    "database": "In the database",
    "code": "In the custom code",
}


def entry_markdown(entry: ErrorEntry, knowledge: Knowledge | None = None, *, heading: bool = True) -> str:
    lines: list[str] = []
    if heading:
        lines += [f"# {entry.title}", ""]
    hop = next((h.title for h in knowledge.hops if h.id == entry.hop), entry.hop) if knowledge else entry.hop
    ref = f"guide error {entry.guide_label}" if entry.guide else "seen in the field (not in the guide)"
    lines += [f"*{ref} · {hop} · id `{entry.id}`*", "", f"> {_literal(entry.message)}", ""]
    lines += ["## Why it happens", ""] + [f"- {_text(r)}" for r in entry.reasons] + [""]
    lines += ["## What to do", ""]
    place = None
    for number, step in enumerate(entry.resolution, 1):
        if step.where != place:
            place = step.where
            lines += ["", f"**{PLACE_TITLES[place]}**", ""]
        lines.append(f"{number}. {_text(step.text)}")
        if step.command:
            lines += ["", "   ```shell", f"   {step.command}", "   ```", ""]
    lines.append("")
    if entry.note:
        lines += ["## Note", "", _text(entry.note), ""]
    if entry.checks:
        lines += ["## Confirm with", "", "Health checks: " + ", ".join(f"`{c}`" for c in entry.checks), ""]
    return "\n".join(lines)


def _text(text: str) -> str:
    """Catalog prose as Markdown text: `<CUSTOMER_ID>` and `<USER>` are placeholders, not HTML."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _literal(text: str) -> str:
    """An error message shown as it is: every Markdown character escaped, lines kept wrappable."""
    escaped = re.sub(r"([\\`*_{}\[\]()#+!|~>-])", r"\\\1", _text(text))
    return escaped.replace("\n", " ")
