"""Importing customers, touchpoints and referrals from CSV, all or nothing.

The whole import runs in one transaction. Every row is checked even after a bad one, so the
report lists every problem at once; then, unless --skip-invalid, any rejected row rolls the
whole import back. A dry run does the same work and always rolls back, so its counts are exact.
Re-importing a file changes nothing: a customer whose fields already hold the file's values
is unchanged, and a touchpoint or referral already on file is not added twice.
"""

import datetime as dt
import gc
import sqlite3
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import partial

from followup_cli.errors import FollowupError, InvalidInputError
from followup_cli.importing import headers
from followup_cli.importing.filedates import is_slashed, slashed_order_hint
from followup_cli.importing.plain import PlainChunk, plain_chunk, plain_layout
from followup_cli.importing.reader import open_csv, read_stdin
from followup_cli.importing.rows import (
    CUSTOMER_FIELD_NAMES,
    DATE_FIELDS,
    REFERRAL_FIELD_NAMES,
    TOUCHPOINT_FIELD_NAMES,
    ColumnMap,
    CustomerRecord,
    RowRejected,
    RowSkipped,
    cell_values,
    customer_record,
    extra_fields,
    map_columns,
    referral_record,
    touchpoint_record,
)
from followup_cli.models import CONTACT_KINDS, IMPORTED_KIND
from followup_cli.store import Store
from followup_cli.store.transfer import EmailRepeated, StoredCustomer

KINDS = ("customers", "touchpoints", "referrals")
CONFLICT_POLICIES = ("update", "skip", "error")
CHUNK_ROWS = 1000  # rows read, checked and written together


@dataclass(frozen=True)
class ImportOptions:
    dry_run: bool = False
    skip_invalid: bool = False
    maps: tuple[str, ...] = ()
    on_conflict: str = "update"
    delimiter: str | None = None
    encoding: str | None = None
    date_order: str | None = None


@dataclass
class ImportReport:
    kind: str
    source: str
    dry_run: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    rejected: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)
    unmapped_columns: list[str] = field(default_factory=list)
    written: bool = False


class ImportRefused(FollowupError):
    """Rejected rows stopped an all-or-nothing import; the report lists them."""

    def __init__(self, report: ImportReport):
        super().__init__(
            f"import refused: {report.rejected} invalid row"
            f"{'s' if report.rejected != 1 else ''}, nothing was imported; fix them, "
            "or import the rest with --skip-invalid"
        )
        self.report = report


class _DryRunDone(Exception):
    """Raised to roll a dry run back after counting."""

    def __init__(self, report: ImportReport):
        super().__init__()
        self.report = report


def import_csv(
    store: Store,
    kind: str,
    source: str,
    options: ImportOptions,
    today: dt.date,
    progress: Callable[[int, int | None], None] | None = None,
) -> ImportReport:
    _check_options(kind, options)
    data: str | bytes = read_stdin() if source == "-" else source
    known, allowed = _fields_for(kind)
    date_orders = _date_orders(data, options, known, allowed)
    store.prepare_for_bulk_writes()
    gc.disable()  # rows hold no cycles: reference counting frees them, the collector's
    try:  # passes over hundreds of thousands of lists only cost time (~5 %)
        return _import(store, kind, source, data, options, today, date_orders, progress)
    finally:
        gc.enable()


def _import(store, kind, source, data, options, today, date_orders, progress) -> ImportReport:
    read = partial(_read, store, kind, source, data, options, today, date_orders, progress)
    try:
        with store.transaction():
            if kind == "customers" and not store.has_customers():
                try:
                    with store.savepoint():
                        report = read(store.indexes_rebuilt_after(unique_email=False))
                except EmailRepeated:  # across chunks: again, with the unique index kept
                    report = read(store.indexes_rebuilt_after(unique_email=True))
            else:
                report = read(nullcontext())
            report.problems.sort()
            if report.problems and not options.skip_invalid and not options.dry_run:
                raise ImportRefused(report)
            if options.dry_run:
                raise _DryRunDone(report)
    except _DryRunDone as done:
        return done.report
    report.written = True
    return report


def _read(
    store, kind, source, data, options, today, date_orders, progress, indexes
) -> ImportReport:
    """Every row of the file into the open transaction; `indexes` is held around the rows."""
    known, allowed = _fields_for(kind)
    report = ImportReport(kind=kind, source=source, dry_run=options.dry_run)
    with open_csv(data, options.encoding, options.delimiter, headers.detect_preamble) as csv_source:
        if kind == "customers":
            known = headers.customer_fields_for(csv_source.header)
        columns = map_columns(
            csv_source.header, known, allowed, list(options.maps), headers.normalize_header
        )
        _require_identity(kind, columns)
        report.unmapped_columns = columns.unmapped
        importer = _IMPORTERS[kind](store, options, today, date_orders, columns, report)
        with indexes:
            for lines, rows in csv_source.chunks(CHUNK_ROWS):
                importer.take_chunk(lines, rows)
                if progress:
                    progress(csv_source.position(), csv_source.size)
            importer.finish()
    return report


def _check_options(kind: str, options: ImportOptions) -> None:
    if kind not in KINDS:
        raise InvalidInputError(
            f"cannot import {kind!r}; choose customers, touchpoints or referrals"
        )
    if options.on_conflict not in CONFLICT_POLICIES:
        raise InvalidInputError(f"--on-conflict {options.on_conflict!r}: use update, skip or error")
    if options.date_order not in (None, "dmy", "mdy"):
        raise InvalidInputError(f"--date-order {options.date_order!r}: use dmy or mdy")


