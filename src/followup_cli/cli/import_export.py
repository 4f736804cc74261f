"""import and export: CSV in and out, for shell scripts and for moving from another CRM."""

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from followup_cli import config
from followup_cli.cli.app import app, state, store
from followup_cli.errors import InvalidInputError
from followup_cli.output import render

PROGRESS_MINIMUM_BYTES = 2 * 1024 * 1024


class ImportKind(StrEnum):
    customers = "customers"
    touchpoints = "touchpoints"
    referrals = "referrals"
    mail = "mail"
    calendar = "calendar"
    phone = "phone"


class ExportKind(StrEnum):
    customers = "customers"
    touchpoints = "touchpoints"
    referrals = "referrals"
    followups = "followups"


class ReportFormat(StrEnum):
    text = "text"
    json = "json"


class ExportFormat(StrEnum):
    csv = "csv"
    json = "json"
    ics = "ics"
    vcard = "vcard"


class Conflict(StrEnum):
    update = "update"
    skip = "skip"
    error = "error"


class DateOrder(StrEnum):
    dmy = "dmy"
    mdy = "mdy"


@app.command("import")
def import_(
    ctx: typer.Context,
    kind: Annotated[
        ImportKind,
        typer.Argument(
            metavar="KIND", help="customers, touchpoints, referrals; mail, calendar or phone."
        ),
    ],
    files: Annotated[
        list[str],
        typer.Argument(
            metavar="FILE...",
            help="A CSV file, vCards (a .vcf file or folder), an mbox file or Maildir, "
            "an .ics calendar, or - for stdin; phone: calls-*.xml and sms-*.xml files.",
        ),
    ],
    dry_run: Annotated[bool, typer.Option(help="Check and count, write nothing.")] = False,
    skip_invalid: Annotated[
        bool, typer.Option(help="Import the rows, cards or events that can be read.")
    ] = False,
    map_: Annotated[
        list[str] | None,
        typer.Option("--map", metavar="COLUMN=FIELD", help="Map a column to a field; repeat."),
    ] = None,
    on_conflict: Annotated[
        Conflict, typer.Option(help="A customer already on file: update, skip or error.")
    ] = Conflict.update,
    delimiter: Annotated[
        str | None, typer.Option(help="Field separator (default: sniffed); 'tab' for tabs.")
    ] = None,
    encoding: Annotated[
        str | None, typer.Option(help="Text encoding (default: detected), e.g. cp1252.")
    ] = None,
    date_order: Annotated[
        DateOrder | None, typer.Option(help="Read slashed dates day-first or month-first.")
    ] = None,
    me: Annotated[
        list[str] | None,
        typer.Option(
            metavar="ADDRESS",
            help="Mail, calendar: your own address (repeat; default $FOLLOWUP_ME).",
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(metavar="WHEN", help="Mail, calendar, phone: only what happened since then."),
    ] = None,
    region: Annotated[
        str | None,
        typer.Option(
            metavar="CC",
            help="Phone: the country of national numbers, e.g. DE (default $FOLLOWUP_REGION, "
            "else the locale's).",
        ),
    ] = None,
    output: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="The report as text or json.")
    ] = ReportFormat.text,
) -> None:
    """Import CSV (ours, or Google, Outlook, HubSpot, Salesforce, Pipedrive, LinkedIn
    exports) or vCards from a phone or address book.

    Mail, calendars and phone backups (SMS Backup & Restore) log an email, meeting, call or
    message touchpoint for each customer it was with, matched by address or number; nobody
    new is added, and importing again adds nothing twice.

    \b
    Examples:
      followup import customers hubspot-contacts.csv --dry-run
      followup import mail ~/Maildir/.Sent --since "7 days ago"
      followup import phone calls-20261201.xml sms-20261201.xml --region DE
    """
    from followup_cli.imports.pipeline import ImportOptions, ImportRefused, import_file

    gathered = kind in (ImportKind.mail, ImportKind.calendar, ImportKind.phone)
    if len(files) > 1 and kind is not ImportKind.phone:
        raise InvalidInputError(f"import {kind.value} takes one FILE; several are for import phone")
    if region and kind is not ImportKind.phone:
        raise InvalidInputError("--region is for import phone only")
    if me and kind is ImportKind.phone:
        raise InvalidInputError("--me is for import mail and import calendar only")
    file = files[0]
    _check_kind_options(
        gathered,
        csv_only={
            "--map": map_,
            "--on-conflict": on_conflict is not Conflict.update,
            "--delimiter": delimiter,
            "--encoding": encoding,
            "--date-order": date_order,
        },
        gathered_only={"--me": me, "--since": since},
    )
    options = ImportOptions(
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        maps=tuple(map_ or ()),
        on_conflict=on_conflict.value,
        delimiter=delimiter,
        encoding=encoding,
        date_order=date_order.value if date_order else None,
    )
    size = None if file == "-" else sum(_size(name) or 0 for name in files) or None
    today = config.today()
    with render.progress_bar(f"importing {kind.value}", size, PROGRESS_MINIMUM_BYTES) as bar:
        try:
            if gathered:
                report = _import_gathered(ctx, kind, files, options, today, me, since, region, bar)
            else:
                report = import_file(store(ctx), kind.value, file, options, today, bar)
        except ImportRefused as refusal:
            _print_report(refusal.report, output, to_stderr=True)
            raise
    _print_report(report, output, to_stderr=False)


