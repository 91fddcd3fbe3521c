"""Where the shipped data folders (knowledge/, screens/) are, in a checkout and in an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The folder `name` ("knowledge" or "screens").

    A wheel carries them inside the package as gdc_tui/_data/<name> (see pyproject.toml); an
    editable install or a plain checkout reads them from the top of the repository.
    """
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"gdc-tui's {name}/ folder is missing (looked in {_PACKAGE / '_data'} and {_PACKAGE.parent});"
        " the installation is incomplete: reinstall gdc-tui"
    )
