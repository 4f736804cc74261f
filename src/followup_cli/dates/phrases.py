"""The grammar of the dates people type.

It never reads the clock: callers pass `today` (see config.today), which keeps every phrase
testable. The direction says which way a phrase without one points: a touchpoint is logged in
the past ("friday" is the last one, "3d" is three days ago), a follow-up is promised in the
future ("friday" is the next one, "3d" is three days ahead). A time of day is understood and
dropped: followup keeps dates. Nothing is guessed: a year comes from four digits or the
two-digit rule, a weekday must agree with its date, a numeric date needs a part only a day
can be, or FOLLOWUP_DATE_ORDER; anything else is refused with what would be read instead. No
library reads phrases: the ones measured read "1st" as 22 January and "32 Nov" as 2032.
"""

import datetime as dt
import re
from typing import Literal

from followup_cli.dates.rules import (
    full_year,
    month_length,
    order_shown,
    real_date,
    within_range,
)
from followup_cli.errors import InvalidInputError

Direction = Literal["past", "future"]

FORMS_HINT = (
    "try 2026-11-03, today, friday, last friday, 3 days ago, in 2 weeks, nov 3, the 19th, "
    "eom or 3d/2w/1m"
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
_MONTHS = {
    name: index
    for index, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_UNITS = {"m": "months", "y": "years"}  # by dateutil; days and weeks by timedelta
_UNIT_WORDS = {
    **dict.fromkeys(("d", "day", "days"), "d"),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), "w"),
    **dict.fromkeys(("fortnight", "fortnights"), "f"),
    **dict.fromkeys(("m", "mo", "mos", "month", "months"), "m"),
    **dict.fromkeys(("y", "yr", "yrs", "year", "years"), "y"),
}
_SMALL_NUMBERS = re.findall(
    r"\w+",
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen",
)
_NUMBER_WORDS = {word: number for number, word in enumerate(_SMALL_NUMBERS)} | {
    "a": 1,
    "an": 1,
    "a couple of": 2,
    "couple of": 2,
}
_TENS = {
    word: 10 * tens
    for tens, word in enumerate(
        re.findall(r"\w+", "twenty thirty forty fifty sixty seventy eighty ninety"), start=2
    )
}
_TIME = re.compile(
    r"\b(?:at\s+)?(?:\d{1,2}(?::\d{2}){1,2}(?:\s*[ap]\.?m\.?)?|\d{1,2}\s*[ap]\.?m\.?|noon"
    r"|midnight)(?=\s|$)|\b(?:in\s+the\s+|this\s+)?(?:morning|afternoon|evening|night)\b"
)
_ISO = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:t\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_NUMERIC = re.compile(r"(\d{1,2})([/.-])(\d{1,2})(?:\2(\d{4}|\d{2}))?")
_RELATIVE = re.compile(
    r"(in\s+)?(\d+)\s*([a-z]+)(?:'?\s+time)?"
    r"(\s+(?:ago|back|before|earlier))?(\s+(?:from\s+(?:now|today)|later|hence))?"
)
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?:\s+(\d+))?"
_MONTH_DAY = re.compile(rf"([a-z]+)\s+{_DAY}{_YEAR}")  # nov 3, november 3rd 2025
_DAY_MONTH = re.compile(rf"{_DAY}\s+(?:of\s+)?([a-z]+){_YEAR}")  # 3 nov, 3rd of november
_DAY_ALONE = re.compile(r"(?:on\s+)?(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)")  # the 19th
_OFFSETS = {
    "today": 0,
    "now": 0,
    "tonight": 0,
    "yesterday": -1,
    "tomorrow": 1,
    "day before yesterday": -2,
    "day after tomorrow": 2,
    "next week": 7,
    "last week": -7,
}
_CALENDAR = {  # start or end of a week, month or year: the nearest one in the direction
    **dict.fromkeys(("sow", "start of week", "start of the week"), "sow"),
    **dict.fromkeys(("eow", "end of week", "end of the week"), "eow"),
    **dict.fromkeys(("som", "start of month", "start of the month"), "som"),
    **dict.fromkeys(("eom", "end of month", "end of the month"), "eom"),
    **dict.fromkeys(("soy", "start of year", "start of the year"), "soy"),
    **dict.fromkeys(("eoy", "end of year", "end of the year"), "eoy"),
}


def parse_when(
    text: str, today: dt.date, direction: Direction, date_order: str | None = None
) -> dt.date:
    """Read one date phrase; `date_order` ("dmy"/"mdy") settles numeric dates like 03/11."""
    try:
        return within_range(_read_phrase(text, today, direction, date_order), text)
    except (OverflowError, ValueError):
        raise InvalidInputError(f"{text!r} is too far away; {FORMS_HINT}") from None


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


