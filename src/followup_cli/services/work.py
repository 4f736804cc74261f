"""`followup work`: the due list, one customer at a time, each answer written at once.

Each customer's answers (the contact, its note, the promise, the referral) are one change,
so `undo` takes a whole call back, and quitting or a kill loses nothing already answered.
"""

import datetime as dt
from dataclasses import dataclass

from followup_cli.dates import yearly
from followup_cli.dates.phrases import parse_future
from followup_cli.errors import NotFoundError
from followup_cli.models import Customer, FollowUp, Referral, Touchpoint
from followup_cli.services.due import due_list
from followup_cli.services.referrals import ReferredPerson, refer_within
from followup_cli.services.touchpoints import record_touchpoint
from followup_cli.store import Store
from followup_cli.values import clean_text, is_email

OUTCOMES = {"c": "call", "e": "email", "v": "visit", "m": "message"}


@dataclass(frozen=True)
class Context:
    """What a screen shows of one customer besides the due reason."""

    customer: Customer
    touchpoints: list[Touchpoint]
    open_follow_ups: list[FollowUp]
    referrals_made: list[Referral]
    dates: list[str]  # the customer's birthday and anniversary, and when they come round


def round_of(store: Store, today: dt.date, days: int, limit: int, tag: str | None):
    """The due list, exactly as `due` orders it."""
    return due_list(store, today, days=days, limit=limit, tag=tag).entries


def context_of(store: Store, customer_id: int, today: dt.date) -> Context:
    customer = _still_there(store, customer_id)
    return Context(
        customer=customer,
        touchpoints=[tp for tp, _ in store.touchpoints.where(customer_id, None, None, 3)],
        open_follow_ups=store.follow_ups.open_of(customer_id),
        referrals_made=store.referrals.listed(referrer_id=customer_id),
        dates=yearly.described(customer, today),
    )


class CustomerGone(NotFoundError):
    """The customer on screen was deleted or merged elsewhere (another terminal, a tool)."""


def _still_there(store: Store, customer_id: int) -> Customer:
    customer = store.customers.by_id(customer_id)
    if customer is None:
        raise CustomerGone("this customer was deleted or merged elsewhere; on to the next")
    return customer


def promise_day(text: str, today: dt.date, date_order: str | None) -> dt.date:
    """A promised day as `--next` reads it (the screen asks again when it cannot)."""
    return parse_future(text, today, date_order)


def referred_person(text: str) -> ReferredPerson:
    """ "NAME [EMAIL]": the last word is the email when it is an address."""
    words = text.split()
    if len(words) > 1 and is_email(words[-1]):
        return ReferredPerson(name=" ".join(words[:-1]), email=words[-1])
    return ReferredPerson(name=text.strip())


def record_contact(store: Store, customer: Customer, kind: str, today: dt.date) -> tuple:
    """The contact, saved at once; returns (its change, its touchpoint) for the answers
    that follow, which join the same change."""
    with store.transaction(f"work: {kind} with {customer.name} on {today.isoformat()}"):
        _still_there(store, customer.id)
        touchpoint_id, _ = record_touchpoint(store, customer.id, today, kind, None, None)
        change = store.journal.current()
    return change, touchpoint_id


def _answer(store: Store, change: int, customer: Customer, what: str):
    """A later answer joins the customer's change; if that was undone elsewhere meanwhile,
    the answer is kept as a change of its own."""
    return store.transaction(f"work: {what} for {customer.name}", continues=change)


def add_note(store: Store, change: int, customer: Customer, touchpoint_id: int, note: str) -> int:
    """Returns the change the answer joined, for the next answer."""
    with _answer(store, change, customer, "note"):
        _still_there(store, customer.id)
        store.touchpoints.update(touchpoint_id, {"note": clean_text(note, "note")})
        return store.journal.current()


def add_promise(
    store: Store, change: int, customer: Customer, day: dt.date, note: str | None, today
) -> int:
    with _answer(store, change, customer, f"promise for {day.isoformat()}"):
        _still_there(store, customer.id)
        store.follow_ups.insert(customer.id, day, note, today)
        return store.journal.current()


def add_referral(
    store: Store, change: int, customer: Customer, person: ReferredPerson, today: dt.date
) -> int:
    with _answer(store, change, customer, f"referral of {person.name}"):
        refer_within(store, _still_there(store, customer.id), person, today, None, today)
        return store.journal.current()


def later(store: Store, customer: Customer, day: dt.date, today: dt.date) -> None:
    """Call back on `day`: the customer's oldest open promise moves there, or one is made."""
    with store.transaction(f"work: call {customer.name} later, on {day.isoformat()}"):
        _still_there(store, customer.id)
        open_ones = store.follow_ups.open_of(customer.id)
        if open_ones:
            store.follow_ups.move(open_ones[0].id, day)
        else:
            store.follow_ups.insert(customer.id, day, "call back", today)
