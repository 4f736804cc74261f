"""Birthdays and anniversaries: typed, imported from each address book's form, due in the
coming week (today through seven days ahead), listed by remind, and exported back."""

import json
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data" / "dates"


def shown(cli, who: str) -> dict:
    return json.loads(cli.ok("show", who, "--format", "json"))


def dates_of(cli, who: str) -> tuple:
    customer = shown(cli, who)
    return customer["birthday"], customer["anniversary"]


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("14 March", "--03-14"),
        ("March 14", "--03-14"),
        ("14 Mar 1976", "1976-03-14"),
        ("March 14, 1976", "1976-03-14"),
        ("1976-03-14", "1976-03-14"),
        ("--03-14", "--03-14"),
        ("--0314", "--03-14"),
        ("29 Feb", "--02-29"),
    ],
)
def test_a_typed_birthday_is_kept_with_or_without_its_year(cli, typed, kept):
    cli.ok("add", "Ana Alpha", "--birthday", typed, "--anniversary", typed)
    assert dates_of(cli, "ana") == (kept, kept)


def test_a_date_that_is_not_one_is_refused_and_nothing_is_written(cli, database):
    cli.ok("add", "Ana Alpha")
    before = database.read_bytes()
    cli.fails("edit", "ana", "--birthday", "31 Feb")
    cli.fails("edit", "ana", "--anniversary", "someday")
    cli.fails("add", "Bo Beta", "--birthday", "2026-13-01")
    assert database.read_bytes() == before


def test_edit_sets_and_clears_a_birthday_and_undo_puts_it_back(cli):
    cli.ok("add", "Ana Alpha", "--birthday", "1976-03-14")
    cli.ok("edit", "ana", "--birthday", "")
    assert dates_of(cli, "ana") == (None, None)
    cli.ok("undo")
    assert dates_of(cli, "ana") == ("1976-03-14", None)
    assert "birthday: 14 March 1976" in cli.ok("show", "ana")


def test_vcard_forms(cli):
    report = json.loads(cli.ok("import", "customers", DATA / "cards.vcf", "--format", "json"))
    assert report["created"] == 6
    assert dates_of(cli, "ada") == ("--11-27", "2001-06-20")  # Apple: omitted year, X-ABDATE
    assert dates_of(cli, "ben") == ("--11-28", "2001-12-01")  # 4.0: --MMDD, ANNIVERSARY
    assert dates_of(cli, "cleo") == ("1976-11-29", "1999-02-28")  # 3.0, X-ANNIVERSARY
    assert dates_of(cli, "dev") == ("1980-02-29", None)  # basic form; another label is no date
    assert dates_of(cli, "fay") == ("--03-14", None)
    # A date that is text is left out with a warning; the customer is kept.
    assert dates_of(cli, "eve") == (None, None)
    assert any("circa 1800" in warning["reason"] for warning in report["warnings"])


def test_csv_forms_of_google_outlook_and_hubspot(cli):
    for name in ("google.csv", "outlook.csv", "hubspot.csv"):
        cli.ok("import", "customers", DATA / name)
    assert dates_of(cli, "gil") == ("1985-11-30", "2010-12-02")  # Event 1 labelled Anniversary
    assert dates_of(cli, "hal") == ("--12-24", None)  # " --12-24"; a name day is no anniversary
    assert dates_of(cli, "ida") == ("1970-11-29", None)  # Outlook: 0/0/00 is none
    assert dates_of(cli, "jon") == (None, "2001-06-20")
    assert dates_of(cli, "kai") == (None, None)
    assert dates_of(cli, "lia") == ("1990-12-01", None)  # HubSpot's Date of birth
    assert "birthday" not in shown(cli, "gil")["extra"]


def test_exports_carry_them_back(cli, tmp_path):
    cli.ok("import", "customers", DATA / "cards.vcf")
    cards, table = tmp_path / "c.vcf", tmp_path / "c.csv"
    cli.ok("export", "customers", "--format", "vcard", "-o", cards)
    cli.ok("export", "customers", "-o", table)
    assert "BDAY;X-APPLE-OMIT-YEAR=1604:1604-11-27" in cards.read_text()
    for exported in (cards, table):
        again = json.loads(cli.ok("import", "customers", exported, "--format", "json"))
        assert again["unchanged"] == 6 and again["updated"] == 0


