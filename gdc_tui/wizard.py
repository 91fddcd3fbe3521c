"""Loads screens/ (the wizard's sections and steps, as TOML) into a validated tree."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gdc_tui.checks.engine import check_ids
from gdc_tui.knowledge import SLUG, Knowledge
from gdc_tui.resources import data_dir
from gdc_tui.tomlfile import DataFileError, Table, read_toml

# The kinds of step the UI knows how to show. A step of another kind is a typo in screens/.
STEP_KINDS = ("logs", "lookup", "catalog", "checks")


@dataclass(frozen=True)
class Step:
    id: str
    kind: str
    title: str
    text: str
    placeholder: str = ""
    errors: tuple[str, ...] = ()  # catalog entries this step points at
    checks: tuple[str, ...] = ()  # health checks this step runs (none named: all of them)


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    guide: str
    intro: str
    order: int
    steps: tuple[Step, ...]
    file: str


@dataclass(frozen=True)
class Wizard:
    sections: tuple[Section, ...]

    def step(self, step_id: str) -> Step:
        for section in self.sections:
            for step in section.steps:
                if step.id == step_id:
                    return step
        raise KeyError(step_id)


def _section(path: Path, knowledge: Knowledge) -> Section:
    doc = Table(read_toml(path), path)
    head = doc.table("section")
    section_id = head.str("id")
    steps = []
    for raw in doc.tables("step", required=True):
        step_id = raw.data.get("id") if isinstance(raw.data.get("id"), str) else raw.prefix
        t = Table(raw.data, path, step_id)
        step = Step(
            id=t.str("id"), kind=t.str("kind"), title=t.str("title"), text=t.str("text"),
            placeholder=t.str("placeholder", ""), errors=t.strs("errors"), checks=t.strs("checks"),
        )
        t.done()
        if not SLUG.match(step.id):
            raise t.fail("id", "must be a lower-case slug")
        if step.kind not in STEP_KINDS:
            raise t.fail("kind", f"unknown step kind {step.kind!r} (known: {', '.join(STEP_KINDS)})")
        for ref in step.errors:
            if knowledge.error(ref) is None:
                raise t.fail("errors", f"names unknown catalog entry {ref!r}")
        unknown = [c for c in step.checks if c not in check_ids()]
        if unknown:
            raise t.fail("checks", f"names unknown check {unknown[0]!r}")
        steps.append(step)
    section = Section(
        id=section_id, title=head.str("title"), guide=head.str("guide"), intro=head.str("intro"),
        order=head.int("order"), steps=tuple(steps), file=str(path),
    )
    head.done()
    doc.done()
    return section


def load_wizard(knowledge: Knowledge, root: Path | None = None) -> Wizard:
    """Read and validate screens/. Raises DataFileError with a one-line message on any fault."""
    root = root or data_dir("screens")
    files = sorted(root.glob("*.toml"))
    if not files:
        raise DataFileError(root, "holds no *.toml screen files")
    sections = sorted((_section(p, knowledge) for p in files), key=lambda s: (s.order, s.id))
    seen: dict[str, str] = {}
    for section in sections:
        for ident in [section.id, *(s.id for s in section.steps)]:
            if ident in seen:
                raise DataFileError(section.file, f"duplicate id (also in {seen[ident]})", ident, "id")
            seen[ident] = section.file
    return Wizard(tuple(sections))
