"""Dates as files hold them, stricter than what people type: ISO dates and timestamps,
"3 Nov 2025", 31.12.2025, and slashed dates whose order is decided per column by a value that
shows it (a 13 or more in either place)."""

import datetime as dt
import re

from followup_cli.dates.rules import full_year, order_shown, real_date, within_range
from followup_cli.errors import InvalidInputError

_SLASHED = re.compile(
    r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})(?:[ T,]+\d{1,2}:\d{2}(?::\d{2})?\s*([ap]m)?)?", re.I
)
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})(?:[ T,]+\d{1,2}:\d{2}(?::\d{2})?)?")
_EMPTY_PLACEHOLDERS = re.compile(r"0{1,2}/0{1,2}/0{2,4}|0{4}-0{2}-0{2}.*|n/?a|-+|none|null")
_TEXT_FORMATS = ("%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%b %d %Y", "%d-%b-%Y")


class DateOrderUndecided(InvalidInputError):
    """No value in a column says whether its slashed dates are day or month first."""


def slashed_order_hint(value: str) -> str | None:
    """'dmy' or 'mdy' when this value decides it, else None."""
    match = _SLASHED.fullmatch(value.strip())
    if not match:
        return None
    return order_shown(int(match.group(1)), int(match.group(2)))


def is_slashed(value: str) -> bool:
    return bool(_SLASHED.fullmatch(value.strip()))


def parse_file_date(value: str, order: str | None) -> dt.date | None:
    """The date in one cell, None for an empty cell or a vendor's empty placeholder."""
    day = _read_cell(value, order)
    return within_range(day, value.strip()) if day else None


def _read_cell(value: str, order: str | None) -> dt.date | None:
    text = value.strip()
    if not text or _EMPTY_PLACEHOLDERS.fullmatch(text.lower()):
        return None
    iso = _iso(text)
    if iso:
        return iso
    slashed = _SLASHED.fullmatch(text)
    if slashed:
        first, second, year = int(slashed.group(1)), int(slashed.group(2)), slashed.group(3)
        order = order or slashed_order_hint(text)
        if order is None:
            if first != second:
                raise DateOrderUndecided(
                    f"dates like {text!r} could be day or month first and no date in their "
                    "column says which; give --date-order dmy or --date-order mdy"
                )
            order = "dmy"
        day, month = (first, second) if order == "dmy" else (second, first)
        return real_date(full_year(year), month, day, text)
    dotted = _DOTTED.fullmatch(text)
    if dotted:
        day, month, year = dotted.groups()
        return real_date(full_year(year), int(month), int(day), text)
    for pattern in _TEXT_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise InvalidInputError(f"cannot read {text!r} as a date; use YYYY-MM-DD")


def _iso(text: str) -> dt.date | None:
    if not (len(text) >= 10 and text[4] == "-" and text[:4].isdigit()):
        return None
    try:
        moment = dt.datetime.fromisoformat(text.replace(" UTC", "+00:00"))
    except ValueError:
        raise InvalidInputError(f"{text!r} is not a real date or time") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone()  # a timestamp with a zone lands on the local date
    return moment.date()
