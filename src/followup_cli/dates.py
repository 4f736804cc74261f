"""Dates: the words people type, and the cells files hold. One module, so that the two agree
on what a two-digit year means, which of day and month comes first, and what an impossible
date is called.

The phrase parser never reads the clock: callers pass `today` (see config.today), which keeps
every phrase testable. The direction says which way a phrase without one points: a touchpoint
is logged in the past ("friday" is the last one, "3d" is three days ago), a follow-up is
promised in the future ("friday" is the next one, "3d" is three days ahead).

File cells are stricter: ISO dates and timestamps, "3 Nov 2025", 31.12.2025, and slashed dates
whose order is decided per column by a value that shows it (a 13 or more in either place).
"""

import datetime as dt
import re
from typing import Literal

from followup_cli.errors import InvalidInputError

Direction = Literal["past", "future"]

FORMS_HINT = (
    "try 2026-11-03, today, yesterday, friday, last friday, 3 days ago, in 2 weeks or 3d/2w/1m"
)

_WEEKDAYS = {
    name: index
    for index, names in enumerate(
        [
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thur", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        ]
    )
    for name in names
}
_UNITS = {
    "d": "days",
    "day": "days",
    "days": "days",
    "w": "weeks",
    "wk": "weeks",
    "week": "weeks",
    "weeks": "weeks",
    "m": "months",
    "mo": "months",
    "month": "months",
    "months": "months",
    "y": "years",
    "yr": "years",
    "year": "years",
    "years": "years",
}
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[t ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_WEEKDAY = re.compile(r"(?:(last|next|this|on)\s+)?([a-z]+)")
_RELATIVE = re.compile(r"(in\s+)?(\d+|an?|one)\s*([a-z]+)(\s+ago)?(\s+from\s+(?:now|today))?")
_NUMERIC = re.compile(r"(\d{1,2})([/.])(\d{1,2})\2(\d{2}|\d{4})")


# The days followup keeps: a history back to 1900, promises up to 2199. Beyond them a date is
# a typing mistake, and date arithmetic near year 1 or 9999 would overflow.
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2199, 12, 31)


def within_range(day: dt.date, text: str) -> dt.date:
    if not EARLIEST <= day <= LATEST:
        raise InvalidInputError(
            f"{text!r} is {day.isoformat()}, outside the dates followup keeps "
            f"({EARLIEST.isoformat()} to {LATEST.isoformat()})"
        )
    return day


def parse_when(
    text: str, today: dt.date, direction: Direction, date_order: str | None = None
) -> dt.date:
    """Read one date phrase; `date_order` ("dmy"/"mdy") settles slashed dates like 03/11/2026."""
    return within_range(_read_phrase(text, today, direction, date_order), text)


def _read_phrase(text: str, today: dt.date, direction: Direction, date_order: str | None):
    phrase = " ".join(text.strip().lower().split())
    if not phrase:
        raise InvalidInputError(f"an empty date; {FORMS_HINT}")
    for reader in (_read_iso, _read_word, _read_weekday, _read_relative):
        found = reader(phrase, today, direction)
        if found is not None:
            return found
    numeric = _NUMERIC.fullmatch(phrase)
    if numeric:
        return _read_numeric(phrase, numeric, date_order)
    if phrase.isascii() and phrase.isdigit():
        raise InvalidInputError(f"{text!r} is only a number; did you mean {phrase}d? {FORMS_HINT}")
    return _read_with_dateutil(text, phrase, today, direction)


def parse_past(
    text: str,
    today: dt.date,
    date_order: str | None = None,
    why: str = "log what has happened, and promise what will with --next",
) -> dt.date:
    """A date something happened on: refuses the future, since you log what has happened."""
    when = parse_when(text, today, "past", date_order)
    if when > today:
        raise InvalidInputError(
            f"{text!r} is {when.isoformat()}, after today ({today.isoformat()}); {why}"
        )
    return when


def parse_future(text: str, today: dt.date, date_order: str | None = None) -> dt.date:
    """A date something is promised for: refuses the past, where a promise cannot be kept."""
    when = parse_when(text, today, "future", date_order)
    if when < today:
        raise InvalidInputError(
            f"{text!r} is {when.isoformat()}, before today ({today.isoformat()}); "
            "a follow-up can only be promised for today or later"
        )
    return when


def _real_date(year: int, month: int, day: int, original: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise InvalidInputError(f"{original!r} is not a real date") from None


def full_year(digits: str) -> int:
    """'75' is 1975 and '25' is 2025, in a phrase and in a file alike: two digits up to 69
    are this century, from 70 the last (as POSIX strptime reads %y, give or take a year)."""
    year = int(digits)
    if len(digits) == 2:
        year += 2000 if year < 70 else 1900
    return year


def order_shown(first: int, second: int) -> str | None:
    """'dmy' or 'mdy' when one of a numeric date's two leading numbers can only be a day."""
    if first > 12 >= second:
        return "dmy"
    if second > 12 >= first:
        return "mdy"
    return None


def _read_iso(phrase: str, today: dt.date, direction: Direction) -> dt.date | None:
    match = _ISO.fullmatch(phrase)
    if not match:
        return None
    year, month, day = (int(part) for part in match.groups())
    return _real_date(year, month, day, phrase)


def _read_word(phrase: str, today: dt.date, direction: Direction) -> dt.date | None:
    offsets = {"today": 0, "now": 0, "yesterday": -1, "tomorrow": 1}
    offsets |= {"next week": 7, "last week": -7, "a week ago": -7}
    if phrase in offsets:
        return today + dt.timedelta(days=offsets[phrase])
    return None


def _read_weekday(phrase: str, today: dt.date, direction: Direction) -> dt.date | None:
    match = _WEEKDAY.fullmatch(phrase)
    if not match or match.group(2) not in _WEEKDAYS:
        return None
    qualifier, weekday = match.group(1), _WEEKDAYS[match.group(2)]
    days_back = (today.weekday() - weekday) % 7
    days_ahead = (weekday - today.weekday()) % 7
    if qualifier == "last":
        return today - dt.timedelta(days=days_back or 7)
    if qualifier == "next":
        return today + dt.timedelta(days=days_ahead or 7)
    if direction == "past":
        return today - dt.timedelta(days=days_back)
    return today + dt.timedelta(days=days_ahead or 7)


def _read_relative(phrase: str, today: dt.date, direction: Direction) -> dt.date | None:
    match = _RELATIVE.fullmatch(phrase)
    if not match or match.group(3) not in _UNITS:
        return None
    forward, count_word, unit_word, backward, from_now = match.groups()
    if (forward or from_now) and backward:
        raise InvalidInputError(f"{phrase!r} points both ways; say 'in 3 days' or '3 days ago'")
    count = int(count_word) if count_word.isdigit() else 1
    if forward or from_now:
        sign = 1
    elif backward:
        sign = -1
    else:
        sign = 1 if direction == "future" else -1
    from dateutil.relativedelta import relativedelta

    try:
        return today + relativedelta(**{_UNITS[unit_word]: sign * count})
    except (OverflowError, ValueError):
        raise InvalidInputError(f"{phrase!r} is too far away") from None


def _read_numeric(phrase: str, match: re.Match, date_order: str | None) -> dt.date:
    first, separator, second, year_text = match.groups()
    first_number, second_number = int(first), int(second)
    year = full_year(year_text)
    if separator == "." and date_order is None:
        date_order = "dmy"  # dotted dates are day-first wherever they are written
    if date_order is None:
        date_order = order_shown(first_number, second_number)
        if first_number == second_number:
            date_order = "dmy"
        elif date_order is None:
            raise InvalidInputError(
                f"{phrase!r} could be either day or month first; write it as YYYY-MM-DD, "
                "or set FOLLOWUP_DATE_ORDER=dmy or mdy"
            )
    if date_order == "dmy":
        return _real_date(year, second_number, first_number, phrase)
    return _real_date(year, first_number, second_number, phrase)


def _read_with_dateutil(text: str, phrase: str, today: dt.date, direction: Direction) -> dt.date:
    """Month names and the like ("3 Nov 2025", "nov 3"); a date without a year means the
    nearest one in the phrase's direction."""
    from dateutil import parser

    try:
        # Parse against two leap-year defaults: if the year differs, the phrase gave none.
        first = parser.parse(phrase, default=dt.datetime(2000, today.month, 1)).date()
        second = parser.parse(phrase, default=dt.datetime(2004, today.month, 1)).date()
    except (parser.ParserError, ValueError, OverflowError):
        raise InvalidInputError(f"cannot read {text!r} as a date; {FORMS_HINT}") from None
    if first == second:
        return first
    candidates = []
    for year in range(today.year - 8, today.year + 9):  # 29 February needs a leap year
        try:
            candidates.append(first.replace(year=year))
        except ValueError:
            continue
    if direction == "past":
        earlier = [candidate for candidate in candidates if candidate <= today]
        return max(earlier)
    later = [candidate for candidate in candidates if candidate >= today]
    return min(later)


# Dates as files hold them.

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
        return _real_date(full_year(year), month, day, text)
    dotted = _DOTTED.fullmatch(text)
    if dotted:
        day, month, year = dotted.groups()
        return _real_date(full_year(year), int(month), int(day), text)
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
