"""Backups and restores of the whole database, and the safety copy taken before either
a restore or a schema migration replaces what is there."""

import datetime as dt
from pathlib import Path

from followup_cli.store import Store
from followup_cli.store.backup import (
    copy_database,
    default_backup_path,
    open_backup_for_restore,
    restore_into,
)
from followup_cli.store.migrations import SCHEMA_VERSION, ensure_current


def backup(store: Store, target: Path | None, today: dt.date) -> Path:
    path = target or default_backup_path(store.path, today)
    copy_database(store.connection, path, store.path)
    return path


def restore(store: Store, source: Path, today: dt.date) -> Path:
    """Check the backup, keep a copy of the current database, then copy the backup in.

    Returns where the previous database was kept.
    """
    checked = open_backup_for_restore(source, SCHEMA_VERSION)
    try:
        kept = default_backup_path(store.path, today, "before-restore")
        copy_database(store.connection, kept, store.path)
        restore_into(checked, store.connection, store.path)
    finally:
        checked.close()
    ensure_current(store.connection, str(store.path))
    return kept
