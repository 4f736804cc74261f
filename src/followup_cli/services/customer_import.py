"""Customers into the book: matching by email or name, merging what the file adds, and the
plain-row lane that takes a chunk of plain rows a column at a time (importing/plain.py)."""

import datetime as dt
import sqlite3
from collections.abc import Sequence

from followup_cli.importing.plain import PlainChunk, plain_chunk, plain_layout
from followup_cli.importing.rows import (
    CustomerRecord,
    RowRejected,
    RowSkipped,
    customer_record,
    extra_fields,
)
from followup_cli.models import IMPORTED_KIND
from followup_cli.services.import_rows import RowImporter
from followup_cli.store.transfer import StoredCustomer


class CustomerImporter(RowImporter):
    """New customers are inserted in batches; a row matching one still in the batch flushes
    it first, so duplicates within the file are found like any other match.

    Into an empty database there is nothing to look up, so rows with an email go straight
    to the batch, and the unique email index finds repeats within the file: as they come
    when it is in place (a batch that hits one is rolled back and replayed row by row, each
    repeat becoming an update), or when importer.py builds it after the rows, which sends
    the whole file round again with the index in place.

    A chunk of plain rows (see plain.py) skips the per-row work: its emails are looked up
    in one query, the new rows inserted in one statement, and a matched row that would
    change nothing is counted as unchanged; only matched rows with news go row by row.
    """

    BATCH = 1000

    def __init__(self, *args):
        super().__init__(*args)
        self.batch: list[tuple[CustomerRecord, str, int]] = []
        self.batch_keys: set[str] = set()
        self.fresh = not self.store.has_customers()
        self.created_names: set[str] = set()
        self.layout = plain_layout(self.columns)

    def take_chunk(self, lines: Sequence[int], rows: list[list[str]]) -> None:
        plain = plain_chunk(rows, self.layout) if self.layout else None
        if plain is None or not self._take_plain(plain, lines, rows):
            super().take_chunk(lines, rows)

    def _take_plain(self, plain: PlainChunk, lines: Sequence[int], rows: list[list[str]]) -> bool:
        """False, having written nothing, when the chunk must go row by row after all."""
        keys = plain.email_keys
        if len(set(keys)) < len(keys):
            return False  # a repeat within the chunk: the second row updates the first
        self._flush()
        stored = {} if self.fresh else self.store.stored_values(keys, plain.present)
        wanted = [key not in stored for key in keys] if stored else None
        try:
            with self.store.savepoint():
                self.store.insert_plain_customers(plain.fields, self.today, wanted)
        except sqlite3.IntegrityError:
            return False  # a repeat of an earlier chunk's email, in an empty database
        self.report.created += len(keys) - len(stored)
        if stored:
            self._take_matched(plain, lines, rows, stored)
        return True

    def _take_matched(self, plain: PlainChunk, lines, rows, stored: dict[str, tuple]) -> None:
        """A matched row whose filled cells all hold what is on file is unchanged; the rest
        go row by row, where --on-conflict and the merging of tags are decided."""
        updating = self.options.on_conflict == "update"
        for line, cells, key, values in zip(
            lines, rows, plain.email_keys, plain.values(), strict=True
        ):
            current = stored.get(key)
            if current is None:
                continue
            if updating and (values == current or _fills_nothing_new(values, current)):
                self.report.unchanged += 1
            else:
                self.take(line, cells)

    def take_values(self, values: dict[str, list[str]], cells: list[str]) -> None:
        if not values:
            raise RowSkipped
        extra = extra_fields(cells, self.columns)
        record = customer_record(values, extra, self.date_orders)
        key = record.email.lower() if record.email else "\n" + record.name.casefold()
        if key in self.batch_keys:
            self._flush()
        if self.fresh and (record.email or key not in self.created_names):
            existing = None
        else:
            existing = self._match(record)
        if existing is None:
            self._create(record, key)
            return
        self._merge(existing, record)

    def _merge(self, existing: StoredCustomer, record: CustomerRecord) -> None:
        if self.options.on_conflict == "skip":
            self.report.skipped += 1
            return
        if self.options.on_conflict == "error":
            raise RowRejected(f"already on file as {existing.name} (#{existing.id})")
        changes = _changes(existing, record, self.today)
        contact_added = self._record_last_contact(
            existing.id, existing.last_contact, record.last_contact
        )
        if changes:
            self.store.update_customer(existing.id, changes)
        if changes or contact_added:
            self.report.updated += 1
        else:
            self.report.unchanged += 1

    def _create(self, record: CustomerRecord, key: str) -> None:
        if record.last_contact and record.last_contact > self.today:
            raise RowRejected(f"last contact {record.last_contact.isoformat()} is in the future")
        self.report.created += 1
        if not record.email:
            self.created_names.add(key)
        if record.last_contact:  # needs the new id at once, for its touchpoint
            self._flush()
            customer_id = self.store.insert_customer(**self._row(record))
            self._record_last_contact(customer_id, None, record.last_contact)
            return
        self.batch.append((record, key, self.line))
        self.batch_keys.add(key)
        if len(self.batch) >= self.BATCH:
            self._flush()

    def _row(self, record: CustomerRecord) -> dict:
        return {
            "name": record.name,
            "email": record.email,
            "phone": record.phone,
            "company": record.company,
            "tags": record.tags,
            "notes": record.notes,
            "status": record.status or "customer",
            "cadence_days": record.cadence_days,
            "extra": record.extra or None,
            "created_on": self.today,
        }

    def _flush(self) -> None:
        batch, self.batch, self.batch_keys = self.batch, [], set()
        if not batch:
            return
        rows = [
            (
                r.name,
                r.email,
                r.phone,
                r.company,
                r.tags,
                r.notes,
                r.status or "customer",
                r.cadence_days,
                r.extra or None,
                self.today,
            )
            for r, _, _ in batch
        ]
        try:
            with self.store.savepoint():
                self.store.insert_customers(rows)
        except sqlite3.IntegrityError:
            self._replay(batch)

    def _replay(self, batch: list[tuple[CustomerRecord, str, int]]) -> None:
        """One by one, so that a repeat of an email within the file updates the first."""
        for record, _, line in batch:
            existing = self._match(record)
            if existing is None:
                self.store.insert_customer(**self._row(record))
                continue
            self.report.created -= 1
            try:
                self._merge(existing, record)
            except RowRejected as problem:
                self.reject(line, problem.reason)

    def finish(self) -> None:
        self._flush()
        super().finish()

    def _match(self, record: CustomerRecord) -> StoredCustomer | None:
        if record.email:
            return self.store.customer_with_email(record.email)
        named = self.store.customers_with_exact_name(record.name)
        if len(named) > 1:
            raise RowRejected(f"several customers are named {record.name!r}; add their email")
        return named[0] if named else None

    def _record_last_contact(
        self, customer_id: int, known: dt.date | None, last_contact: dt.date | None
    ) -> bool:
        """A "last contacted" date becomes an imported touchpoint, unless contact since."""
        if last_contact is None or (known and known >= last_contact):
            return False
        if last_contact > self.today:
            raise RowRejected(f"last contact {last_contact.isoformat()} is in the future")
        self.store.add_touchpoint_quietly(
            customer_id, last_contact, IMPORTED_KIND, None, None, self.created_at
        )
        self.touched.add(customer_id)
        return True


def _fills_nothing_new(values: tuple, current: tuple) -> bool:
    return all(value == "" or value == now for value, now in zip(values, current, strict=True))


def _changes(existing: StoredCustomer, record: CustomerRecord, today: dt.date) -> dict:
    """Only what the file fills and differs: an empty cell never blanks a field out."""
    changes: dict = {}
    for column, value, current in (
        ("name", record.name, existing.name),
        ("email", record.email, existing.email),
        ("phone", record.phone, existing.phone),
        ("company", record.company, existing.company),
        ("notes", record.notes, existing.notes),
        ("status", record.status, existing.status),
        ("cadence_days", record.cadence_days, existing.cadence_days),
    ):
        if value is not None and value != current:
            changes[column] = value
    if record.tags and not existing.has_tags(record.tags):
        changes["tags"] = tuple(dict.fromkeys([*existing.tags, *record.tags]))
    if record.extra and any(existing.extra.get(k) != v for k, v in record.extra.items()):
        changes["extra"] = {**existing.extra, **record.extra}
    if "status" in changes:
        changes["status_changed_on"] = today.isoformat()
    return changes
