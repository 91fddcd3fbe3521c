"""Open the wizard on a demo host: a realistic connector host built in a temp folder, with the SCIM
server, the agent, the database and the Okta org running as real processes on loopback, in one of
the scenarios below (each one of the guide's faults, made real). It is torn down when the wizard
exits. `--frozen` (or GDC_TUI_FROZEN=1) fixes the clock, the names and the logs, for snapshots."""

from __future__ import annotations

import argparse
from pathlib import Path

from gdc_tui.cli import UsageError

NAME = "demo"
HELP = "open the wizard on a demo host (a simulated connector host in a scenario)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "scenario",
        nargs="?",
        default="healthy",
        metavar="SCENARIO",
        help="the demo's scenario (default: healthy; --list shows them)",
    )
    parser.add_argument("--list", action="store_true", help="list the scenarios, one a line, and exit")
    parser.add_argument(
        "--demo-root", metavar="DIR", default=None, help="build the demo host in DIR and keep it when the wizard exits"
    )
    parser.add_argument(
        "--frozen", action="store_true", help="fixed clock, names and logs (what the snapshot tests use)"
    )


def run(args: argparse.Namespace) -> int:
    from gdc_tui.demo.scenarios import load_scenarios

    scenarios = load_scenarios()
    if args.list:
        width = max(len(name) for name in scenarios)
        for name, scenario in scenarios.items():
            print(f"{name:<{width}}  {scenario.description}")
        return 0
    if args.scenario not in scenarios:
        raise UsageError(f"unknown demo scenario {args.scenario!r}; choose one of: {', '.join(scenarios)}")

    from gdc_tui.demo import open_demo
    from gdc_tui.knowledge import load_knowledge

    knowledge = load_knowledge()
    keep = Path(args.demo_root) if args.demo_root else None
    with open_demo(args.scenario, knowledge=knowledge, keep_root=keep, frozen=args.frozen) as host:
        from gdc_tui.ui.app import GdcApp  # the UI (and textual) only when the wizard really opens

        app = GdcApp(knowledge=knowledge, host=host)
        app.run()
        return app.return_code or 0
