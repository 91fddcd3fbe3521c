"""The `gdc-tui` command: the TUI by default, and the scriptable subcommands."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from gdc_tui import __version__
from gdc_tui.commands._hostopts import add_global_arguments
from gdc_tui.host.base import HostError
from gdc_tui.tomlfile import DataFileError

# One module per subcommand (gdc_tui/commands/<name>.py), in the order --help lists them.
COMMANDS = ("lookup", "errors", "check", "scan", "demo")

EXIT_USAGE = 64  # a bad argument or data file: the command could not start


class UsageError(Exception):
    """A problem with what the user asked for; the message is shown as one line."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gdc-tui",
        description="Troubleshoot Okta's On-prem Connector for Generic Databases: "
        "the Provisioning Agent, the On-prem SCIM Server and the database behind them. "
        "With no command, opens the wizard.",
    )
    parser.add_argument("--version", action="version", version=f"gdc-tui {__version__}")
    add_global_arguments(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module = importlib.import_module(f"gdc_tui.commands.{name}")
        command = sub.add_parser(module.NAME, help=module.HELP, description=module.__doc__)
        module.add_arguments(command)
        command.set_defaults(run=module.run)
    return parser


def run_tui(args: argparse.Namespace) -> int:
    """The wizard on the host the global --root/--config options name (the real one by default)."""
    from gdc_tui.commands._hostopts import open_host
    from gdc_tui.knowledge import load_knowledge
    from gdc_tui.ui.app import GdcApp

    knowledge = load_knowledge()
    with open_host(args, knowledge) as host:
        app = GdcApp(knowledge=knowledge, host=host)
        app.run()
    return app.return_code or 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    run = getattr(args, "run", run_tui)
    try:
        return run(args)
    except (DataFileError, UsageError, HostError) as exc:
        print(f"gdc-tui: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `gdc-tui errors | head`
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
