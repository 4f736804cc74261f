"""The formats a listing is printed in, and `emit`, which prints one in the format asked
for. Typer-free, for the quick path too."""

from enum import StrEnum

from followup_cli.output import render

MAX_LIMIT = 1_000_000  # `--limit`'s upper bound


class TableFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class DetailFormat(StrEnum):
    table = "table"
    json = "json"


def emit(
    objects: list[dict],
    columns: list[str],
    output: TableFormat,
    title: str | None = None,
    terminal_columns: list[str] | None = None,
    raw: bool = False,
):
    """One listing in the format asked for: the same objects behind every format.

    `terminal_columns` is a narrower choice for a person at a terminal; pipes get them all.
    """
    from followup_cli.output.objects import rows_of

    if output is TableFormat.json:
        render.json_document(objects)
    elif output is TableFormat.csv:
        render.csv_document(columns, rows_of(objects, columns), raw)
    else:
        if terminal_columns and render.use_rich():
            columns = terminal_columns
        with render.paged():
            render.table(columns, rows_of(objects, columns), title)
