"""team: each rep's book replicated to the team's storage by Litestream, and the team view
built from every rep's copy (read-only)."""

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from followup_cli import config
from followup_cli.cli.app import (
    AsOfOption,
    DetailFormatOption,
    EveryTouchpointOption,
    FormatOption,
    LimitOption,
    OnlyTagOption,
    PlannedTooOption,
    RawOption,
    SilenceOption,
    app,
    state,
    store,
)
from followup_cli.cli.listing import DetailFormat, TableFormat, emit
from followup_cli.models import DEFAULT_CADENCE_DAYS
from followup_cli.output import objects, render
from followup_cli.values import count_of

team_app = typer.Typer(
    name="team",
    help=(
        "Share customers with a team: your book replicated by Litestream, everyone's seen "
        "in one read-only team book.\n\n"
        "Example: followup team join s3://acme-sales/team --as ana"
    ),
    no_args_is_help=True,
)
app.add_typer(team_app)


@team_app.command()
def join(
    ctx: typer.Context,
    storage: Annotated[
        str,
        typer.Argument(
            metavar="STORAGE",
            help="The team's storage: a folder, file://, sftp://HOST/PATH or s3://BUCKET/PATH.",
        ),
    ],
    rep: Annotated[
        str, typer.Option("--as", metavar="NAME", help="Your name in the team (a folder there).")
    ],
) -> None:
    """Replicate this book to STORAGE/NAME/, sending it now.

    Example: followup team join /mnt/team-share/followup --as ana
    """
    from followup_cli.services.team import join as join_team

    joined = join_team(store(ctx), storage, rep, config.today())
    where = f"{joined.membership.storage}/{joined.membership.rep}"
    if joined.reached:
        render.line(
            f"{'In' if joined.already else 'Joined'} the team as {joined.membership.rep}; "
            f"the book reached {where} at {_when(joined.reached.at)}"
        )
    else:
        render.line(f"Joined the team as {joined.membership.rep}")
        render.notice(
            f"the book has not reached {where} yet ({joined.not_reached}); "
            "`followup team push` sends it"
        )


@team_app.command()
def leave(ctx: typer.Context) -> None:
    """Stop replicating this book; the team's copy stays.

    Example: followup team leave
    """
    from followup_cli.services.team import leave as leave_team

    left = leave_team(store(ctx))
    render.line(f"Left the team at {left.storage}; its copy of your book stays in {left.rep}/")


@team_app.command()
def replicate(ctx: typer.Context) -> None:
    """Replicate each change as it is made, until stopped.

    For a systemd user unit or a launchd agent (the README has both).

    Example: followup team replicate
    """
    from followup_cli.services.team import replicate as run

    raise typer.Exit(run(store(ctx)))


@team_app.command()
def push(ctx: typer.Context) -> None:
    """Send what the team's copy lacks, once (for cron).

    Silent unless it fails, or at a terminal.

    Example: followup team push
    """
    import sys

    from followup_cli.services.team import push as push_once

    reached = push_once(store(ctx))
    if reached and sys.stdout.isatty():
        render.line(f"The book reached the team's storage at {_when(reached.at)}")


@team_app.command()
def status(ctx: typer.Context, output: DetailFormatOption = DetailFormat.table) -> None:
    """Where this book replicates to, and when it last got there.

    Example: followup team status
    """
    from followup_cli.services.team import status as team_status

    found = team_status(store(ctx, only_reads=True))
    shaped = {
        "storage": found.membership.storage,
        "rep": found.membership.rep,
        "joined_on": objects.iso(found.membership.joined_on),
        "replica": found.replica,
        "last_reached": _when(found.reached.at) if found.reached else None,
        "replica_files": found.reached.files if found.reached else 0,
        "replicating_pid": found.replicating,
        "unreachable": found.unreachable,
    }
    if output is DetailFormat.json:
        render.json_document(shaped)
        return
    render.line(f"team storage: {shaped['storage']} (as {shaped['rep']})")
    if found.unreachable:
        render.line(f"last reached it: unknown, the storage cannot be asked ({found.unreachable})")
    else:
        render.line(f"last reached it: {shaped['last_reached'] or 'never; `followup team push`'}")
    running = found.replicating
    render.line(
        f"replicating: {'yes, process ' + str(running) if running else 'no (team push sends it)'}"
    )


@team_app.command()
def restore(
    ctx: typer.Context,
    rep: Annotated[str, typer.Argument(metavar="NAME", help="Whose book.")],
    output_path: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="PATH", help="Where (default: the book's path)."),
    ] = None,
    storage: Annotated[
        str | None,
        typer.Option(
            "--from", metavar="STORAGE", help="The team's storage (default: this book's team)."
        ),
    ] = None,
) -> None:
    """Bring a rep's book back, on a new laptop.

    The book comes from the team's storage as a new file, checked, and carries on
    replicating from there.

    Example: followup team restore ana --from s3://acme-sales/team
    """
    from followup_cli.services.team import restore as restore_book

    book_path = state(ctx).database_path
    restored = restore_book(
        storage,
        store(ctx, only_reads=True) if storage is None and book_path.exists() else None,
        rep,
        output_path or book_path,
        create_directory=output_path is None and state(ctx).database_option is None,
    )
    render.line(f"Restored {rep}'s book to {restored}")


