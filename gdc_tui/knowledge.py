"""Loads knowledge/ (the error catalog, the components, the databases) into typed, validated records."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from gdc_tui.resources import data_dir
from gdc_tui.tomlfile import DataFileError, Table, read_toml

GUIDE_REF = re.compile(r"^[ABC][1-9][0-9]?$")
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
STEP_PLACES = ("okta-admin-console", "host", "database", "code")
SIGNATURE_KINDS = ("phrase", "regex")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")  # {driver_classes}; regex counts like {0,40} are not names


def squeeze(text: str) -> str:
    """Text with all white space removed, lower-cased: how phrases are compared (see lookup)."""
    return re.sub(r"\s+", "", text).lower()


@dataclass(frozen=True)
class Signature:
    """One piece of evidence for an entry. Phrases ignore case and white space (wrapping cannot
    break them); regexes see the text with its white space folded. A negative weight is evidence
    *against* the entry (e.g. an SQL Server driver frame for the agent's PKIX entry)."""

    kind: str
    pattern: str
    weight: float
    regex: re.Pattern[str]


@dataclass(frozen=True)
class Step:
    text: str
    where: str
    command: str | None = None


@dataclass(frozen=True)
class ErrorEntry:
    id: str
    guide: tuple[str, ...]
    category: str
    component: str
    hop: str
    title: str
    message: str
    signatures: tuple[Signature, ...]
    reasons: tuple[str, ...]
    resolution: tuple[Step, ...]
    checks: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    note: str | None = None
    file: str = ""

    @property
    def guide_label(self) -> str:
        """`A6`, `B2/B5`, or `field` for errors the guide does not list."""
        return "/".join(self.guide) if self.guide else "field"

    @property
    def guide_json(self) -> str | list[str] | None:
        if not self.guide:
            return None
        return self.guide[0] if len(self.guide) == 1 else list(self.guide)


@dataclass(frozen=True)
class Category:
    id: str
    title: str
    description: str
    file: str


@dataclass(frozen=True)
class Hop:
    id: str
    title: str
    description: str


@dataclass(frozen=True)
class ConfigFile:
    id: str
    path: str
    format: str
    what: str
    secrets: tuple[str, ...] = ()


@dataclass(frozen=True)
class LogFile:
    id: str
    dir: str
    name: str
    format: str
    what: str


@dataclass(frozen=True)
class Port:
    number: int
    direction: str
    what: str


@dataclass(frozen=True)
class Component:
    id: str
    name: str
    short: str
    description: str
    unit: str | None = None
    package: str | None = None
    user: str | None = None
    home: str | None = None
    min_version: str | None = None
    pid_file: str | None = None
    configs: tuple[ConfigFile, ...] = ()
    logs: tuple[LogFile, ...] = ()
    ports: tuple[Port, ...] = ()
    paths: dict[str, str] = field(default_factory=dict)
    never_collect: tuple[str, ...] = ()


@dataclass(frozen=True)
class Database:
    id: str
    name: str
    default_port: int
    driver_classes: tuple[str, ...]
    jar_globs: tuple[str, ...]
    url_form: str
    min_scim_version: str | None = None

    @property
    def class_files(self) -> tuple[str, ...]:
        """The path of each driver class inside a jar: oracle/jdbc/OracleDriver.class."""
        return tuple(name.replace(".", "/") + ".class" for name in self.driver_classes)


@dataclass(frozen=True)
class Knowledge:
    errors: tuple[ErrorEntry, ...]
    categories: tuple[Category, ...]
    components: tuple[Component, ...]
    hops: tuple[Hop, ...]
    databases: tuple[Database, ...]
    root: Path

    def error(self, key: str) -> ErrorEntry | None:
        """An entry by id or by guide reference (`a6`, `B5`), case-insensitively."""
        wanted = key.strip().lower()
        for entry in self.errors:
            if entry.id == wanted or wanted in (g.lower() for g in entry.guide):
                return entry
        return None

    def in_category(self, category: str) -> tuple[ErrorEntry, ...]:
        return tuple(e for e in self.errors if e.category == category)

    def component(self, component_id: str) -> Component:
        for comp in self.components:
            if comp.id == component_id:
                return comp
        raise KeyError(component_id)

    def database(self, database_id: str) -> Database:
        for db in self.databases:
            if db.id == database_id:
                return db
        raise KeyError(database_id)

    def check_references(self, check_ids: Iterable[str], action_ids: Iterable[str]) -> None:
        """Every check and action an entry names must exist in the registries that run them."""
        checks, actions = set(check_ids), set(action_ids)
        for entry in self.errors:
            for key, names, known in (("checks", entry.checks, checks), ("actions", entry.actions, actions)):
                for name in names:
                    if name not in known:
                        raise DataFileError(entry.file, f"names unknown {key[:-1]} {name!r}", entry.id, key)


# --- loading -------------------------------------------------------------------------------------


def _signature(table: Table, placeholders: dict[str, str]) -> Signature:
    kind = table.str("kind", "phrase")
    pattern = table.str("pattern")
    weight = table.float("weight")
    table.done()
    if kind not in SIGNATURE_KINDS:
        raise table.fail("kind", f"must be one of {', '.join(SIGNATURE_KINDS)}, not {kind!r}")
    if weight == 0:
        raise table.fail("weight", "must not be 0")
    if kind == "phrase":
        source = re.escape(squeeze(pattern))
    else:
        unknown = [name for name in _PLACEHOLDER.findall(pattern) if name not in placeholders]
        if unknown:
            raise table.fail("pattern", f"unknown placeholder {{{unknown[0]}}} (known: {', '.join(placeholders)})")
        source = _PLACEHOLDER.sub(lambda m: placeholders[m.group(1)], pattern)
    try:
        compiled = re.compile(source, re.IGNORECASE)
    except re.error as exc:
        raise table.fail("pattern", f"regex does not compile: {exc}") from None
    return Signature(kind, pattern, weight, compiled)


def _step(table: Table) -> Step:
    step = Step(text=table.str("text"), where=table.str("where"), command=table.opt_str("command"))
    table.done()
    if step.where not in STEP_PLACES:
        raise table.fail("where", f"must be one of {', '.join(STEP_PLACES)}, not {step.where!r}")
    return step


def _errors_file(path: Path, placeholders: dict[str, str], hops: set[str], components: set[str]):
    doc = Table(read_toml(path), path)
    cat_table = doc.table("category")
    category = Category(
        id=cat_table.str("id"), title=cat_table.str("title"),
        description=cat_table.str("description"), file=str(path),
    )
    cat_table.done()
    entries = []
    for raw in doc.tables("error", required=True):
        entry_id = raw.data.get("id") if isinstance(raw.data.get("id"), str) else raw.prefix
        table = Table(raw.data, path, entry_id)
        if not SLUG.match(table.str("id")):
            raise table.fail("id", "must be a lower-case slug like 'oracle-invalid-credentials'")
        guide = table.strs("guide", allow_str=True)
        for ref in guide:
            if not GUIDE_REF.match(ref):
                raise table.fail("guide", f"{ref!r} is not a guide reference like 'A6'")
            if ref[0] != category.id:
                raise table.fail("guide", f"{ref!r} belongs in category {ref[0]}, not {category.id}")
        entry = ErrorEntry(
            id=table.str("id"),
            guide=guide,
            category=category.id,
            component=table.str("component"),
            hop=table.str("hop"),
            title=table.str("title"),
            message=table.str("message"),
            signatures=tuple(_signature(t, placeholders) for t in table.tables("signatures", required=True)),
            reasons=table.strs("reasons", required=True),
            resolution=tuple(_step(t) for t in table.tables("resolution", required=True)),
            checks=table.strs("checks"),
            actions=table.strs("actions"),
            note=table.opt_str("note"),
            file=str(path),
        )
        table.done()
        if entry.hop not in hops:
            raise table.fail("hop", f"unknown hop {entry.hop!r} (known: {', '.join(sorted(hops))})")
        if entry.component not in components:
            known = ", ".join(sorted(components))
            raise table.fail("component", f"unknown component {entry.component!r} (known: {known})")
        if max(s.weight for s in entry.signatures) <= 0:
            raise table.fail("signatures", "needs at least one signature with a positive weight")
        entries.append(entry)
    doc.done()
    return category, entries


def _components_file(path: Path) -> tuple[tuple[Hop, ...], tuple[Component, ...]]:
    doc = Table(read_toml(path), path)
    hops = []
    for t in doc.tables("hop", required=True):
        hops.append(Hop(t.str("id"), t.str("title"), t.str("description")))
        t.done()
    components = []
    for raw in doc.tables("component", required=True):
        t = Table(raw.data, path, raw.data.get("id") if isinstance(raw.data.get("id"), str) else raw.prefix)
        configs = []
        for c in t.tables("config"):
            configs.append(ConfigFile(c.str("id"), c.str("path"), c.str("format"), c.str("what"), c.strs("secrets")))
            c.done()
        logs = []
        for lg in t.tables("log"):
            logs.append(LogFile(lg.str("id"), lg.str("dir"), lg.str("name"), lg.str("format"), lg.str("what")))
            lg.done()
        ports = []
        for p in t.tables("port"):
            ports.append(Port(p.int("number"), p.str("direction"), p.str("what")))
            p.done()
        paths_table = t.table("paths", required=False)
        paths: dict[str, str] = {}
        if paths_table is not None:
            for key in list(paths_table.data):
                paths[key] = paths_table.str(key)
            paths_table.done()
        components.append(Component(
            id=t.str("id"), name=t.str("name"), short=t.str("short"), description=t.str("description"),
            unit=t.opt_str("unit"), package=t.opt_str("package"), user=t.opt_str("user"),
            home=t.opt_str("home"), min_version=t.opt_str("min_version"), pid_file=t.opt_str("pid_file"),
            configs=tuple(configs), logs=tuple(logs), ports=tuple(ports), paths=paths,
            never_collect=t.strs("never_collect"),
        ))
        t.done()
    doc.done()
    _unique(path, "hop", [h.id for h in hops])
    _unique(path, "component", [c.id for c in components])
    return tuple(hops), tuple(components)


def _databases_file(path: Path) -> tuple[Database, ...]:
    doc = Table(read_toml(path), path)
    databases = []
    for raw in doc.tables("database", required=True):
        t = Table(raw.data, path, raw.data.get("id") if isinstance(raw.data.get("id"), str) else raw.prefix)
        databases.append(Database(
            id=t.str("id"), name=t.str("name"), default_port=t.int("default_port"),
            driver_classes=t.strs("driver_classes", required=True), jar_globs=t.strs("jar_globs", required=True),
            url_form=t.str("url_form"), min_scim_version=t.opt_str("min_scim_version"),
        ))
        t.done()
    doc.done()
    _unique(path, "database", [d.id for d in databases])
    return tuple(databases)


def _unique(path: Path | str, what: str, ids: Iterable[str]) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise DataFileError(path, f"duplicate {what} id", item, "id")
        seen.add(item)


def load_knowledge(root: Path | None = None) -> Knowledge:
    """Read and validate knowledge/. Raises DataFileError with a one-line message on any fault."""
    root = root or data_dir("knowledge")
    hops, components = _components_file(root / "components.toml")
    databases = _databases_file(root / "databases.toml")
    placeholders = {
        # Every JDBC driver class, escaped, for signatures that must tell a driver class from others.
        "driver_classes": "(?:" + "|".join(re.escape(c) for d in databases for c in d.driver_classes) + ")",
    }
    files = sorted((root / "errors").glob("*.toml"))
    if not files:
        raise DataFileError(root / "errors", "holds no *.toml catalog files")
    categories, errors = [], []
    for path in files:
        category, entries = _errors_file(path, placeholders, {h.id for h in hops}, {c.id for c in components})
        categories.append(category)
        errors.extend(entries)
    _unique(root / "errors", "category", [c.id for c in categories])
    seen: dict[str, ErrorEntry] = {}
    refs: dict[str, ErrorEntry] = {}
    for entry in errors:
        if entry.id in seen:
            raise DataFileError(entry.file, f"duplicate error id (also in {seen[entry.id].file})", entry.id, "id")
        seen[entry.id] = entry
        for ref in entry.guide:
            if ref in refs:
                message = f"guide reference {ref} is already used by {refs[ref].id!r}"
                raise DataFileError(entry.file, message, entry.id, "guide")
            refs[ref] = entry
    return Knowledge(tuple(errors), tuple(categories), components, hops, databases, root)
