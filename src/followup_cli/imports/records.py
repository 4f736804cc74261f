"""From a row's values to a validated record: what each row says.

A row either becomes a record, is skipped (it names nobody: blank rows, hidden profiles,
report footers), or is rejected with the reason. Vendor quirks are absorbed here: names split
over first/middle/last columns, several email and phone columns, several values in one cell
(Google's " ::: ", a list of addresses): the first is the field, the rest go to the notes.
A value in an email column that is not an address also goes to the notes, with a warning,
and the row is matched by its name instead.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from followup_cli.dates.cells import DateOrderUndecided, parse_file_date
from followup_cli.dates.yearly import YEARLY_KEYS, read_yearly
from followup_cli.errors import InvalidInputError, in_the_future, unknown_kind
from followup_cli.models import IMPORTED_KIND, TOUCHPOINT_KINDS
from followup_cli.phones import comparable
from followup_cli.values import (
    clean_amount,
    clean_cadence,
    clean_status,
    is_email,
    others_note,
    split_tags,
    status_word,
)

_ADDRESS_SEPARATORS = re.compile(r"\s*(?::::|[;,\s])\s*")


class RowRejected(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class RowSkipped(Exception):
    """The row names nobody; counted, not an error."""


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
    uid: str | None = None
    birthday: str | None = None
    anniversary: str | None = None
    last_contact: dt.date | None = None
    extra: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


def customer_record(
    values: dict[str, list[str]], extra: dict[str, str], date_orders: dict[str, str]
) -> CustomerRecord:
    get = values.get
    emails, leftovers = _addresses(get("email") or [])
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
        notes = [*notes, others_note("email", [*emails[1:], *leftovers])]
    phones = get("phone")
    if phones and (len(phones) > 1 or ":::" in phones[0]):
        phones = [part.strip() for cell in phones for part in cell.split(":::") if part.strip()]
    if phones and len(phones) > 1:
        phones = _distinct_numbers(phones)
    if phones and len(phones) > 1:
        notes = [*notes, others_note("phone", phones[1:])]
    if "title" in values or "profile_url" in values or "lifecycle" in values:
        extra = {**extra, **{label: values[label][0] for label in _EXTRA_FIELDS if label in values}}
    yearly, unread = _yearly_dates(values, date_orders)
    status, cadence, last_contact = get("status"), get("cadence_days"), get("last_contact")
    if not status and "lifecycle" in values:  # a CRM's stage: used when it says, else kept
        stage = status_word(values["lifecycle"][0])
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
        _first(get("uid")),
        yearly.get("birthday"),
        yearly.get("anniversary"),
        _latest(last_contact, date_orders.get("last_contact")) if last_contact else None,
        extra,
        (*(_not_an_address(value) for value in leftovers), *unread),
    )


def _yearly_dates(
    values: dict[str, list[str]], date_orders: dict[str, str]
) -> tuple[dict[str, str], list[str]]:
    """A birthday and an anniversary, from their columns or a Google "Event N" labelled
    Anniversary. One that cannot be read is left out with a warning, not the customer."""
    cells = {key: values.get(key, []) for key in YEARLY_KEYS}
    labels, events = values.get("event_label", []), values.get("event_value", [])
    if len(labels) == len(events):  # Google writes a label with each event's value
        for label, value in zip(labels, events, strict=True):
            if label.strip().lower() in YEARLY_KEYS:
                cells[label.strip().lower()].append(value)
    found, unread = {}, []
    for key, texts in cells.items():
        for text in texts:
            try:
                value = read_yearly(text, date_orders.get(key), key)
            except DateOrderUndecided:
                raise
            except InvalidInputError as problem:
                unread.append(f"{problem.message}; left out")
                continue
            if value:
                found[key] = value
                break
    return found, unread


def _distinct_numbers(phones: list[str]) -> list[str]:
    """One number written twice (`+49 151 1234567` and `+491511234567`, as Android and
    WhatsApp cards list the preferred number again) is one phone, not an "other phone"."""
    seen: set[str] = set()
    distinct = []
    for phone in phones:
        key = comparable(phone, None) or phone
        if key not in seen:
            seen.add(key)
            distinct.append(phone)
    return distinct


def _not_an_address(value: str) -> str:
    return f"{value!r} in an email column is not an email address; kept in the notes"


_EXTRA_FIELDS = ("title", "profile_url", "lifecycle")


def _latest(cells: list[str], order: str | None) -> dt.date | None:
    """The most recent of a row's "last contacted" dates (HubSpot has two such columns)."""
    dates = [day for day in (_date(cell, order) for cell in cells) if day]
    return max(dates) if dates else None


