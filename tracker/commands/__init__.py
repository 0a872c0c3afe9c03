"""Subcommands of the treaty-tracker CLI, one module each."""
