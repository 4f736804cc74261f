"""`followup import`: a file into the book, all or nothing, in the order the data flows.

1. read_csv.py reads the bytes as CSV (encoding, delimiter, preamble, line numbers), or
   read_vcard.py reads vCards into the same field values that step 2 gives for a row;
2. columns.py maps each column to a field (vendor headers, --map) and takes a row's values;
3. records.py makes each row a record, or skips it, or rejects it with the reason;
4. write_customers.py and write_activity.py match records against the book (through
   services.lookup, as the commands do) and write them; plain_lane.py is write_customers'
   shortcut for chunks of plain rows, through the same rules a column at a time.

The whole import runs in one transaction. Every row is checked even after a bad one, so the
report lists every problem at once; then, unless --skip-invalid, any rejected row rolls the
whole import back. A dry run does the same work and always rolls back, so its counts are exact.
Re-importing a file changes nothing: a customer whose fields already hold the file's values
is unchanged, and a touchpoint or referral already on file is not added twice.

A file is read at most twice: a survey first when the file has date columns (their day/month
order is decided by the whole column), and the import. Into an empty book the unique email
index is built after the rows; if the file repeats an email (in any case), the import must
run with the index in place instead, which the survey tells at once, or, without a survey,
building the index tells at the end, and the import is rolled back and read again.
"""

import datetime as dt
import gc
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field

from followup_cli.dates.cells import is_slashed, slashed_order_hint
from followup_cli.errors import FollowupError, InvalidInputError
from followup_cli.imports.columns import DATE_FIELDS, ColumnMap, detect_preamble, map_columns
from followup_cli.imports.read_csv import is_directory, load_source, open_csv
from followup_cli.imports.read_vcard import FIELDS as VCARD_FIELDS
from followup_cli.imports.read_vcard import is_vcard_source, open_vcards
from followup_cli.imports.records import primary_email
from followup_cli.imports.write_activity import ReferralWriter, TouchpointWriter
from followup_cli.imports.write_customers import CustomerWriter
from followup_cli.imports.write_gathered import GatheredWriter
from followup_cli.imports.write_rows import ImportContext
from followup_cli.store import Store
from followup_cli.store.imports import EmailRepeated

KINDS = ("customers", "touchpoints", "referrals")
# What each gives: its touchpoint kind (a phone's calls and texts each say their own).
GATHERED_KINDS = {"mail": "email", "calendar": "meeting", "phone": "call"}
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
    warnings: list[tuple[int, str]] = field(default_factory=list)
    unmapped_columns: list[str] = field(default_factory=list)
    skipped_because: dict[str, int] = field(default_factory=dict)  # mail and calendars
    written: bool = False
    # Chunks of rows taken a column at a time (plain_lane.py) and row by row: why a large
    # file was fast or slow, and what the tests check the lanes by.
    lanes: dict[str, int] = field(default_factory=lambda: {"plain": 0, "rows": 0})


class ImportRefused(FollowupError):
    """Rejected rows stopped an all-or-nothing import; the report lists them."""

    def __init__(self, report: ImportReport):
        what = "event" if report.kind == "calendar" else "invalid row"
        super().__init__(
            f"import refused: {report.rejected} {what}"
            f"{'s' if report.rejected != 1 else ''}"
            f"{' that cannot be read' if report.kind == 'calendar' else ''}, nothing was "
            "imported; fix them, or import the rest with --skip-invalid"
        )
        self.report = report


class _DryRunDone(Exception):
    """Raised to roll a dry run back after counting."""

    def __init__(self, report: ImportReport):
        super().__init__()
        self.report = report


@dataclass(frozen=True)
class _Survey:
    date_orders: dict[str, str]
    emails_repeat: bool | None  # None: not surveyed


def import_file(
    store: Store,
    kind: str,
    source: str,
    options: ImportOptions,
    today: dt.date,
    progress: Callable[[int, int | None], None] | None = None,
) -> ImportReport:
    """A CSV file of any kind, or vCards of customers (a .vcf file, a directory of them,
    or input that opens with BEGIN:VCARD)."""
    _check_options(kind, options)
    data = None if kind == "customers" and is_directory(source) else load_source(source)
    fresh_book = kind == "customers" and not store.customers.any()
    if kind == "customers" and is_vcard_source(source, data):
        _check_vcard_options(options)
        cards = open_vcards(source, data, options.encoding)
        survey = _Survey({}, None)

        def read_records(context, report, indexes):
            _read_vcards(store, cards, context, report, indexes, progress)

    else:
        survey = _survey(data, kind, options, fresh_book)

        def read_records(context, report, indexes):
            _read(store, kind, data, context, report, indexes, progress)

    store.imports.prepare()
    gc.disable()  # rows hold no cycles: reference counting frees them, the collector's
    try:  # passes over hundreds of thousands of lists only cost time (~5 %)
        return _import(store, kind, source, options, today, survey, fresh_book, read_records)
    finally:
        gc.enable()


