"""Plain customer rows, checked and converted a column at a time.

Most customer files are plain: one name column, one email per row, no stray spaces, no
vendor quirks. For those, per-row Python (a dict of values, a record, a dozen calls) is most
of an import's time, so a chunk of rows is checked whole: each column joined into one string
and tested with substring checks (and emails with one regular expression), each conversion
one list comprehension. A chunk that is not plain in every cell returns None and goes
through records.py row by row, which gives the same result for plain rows and handles, or
rejects, everything else.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from followup_cli.customer_fields import FILE_KEYS
from followup_cli.imports.columns import ColumnMap
from followup_cli.values import (
    EMAIL_PATTERN,
    MAX_CADENCE_DAYS,
    MAX_FIELD_LENGTH,
    STATUS_WORDS,
    email_key,
    is_whole_number,
    split_tags,
)

# A tag to trim or an empty one between commas: such a column takes the slower split.
_UNEVEN_COMMAS = (", ", " ,", ",,", ",\x00", "\x00,")
PLAIN_FIELDS = FILE_KEYS  # the customer's own fields, as our export writes them
_EMAIL_COLUMN = re.compile(f"(?:{EMAIL_PATTERN})(?:\x00(?:{EMAIL_PATTERN}))*")


@dataclass(frozen=True)
class PlainLayout:
    """Where each plain field sits in a row; imports with any other field are never plain."""

    width: int
    positions: dict[str, int]


@dataclass(frozen=True)
class PlainChunk:
    """Per field of PLAIN_FIELDS, a value per row: what a CustomerRecord would hold, but ""
    where the file leaves the field empty (sqlite3 binds a str far faster than a None, and
    the store turns "" into NULL or the default), and tags already as stored JSON text."""

    fields: dict[str, Sequence]
    email_keys: list[str]
    present: tuple[str, ...]  # the fields the file has a column for, in PLAIN_FIELDS order

    def values(self) -> list[tuple]:
        """Row by row, the values of the fields present."""
        return list(zip(*(self.fields[name] for name in self.present), strict=True))


def plain_layout(columns: ColumnMap) -> PlainLayout | None:
    if columns.unmapped:
        return None  # their cells go to the customer's extra fields, row by row
    positions: dict[str, int] = {}
    for index, field in columns.fields.items():
        if field not in PLAIN_FIELDS or field in positions:
            return None
        positions[field] = index
    if "name" not in positions or "email" not in positions:
        return None
    return PlainLayout(len(columns.header), positions)


class _NotPlain(Exception):
    """Some cell needs records.py: the chunk goes row by row."""


def plain_chunk(rows: list[list[str]], layout: PlainLayout) -> PlainChunk | None:
    try:
        return _convert(rows, layout)
    except _NotPlain:
        return None


def _convert(rows: list[list[str]], layout: PlainLayout) -> PlainChunk:
    widths = set(map(len, rows))
    if len(widths) != 1 or widths.pop() < layout.width:
        raise _NotPlain
    columns = list(zip(*rows, strict=True))
    for column in columns:
        joined = "\x00".join(column)
        if joined.count("\x00") >= len(column):
            raise _NotPlain  # a NUL byte: records.py names the line
        if len(joined) > MAX_FIELD_LENGTH and max(map(len, column)) > MAX_FIELD_LENGTH:
            raise _NotPlain  # a cell over 64 KiB: records.py names the line
        if "\x00'" in joined or joined.startswith("'") or tuple(map(str.strip, column)) != column:
            raise _NotPlain  # a cell to trim, or our export's formula guard to drop
    if any(any(column) for column in columns[layout.width :]):
        raise _NotPlain  # cells beyond the header
    where = layout.positions
    names, emails = columns[where["name"]], columns[where["email"]]
    if not all(names) or "  " in "\x00".join(names):
        raise _NotPlain
    if not _EMAIL_COLUMN.fullmatch("\x00".join(emails)):
        raise _NotPlain
    empty = ("",) * len(rows)
    converters = {
        "phone": _as_is,
        "company": _as_is,
        "tags": _tags,
        "notes": _as_is,
        "status": _statuses,
        "cadence_days": _cadences,
        "uid": _empty_only,
        "birthday": _empty_only,
        "anniversary": _empty_only,
    }
    fields = {"name": names, "email": emails} | {
        field: convert(columns[where[field]]) if field in where else empty
        for field, convert in converters.items()
    }
    present = tuple(name for name in PLAIN_FIELDS if name in where)
    return PlainChunk(fields, [email_key(email) for email in emails], present)


def _as_is(cells: tuple[str, ...]) -> tuple[str, ...]:
    return cells


def _tags(cells: tuple[str, ...]) -> list[str]:
    """Printable ASCII tags separated by commas, stored as JSON without escaping; Google's
    ":::", semicolons, "* myContacts" and anything to escape go row by row."""
    text = "".join(cells)
    if not (text.isascii() and text.isprintable()) or any(c in text for c in '"\\:;*'):
        raise _NotPlain
    lowered = "\x00".join(cells).lower()
    if any(uneven in lowered for uneven in _UNEVEN_COMMAS) or "," in (lowered[:1], lowered[-1:]):
        return [_comma_separated_tags(cell) for cell in lowered.split("\x00")]
    return [
        (
            '["' + cell.replace(",", '", "') + '"]'
            if "," not in cell or _distinct(cell)
            else _comma_separated_tags(cell)
        )
        if cell
        else ""
        for cell in lowered.split("\x00")
    ]


def _distinct(cell: str) -> bool:
    parts = cell.split(",")
    return len(set(parts)) == len(parts)


def _comma_separated_tags(cell: str) -> str:
    tags = split_tags([cell]) if cell else ()
    return '["' + '", "'.join(tags) + '"]' if tags else ""


def _statuses(cells: tuple[str, ...]) -> list[str]:
    statuses = [STATUS_WORDS.get(cell.lower()) if cell else "" for cell in cells]
    if any(status is None and cell for status, cell in zip(statuses, cells, strict=True)):
        raise _NotPlain  # a word only records.py knows, or one it rejects with the reason
    return statuses


def _empty_only(cells: tuple[str, ...]) -> tuple[str, ...]:
    """A UID matches before the email does (services.lookup), and a birthday is read in
    any of a dozen forms (dates/yearly.py): either goes row by row."""
    if any(cells):
        raise _NotPlain
    return cells


def _cadences(cells: tuple[str, ...]) -> list[int | str]:
    if not all(is_whole_number(cell) for cell in cells if cell):
        raise _NotPlain
    cadences = [int(cell) if cell else "" for cell in cells]
    if any(days != "" and not 1 <= days <= MAX_CADENCE_DAYS for days in cadences):
        raise _NotPlain
    return cadences
