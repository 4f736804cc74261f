"""Queries behind `followup import`: bulk inserts and index builds after the rows (what the
rows derive is recomputed by store/derived.py). Where SQLite's unique email index refuses a
row, the IntegrityError becomes EmailRepeated here, so no layer above handles an sqlite3
exception."""

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

_UNIQUE_EMAIL = "customers_email_unique"


class EmailRepeated(Exception):
    """A row's email is already another customer's, in some case: an import that set the
    unique email index aside, or inserted a batch at once, must match that row instead."""


class ImportQueries:
    connection = None

    def prepare_for_bulk_writes(self) -> None:
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

    def has_customers(self) -> bool:
        return self.connection.execute("SELECT 1 FROM customers LIMIT 1").fetchone() is not None

    def stored_values(self, email_keys: list[str], fields: tuple[str, ...]) -> dict[str, tuple]:
        """Lower-cased email -> the customer's `fields` as a plain import file gives them
        (anything empty, no tags included, is ""), for one chunk of an import in one query."""
        columns = ", ".join(
            "coalesce(nullif(tags, '[]'), '')" if name == "tags" else f"coalesce({name}, '')"
            for name in fields
        )
        rows = self.connection.execute(
            f"SELECT lower(email), {columns} FROM customers "
            "WHERE lower(email) IN (SELECT value FROM json_each(?)) AND email IS NOT NULL",
            (json.dumps(email_keys),),
        )
        return {row[0]: row[1:] for row in rows}

    def insert_customers(self, rows: list[dict]) -> None:
        """Many at once, each in insert_customer's keywords; all or none of them."""
        with self._refusing_repeated_emails():
            self.insert_customer_rows(rows)

    def insert_plain_customers(
        self, columns: dict[str, Sequence], added_on: dt.date, wanted: list[bool] | None
    ) -> None:
        with self._refusing_repeated_emails():
            self.insert_plain_customer_columns(columns, added_on, wanted)

    @contextmanager
    def _refusing_repeated_emails(self) -> Iterator[None]:
        try:
            with self.savepoint():
                yield
        except sqlite3.IntegrityError:
            raise EmailRepeated from None

    def touchpoint_on_file(
        self, customer_id: int, date: dt.date, kind: str, note: str | None, amount: float | None
    ) -> bool:
        row = self.connection.execute(
            "SELECT 1 FROM touchpoints WHERE customer_id = ? AND date = ? AND kind = ? "
            "AND note IS ? AND amount IS ? LIMIT 1",
            (customer_id, date.isoformat(), kind, note, amount),
        ).fetchone()
        return row is not None

    def customer_ids_by_email(self) -> dict[str, int]:
        """Every customer's email, lower-cased: matching a mailbox's addresses is then a
        dictionary lookup, not a query per address of every message."""
        return dict(
            self.connection.execute(
                "SELECT lower(email), id FROM customers WHERE email IS NOT NULL"
            ).fetchall()
        )

    def add_gathered_touchpoint(
        self, customer_id: int, date: dt.date, kind: str, note: str | None, source: str, at: str
    ) -> bool:
        """False when this customer already has the touchpoint from `source`."""
        cursor = self.connection.execute(
            "INSERT OR IGNORE INTO touchpoints (customer_id, date, kind, note, created_at, source) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (customer_id, date.isoformat(), kind, note, at, source),
        )
        return cursor.rowcount == 1