def _import_gathered(ctx, kind, files, options, today, me, since, region, bar):
    from followup_cli.dates.phrases import parse_past
    from followup_cli.imports.pipeline import import_gathered

    since_day = (
        parse_past(since, today, config.date_order(), why="--since is a day that has passed")
        if since
        else None
    )
    phone = kind is ImportKind.phone
    addresses = frozenset() if phone else config.my_addresses(me)
    return import_gathered(
        store(ctx),
        kind.value,
        files,
        options,
        today,
        addresses,
        since_day,
        bar,
        config.phone_region(region) if phone else None,
    )


def _check_kind_options(gathered: bool, csv_only: dict, gathered_only: dict) -> None:
    """Options that mean nothing for the kind given are refused, not ignored."""
    for name, value in (csv_only if gathered else gathered_only).items():
        if value:
            what = (
                "CSV and vCard files"
                if gathered
                else "import mail and calendar"
                if name == "--me"
                else "import mail, calendar and phone"
            )
            raise InvalidInputError(f"{name} is for {what} only")


def _size(file: str) -> int | None:
    try:
        return Path(file).stat().st_size
    except OSError:
        return None


def _print_report(report, output: ReportFormat, to_stderr: bool) -> None:
    counts = {
        name: getattr(report, name)
        for name in ("created", "updated", "unchanged", "skipped", "rejected")
    }
    if output is ReportFormat.json:
        render.json_document(
            {
                "kind": report.kind,
                "dry_run": report.dry_run,
                "written": report.written,
                **counts,
                "problems": [{"line": line, "reason": reason} for line, reason in report.problems],
                "warnings": [{"line": line, "reason": reason} for line, reason in report.warnings],
                "unmapped_columns": report.unmapped_columns,
                "skipped_because": report.skipped_because,
                "lanes": report.lanes,
            }
        )
        return
    say = render.notice if to_stderr else render.wrapped_line
    for line, reason in report.problems:
        say(f"line {line}: {reason}" if line else reason)
    for line, reason in report.warnings:
        say(f"line {line}: warning: {reason}" if line else f"warning: {reason}")
    if report.unmapped_columns:
        say("kept as extra fields: " + ", ".join(report.unmapped_columns))
    if to_stderr:
        return
    summary = ", ".join(f"{count} {name}" for name, count in counts.items())
    if report.dry_run:
        say(f"dry run, nothing written: {summary}")
    elif counts["unchanged"] and not (counts["created"] or counts["updated"]):
        say(f"nothing changed, all already on file: {summary}")
    else:
        say(f"imported {report.kind}: {summary}")
    if report.skipped_because:
        reasons = sorted(report.skipped_because.items())
        say("skipped: " + ", ".join(f"{reason} {count}" for reason, count in reasons))


@app.command()
def export(
    ctx: typer.Context,
    kind: Annotated[
        ExportKind,
        typer.Argument(metavar="KIND", help="customers, touchpoints, referrals, followups."),
    ],
    output_format: Annotated[
        ExportFormat,
        typer.Option("--format", "-f", help="csv, json; vcard for customers, ics for followups."),
    ] = ExportFormat.csv,
    output_file: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="FILE", help="Write here, not stdout.")
    ] = None,
    raw: Annotated[
        bool, typer.Option(help="Do not guard CSV cells against spreadsheet formulas.")
    ] = False,
) -> None:
    """Export a table as CSV (re-importable) or JSON; customers also as vCard, open
    follow-ups as iCalendar.

    Example: followup export customers -o customers.csv
    """
    from followup_cli.services.exporter import COLUMNS, card_objects, export_cell, export_objects

    if output_format is ExportFormat.ics and kind is not ExportKind.followups:
        raise InvalidInputError("--format ics is for `export followups` only")
    if output_format is ExportFormat.vcard and kind is not ExportKind.customers:
        raise InvalidInputError("--format vcard is for `export customers` only")
    book = store(ctx, only_reads=True)
    vcards = output_format is ExportFormat.vcard
    objects = card_objects(book) if vcards else export_objects(book, kind.value)
    with _output(ctx, output_file) as stream:
        if output_format is ExportFormat.json:
            stream.write(render.json_text(list(objects)) + "\n")
        elif output_format is ExportFormat.csv:
            columns = COLUMNS[kind.value]
            rows = ([export_cell(item[column]) for column in columns] for item in objects)
            render.csv_document(columns, rows, raw, stream)
        elif output_format is ExportFormat.vcard:
            from followup_cli.output.vcard import vcard_text

            stream.writelines(vcard_text(objects))
        else:
            _write_calendar(ctx, stream)
    if output_file:
        render.notice(f"wrote {output_file}")


@contextmanager
def _output(ctx: typer.Context, path: Path | None) -> Iterator:
    if path is None:
        yield render.document_stdout()
        return
    from followup_cli.output_files import written_whole

    with written_whole(path, state(ctx).database_path) as stream:
        yield stream


def _write_calendar(ctx: typer.Context, stream) -> None:
    from followup_cli.services.calendar import follow_ups_to_ics

    book = store(ctx, only_reads=True)
    calendar = follow_ups_to_ics(
        book.follow_ups.open_until(None), book.customers.with_yearly_dates(), config.today()
    )
    stream.write(calendar.decode("utf-8"))