def _read_phrase(text: str, today: dt.date, direction: Direction, order: str | None):
    phrase = " ".join(re.sub(r"[,]|(?<=[a-z])\.(?=\s|$)", " ", text.strip().lower()).split())
    phrase, had_time = _without_time(phrase)
    if not phrase:
        if had_time:
            return today  # "at 3pm", "tonight"
        raise InvalidInputError(f"an empty date; {FORMS_HINT}")
    iso = _ISO.fullmatch(phrase)
    if iso:
        return real_date(*(int(part) for part in iso.groups()), text)
    phrase = _numbers_from_words(phrase.removeprefix("the "))
    if phrase in ("fortnight", "in a fortnight"):
        phrase = "in 1 fortnight" if direction == "future" else "1 fortnight ago"
    if phrase in _OFFSETS:
        return today + dt.timedelta(days=_OFFSETS[phrase])
    if phrase in _CALENDAR:
        return _calendar_day(_CALENDAR[phrase], today, direction)
    for reader in (_read_period, _read_relative, _read_weekday, _read_day_alone):
        found = reader(phrase, today, direction, text)
        if found is not None:
            return found
    numeric = _NUMERIC.fullmatch(phrase)
    if numeric:
        return _read_numeric(text, numeric, today, direction, order)
    found = _read_month_and_day(phrase, today, direction, text)
    if found is not None:
        return found
    if phrase.isascii() and phrase.isdigit():
        raise InvalidInputError(f"{text!r} is only a number; did you mean {phrase}d? {FORMS_HINT}")
    if phrase == "later":
        raise InvalidInputError(f"'later' says no day; say 'in 3 days' or a date. {FORMS_HINT}")
    raise InvalidInputError(f"cannot read {text!r} as a date; {FORMS_HINT}")


def _without_time(phrase: str) -> tuple[str, bool]:
    """The phrase without its time of day ("friday 1 pm", "9am on saturday", "tomorrow at 2
    PM", "yesterday afternoon"), and whether it had one."""
    rest = _TIME.sub(" ", phrase)
    had_time = rest != phrase
    rest = " ".join(rest.split())
    if had_time:
        rest = re.sub(r"^(?:on|at)\s+|\s+(?:on|at)$", "", rest).strip()
        rest = {"this": "", "last": "yesterday", "tonight": "today"}.get(rest, rest)
    return rest, had_time


def _numbers_from_words(phrase: str) -> str:
    """ "two", "thirty-three", "a couple of" as digits."""
    phrase = re.sub(
        rf"\b({'|'.join(_TENS)})(?:[- ]({'|'.join(_SMALL_NUMBERS[1:10])}))?\b",
        lambda m: str(_TENS[m.group(1)] + (_NUMBER_WORDS[m.group(2)] if m.group(2) else 0)),
        phrase,
    )
    words = sorted(_NUMBER_WORDS, key=len, reverse=True)
    return re.sub(
        rf"\b({'|'.join(words)})\b(?=\s+[a-z])", lambda m: str(_NUMBER_WORDS[m[1]]), phrase
    )


def _read_period(phrase: str, today: dt.date, direction: Direction, text: str):
    """next/last/this month or year, and the weekends."""
    match = re.fullmatch(r"(next|last|this)\s+(month|year|weekend)", phrase)
    if not match:
        return None
    which, period = match.groups()
    step = {"next": 1, "last": -1, "this": 0}[which]
    if period == "weekend":
        if step == 0 and today.weekday() >= 5:
            return today
        saturday = today + dt.timedelta(days=5 - today.weekday())
        return saturday + dt.timedelta(weeks=step)
    return _shifted(today, "m" if period == "month" else "y", step)


def _read_relative(phrase: str, today: dt.date, direction: Direction, text: str):
    match = _RELATIVE.fullmatch(phrase)
    if not match or match.group(3) not in _UNIT_WORDS:
        return None
    forward, count, unit, backward, ahead = match.groups()
    if (forward or ahead) and backward:
        raise InvalidInputError(f"{text!r} points both ways; say 'in 3 days' or '3 days ago'")
    if forward or ahead:
        sign = 1
    elif backward:
        sign = -1
    else:
        sign = 1 if direction == "future" else -1
    return _shifted(today, _UNIT_WORDS[unit], sign * int(count))


def _shifted(day: dt.date, unit: str, count: int) -> dt.date:
    """Days and weeks by the calendar's arithmetic; months and years by dateutil's, which
    keeps the day of the month (31 January plus a month is 28 or 29 February)."""
    days = {"d": 1, "w": 7, "f": 14}.get(unit)
    if days:
        return day + dt.timedelta(days=days * count)
    from dateutil.relativedelta import relativedelta

    return day + relativedelta(**{_UNITS[unit]: count})


def _read_weekday(phrase: str, today: dt.date, direction: Direction, text: str):
    match = re.fullmatch(r"(?:(last|next|this|on|coming|this coming)\s+)?([a-z]+)", phrase)
    if not match or match.group(2) not in _WEEKDAYS:
        return None
    qualifier, weekday = match.group(1), _WEEKDAYS[match.group(2)]
    days_back = (today.weekday() - weekday) % 7
    days_ahead = (weekday - today.weekday()) % 7
    if qualifier == "last":
        return today - dt.timedelta(days=days_back or 7)
    if qualifier in ("next", "coming", "this coming") or direction == "future":
        return today + dt.timedelta(days=days_ahead or 7)
    return today - dt.timedelta(days=days_back)


