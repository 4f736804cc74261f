"""The command line: the only package that imports typer."""

from followup_cli.cli import (  # noqa: F401  (importing a module registers its commands)
    activity,
    customers,
    followups,
    insights,
    referrals,
    safety,
    transfer,
)
from followup_cli.cli.app import app


def main() -> None:
    app()
