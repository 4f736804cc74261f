"""The storage layer: the only code that speaks SQL.

`open_store` returns a Store. Its queries live with the tables they read or write, one
group each, reached by name: store.customers, store.touchpoints, store.follow_ups,
store.referrals, store.tags, store.journal (undo), store.insights (the summaries behind
`stats` and `pitch`), store.search, store.duplicates, store.exports, store.imports (bulk
writes) and store.team (the team the book replicates to). The Store itself holds what spans
them: transactions and derived state.
"""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from followup_cli.errors import DatabaseError
from followup_cli.store.connection import (
    changes_saved,  # noqa: F401  (the CLI asks it when interrupted)
    connect,
    database_error,
    name_key_function,
    prepare_location,
    savepoint,
    saving,
)
from followup_cli.store.customers import Customers
from followup_cli.store.derived import recompute
from followup_cli.store.duplicates import Duplicates
from followup_cli.store.exports import Exports
from followup_cli.store.follow_ups import FollowUps
from followup_cli.store.imports import BulkWrites
from followup_cli.store.insights import Insights
from followup_cli.store.journal import Journal
from followup_cli.store.migrations import SCHEMA_VERSION, ensure_current, schema_version
from followup_cli.store.referrals import Referrals
from followup_cli.store.search import Search
from followup_cli.store.summaries import refresh
from followup_cli.store.tags import TagCadences
from followup_cli.store.team_book import TeamBook
from followup_cli.store.team_membership import TeamMembership
from followup_cli.store.touchpoints import Touchpoints


class Store:
    def __init__(self, connection: sqlite3.Connection, path: Path, read_only: str | None = None):
        self.connection = connection
        self.path = path
        self.read_only = read_only  # why this store cannot write, when it cannot
        # Whether the last transaction changed a row (False: it wrote only what was there).
        self.changed_something = False
        self.customers = Customers(connection)
        self.touchpoints = Touchpoints(connection)
        self.follow_ups = FollowUps(connection)
        self.referrals = Referrals(connection)
        self.tags = TagCadences(connection)
        self.journal = Journal(connection)
        self.insights = Insights(connection)
        self.search = Search(connection)
        self.duplicates = Duplicates(connection)
        self.exports = Exports(connection)
        self.imports = BulkWrites(connection)
        self.team = TeamMembership(connection)
        self.team_book = TeamBook(connection)  # the reads only a team book answers

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
            continuing = continues is not None and self.journal.exists(continues)
            if continuing:
                self.journal.rejoin(continues)
            elif change:
                self.journal.begin(change)
            yield
            changed = self.journal.end(continuing) if change or continuing else True
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

    def bring_derived_up_to_date(self) -> None:
        """Inside a transaction, for a service that reports what its write derived (the
        promises a contact fulfilled) before the transaction ends."""
        recompute(self.connection)

    def savepoint(self):
        return savepoint(self.connection)

    def catch_up(self) -> None:
        """Rows another tool wrote left their customers stale (store/derived.py): derived
        before this command reads anything. One indexed probe when nothing is stale."""
        stale = self.connection.execute("SELECT 1 FROM stale_customers LIMIT 1").fetchone()
        if stale and not self.read_only:
            with self.transaction():
                pass

    def summaries_current(self) -> None:
        """Writes leave their customers marked for the summaries (store/summaries.py);
        brought up to date here, once, before `stats` or `pitch` reads them. A book that
        cannot be written is read as it is."""
        stale = self.connection.execute("SELECT 1 FROM stale_summaries LIMIT 1").fetchone()
        if stale and not self.read_only:
            with self.transaction():
                refresh(self.connection)

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


def open_team_book(path: Path) -> Store:
    """The team book (store/team_book.py), read-only: a change anyone made to it would be
    lost at the next pull, so none is let in."""
    why = f"{path} is the team book; only `followup team pull` writes it"
    try:
        connection = sqlite3.connect(
            f"{path.absolute().as_uri()}?mode=ro", uri=True, isolation_level=None
        )
    except sqlite3.Error as error:
        raise database_error(error, path) from None
    try:
        name_key_function(connection)
        version = schema_version(connection)
    except sqlite3.Error as error:
        connection.close()
        raise database_error(error, path) from None
    if version != SCHEMA_VERSION:
        connection.close()
        raise DatabaseError(f"{path} was built by another followup; run `followup team pull`")
    return Store(connection, path, read_only=why)
