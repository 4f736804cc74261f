"""log and due: recording contact, and seeing who has gone quiet."""

from typing import Annotated

import typer

from followup_cli import config
from followup_cli.cli import daily
from followup_cli.cli.app import (
    AsOfOption,
    CustomerArgument,
    FormatOption,
    LimitOption,
    OnlyTagOption,
    PlannedTooOption,
    RawOption,
    SilenceOption,
    app,
    confirm,
    state,
    store,
)
from followup_cli.cli.listing import TableFormat, emit
from followup_cli.models import DEFAULT_CADENCE_DAYS
from followup_cli.output import objects, render, text
from followup_cli.values import a_or_an


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
    from followup_cli.services.touchpoints import log_touchpoint

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
    message += text.fulfilled(logged.closed_follow_ups)
    render.line(message)
    if logged.repeated:
        render.notice(
            f"{logged.customer.name} already had {a_or_an(touchpoint.kind)} on {touchpoint.date}; "
            "logged it again (`followup undo` takes it back)"
        )


@app.command()
def due(
    ctx: typer.Context,
    days: SilenceOption = DEFAULT_CADENCE_DAYS,
    limit: LimitOption = 10,
    tag: OnlyTagOption = None,
    as_of: AsOfOption = None,
    everyone: PlannedTooOption = False,
    output: FormatOption = TableFormat.table,
    raw: RawOption = False,
) -> None:
    """Who to contact next: overdue promises, then the longest silences, each with a reason.

    Example: followup due --days 45 --limit 20 --tag vip
    """
    daily.due(state(ctx), days, limit, tag, as_of, everyone, output, raw)


@app.command()
def touchpoints(
    ctx: typer.Context,
    customer: Annotated[
        str | None,
        typer.Argument(metavar="[CUSTOMER]", help="Only this customer's (id, email or name)."),
    ] = None,
    kind: Annotated[str | None, typer.Option(help="Only this kind: call, email...")] = None,
    since: Annotated[
        str | None, typer.Option(metavar="WHEN", help="Only from this date on.")
    ] = None,
    limit: LimitOption = 50,
    output: FormatOption = TableFormat.table,
    raw: RawOption = False,
) -> None:
    """List touchpoints, newest first, with the ids edit-touchpoint and delete-touchpoint take.

    Example: followup touchpoints ana --kind sale --since 2026-01-01
    """
    from followup_cli.services.touchpoints import list_touchpoints

    found = list_touchpoints(
        store(ctx, only_reads=True),
        customer,
        kind,
        since,
        limit,
        config.today(),
        config.date_order(),
    )
    items = [objects.touchpoint_object(tp) | {"name": name} for tp, name in found]
    emit(items, objects.TOUCHPOINT_LIST_COLUMNS, output, raw=raw)


@app.command("edit-touchpoint")
def edit_touchpoint(
    ctx: typer.Context,
    touchpoint_id: Annotated[int, typer.Argument(metavar="ID", min=1, help="Its id.")],
    date: Annotated[str | None, typer.Option(metavar="WHEN", help="When it happened.")] = None,
    kind: Annotated[str | None, typer.Option(help="call, email, meeting... or sale.")] = None,
    note: Annotated[str | None, typer.Option(help="Replace the note.")] = None,
    amount: Annotated[float | None, typer.Option(help="The amount of a sale.")] = None,
    customer: Annotated[
        str | None, typer.Option(metavar="CUSTOMER", help="Move it to this customer.")
    ] = None,
) -> None:
    """Fix a touchpoint; the customers' last contact and sales total follow.

    Example: followup edit-touchpoint 42 --customer bruno --date yesterday
    """
    from followup_cli.services.touchpoints import TouchpointChanges, edit_touchpoint

    changes = TouchpointChanges(date=date, kind=kind, note=note, amount=amount, customer=customer)
    fixed = edit_touchpoint(store(ctx), touchpoint_id, changes, config.today(), config.date_order())
    render.line(f"Updated touchpoint {fixed.id}: {fixed.kind} on {fixed.date}")


@app.command("delete-touchpoint")
def delete_touchpoint(
    ctx: typer.Context,
    touchpoint_id: Annotated[int, typer.Argument(metavar="ID", min=1, help="Its id.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask.")] = False,
) -> None:
    """Delete a touchpoint logged by mistake; the customer's summaries follow.

    Example: followup delete-touchpoint 42 --yes
    """
    from followup_cli.services.touchpoints import delete_touchpoint as delete

    if not yes:
        confirm(f"Delete touchpoint {touchpoint_id}?")
    touchpoint, name = delete(store(ctx), touchpoint_id)
    render.line(
        f"Deleted touchpoint {touchpoint.id}: {touchpoint.kind} with {name} on {touchpoint.date}"
    )


@app.command()
def undo(
    ctx: typer.Context,
    list_: Annotated[bool, typer.Option("--list", help="Show recent changes instead.")] = False,
    limit: LimitOption = 20,
    output: FormatOption = TableFormat.table,
) -> None:
    """Take back the latest change; repeated, it steps further back.

    Example: followup undo --list
    """
    from followup_cli.services.undo import recent_changes
    from followup_cli.services.undo import undo as take_back

    if list_:
        changes = recent_changes(store(ctx, only_reads=True), limit)
        items = [{"id": c.id, "made_at": c.made_at, "change": c.summary} for c in changes]
        emit(items, ["id", "made_at", "change"], output)
        return
    change = take_back(store(ctx))
    render.line(f"Undid: {change.summary} (made {change.made_at})")
