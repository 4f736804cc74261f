"""Rows to models: the one place that knows how columns are encoded (ISO dates, JSON tags)."""

import datetime as dt
import json

from followup_cli.models import Customer, FollowUp, Referral, Touchpoint

CUSTOMER_COLUMNS = (
    "id, name, email, phone, company, tags, notes, status, cadence_days, created_on, "
    "last_contact_on, last_contact_kind, sales_total, extra"
)


def to_date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def customer_from_row(row: tuple) -> Customer:
    (
        customer_id,
        name,
        email,
        phone,
        company,
        tags,
        notes,
        status,
        cadence_days,
        created_on,
        last_contact_on,
        last_contact_kind,
        sales_total,
        extra,
    ) = row
    return Customer(
        id=customer_id,
        name=name,
        email=email,
        phone=phone,
        company=company,
        tags=tuple(json.loads(tags)) if tags and tags != "[]" else (),
        notes=notes,
        status=status,
        cadence_days=cadence_days,
        created_on=to_date(created_on),
        last_contact=to_date(last_contact_on),
        last_contact_kind=last_contact_kind,
        sales_total=sales_total or 0.0,
        extra=json.loads(extra) if extra else {},
    )


def touchpoint_from_row(row: tuple) -> Touchpoint:
    touchpoint_id, customer_id, date, kind, note, amount = row
    return Touchpoint(touchpoint_id, customer_id, dt.date.fromisoformat(date), kind, note, amount)


FOLLOW_UP_COLUMNS = "f.id, f.customer_id, f.due_on, f.note, f.done_on, c.name"


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
    (
        referral_id,
        referrer_id,
        referrer,
        referrer_email,
        referred_id,
        referred,
        referred_email,
        date,
        note,
        referred_status,
    ) = row
    return Referral(
        referral_id,
        referrer_id,
        referrer,
        referrer_email,
        referred_id,
        referred,
        referred_email,
        dt.date.fromisoformat(date),
        note,
        referred_status,
    )
