"""Customers into the book: matching each record to a customer (services.lookup's
`customer_named`, the rule `refer` uses), merging what the file adds, and the plain lane
(plain_lane.py) that takes a chunk of plain rows a column at a time."""

import datetime as dt
from collections.abc import Sequence

from followup_cli.customer_fields import BY_KEY, FILE_KEYS
from followup_cli.errors import AmbiguousError, in_the_future
from followup_cli.imports.columns import extra_fields
from followup_cli.imports.plain_lane import PlainChunk, plain_chunk, plain_layout
from followup_cli.imports.records import CustomerRecord, RowRejected, RowSkipped, customer_record
from followup_cli.imports.write_rows import RowWriter
from followup_cli.models import IMPORTED_KIND, Customer
from followup_cli.services.lookup import customer_named, kept_uid
from followup_cli.store.imports import EmailRepeated
from followup_cli.values import email_key, name_key


class CustomerWriter(RowWriter):
    """New customers are inserted in batches; a row matching one still in the batch (by
    email or by name) flushes it first, so repeats within the file are found like any other
    match: the later row updates the earlier, per --on-conflict.

    Into an empty book whose unique email index is set aside (`fresh_book`), rows with an
    email cannot match anything yet but each other, so they go to the batch unlooked-up, and
    the index, built after the rows, finds repeats (then pipeline.py imports again with the
    index in place). Rows without an email are looked up once a customer of that name exists.

    The report counts the chunks each lane took.
    """

    BATCH = 1000

    def __init__(self, *args):
        super().__init__(*args)
        self.batch: list[tuple[CustomerRecord, int]] = []
        self.batch_keys: set[str] = set()
        self.fresh = self.context.fresh_book
        self.created_names: set[str] = set()
        self.layout = plain_layout(self.columns)

    def take_chunk(self, lines: Sequence[int], rows: list[list[str]]) -> None:
        plain = plain_chunk(rows, self.layout) if self.layout else None
        if plain is not None and self._take_plain(plain, lines, rows):
            self.report.lanes["plain"] += 1
            return
        super().take_chunk(lines, rows)

    def _take_plain(self, plain: PlainChunk, lines: Sequence[int], rows: list[list[str]]) -> bool:
        """False, having written nothing, when the chunk must go row by row after all."""
        keys = plain.email_keys
        if len(set(keys)) < len(keys):
            return False  # a repeat within the chunk: the second row updates the first
        self._flush()
        stored = {} if self.fresh else self.store.customers.stored_values(keys, plain.present)
        wanted = [key not in stored for key in keys] if stored else None
        try:
            self.store.customers.insert_plain(plain.fields, self.today, wanted)
        except EmailRepeated:
            return False
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
        record = customer_record(values, extra_fields(cells, self.columns), self.date_orders)
        self.warn(self.line, record.warnings)
        keys = _keys(record)
        if not self.batch_keys.isdisjoint(keys):
            self._flush()
        if self.fresh and (record.email or keys[-1] not in self.created_names):
            existing = None
        else:
            existing = self._match(record)
        if existing is None:
            self._create(record, keys)
            return
        self._merge(existing, record)

    def _merge(self, existing: Customer, record: CustomerRecord) -> None:
        if self.options.on_conflict == "skip":
            self.report.skipped += 1
            return
        if self.options.on_conflict == "error":
            raise RowRejected(f"already on file as {existing.name} (#{existing.id})")
        changes = _changes(existing, record, self.today)
        contact_added = self._record_last_contact(existing.id, record.last_contact, new=False)
        if changes:
            self.store.customers.update(existing.id, changes)
        if changes or contact_added:
            self.report.updated += 1
        else:
            self.report.unchanged += 1

    def _create(self, record: CustomerRecord, keys: tuple[str, ...]) -> None:
        if record.last_contact and record.last_contact > self.today:
            raise RowRejected(in_the_future("last contact", record.last_contact))
        self.report.created += 1
        self.created_names.add(keys[-1])
        if record.last_contact:  # needs the new id at once, for its touchpoint
            self._flush()
            customer_id = self.store.customers.insert(**_fields(record, self.today))
            self._record_last_contact(customer_id, record.last_contact, new=True)
            return
        self.batch.append((record, self.line))
        self.batch_keys.update(keys)
        if len(self.batch) >= self.BATCH:
            self._flush()

    def _flush(self) -> None:
        batch, self.batch, self.batch_keys = self.batch, [], set()
        if not batch:
            return
        try:
            self.store.customers.insert_many([_fields(record, self.today) for record, _ in batch])
        except EmailRepeated:
            self._replay(batch)

    def _replay(self, batch: list[tuple[CustomerRecord, int]]) -> None:
        """One by one, so that a repeat of an email within the file updates the first."""
        for record, line in batch:
            self.line = line
            try:
                existing = self._match(record)
                if existing is None:
                    self.store.customers.insert(**_fields(record, self.today))
                    continue
                self.report.created -= 1
                self._merge(existing, record)
            except RowSkipped:
                self.report.created -= 1
                self.report.skipped += 1
            except RowRejected as problem:
                self.reject(line, problem.reason)

    def finish(self) -> None:
        self._flush()

    def _match(self, record: CustomerRecord) -> Customer | None:
        """A record whose name fits several customers, with no email or UID to say which,
        is skipped with a warning naming them: the rest of an address book is worth
        importing, and nothing changes on a guess."""
        try:
            return customer_named(self.store, record.name, record.email, record.uid)
        except AmbiguousError as problem:
            self.warn(self.line, [f"skipped: {problem.message}"])
            raise RowSkipped from None

    def _record_last_contact(
        self, customer_id: int, last_contact: dt.date | None, new: bool
    ) -> bool:
        """A "last contacted" date becomes an imported touchpoint, unless contact since: as
        the facts say it now, so that a file listing one person twice logs the date once."""
        if last_contact is None:
            return False
        known = None if new else self.store.customers.last_contact_so_far(customer_id)
        if known and known >= last_contact:
            return False
        if last_contact > self.today:
            raise RowRejected(in_the_future("last contact", last_contact))
        self.store.touchpoints.insert(
            customer_id, last_contact, IMPORTED_KIND, None, None, self.created_at
        )
        return True


