"""The real Host and the shared host options: --root, --config, and the one-line errors."""

from __future__ import annotations

import argparse
import socket
from pathlib import Path

import pytest

from gdc_tui.cli import build_parser
from gdc_tui.commands._hostopts import add_global_arguments, add_host_arguments, open_host
from gdc_tui.host import Host, HostError, real_host
from gdc_tui.host.commands import CommandRunner
from gdc_tui.host.files import Files
from gdc_tui.host.network import Network
from gdc_tui.host.packages import Rpm
from gdc_tui.host.processes import Processes
from gdc_tui.host.services import Systemd
from gdc_tui.knowledge import Knowledge
from gdc_tui.settings import Settings
from gdc_tui.tomlfile import DataFileError


def test_real_host_bundles_the_real_adapters(tmp_path: Path):
    host = real_host(tmp_path)
    assert isinstance(host, Host) and not host.demo
    assert host.name == socket.gethostname()
    assert host.root == tmp_path.resolve() and host.files.root == tmp_path.resolve()
    assert isinstance(host.files, Files) and isinstance(host.runner, CommandRunner)
    assert isinstance(host.services, Systemd) and isinstance(host.packages, Rpm)
    assert isinstance(host.network, Network) and isinstance(host.processes, Processes)
    assert host.services.runner is host.runner and host.packages.runner is host.runner
    assert host.clock.now().tzinfo is not None
    assert real_host().root == Path("/")


def test_real_host_on_a_missing_root_is_a_host_error(tmp_path: Path):
    with pytest.raises(HostError, match=r"--root .*: no such directory"):
        real_host(tmp_path / "gone")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gdc-tui")
    add_global_arguments(parser)
    sub = parser.add_subparsers(dest="command")
    add_host_arguments(sub.add_parser("check"))
    add_host_arguments(sub.add_parser("bundle"), demo=False)
    return parser


def test_root_and_config_work_before_and_after_the_command():
    parser = _parser()
    before = parser.parse_args(["--root", "/srv/copy", "--config", "a.toml", "check"])
    assert (before.root, before.config, before.demo) == ("/srv/copy", "a.toml", None)
    after = parser.parse_args(["check", "--root", "/srv/other"])
    assert after.root == "/srv/other" and after.config is None
    both = parser.parse_args(["--root", "/a", "check", "--root", "/b"])
    assert both.root == "/b"
    demo = parser.parse_args(["check", "--demo", "scim-stopped", "--demo-root", "/tmp/keep"])
    assert (demo.demo, demo.demo_root) == ("scim-stopped", "/tmp/keep")
    with pytest.raises(SystemExit):
        parser.parse_args(["bundle", "--demo", "healthy"])


def test_the_main_parser_has_the_global_options():
    args = build_parser().parse_args(["--root", "/srv/copy", "errors"])
    assert args.root == "/srv/copy" and args.config is None


def test_open_host_on_a_missing_root_is_one_line(tmp_path: Path, knowledge: Knowledge):
    args = argparse.Namespace(root=str(tmp_path / "does/not/exist"), config=None, demo=None, demo_root=None)
    with pytest.raises(HostError) as err, open_host(args, knowledge):
        pass
    assert str(err.value) == f"--root {tmp_path / 'does/not/exist'}: no such directory"


def test_open_host_loads_the_settings_under_the_root(tmp_path: Path, knowledge: Knowledge,
                                                     monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    (tmp_path / "etc/gdc-tui").mkdir(parents=True)
    (tmp_path / "etc/gdc-tui/config.toml").write_text(
        'customer_id = "00oevo9zds7GtFLqw1d7"\n[database]\ntype = "oracle"\nhost = "db1.example.com"\n')
    args = argparse.Namespace(root=str(tmp_path), config=None)
    with open_host(args, knowledge) as host:
        assert host.root == tmp_path.resolve()
        assert isinstance(host.settings, Settings)
        assert host.settings.customer_id == "00oevo9zds7GtFLqw1d7"
        assert host.settings.database.port == 1521


def test_open_host_reports_a_bad_settings_file_in_one_line(tmp_path: Path, knowledge: Knowledge):
    bad = tmp_path / "bad.toml"
    bad.write_text('customer_id = "00oevo9zds7GtFLqw1d7"\ncustomerid = "typo"\n')
    args = argparse.Namespace(root=str(tmp_path), config=str(bad))
    with pytest.raises(DataFileError) as err, open_host(args, knowledge):
        pass
    assert str(err.value) == f"{bad}, key 'customerid': is not a known field"


def test_demo_options_that_do_not_fit_together(tmp_path: Path, knowledge: Knowledge):
    with pytest.raises(HostError, match="cannot be used together"), \
            open_host(argparse.Namespace(root=str(tmp_path), config=None, demo="healthy"), knowledge):
        pass
    with pytest.raises(HostError, match="--demo-root needs --demo"), \
            open_host(argparse.Namespace(root=None, config=None, demo=None, demo_root="/tmp/x"), knowledge):
        pass
