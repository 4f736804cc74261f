"""Date phrases, read against a fixed today (Sunday 2026-11-22), both ways they can point."""

import datetime as dt

import pytest

from followup_cli.dates.phrases import parse_future, parse_past, parse_when
from followup_cli.errors import InvalidInputError

TODAY = dt.date(2026, 11, 22)  # a Sunday

PAST = [
    ("2026-11-03", "2026-11-03"),
    ("2026-11-03T14:05", "2026-11-03"),
    ("today", "2026-11-22"),
    ("yesterday", "2026-11-21"),
    ("friday", "2026-11-20"),
    ("Friday", "2026-11-20"),
    ("sunday", "2026-11-22"),
    ("last friday", "2026-11-20"),
    ("last sunday", "2026-11-15"),
    ("3 days ago", "2026-11-19"),
    ("2 weeks ago", "2026-11-08"),
    ("1 month ago", "2026-10-22"),
    ("3d", "2026-11-19"),
    ("2w", "2026-11-08"),
    ("1m", "2026-10-22"),
    ("a week ago", "2026-11-15"),
    ("3 Nov 2025", "2025-11-03"),
    ("nov 3", "2026-11-03"),
    ("dec 24", "2025-12-24"),
    ("31.12.2025", "2025-12-31"),
    ("25/10/2026", "2026-10-25"),
    ("10/25/2026", "2026-10-25"),
]
FUTURE = [
    ("tomorrow", "2026-11-23"),
    ("friday", "2026-11-27"),
    ("sunday", "2026-11-29"),
    ("next friday", "2026-11-27"),
    ("in 2 weeks", "2026-12-06"),
    ("in 3 days", "2026-11-25"),
    ("2w", "2026-12-06"),
    ("3d", "2026-11-25"),
    ("1m", "2026-12-22"),
    ("nov 3", "2027-11-03"),
    ("dec 24", "2026-12-24"),
    ("today", "2026-11-22"),
]


@pytest.mark.parametrize(("phrase", "expected"), PAST)
def test_past_phrases(phrase, expected):
    assert parse_past(phrase, TODAY).isoformat() == expected


@pytest.mark.parametrize(("phrase", "expected"), FUTURE)
def test_future_phrases(phrase, expected):
    assert parse_future(phrase, TODAY).isoformat() == expected


@pytest.mark.parametrize(
    ("phrase", "message"),
    [
        ("03/11/2026", "FOLLOWUP_DATE_ORDER"),
        ("2026-02-30", "not a real date"),
        ("someday", "cannot read"),
        ("", "empty"),
        ("3", "only a number"),
        ("in 3 days ago", "both ways"),
        ("tomorrow", "after today"),
        ("in 2 weeks", "after today"),
    ],
)
def test_refused_past_phrases(phrase, message):
    with pytest.raises(InvalidInputError, match=message):
        parse_past(phrase, TODAY)


def test_future_refuses_the_past():
    with pytest.raises(InvalidInputError, match="before today"):
        parse_future("yesterday", TODAY)


def test_date_order_setting_settles_ambiguous_dates():
    assert parse_when("03/11/2026", TODAY, "past", "dmy") == dt.date(2026, 11, 3)
    assert parse_when("03/11/2026", TODAY, "past", "mdy") == dt.date(2026, 3, 11)


def test_the_cli_reports_a_bad_date_in_one_line(cli):
    cli.ok("add", "Ana Alpha")
    result = cli.fails("log", "ana", "--date", "03/11/2026")
    assert "FOLLOWUP_DATE_ORDER" in result.stderr
    ok = cli.ok("log", "ana", "--date", "03/11/2026", env={"FOLLOWUP_DATE_ORDER": "dmy"})
    assert "2026-11-03" in ok
    bad_today = cli.fails("due", env={"FOLLOWUP_TODAY": "soon"})
    assert "FOLLOWUP_TODAY" in bad_today.stderr