def _keys(record: CustomerRecord) -> tuple[str, ...]:
    """What a later row of the file may match this one by: its UID, its email, and its name
    (last)."""
    keys = ["\0" + record.uid] if record.uid else []
    if record.email:
        keys.append(email_key(record.email))
    return (*keys, "\n" + name_key(record.name))


def _fields(record: CustomerRecord, today: dt.date) -> dict:
    """The record as the store's insert_customer takes it."""
    fields = {key: getattr(record, key) for key in FILE_KEYS} | {"uid": kept_uid(record.uid)}
    return fields | {"extra": record.extra or None, "created_on": today}


def _fills_nothing_new(values: tuple, current: tuple) -> bool:
    return all(value == "" or value == now for value, now in zip(values, current, strict=True))


# What a file's value replaces; the email, tags and UID are merged apart (_changes).
_REPLACED_BY_FILE = [key for key in FILE_KEYS if key not in ("email", "tags", "uid")]


def _changes(existing: Customer, record: CustomerRecord, today: dt.date) -> dict:
    """Only what the file fills and differs: an empty cell never blanks a field out, and an
    email that differs only in case is the same address, left as it is on file."""
    changes: dict = {}
    for key in _REPLACED_BY_FILE:
        value, current = getattr(record, key), getattr(existing, key)
        if value is not None and value != current:
            changes[BY_KEY[key].column] = value
    if record.email and email_key(record.email) != email_key(existing.email or ""):
        changes["email"] = record.email
    if kept_uid(record.uid) and existing.uid is None:
        changes["uid"] = record.uid  # the first card's UID stays: another phone's is another
    if record.tags and not set(record.tags) <= set(existing.tags):
        changes["tags"] = tuple(dict.fromkeys([*existing.tags, *record.tags]))
    if record.extra and any(existing.extra.get(k) != v for k, v in record.extra.items()):
        changes["extra"] = {**existing.extra, **record.extra}
    if "status" in changes:
        changes["status_changed_on"] = today.isoformat()
    return changes
