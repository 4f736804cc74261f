"""Rows to models: the one place that knows how columns are encoded (ISO dates, JSON tags)."""

import datetime as dt
import json

from followup_cli.customer_fields import FIELDS
from followup_cli.models import Customer, FollowUp, Referral, Touchpoint

CUSTOMER_SELECT = ", ".join(field.column for field in FIELDS) + ", extra"


def to_date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _tags(text: str | None) -> tuple[str, ...]:
    return tuple(json.loads(text)) if text and text != "[]" else ()


_DECODE = {"tags": _tags, "date": to_date, "float": lambda value: value or 0.0}
_DECODERS = [(field.key, _DECODE.get(field.kind)) for field in FIELDS]


def customer_from_row(row: tuple) -> Customer:
    """A row of CUSTOMER_SELECT as a Customer."""
    fields = {
        key: decode(value) if decode else value
        for (key, decode), value in zip(_DECODERS, row, strict=False)
    }
    return Customer(**fields, extra=json.loads(row[-1]) if row[-1] else {})


def touchpoint_from_row(row: tuple) -> Touchpoint:
    touchpoint_id, customer_id, date, kind, note, amount = row
    return Touchpoint(touchpoint_id, customer_id, dt.date.fromisoformat(date), kind, note, amount)


# A promise is done on the day it was closed by hand, or fulfilled (store/derived.py).
FOLLOW_UP_COLUMNS = (
    "f.id, f.customer_id, f.due_on, f.note, coalesce(f.done_on, f.fulfilled_on), c.name"
)


def follow_up_from_row(row: tuple) -> FollowUp:
    follow_up_id, customer_id, due_on, note, done_on, customer_name = row
    return FollowUp(
        follow_up_id,
        customer_id,
        dt.date.fromisoformat(due_on),
        note,
        to_date(done_on),
        customer_name,
    )


REFERRAL_COLUMNS = (
    "r.id, r.referrer_id, a.name, a.email, r.referred_id, b.name, b.email, r.date, r.note, b.status"
)


def referral_from_row(row: tuple) -> Referral:
    """A row of REFERRAL_COLUMNS, in the Referral's own order, its date decoded."""
    return Referral(*row[:7], dt.date.fromisoformat(row[7]), *row[8:])