def _import(store, kind, source, options, today, survey, fresh_book, read_records):
    def read(defer_unique_email: bool) -> ImportReport:
        context = ImportContext(options, today, survey.date_orders, defer_unique_email)
        report = ImportReport(kind=kind, source=source, dry_run=options.dry_run)
        indexes = (
            store.imports.indexes_rebuilt_after(unique_email=not defer_unique_email)
            if fresh_book
            else nullcontext()
        )
        with store.imports.inserting_in_bulk():
            read_records(context, report, indexes)
        return report

    def read_once() -> ImportReport:
        if fresh_book and not survey.emails_repeat:
            try:
                with store.savepoint():
                    return read(defer_unique_email=True)
            except EmailRepeated:  # the file repeats an email: again, with the index kept
                pass
        return read(defer_unique_email=False)

    return _one_change(store, f"import {kind} from {source}", options, read_once)


def _one_change(store: Store, title: str, options: ImportOptions, run) -> ImportReport:
    """Every import is one transaction and one change for undo: refused whole when a row is
    rejected (unless --skip-invalid), and rolled back after counting when a dry run."""
    try:
        with store.transaction(title):
            report = run()
            report.problems.sort()
            report.warnings.sort()
            store.journal.describe(f"{title}: {report.created} created, {report.updated} updated")
            if report.problems and not options.skip_invalid and not options.dry_run:
                raise ImportRefused(report)
            if options.dry_run:
                raise _DryRunDone(report)
    except _DryRunDone as done:
        return done.report
    if not store.changed_something:  # rows that changed, then changed back (an email twice)
        report.unchanged += report.updated
        report.updated = 0
    report.written = True
    return report


def _read(store, kind, data, context, report, indexes, progress) -> None:
    """Every row of the file into the open transaction; `indexes` is held around the rows."""
    options = context.options
    with open_csv(data, options.encoding, options.delimiter, detect_preamble) as csv_source:
        columns = map_columns(csv_source.header, kind, list(options.maps))
        _require_identity(kind, columns)
        report.unmapped_columns = columns.unmapped
        writer = _WRITERS[kind](store, context, columns, report)
        with indexes:
            for lines, rows in csv_source.chunks(CHUNK_ROWS):
                writer.take_chunk(lines, rows)
                if progress:
                    progress(csv_source.position(), csv_source.size)
            for line, reason in csv_source.rejected:
                writer.reject(line, reason)
            writer.finish()


PROGRESS_EVERY_CARDS = 200
PROGRESS_EVERY_ITEMS = 1000


def import_gathered(
    store: Store,
    kind: str,
    sources: list[str],
    options: ImportOptions,
    today: dt.date,
    me: frozenset[str] = frozenset(),
    since: dt.date | None = None,
    progress: Callable[[int, int | None], None] | None = None,
    region: str | None = None,
) -> ImportReport:
    """A mailbox, a calendar or phone backups into touchpoints of the customers on file;
    counts are of touchpoints, and one already on file (the same message, meeting or call)
    is unchanged. Mail and calendars are one source; phone backups may be several, each a
    file of calls or of texts, in one change."""
    source = " ".join(sources)
    if kind == "mail":  # each reader imported by its own kind only
        from followup_cli.imports.read_mail import Mailbox

        reader = Mailbox(source)
        items = reader.messages
    elif kind == "calendar":
        from followup_cli.imports.read_calendar import CalendarFile

        reader = CalendarFile(source, load_source(source), today)
        items = reader.events
    else:
        from followup_cli.imports.read_phone import PhoneBackups

        reader = PhoneBackups(sources, region)
        items = reader.items

    def run() -> ImportReport:
        report = ImportReport(kind=kind, source=source, dry_run=options.dry_run)
        if kind == "phone":
            customers, unplaced = _customers_by_number(store, region)
            if unplaced:
                report.warnings.append((0, _unplaced(unplaced, region)))
        else:
            customers = store.customers.ids_by_email()
        writer = GatheredWriter(store, report, GATHERED_KINDS[kind], today, me, since, customers)
        with store.imports.inserting_in_bulk():
            for count, item in enumerate(items(), start=1):
                writer.take(item)
                if progress and count % PROGRESS_EVERY_ITEMS == 0:
                    progress(reader.position(), reader.size)
        report.warnings.extend(reader.warnings)
        return report

    return _one_change(store, f"import {kind} from {source}", options, run)


