"""`python -m gdc_tui` is the `gdc-tui` command."""

from gdc_tui.cli import main

raise SystemExit(main())