@team_app.command()
def pull(
    ctx: typer.Context,
    reps: Annotated[
        list[str] | None,
        typer.Argument(metavar="[NAME]...", help="Only these reps (default: every member)."),
    ] = None,
) -> None:
    """Bring every rep's latest copy into one team book.

    The team book is what `team due`, `show`, `stats` and `serve` read.

    Example: followup team pull
    """
    from followup_cli.services.team import membership_of
    from followup_cli.services.team_view import pull as pull_team

    book = store(ctx, only_reads=True)
    storage = membership_of(book).storage
    pulled = pull_team(book.path, storage, list(reps or ()))
    for name in pulled.without_replica:
        render.notice(f"{name} has no copy in the team's storage yet; passed over")
    render.line(
        f"Pulled {count_of(len(pulled.reps), 'rep')} into {pulled.book}: "
        f"{count_of(pulled.customers, 'customer')}"
    )
    for name, reached_at, customers in pulled.reps:
        when = _when(dt.datetime.fromisoformat(reached_at.replace("Z", "+00:00")))
        render.line(f"  {name}: {count_of(customers, 'customer')}, as of {when}")


@team_app.command()
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
    """Whom nobody on the team has spoken to lately, and why.

    A customer is due when nobody on the team has spoken to them within their cadence;
    the reason says who spoke last, and when.

    Example: followup team due --limit 20
    """
    from followup_cli.cli.daily import as_of_day
    from followup_cli.services.team_view import open_view, team_due

    today = config.today()
    day = as_of_day(as_of, today)
    view = open_view(state(ctx).database_path)
    try:
        entries, left_out = team_due(
            view, today, days=days, limit=limit, tag=tag, as_of=day, include_planned=everyone
        )
    finally:
        view.close()
    emit(
        [objects.team_due_object(*entry) for entry in entries],
        objects.TEAM_DUE_COLUMNS,
        output,
        terminal_columns=objects.TEAM_DUE_TERMINAL_COLUMNS,
        raw=raw,
    )
    if left_out:
        render.notice(f"left out {left_out} with a follow-up already planned; --all lists them")


@team_app.command()
def show(
    ctx: typer.Context,
    customer: Annotated[
        str, typer.Argument(metavar="CUSTOMER", help="An id, an email, a name or part of one.")
    ],
    everything: EveryTouchpointOption = False,
    output: DetailFormatOption = DetailFormat.table,
) -> None:
    """One customer's history across the team, rep by rep.

    Every rep's touchpoints, each with the rep who logged it.

    Example: followup team show "Acme Buyer"
    """
    from followup_cli.cli import daily
    from followup_cli.services.team_view import open_view, team_show

    view = open_view(state(ctx).database_path)
    try:
        found = team_show(view, customer)
    finally:
        view.close()
    daily.print_detail(
        found.detail, output, everything, reps=found.reps, touchpoint_reps=found.touchpoint_reps
    )


@team_app.command()
def stats(
    ctx: typer.Context,
    months: Annotated[
        int, typer.Option(min=1, max=120, help="The period: this many months up to today.")
    ] = 12,
    output: FormatOption = TableFormat.table,
    raw: RawOption = False,
) -> None:
    """Coverage, referral rate and touchpoints, per rep.

    Example: followup team stats --months 3
    """
    from followup_cli.services.team_view import open_view, team_stats

    today = config.today()
    view = open_view(state(ctx).database_path)
    try:
        team, per_rep = team_stats(view, today, months, today)
    finally:
        view.close()
    rows = [objects.rep_figures_object(figures) for figures in per_rep]
    if output is TableFormat.json:
        render.json_document({"team": team.as_json(), "reps": rows})
        return
    total = {
        "rep": "(team)",
        "customers": team.active_customers,
        "coverage": round(team.coverage, 4),
        "referral_rate": round(team.referral_rate, 4),
        "touchpoints": sum(sum(counts) for counts in team.touchpoints_by_week.values()),
    }
    shown = [*rows, total]
    if output is TableFormat.table:  # shares as people read them; CSV keeps the fractions
        shown = [
            row | {share: f"{row[share] * 100:.1f}%" for share in ("coverage", "referral_rate")}
            for row in shown
        ]
    title = f"Team, {team.period_start} to {team.as_of}"
    emit(shown, objects.REP_FIGURES_COLUMNS, output, title=title, raw=raw)


@team_app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="The address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="The port (0: any free).")] = 8001,
) -> None:
    """The team book in a browser (Datasette), read-only.

    With canned queries for the due list, coverage and referral rate by rep.

    Example: followup team serve --port 8001
    """
    from followup_cli.services.team_browser import serve as serve_team

    raise typer.Exit(serve_team(state(ctx).database_path, host, port))


def _when(moment) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")
