"""`gdc-tui demo`: --list, a clear error for an unknown scenario, the wizard opened on a live demo."""

from __future__ import annotations

from pathlib import Path

import pytest
from demo_helpers import live_processes, wait_until

from gdc_tui import cli
from gdc_tui.demo import scenario_names


def test_list_prints_the_13_scenarios_one_a_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["demo", "--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 13
    assert [line.split()[0] for line in lines] == list(scenario_names())
    assert all(len(line.split(None, 1)[1]) > 20 for line in lines)


def test_an_unknown_scenario_is_one_line_naming_the_valid_ones(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["demo", "no-such-thing"]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "no-such-thing" in err and "healthy" in err and "plugin-hash-mismatch" in err


def test_the_wizard_runs_on_a_live_demo_that_is_gone_afterwards(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from gdc_tui.ui import app as ui_app

    seen: dict[str, object] = {}

    def fake_run(self: ui_app.GdcApp, *args: object, **kwargs: object) -> None:
        host = self.host
        assert host is not None and host.demo
        seen["root"] = host.root
        seen["scenario"] = host.facts["scenario"]
        seen["running"] = host.services.status("OktaOnPremScimServer").running
        seen["frozen"] = host.facts["frozen"]

    monkeypatch.setattr(ui_app.GdcApp, "run", fake_run)
    assert cli.main(["demo", "missing-driver", "--frozen"]) == 0
    assert seen["scenario"] == "missing-driver" and seen["running"] is True and seen["frozen"] == "yes"
    root = Path(str(seen["root"]))
    assert wait_until(lambda: not live_processes(str(root)), 5.0)
    assert not root.exists()

    keep = tmp_path / "kept"
    assert cli.main(["demo", "--demo-root", str(keep)]) == 0
    assert (keep / "etc/gdc-tui/config.toml").is_file()
