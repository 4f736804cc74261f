"""Referrals: who sent whom to us. The referred person is linked if known, else added as a
prospect, so a referral can be recorded in the moment it is mentioned."""

import datetime as dt
from dataclasses import dataclass

from followup_cli import values
from followup_cli.dates.phrases import parse_past
from followup_cli.errors import InvalidInputError, NotFoundError
from followup_cli.models import Customer, Referral
from followup_cli.services.lookup import customer_named, refuse_taken_email, resolve_customer
from followup_cli.store import Store


@dataclass(frozen=True)
class ReferredPerson:
    name: str
    email: str | None = None
    phone: str | None = None
    company: str | None = None


@dataclass(frozen=True)
class RecordedReferral:
    referral: Referral
    referred_is_new: bool


def record_referral(
    store: Store,
    referrer_reference: str,
    person: ReferredPerson,
    today: dt.date,
    note: str | None = None,
    when: str | None = None,
    date_order: str | None = None,
) -> RecordedReferral:
    date = parse_past(when, today, date_order) if when is not None else today
    with store.transaction("refer"):
        referrer = resolve_customer(store, referrer_reference)
        store.journal.describe(f"{referrer.name} referred {person.name}")
        return refer_within(store, referrer, person, date, note, today)


def refer_within(
    store: Store,
    referrer: Customer,
    person: ReferredPerson,
    date: dt.date,
    note: str | None,
    today: dt.date,
) -> RecordedReferral:
    """The referral, inside the caller's transaction (`refer`, or a `work` round's change).
    NAME is the customer with that email, else that whole name, else a new prospect."""
    name = values.clean_name(person.name)
    email = values.clean_email(person.email)
    if email is None and values.is_email(name):
        email = name  # `refer ana bob@example.com`: the address is who is meant
    note = values.clean_text(note, "note")
    referred = customer_named(store, name, email)
    is_new = referred is None
    if referred is None:
        refuse_taken_email(store, email)
        referred_id = store.customers.insert(
            name=name,
            email=email,
            phone=values.clean_text(person.phone, "phone"),
            company=values.clean_text(person.company, "company"),
            status="prospect",
            notes=f"Referred by {referrer.name}",
            created_on=today,
        )
    else:
        referred_id = referred.id
    if referred_id == referrer.id:
        raise InvalidInputError(f"{referrer.name} cannot refer themselves")
    existing = store.referrals.between(referrer.id, referred_id)
    if existing:
        raise InvalidInputError(
            f"{referrer.name} referring {existing.referred} is already on file "
            f"(recorded for {existing.date.isoformat()})"
        )
    referral_id = store.referrals.insert(referrer.id, referred_id, date, note, today)
    referral = next(
        r for r in store.referrals.listed(referrer_id=referrer.id) if r.id == referral_id
    )
    return RecordedReferral(referral, is_new)


def list_referrals(store: Store, from_reference: str | None = None) -> list[Referral]:
    if from_reference:
        referrer = resolve_customer(store, from_reference)
        return store.referrals.listed(referrer_id=referrer.id)
    return store.referrals.listed()


def thank(
    store: Store, referrer_reference: str, referred_reference: str | None, today: dt.date
) -> list[Referral]:
    """Mark the referrer's unthanked referrals (or only the one of REFERRED) as thanked."""
    with store.transaction("thank"):
        referrer = resolve_customer(store, referrer_reference)
        store.journal.describe(f"thank {referrer.name}")
        pending = store.referrals.unthanked_of(referrer.id)
        if referred_reference:
            referred = resolve_customer(store, referred_reference)
            pending = [r for r in pending if r.referred_id == referred.id]
            if not pending:
                raise NotFoundError(f"{referrer.name} has no unthanked referral of {referred.name}")
        if not pending:
            raise NotFoundError(f"{referrer.name} has no referral waiting for thanks")
        store.referrals.mark_thanked([r.id for r in pending], today)
    return pending
