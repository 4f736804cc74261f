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
from followup_cli.store.derived import recompute
from followup_cli.store.duplicates import DuplicateQueries
from followup_cli.store.exports import ExportQueries
from followup_cli.store.imports import ImportQueries
from followup_cli.store.insights import InsightQueries
from followup_cli.store.journal import JournalQueries
from followup_cli.store.migrations import ensure_current
from followup_cli.store.referrals import ReferralQueries
from followup_cli.store.search import SearchQueries
from followup_cli.store.summaries import inserts_in_bulk


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
        # Whether the last transaction changed a row (False: it wrote only what was there).
        self.changed_something = False

    @contextmanager
    def transaction(
        self, change: str | None = None, continues: int | None = None
    ) -> Iterator[None]:
        """All or nothing: the write lock is taken first, and any exception rolls back (where
        SQLite has not rolled back already, as it does when the disk is full). Ctrl-C is
        held off while COMMIT runs, so that an interrupt is always either before the commit
        (nothing was changed) or after it (changes_saved() says so).

        `change` names it in the undo journal (store/journal.py); with `continues`, it joins
        that earlier change instead, unless that one was undone meanwhile. A transaction with
        neither (undo itself, a catch-up) is not journaled. Before the commit, the derived
        state of the customers it touched is recomputed (store/derived.py)."""
        if self.read_only:
            raise DatabaseError(self.read_only)
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            continuing = continues is not None and self.change_exists(continues)
            if continuing:
                self.continue_change(continues)
            elif change:
                self.begin_change(change)
            yield
            changed = self.end_change(continuing) if change or continuing else True
            if changed:
                recompute(self.connection)
        except BaseException:
            if self.connection.in_transaction:
                self.connection.execute("ROLLBACK")
            raise
        self.changed_something = changed
        if not changed:
            self.connection.execute("ROLLBACK")
            return
        with saving():
            self.connection.execute("COMMIT")

    def inserting_in_bulk(self):
        """Around an import's rows, which it only inserts: derived state is marked for them
        once, not row by row (store/summaries.py)."""
        return inserts_in_bulk(self.connection)

    def bring_derived_up_to_date(self) -> None:
        """Inside a transaction, for a service that reports what its write derived (the
        promises a contact fulfilled) before the transaction ends."""
        recompute(self.connection)

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

    def catch_up(self) -> None:
        """Rows another tool wrote left their customers stale (store/derived.py): derived
        before this command reads anything. One indexed probe when nothing is stale."""
        stale = self.connection.execute("SELECT 1 FROM stale_customers LIMIT 1").fetchone()
        if stale and not self.read_only:
            with self.transaction():
                pass

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
        store = Store(connection, path, read_only)
        store.catch_up()
    except sqlite3.Error as error:
        connection.close()
        raise database_error(error, path) from None
    except BaseException:
        connection.close()
        raise
    return store
