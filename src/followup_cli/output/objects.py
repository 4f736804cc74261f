"""Models as the objects and rows people and scripts read.

Each view gives the same facts to every format: a JSON object per record (keys locked by the
tests) and the column order for tables and CSV. Nothing here prints.
"""

import datetime as dt

from followup_cli.customer_fields import FIELDS, LIST_KEYS
from followup_cli.models import Customer, DueEntry, FollowUp, Referral, Touchpoint

CUSTOMER_COLUMNS = list(LIST_KEYS)
DUE_COLUMNS = [
    "id",
    "name",
    "email",
    "phone",
    "last_contact",
    "days_since",
    "cadence_days",
    "reason",
]
DUE_TERMINAL_COLUMNS = ["id", "name", "email", "phone", "last_contact", "reason"]
# A team's due list says whose books hold the customer and who spoke to them last.
TEAM_DUE_COLUMNS = [*DUE_COLUMNS[:-1], "reps", "last_contact_by", "reason"]
TEAM_DUE_TERMINAL_COLUMNS = ["id", "name", "reps", "last_contact", "reason"]
REP_FIGURES_COLUMNS = ["rep", "customers", "coverage", "referral_rate", "touchpoints"]
REFERRAL_COLUMNS = ["referrer", "referrer_email", "referred", "referred_email", "date", "note"]
TOUCHPOINT_COLUMNS = ["id", "date", "kind", "note", "amount"]
TOUCHPOINT_LIST_COLUMNS = ["id", "date", "name", "kind", "note", "amount"]
FOLLOW_UP_COLUMNS = ["due_on", "customer", "note"]


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


_ENCODE = {"tags": list, "date": iso}
_ENCODERS = [(field.key, _ENCODE.get(field.kind)) for field in FIELDS]


def customer_object(customer: Customer) -> dict:
    """Every field of customer_fields.FIELDS, by its key, in its order."""
    return {
        key: encode(getattr(customer, key)) if encode else getattr(customer, key)
        for key, encode in _ENCODERS
    }


def due_object(entry: DueEntry) -> dict:
    customer = entry.customer
    return {
        "id": customer.id,
        "name": customer.name,
        "email": customer.email,
        "phone": customer.phone,
        "last_contact": iso(customer.last_contact),
        "days_since": entry.days_since,
        "cadence_days": entry.cadence_days,
        "reason": entry.reason,
        "status": customer.status,
        "sales_total": customer.sales_total,
    }


def team_due_object(entry: DueEntry, reps: list[str], last_contact_by: str | None) -> dict:
    return due_object(entry) | {"reps": reps, "last_contact_by": last_contact_by}


def rep_figures_object(figures) -> dict:
    """One rep's line of `team stats` (services/team_view.RepFigures), every field."""
    shaped = figures._asdict()
    for share in ("coverage", "referral_rate"):
        shaped[share] = round(shaped[share], 4)
    return shaped


def referral_object(referral: Referral) -> dict:
    return {
        "id": referral.id,
        "referrer_id": referral.referrer_id,
        "referred_id": referral.referred_id,
        "referrer": referral.referrer,
        "referrer_email": referral.referrer_email,
        "referred": referral.referred,
        "referred_email": referral.referred_email,
        "date": iso(referral.date),
        "note": referral.note,
        "referred_status": referral.referred_status,
    }


def touchpoint_object(touchpoint: Touchpoint) -> dict:
    return {
        "id": touchpoint.id,
        "customer_id": touchpoint.customer_id,
        "date": iso(touchpoint.date),
        "kind": touchpoint.kind,
        "note": touchpoint.note,
        "amount": touchpoint.amount,
    }


def follow_up_object(follow_up: FollowUp) -> dict:
    return {
        "id": follow_up.id,
        "customer_id": follow_up.customer_id,
        "name": follow_up.customer_name,
        "customer": follow_up.customer_name,
        "due_on": iso(follow_up.due_on),
        "note": follow_up.note,
    }


def cell(value) -> str:
    """How one value reads in a table cell or a CSV field."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ",".join(str(item) for item in value)
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    return str(value)


def rows_of(objects: list[dict], columns: list[str]) -> list[list[str]]:
    return [[cell(item.get(column)) for column in columns] for item in objects]


AGENDA_COLUMNS = ["id", "due_on", "when", "customer", "note"]


def digest_object(digest) -> dict:
    return {
        "date": iso(digest.today),
        "overdue": [
            follow_up_object(f) | {"days_late": (digest.today - f.due_on).days}
            for f in digest.overdue
        ],
        "due_today": [follow_up_object(f) for f in digest.due_today],
        "dates": [due_object(entry) for entry in digest.dates],
        "stale": [due_object(entry) for entry in digest.silent],
        "referrals_to_thank": [referral_object(r) for r in digest.to_thank],
    }
