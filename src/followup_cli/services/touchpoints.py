"""Logging a touchpoint: the one-line habit the whole tool depends on.

Logging a contact resets the customer's silence clock and fulfils the promises due on or
before its date (store/derived.py), so a logged call is never also nagged about.
"""

import datetime as dt
from dataclasses import dataclass

from followup_cli import values
from followup_cli.dates.phrases import parse_future, parse_past
from followup_cli.errors import InvalidInputError, NotFoundError, unknown_kind
from followup_cli.models import (
    IMPORTED_KIND,
    TOUCHPOINT_KINDS,
    FollowUp,
    LoggedTouchpoint,
    Touchpoint,
)
from followup_cli.services.lookup import MAX_ID, resolve_customer
from followup_cli.store import Store

DEFAULT_KIND = "call"


def split_kind_and_note(words: list[str], amount: float | None) -> tuple[str, str | None]:
    """`log ana meeting "lunch"` has a kind; `log ana "talked renewal"` is a call with a note."""
    remaining = list(words)
    kind = None
    if remaining and remaining[0].strip().lower() in TOUCHPOINT_KINDS:
        kind = remaining.pop(0).strip().lower()
    if kind is None:
        kind = "sale" if amount is not None else DEFAULT_KIND
    elif amount is not None and kind != "sale":
        raise _amount_without_sale(kind)
    note = values.clean_text(" ".join(remaining), "note")
    return kind, note


def _amount_without_sale(kind: str) -> InvalidInputError:
    return InvalidInputError(
        f"--amount goes with a sale, not {values.a_or_an(kind)}; make it a `sale`"
    )


def record_touchpoint(
    store: Store,
    customer_id: int,
    date: dt.date,
    kind: str,
    note: str | None,
    amount: float | None,
) -> tuple[int, list[FollowUp]]:
    """Insert a touchpoint; returns its id and the promises it fulfilled (store/derived.py
    decides which). Runs inside the caller's transaction."""
    created_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    waiting = store.follow_ups.open_of(customer_id)
    touchpoint_id = store.touchpoints.insert(customer_id, date, kind, note, amount, created_at)
    store.bring_derived_up_to_date()
    still_open = {follow_up.id for follow_up in store.follow_ups.open_of(customer_id)}
    return touchpoint_id, [follow_up for follow_up in waiting if follow_up.id not in still_open]


def log_touchpoint(
    store: Store,
    reference: str,
    words: list[str],
    today: dt.date,
    when: str | None = None,
    next_when: str | None = None,
    amount: float | None = None,
    date_order: str | None = None,
) -> LoggedTouchpoint:
    kind, note = split_kind_and_note(words, amount)
    amount = values.clean_amount(amount)
    date = parse_past(when, today, date_order) if when is not None else today
    next_date = parse_future(next_when, today, date_order) if next_when is not None else None
    with store.transaction("log"):
        customer = resolve_customer(store, reference)
        store.journal.describe(f"log {kind} with {customer.name} on {date.isoformat()}")
        repeated = store.touchpoints.same_that_day(customer.id, date, kind)
        touchpoint_id, closed = record_touchpoint(store, customer.id, date, kind, note, amount)
        next_follow_up = None
        if next_date:
            follow_up_id = store.follow_ups.insert(customer.id, next_date, note, today)
            next_follow_up = store.follow_ups.by_id(follow_up_id)
    touchpoint = next(tp for tp in store.touchpoints.of(customer.id) if tp.id == touchpoint_id)
    return LoggedTouchpoint(
        customer=store.customers.by_id(customer.id),
        touchpoint=touchpoint,
        next_follow_up=next_follow_up,
        closed_follow_ups=tuple(closed),
        repeated=repeated,
    )


def list_touchpoints(
    store: Store,
    reference: str | None,
    kind: str | None,
    since: str | None,
    limit: int,
    today: dt.date,
    date_order: str | None = None,
) -> list[tuple[Touchpoint, str]]:
    """Newest first, each with its customer's name."""
    customer_id = resolve_customer(store, reference).id if reference is not None else None
    since_day = parse_past(since, today, date_order, "list what has happened") if since else None
    return store.touchpoints.where(customer_id, _kind(kind) if kind else None, since_day, limit)


def _kind(text: str) -> str:
    kind = text.strip().lower()
    if kind not in TOUCHPOINT_KINDS and kind != IMPORTED_KIND:
        raise InvalidInputError(unknown_kind(text, TOUCHPOINT_KINDS))
    return kind


@dataclass(frozen=True)
class TouchpointChanges:
    """What `edit-touchpoint` was asked to change; None leaves a field as it is."""

    date: str | None = None
    kind: str | None = None
    note: str | None = None
    amount: float | None = None
    customer: str | None = None


def edit_touchpoint(
    store: Store,
    touchpoint_id: int,
    changes: TouchpointChanges,
    today: dt.date,
    date_order: str | None = None,
) -> Touchpoint:
    """What the customer's history derives (last contact, sales, promises) follows, for the
    old and the new customer alike (store/derived.py)."""
    updates: dict = {}
    if changes.date is not None:
        updates["date"] = parse_past(changes.date, today, date_order).isoformat()
    if changes.kind is not None:
        updates["kind"] = _kind(changes.kind)
    if changes.note is not None:
        updates["note"] = values.clean_text(changes.note, "note")
    if changes.amount is not None:
        updates["amount"] = values.clean_amount(changes.amount)
    with store.transaction("edit touchpoint"):
        before = _touchpoint(store, touchpoint_id)
        if changes.customer is not None:
            updates["customer_id"] = resolve_customer(store, changes.customer).id
        if not updates:
            raise InvalidInputError("nothing to change; give at least one option, see --help")
        kind = updates.get("kind", before.kind)
        if kind == "sale" and updates.get("amount", before.amount) is None:
            raise InvalidInputError("a sale needs an amount; give --amount")
        if kind != "sale" and "amount" in updates:
            raise _amount_without_sale(kind)
        if kind != "sale" and before.amount is not None:
            updates["amount"] = None  # a sale made another kind keeps no amount
        name = store.customers.by_id(before.customer_id).name
        store.journal.describe(f"edit touchpoint {touchpoint_id} ({before.kind} with {name})")
        store.touchpoints.update(touchpoint_id, updates)
    return store.touchpoints.by_id(touchpoint_id)


def delete_touchpoint(store: Store, touchpoint_id: int) -> tuple[Touchpoint, str]:
    with store.transaction("delete touchpoint"):
        touchpoint = _touchpoint(store, touchpoint_id)
        name = store.customers.by_id(touchpoint.customer_id).name
        store.journal.describe(
            f"delete touchpoint {touchpoint_id} ({touchpoint.kind} with {name} on "
            f"{touchpoint.date.isoformat()})"
        )
        store.touchpoints.delete(touchpoint_id)
    return touchpoint, name


def _touchpoint(store: Store, touchpoint_id: int) -> Touchpoint:
    found = store.touchpoints.by_id(touchpoint_id) if touchpoint_id <= MAX_ID else None
    if found is None:
        raise NotFoundError(f"no touchpoint has id {touchpoint_id}; see `followup touchpoints`")
    return found
