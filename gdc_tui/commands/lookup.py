"""Find the catalog entry for an error message: paste a log line, an Admin Console error or a
whole Java stack trace. Reads standard input with `-` (or when no text is given and input is piped).
Exits 0 when something matched, 1 when nothing did."""

from __future__ import annotations

import argparse
import json
import sys

from gdc_tui.cli import UsageError
from gdc_tui.knowledge import load_knowledge
from gdc_tui.lookup import lookup, match_json
from gdc_tui.output import console, print_entry

NAME = "lookup"
HELP = "find the guide's entry for an error message"
MAX_INPUT = 4 * 1024 * 1024  # a paste, not a log file: `gdc-tui scan` reads logs


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("text", nargs="*", metavar="TEXT", help="the error text, or - to read standard input")
    parser.add_argument("--json", action="store_true", help="print only JSON: {\"matches\": [...]}")
    parser.add_argument("--limit", type=int, default=5, help="at most this many matches (default 5)")


def read_text(args: argparse.Namespace) -> str:
    if args.text == ["-"] or (not args.text and not sys.stdin.isatty()):
        data = sys.stdin.buffer.read(MAX_INPUT + 1)
        if len(data) > MAX_INPUT:
            limit = MAX_INPUT // (1024 * 1024)
            raise UsageError(f"the input is over {limit} MB: paste the error, or scan the log with `gdc-tui scan FILE`")
        return data.decode("utf-8", errors="replace")
    if not args.text:
        raise UsageError("give the error text as arguments, or - to read it from standard input")
    if "-" in args.text:
        raise UsageError("- (standard input) cannot be mixed with TEXT arguments")
    return " ".join(args.text)


def run(args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    text = read_text(args)
    knowledge = load_knowledge()
    matches = lookup(knowledge, text, limit=args.limit)
    if args.json:
        json.dump({"matches": [match_json(m) for m in matches]}, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0 if matches else 1
    out = console()
    if not matches:
        out.print("No known error matches this text.")
        out.print("[dim]Try a longer excerpt (the exception line and its 'Caused by:'), "
                  "or browse the catalog with `gdc-tui errors`.[/dim]")
        return 1
    for rank, match in enumerate(matches, 1):
        print_entry(out, match.entry, knowledge, rank=rank, score=match.score, full=rank == 1)
    return 0
