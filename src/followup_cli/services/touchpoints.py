"""Logging a touchpoint: the one-line habit the whole tool depends on.

Logging a contact resets the customer's silence clock and closes the follow-ups it fulfils
(those due on or before its date), so a logged call is never also nagged about.
"""

import datetime as dt

from followup_cli import values
from followup_cli.dates.phrases import parse_future, parse_past
from followup_cli.errors import InvalidInputError
from followup_cli.models import CONTACT_KINDS, TOUCHPOINT_KINDS, FollowUp, LoggedTouchpoint
from followup_cli.services.lookup import resolve_customer
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
        raise InvalidInputError(f"--amount goes with a sale, not a {kind}; log it as `sale`")
    note = values.clean_text(" ".join(remaining), "note")
    return kind, note


def record_touchpoint(
    store: Store,
    customer_id: int,
    date: dt.date,
    kind: str,
    note: str | None,
    amount: float | None,
) -> tuple[int, list[FollowUp]]:
    """Insert a touchpoint and close the follow-ups a contact on that date fulfils.

    Runs inside the caller's transaction; returns the new id and the follow-ups closed.
    """
    created_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    touchpoint_id = store.insert_touchpoint(customer_id, date, kind, note, amount, created_at)
    closed: list[FollowUp] = []
    if kind in CONTACT_KINDS:
        closed = [due for due in store.open_follow_ups_of(customer_id) if due.due_on <= date]
        store.close_follow_ups(
            (due.id for due in closed), date, f"{kind} logged for {date.isoformat()}"
        )
    return touchpoint_id, closed


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
    if amount is not None and not (abs(amount) < 1e12):
        raise InvalidInputError(f"--amount {amount} is not a usable amount")
    date = parse_past(when, today, date_order) if when is not None else today
    next_date = parse_future(next_when, today, date_order) if next_when is not None else None
    with store.transaction("log"):
        customer = resolve_customer(store, reference)
        store.describe_change(f"log {kind} with {customer.name} on {date.isoformat()}")
        touchpoint_id, closed = record_touchpoint(store, customer.id, date, kind, note, amount)
        next_follow_up = None
        if next_date:
            follow_up_id = store.insert_follow_up(customer.id, next_date, note, today)
            next_follow_up = store.follow_up_by_id(follow_up_id)
    touchpoint = next(tp for tp in store.touchpoints_of(customer.id) if tp.id == touchpoint_id)
    return LoggedTouchpoint(
        customer=store.customer_by_id(customer.id),
        touchpoint=touchpoint,
        next_follow_up=next_follow_up,
        closed_follow_ups=tuple(closed),
    )
