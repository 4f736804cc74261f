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
import json
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
    wanted = values.clean_tags([tag])[0] if tag else None
    unwanted = values.clean_tags([exclude_tag])[0] if exclude_tag else None
    facts = store.warmth_facts(today - dt.timedelta(days=365), today)
    last = store.last_contacts_before(today, today)
    ranked = []
    for customer_id, name, _, cadence, tags_json in store.active_customers_with_cadence(
        DEFAULT_CADENCE_DAYS, today
    ):
        tags = json.loads(tags_json or "[]")
        if (wanted and wanted not in tags) or (unwanted and unwanted in tags):
            continue
        touches, sales, first_sale, referred = facts.get(customer_id, (0, 0, None, 0))
        score, reasons = 0.0, []
        if customer_id in last:
            silent = (today - dt.date.fromisoformat(last[customer_id])).days
            if silent <= cadence:
                score += 3
                reasons.append(f"in touch ({values.count_of(silent, 'day')} ago)")
            elif silent <= 2 * cadence:
                score += 1
                reasons.append(f"last contact {values.count_of(silent, 'day')} ago")
        if sales == 1:
            score += 4
            reasons.append(f"bought once ({first_sale}), ripe for a second")
        elif sales > 1:
            score += 2
            reasons.append(f"bought {sales} times")
        if referred:
            score += 2 * min(referred, 3)
            reasons.append(f"referred {referred}")
        if touches:
            score += min(touches * 0.5, 5)
            reasons.append(f"{values.count_of(touches, 'touchpoint')} this year")
        ranked.append(
            Pitch(
                customer_id,
                name,
                score,
                "; ".join(reasons) or "no history yet",
                last.get(customer_id),
            )
        )
    ranked.sort(key=lambda p: (-p.score, -_ordinal(p.last_contact), p.name.casefold()))
    return ranked[:limit] if limit else ranked


def _ordinal(day: str | None) -> int:
    return dt.date.fromisoformat(day).toordinal() if day else 0
