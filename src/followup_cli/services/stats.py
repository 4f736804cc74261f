"""The numbers behind "keep the customers you have": coverage, the referral baseline, repeat
sales and who is at risk. Every figure is defined here once; table and JSON print the same.

Definitions (the period is the `months` before `as_of`, as_of included):
- active customers: status `customer` now; their cadence resolves as in `due` (own, then the
  shortest tag cadence, then 30 days).
- coverage at a day: the share of customers active now and already known that day (added,
  or with a touchpoint dated, on or before it) whose
  last contact on or before that day is at most their cadence old (never contacted: not
  covered). Reported for as_of and for each of the 11 weeks before it; null for a week when
  no such customer was on file yet.
- referral rate: active customers who referred someone in the period, over active customers.
  The month-by-month trend uses the same denominator.
- repeat share: of the sales amount in the period, the part from a customer's second or later
  sale ever (first purchases are the rest).
- at risk: active customers whose last contact is more than twice their cadence ago.
"""

import datetime as dt
import json
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass

from followup_cli.models import DEFAULT_CADENCE_DAYS
from followup_cli.store import Store

COVERAGE_WEEKS = 12
TOP_REFERRERS = 5
AT_RISK_SHOWN = 5


@dataclass(frozen=True)
class Stats:
    as_of: str
    period_start: str
    months: int
    customers_by_status: dict[str, int]
    active_customers: int
    joined: int
    lost: int
    coverage: float
    covered: int
    coverage_by_week: list[dict]
    referral_rate: float
    referrers: int
    referrals: int
    referred_became_customers: int
    top_referrers: list[dict]
    referrals_by_month: list[dict]
    touchpoints_by_week: dict[str, list[int]]
    week_starts: list[str]
    sales_total: float
    sales_count: int
    sales_per_active_customer: float
    sales_per_buyer: float
    repeat_sales_share: float
    repeat_sales_total: float
    first_purchase_total: float
    at_risk: int
    at_risk_top: list[dict]

    def as_json(self) -> dict:
        return asdict(self)


def compute_stats(store: Store, as_of: dt.date, months: int, today: dt.date) -> Stats:
    from dateutil.relativedelta import relativedelta

    start = as_of - relativedelta(months=months)
    first_week_end = as_of - dt.timedelta(weeks=COVERAGE_WEEKS - 1)
    active = store.active_customers_with_cadence(DEFAULT_CADENCE_DAYS, first_week_end)
    joined, lost = store.joined_and_lost(start, as_of)
    coverage_by_week, covered_now = _coverage(store, active, as_of)
    referral_figures = _referrals(store, start, as_of, len(active), months)
    touchpoints, week_starts = _touchpoints_by_week(store, start, as_of)
    sales = _sales(store, start, as_of, len(active))
    at_risk = _at_risk(store, active, as_of, today)
    return Stats(
        as_of=as_of.isoformat(),
        period_start=(start + dt.timedelta(days=1)).isoformat(),
        months=months,
        customers_by_status=dict(sorted(store.status_counts().items())),
        active_customers=len(active),
        joined=joined,
        lost=lost,
        coverage=_share(covered_now, len(active)),
        covered=covered_now,
        coverage_by_week=coverage_by_week,
        **referral_figures,
        touchpoints_by_week=touchpoints,
        week_starts=week_starts,
        **sales,
        at_risk=len(at_risk),
        at_risk_top=at_risk[:AT_RISK_SHOWN],
    )


def _share(part: int | float, whole: int | float) -> float:
    return round(part / whole, 4) if whole else 0.0


