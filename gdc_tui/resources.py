"""Where the shipped data folders (knowledge/, screens/) are, in a checkout and in an installed wheel."""

from __future__ import annotations

import os
from pathlib import Path

from gdc_tui.tomlfile import DataFileError

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The folder `name` ("knowledge" or "screens").

    A wheel carries them inside the package as gdc_tui/_data/<name> (see pyproject.toml); an
    editable install or a plain checkout reads them from the top of the repository.
    GDC_TUI_KNOWLEDGE / GDC_TUI_SCREENS point at another copy (a support team trying an edit).
    """
    override = os.environ.get(f"GDC_TUI_{name.upper()}")
    if override:
        path = Path(override)
        if not path.is_dir():
            raise DataFileError(override, f"GDC_TUI_{name.upper()} names no such directory")
        return path
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise DataFileError(
        _PACKAGE / "_data" / name,
        f"gdc-tui's {name}/ folder is missing (nor is it at {_PACKAGE.parent / name}): reinstall gdc-tui",
    )
