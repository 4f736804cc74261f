"""Date phrases, read against a fixed today (Sunday 2026-11-22), both ways they can point."""

import datetime as dt

import pytest

from followup_cli.dates import parse_future, parse_past, parse_when
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
