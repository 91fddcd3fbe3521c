"""The wheel ships knowledge/ and screens/, and the catalog loads from an installed wheel."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_the_wheel_carries_the_catalog_and_the_screens(tmp_path):
    build = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path), str(REPO)],
        capture_output=True, text=True, timeout=300,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    wheel = next(tmp_path.glob("gdc_tui-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for source in [*REPO.glob("knowledge/**/*.toml"), *REPO.glob("screens/*.toml")]:
        assert f"gdc_tui/_data/{source.relative_to(REPO)}" in names
    assert "gdc_tui/ui/app.tcss" in names

    # Unpacked away from the checkout, the package finds its data inside itself.
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "from gdc_tui.knowledge import load_knowledge; from gdc_tui.wizard import load_wizard\n"
        "k = load_knowledge(); w = load_wizard(k)\n"
        "print(k.root, len(k.errors), len(w.sections))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("GDC_TUI_")}
    env["PYTHONPATH"] = str(site)
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=tmp_path, env=env, timeout=60)
    assert run.returncode == 0, run.stderr
    root, errors, sections = run.stdout.split()
    assert root == str(site / "gdc_tui" / "_data" / "knowledge")
    assert int(errors) >= 21 and int(sections) >= 1
