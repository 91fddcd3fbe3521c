"""List the error catalog (every error of the guide's "Common Errors and Resolutions", and the
errors seen in the field), or show one entry by id or guide reference (A6, b5, ...)."""

from __future__ import annotations

import argparse
import json
import sys

from rich.table import Table

from gdc_tui.cli import UsageError
from gdc_tui.knowledge import load_knowledge
from gdc_tui.output import console, entry_json, print_entry

NAME = "errors"
HELP = "list the error catalog, or show one entry"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", nargs="?", metavar="ID", help="an entry id or a guide reference such as A6")
    parser.add_argument("--json", action="store_true", help="print only JSON")


def run(args: argparse.Namespace) -> int:
    knowledge = load_knowledge()
    if args.id:
        entry = knowledge.error(args.id)
        if entry is None:
            raise UsageError(f"no catalog entry {args.id!r}: `gdc-tui errors` lists them")
        if args.json:
            json.dump(entry_json(entry), sys.stdout, indent=2)
            sys.stdout.write("\n")
        else:
            print_entry(console(), entry, knowledge)
        return 0
    if args.json:
        json.dump({"errors": [entry_json(e) for e in knowledge.errors]}, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    out = console()
    for category in knowledge.categories:
        table = Table(title=f"{category.id}: {category.title}" if category.id != "field" else category.title,
                      title_justify="left", show_lines=False, expand=False)
        table.add_column("guide", no_wrap=True)
        table.add_column("id", no_wrap=True, style="cyan")
        table.add_column("title")
        for entry in knowledge.in_category(category.id):
            table.add_row(entry.guide_label, entry.id, entry.title)
        out.print(table)
        out.print()
    return 0

