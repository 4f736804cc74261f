"""Whom to offer something new first: active customers ranked by how warm they are.

Warmth, in points (each part is in the reason, so the ranking can be argued with):
- contact: within their cadence +3, within twice it +1;
- touchpoints in the last 12 months: +0.5 each, at most +5;
- purchases: exactly one sale ever +4 (a second purchase is what keeps a customer),
  two or more +2;
- referrals made: +2 each, at most +6.
Ties go to the more recent contact, then the name.
"""

import datetime as dt
import heapq
from dataclasses import dataclass

from followup_cli import values
from followup_cli.models import DEFAULT_CADENCE_DAYS
from followup_cli.store import Store
from followup_cli.store.derived import within_cadence

_MOST_FROM_TODAY = 3 + 5  # in touch, and touchpoints this year


@dataclass(frozen=True)
class Pitch:
    customer_id: int
    name: str
    score: float
    reason: str
    last_contact: str | None


def pitch_list(
    store: Store,
    today: dt.date,
    limit: int = 20,
    tag: str | None = None,
    exclude_tag: str | None = None,
) -> list[Pitch]:
    """The parts of warmth that do not depend on today come from the store's summaries,
    highest first; once even a perfect contact and a full year of touchpoints could not lift
    the next customer to the cut, the rest are not read."""
    wanted = values.clean_tags([tag])[0] if tag else None
    unwanted = values.clean_tags([exclude_tag])[0] if exclude_tag else None
    store.summaries_current()
    scored = []
    cut = []  # the best `limit` scores so far, lowest first
    for row in store.insights.warmth_ranked(today, DEFAULT_CADENCE_DAYS, wanted, unwanted):
        if limit and len(cut) == limit and row[-1] + _MOST_FROM_TODAY < cut[0]:
            break
        scored.append(_scored(row))
        if limit:
            heapq.heappush(cut, scored[-1][-1])
            if len(cut) > limit:
                heapq.heappop(cut)
    scored.sort(key=lambda row: (-row[-1], -_ordinal(row[2]), row[1].casefold()))
    return [_pitch(store, row, today) for row in (scored[:limit] if limit else scored)]


def _scored(row: tuple) -> tuple:
    """The row with today's parts of warmth added: (..., contact points, score)."""
    *facts, warmth = row
    silent, cadence, touches = facts[3], facts[4], facts[7]
    contact = 0
    if silent is not None:
        if within_cadence(silent, cadence):
            contact = 3
        elif within_cadence(silent, cadence, times=2):
            contact = 1
    return (*facts, contact, warmth + contact + min(touches * 0.5, 5))


def _pitch(store: Store, row: tuple, today: dt.date) -> Pitch:
    customer_id, name, last, silent, _, sales, referred, touches, contact, score = row
    reasons = []
    if contact == 3:
        reasons.append(f"in touch ({values.count_of(silent, 'day')} ago)")
    elif contact == 1:
        reasons.append(f"last contact {values.count_of(silent, 'day')} ago")
    if sales:
        count, first_sale = store.insights.sales_of(customer_id, today)
        if count == 1:
            reasons.append(f"bought once ({first_sale}), ripe for a second")
        else:
            reasons.append(f"bought {count} times")
    if referred:
        reasons.append(f"referred {referred}")
    if touches:
        shown = (
            "10 or more touchpoints" if touches == 10 else values.count_of(touches, "touchpoint")
        )
        reasons.append(f"{shown} this year")
    return Pitch(customer_id, name, score, "; ".join(reasons) or "no history yet", last)


def _ordinal(day: str | None) -> int:
    return dt.date.fromisoformat(day).toordinal() if day else 0
