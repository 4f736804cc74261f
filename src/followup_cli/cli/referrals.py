"""refer and referrals: who sends us new customers."""

from typing import Annotated

import typer

from followup_cli import config
from followup_cli.cli.app import (
    CustomerArgument,
    FormatOption,
    RawOption,
    app,
    store,
)
from followup_cli.cli.listing import TableFormat, emit
from followup_cli.errors import InvalidInputError
from followup_cli.output import objects, render
from followup_cli.services.referrals import ReferredPerson, list_referrals, record_referral


def _tree_label(node) -> str:
    when = f", referred {node.date}" if node.date else ""
    again = " (shown above)" if node.repeated else ""
    return f"{node.name} ({node.status}{when}){again}"


@app.command()
def refer(
    ctx: typer.Context,
    referrer: CustomerArgument,
    name: Annotated[str, typer.Argument(help="The person referred: linked if known, else added.")],
    email: Annotated[str | None, typer.Option(help="Their email.")] = None,
    phone: Annotated[str | None, typer.Option(help="Their phone.")] = None,
    company: Annotated[str | None, typer.Option(help="Their company.")] = None,
    note: Annotated[str | None, typer.Option(help="A note on the referral.")] = None,
    date: Annotated[str | None, typer.Option(metavar="WHEN", help="When (default today).")] = None,
) -> None:
    """Record that REFERRER referred NAME (a new prospect unless already on file).

    Example: followup refer ana "Bruno Beta" --email bruno@example.com --note "met at expo"
    """
    recorded = record_referral(
        store(ctx),
        referrer,
        ReferredPerson(name=name, email=email, phone=phone, company=company),
        config.today(),
        note=note,
        when=date,
        date_order=config.date_order(),
    )
    referral = recorded.referral
    added = f" (new prospect #{referral.referred_id})" if recorded.referred_is_new else ""
    render.line(
        f"Recorded: {referral.referrer} referred {referral.referred}{added} on {referral.date}"
    )


@app.command()
def referrals(
    ctx: typer.Context,
    from_: Annotated[
        str | None, typer.Option("--from", metavar="CUSTOMER", help="Only this referrer's.")
    ] = None,
    tree: Annotated[
        bool, typer.Option("--tree", help="Show the chains: who referred whom, in turn.")
    ] = False,
    output: FormatOption = TableFormat.table,
    raw: RawOption = False,
) -> None:
    """List referrals, newest first; --tree shows the referral chains.

    Example: followup referrals --from ana --format json
    """
    if tree:
        from followup_cli.services.referral_tree import referral_forest

        forest = referral_forest(store(ctx, only_reads=True), from_)
        if output is TableFormat.json:
            render.json_document([root.as_json() for root in forest])
        elif output is TableFormat.csv:
            raise InvalidInputError("--tree prints a tree or json, not csv")
        else:
            render.tree(forest, _tree_label)
        return
    found = list_referrals(store(ctx, only_reads=True), from_)
    emit([objects.referral_object(r) for r in found], objects.REFERRAL_COLUMNS, output, raw=raw)
