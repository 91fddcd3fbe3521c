"""Widgets of the gdc-tui UI that are more than a few lines: the log view and the log pane."""
