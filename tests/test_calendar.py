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
    result = cli.fails("import", "calendar", tmp_path / "no-start.ics", lists_problems=True)
    assert "line 2: event 'no start': it has no start (DTSTART)" in result.stderr


QUIRKS = DATA / "quirks.ics"


def test_an_event_that_cannot_be_read_is_rejected_alone_with_its_line(cli, book):
    result = cli.fails("import", "calendar", QUIRKS, lists_problems=True, env=TODAY)
    assert result.stderr.splitlines() == [
        "line 45: event 'Lunch with Bo': its start cannot be read: DTSTART:2026-11-05 10:00",
        "line 94: event 'Never closed': it is not closed: END:VEVENT is missing",
        "line 52: warning: event 'Standup with Carla': an EXDATE that cannot be read is left out",
        "followup: import refused: 2 events that cannot be read, nothing was imported; fix "
        "them, or import the rest with --skip-invalid",
    ]
    assert meetings(cli) == []
    refused = cli("import", "calendar", QUIRKS, "--format", "json", env=TODAY)
    assert refused.exit_code == 1
    assert [problem["line"] for problem in json.loads(refused.stdout)["problems"]] == [45, 94]


def test_the_rest_of_a_calendar_with_broken_parts_imports_with_skip_invalid(cli, book):
    report = imported(cli, QUIRKS, "--skip-invalid")
    assert (report["created"], report["rejected"]) == (7, 2)
    assert meetings(cli) == [
        # Europe/Berlin as the system knows it: iCloud's +5328 (local mean time in 1893) in
        # its definition is never read, nor the Prague zone with +5744 that nobody uses;
        # the alarm's TRIGGER:PT-2H spoils nothing.
        ("Ana Alvarez", "2026-11-03", "Train to Ana's office"),
        # After the event that was never closed: it ends where this one begins.
        ("Ana Alvarez", "2026-11-20", "Site visit at Ana's"),
        # A second VCALENDAR in the same file; Confluence's parameters written into the
        # value, before mailto:; a zone whose definition cannot be read (+2500): as written.
        ("Bo Berg", "2026-11-12", "Review with Bo"),
        # RRULE with stray spaces and a fold; the EXDATE that cannot be read is left out;
        # the organiser's Confluence parameters folded mid-name.
        ("Carla Chen", "2026-11-05", "Standup with Carla"),
        ("Carla Chen", "2026-11-12", "Standup with Carla"),
        ("Carla Chen", "2026-11-19", "Standup with Carla"),
        # The first of two DTSTARTs; an end an hour before it (the two taken as swapped, as
        # recurring-ical-events takes them: the same day); an empty LOCATION ignored.
        ("Dan Doe", "2026-11-10", "Call with Dan"),
    ]
    assert imported(cli, QUIRKS, "--skip-invalid")["unchanged"] == 7
