"""log: one line to record a touchpoint, a promise, and to close what it fulfils."""

import json


def shown(cli, reference="ana"):
    return json.loads(cli.ok("show", reference, "--format", "json"))


def test_log_confirms_with_full_name_date_and_follow_up(cli):
    cli.ok("add", "Ana Alpha")
    out = cli.ok("log", "ana", "--date", "yesterday", "--next", "2w")
    assert out == "Logged call with Ana Alpha on 2026-11-21; next follow-up 2026-12-06\n"


def test_kind_is_optional_and_a_non_kind_word_is_the_note(cli):
    cli.ok("add", "Ana Alpha")
    cli.ok("log", "ana", "talked renewal")
    cli.ok("log", "ana", "Meeting", "lunch", "at", "noon")
    cli.ok("log", "ana", "--amount", "250.5", "--date", "2026-11-01")
    kinds = [(t["kind"], t["note"]) for t in shown(cli)["touchpoints"]]
    assert ("call", "talked renewal") in kinds
    assert ("meeting", "lunch at noon") in kinds
    assert ("sale", None) in kinds
    assert shown(cli)["sales_total"] == 250.5


def test_next_counts_from_today_not_from_date(cli):
    cli.ok("add", "Ana Alpha")
    out = cli.ok("log", "ana", "--date", "2026-11-01", "--next", "3d")
    assert out.endswith("next follow-up 2026-11-25\n")


def test_logging_resets_the_clock_even_when_logged_late(cli):
    cli.ok("add", "Ana Alpha")
    cli.ok("log", "ana", "--date", "2026-11-20")
    cli.ok("log", "ana", "email", "--date", "2026-10-01")
    assert shown(cli)["last_contact"] == "2026-11-20"
    assert shown(cli)["last_contact_kind"] == "call"


def test_a_note_is_not_contact(cli):
    cli.ok("add", "Ana Alpha")
    cli.ok("log", "ana", "note", "likes golf")
    assert shown(cli)["last_contact"] is None


def test_logging_closes_follow_ups_due_on_or_before_its_date(cli):
    cli.ok("add", "Ana Alpha")
    cli.ok("log", "ana", "--date", "2026-11-01", "--next", "2026-11-22")
    cli.ok("log", "ana", "--date", "2026-11-02", "--next", "2026-12-10")
    out = cli.ok("log", "ana", "email")
    assert "closed the follow-up due 2026-11-22" in out
    assert [f["due_on"] for f in shown(cli)["open_follow_ups"]] == ["2026-12-10"]


def test_a_note_closes_no_follow_up(cli):
    cli.ok("add", "Ana Alpha")
    cli.ok("log", "ana", "--date", "2026-11-01", "--next", "2026-11-22")
    cli.ok("log", "ana", "note", "left a voicemail")
    assert len(shown(cli)["open_follow_ups"]) == 1


def test_bad_log_input_changes_nothing(cli):
    cli.ok("add", "Ana Alpha")
    cli.fails("log", "ana", "--date", "tomorrow")
    cli.fails("log", "ana", "--next", "yesterday")
    cli.fails("log", "ana", "--date", "blursday")
    cli.fails("log", "ana", "meeting", "--amount", "10")
    cli.fails("log", "ana", "--amount", "ten", code=2)
    cli.fails("log", "nobody")
    cli.fails("log", "ana", "--bogus", code=2)
    assert shown(cli)["touchpoints"] == []
    assert shown(cli)["open_follow_ups"] == []


def test_logging_the_same_contact_twice_says_so_in_english(cli):
    cli.ok("add", "Carla Cruz")
    cli.ok("log", "carla", "email", "catalogue")
    again = cli("log", "carla", "email", "catalogue")
    assert again.exit_code == 0
    assert "Carla Cruz already had an email on" in again.stderr
    cli.ok("log", "carla", "call")
    assert "already had a call on" in cli("log", "carla", "call").stderr
