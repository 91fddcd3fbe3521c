"""The Textual UI: the only package of gdc_tui that imports textual."""
