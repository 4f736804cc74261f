"""The rules every date obeys, typed or in a file: the range of days kept, the two-digit year,
which of day and month a numeric date shows first, and what an impossible date is called."""

import datetime as dt

from followup_cli.errors import InvalidInputError

# The days followup keeps: a history back to 1900, promises up to 2199. Beyond them a date is
# a typing mistake, and date arithmetic near year 1 or 9999 would overflow.
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2199, 12, 31)


def is_kept(day: dt.date) -> bool:
    return EARLIEST <= day <= LATEST


def within_range(day: dt.date, text: str) -> dt.date:
    if not is_kept(day):
        raise InvalidInputError(
            f"{text!r} is {day.isoformat()}, outside the dates followup keeps "
            f"({EARLIEST.isoformat()} to {LATEST.isoformat()})"
        )
    return day


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


def real_date(year: int, month: int, day: int, original: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise InvalidInputError(f"{original!r} is not a real date") from None


def month_length(year: int, month: int) -> int:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).day
