"""The command line: the only package that imports typer. Each command's module is imported
when the command is used (cli/app.py, COMMAND_MODULES)."""

from followup_cli.cli.app import app  # noqa: F401  (followup_cli.main runs it)