def _read_vcards(store, cards, context, report, indexes, progress) -> None:
    columns = map_columns(list(VCARD_FIELDS), "customers", [])
    writer = CustomerWriter(store, context, columns, report)
    with indexes:
        for count, (line, values) in enumerate(cards.cards(), start=1):
            writer.take_record(line, [], values)
            if progress and count % PROGRESS_EVERY_CARDS == 0:
                progress(cards.position(), cards.size)
        for line, reason in cards.rejected:
            writer.reject(line, reason)
        writer.finish()


def _check_vcard_options(options: ImportOptions) -> None:
    for name, value in (
        ("--map", options.maps),
        ("--delimiter", options.delimiter),
        ("--date-order", options.date_order),
    ):
        if value:
            raise InvalidInputError(f"{name} is for CSV files; this is a vCard file")


def _check_options(kind: str, options: ImportOptions) -> None:
    if kind not in KINDS:
        raise InvalidInputError(
            f"cannot import {kind!r}; choose customers, touchpoints or referrals"
        )
    if options.on_conflict not in CONFLICT_POLICIES:
        raise InvalidInputError(f"--on-conflict {options.on_conflict!r}: use update, skip or error")
    if options.date_order not in (None, "dmy", "mdy"):
        raise InvalidInputError(f"--date-order {options.date_order!r}: use dmy or mdy")


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


def _survey(data: str | bytes, kind: str, options: ImportOptions, fresh_book: bool) -> _Survey:
    """Day or month first, per date column, decided by the values that show it; and, into
    an empty book, whether an email repeats. Needs the whole file before any row is written,
    hence a pass of its own, made only when the file has date columns."""
    with open_csv(data, options.encoding, options.delimiter, detect_preamble) as source:
        columns = map_columns(source.header, kind, list(options.maps))
        date_columns = {i: name for i, name in columns.fields.items() if name in DATE_FIELDS}
        if not date_columns:
            return _Survey({}, None)
        if options.date_order and not fresh_book:
            return _Survey(dict.fromkeys(date_columns.values(), options.date_order), None)
        email_columns = [i for i, name in columns.fields.items() if name == "email"]
        orders: dict[str, str] = {}
        seen: set[int] = set()  # hashes of addresses: a collision only costs the slower path
        repeat = False
        for _, rows in source.chunks(CHUNK_ROWS):
            for cells in rows:
                for index, name in date_columns.items():
                    if index >= len(cells) or name in orders or not is_slashed(cells[index]):
                        continue
                    hint = slashed_order_hint(cells[index])
                    if hint:
                        orders[name] = hint
                if fresh_book and not repeat:
                    address = primary_email(
                        [cells[i].strip() for i in email_columns if i < len(cells) and cells[i]]
                    )
                    if address:
                        repeat = hash(address.lower()) in seen
                        seen.add(hash(address.lower()))
            if len(orders) == len(date_columns) and (repeat or not fresh_book):
                break
    if options.date_order:
        orders = dict.fromkeys(date_columns.values(), options.date_order)
    return _Survey(orders, repeat if fresh_book else None)


_WRITERS = {
    "customers": CustomerWriter,
    "touchpoints": TouchpointWriter,
    "referrals": ReferralWriter,
}


def _customers_by_number(store: Store, region: str | None) -> tuple[dict[str, int], list]:
    """Each customer's phone in E.164, placed by `region` when written nationally; and the
    phones that cannot be placed, which no call or text can match."""
    from followup_cli.phones import number_key

    by_number, unplaced = {}, []
    for customer_id, phone in store.customers.phones():
        key = number_key(phone, region)
        if key:
            by_number[key] = customer_id
        else:
            unplaced.append(phone)
    return by_number, unplaced


def _unplaced(phones: list[str], region: str | None) -> str:
    shown = ", ".join(repr(phone) for phone in phones[:3]) + (", ..." if len(phones) > 3 else "")
    where = f"in {region}" if region else "without --region or FOLLOWUP_REGION"
    return (
        f"{len(phones)} customer phone{'s' if len(phones) != 1 else ''} ({shown}) cannot be "
        f"read as a number {where}: no call or text matches them; write them with their "
        "country code (+44 ...)"
    )
