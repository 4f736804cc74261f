"""Backups and restores of the whole database, and the safety copy taken before either
a restore or a schema migration replaces what is there."""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from followup_cli.errors import DamagedDatabaseError, DatabaseError, InvalidInputError
from followup_cli.store import Store, open_store
from followup_cli.store.backup import (
    copy_database,
    default_backup_path,
    install_backup,
    open_backup_for_restore,
    restore_into,
    set_aside,
)
from followup_cli.store.migrations import SCHEMA_VERSION, ensure_current


def backup(store: Store, target: Path | None, today: dt.date) -> Path:
    path = target or default_backup_path(store.path, today)
    copy_database(store.connection, path, store.path)
    return path


def _same_book(source: Path, database: Path) -> bool:
    try:
        return source.samefile(database)
    except OSError:
        return False


@dataclass(frozen=True)
class Restored:
    kept: Path  # where the book that was replaced now is
    damaged: bool  # it could not be opened, and was moved aside as it was


def restore(database: Path, source: Path, today: dt.date) -> Restored:
    """Check the backup, keep the current book, then copy the backup in. A book too damaged
    to open is moved aside whole, and the backup becomes the book."""
    if _same_book(source, database):
        raise InvalidInputError(f"{source} is the database itself; name a backup of it")
    checked = open_backup_for_restore(source, SCHEMA_VERSION)
    try:
        try:
            store = open_store(database)
        except DamagedDatabaseError:
            kept = set_aside(database, today)
            install_backup(checked, database)
            open_store(database).close()  # up to the current schema, back in WAL
            return Restored(kept, damaged=True)
        try:
            kept = default_backup_path(database, today, "before-restore")
            copy_database(store.connection, kept, database)
            try:
                restore_into(checked, store.connection, database)
            except DatabaseError as problem:
                raise _while_replicating(database) or problem from None
            ensure_current(store.connection, str(database))
        finally:
            store.close()
    finally:
        checked.close()
    return Restored(kept, damaged=False)


def _while_replicating(database: Path) -> DatabaseError | None:
    """A backup of another page size takes the book out of WAL for a moment, which needs it
    to itself; Litestream's `team replicate` may be reading it: said as what to stop."""
    from followup_cli.services.replication import replicating

    running = replicating(database)
    if running is None:
        return None
    return DatabaseError(
        f"this backup needs {database} to itself, and followup team replicate (process "
        f"{running}) holds it; stop that, restore, then start it again (nothing was restored)"
    )
