"""schedule, agenda, done, snooze, cadence by tag, thank, the calendar and completion."""

import datetime as dt
import json
import os
import subprocess

from icalendar import Calendar


def agenda(cli, *options, env=None):
    return json.loads(cli.ok("agenda", "--format", "json", *options, env=env))


def test_schedule_and_agenda_overdue_first(cli):
    cli.ok("add", "Ana Alpha")
    cli.ok("add", "Bruno Beta")
    out = cli.ok("schedule", "ana", "friday", "send", "the", "price", "list")
    assert out == "Follow-up with Ana Alpha on 2026-11-27\n"
    cli.ok("schedule", "bruno", "2026-11-23", env={"FOLLOWUP_TODAY": "2026-11-20"})
    cli.ok("schedule", "bruno", "in 3 weeks")
    rows = agenda(cli)
    assert [(r["customer"], r["due_on"]) for r in rows] == [
        ("Bruno Beta", "2026-11-23"),
        ("Ana Alpha", "2026-11-27"),
    ]
    assert rows[1]["note"] == "send the price list"
    assert len(agenda(cli, "--days", "30")) == 3
    plain = cli.ok("agenda", env={"FOLLOWUP_TODAY": "2026-11-25"}).splitlines()
    assert plain[0].split("\t")[0] == "id"  # what done, snooze and cancel take with --id
    assert plain[1].split("\t")[1:3] == ["2026-11-23", "2 days overdue"]


def test_done_closes_the_oldest_and_can_log(cli):
    cli.ok("add", "Ana Alpha")
    cli.ok("schedule", "ana", "2026-11-30")
    cli.ok("schedule", "ana", "2026-11-25")
    out = cli.ok("done", "ana", "sent", "it", "--log", "email")
    assert out == "Done: follow-up with Ana Alpha due 2026-11-25; logged email\n"
    shown = json.loads(cli.ok("show", "ana", "--format", "json"))
    assert [f["due_on"] for f in shown["open_follow_ups"]] == ["2026-11-30"]
    assert shown["touchpoints"][0] == {
        "id": 1,
        "customer_id": 1,
        "date": "2026-11-22",
        "kind": "email",
        "note": "sent it",
        "amount": None,
    }
    cli.ok("done", "ana")
    assert "no open follow-up" in cli.fails("done", "ana").stderr
    assert "--log" in cli.fails("done", "ana", "--log", "pigeon").stderr


def test_snooze_moves_the_oldest(cli):
    cli.ok("add", "Ana Alpha")
    cli.ok("schedule", "ana", "tomorrow")
    out = cli.ok("snooze", "ana", "in 2 weeks")
    assert out == "Moved follow-up with Ana Alpha from 2026-11-23 to 2026-12-06\n"
    cli.fails("snooze", "ana", "yesterday")
    assert agenda(cli, "--days", "30")[0]["due_on"] == "2026-12-06"


def test_cadence_by_tag_and_which_one_applies(cli):
    cli.ok("add", "Ana Alpha", "--tag", "vip", "--tag", "golf")
    cli.ok("add", "Bruno Beta", "--tag", "vip", "--cadence", "60")
    cli.ok("add", "Carla Cruz")
    for name in ("ana", "bruno", "carla"):
        cli.ok("log", name, "--date", "2026-11-02")  # 20 days ago
    assert json.loads(cli.ok("due", "--format", "json")) == []
    assert cli.ok("cadence", "VIP", "14") == "Customers tagged vip are due every 14 days\n"
    cli.ok("cadence", "golf", "7")
    rows = json.loads(cli.ok("due", "--format", "json"))
    assert [(r["name"], r["cadence_days"]) for r in rows] == [("Ana Alpha", 7)]
    assert "tag golf: 7 days" in rows[0]["reason"]
    assert "golf\t7" in cli.ok("cadence")
    cli.ok("cadence", "golf", "--clear")
    rows = json.loads(cli.ok("due", "--format", "json", "--days", "10"))
    assert [(r["name"], r["cadence_days"]) for r in rows] == [("Ana Alpha", 14), ("Carla Cruz", 10)]
    cli.fails("cadence", "golf", "--clear")
    cli.fails("cadence", "vip")
    cli.fails("cadence", "vip", "0", code=2)


def test_thank_referrals(cli):
    cli.ok("add", "Ana Alpha")
    cli.ok("refer", "ana", "Bruno Beta")
    cli.ok("refer", "ana", "Carla Cruz")
    assert cli.ok("thank", "ana", "carla") == "Thanked Ana Alpha for referring Carla Cruz\n"
    assert cli.ok("thank", "ana") == "Thanked Ana Alpha for referring Bruno Beta\n"
    assert "no referral waiting" in cli.fails("thank", "ana").stderr


def test_calendar_export_parses_back_with_stable_uids(cli, tmp_path):
    cli.ok("add", 'Zoë Müller, "ZM"')
    cli.ok("add", "Bruno Beta")
    cli.ok("schedule", "zoë", "2026-12-01", "call; about, the \\ renewal")
    cli.ok("schedule", "bruno", "2026-12-03")
    cli.ok("done", "bruno")
    first = cli.ok("export", "followups", "--format", "ics")
    calendar = Calendar.from_ical(first)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    assert event.decoded("dtstart") == dt.date(2026, 12, 1)
    assert str(event["summary"]) == 'Follow up with Zoë Müller, "ZM"'
    assert str(event["description"]) == "call; about, the \\ renewal"
    cli.ok("snooze", "zoë", "2026-12-05")
    moved = Calendar.from_ical(cli.ok("export", "followups", "--format", "ics")).walk("VEVENT")
    assert moved[0]["uid"] == event["uid"]
    assert moved[0].decoded("dtstart") == dt.date(2026, 12, 5)
    cli.fails("export", "customers", "--format", "ics")


def test_customer_completion_from_the_database(cli, followup_executable, database):
    cli.ok("add", "Ana Alpha", "--email", "ana@example.com")
    cli.ok("add", "Bruno Beta")
    cli.ok("add", "Anne \x1b]0;pwned\x07")  # would retitle the terminal if offered
    env = {
        **os.environ,
        "FOLLOWUP_DB": str(database),
        "_FOLLOWUP_COMPLETE": "complete_bash",
        "COMP_WORDS": "followup show An",
        "COMP_CWORD": "2",
    }
    result = subprocess.run(
        [followup_executable], capture_output=True, text=True, env=env, check=False
    )
    assert "Ana Alpha" in result.stdout.split("\n")
    assert "Bruno Beta" not in result.stdout
    assert "\x1b" not in result.stdout and "Anne" not in result.stdout
    cli.ok("add", "Zoë Müller")
    # Typer offers only what starts with the typed text, case and accents as typed.
    for typed, offered in (("Zoë M", "Zoë Müller"), ("ana@", "ana@example.com")):
        env["COMP_WORDS"] = "followup show " + typed.replace(" ", "\\ ")
        words = subprocess.run(
            [followup_executable], capture_output=True, text=True, env=env, check=False
        ).stdout.split("\n")
        assert offered in words, (typed, words)
