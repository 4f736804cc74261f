"""add, edit, list, show, delete: the customer records themselves."""

import sys
from typing import Annotated

import typer

from followup_cli import config
from followup_cli.cli import daily
from followup_cli.cli.app import (
    CustomerArgument,
    DetailFormatOption,
    EveryTouchpointOption,
    FormatOption,
    LimitOption,
    OnlyTagOption,
    RawOption,
    app,
    complete_customer,
    confirm,
    state,
    store,
)
from followup_cli.cli.listing import DetailFormat, TableFormat, emit
from followup_cli.output import objects, render
from followup_cli.services import customers as service
from followup_cli.services.lookup import describe, resolve_customer


@app.command()
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The customer's full name.")],
    email: Annotated[str | None, typer.Option(help="Email address (unique).")] = None,
    phone: Annotated[str | None, typer.Option(help="Phone number.")] = None,
    company: Annotated[str | None, typer.Option(help="Company.")] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", "-t", help="A tag; repeat.")] = None,
    note: Annotated[str | None, typer.Option(help="Free-text notes.")] = None,
    cadence: Annotated[
        int | None, typer.Option(metavar="DAYS", help="Keep in touch every DAYS days.")
    ] = None,
    status: Annotated[str, typer.Option(help="customer or prospect.")] = "customer",
    birthday: Annotated[
        str | None, typer.Option(metavar="DAY", help='"14 March", or 1976-03-14 with the year.')
    ] = None,
    anniversary: Annotated[
        str | None, typer.Option(metavar="DAY", help="A yearly date that matters, as --birthday.")
    ] = None,
) -> None:
    """Add a customer and print their id.

    Example: followup add "Ana Alpha" --email ana@example.com --tag vip --cadence 14
    """
    new = service.NewCustomer(
        name=name,
        email=email,
        phone=phone,
        company=company,
        tags=tuple(tag or ()),
        notes=note,
        cadence_days=cadence,
        status=status,
        birthday=birthday,
        anniversary=anniversary,
    )
    added = service.add_customer(store(ctx), new, config.today())
    sys.stdout.write(f"{added.customer.id}\n")
    if added.namesakes:
        render.notice(
            "already on file with that name: "
            + "; ".join(describe(customer) for customer in added.namesakes)
            + " (`followup merge` joins two records, `followup undo` takes this one back)"
        )


@app.command()
def edit(
    ctx: typer.Context,
    customer: CustomerArgument,
    name: Annotated[str | None, typer.Option(help="New name.")] = None,
    email: Annotated[str | None, typer.Option(help="New email address.")] = None,
    phone: Annotated[str | None, typer.Option(help="New phone number.")] = None,
    company: Annotated[str | None, typer.Option(help="New company.")] = None,
    add_tag: Annotated[list[str] | None, typer.Option(help="Add a tag; repeat.")] = None,
    remove_tag: Annotated[list[str] | None, typer.Option(help="Remove a tag; repeat.")] = None,
    note: Annotated[str | None, typer.Option(help="Replace the notes.")] = None,
    cadence: Annotated[
        str | None, typer.Option(metavar="DAYS|default", help="Own cadence, or default.")
    ] = None,
    status: Annotated[str | None, typer.Option(help="customer, prospect or lost.")] = None,
    birthday: Annotated[
        str | None, typer.Option(metavar="DAY", help='"14 March", 1976-03-14, or "" to clear.')
    ] = None,
    anniversary: Annotated[
        str | None, typer.Option(metavar="DAY", help='As --birthday; "" clears it.')
    ] = None,
) -> None:
    """Change a customer's details.

    Example: followup edit ana --add-tag vip --cadence 14 --status customer
    """
    changes = service.CustomerChanges(
        name=name,
        email=email,
        phone=phone,
        company=company,
        add_tags=tuple(add_tag or ()),
        remove_tags=tuple(remove_tag or ()),
        notes=note,
        cadence_days=cadence,
        status=status,
        birthday=birthday,
        anniversary=anniversary,
    )
    updated = service.edit_customer(store(ctx), customer, changes, config.today())
    render.line(f"Updated {updated.name} (#{updated.id})")


@app.command("list")
def list_customers(
    ctx: typer.Context,
    tag: OnlyTagOption = None,
    status: Annotated[str | None, typer.Option(help="customer, prospect or lost.")] = None,
    search: Annotated[
        str | None, typer.Option("--search", "-s", help="Text in name, email, company, notes.")
    ] = None,
    limit: LimitOption = 0,
    output: FormatOption = TableFormat.table,
    raw: RawOption = False,
) -> None:
    """List customers, alphabetically (--limit 0: everyone).

    Example: followup list --tag vip --format json
    """
    from followup_cli.values import clean_status, clean_tags

    found = store(ctx, only_reads=True).customers.listed(
        tag=clean_tags([tag])[0] if tag else None,
        status=clean_status(status) if status else None,
        search=search,
        limit=limit,
    )
    emit([objects.customer_object(c) for c in found], objects.CUSTOMER_COLUMNS, output, raw=raw)