def _coverage(store: Store, active: list[tuple], as_of: dt.date) -> tuple[list[dict], int]:
    week_ends = [as_of - dt.timedelta(weeks=k) for k in range(COVERAGE_WEEKS - 1, -1, -1)]
    longest = max((row[3] for row in active), default=DEFAULT_CADENCE_DAYS)
    since = week_ends[0] - dt.timedelta(days=longest)
    contacts: dict[int, list[int]] = defaultdict(list)
    for customer_id, day in store.contact_days(as_of, since):
        contacts[customer_id].append(day)
    end_texts = [week_end.isoformat() for week_end in week_ends]
    end_days = [week_end.toordinal() for week_end in week_ends]
    on_file, covered = [0] * len(week_ends), [0] * len(week_ends)
    for customer_id, _, known_since, cadence, _ in active:
        days = contacts.get(customer_id, ())
        seen = 0  # how many of the customer's contact days are on or before the week end
        for week, end_day in enumerate(end_days):
            if known_since > end_texts[week]:
                continue
            on_file[week] += 1
            while seen < len(days) and days[seen] <= end_day:
                seen += 1
            if seen and end_day - days[seen - 1] <= cadence:
                covered[week] += 1
    points = [
        {
            "week_ending": end_text,
            "coverage": _share(covered[week], on_file[week]) if on_file[week] else None,
        }
        for week, end_text in enumerate(end_texts)
    ]
    return points, covered[-1]


def _referrals(store: Store, start: dt.date, as_of: dt.date, active: int, months: int) -> dict:
    from dateutil.relativedelta import relativedelta

    rows = store.referrals_between(start, as_of)
    referrers = {row[1] for row in rows if row[3] == "customer"}
    counts = Counter((row[1], row[2]) for row in rows)
    top = sorted(counts.items(), key=lambda item: (-item[1], item[0][1].casefold()))
    by_month = []
    for back in range(months - 1, -1, -1):
        month_end = as_of - relativedelta(months=back)
        month_start = as_of - relativedelta(months=back + 1)
        inside = [row for row in rows if month_start.isoformat() < row[0] <= month_end.isoformat()]
        month_referrers = {row[1] for row in inside if row[3] == "customer"}
        by_month.append(
            {
                "month_ending": month_end.isoformat(),
                "referrals": len(inside),
                "referrers": len(month_referrers),
                "referral_rate": _share(len(month_referrers), active),
            }
        )
    return {
        "referral_rate": _share(len(referrers), active),
        "referrers": len(referrers),
        "referrals": len(rows),
        "referred_became_customers": sum(1 for row in rows if row[4] == "customer"),
        "top_referrers": [
            {"name": name, "referrals": count} for (_, name), count in top[:TOP_REFERRERS]
        ],
        "referrals_by_month": by_month,
    }


def _touchpoints_by_week(
    store: Store, start: dt.date, as_of: dt.date
) -> tuple[dict[str, list[int]], list[str]]:
    weeks = -(-(as_of - start).days // 7)
    series: dict[str, list[int]] = {}
    for date, kind, count in store.touchpoint_counts_by_day_and_kind(start, as_of):
        index = weeks - 1 - (as_of - dt.date.fromisoformat(date)).days // 7
        series.setdefault(kind, [0] * weeks)[index] += count
    starts = [
        (as_of - dt.timedelta(days=7 * (weeks - 1 - index) + 6)).isoformat()
        for index in range(weeks)
    ]
    return dict(sorted(series.items())), starts


def _sales(store: Store, start: dt.date, as_of: dt.date, active: int) -> dict:
    count, total, buyers, first = store.sales_between(start, as_of)
    repeat = total - first
    return {
        "sales_total": round(total, 2),
        "sales_count": count,
        "sales_per_active_customer": round(total / active, 2) if active else 0.0,
        "sales_per_buyer": round(total / buyers, 2) if buyers else 0.0,
        "repeat_sales_share": _share(repeat, total),
        "repeat_sales_total": round(repeat, 2),
        "first_purchase_total": round(first, 2),
    }


def _at_risk(store: Store, active: list[tuple], as_of: dt.date, today: dt.date) -> list[dict]:
    last = store.last_contacts_before(as_of, today)
    risky = []
    for customer_id, name, _, cadence, tags in active:
        if customer_id not in last:
            continue
        silent = (as_of - dt.date.fromisoformat(last[customer_id])).days
        if silent > 2 * cadence:
            risky.append(
                {
                    "name": name,
                    "days_silent": silent,
                    "cadence_days": cadence,
                    "tags": json.loads(tags or "[]"),
                }
            )
    risky.sort(key=lambda item: (-item["days_silent"], item["name"].casefold()))
    return risky
