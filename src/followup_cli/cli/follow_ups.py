"""schedule, agenda, done, snooze, cadence, remind, thank: keeping the promises you make."""

from typing import Annotated

import typer

from followup_cli import config
from followup_cli.cli import daily
from followup_cli.cli.app import (
    CustomerArgument,
    FormatOption,
    LimitOption,
    RawOption,
    SilenceOption,
    app,
    complete_customer,
    state,
    store,
)
from followup_cli.cli.listing import TableFormat, emit
from followup_cli.errors import InvalidInputError
from followup_cli.models import DEFAULT_CADENCE_DAYS
from followup_cli.output import objects, render, text
from followup_cli.services import cadences, follow_ups
from followup_cli.services.referrals import thank as thank_referrals
from followup_cli.values import MAX_CADENCE_DAYS

WhenArgument = Annotated[
    str, typer.Argument(metavar="WHEN", help="A date: friday, in 2 weeks, 2w, 2026-12-01...")
]


@app.command()
def schedule(
    ctx: typer.Context,
    customer: CustomerArgument,
    when: WhenArgument,
    note: Annotated[
        list[str] | None, typer.Argument(metavar="[NOTE]", help="What to follow up on.")
    ] = None,
) -> None:
    """Promise a follow-up with a customer on a day.

    Example: followup schedule ana "next friday" send the new price list
    """
    follow_up = follow_ups.schedule(
        store(ctx), customer, when, " ".join(note or ()), config.today(), config.date_order()
    )
    render.line(f"Follow-up with {follow_up.customer_name} on {follow_up.due_on}")


@app.command()
def agenda(
    ctx: typer.Context,
    days: Annotated[
        int, typer.Option(min=0, max=MAX_CADENCE_DAYS, help="Look this many days ahead.")
    ] = 7,
    output: FormatOption = TableFormat.table,
    raw: RawOption = False,
) -> None:
    """Open follow-ups due in the next days, overdue first.

    Example: followup agenda --days 14
    """
    today = config.today()
    found = follow_ups.agenda(store(ctx, only_reads=True), today, days)
    agenda_items = [
        objects.follow_up_object(f) | {"when": text.when_label(f.due_on, today)} for f in found
    ]
    emit(agenda_items, objects.AGENDA_COLUMNS, output, raw=raw)


OptionalCustomer = Annotated[
    str | None,
    typer.Argument(
        metavar="[CUSTOMER]",
        help="An id, an email or a name; optional with --id.",
        autocompletion=complete_customer,
    ),
]
FollowUpId = Annotated[
    int | None,
    typer.Option("--id", min=1, help="The follow-up's id (see `followup agenda`)."),
]


@app.command()
def done(
    ctx: typer.Context,
    customer: OptionalCustomer = None,
    note: Annotated[list[str] | None, typer.Argument(metavar="[NOTE]", help="How it went.")] = None,
    log: Annotated[
        str | None, typer.Option("--log", metavar="KIND", help="Also log a touchpoint: call...")
    ] = None,
    follow_up_id: FollowUpId = None,
) -> None:
    """Close the customer's oldest open follow-up (and log the contact with --log).

    Example: followup done ana "sent the price list" --log email
    """
    result = follow_ups.done(
        store(ctx), customer, " ".join(note or ()), config.today(), log, follow_up_id
    )
    message = f"Done: follow-up with {result.follow_up.customer_name} due {result.follow_up.due_on}"
    if result.logged_kind:
        message += f"; logged {result.logged_kind}{text.fulfilled(result.also_fulfilled)}"
    render.line(message)


@app.command()
def snooze(
    ctx: typer.Context,
    customer: OptionalCustomer = None,
    when: Annotated[
        str | None, typer.Argument(metavar="WHEN", help="A date: friday, in 2 weeks, 2w...")
    ] = None,
    follow_up_id: FollowUpId = None,
) -> None:
    """Move the customer's oldest open follow-up to another day.

    Example: followup snooze ana "in 3 days"   (or: followup snooze --id 12 friday)
    """
    if when is None and follow_up_id is not None:
        customer, when = None, customer  # `snooze --id 12 friday`
    if when is None:
        raise InvalidInputError("say when: followup snooze CUSTOMER WHEN")
    before, after = follow_ups.snooze(
        store(ctx), customer, when, config.today(), config.date_order(), follow_up_id
    )
    render.line(
        f"Moved follow-up with {after.customer_name} from {before.due_on} to {after.due_on}"
    )


@app.command()
def cancel(
    ctx: typer.Context, customer: OptionalCustomer = None, follow_up_id: FollowUpId = None
) -> None:
    """Close a follow-up without logging a contact (promised twice, or no longer needed).

    Example: followup cancel ana   (or: followup cancel --id 12)
    """
    cancelled = follow_ups.cancel(store(ctx), customer, config.today(), follow_up_id)
    render.line(f"Cancelled the follow-up with {cancelled.customer_name} due {cancelled.due_on}")


@app.command()
def cadence(
    ctx: typer.Context,
    tag: Annotated[str | None, typer.Argument(help="The tag.")] = None,
    days: Annotated[int | None, typer.Argument(help="Every this many days.")] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Remove the tag's cadence.")] = False,
) -> None:
    """Set how often customers with a tag should hear from you; without arguments, list.

    Example: followup cadence vip 14
    """
    if tag is None:
        if clear or days is not None:
            raise InvalidInputError("name the tag: followup cadence TAG DAYS, or TAG --clear")
        render.table(
            ["tag", "cadence_days"],
            [[t, str(d)] for t, d in cadences.list_cadences(store(ctx, only_reads=True))],
        )
        return
    if clear:
        if days is not None:
            raise InvalidInputError("give either DAYS or --clear, not both")
        render.line(f"Cleared the cadence of tag {cadences.clear_cadence(store(ctx), tag)}")
        return
    if days is None:
        raise InvalidInputError(f"give the number of days: followup cadence {tag} 14")
    tag, days = cadences.set_cadence(store(ctx), tag, days)
    render.line(f"Customers tagged {tag} are due every {days} days")


@app.command()
def thank(
    ctx: typer.Context,
    referrer: CustomerArgument,
    referred: Annotated[
        str | None, typer.Argument(metavar="[REFERRED]", help="Only this referral.")
    ] = None,
) -> None:
    """Mark a referrer's referrals as thanked (all of them, or just the one of REFERRED).

    Example: followup thank ana "Gus Green"
    """
    thanked = thank_referrals(store(ctx), referrer, referred, config.today())
    names = ", ".join(r.referred for r in thanked)
    render.line(f"Thanked {thanked[0].referrer} for referring {names}")


@app.command()
def remind(
    ctx: typer.Context,
    days: SilenceOption = DEFAULT_CADENCE_DAYS,
    limit: LimitOption = 10,
    always: Annotated[
        bool, typer.Option(help="Say 'nothing to do' instead of printing nothing.")
    ] = False,
    output: Annotated[
        daily.DigestFormat, typer.Option("--format", "-f", help="text, markdown or json.")
    ] = daily.DigestFormat.text,
) -> None:
    """Today's digest for cron: promises due, silent customers, referrals to thank.

    Prints nothing (exit 0) when there is nothing to do, so cron sends no mail.

    Example (crontab): 0 8 * * 1-5 /usr/local/bin/followup remind
    """
    daily.remind(state(ctx), days, limit, always, output)
