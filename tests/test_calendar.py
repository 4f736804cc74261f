"""`import calendar`: Google and Outlook exports (tests/data/calendar, described in
tests/data/README.md) into meeting touchpoints of the customers on file."""

import json
import os
import subprocess
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data" / "calendar"
GOOGLE = DATA / "google_calendar.ics"
OUTLOOK = DATA / "outlook_calendar.ics"
TODAY = {"FOLLOWUP_TODAY": "2026-11-24"}


@pytest.fixture
def book(cli):
    cli.ok("add", "Ana Alvarez", "--email", "ana@alpha.example")
    cli.ok("add", "Bo Berg", "--email", "bo@berg.example")
    cli.ok("add", "Carla Chen", "--email", "carla@chen.example")
    cli.ok("add", "Dan Doe", "--email", "dan@doe.example")


def imported(cli, *args) -> dict:
    result = cli("import", "calendar", *args, "--format", "json", env=TODAY)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def meetings(cli) -> list[tuple[str, str, str]]:
    rows = json.loads(cli.ok("export", "touchpoints", "--format", "json"))
    return sorted((row["customer"], row["date"], row["note"]) for row in rows)


def test_google_export_gives_each_past_occurrence_with_who_came(cli, book):
    report = imported(cli, GOOGLE, "--me", "me@example.com")
    assert (report["created"], report["skipped_because"]) == (6, {"cancelled": 1})
    assert meetings(cli) == [
        # Weekly on Mondays: 2 Nov, 9 Nov excluded (EXDATE), 16 Nov moved to the 18th,
        # 23 Nov; 30 Nov is after today. The alarm's ATTENDEE (Bo) is no attendee.
        ("Ana Alvarez", "2026-11-02", "Weekly check-in with Ana"),
        ("Ana Alvarez", "2026-11-18", "Weekly check-in with Ana (moved)"),
        ("Ana Alvarez", "2026-11-23", "Weekly check-in with Ana"),
        # Organised by Bo; Dan tentative (his address in capitals); Carla declined; a room.
        ("Bo Berg", "2026-11-19", "Samples tasting at Berg's"),
        # A three-day, all-day event: once, on its first day; Carla had not answered.
        ("Carla Chen", "2026-11-10", "Trade fair (three days)"),
        ("Dan Doe", "2026-11-19", "Samples tasting at Berg's"),
    ]


def test_the_same_invitation_in_two_exports_is_one_touchpoint(cli, book):
    imported(cli, GOOGLE)
    # Windows zone names. Bo's tasting again by UID (Outlook lists only its organiser, Bo),
    # and the moved Monday by UID and RECURRENCE-ID, written here in UTC.
    report = imported(cli, OUTLOOK)
    assert (report["created"], report["unchanged"]) == (1, 2)
    assert imported(cli, GOOGLE)["created"] == 0
    assert ("Dan Doe", "2026-11-23", "Late call with Dan") in meetings(cli)


def test_the_local_date_is_the_machines_time_zone(book, followup_executable):
    # 23:30 in Berlin on the 23rd is the 24th in Tokyo (a POSIX zone: no tzdata needed).
    env = {**os.environ, **TODAY, "TZ": "JST-9"}
    subprocess.run([followup_executable, "import", "calendar", OUTLOOK], env=env, check=True)
    out = subprocess.run(
        [followup_executable, "export", "touchpoints"], env=env, check=True, capture_output=True
    ).stdout.decode()
    assert "Dan Doe,dan@doe.example,2026-11-24,meeting,Late call with Dan" in out


def test_a_meeting_resets_the_clock(cli, book):
    imported(cli, GOOGLE)
    carla = json.loads(cli.ok("show", "carla", "--format", "json", env=TODAY))
    assert (carla["last_contact"], carla["last_contact_kind"]) == ("2026-11-10", "meeting")


def test_stdin_dry_run_and_undo(cli, book):
    result = cli(
        "import", "calendar", "-", "--dry-run", "--format", "json",
        input=GOOGLE.read_text(), env=TODAY,
    )  # fmt: skip
    assert json.loads(result.stdout)["created"] == 6
    assert meetings(cli) == []
    imported(cli, GOOGLE)
    assert "import calendar" in cli.ok("undo")
    assert meetings(cli) == []


def test_a_file_that_is_no_calendar_is_one_line(cli, book, tmp_path):
    (tmp_path / "x.ics").write_text("name,email\nAna,ana@alpha.example\n")
    cli.fails("import", "calendar", tmp_path / "x.ics")
    cli.fails("import", "calendar", tmp_path / "missing.ics")
    cli.fails("import", "calendar", GOOGLE, "--encoding", "utf-8")
    (tmp_path / "no-start.ics").write_text(
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nSUMMARY:no start\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    result = cli.fails("import", "calendar", tmp_path / "no-start.ics")
    assert "an event has no DTSTART" in result.stderr
