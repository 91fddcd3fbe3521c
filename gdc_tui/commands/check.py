"""Run the health checks: every hop of Okta -> Provisioning Agent -> On-prem SCIM Server -> database,
and the host, in parallel. Exit 0 when all pass (skips allowed), 1 on warnings, 2 on failures, 3
when a check could not run."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
import threading
import time

from rich.console import Console
from rich.table import Table
from rich.text import Text

from gdc_tui.checks import (
    CheckContext,
    CheckResult,
    UnknownCheckError,
    all_checks,
    counts,
    exit_code,
    ordered,
    run_checks,
    select,
)
from gdc_tui.checks.model import STATUSES, STYLES, SYMBOLS, Check
from gdc_tui.cli import UsageError
from gdc_tui.commands._hostopts import add_host_arguments, open_host
from gdc_tui.host.base import Host
from gdc_tui.knowledge import Knowledge, load_knowledge
from gdc_tui.output import console

NAME = "check"
HELP = "run the health checks (exit 0 pass, 1 warn, 2 fail, 3 could not run)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print only JSON (never prompts)")
    parser.add_argument("--only", metavar="IDS", action="append",
                        help="run only these checks (comma-separated ids; may be repeated)")
    parser.add_argument("--skip", metavar="IDS", action="append",
                        help="leave these checks out (comma-separated ids; may be repeated)")
    parser.add_argument("--list", action="store_true", help="list the checks and exit")
    add_host_arguments(parser)


def _list(checks: tuple[Check, ...], knowledge: Knowledge, as_json: bool) -> int:
    checks = tuple(ordered(checks, knowledge))
    if as_json:
        data = {"checks": [{"id": c.id, "title": c.title, "hop": c.hop, "timeout_s": c.timeout,
                            "description": c.description} for c in checks]}
        json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    out = console()
    table = Table(show_lines=False, expand=False, box=None, pad_edge=False)
    table.add_column("id", style="cyan", no_wrap=True)
    table.add_column("hop", no_wrap=True)
    table.add_column("timeout", justify="right", no_wrap=True)
    table.add_column("what it checks")
    for check in checks:
        table.add_row(check.id, check.hop, f"{check.timeout:g}s", check.description or check.title)
    out.print(table)
    return 0


def host_json(host: Host) -> dict:
    return {"name": host.name, "root": str(host.root), "demo": bool(host.demo)}


def report_json(host: Host, results: list[CheckResult]) -> dict:
    return {"host": host_json(host), "checks": [r.to_json() for r in results], "summary": counts(results)}


def _wrapped(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=max(width, 30), break_long_words=False, break_on_hyphens=False) or [""]


def print_table(out: Console, host: Host, knowledge: Knowledge, results: list[CheckResult], wall: float) -> None:
    """One line per check (symbol AND word, so it reads without colour), grouped by hop; under each
    warning and failure its remediation (never wrapped, so the commands stay copyable) and entries."""
    where = ""
    if host.demo:
        where = f" (demo host, root {host.root})"
    elif str(host.root) != "/":
        where = f" (root {host.root})"
    out.print(Text(f"Health checks on {host.name}{where}", style="bold"))
    titles = {hop.id: hop.title for hop in knowledge.hops}
    id_width = max((len(r.id) for r in results), default=10)
    pad = " " * (10 + id_width)  # " ✖ fail " + the id column and its space
    current = None
    for result in results:
        if result.hop != current:
            current = result.hop
            out.print()
            out.print(Text(titles.get(current, current), style="bold underline"))
        lines = _wrapped(result.summary, out.width - len(pad) - 1)
        row = Text(f" {SYMBOLS[result.status]} {result.status:<5} ", style=STYLES[result.status])
        row.append(f"{result.id:<{id_width}} ", style="cyan")
        row.append(lines[0])
        out.print(row, soft_wrap=True)
        for line in lines[1:]:
            out.print(Text(pad + line), soft_wrap=True)
        if result.status not in ("warn", "fail", "error"):
            continue
        for index, line in enumerate((result.remediation or "").splitlines()):
            out.print(Text(pad + ("fix: " if index == 0 else "     "), style="dim") + Text(line), soft_wrap=True)
        if result.errors:
            refs = [f"{e.guide_label} {e.id}" if (e := knowledge.error(i)) else i for i in result.errors]
            out.print(Text(pad + "see: ", style="dim") + Text(", ".join(refs) + "  (gdc-tui errors ID)"),
                      soft_wrap=True)
    tally = counts(results)
    out.print()
    line = Text()
    for index, status in enumerate(STATUSES):
        if index:
            line.append(" · ")
        line.append(f"{tally[status]} {status}", style=STYLES[status] if tally[status] else "dim")
    line.append(f"   ({wall:.1f}s)", style="dim")
    out.print(line)


def run(args: argparse.Namespace) -> int:
    knowledge = load_knowledge()
    try:
        checks = select(all_checks(), only=args.only, skip=args.skip)
    except UnknownCheckError as exc:
        raise UsageError(str(exc)) from None
    if args.list:
        return _list(checks, knowledge, args.json)
    with open_host(args, knowledge) as host:
        ctx = CheckContext(host, knowledge)
        begin = time.monotonic()
        progress = None if args.json or not sys.stderr.isatty() else Console(stderr=True)
        if progress is None:
            results = run_checks(checks, ctx)
        else:
            done: list[CheckResult] = []
            lock = threading.Lock()
            with progress.status(f"running {len(checks)} checks…") as status:
                def on_result(result: CheckResult) -> None:
                    with lock:
                        done.append(result)
                        status.update(f"running {len(checks)} checks… {len(done)} done ({result.id}: "
                                      f"{result.status})")
                results = run_checks(checks, ctx, on_result=on_result)
        wall = time.monotonic() - begin
        if args.json:
            json.dump(report_json(host, results), sys.stdout, indent=2, ensure_ascii=False)
            sys.stdout.write("\n")
        else:
            print_table(console(), host, knowledge, results, wall)
    return exit_code(results)
