"""backup and restore: a consistent copy of the database, and putting one back."""

from pathlib import Path
from typing import Annotated

import typer

from followup_cli import config
from followup_cli.cli.app import app, confirm, state, store
from followup_cli.errors import InvalidInputError
from followup_cli.output import render
from followup_cli.services import backup as service


@app.command()
def backup(
    ctx: typer.Context,
    path: Annotated[
        Path | None, typer.Argument(help="Where (default: a dated file next to the database).")
    ] = None,
) -> None:
    """Write a consistent copy of the database, even while others write to it.

    Example: followup backup ~/backups/followup-$(date +%F).db
    """
    written = service.backup(store(ctx, only_reads=True), path, config.today())
    render.line(f"Backed up to {written}")


@app.command()
def restore(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="A backup made by `followup backup`.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask.")] = False,
) -> None:
    """Replace the database with a backup, after checking it and keeping the current one.

    Example: followup restore followup-backup-2026-11-24.db --yes
    """
    if not path.is_file():
        raise InvalidInputError(f"{path} is not a file; nothing was restored")
    if not yes:
        confirm(f"Replace the database with {path}?")
    restored = service.restore(state(ctx).database_path, path, config.today())
    was = "the damaged database" if restored.damaged else "the previous database"
    render.line(f"Restored {path}; {was} is kept as {restored.kept}")
