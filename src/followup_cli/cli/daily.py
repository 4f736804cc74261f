"""The bodies of `due`, `remind`, `show` and `--version`, what a person or cron runs most:
typer-free, so that cli/quick.py runs them without Typer's start-up, and the Typer commands
(which hold their options and help) call the same bodies."""

import sys
from enum import StrEnum

from followup_cli import __version__, config
from followup_cli.cli.listing import DetailFormat, TableFormat, emit
from followup_cli.cli.state import State
from followup_cli.customer_fields import FILE_KEYS
from followup_cli.output import objects, render, text

DIGEST_WIDTH = 99
SHOWN_TOUCHPOINTS = 10  # the rest scrolls the details away; `show --all` or `touchpoints`


class DigestFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


def print_version() -> None:
    sys.stdout.write(f"followup {__version__}\n")


def due(
    state: State,
    days: int,
    limit: int,
    tag: str | None,
    as_of: str | None,
    everyone: bool,
    output: TableFormat,
    raw: bool,
) -> None:
    from followup_cli.services.due import due_list

    today = config.today()
    result = due_list(
        state.store(only_reads=True),
        today,
        days=days,
        limit=limit,
        tag=tag,
        as_of=as_of_day(as_of, today),
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


def as_of_day(as_of: str | None, today):
    """`due --as-of` and `team due --as-of`: a day in the past, in any form `log` takes."""
    if as_of is None:
        return None
    from followup_cli.dates.phrases import parse_when

    return parse_when(as_of, today, "future", config.date_order())


def remind(state: State, days: int, limit: int, always: bool, output: DigestFormat) -> None:
    from followup_cli.services.digest import build_digest

    digest = build_digest(state.store(only_reads=True), config.today(), days, limit)
    if digest.empty and not always:
        return
    if output is DigestFormat.json:
        render.json_document(objects.digest_object(digest))
        return
    for line in text.digest_lines(digest, markdown=output is DigestFormat.markdown):
        sys.stdout.write(text.fit(render.neutralise(line), DIGEST_WIDTH) + "\n")


def show(state: State, customer: str, everything: bool, output: DetailFormat) -> None:
    from followup_cli.services.customers import customer_detail

    print_detail(customer_detail(state.store(only_reads=True), customer), output, everything)


def print_detail(
    detail,
    output: DetailFormat,
    everything: bool,
    reps: list[str] | None = None,
    touchpoint_reps: dict[int, str] | None = None,
) -> None:
    """`show`, and `team show` with the reps whose books hold the customer and each
    touchpoint's rep."""
    touchpoints = [objects.touchpoint_object(tp) for tp in detail.touchpoints]
    if touchpoint_reps is not None:
        touchpoints = [tp | {"rep": touchpoint_reps.get(tp["id"])} for tp in touchpoints]
    shaped = {
        # The columns an import kept that no field takes ("kept as extra fields: ...").
        "extra": dict(detail.customer.extra),
        "touchpoints": touchpoints,
        "referrals_made": [objects.referral_object(r) for r in detail.referrals_made],
        "referrals_received": [objects.referral_object(r) for r in detail.referrals_received],
        "open_follow_ups": [objects.follow_up_object(f) for f in detail.open_follow_ups],
    }
    person = objects.customer_object(detail.customer)
    if reps is not None:
        person["reps"] = reps
    if output is DetailFormat.json:
        render.json_document(person | shaped)
        return
    with render.paged():
        _print_detail(person, shaped, everything, touchpoint_reps is not None)


def _print_detail(person: dict, shaped: dict, everything: bool, with_reps: bool) -> None:
    touchpoints, follow_ups = shaped["touchpoints"], shaped["open_follow_ups"]
    made, received = shaped["referrals_made"], shaped["referrals_received"]
    render.heading(f"{person['name']} (#{person['id']})")
    for label in FILE_KEYS[1:]:  # the name is the heading; a card's UID is for matching
        value = objects.cell(person[label]) if label != "uid" else None
        if value and label in ("birthday", "anniversary"):
            from followup_cli.dates.yearly import spoken

            value = spoken(value)
        if value:
            render.line(f"{label.replace('_', ' ')}: {value}")
    for label, value in shaped["extra"].items():
        render.line(f"{label}: {value}")
    if with_reps:
        render.line(f"in the books of: {', '.join(person['reps'])}")
    render.line(f"last contact: {person['last_contact'] or 'never'}")
    if person["sales_total"]:
        render.line(f"sales total: {objects.cell(person['sales_total'])}")
    more = 0 if everything else max(0, len(touchpoints) - SHOWN_TOUCHPOINTS)
    sections = [
        ("Open follow-ups", follow_ups, ["id", "due_on", "note"]),
        (
            "Touchpoints",
            touchpoints[: len(touchpoints) - more],
            [*objects.TOUCHPOINT_COLUMNS, "rep"] if with_reps else objects.TOUCHPOINT_COLUMNS,
        ),
        ("Referred", made, ["referred", "referred_email", "date", "note", "referred_status"]),
        ("Referred by", received, ["referrer", "referrer_email", "date", "note"]),
    ]
    for title, shown, columns in sections:
        if shown:
            render.line()
            render.table(columns, objects.rows_of(shown, columns), title)
            if title == "Touchpoints" and more:
                again = "team show {} --all" if with_reps else "touchpoints {}"
                render.line(f"{more} more: followup {again.format(person['id'])}")
