"""Queries behind import and export: lookups by the keys files carry, bulk follow-through,
and whole tables read back in a stable order."""

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import NamedTuple

from followup_cli.store.customers import encode_tags

_STORED_COLUMNS = (
    "id, name, email, phone, company, tags, notes, status, cadence_days, extra, last_contact_on"
)
_SELECT = f"SELECT {_STORED_COLUMNS} FROM customers"


_UNIQUE_EMAIL = "customers_email_unique"


class EmailRepeated(Exception):
    """Two rows inserted while the unique email index was set aside share an email."""


class StoredCustomer(NamedTuple):
    """A customer as stored, decoded only as far as needed: an import compares every row
    of a file with one of these, and most rows change nothing."""

    id: int
    name: str
    email: str | None
    phone: str | None
    company: str | None
    tags_json: str
    notes: str | None
    status: str
    cadence_days: int | None
    extra_json: str | None
    last_contact_on: str | None

    @property
    def tags(self) -> tuple[str, ...]:
        return tuple(json.loads(self.tags_json)) if self.tags_json != "[]" else ()

    def has_tags(self, tags: tuple[str, ...]) -> bool:
        return self.tags_json == encode_tags(tags) or set(tags) <= set(self.tags)

    @property
    def extra(self) -> dict[str, str]:
        return json.loads(self.extra_json) if self.extra_json else {}

    @property
    def last_contact(self) -> dt.date | None:
        return dt.date.fromisoformat(self.last_contact_on) if self.last_contact_on else None


class TransferQueries:
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
        names = ("customers_due", "customers_name") + (() if unique_email else (_UNIQUE_EMAIL,))
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

    def customer_with_email(self, email: str) -> StoredCustomer | None:
        row = self.connection.execute(
            f"{_SELECT} WHERE lower(email) = lower(?) AND email IS NOT NULL", (email,)
        ).fetchone()
        return StoredCustomer(*row) if row else None

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

    def customers_with_exact_name(self, name: str) -> list[StoredCustomer]:
        rows = self.connection.execute(
            f"{_SELECT} WHERE name = ? COLLATE NOCASE ORDER BY id LIMIT 3", (name,)
        )
        return [StoredCustomer(*row) for row in rows]

    def touchpoint_on_file(
        self, customer_id: int, date: dt.date, kind: str, note: str | None, amount: float | None
    ) -> bool:
        row = self.connection.execute(
            "SELECT 1 FROM touchpoints WHERE customer_id = ? AND date = ? AND kind = ? "
            "AND note IS ? AND amount IS ? LIMIT 1",
            (customer_id, date.isoformat(), kind, note, amount),
        ).fetchone()
        return row is not None

    def close_fulfilled_follow_ups(self, customer_ids: Iterable[int]) -> None:
        """Follow-ups due on or before a customer's (new) last contact are done."""
        self.connection.executemany(
            "UPDATE followups SET done_on = (SELECT last_contact_on FROM customers "
            "WHERE id = followups.customer_id), done_note = 'contact imported' "
            "WHERE customer_id = ? AND done_on IS NULL AND due_on <= "
            "(SELECT last_contact_on FROM customers WHERE id = followups.customer_id)",
            ((customer_id,) for customer_id in customer_ids),
        )

    def export_customers(self) -> Iterable[tuple]:
        return self.connection.execute(
            "SELECT name, email, phone, company, tags, notes, status, cadence_days "
            "FROM customers ORDER BY id"
        )

    def export_touchpoints(self) -> Iterable[tuple]:
        return self.connection.execute(
            "SELECT c.name, c.email, t.date, t.kind, t.note, t.amount FROM touchpoints t "
            "JOIN customers c ON c.id = t.customer_id ORDER BY t.date, t.id"
        )

    def export_referrals(self) -> Iterable[tuple]:
        return self.connection.execute(
            "SELECT a.name, a.email, b.name, b.email, r.date, r.note FROM referrals r "
            "JOIN customers a ON a.id = r.referrer_id JOIN customers b ON b.id = r.referred_id "
            "ORDER BY r.date, r.id"
        )

    def export_follow_ups(self) -> Iterable[tuple]:
        return self.connection.execute(
            "SELECT c.name, c.email, f.due_on, f.note, f.done_on FROM followups f "
            "JOIN customers c ON c.id = f.customer_id ORDER BY f.due_on, f.id"
        )
