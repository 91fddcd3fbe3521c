"""Scan the connector's logs for the errors of the catalog: agent.log, the SCIM server's
Application.log, Service.err and Service.out, whatever else is in their folders, their rotated
and compressed copies (.1, dated, .gz), and each unit's journal. Per known error: how many times,
first and last seen, and where an example is. With FILE arguments, scans those files instead.

Exit status: 0 when no known error was found, 1 when some were, 64 for bad input (a bad
--since, a FILE that does not exist or cannot be read, a bad --root)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime, timezone
from pathlib import Path

from rich.markup import escape
from rich.table import Table

from gdc_tui.cli import UsageError
from gdc_tui.commands._hostopts import add_host_arguments, open_host
from gdc_tui.knowledge import load_knowledge
from gdc_tui.logs.scan import ScanResult, Target, parse_duration, scan_host, scan_paths
from gdc_tui.output import console

NAME = "scan"
HELP = "scan the logs for known errors (exit 1 when some are found)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="*", metavar="FILE",
                        help="scan these files instead of the host's logs (.gz, .bz2, .xz are read too)")
    parser.add_argument("--json", action="store_true",
                        help='print only JSON: {"files": [...], "findings": [...]}')
    parser.add_argument("--since", metavar="DURATION",
                        help="only events of the last DURATION, e.g. 30m, 2h, 7d")
    add_host_arguments(parser)


def _targets(names: list[str]) -> list[Target]:
    targets = []
    for name in names:
        path = Path(name)
        if not path.exists():
            raise UsageError(f"{name}: no such file")
        if path.is_dir():
            raise UsageError(f"{name}: is a folder (give the log files in it)")
        if not os.access(path, os.R_OK):
            raise UsageError(f"{name}: permission denied (needs root: sudo gdc-tui scan {name})")
        targets.append(Target(display=name, path=path))
    return targets


def run(args: argparse.Namespace) -> int:
    try:
        window = parse_duration(args.since) if args.since else None
    except ValueError as exc:
        raise UsageError(f"--since: {exc}") from None
    knowledge = load_knowledge()
    if args.files:
        if getattr(args, "demo", None) or getattr(args, "root", None):
            raise UsageError("FILE arguments are scanned as they are: leave out --root and --demo")
        since = datetime.now(timezone.utc) - window if window else None
        result = scan_paths(knowledge, _targets(args.files), since=since)
    else:
        with open_host(args, knowledge) as host:
            result = scan_host(host, knowledge, since=window)
    if args.json:
        for skipped in result.skipped:
            hint = f" ({skipped.hint})" if skipped.hint else ""
            print(f"gdc-tui: skipped {skipped.display}: {skipped.reason}{hint}", file=sys.stderr)
        json.dump(result.to_json(), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        show(result, since=args.since)
    return 1 if result.findings else 0


def show(result: ScanResult, *, since: str | None = None) -> None:
    out = console()
    size = result.bytes_scanned / (1024 * 1024)
    window = f" (events of the last {since})" if since else ""
    out.print(f"Scanned {len(result.files)} logs, {size:,.1f} MiB in {result.seconds:.1f} s{window}.")
    if result.findings:
        table = Table(title="Known errors found", title_justify="left", expand=False)
        table.add_column("guide", no_wrap=True)
        table.add_column("entry", style="cyan", overflow="fold")
        table.add_column("count", justify="right", no_wrap=True)
        table.add_column("last seen", no_wrap=True)
        for finding in result.findings:
            table.add_row(finding.entry.guide_label, escape(finding.entry.id), str(finding.count),
                          _when(finding.last_seen))
        out.print(table)
        for finding in result.findings:
            where = f"{finding.file}:{finding.line}" if finding.line else finding.file
            out.print()
            out.print(f"[bold]{finding.entry.guide_label} · {escape(finding.entry.title)}[/bold]")
            out.print(f"[dim]{finding.count}× from {_when(finding.first_seen)} to {_when(finding.last_seen)}; "
                      f"the last at {escape(where)}[/dim]")
            for line in finding.excerpt.splitlines():
                out.print(f"  {escape(line)}", soft_wrap=True)
            out.print(f"[dim]what to do: gdc-tui errors {finding.entry.id}[/dim]")
    else:
        out.print("No known errors in the logs.")
    for skipped in result.skipped:
        hint = f" — {skipped.hint}" if skipped.hint else ""
        out.print(f"[yellow]not scanned[/yellow] {escape(skipped.display)}: {escape(skipped.reason)}{escape(hint)}")


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment is not None else "?"
