"""How `followup import` writes many rows at once: a larger cache, index builds after the
rows, derived state marked once (what the rows derive is recomputed by store/derived.py).
The rows themselves go through their tables' groups (store/customers.py, touchpoints.py)."""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from followup_cli.store.connection import TableGroup
from followup_cli.store.customers import EmailRepeated
from followup_cli.store.summaries import inserts_in_bulk

_UNIQUE_EMAIL = "customers_email_unique"


class BulkWrites(TableGroup):
    def prepare(self) -> None:
        """A larger page cache (16 MiB) keeps an import's index pages in memory; more made
        no difference at 100k rows and cost memory at a million. Two sorter threads build
        an index from a large table about a fifth faster."""
        self.connection.execute("PRAGMA cache_size = -16384")
        self.connection.execute("PRAGMA threads = 2")

    @contextmanager
    def indexes_rebuilt_after(self, unique_email: bool) -> Iterator[None]:
        """Fill an empty table first and index it after: building an index from sorted rows
        beats updating it row by row. Runs inside the caller's transaction, so it is atomic.

        Without `unique_email`, the unique email index goes too, and an email repeated in
        the file shows only when it is rebuilt: EmailRepeated, and the caller rolls back
        and imports again with `unique_email`, where each repeat is found as it comes.
        """
        names = ("customers_due", "customers_name", "customers_name_key") + (
            () if unique_email else (_UNIQUE_EMAIL,)
        )
        saved = self.connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'customers' "
            f"AND name IN ({', '.join('?' * len(names))})",
            names,
        ).fetchall()
        for name, _ in saved:
            self.connection.execute(f"DROP INDEX {name}")
        yield
        for name, sql in saved:
            try:
                self.connection.execute(sql)
            except sqlite3.IntegrityError:
                if name != _UNIQUE_EMAIL:
                    raise
                raise EmailRepeated from None

    def inserting_in_bulk(self):
        """Around an import's rows, which it only inserts: derived state is marked for them
        once, not row by row (store/summaries.py)."""
        return inserts_in_bulk(self.connection)