# The kinds of phrase the date issue listed, each with examples (today: Sunday 2026-11-22).
# (phrase, read as in the past (--date), read as in the future (--next)); None: refused.
KINDS = {
    "weekday with a time": [
        ("friday 1 pm", "2026-11-20", "2026-11-27"),
        ("monday 4:00", "2026-11-16", "2026-11-23"),
        ("9am on Saturday", "2026-11-21", "2026-11-28"),
        ("tuesday 10am", "2026-11-17", "2026-11-24"),
        ("last friday at 4:00", "2026-11-20", None),
    ],
    "day number alone": [
        ("1st", "2026-11-01", "2026-12-01"),
        ("19th", "2026-11-19", "2026-12-19"),
        ("25th", "2026-10-25", "2026-11-25"),
        ("the 22nd", "2026-11-22", "2026-11-22"),
        ("31st", "2026-10-31", "2026-12-31"),
    ],
    "weekday against its date": [
        ("Thu Aug 10", None, None),  # 2026-08-10 and 2027-08-10 are no Thursdays
        ("Mon Aug 10", "2026-08-10", None),
        ("Thursday, August 10, 2023", "2023-08-10", None),
        ("Sun 22 Nov 2026", "2026-11-22", "2026-11-22"),
    ],
    "numeric without a year, or dashed": [
        ("7/4", None, None),
        ("12/06", None, None),
        ("8/1", None, None),
        ("01-02-2017", None, None),
        ("13/06", "2026-06-13", "2027-06-13"),
        ("25/10/75", "1975-10-25", None),
        ("09.08.2013", "2013-08-09", None),
        ("13/14/2026", None, None),
    ],
    "impossible day": [
        ("32 Nov", None, None),
        ("Nov 32", None, None),
        ("40 Nov", None, None),
        ("99 oct", None, None),
        ("2026-02-30", None, None),
    ],
    "empty": [("", None, None), ("   ", None, None)],
    "number words and relative": [
        ("two days ago", "2026-11-20", None),
        ("eight months ago", "2026-03-22", None),
        ("thirty-three days from now", None, "2026-12-25"),
        ("the day before yesterday", "2026-11-20", None),
        ("day after tomorrow", None, "2026-11-24"),
        ("fortnight", "2026-11-08", "2026-12-06"),
        ("a fortnight ago", "2026-11-08", None),
        ("3 days hence", None, "2026-11-25"),
        ("2 days later", None, "2026-11-24"),
        ("in three weeks time", None, "2026-12-13"),
        ("a couple of days ago", "2026-11-20", None),
        ("later", None, None),
    ],
    "time of day after a day": [
        ("this morning", "2026-11-22", "2026-11-22"),
        ("yesterday afternoon", "2026-11-21", None),
        ("tomorrow at 2 PM", None, "2026-11-23"),
        ("tonight", "2026-11-22", "2026-11-22"),
        ("last night", "2026-11-21", None),
        ("at noon", "2026-11-22", "2026-11-22"),
    ],
    "calendar words": [
        ("end of month", "2026-10-31", "2026-11-30"),
        ("eom", "2026-10-31", "2026-11-30"),
        ("som", "2026-11-01", "2026-12-01"),
        ("eow", "2026-11-22", "2026-11-22"),
        ("sow", "2026-11-16", "2026-11-23"),
        ("eoy", "2025-12-31", "2026-12-31"),
        ("soy", "2026-01-01", "2027-01-01"),
        ("next month", None, "2026-12-22"),
        ("last month", "2026-10-22", None),
        ("next week", None, "2026-11-29"),
        ("this weekend", "2026-11-22", "2026-11-22"),
        ("next weekend", None, "2026-11-28"),
    ],
    "forms the README listed": [
        ("2026-11-03", "2026-11-03", None),
        ("in 2 weeks", None, "2026-12-06"),
        ("3 Nov 2025", "2025-11-03", None),
        ("nov 3", "2026-11-03", "2027-11-03"),
        ("31.12.2025", "2025-12-31", None),
        ("3d", "2026-11-19", "2026-11-25"),
        ("1y", "2025-11-22", "2027-11-22"),
    ],
}


def _read(phrase: str, direction: str) -> str | None:
    parse = parse_past if direction == "past" else parse_future
    try:
        return parse(phrase, TODAY).isoformat()
    except InvalidInputError:
        return None


@pytest.mark.parametrize(
    ("phrase", "past", "future"),
    [
        pytest.param(*example, id=f"{kind}: {example[0]}")
        for kind, examples in KINDS.items()
        for example in examples
    ],
)
def test_each_kind_of_phrase_is_read_right_or_refused(phrase, past, future):
    assert (_read(phrase, "past"), _read(phrase, "future")) == (past, future)


@pytest.mark.parametrize(
    ("phrase", "order", "expected"),
    [
        ("3/11", "dmy", "2026-11-03"),
        ("3/11", "mdy", "2026-03-11"),
        ("7/4/2026", "mdy", "2026-07-04"),
        ("01-02-2017", "dmy", "2017-02-01"),
        ("13/06", "mdy", "2026-06-13"),
    ],
)
def test_the_date_order_setting_decides_every_numeric_form(phrase, order, expected):
    assert parse_when(phrase, TODAY, "past", order).isoformat() == expected


def test_refusals_say_what_is_wrong():
    for phrase, words in [
        ("13/14/2026", "neither 13 nor 14 can be a month"),
        ("Thu Aug 10", "is a Monday, not a Thursday"),
        ("32 Nov", "no month has a day 32"),
        ("nov 3 25", "four digits"),
        ("7/4", "FOLLOWUP_DATE_ORDER"),
        ("later", "in 3 days"),
    ]:
        with pytest.raises(InvalidInputError, match=words):
            parse_when(phrase, TODAY, "past")


def test_an_empty_when_is_refused_not_today(cli):
    cli.ok("add", "Ana Alpha")
    assert "empty" in cli.fails("log", "ana", "--date", "").stderr
    assert "empty" in cli.fails("log", "ana", "--next", "").stderr
    assert "empty" in cli.fails("refer", "ana", "Bo", "--date", "").stderr


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("2026-11-03 14:05", "2026-11-03"),
        ("2026/11/03", "2026-11-03"),
        ("november 3rd, 2025", "2025-11-03"),
        ("sept. 3", "2026-09-03"),
        ("twenty one days ago", "2026-11-01"),
        ("a week from today", None),
    ],
)
def test_more_forms_in_the_past(phrase, expected):
    assert _read(phrase, "past") == expected
