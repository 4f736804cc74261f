"""From CSV cells to validated records: which column means what, and what each row says.

A row either becomes a record, is skipped (it names nobody: blank rows, hidden profiles,
report footers), or is rejected with the reason. Vendor quirks are absorbed here: names split
over first/middle/last columns, several email and phone columns, Exchange addresses and
multi-address cells, a leading apostrophe added by our own export against formula injection.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from followup_cli.errors import InvalidInputError
from followup_cli.importing.filedates import DateOrderUndecided, parse_file_date
from followup_cli.models import IMPORTED_KIND, STATUSES, TOUCHPOINT_KINDS
from followup_cli.services.fields import (
    MAX_CADENCE_DAYS,
    MAX_FIELD_LENGTH,
    is_email,
    is_whole_number,
)

CUSTOMER_FIELD_NAMES = frozenset(
    {
        "name",
        "first_name",
        "middle_name",
        "last_name",
        "email",
        "phone",
        "company",
        "tags",
        "notes",
        "status",
        "cadence_days",
        "last_contact",
        "profile_url",
        "title",
        "lifecycle",
    }
)
TOUCHPOINT_FIELD_NAMES = frozenset({"customer", "email", "date", "kind", "note", "amount"})
REFERRAL_FIELD_NAMES = frozenset(
    {"referrer", "referrer_email", "referred", "referred_email", "date", "note"}
)
DATE_FIELDS = frozenset({"last_contact", "date"})
IGNORE = "ignore"
_ADDRESS_SEPARATORS = re.compile(r"\s*(?::::|[;,\s])\s*")
_FORMULA_GUARD = re.compile(r"'(?=[=+\-@\t\r])")
STATUS_WORDS = {
    "customer": "customer",
    "client": "customer",
    "evangelist": "customer",
    "won": "customer",
    "active": "customer",
    "prospect": "prospect",
    "lead": "prospect",
    "subscriber": "prospect",
    "opportunity": "prospect",
    "marketingqualifiedlead": "prospect",
    "salesqualifiedlead": "prospect",
    "new": "prospect",
    "lost": "lost",
    "churned": "lost",
    "former": "lost",
    "former customer": "lost",
    "inactive": "lost",
}


class RowRejected(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class RowSkipped(Exception):
    """The row names nobody; counted, not an error."""


@dataclass(frozen=True)
class ColumnMap:
    fields: dict[int, str]
    unmapped: list[str]
    header: list[str]
    targets: list[str]  # the field of each column by position, "" when kept as extra


def map_columns(
    header: list[str],
    known: dict[str, str],
    allowed: frozenset[str],
    overrides: list[str],
    normalize,
) -> ColumnMap:
    """Each header to a field by its normalised name; --map COLUMN=FIELD wins."""
    chosen: dict[str, str] = {}
    for override in overrides:
        column, separator, target = override.partition("=")
        target = target.strip().lower()
        if not separator or not column.strip():
            raise InvalidInputError(f"--map {override!r} should look like COLUMN=FIELD")
        if target not in allowed and target != IGNORE:
            raise InvalidInputError(
                f"--map {override!r}: unknown field {target!r}; use one of "
                f"{', '.join(sorted(allowed))} or {IGNORE}"
            )
        chosen[normalize(column)] = target
    fields, unmapped = {}, []
    for index, title in enumerate(header):
        key = normalize(title)
        target = chosen.get(key, known.get(key))
        if target == IGNORE:
            continue
        if target in allowed:
            fields[index] = target
        elif title.strip():
            unmapped.append(title.strip())
    missing = set(chosen) - {normalize(title) for title in header}
    if missing:
        raise InvalidInputError(
            f"--map names a column the file does not have: {', '.join(sorted(missing))}"
        )
    targets = [fields.get(index, "") for index in range(len(header))]
    return ColumnMap(fields, unmapped, header, targets)


def cell_values(cells: list[str], columns: ColumnMap) -> dict[str, list[str]]:
    """Field -> the non-empty values of its columns, in file order; checks size and NULs."""
    width = len(columns.header)
    if len(cells) > width and any(cell.strip() for cell in cells[width:]):
        raise RowRejected(f"{len(cells)} cells but the header has {width} columns")
    whole = "".join(cells)
    if "\x00" in whole or len(whole) > MAX_FIELD_LENGTH:
        _check_cells(cells, columns.header)
    values: dict[str, list[str]] = {}
    for target, raw in zip(columns.targets, cells, strict=False):
        if raw:
            text = _FORMULA_GUARD.sub("", raw, count=1).strip() if raw[0] == "'" else raw.strip()
            if text:
                if target in values:
                    values[target].append(text)
                else:
                    values[target] = [text]
    return values


def _check_cells(cells: list[str], header: list[str]) -> None:
    for title, raw in zip(header, cells, strict=False):
        if "\x00" in raw:
            raise RowRejected(f"column {title!r} contains a NUL byte")
        if len(raw) > MAX_FIELD_LENGTH:
            raise RowRejected(f"column {title!r} is over 64 KiB")


def extra_fields(cells: list[str], columns: ColumnMap) -> dict[str, str]:
    if not columns.unmapped:
        return {}
    mapped = set(columns.fields)
    return {
        columns.header[index].strip(): cells[index].strip()
        for index in range(min(len(cells), len(columns.header)))
        if index not in mapped and columns.header[index].strip() and cells[index].strip()
    }


@dataclass(slots=True)
class CustomerRecord:
    name: str
    email: str | None = None
    phone: str | None = None
    company: str | None = None
    tags: tuple[str, ...] = ()
    notes: str | None = None
    status: str | None = None
    cadence_days: int | None = None
    last_contact: dt.date | None = None
    extra: dict[str, str] = field(default_factory=dict)


def customer_record(
    values: dict[str, list[str]], extra: dict[str, str], date_orders: dict[str, str]
) -> CustomerRecord:
    get = values.get
    email_cells = get("email")
    if email_cells and len(email_cells) == 1 and is_email(email_cells[0]):
        emails, leftovers = email_cells, []  # the common case, without splitting
    else:
        emails, leftovers = _addresses(email_cells or [])
    name = _first(get("name"))
    if not name:
        parts = (_first(get(part)) for part in ("first_name", "middle_name", "last_name"))
        name = " ".join(part for part in parts if part) or _first(get("company"))
    if not name:
        name = emails[0] if emails else _first(get("profile_url"))
    if not name:
        raise RowSkipped
    notes = get("notes", [])
    if leftovers or len(emails) > 1:
        notes = [*notes, "Other emails: " + ", ".join([*emails[1:], *leftovers])]
    phones = get("phone")
    if phones and len(phones) > 1:
        notes = [*notes, "Other phones: " + ", ".join(phones[1:])]
    if "title" in values or "profile_url" in values or "lifecycle" in values:
        extra = {**extra, **{label: values[label][0] for label in _EXTRA_FIELDS if label in values}}
    status, cadence, last_contact = get("status"), get("cadence_days"), get("last_contact")
    if not status and "lifecycle" in values:  # a CRM's stage: used when it says, else kept
        stage = STATUS_WORDS.get(re.sub(r"[^a-z ]", "", values["lifecycle"][0].lower()))
        status = [stage] if stage else None
    return CustomerRecord(
        " ".join(name.split()) if "  " in name else name,
        emails[0] if emails else None,
        phones[0] if phones else None,
        _first(get("company")),
        split_tags(get("tags", ())),
        "\n".join(notes) or None,
        _status(status[0]) if status else None,
        _cadence(cadence[0]) if cadence else None,
        _latest(last_contact, date_orders.get("last_contact")) if last_contact else None,
        extra,
    )


_EXTRA_FIELDS = ("title", "profile_url", "lifecycle")


def _latest(cells: list[str], order: str | None) -> dt.date | None:
    """The most recent of a row's "last contacted" dates (HubSpot has two such columns)."""
    dates = [day for day in (_date(cell, order) for cell in cells) if day]
    return max(dates) if dates else None