@app.command()
def tags(ctx: typer.Context, output: FormatOption = TableFormat.table) -> None:
    """Every tag, how many customers carry it, and its cadence if it has one.

    Example: followup tags
    """
    counted = store(ctx, only_reads=True).customers.tag_counts()
    items = [{"tag": t, "customers": n, "cadence_days": days} for t, n, days in counted]
    emit(items, ["tag", "customers", "cadence_days"], output)


@app.command()
def show(
    ctx: typer.Context,
    customer: CustomerArgument,
    everything: EveryTouchpointOption = False,
    output: DetailFormatOption = DetailFormat.table,
) -> None:
    """Show one customer: details, open follow-ups, the last touchpoints, referrals.

    Example: followup show ana
    """
    daily.show(state(ctx), customer, everything, output)


@app.command()
def delete(
    ctx: typer.Context,
    customer: CustomerArgument,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask.")] = False,
) -> None:
    """Delete a customer with their touchpoints, follow-ups and referrals.

    Example: followup delete "Ana Alpha" --yes
    """
    target = resolve_customer(store(ctx), customer)
    if not yes:
        confirm(f"Delete {target.name} (#{target.id}) and all their history?")
    deleted = service.delete_customer(store(ctx), str(target.id))
    render.line(f"Deleted {deleted.name} (#{deleted.id})")


@app.command()
def duplicates(
    ctx: typer.Context, output: FormatOption = TableFormat.table, raw: RawOption = False
) -> None:
    """List pairs of customers that are probably one person, each with the reason.

    Example: followup duplicates   (then: followup merge KEEP OTHER)
    """
    from followup_cli.services.duplicates import find_duplicates

    found = find_duplicates(store(ctx, only_reads=True), config.phone_region(None))
    items = [
        {
            "id": pair.first.id,
            "name": pair.first.name,
            "email": pair.first.email,
            "other_id": pair.second.id,
            "other_name": pair.second.name,
            "other_email": pair.second.email,
            "reason": pair.reason,
        }
        for pair in found
    ]
    emit(
        items,
        ["id", "name", "email", "other_id", "other_name", "other_email", "reason"],
        output,
        raw=raw,
    )


@app.command()
def merge(
    ctx: typer.Context,
    keep: Annotated[
        str,
        typer.Argument(
            metavar="KEEP", help="The customer who stays.", autocompletion=complete_customer
        ),
    ],
    other: Annotated[
        str,
        typer.Argument(
            metavar="OTHER",
            help="The duplicate, merged in and removed.",
            autocompletion=complete_customer,
        ),
    ],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask.")] = False,
) -> None:
    """Merge OTHER into KEEP: history, tags, empty fields, other email and notes; OTHER goes.

    Example: followup merge 12 31 --yes
    """
    from followup_cli.services.duplicates import merge as merge_customers

    book = store(ctx)
    if not yes:
        first, second = resolve_customer(book, keep), resolve_customer(book, other)
        confirm(f"Merge {second.name} (#{second.id}) into {first.name} (#{first.id})?")
    merged = merge_customers(book, keep, other, config.today())
    render.line(
        f"Merged {merged.other.name} (#{merged.other.id}) into {merged.customer.name} "
        f"(#{merged.customer.id})"
    )
    if merged.kept_in_notes:
        render.notice(f"kept in the notes: {'; '.join(merged.kept_in_notes)}")
    if merged.dropped_referrals:
        render.notice(
            f"dropped {merged.dropped_referrals} referral(s) the merge would have made a "
            "self-referral or a repeat"
        )


@app.command()
def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="Words to find, any case, with or without accents.")],
    limit: LimitOption = 20,
    output: FormatOption = TableFormat.table,
    raw: RawOption = False,
) -> None:
    """Find customers by any field, and touchpoints and promises by the words of their notes.

    Example: followup search renewal
    """
    from followup_cli.services.search import search as find

    found = find(store(ctx, only_reads=True), text, limit)
    items = [
        {
            "kind": f.kind,
            "customer_id": f.customer_id,
            "name": f.name,
            "date": f.date,
            "text": f.text,
        }
        for f in found
    ]
    emit(items, ["kind", "name", "date", "text", "customer_id"], output, raw=raw)
