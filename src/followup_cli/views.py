"""Models as the rows and objects people and scripts read.

Each view gives the same facts to every format: a JSON object per record (keys locked by the
tests) and the column order for tables and CSV. Nothing here prints.
"""

import datetime as dt

from followup_cli.models import Customer, DueEntry, FollowUp, Referral, Touchpoint

CUSTOMER_COLUMNS = [
    "id",
    "name",
    "email",
    "phone",
    "company",
    "tags",
    "status",
    "cadence_days",
    "last_contact",
]
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
REFERRAL_COLUMNS = ["referrer", "referrer_email", "referred", "referred_email", "date", "note"]
TOUCHPOINT_COLUMNS = ["date", "kind", "note", "amount"]
FOLLOW_UP_COLUMNS = ["due_on", "customer", "note"]


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def customer_object(customer: Customer) -> dict:
    return {
        "id": customer.id,
        "name": customer.name,
        "email": customer.email,
        "phone": customer.phone,
        "company": customer.company,
        "tags": list(customer.tags),
        "notes": customer.notes,
        "status": customer.status,
        "cadence_days": customer.cadence_days,
        "last_contact": iso(customer.last_contact),
        "last_contact_kind": customer.last_contact_kind,
        "sales_total": customer.sales_total,
        "created_on": iso(customer.created_on),
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


def referral_object(referral: Referral) -> dict:
    return {
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
        "date": iso(touchpoint.date),
        "kind": touchpoint.kind,
        "note": touchpoint.note,
        "amount": touchpoint.amount,
    }


def follow_up_object(follow_up: FollowUp) -> dict:
    return {
        "id": follow_up.id,
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
