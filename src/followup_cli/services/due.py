"""The due list: whom to call first, and why.

Order: anyone with an overdue promised follow-up (customer or prospect): a promise broken
costs trust first. Then a birthday or anniversary in the coming week, soonest first, whatever
the cadence: the day passes, and a call on it is the appreciation the silence lacks. Then
active customers never contacted, then the longest silence beyond their cadence, ties broken
by total sales and name. A customer with a follow-up already planned for later is handled
and left out of the silent ones, unless the caller asks for everyone; a birthday still counts.
"""

import datetime as dt
from itertools import islice
from typing import NamedTuple

from followup_cli import values
from followup_cli.models import DEFAULT_CADENCE_DAYS, IMPORTED_KIND, Customer, DueEntry
from followup_cli.store import Store


class DueList(NamedTuple):
    entries: list[DueEntry]
    left_out_planned: int


def due_list(
    store: Store,
    today: dt.date,
    days: int = DEFAULT_CADENCE_DAYS,
    limit: int = 10,
    tag: str | None = None,
    as_of: dt.date | None = None,
    include_planned: bool = False,
    promises: bool = True,
    dates: bool = True,
) -> DueList:
    """`promises=False` and `dates=False` leave overdue promises and the coming week's
    birthdays and anniversaries to the caller (remind lists them apart)."""
    as_of = as_of or today
    tag = values.clean_tags([tag])[0] if tag else None
    entries: list[DueEntry] = []
    overdue = store.follow_ups.open_until(as_of - dt.timedelta(days=1)) if promises else []
    promised = list(dict.fromkeys(follow_up.customer_id for follow_up in overdue))
    with_cadence = store.customers.with_cadence(promised, days)
    for follow_up in overdue:
        if follow_up.customer_id not in with_cadence:
            continue
        customer, cadence, _ = with_cadence.pop(follow_up.customer_id)
        if customer.status == "lost" or (tag and tag not in customer.tags):
            continue
        late = (as_of - follow_up.due_on).days
        reason = f"promised follow-up {follow_up.due_on.isoformat()} is {_days(late)} overdue"
        if follow_up.note:
            reason += f" ({follow_up.note})"
        entries.append(DueEntry(customer, _days_since(customer, as_of), cadence, reason))
    listed = {entry.customer.id for entry in entries}
    if dates:
        entries += [e for e in coming_dates(store, as_of, days, tag) if e.customer.id not in listed]
        listed = {entry.customer.id for entry in entries}
    planned = set() if include_planned else store.follow_ups.customers_with_open_after(as_of)
    left_out = 0
    silent = store.customers.due_by_silence(as_of, days, tag, contacted_since_as_of=as_of < today)
    for customer, cadence, cadence_tag in silent:
        if limit and len(entries) >= limit:
            break
        if customer.id in listed:
            continue
        if customer.id in planned:
            left_out += 1
            continue
        days_since = _days_since(customer, as_of)
        if days_since is None:
            reason = "never contacted"
        else:
            kind = customer.last_contact_kind
            last = "contact (imported)" if kind in (None, IMPORTED_KIND) else kind
            reason = f"{_days(days_since)} since last {last} ({_source(customer, cadence_tag)} "
            reason += f"{_days(cadence)})"
        entries.append(DueEntry(customer, days_since, cadence, reason))
    return DueList(list(islice(entries, limit or None)), left_out)


def coming_dates(
    store: Store, as_of: dt.date, days: int = DEFAULT_CADENCE_DAYS, tag: str | None = None
) -> list[DueEntry]:
    """Customers (not lost) whose birthday or anniversary falls today through a week ahead,
    soonest first, each with every such date in the reason."""
    from followup_cli.dates import yearly

    found = store.customers.with_yearly_dates_on(yearly.soon_keys(as_of))
    if not found:
        return []
    last_day = as_of + dt.timedelta(days=yearly.SOON_DAYS)
    ranked = []
    for customer, cadence, _ in store.customers.with_cadence(found, days).values():
        if tag and tag not in customer.tags:
            continue
        coming = sorted(
            (yearly.next_on(value, as_of), key, value)
            for key in yearly.YEARLY_KEYS
            if (value := getattr(customer, key)) and yearly.next_on(value, as_of) <= last_day
        )
        reason = "; ".join(yearly.reason(key, value, as_of) for _, key, value in coming)
        entry = DueEntry(customer, _days_since(customer, as_of), cadence, reason)
        ranked.append((coming[0][0], customer.name.casefold(), customer.id, entry))
    return [entry for *_, entry in sorted(ranked)]


def _days(count: int) -> str:
    return values.count_of(count, "day")


def _days_since(customer: Customer, as_of: dt.date) -> int | None:
    return (as_of - customer.last_contact).days if customer.last_contact else None


def _source(customer: Customer, cadence_tag: str | None) -> str:
    """Where the cadence comes from, in words for the reason column."""
    if customer.cadence_days:
        return "own cadence"
    return f"tag {cadence_tag}:" if cadence_tag else "cadence"
