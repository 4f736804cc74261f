"""Promised follow-ups: make one, see what is coming, mark one done, move one.

A promise belongs to a customer and a day. `done` and `snooze` act on the customer's oldest
open one, the promise that is most overdue, so the common case needs no id.
"""

import datetime as dt
from dataclasses import dataclass

from followup_cli import values
from followup_cli.dates.phrases import parse_future
from followup_cli.errors import InvalidInputError, NotFoundError
from followup_cli.models import TOUCHPOINT_KINDS, Customer, FollowUp
from followup_cli.services.lookup import resolve_customer
from followup_cli.services.touchpoints import record_touchpoint
from followup_cli.store import Store


def schedule(
    store: Store,
    reference: str,
    when: str,
    note: str | None,
    today: dt.date,
    date_order: str | None = None,
) -> FollowUp:
    due_on = parse_future(when, today, date_order)
    note = values.clean_text(note, "note")
    with store.transaction():
        customer = resolve_customer(store, reference)
        follow_up_id = store.insert_follow_up(customer.id, due_on, note, today)
    return store.follow_up_by_id(follow_up_id)


def agenda(store: Store, today: dt.date, days: int) -> list[FollowUp]:
    """Open follow-ups due within `days` from today, the overdue ones first."""
    return store.open_follow_ups_until(today + dt.timedelta(days=days))


def _oldest_open(store: Store, customer: Customer) -> FollowUp:
    open_ones = store.open_follow_ups_of(customer.id)
    if not open_ones:
        raise NotFoundError(
            f"{customer.name} has no open follow-up; promise one with "
            f"`followup schedule {customer.id} WHEN`"
        )
    return open_ones[0]


@dataclass(frozen=True)
class Done:
    follow_up: FollowUp
    logged_kind: str | None


def done(
    store: Store, reference: str, note: str | None, today: dt.date, log_kind: str | None = None
) -> Done:
    note = values.clean_text(note, "note")
    if log_kind is not None:
        log_kind = log_kind.strip().lower()
        if log_kind not in TOUCHPOINT_KINDS:
            raise InvalidInputError(f"--log {log_kind!r}: use one of {', '.join(TOUCHPOINT_KINDS)}")
    with store.transaction():
        customer = resolve_customer(store, reference)
        follow_up = _oldest_open(store, customer)
        store.close_follow_ups([follow_up.id], today, note or "done")
        if log_kind:
            record_touchpoint(store, customer.id, today, log_kind, note, None)
    return Done(follow_up, log_kind)


def snooze(
    store: Store, reference: str, when: str, today: dt.date, date_order: str | None = None
) -> tuple[FollowUp, FollowUp]:
    """(before, after) of the customer's oldest open follow-up, moved to WHEN."""
    due_on = parse_future(when, today, date_order)
    with store.transaction():
        customer = resolve_customer(store, reference)
        follow_up = _oldest_open(store, customer)
        store.move_follow_up(follow_up.id, due_on)
    return follow_up, store.follow_up_by_id(follow_up.id)