def _first(cells: list[str] | None) -> str | None:
    return cells[0] if cells else None


def _addresses(cells: list[str]) -> tuple[list[str], list[str]]:
    """Valid addresses in order, and what is not one (Exchange /o= paths and the like)."""
    valid, other = [], []
    for cell in cells:
        if cell.startswith(("/o=", "/O=")):
            other.append(cell)
            continue
        for part in _ADDRESS_SEPARATORS.split(cell.strip("<>")):
            part = part.strip("<>\"' ")
            if not part:
                continue
            if is_email(part):
                if part.lower() not in (known.lower() for known in valid):
                    valid.append(part)
            elif "@" in part:
                raise RowRejected(f"{part!r} is not a valid email address")
            else:
                other.append(part)
    return valid, other


def split_tags(cells: list[str]) -> tuple[str, ...]:
    """Comma- or semicolon-separated, Google's " ::: " too, without its "* myContacts"."""
    if len(cells) == 1:
        cell = cells[0]
        if ":::" not in cell and ";" not in cell and "*" not in cell:
            if "," not in cell:
                return (cell.lower(),)  # cells arrive stripped and non-empty
            seen: dict[str, None] = {}
            for part in cell.split(","):
                tag = part.strip().lower()
                if tag:
                    seen[tag] = None
            return tuple(seen)
    tags: list[str] = []
    for cell in cells:
        for part in re.split(r":::|[,;]", cell):
            tag = part.strip().lstrip("*").strip().lower()
            if tag and tag.replace(" ", "") not in ("mycontacts", "starred") and tag not in tags:
                tags.append(tag)
    return tuple(tags)


