"""Promised follow-ups: make one, see what is coming, mark one done, move one.

A promise belongs to a customer and a day. `done`, `snooze` and `cancel` act on the
customer's oldest open one, the promise that is most overdue, so the common case needs no
id; `--id` picks another.
"""

import datetime as dt
from typing import NamedTuple

from followup_cli import values
from followup_cli.dates.phrases import parse_future
from followup_cli.errors import InvalidInputError, NotFoundError
from followup_cli.models import TOUCHPOINT_KINDS, FollowUp
from followup_cli.services.lookup import MAX_ID, resolve_customer
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
    with store.transaction("schedule"):
        customer = resolve_customer(store, reference)
        store.journal.describe(f"promise {customer.name} a follow-up on {due_on.isoformat()}")
        follow_up_id = store.follow_ups.insert(customer.id, due_on, note, today)
    return store.follow_ups.by_id(follow_up_id)


def agenda(store: Store, today: dt.date, days: int) -> list[FollowUp]:
    """Open follow-ups due within `days` from today, the overdue ones first."""
    return store.follow_ups.open_until(today + dt.timedelta(days=days))


def _chosen(store: Store, reference: str | None, follow_up_id: int | None) -> FollowUp:
    """The promise meant: the one with that id (`--id`, as `agenda` shows), which must be
    the customer's when one is named too; else the customer's oldest open one."""
    if follow_up_id is None:
        if reference is None:
            raise InvalidInputError("name the customer, or the follow-up with --id")
        customer = resolve_customer(store, reference)
        open_ones = store.follow_ups.open_of(customer.id)
        if not open_ones:
            raise NotFoundError(
                f"{customer.name} has no open follow-up; promise one with "
                f"`followup schedule {customer.id} WHEN`"
            )
        return open_ones[0]
    follow_up = store.follow_ups.by_id(follow_up_id) if follow_up_id <= MAX_ID else None
    if follow_up is None or follow_up.done_on is not None:
        raise NotFoundError(f"no open follow-up has id {follow_up_id}; see `followup agenda`")
    if reference is not None and resolve_customer(store, reference).id != follow_up.customer_id:
        raise InvalidInputError(
            f"follow-up {follow_up_id} is {follow_up.customer_name}'s, not {reference!r}'s"
        )
    return follow_up


class Done(NamedTuple):
    follow_up: FollowUp
    logged_kind: str | None
    also_fulfilled: list[FollowUp]  # older promises the logged contact fulfilled too


def done(
    store: Store,
    reference: str | None,
    note: str | None,
    today: dt.date,
    log_kind: str | None = None,
    follow_up_id: int | None = None,
) -> Done:
    note = values.clean_text(note, "note")
    if log_kind is not None:
        log_kind = log_kind.strip().lower()
        if log_kind not in TOUCHPOINT_KINDS:
            raise InvalidInputError(f"--log {log_kind!r}: use one of {', '.join(TOUCHPOINT_KINDS)}")
    with store.transaction("done"):
        follow_up = _chosen(store, reference, follow_up_id)
        store.journal.describe(
            f"mark done the follow-up with {follow_up.customer_name} due "
            f"{follow_up.due_on.isoformat()}"
        )
        store.follow_ups.close(follow_up.id, today, note or "done")
        also_fulfilled = []
        if log_kind:
            _, also_fulfilled = record_touchpoint(
                store, follow_up.customer_id, today, log_kind, note, None
            )
    return Done(follow_up, log_kind, also_fulfilled)


def snooze(
    store: Store,
    reference: str | None,
    when: str,
    today: dt.date,
    date_order: str | None = None,
    follow_up_id: int | None = None,
) -> tuple[FollowUp, FollowUp]:
    """(before, after) of the promise, moved to WHEN."""
    due_on = parse_future(when, today, date_order)
    with store.transaction("snooze"):
        follow_up = _chosen(store, reference, follow_up_id)
        store.journal.describe(
            f"move the follow-up with {follow_up.customer_name} from "
            f"{follow_up.due_on.isoformat()} to {due_on.isoformat()}"
        )
        store.follow_ups.move(follow_up.id, due_on)
    return follow_up, store.follow_ups.by_id(follow_up.id)


def cancel(
    store: Store, reference: str | None, today: dt.date, follow_up_id: int | None = None
) -> FollowUp:
    """Close a promise without logging a contact (it was made twice, or is moot)."""
    with store.transaction("cancel"):
        follow_up = _chosen(store, reference, follow_up_id)
        store.journal.describe(
            f"cancel the follow-up with {follow_up.customer_name} due "
            f"{follow_up.due_on.isoformat()}"
        )
        store.follow_ups.close(follow_up.id, today, "cancelled")
    return follow_up