def _first(cells: list[str] | None) -> str | None:
    return cells[0] if cells else None


def primary_email(cells: list[str]) -> str | None:
    """The address a row's email cells give its customer (the others go to the notes)."""
    emails, _ = _addresses(cells)
    return emails[0] if emails else None


def _addresses(cells: list[str]) -> tuple[list[str], list[str]]:
    """Valid addresses in order, and what is not one (Exchange /o= paths and the like)."""
    if len(cells) == 1 and is_email(cells[0]):
        return cells, []  # the common case, without splitting
    valid, other = [], []
    for cell in cells:
        parts = [part.strip("<>\"' ") for part in _ADDRESS_SEPARATORS.split(cell.strip("<>"))]
        if not any(is_email(part) for part in parts):
            other.append(cell.strip())  # "Ana at work", an Exchange /o= path: one value
            continue
        for part in parts:
            if not part:
                continue
            if is_email(part):
                if part.lower() not in (known.lower() for known in valid):
                    valid.append(part)
            else:
                other.append(part)
    return valid, other


def _status(text: str) -> str:
    return _checked(clean_status, text)


def _cadence(text: str) -> int | None:
    return _checked(clean_cadence, text)


def _checked(clean, text: str):
    """values.py's rule for a cell, its refusal as the row's reason."""
    try:
        return clean(text)
    except InvalidInputError as problem:
        raise RowRejected(problem.message) from None


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
    warnings: tuple[str, ...] = ()


def touchpoint_record(
    values: dict[str, list[str]], today: dt.date, date_orders: dict[str, str]
) -> TouchpointRecord:
    first = lambda name: values[name][0] if name in values else None  # noqa: E731
    customer, email = first("customer"), first("email")
    if not customer and not email:
        if not any(values.values()):
            raise RowSkipped
        raise RowRejected("names no customer: give a customer name or email")
    email, warnings = _email_or_name(email, customer)
    date = _date(first("date"), date_orders.get("date"))
    if date is None:
        raise RowRejected("has no date")
    if date > today:
        raise RowRejected(in_the_future("date", date))
    kind = (first("kind") or "call").lower()
    if kind not in TOUCHPOINT_KINDS and kind != IMPORTED_KIND:
        raise RowRejected(unknown_kind(kind, TOUCHPOINT_KINDS))
    amount = _checked(clean_amount, first("amount")) if first("amount") else None
    return TouchpointRecord(customer, email, date, kind, first("note"), amount, warnings)


@dataclass(frozen=True)
class ReferralRecord:
    referrer: str | None
    referrer_email: str | None
    referred: str | None
    referred_email: str | None
    date: dt.date
    note: str | None
    warnings: tuple[str, ...] = ()


def referral_record(
    values: dict[str, list[str]], today: dt.date, date_orders: dict[str, str]
) -> ReferralRecord:
    first = lambda name: values[name][0] if name in values else None  # noqa: E731
    if not any(values.values()):
        raise RowSkipped
    emails, warnings = {}, []
    for side in ("referrer", "referred"):
        if not first(side) and not first(f"{side}_email"):
            raise RowRejected(f"names no {side}: give a name or an email")
        emails[side], set_aside = _email_or_name(first(f"{side}_email"), first(side))
        warnings.extend(set_aside)
    date = _date(first("date"), date_orders.get("date")) or today
    if date > today:
        raise RowRejected(in_the_future("date", date))
    return ReferralRecord(
        first("referrer"),
        emails["referrer"],
        first("referred"),
        emails["referred"],
        date,
        first("note"),
        tuple(warnings),
    )


def _email_or_name(email: str | None, name: str | None) -> tuple[str | None, tuple[str, ...]]:
    """A value in an email column that is no address: the row is matched by its name, with a
    warning, or rejected when it has no name to match by."""
    if not email or is_email(email):
        return email, ()
    if not name:
        raise RowRejected(f"{email!r} is not an email address, and the row gives no name")
    return None, (f"{email!r} in an email column is not an email address; matched by name",)