def _status(text: str | None) -> str | None:
    if not text:
        return None
    status = STATUS_WORDS.get(text.strip().lower()) or STATUS_WORDS.get(
        re.sub(r"[^a-z ]", "", text.lower())
    )
    if status is None:
        raise RowRejected(f"unknown status {text!r}; use one of {', '.join(STATUSES)}")
    return status


def _cadence(text: str | None) -> int | None:
    if not text:
        return None
    if not is_whole_number(text) or not 1 <= int(text) <= MAX_CADENCE_DAYS:
        raise RowRejected(f"cadence {text!r} is not a number of days from 1 to {MAX_CADENCE_DAYS}")
    return int(text)


def _date(text: str | None, order: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return parse_file_date(text, order)
    except DateOrderUndecided:
        raise  # a whole column is unreadable: the import stops with one message
    except InvalidInputError as problem:
        raise RowRejected(problem.message) from None


@dataclass(frozen=True)
class TouchpointRecord:
    customer: str | None
    email: str | None
    date: dt.date
    kind: str
    note: str | None
    amount: float | None


def touchpoint_record(
    values: dict[str, list[str]], today: dt.date, date_orders: dict[str, str]
) -> TouchpointRecord:
    first = lambda name: values[name][0] if name in values else None  # noqa: E731
    customer, email = first("customer"), first("email")
    if not customer and not email:
        if not any(values.values()):
            raise RowSkipped
        raise RowRejected("names no customer: give a customer name or email")
    if email and not is_email(email):
        raise RowRejected(f"{email!r} is not a valid email address")
    date = _date(first("date"), date_orders.get("date"))
    if date is None:
        raise RowRejected("has no date")
    if date > today:
        raise RowRejected(f"date {date.isoformat()} is in the future")
    kind = (first("kind") or "call").lower()
    if kind not in TOUCHPOINT_KINDS and kind != IMPORTED_KIND:
        raise RowRejected(f"unknown kind {kind!r}; use one of {', '.join(TOUCHPOINT_KINDS)}")
    amount = None
    if first("amount"):
        try:
            amount = float(first("amount").replace(",", ""))
        except ValueError:
            raise RowRejected(f"amount {first('amount')!r} is not a number") from None
        if not abs(amount) < 1e12:
            raise RowRejected(f"amount {first('amount')!r} is not a usable number")
    return TouchpointRecord(customer, email, date, kind, first("note"), amount)


@dataclass(frozen=True)
class ReferralRecord:
    referrer: str | None
    referrer_email: str | None
    referred: str | None
    referred_email: str | None
    date: dt.date
    note: str | None


def referral_record(
    values: dict[str, list[str]], today: dt.date, date_orders: dict[str, str]
) -> ReferralRecord:
    first = lambda name: values[name][0] if name in values else None  # noqa: E731
    if not any(values.values()):
        raise RowSkipped
    for side in ("referrer", "referred"):
        if not first(side) and not first(f"{side}_email"):
            raise RowRejected(f"names no {side}: give a name or an email")
        email = first(f"{side}_email")
        if email and not is_email(email):
            raise RowRejected(f"{email!r} is not a valid email address")
    date = _date(first("date"), date_orders.get("date")) or today
    if date > today:
        raise RowRejected(f"date {date.isoformat()} is in the future")
    return ReferralRecord(
        first("referrer"),
        first("referrer_email"),
        first("referred"),
        first("referred_email"),
        date,
        first("note"),
    )
