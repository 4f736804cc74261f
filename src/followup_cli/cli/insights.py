"""stats and pitch: the numbers that make the case for existing customers."""

import datetime as dt
from typing import Annotated

import typer

from followup_cli import config
from followup_cli.cli.app import (
    DetailFormatOption,
    FormatOption,
    LimitOption,
    OnlyTagOption,
    RawOption,
    app,
    store,
)
from followup_cli.cli.listing import DetailFormat, TableFormat, emit
from followup_cli.dates.phrases import parse_past
from followup_cli.output import render
from followup_cli.values import count_of

SPARK_MARKS = 56  # with the kind and the total beside it, a line fits 80 columns
SPARK_ROOM = 24  # what a sparkline line needs besides its marks: indent, kind, total


def _month(day: str) -> str:
    return dt.date.fromisoformat(day).strftime("%b %Y")


def _percent(fraction: float) -> str:
    return f"{fraction * 100:.1f}%"


@app.command()
def stats(
    ctx: typer.Context,
    as_of: Annotated[
        str | None, typer.Option(metavar="DATE", help="Figures as of this date (default today).")
    ] = None,
    months: Annotated[
        int, typer.Option(min=1, max=120, help="The period: this many months up to --as-of.")
    ] = 12,
    output: DetailFormatOption = DetailFormat.table,
) -> None:
    """Coverage, the referral baseline, repeat sales and who is at risk.

    Example: followup stats --months 6
    """
    from followup_cli.services.stats import compute_stats

    today = config.today()
    day = today
    if as_of is not None:
        day = parse_past(as_of, today, config.date_order(), "stats look back")
    figures = compute_stats(store(ctx, only_reads=True), day, months, today)
    if output is DetailFormat.json:
        render.json_document(figures.as_json())
        return
    render.heading(f"followup stats, {figures.period_start} to {figures.as_of}")
    by_status = ", ".join(
        f"{count} {status}" for status, count in figures.customers_by_status.items()
    )
    render.wrapped_line(
        f"customers: {by_status or 'none'}; joined {figures.joined}, lost {figures.lost}"
    )
    render.wrapped_line(
        f"coverage: {_percent(figures.coverage)} ({figures.covered} of "
        f"{figures.active_customers} active customers within their cadence)"
    )
    weekly = [point["coverage"] for point in figures.coverage_by_week]
    shown = ("-" if value is None else f"{value * 100:.0f}%" for value in weekly)
    render.wrapped_line("coverage, last 12 weeks: " + " ".join(shown))
    render.wrapped_line(
        f"referral rate: {_percent(figures.referral_rate)} ({figures.referrers} of "
        f"{figures.active_customers} active customers referred someone)"
    )
    became = figures.referred_became_customers
    render.wrapped_line(
        f"  {count_of(figures.referrals, 'referral')}, "
        f"{became} became {'a customer' if became == 1 else 'customers'}"
    )
    months = figures.referrals_by_month
    monthly = [month["referrals"] for month in months]
    render.wrapped_line(
        f"referrals by month, {_month(months[0]['month_ending'])} to "
        f"{_month(months[-1]['month_ending'])}: {render.sparkline(monthly)} "
        f"(most {max(monthly, default=0)})"
    )
    if figures.top_referrers:
        render.wrapped_line(
            "top referrers: "
            + ", ".join(f"{item['name']} ({item['referrals']})" for item in figures.top_referrers)
        )
    render.wrapped_line(
        f"sales: {figures.sales_total:g} in {count_of(figures.sales_count, 'sale')}; "
        f"{figures.sales_per_active_customer:g} per active customer, "
        f"{figures.sales_per_buyer:g} per buyer"
    )
    first = 1 - figures.repeat_sales_share if figures.sales_total else 0
    render.wrapped_line(
        f"  repeat {_percent(figures.repeat_sales_share)}, first purchases {_percent(first)}"
    )
    render.wrapped_line(f"at risk (silent over twice their cadence): {figures.at_risk}")
    for item in figures.at_risk_top:
        render.wrapped_line(
            f"  {item['name']}: {count_of(item['days_silent'], 'day')} "
            f"(cadence {count_of(item['cadence_days'], 'day')})"
        )
    if figures.touchpoints_by_week:
        weeks = len(figures.week_starts)
        marks_fitting = min(SPARK_MARKS, (render.terminal_width() or 80) - SPARK_ROOM)
        per_mark = -(-weeks // max(marks_fitting, 8))  # weeks a mark stands for
        unit = "a week" if per_mark == 1 else f"for every {per_mark} weeks"
        render.wrapped_line(
            f"touchpoints, a mark {unit}, {figures.week_starts[0]} to {figures.as_of}:"
        )
        width = max(len(kind) for kind in figures.touchpoints_by_week)
        for kind, counts in figures.touchpoints_by_week.items():
            marks = [sum(counts[i : i + per_mark]) for i in range(0, weeks, per_mark)]
            render.wrapped_line(f"  {kind:<{width}} {render.sparkline(marks)} {sum(counts)}")


@app.command()
def pitch(
    ctx: typer.Context,
    tag: OnlyTagOption = None,
    exclude_tag: Annotated[str | None, typer.Option(help="Leave out this tag.")] = None,
    limit: LimitOption = 20,
    output: FormatOption = TableFormat.table,
    raw: RawOption = False,
) -> None:
    """Whom to offer something new first: the warmest active customers, with the reason.

    Example: followup pitch --tag wholesale --limit 10
    """
    from followup_cli.services.pitch import pitch_list

    ranked = pitch_list(store(ctx, only_reads=True), config.today(), limit, tag, exclude_tag)
    objects = [
        {
            "id": p.customer_id,
            "name": p.name,
            "score": p.score,
            "last_contact": p.last_contact,
            "reason": p.reason,
        }
        for p in ranked
    ]
    emit(objects, ["id", "name", "score", "last_contact", "reason"], output, raw=raw)
