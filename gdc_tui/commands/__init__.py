"""The subcommands of `gdc-tui`: each module has NAME, HELP, add_arguments(parser) and run(args)."""
