"""Hostile input, generated: whatever arrives, a clean answer or a one-line refusal, no
traceback, and the database exactly as it was."""

import datetime as dt
import json
import sqlite3

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup_cli.dates.phrases import parse_when
from followup_cli.errors import InvalidInputError

QUICK = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
DATE_WORDS = st.sampled_from(
    [
        "in",
        "ago",
        "last",
        "next",
        "friday",
        "3",
        "d",
        "w",
        "m",
        "/",
        ".",
        "-",
        "2026",
        "nov",
        "31",
        "0",
        "99999",
        "today",
        " ",
        "T",
        ":",
    ]
)


@QUICK
@given(st.one_of(st.text(max_size=40), st.lists(DATE_WORDS, max_size=6).map("".join)))
def test_the_date_parser_answers_or_refuses(text):
    for direction in ("past", "future"):
        try:
            result = parse_when(text, dt.date(2026, 11, 22), direction)
        except InvalidInputError as refusal:
            assert refusal.message and "\n" not in refusal.message
        else:
            assert isinstance(result, dt.date)


def snapshot(database) -> list:
    with sqlite3.connect(database) as connection:
        return [
            connection.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
            for table in ("customers", "touchpoints", "followups", "referrals")
        ]


NASTY_TEXT = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "'; DROP TABLE customers; --",
            '" OR 1=1 --',
            "%",
            "_",
            "\\",
            "Ana\x00",
            "\x1b[31m",
            "ana@",
            "@",
            "#1",
            "#²",  # a digit to str.isdigit, not to int()
            "²",
            "0",
            "-1",
            "🙂",
            "Ana Alpha",
        ]
    ),
)


@QUICK
@given(reference=NASTY_TEXT)
def test_customer_references_never_crash_or_change_anything(cli, database, reference):
    if not database.exists():  # the fixture's database lives across Hypothesis examples
        cli.ok("add", "Ana Alpha", "--email", "ana@example.com")
        cli.ok("add", "Anabel Cruz")
    before = snapshot(database)
    for command in (
        ["show", reference],
        ["log", reference, "--date", "tomorrow"],
        ["edit", reference, "--email", "bad@"],
    ):
        result = cli(*command)
        assert result.exit_code in (0, 1, 2), result.output
        assert "Traceback" not in result.output
        assert "unexpected error" not in result.stderr
        if result.exit_code:
            assert result.stderr.startswith("followup: ") or "Usage" in result.stderr
    assert snapshot(database) == before


def test_digits_that_int_cannot_read_are_refused_cleanly(cli, database, tmp_path):
    """ "²" passes str.isdigit() but not int(); each place that reads a number says so."""
    cli.ok("add", "Ana Alpha")
    before = snapshot(database)
    cli.fails("show", "#²")
    cli.fails("edit", "Ana Alpha", "--cadence", "²")
    path = tmp_path / "c.csv"
    path.write_text("name,cadence_days\nBo,²\n", encoding="utf-8")
    result = cli.fails("import", "customers", str(path), lists_problems=True)
    assert "line 2: cadence '²' is not a number of days" in result.stderr
    assert snapshot(database) == before


@QUICK
@given(name=st.text(min_size=1, max_size=40).filter(lambda s: s.strip() and "\x00" not in s))
def test_any_name_is_stored_exactly_as_given_after_trimming(cli, database, name):
    customer_id = cli.ok("add", "--", name).strip()
    shown = json.loads(cli.ok("show", customer_id, "--format", "json"))
    assert shown["name"] == " ".join(name.split())
    cli.ok("delete", customer_id, "--yes")


CSV_PIECES = st.sampled_from(
    [
        "name",
        "email",
        ",",
        ";",
        "\t",
        '"',
        '""',
        "\n",
        "\r\n",
        "Ana",
        "a@b.co",
        "x" * 70000,
        "\x00",
        "'; DROP TABLE customers;--",
        "=cmd|' /C calc'!A0",
        "2026-13-45",
        "é",
        "\ufeff",
    ]
)


@QUICK
@given(
    pieces=st.lists(st.one_of(CSV_PIECES, st.text(max_size=10)), max_size=25),
    encoding=st.sampled_from(["utf-8", "utf-16", "cp1252", "latin-1", "utf-8-sig"]),
    junk=st.binary(max_size=60),
    flags=st.sampled_from([[], ["--skip-invalid"], ["--dry-run"]]),
)
def test_csv_import_of_anything_is_all_or_nothing(
    cli, database, tmp_path, pieces, encoding, junk, flags
):
    if not database.exists():  # the fixture's database lives across Hypothesis examples
        cli.ok("add", "Ana Alpha", "--email", "ana@example.com")
    before = snapshot(database)
    path = tmp_path / "hostile.csv"
    text = "name,email\n" + "".join(pieces)
    path.write_bytes(text.encode(encoding, errors="replace") + junk)
    for kind in ("customers", "touchpoints", "referrals"):
        result = cli("import", kind, str(path), *flags)
        assert result.exit_code in (0, 1), result.output
        assert "Traceback" not in result.output
        if result.exit_code == 1 or "--dry-run" in flags:
            assert snapshot(database) == before
        before = snapshot(database)
