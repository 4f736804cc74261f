"""Importing customers, touchpoints and referrals from CSV, all or nothing.

The whole import runs in one transaction. Every row is checked even after a bad one, so the
report lists every problem at once; then, unless --skip-invalid, any rejected row rolls the
whole import back. A dry run does the same work and always rolls back, so its counts are exact.
Re-importing a file changes nothing: a customer whose fields already hold the file's values
is unchanged, and a touchpoint or referral already on file is not added twice.
"""

import datetime as dt
import gc
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import partial

from followup_cli.errors import FollowupError, InvalidInputError
from followup_cli.importing import headers
from followup_cli.importing.filedates import is_slashed, slashed_order_hint
from followup_cli.importing.reader import open_csv, read_stdin
from followup_cli.importing.rows import (
    CUSTOMER_FIELD_NAMES,
    DATE_FIELDS,
    REFERRAL_FIELD_NAMES,
    TOUCHPOINT_FIELD_NAMES,
    ColumnMap,
    map_columns,
)
from followup_cli.services.customer_import import CustomerImporter
from followup_cli.services.import_rows import ReferralImporter, TouchpointImporter
from followup_cli.store import Store
from followup_cli.store.transfer import EmailRepeated

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
                except EmailRepeated:  # the file repeats an email: again, with the index kept
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


_IMPORTERS = {
    "customers": CustomerImporter,
    "touchpoints": TouchpointImporter,
    "referrals": ReferralImporter,
}