def _read_day_alone(phrase: str, today: dt.date, direction: Direction, text: str):
    """ "the 19th": the nearest 19th of a month, in the direction (today included)."""
    match = _DAY_ALONE.fullmatch(phrase)
    if not match:
        return None
    day = int(match.group(1))
    if not 1 <= day <= 31:
        raise InvalidInputError(f"{text!r}: no month has a day {day}")
    step = 1 if direction == "future" else -1
    year, month = today.year, today.month
    for _ in range(13):
        if day <= month_length(year, month):
            candidate = dt.date(year, month, day)
            if (candidate >= today) if step > 0 else (candidate <= today):
                return candidate
        month += step
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    raise InvalidInputError(f"cannot read {text!r} as a date; {FORMS_HINT}")


def _read_month_and_day(phrase: str, today: dt.date, direction: Direction, text: str):
    """ "nov 3", "3 november 2025", "thu aug 10": a weekday named must be the date's."""
    weekday = None
    first, _, rest = phrase.partition(" ")
    if first in _WEEKDAYS and rest:
        weekday, phrase = _WEEKDAYS[first], rest
    for pattern, month_first in ((_MONTH_DAY, True), (_DAY_MONTH, False)):
        match = pattern.fullmatch(phrase)
        if not match:
            continue
        month_word, day_text = (match[1], match[2]) if month_first else (match[2], match[1])
        if month_word not in _MONTHS:
            continue
        month, day, year_text = _MONTHS[month_word], int(day_text), match[3]
        if not 1 <= day <= 31:
            raise InvalidInputError(f"{text!r}: no month has a day {day}")
        if year_text is not None and len(year_text) != 4:
            raise InvalidInputError(f"{text!r}: write the year with four digits")
        if year_text:
            found = real_date(int(year_text), month, day, text)
        else:
            found = _nearest(month, day, today, direction, text)
        if weekday is not None and found.weekday() != weekday:
            names = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
            said = (*names, "Sunday")
            raise InvalidInputError(
                f"{text!r}: {found.isoformat()} is a {said[found.weekday()]}, not a {said[weekday]}"
            )
        return found
    return None


def _read_numeric(text: str, match, today: dt.date, direction: Direction, order: str | None):
    """12/06, 7/4/2026, 01-02-2017, 09.08.2013: dotted dates are day-first (as in files);
    otherwise a part only a day can be decides, else FOLLOWUP_DATE_ORDER, else a refusal."""
    first, separator, second, year_text = match.groups()
    first_number, second_number = int(first), int(second)
    shown = order_shown(first_number, second_number)
    if first_number > 12 and second_number > 12:
        raise InvalidInputError(
            f"{text!r} is no date: neither {first_number} nor {second_number} can be a month"
        )
    if separator == ".":
        shown = "dmy"
    chosen = shown or (order if first_number != second_number else "dmy")
    if chosen is None:
        raise InvalidInputError(
            f"{text!r} could be day or month first; write it as YYYY-MM-DD, "
            "or set FOLLOWUP_DATE_ORDER=dmy or mdy"
        )
    day, month = (first_number, second_number) if chosen == "dmy" else (second_number, first_number)
    if year_text:
        return real_date(full_year(year_text), month, day, text)
    return _nearest(month, day, today, direction, text)


def _nearest(month: int, day: int, today: dt.date, direction: Direction, text: str):
    """A day of a month without a year: the nearest one in the direction, today included
    (29 February may be years away)."""
    years = (
        range(today.year, today.year + 9)
        if direction == "future"
        else range(today.year, today.year - 9, -1)
    )
    for year in years:
        if day <= month_length(year, month):
            candidate = dt.date(year, month, day)
            if (candidate >= today) if direction == "future" else (candidate <= today):
                return candidate
    raise InvalidInputError(f"{text!r} is not a real date")


def _calendar_day(word: str, today: dt.date, direction: Direction) -> dt.date:
    """Start or end of a week (Monday, Sunday), month or year: the nearest one in the
    phrase's direction, today included. So `--next eom` is this month's last day and
    `--date som` this month's first; in the middle of a month `--date eom` is last month's."""
    step = 1 if direction == "future" else -1
    day = today
    while not _is_calendar_day(word, day):
        day += dt.timedelta(days=step)
    return day


def _is_calendar_day(word: str, day: dt.date) -> bool:
    last_of_month = day.day == month_length(day.year, day.month)
    return {
        "sow": day.weekday() == 0,
        "eow": day.weekday() == 6,
        "som": day.day == 1,
        "eom": last_of_month,
        "soy": (day.month, day.day) == (1, 1),
        "eoy": (day.month, day.day) == (12, 31),
    }[word]
