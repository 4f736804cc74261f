"""The storage layer: the only code that speaks SQL.

`open_store` returns a Store whose methods read and write models. Queries are grouped by
the tables they serve (customers, activity, referrals); Store puts them together.
"""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from followup_cli.errors import DatabaseError
from followup_cli.store.activity import ActivityQueries
from followup_cli.store.connection import (
    changes_saved,  # noqa: F401  (the CLI asks it when interrupted)
    connect,
    database_error,
    prepare_location,
    saving,
)
from followup_cli.store.customers import CustomerQueries, TagCadenceQueries
from followup_cli.store.duplicates import DuplicateQueries
from followup_cli.store.exports import ExportQueries
from followup_cli.store.imports import ImportQueries
from followup_cli.store.insights import InsightQueries
from followup_cli.store.journal import JournalQueries
from followup_cli.store.migrations import ensure_current
from followup_cli.store.referrals import ReferralQueries
from followup_cli.store.search import SearchQueries
from followup_cli.store.summaries import refresh as refresh_summaries


class Store(
    CustomerQueries,
    TagCadenceQueries,
    ActivityQueries,
    ReferralQueries,
    ImportQueries,
    ExportQueries,
    InsightQueries,
    JournalQueries,
    DuplicateQueries,
    SearchQueries,
):
    def __init__(self, connection: sqlite3.Connection, path: Path, read_only: str | None = None):
        self.connection = connection
        self.path = path
        self.read_only = read_only  # why this store cannot write, when it cannot

    @contextmanager
    def transaction(
        self, change: str | None = None, continues: int | None = None
    ) -> Iterator[None]:
        """All or nothing: the write lock is taken first, and any exception rolls back (where
        SQLite has not rolled back already, as it does when the disk is full). Ctrl-C is
        held off while COMMIT runs, so that an interrupt is always either before the commit
        (nothing was changed) or after it (changes_saved() says so).

        `change` names it in the undo journal (store/journal.py), or it `continues` an
        earlier change by id; a transaction with neither (undo itself) is not journaled.
        Before the commit, the summaries of what it changed are brought up to date."""
        if self.read_only:
            raise DatabaseError(self.read_only)
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            if change:
                self.begin_change(change)
            elif continues:
                self.continue_change(continues)
            yield
            changed = self.end_change() if change or continues else True
            if changed:
                refresh_summaries(self.connection)
        except BaseException:
            if self.connection.in_transaction:
                self.connection.execute("ROLLBACK")
            raise
        if not changed:
            self.connection.execute("ROLLBACK")
            return
        with saving():
            self.connection.execute("COMMIT")

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A step inside a transaction that can fail alone, leaving the rest in place."""
        self.connection.execute("SAVEPOINT step")
        try:
            yield
        except BaseException:
            self.connection.execute("ROLLBACK TO step")
            self.connection.execute("RELEASE step")
            raise
        self.connection.execute("RELEASE step")

    def close(self) -> None:
        self.connection.close()


def _return_to_wal(connection: sqlite3.Connection) -> None:
    """A restore killed while the book was out of WAL (for a backup with another page size)
    leaves it so; readers would then wait for writers. Back to WAL where it can be changed."""
    if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        with suppress(sqlite3.OperationalError):  # read-only or busy: the next one tries
            connection.execute("PRAGMA journal_mode = WAL")


def open_store(path: Path, create_directory: bool = False) -> Store:
    prepare_location(path, create_directory)
    connection, read_only = connect(path)
    try:
        ensure_current(connection, str(path))
        _return_to_wal(connection)
    except sqlite3.Error as error:
        connection.close()
        raise database_error(error, path) from None
    except BaseException:
        connection.close()
        raise
    return Store(connection, path, read_only)
