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
from bisect import bisect_right
from collections import Counter
from dataclasses import asdict, dataclass

from followup_cli.models import DEFAULT_CADENCE_DAYS
from followup_cli.store import Store
from followup_cli.store.derived import within_cadence

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
    store.summaries_current()
    by_status = dict(sorted(store.insights.status_counts().items()))
    active = by_status.get("customer", 0)
    coverage_by_week, covered_now = _coverage(store, as_of)
    referral_figures = _referrals(store, start, as_of, active, months)
    touchpoints, week_starts, sales = _activity(store, start, as_of, active)
    contacted, warm = (
        store.insights.marks_until(series, [as_of.toordinal()])[0]
        for series in ("contacted", "warm")
    )
    return Stats(
        as_of=as_of.isoformat(),
        period_start=(start + dt.timedelta(days=1)).isoformat(),
        months=months,
        customers_by_status=by_status,
        active_customers=active,
        joined=store.insights.marks_between("added", start, as_of),
        lost=store.insights.marks_between("lost", start, as_of),
        coverage=_share(covered_now, active),
        covered=covered_now,
        coverage_by_week=coverage_by_week,
        **referral_figures,
        touchpoints_by_week=touchpoints,
        week_starts=week_starts,
        **sales,
        at_risk=contacted - warm,
        at_risk_top=_at_risk_top(store, as_of, today),
    )


def _share(part: int | float, whole: int | float) -> float:
    return round(part / whole, 4) if whole else 0.0


def _coverage(store: Store, as_of: dt.date) -> tuple[list[dict], int]:
    week_ends = [as_of - dt.timedelta(weeks=k) for k in range(COVERAGE_WEEKS - 1, -1, -1)]
    days = [week_end.toordinal() for week_end in week_ends]
    on_file = store.insights.marks_until("on_file", days)
    covered = store.insights.marks_until("covered", days)
    points = [
        {
            "week_ending": week_end.isoformat(),
            "coverage": _share(covered[week], on_file[week]) if on_file[week] else None,
        }
        for week, week_end in enumerate(week_ends)
    ]
    return points, covered[-1]


def _referrals(store: Store, start: dt.date, as_of: dt.date, active: int, months: int) -> dict:
    from dateutil.relativedelta import relativedelta

    rows = store.referrals.made_between(start, as_of)
    referrers = {row[1] for row in rows if row[3] == "customer"}
    counts = Counter((row[1], row[2]) for row in rows)
    top = sorted(counts.items(), key=lambda item: (-item[1], item[0][1].casefold()))
    dates = [row[0] for row in rows]  # in date order
    by_month = []
    for back in range(months - 1, -1, -1):
        month_end = as_of - relativedelta(months=back)
        month_start = as_of - relativedelta(months=back + 1)
        inside = rows[
            bisect_right(dates, month_start.isoformat()) : bisect_right(
                dates, month_end.isoformat()
            )
        ]
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


def _activity(
    store: Store, start: dt.date, as_of: dt.date, active: int
) -> tuple[dict[str, list[int]], list[str], dict]:
    """Touchpoints by week and kind, and the sales figures, from the day counts."""
    weeks = -(-(as_of - start).days // 7)
    series: dict[str, list[int]] = {}
    count = cents = 0
    for date, kind, touchpoints, amount in store.insights.touchpoint_counts_by_day_and_kind(
        start, as_of
    ):
        index = weeks - 1 - (as_of - dt.date.fromisoformat(date)).days // 7
        series.setdefault(kind, [0] * weeks)[index] += touchpoints
        if kind == "sale":
            count, cents = count + touchpoints, cents + amount
    starts = [
        (as_of - dt.timedelta(days=7 * (weeks - 1 - index) + 6)).isoformat()
        for index in range(weeks)
    ]
    total = cents / 100
    first = store.insights.marks_between("first_sale", start, as_of) / 100
    buyers = store.insights.buyers_between(start, as_of)
    repeat = total - first
    sales = {
        "sales_total": round(total, 2),
        "sales_count": count,
        "sales_per_active_customer": round(total / active, 2) if active else 0.0,
        "sales_per_buyer": round(total / buyers, 2) if buyers else 0.0,
        "repeat_sales_share": _share(repeat, total),
        "repeat_sales_total": round(repeat, 2),
        "first_purchase_total": round(first, 2),
    }
    return dict(sorted(series.items())), starts, sales


def _at_risk_top(store: Store, as_of: dt.date, today: dt.date) -> list[dict]:
    """The longest silent of the customers at risk: read longest silent first, until the
    cut is full and the next one is less silent than its last."""
    risky = []
    for name, last, cadence, tags in store.insights.silent_customers(
        as_of, today, DEFAULT_CADENCE_DAYS
    ):
        silent = (as_of - dt.date.fromisoformat(last)).days
        if len(risky) >= AT_RISK_SHOWN and silent < risky[-1]["days_silent"]:
            break
        if not within_cadence(silent, cadence, times=2):
            risky.append(
                {
                    "name": name,
                    "days_silent": silent,
                    "cadence_days": cadence,
                    "tags": json.loads(tags or "[]"),
                }
            )
    risky.sort(key=lambda item: (-item["days_silent"], item["name"].casefold()))
    return risky[:AT_RISK_SHOWN]
