"""systemd: `systemctl show` key=value parsing, actions that need root, the journal, and the real
systemctl of a machine where systemd is not PID 1."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from helpers.fakebin import FakeBin, Reply

from gdc_tui.host.commands import CommandRunner
from gdc_tui.host.services import SHOW_PROPERTIES, Systemd, parse_show, parse_timestamp

SHOW = ["show", "OktaProvisioningAgent", "-p", ",".join(SHOW_PROPERTIES), "--no-pager"]
SHOW_SCIM = ["show", "OktaOnPremScimServer", "-p", ",".join(SHOW_PROPERTIES), "--no-pager"]


def _systemd(fake_bin: FakeBin, tmp_path: Path, replies: list[Reply]) -> Systemd:
    fake_bin.program("systemctl", replies)
    booted = tmp_path / "run-systemd-system"
    booted.mkdir(exist_ok=True)
    return Systemd(CommandRunner(base_env={"PATH": fake_bin.path}), booted_marker=booted)


@pytest.mark.skipif(Path("/run/systemd/system").is_dir(), reason="systemd is PID 1 on this machine")
def test_real_systemctl_without_systemd_is_unavailable_with_the_reason():
    services = Systemd(CommandRunner())
    status = services.status("OktaProvisioningAgent")
    assert status.available is False and status.running is False
    assert "systemd is not running on this host" in status.reason
    if "systemctl is not installed" not in status.reason:
        assert "has not been booted with systemd" in status.reason
    assert "\n" not in status.reason
    journal = services.journal("OktaProvisioningAgent", lines=5)
    assert not journal.ok and journal.error  # a result with a reason, not a traceback


def test_an_active_unit_parses_from_key_value_lines(fake_bin: FakeBin, tmp_path: Path, fixtures: Path):
    services = _systemd(fake_bin, tmp_path, [Reply(SHOW, stdout=fixtures / "systemctl/show-active.txt")])
    status = services.status("OktaProvisioningAgent")
    assert status.available and status.running
    assert (status.load_state, status.active_state, status.sub_state) == ("loaded", "active", "running")
    assert status.main_pid == 716
    assert status.since == datetime(2025, 11, 11, 18, 26, 15, tzinfo=timezone.utc)
    assert status.unit_file_state == "enabled"
    assert fake_bin.calls("systemctl") == [SHOW]


def test_a_failed_unit_is_not_running(fake_bin: FakeBin, tmp_path: Path, fixtures: Path):
    services = _systemd(fake_bin, tmp_path, [Reply(SHOW_SCIM, stdout=fixtures / "systemctl/show-failed.txt")])
    status = services.status("OktaOnPremScimServer")
    assert status.available and not status.running
    assert (status.active_state, status.sub_state, status.main_pid) == ("failed", "failed", None)


def test_an_unknown_unit_says_it_is_not_installed(fake_bin: FakeBin, tmp_path: Path, fixtures: Path):
    services = _systemd(fake_bin, tmp_path, [Reply(SHOW_SCIM, stdout=fixtures / "systemctl/show-not-found.txt")])
    status = services.status("OktaOnPremScimServer")
    assert not status.available and status.load_state == "not-found"
    assert "not installed" in status.reason and status.since is None


def test_not_booted_message_is_recognised_even_with_the_marker(fake_bin: FakeBin, tmp_path: Path,
                                                               fixtures: Path):
    services = _systemd(fake_bin, tmp_path, [
        Reply(None, stderr=fixtures / "systemctl/not-booted.stderr", exit=1)])
    status = services.status("OktaProvisioningAgent")
    assert not status.available
    assert status.reason.startswith("systemd is not running on this host")


def test_missing_systemctl_is_unavailable(tmp_path: Path):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    status = Systemd(CommandRunner(base_env={"PATH": str(empty)})).status("OktaOnPremScimServer")
    assert not status.available and "systemctl is not installed" in status.reason


def test_restart_runs_systemctl_without_asking_for_a_password(fake_bin: FakeBin, tmp_path: Path):
    services = _systemd(fake_bin, tmp_path, [Reply(None)])
    result = services.restart("OktaOnPremScimServer")
    assert result.ok
    assert fake_bin.calls("systemctl") == [["--no-ask-password", "restart", "OktaOnPremScimServer"]]
    services.stop("OktaOnPremScimServer")
    services.start("OktaOnPremScimServer")
    assert [c[1] for c in fake_bin.calls("systemctl")] == ["restart", "stop", "start"]


@pytest.mark.parametrize("fixture", ["restart-denied.stderr", "restart-auth.stderr"])
def test_a_refused_restart_names_the_sudo_command(fake_bin: FakeBin, tmp_path: Path, fixtures: Path,
                                                  fixture: str):
    services = _systemd(fake_bin, tmp_path, [Reply(None, stderr=fixtures / "systemctl" / fixture, exit=1)])
    result = services.restart("OktaOnPremScimServer")
    assert not result.ok
    assert result.error == "needs root: sudo systemctl restart OktaOnPremScimServer"


def test_a_unit_that_fails_to_start_reports_systemctls_line(fake_bin: FakeBin, tmp_path: Path,
                                                           fixtures: Path):
    services = _systemd(fake_bin, tmp_path, [
        Reply(None, stderr=fixtures / "systemctl/restart-failed.stderr", exit=1)])
    result = services.start("OktaOnPremScimServer")
    assert result.error.startswith("Job for OktaOnPremScimServer.service failed")


def test_journal_passes_the_lines_through(fake_bin: FakeBin, tmp_path: Path, fixtures: Path):
    args = ["-u", "OktaProvisioningAgent", "-n", "5", "--no-pager", "-o", "short-iso"]
    fake_bin.program("journalctl", [Reply(args, stdout=fixtures / "journal/agent.txt")])
    services = Systemd(CommandRunner(base_env={"PATH": fake_bin.path}))
    result = services.journal("OktaProvisioningAgent", lines=5)
    assert result.ok and len(result.stdout.splitlines()) == 5
    assert "Started OktaProvisioningAgent" in result.stdout
    fake_bin.program("journalctl", [Reply(None, stdout="-- No entries --\n", stderr=(
        "Hint: You are currently not seeing messages from other users and the system.\n"
        "      Users in groups 'adm', 'systemd-journal', 'wheel' can see all messages.\n"))])
    denied = services.journal("OktaProvisioningAgent", lines=5)
    assert denied.error == "needs root to see the unit's messages: sudo journalctl -u OktaProvisioningAgent -n 5"


def test_unit_names_that_look_like_options_are_refused():
    services = Systemd(CommandRunner())
    for bad in ("--all", "a b", "x;reboot", ""):
        with pytest.raises(ValueError):
            services.status(bad)


def test_parse_show_and_timestamps():
    props = parse_show("MainPID=42\nExecMainStartTimestamp=Tue 2026-02-10 08:21:11 UTC\nEnv=A=B\n\nnoise\n")
    assert props == {"MainPID": "42", "ExecMainStartTimestamp": "Tue 2026-02-10 08:21:11 UTC", "Env": "A=B"}
    assert parse_timestamp("Tue 2026-02-10 08:21:11 UTC") == datetime(2026, 2, 10, 8, 21, 11, tzinfo=timezone.utc)
    assert parse_timestamp("Tue 2026-02-10 08:21:11.123456 UTC").microsecond == 123456
    assert parse_timestamp("@1770711671") == datetime(2026, 2, 10, 8, 21, 11, tzinfo=timezone.utc)
    assert parse_timestamp("n/a") is None and parse_timestamp("") is None
    assert parse_timestamp("Tue 2026-02-10 08:21:11 CET") is None  # never guess a zone
