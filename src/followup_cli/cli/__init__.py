"""The command line: the only package that imports typer."""

from followup_cli.cli import (  # noqa: F401  (importing a module registers its commands)
    activity,
    backups,
    customers,
    follow_ups,
    import_export,
    insights,
    referrals,
    work,
)
from followup_cli.cli.app import app  # noqa: F401  (followup_cli.main runs it)
