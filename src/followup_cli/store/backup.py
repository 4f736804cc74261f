"""Copies of the database through SQLite's online backup API: consistent even while other
processes write, private (0600) from the first byte, and never left half-written."""

import datetime as dt
import sqlite3
from pathlib import Path

from followup_cli.errors import DatabaseError, InvalidInputError, cannot_read
from followup_cli.output_files import partial_file, refuse_the_book
from followup_cli.store.connection import describe_sqlite_error, saving
from followup_cli.store.migrations import tables_in, tables_of_schema

SQLITE_HEADER = b"SQLite format 3\x00"


def default_backup_path(database: Path, today: dt.date, label: str = "backup") -> Path:
    """`followup-backup-2026-11-24.db` next to the database; -2, -3... when taken already."""
    stem = f"{database.stem}-{label}-{today.isoformat()}"
    candidate = database.with_name(f"{stem}.db")
    number = 2
    while candidate.exists():
        candidate = database.with_name(f"{stem}-{number}.db")
        number += 1
    return candidate


def copy_database(source: sqlite3.Connection, target: Path, database: Path) -> None:
    """Write a consistent copy of `source` (the book at `database`) to `target`, a new file,
    private and whole (output_files.partial_file), never over the book itself."""
    refuse_the_book(target, database)
    if target.exists() or target.is_symlink():
        raise InvalidInputError(f"{target} exists already; choose another path")
    with partial_file(target) as partial:
        try:
            copy = sqlite3.connect(partial)
            try:
                source.backup(copy)
                copy.execute("PRAGMA journal_mode = DELETE")
            finally:
                copy.close()
        except sqlite3.Error as error:
            raise DatabaseError(describe_sqlite_error(error, target)) from None


def open_backup_for_restore(path: Path, newest_schema: int) -> sqlite3.Connection:
    """The backup, read-only, after checking that it is a sound followup database."""
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise InvalidInputError(cannot_read(path, error.strerror)) from None
    if header != SQLITE_HEADER:
        raise InvalidInputError(f"{path} is not an SQLite database; nothing was restored")
    try:
        # as_uri() escapes what a URI would misread in a file name: "%20", "#", "?"
        backup = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        verdict = backup.execute("PRAGMA integrity_check").fetchone()[0]
        version = backup.execute("PRAGMA user_version").fetchone()[0]
        tables = {row[0] for row in backup.execute("SELECT name FROM sqlite_master")}
    except sqlite3.Error as error:
        raise InvalidInputError(
            f"{path} cannot be read as a database ({error}); nothing was restored"
        ) from None
    if verdict != "ok":
        backup.close()
        raise InvalidInputError(f"{path} is damaged ({verdict}); nothing was restored")
    if not {"customers", "touchpoints"} <= tables or version < 1:
        backup.close()
        raise InvalidInputError(f"{path} is not a followup database; nothing was restored")
    if version > newest_schema:
        backup.close()
        raise InvalidInputError(
            f"{path} was written by a newer followup (schema {version}); upgrade followup first"
        )
    missing = _missing_from_schema(tables_in(backup), tables_of_schema(version))
    if missing:
        backup.close()
        raise InvalidInputError(
            f"{path} lacks part of the followup schema {version} it claims "
            f"({', '.join(missing)}); nothing was restored"
        )
    return backup


def _missing_from_schema(found: dict[str, set[str]], expected: dict[str, set[str]]) -> list:
    missing = []
    for table, columns in sorted(expected.items()):
        if table not in found:
            missing.append(f"table {table}")
        else:
            missing += [f"{table}.{column}" for column in sorted(columns - found[table])]
    return missing


def install_backup(backup: sqlite3.Connection, path: Path) -> None:
    """The backup as a new book at `path` (where nothing is now): whole or not at all."""
    with partial_file(path) as partial:
        try:
            copy = sqlite3.connect(partial)
            try:
                with saving():
                    backup.backup(copy)
            finally:
                copy.close()
        except sqlite3.Error as error:
            raise DatabaseError(describe_sqlite_error(error, path)) from None


def set_aside(path: Path, today: dt.date) -> Path:
    """Move a damaged book (with its -wal and -shm, which may hold its last changes) out of
    the way, under a dated name beside it; returns the new name."""
    kept = default_backup_path(path, today, "damaged")
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{path}{suffix}")
        if source.exists():
            try:
                source.rename(f"{kept}{suffix}")
            except OSError as error:
                raise DatabaseError(f"cannot move {source} aside: {error.strerror}") from None
    return kept


def restore_into(backup: sqlite3.Connection, live: sqlite3.Connection, path: Path) -> None:
    """A WAL database cannot take a copy with another page size, so for such a backup the
    live one leaves WAL for the copy and returns to it after, which needs it to be the only
    connection; a backup with the same page size is copied in whoever else has it open."""
    page_sizes = {db.execute("PRAGMA page_size").fetchone()[0] for db in (backup, live)}
    try:
        if len(page_sizes) == 1:
            with saving():
                backup.backup(live)
            return
        live.execute("PRAGMA journal_mode = DELETE")
        try:
            with saving():
                backup.backup(live)
        finally:
            live.execute("PRAGMA journal_mode = WAL")
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise DatabaseError(
                f"{path} is in use by another followup or sqlite3 process; close it and run "
                "restore again (nothing was restored)"
            ) from None
        raise DatabaseError(describe_sqlite_error(error, path)) from None
