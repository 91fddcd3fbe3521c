"""The core/UI wall: importing every core module never loads textual (CI also runs lint-imports)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import gdc_tui

CORE = sorted(
    m.name for m in pkgutil.walk_packages(gdc_tui.__path__, "gdc_tui.")
    if not m.name.startswith("gdc_tui.ui") and not m.name.endswith("__main__")
)


def test_core_modules_do_not_import_textual():
    code = (
        "import importlib, sys\n"
        f"for name in {CORE!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(loaded))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == ""


def test_no_core_source_file_names_textual():
    root = Path(gdc_tui.__file__).parent
    offenders = [
        str(p.relative_to(root)) for p in root.rglob("*.py")
        if "ui" not in p.relative_to(root).parts[:1]
        and any(line.lstrip().startswith(("import textual", "from textual")) for line in p.read_text().splitlines())
    ]
    assert offenders == []
