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


EVIDENCE_LINES = 15  # of each command's output in the detail view; the transcript keeps all of it


def check_markdown(result, knowledge: Knowledge) -> str:
    """A health check result (gdc_tui.checks.model.CheckResult) for the detail panel."""
    lines = [f"**{result.symbol} {result.status.upper()} · {result.title}** (`{result.id}`, {result.duration_s:.2f}s)",
             "", _text(result.summary), ""]
    lines += [f"- {_text(d)}" for d in result.details]
    if result.details:
        lines.append("")
    if result.remediation:
        lines += ["**What to do**", "", *_remediation(result.remediation), ""]
    entries = [e for e in (knowledge.error(i) for i in result.errors) if e is not None]
    if entries:
        lines += ["**Related errors** (press `o` to open the first)", ""]
        lines += [f"- [{e.guide_label} · {_text(e.title)}](entry:{e.id})" for e in entries]
        lines.append("")
    if result.evidence:
        lines += ["**Evidence**", ""]
        for ran in result.evidence:
            status = ran.error or f"exit {ran.exit_code}"
            output = (ran.stdout + ran.stderr).rstrip().splitlines()
            shown = output[:EVIDENCE_LINES] + ([f"... ({len(output) - EVIDENCE_LINES} more lines)"]
                                               if len(output) > EVIDENCE_LINES else [])
            command = "$ " + " ".join(ran.argv) + f"    # {status}, {ran.duration_s:.2f}s"
            lines += ["```shell", command, *shown, "```", ""]
    return "\n".join(lines)


_COMMAND = re.compile(r"^(?:sudo|/|\./|[a-z][\w.-]*(?:\s|$))")
_PROSE = re.compile(r"[A-Z]|[a-z]+ [a-z]+ [a-z]+ ")


def _remediation(text: str) -> list[str]:
    """A check's remediation is one step a line: commands become shell blocks, the rest prose."""
    out: list[str] = []
    block: list[str] = []
    for line in [*text.splitlines(), ""]:
        is_command = bool(line.strip()) and (line.startswith("sudo ") or (
            _COMMAND.match(line) is not None and _PROSE.match(line) is None))
        if is_command:
            block.append(line)
            continue
        if block:
            out += ["```shell", *block, "```", ""]
            block = []
        if line.strip():
            out += [_text(line), ""]
    return out
