"""The little SQL the demo's database answers: SELECT columns (with aliases and a table alias) FROM
a table [WHERE column = value] and INSERT INTO table (columns) VALUES (...), with `?` parameters.
Unknown tables and columns fail the way a database does, which is what the SCIM server reports."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any


class SqlError(Exception):
    """`kind` is "syntax", "table" or "column"; `name` the table or column at fault."""

    def __init__(self, kind: str, name: str = ""):
        super().__init__(f"{kind}: {name}")
        self.kind = kind
        self.name = name


@dataclass(frozen=True)
class Result:
    columns: list[str]
    rows: list[list[Any]]
    count: int = 0  # rows changed by an INSERT


_COMMENTS = re.compile(r"--[^\n]*|/\*.*?\*/", re.S)
_SELECT = re.compile(
    r"^SELECT\s+(?P<items>.+?)\s+FROM\s+(?P<table>[A-Z0-9_$.]+)(?:\s+(?!WHERE\b)(?P<alias>[A-Z0-9_]+))?"
    r"(?:\s+WHERE\s+(?P<where>.+))?$",
    re.S | re.I,
)
_INSERT = re.compile(
    r"^INSERT\s+INTO\s+(?P<table>[A-Z0-9_$.]+)\s*\((?P<cols>[^)]*)\)\s*VALUES\s*\((?P<vals>.*)\)$", re.S | re.I
)
_CONDITION = re.compile(r"^(?P<col>[A-Z0-9_.]+)\s*=\s*(?P<value>\?|-?\d+|'(?:[^']|'')*')$", re.I)


def _split(text: str) -> list[str]:
    parts, depth, current, quoted = [], 0, [], False
    for ch in text:
        if ch == "'":
            quoted = not quoted
        if not quoted:
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
            elif ch == "," and depth == 0:
                parts.append("".join(current).strip())
                current = []
                continue
        current.append(ch)
    if "".join(current).strip():
        parts.append("".join(current).strip())
    return parts


def _literal(text: str, params: list[Any], used: list[int]) -> Any:
    text = text.strip()
    if text == "?":
        index = used[0]
        used[0] += 1
        if index >= len(params):
            raise SqlError("syntax", "missing parameter")
        return params[index]
    if text.startswith("'") and text.endswith("'"):
        return text[1:-1].replace("''", "'")
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if text.upper() == "NULL":
        return None
    raise SqlError("syntax", text)


def _column(name: str, alias: str | None) -> str:
    name = name.strip().upper()
    if "." in name:
        prefix, _, name = name.partition(".")
        if alias is None or prefix != alias:
            raise SqlError("column", f"{prefix}.{name}")
    return name


def execute(tables: dict[str, dict[str, Any]], sql: str, params: list[Any] | None = None) -> Result:
    """Run `sql` against `tables` ({"USERS": {"columns": [...], "rows": [[...]]}})."""
    params = list(params or [])
    text = _COMMENTS.sub(" ", sql).strip().rstrip(";").strip()
    used = [0]
    select = _SELECT.match(text)
    if select:
        table_name = select.group("table").upper()
        table = tables.get(table_name)
        if table is None:
            raise SqlError("table", table_name)
        alias = select.group("alias").upper() if select.group("alias") else None
        columns = [c.upper() for c in table["columns"]]
        picks: list[tuple[str, int | None]] = []
        for item in _split(select.group("items")):
            if item == "*":
                picks += [(c, i) for i, c in enumerate(columns)]
                continue
            match = re.fullmatch(r"(?P<expr>[A-Z0-9_.]+)(?:\s+AS)?(?:\s+(?P<alias>[A-Z0-9_]+))?", item.strip(), re.I)
            if not match:
                raise SqlError("syntax", item)
            name = _column(match.group("expr"), alias)
            if name not in columns:
                raise SqlError("column", name)
            picks.append(((match.group("alias") or name).upper(), columns.index(name)))
        rows = table["rows"]
        where = select.group("where")
        if where:
            condition = _CONDITION.match(where.strip())
            if not condition:
                raise SqlError("syntax", where)
            name = _column(condition.group("col"), alias)
            if name not in columns:
                raise SqlError("column", name)
            wanted = _literal(condition.group("value"), params, used)
            index = columns.index(name)
            rows = [r for r in rows if str(r[index]) == str(wanted)]
        return Result([p[0] for p in picks], [[row[i] for _, i in picks] for row in rows])
    insert = _INSERT.match(text)
    if insert:
        table_name = insert.group("table").upper()
        table = tables.get(table_name)
        if table is None:
            raise SqlError("table", table_name)
        columns = [c.upper() for c in table["columns"]]
        names = [c.strip().upper() for c in _split(insert.group("cols"))]
        values = [_literal(v, params, used) for v in _split(insert.group("vals"))]
        if len(names) != len(values):
            raise SqlError("syntax", "column count does not match value count")
        for name in names:
            if name not in columns:
                raise SqlError("column", name)
        row = [None] * len(columns)
        for name, value in zip(names, values, strict=True):
            row[columns.index(name)] = value
        table["rows"].append(row)
        return Result([], [], count=1)
    raise SqlError("syntax", text.split(None, 1)[0] if text else "")
