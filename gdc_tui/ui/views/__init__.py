"""One view per kind of wizard step (see gdc_tui.wizard.STEP_KINDS)."""