def test_the_coming_week_makes_a_customer_due_at_both_edges(cli):
    # Today is 2026-11-22 (conftest): the window is 22 through 29 November.
    for name, birthday in [
        ("Yesterday Y", "--11-21"),
        ("Today T", "1976-11-22"),
        ("Edge E", "--11-29"),
        ("Past Edge P", "--11-30"),
    ]:
        cli.ok("add", name, "--birthday", birthday)
        cli.ok("log", name.split()[0], "call")  # nobody is silent: only the date can list them
    due = json.loads(cli.ok("due", "--format", "json"))
    assert [(entry["name"], entry["reason"]) for entry in due] == [
        ("Today T", "birthday today, turns 50"),
        ("Edge E", "birthday Sunday 29 Nov"),
    ]


def test_dates_rank_after_overdue_promises_and_before_silence(cli):
    cli.ok("add", "Promised P")
    cli.ok("log", "promised", "call", "--next", "2026-11-01", env={"FOLLOWUP_TODAY": "2026-10-01"})
    cli.ok("add", "Silent S")
    cli.ok("add", "Birthday B", "--birthday", "--11-25", "--anniversary", "2000-11-23")
    cli.ok("log", "birthday", "call")
    names = [line.split("\t")[1] for line in cli.ok("due").splitlines()[1:]]
    assert names == ["Promised P", "Birthday B", "Silent S"]
    reason = json.loads(cli.ok("due", "--format", "json"))[1]["reason"]
    assert reason == "anniversary tomorrow, 26 years; birthday Wednesday 25 Nov"


@pytest.mark.parametrize(
    ("today", "birthday", "reason"),
    [
        ("2027-02-21", "1980-02-29", "birthday Sunday 28 Feb, turns 47"),  # not a leap year
        ("2028-02-22", "1980-02-29", "birthday Tuesday 29 Feb, turns 48"),  # a leap year
        ("2026-12-28", "1990-01-03", "birthday Sunday 3 Jan, turns 37"),  # the year turns
        ("2026-12-31", "--01-01", "birthday tomorrow"),
    ],
)
def test_leap_days_and_year_turns(cli, monkeypatch, today, birthday, reason):
    monkeypatch.setenv("FOLLOWUP_TODAY", today)
    cli.ok("add", "Lee Leap", "--birthday", birthday)
    cli.ok("log", "lee", "call")
    due = json.loads(cli.ok("due", "--format", "json"))
    assert [entry["reason"] for entry in due] == [reason]


def test_a_lost_customer_is_not_due_for_a_birthday(cli):
    cli.ok("add", "Lost L", "--birthday", "--11-23")
    cli.ok("edit", "lost", "--status", "lost")
    assert json.loads(cli.ok("due", "--format", "json")) == []


def test_remind_lists_them_apart_once(cli):
    cli.ok("add", "Birthday B", "--birthday", "--11-24")
    cli.ok("add", "Silent S")
    text = cli.ok("remind")
    assert "Birthdays and anniversaries this week (1)\n  Birthday B: birthday Tuesday 24 Nov" in (
        text
    )
    assert text.count("Birthday B") == 1
    digest = json.loads(cli.ok("remind", "--format", "json"))
    assert [entry["name"] for entry in digest["dates"]] == ["Birthday B"]
    assert [entry["name"] for entry in digest["stale"]] == ["Silent S"]


def test_the_calendar_export_repeats_them_yearly(cli):
    cli.ok("add", "Leap L", "--birthday", "--02-29")
    cli.ok("add", "Wed W", "--anniversary", "2001-06-20")
    ics = cli.ok("export", "followups", "--format", "ics").replace("\r\n", "\n")
    assert "SUMMARY:Leap L: birthday\nDTSTART;VALUE=DATE:20260228" in ics
    assert "RRULE:FREQ=YEARLY;BYMONTHDAY=-1;BYMONTH=2" in ics
    assert "SUMMARY:Wed W: anniversary\nDTSTART;VALUE=DATE:20010620" in ics