def _fields_for(kind: str) -> tuple[dict[str, str], frozenset[str]]:
    if kind == "customers":
        return headers.CUSTOMER_FIELDS, CUSTOMER_FIELD_NAMES
    if kind == "touchpoints":
        return headers.TOUCHPOINT_FIELDS, TOUCHPOINT_FIELD_NAMES
    return headers.REFERRAL_FIELDS, REFERRAL_FIELD_NAMES


def _require_identity(kind: str, columns: ColumnMap) -> None:
    present = set(columns.fields.values())
    needed = {
        "customers": {"name", "first_name", "last_name", "email", "company", "profile_url"},
        "touchpoints": {"customer", "email"},
        "referrals": {"referrer", "referrer_email"},
    }[kind]
    if not present & needed:
        raise InvalidInputError(
            f"no column names the {kind[:-1] if kind != 'customers' else 'customer'}: "
            f"expected one of {', '.join(sorted(needed))}; map one with --map COLUMN=FIELD"
        )
    if kind == "referrals" and not present & {"referred", "referred_email"}:
        raise InvalidInputError(
            "no column names the person referred: expected referred or "
            "referred_email; map one with --map COLUMN=FIELD"
        )


def _date_orders(
    data: str | bytes, options: ImportOptions, known: dict[str, str], allowed: frozenset[str]
) -> dict[str, str]:
    """Day or month first, per date column, decided by the values that show it.

    Needs a look at the whole column before any row is read, hence a first pass over the file
    that parses only the cells of date columns, and only when there are any.
    """
    with open_csv(data, options.encoding, options.delimiter, headers.detect_preamble) as source:
        if known is headers.CUSTOMER_FIELDS:
            known = headers.customer_fields_for(source.header)
        columns = map_columns(
            source.header, known, allowed, list(options.maps), headers.normalize_header
        )
        date_columns = {i: name for i, name in columns.fields.items() if name in DATE_FIELDS}
        if not date_columns:
            return {}
        if options.date_order:
            return dict.fromkeys(date_columns.values(), options.date_order)
        orders: dict[str, str] = {}
        for _, rows in source.chunks(CHUNK_ROWS):
            for cells in rows:
                for index, name in date_columns.items():
                    if index >= len(cells) or name in orders or not is_slashed(cells[index]):
                        continue
                    hint = slashed_order_hint(cells[index])
                    if hint:
                        orders[name] = hint
            if len(orders) == len(date_columns):
                break
        return orders


class _Importer:
    def __init__(self, store, options, today, date_orders, columns, report):
        self.store, self.options, self.today = store, options, today
        self.date_orders, self.columns, self.report = date_orders, columns, report
        self.created_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        self.touched: set[int] = set()

    def take_chunk(self, lines: Sequence[int], rows: list[list[str]]) -> None:
        for line, cells in zip(lines, rows, strict=True):
            self.take(line, cells)

    def take(self, line: int, cells: list[str]) -> None:
        self.line = line
        if headers.is_footer_row(cells):  # a report's totals and copyright lines
            self.report.skipped += 1
            return
        try:
            self.take_values(cell_values(cells, self.columns), cells)
        except RowSkipped:
            self.report.skipped += 1
        except RowRejected as problem:
            self.reject(line, problem.reason)

    def reject(self, line: int, reason: str) -> None:
        self.report.rejected += 1
        self.report.problems.append((line, reason))

    def finish(self) -> None:
        if self.touched:
            self.store.refresh_contact_summary(sorted(self.touched))
            self.store.close_fulfilled_follow_ups(sorted(self.touched))

    def find(self, name: str | None, email: str | None, role: str = "customer") -> StoredCustomer:
        if email:
            found = self.store.customer_with_email(email)
            if found:
                return found
            if not name:
                raise RowRejected(f"no {role} has the email {email}")
        named = self.store.customers_with_exact_name(name)
        if len(named) > 1:
            raise RowRejected(f"several customers are named {name!r}; give their email")
        if not named:
            raise RowRejected(f"unknown {role} {name or email!r}")
        return named[0]


class _CustomerImporter(_Importer):
    """New customers are inserted in batches; a row matching one still in the batch flushes
    it first, so duplicates within the file are found like any other match.

    Into an empty database there is nothing to look up, so rows with an email go straight
    to the batch and the unique email index finds repeats within the file: a batch that
    hits one is rolled back and replayed row by row, each repeat becoming an update.

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


class _TouchpointImporter(_Importer):
    def take_values(self, values: dict[str, list[str]], cells: list[str]) -> None:
        if not values:
            raise RowSkipped
        record = touchpoint_record(values, self.today, self.date_orders)
        customer = self.find(record.customer, record.email)
        if self.store.touchpoint_on_file(
            customer.id, record.date, record.kind, record.note, record.amount
        ):
            self.report.unchanged += 1
            return
        self.store.add_touchpoint_quietly(
            customer.id, record.date, record.kind, record.note, record.amount, self.created_at
        )
        if record.kind in CONTACT_KINDS or record.kind == "sale":
            self.touched.add(customer.id)
        self.report.created += 1


class _ReferralImporter(_Importer):
    def take_values(self, values: dict[str, list[str]], cells: list[str]) -> None:
        record = referral_record(values, self.today, self.date_orders)
        referrer = self.find(record.referrer, record.referrer_email, "referrer")
        referred = self.find(record.referred, record.referred_email, "referred person")
        if referrer.id == referred.id:
            raise RowRejected(f"{referrer.name} cannot refer themselves")
        if self.store.referral_between(referrer.id, referred.id):
            self.report.unchanged += 1
            return
        self.store.insert_referral(referrer.id, referred.id, record.date, record.note, self.today)
        self.report.created += 1


_IMPORTERS = {
    "customers": _CustomerImporter,
    "touchpoints": _TouchpointImporter,
    "referrals": _ReferralImporter,
}
