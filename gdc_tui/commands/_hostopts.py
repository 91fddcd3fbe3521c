"""The options every host-facing command shares (--root, --config, --demo, --demo-root) and
`open_host()`, which turns them into the Host the command runs on: the real one or a demo."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from gdc_tui.host.base import Host, HostError

if TYPE_CHECKING:
    from gdc_tui.knowledge import Knowledge

ROOT_HELP = "where the host's files are: / (default), or a copy of a connector host's files"
CONFIG_HELP = ("gdc-tui's settings file (default: /etc/gdc-tui/config.toml, "
               "else ~/.config/gdc-tui/config.toml)")


def add_global_arguments(parser: argparse.ArgumentParser) -> None:
    """`gdc-tui --root DIR --config FILE [COMMAND]`: on the main parser."""
    parser.add_argument("--root", metavar="DIR", default=None, help=ROOT_HELP)
    parser.add_argument("--config", metavar="FILE", default=None, help=CONFIG_HELP)


def add_host_arguments(parser: argparse.ArgumentParser, demo: bool = True) -> None:
    """The same options after the command name (`gdc-tui check --root DIR`), plus the demo ones.
    SUPPRESS as default: a subcommand that is not given them keeps the global values."""
    parser.add_argument("--root", metavar="DIR", default=argparse.SUPPRESS, help=ROOT_HELP)
    parser.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS, help=CONFIG_HELP)
    if demo:
        parser.add_argument("--demo", metavar="SCENARIO", default=None,
                            help="run on a fresh demo host with this scenario "
                            "(see `gdc-tui demo --list`)")
        parser.add_argument("--demo-root", metavar="DIR", default=None,
                            help="build the demo host in DIR and keep it afterwards")


@contextmanager
def open_host(args: argparse.Namespace, knowledge: Knowledge) -> Iterator[Host]:
    """The Host the parsed `args` ask for; a demo host is torn down when the block ends."""
    root = getattr(args, "root", None)
    config = getattr(args, "config", None)
    scenario = getattr(args, "demo", None)
    if scenario:
        if root is not None:
            raise HostError("--root and --demo cannot be used together: "
                            "the demo host has its own root")
        from gdc_tui.demo import open_demo

        keep = getattr(args, "demo_root", None)
        keep_root = Path(keep) if keep else None
        with open_demo(scenario, knowledge=knowledge, keep_root=keep_root) as host:
            yield host
        return
    if getattr(args, "demo_root", None):
        raise HostError("--demo-root needs --demo SCENARIO")

    from gdc_tui.host.files import Files
    from gdc_tui.host.real import real_host
    from gdc_tui.settings import load_settings

    root_path = Path(root) if root is not None else Path("/")
    files = Files(root_path)  # HostError "--root X: no such directory"
    settings = load_settings(files, Path(config) if config is not None else None, knowledge)
    yield real_host(files.root, settings=settings)
