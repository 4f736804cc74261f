"""Dates that come back every year: a customer's birthday and anniversary.

A value is kept as "YYYY-MM-DD", or as "--MM-DD" when the year is not known (the form of
vCard 4 and of Google's export). 29 February falls on 28 February in other years. The
rules that read one, place it in a year and word it are here once, for typing, importing,
`due`, `remind`, `work` and the calendar export alike.
"""

import calendar
import datetime as dt
import re

from followup_cli.dates.cells import parse_file_date
from followup_cli.dates.rules import within_range
from followup_cli.errors import InvalidInputError

YEARLY_KEYS = ("birthday", "anniversary")
SOON_DAYS = 7  # today through a week ahead: a card or a call still arrives in time
# Years address books write for "no year": Apple's 1604 (with X-APPLE-OMIT-YEAR), and 0000.
_NO_YEAR = ("1604", "0000")
_YEARLESS = re.compile(r"--(\d{2})-?(\d{2})")
_BASIC = re.compile(r"(\d{4})(\d{2})(\d{2})(?:T.*)?")
_MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_WORDS = re.compile(
    r"(\d{1,2})(?:st|nd|rd|th)?\.? ([a-z]+)\.?|([a-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?"
)


def read_yearly(text: str | None, order: str | None = None, label: str = "date") -> str | None:
    """A typed or imported value as kept, None for nothing (an empty cell, Outlook's 0/0/00).
    Without a year: "14 March", "March 14", "--03-14", "--0314"; with one, any date a file
    holds (dates.cells, `order` deciding slashed ones) or "14 March 1976"."""
    cleaned = (text or "").strip()
    if not cleaned:
        return None
    lowered = cleaned.lower().replace(",", " ")
    lowered = " ".join(lowered.split())
    if re.match(r"\d{4}-\d{2}-\d{2}t", lowered):
        lowered = lowered[:10]  # a birthday is a day wherever it is read, not a moment
    match = _YEARLESS.fullmatch(lowered)
    if match:
        return _without_year(int(match.group(1)), int(match.group(2)), cleaned, label)
    if lowered[:4] in _NO_YEAR and len(lowered) >= 10 and lowered[4] == "-":
        return _without_year(int(lowered[5:7]), int(lowered[8:10]), cleaned, label)
    match = _BASIC.fullmatch(lowered)
    if match:  # vCard 3's basic form, 19760314
        if match.group(1) in _NO_YEAR:
            return _without_year(int(match.group(2)), int(match.group(3)), cleaned, label)
        lowered = f"{match.group(1)}-{match.group(2)}-{match.group(3)}"
    match = _WORDS.fullmatch(lowered)
    if match:
        day, month = (match.group(1), match.group(2)) if match.group(1) else match.group(4, 3)
        if month in _MONTHS:
            return _without_year(_MONTHS[month], int(day), cleaned, label)
    try:
        day = parse_file_date(lowered if lowered[:1].isdigit() else cleaned, order)
    except InvalidInputError:
        raise InvalidInputError(
            f"cannot read {cleaned!r} as a {label}; use 14 March, --03-14 or 1976-03-14"
        ) from None
    return within_range(day, cleaned).isoformat() if day else None


def _without_year(month: int, day: int, text: str, label: str) -> str:
    if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(2000, month)[1]):
        raise InvalidInputError(f"{text!r} is not a day of the year for a {label}")
    return f"--{month:02d}-{day:02d}"


def month_day(value: str) -> tuple[int, int]:
    return int(value[-5:-3]), int(value[-2:])


def year_of(value: str) -> int | None:
    return None if value.startswith("--") else int(value[:4])


def on_year(value: str, year: int) -> dt.date:
    month, day = month_day(value)
    if (month, day) == (2, 29) and not calendar.isleap(year):
        day = 28
    return dt.date(year, month, day)


def next_on(value: str, today: dt.date) -> dt.date:
    """The next time it comes round, today included."""
    this_year = on_year(value, today.year)
    return this_year if this_year >= today else on_year(value, today.year + 1)


def soon_keys(today: dt.date, days: int = SOON_DAYS) -> list[str]:
    """The "MM-DD" ends of values that fall today through `days` days ahead: the keys a
    store index on the value's last five characters finds them by."""
    keys = []
    for offset in range(days + 1):
        day = today + dt.timedelta(days=offset)
        keys.append(day.strftime("%m-%d"))
        if (day.month, day.day) == (2, 28) and not calendar.isleap(day.year):
            keys.append("02-29")
    return keys


def reason(key: str, value: str, today: dt.date) -> str:
    """Why the day makes the customer due: "birthday Friday 27 Nov, turns 50"."""
    day = next_on(value, today)
    when = {0: "today", 1: "tomorrow"}.get((day - today).days, f"{day:%A} {day.day} {day:%b}")
    text = f"{key} {when}"
    year = year_of(value)
    if year is not None and day.year > year:
        years = day.year - year
        text += f", turns {years}" if key == "birthday" else f", {years} years"
    return text


def described(customer, today: dt.date) -> list[str]:
    """Each of a customer's dates as `work` shows it: "birthday 14 March 1976", and when it
    falls in the coming week, "birthday 14 March 1976: tomorrow, turns 50"."""
    lines = []
    for key in YEARLY_KEYS:
        value = getattr(customer, key)
        if not value:
            continue
        line = f"{key} {spoken(value)}"
        if (next_on(value, today) - today).days <= SOON_DAYS:
            line += ":" + reason(key, value, today).removeprefix(key)
        lines.append(line)
    return lines


def spoken(value: str) -> str:
    """As `show` prints it: "14 March 1976", or "14 March" without a year."""
    month, day = month_day(value)
    year = year_of(value)
    return f"{day} {calendar.month_name[month]}" + (f" {year}" if year is not None else "")
