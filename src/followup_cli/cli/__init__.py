"""The command line: the only package that imports typer."""

from followup_cli.cli import activity, customers, referrals  # noqa: F401  (registers commands)
from followup_cli.cli.app import app


def main() -> None:
    app()
