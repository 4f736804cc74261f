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
from dataclasses import dataclass

from followup_cli import values
from followup_cli.models import DEFAULT_CADENCE_DAYS
from followup_cli.store import Store


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
    """The points above are counted by the store (store/insights.py, `warmth_ranked`), which
    scores the whole book in SQLite and hands the rows over warmest first; here the ties at
    the cut are ordered and each chosen customer's reason is written."""
    wanted = values.clean_tags([tag])[0] if tag else None
    unwanted = values.clean_tags([exclude_tag])[0] if exclude_tag else None
    rows = store.warmth_ranked(today, DEFAULT_CADENCE_DAYS, wanted, unwanted)
    chosen = []
    for row in rows:
        if limit and len(chosen) >= limit and row[-1] < chosen[limit - 1][-1]:
            break  # past the last score that can still make the cut
        chosen.append(row)
    chosen.sort(key=lambda row: (-row[-1], -_ordinal(row[2]), row[1].casefold()))
    return [_pitch(store, row, today) for row in (chosen[:limit] if limit else chosen)]


def _pitch(store: Store, row: tuple, today: dt.date) -> Pitch:
    customer_id, name, last, silent, _, sales, referred, touches, contact, _, score = row
    reasons = []
    if contact == 3:
        reasons.append(f"in touch ({values.count_of(silent, 'day')} ago)")
    elif contact == 1:
        reasons.append(f"last contact {values.count_of(silent, 'day')} ago")
    if sales:
        count, first_sale = store.sales_of(customer_id, today)
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
