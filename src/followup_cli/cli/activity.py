"""log and due: recording contact, and seeing who has gone quiet."""

import sys
from typing import Annotated

import typer

from followup_cli import config
from followup_cli.cli.app import FormatOption, LimitOption, RawOption, TableFormat, app, emit, store
from followup_cli.cli.customers import CustomerArgument
from followup_cli.dates.phrases import parse_when
from followup_cli.models import DEFAULT_CADENCE_DAYS
from followup_cli.output import objects, render
from followup_cli.services.due import due_list
from followup_cli.services.touchpoints import log_touchpoint
from followup_cli.values import MAX_CADENCE_DAYS


@app.command()
def log(
    ctx: typer.Context,
    customer: CustomerArgument,
    words: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[KIND] [NOTE]",
            help="call, email, meeting, visit, message, note or sale (default call), then a note.",
        ),
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", "-d", metavar="WHEN", help="When it happened.")
    ] = None,
    next_: Annotated[
        str | None,
        typer.Option("--next", "-n", metavar="WHEN", help="Promise a follow-up (from today)."),
    ] = None,
    amount: Annotated[float | None, typer.Option(help="The amount of a sale.")] = None,
) -> None:
    """Log a touchpoint; a contact resets the clock and closes follow-ups it fulfils.

    Example: followup log ana meeting "renewal lunch" --date yesterday --next 2w
    """
    logged = log_touchpoint(
        store(ctx),
        customer,
        list(words or ()),
        config.today(),
        when=date,
        next_when=next_,
        amount=amount,
        date_order=config.date_order(),
    )
    touchpoint = logged.touchpoint
    message = f"Logged {touchpoint.kind} with {logged.customer.name} on {touchpoint.date}"
    if logged.next_follow_up:
        message += f"; next follow-up {logged.next_follow_up.due_on}"
    if logged.closed_follow_ups:
        dates = ", ".join(str(follow_up.due_on) for follow_up in logged.closed_follow_ups)
        message += f"; closed the follow-up due {dates}"
    render.line(message)


@app.command()
def due(
    ctx: typer.Context,
    days: Annotated[
        int,
        typer.Option(
            min=1,
            max=MAX_CADENCE_DAYS,
            help="Silence that makes a customer due, when they have no cadence.",
        ),
    ] = DEFAULT_CADENCE_DAYS,
    limit: LimitOption = 10,
    tag: Annotated[str | None, typer.Option("--tag", "-t", help="Only this tag.")] = None,
    as_of: Annotated[
        str | None, typer.Option(metavar="DATE", help="Rank as of this date instead of today.")
    ] = None,
    everyone: Annotated[
        bool, typer.Option("--all", help="Include customers with a follow-up already planned.")
    ] = False,
    output: FormatOption = TableFormat.table,
    raw: RawOption = False,
) -> None:
    """Who to contact next: overdue promises, then the longest silences, each with a reason.

    Example: followup due --days 45 --limit 20 --tag vip
    """
    today = config.today()
    as_of_date = None
    if as_of is not None:
        as_of_date = parse_when(as_of, today, "future", config.date_order())
    result = due_list(
        store(ctx),
        today,
        days=days,
        limit=limit,
        tag=tag,
        as_of=as_of_date,
        include_planned=everyone,
    )
    emit(
        [objects.due_object(entry) for entry in result.entries],
        objects.DUE_COLUMNS,
        output,
        terminal_columns=objects.DUE_TERMINAL_COLUMNS,
        raw=raw,
    )
    if result.left_out_planned:
        render.notice(
            f"left out {result.left_out_planned} with a follow-up already planned; --all lists them"
        )
    if not result.entries and output is TableFormat.table and sys.stdout.isatty():
        render.notice("nobody is due: everyone has heard from you within their cadence")
