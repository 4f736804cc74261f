"""What the book says about a customer comes from one set of rules, whoever wrote the rows,
and undo takes back exactly what its change did: the cases users hit, one by one."""

import json
import sqlite3

import pytest

from followup_cli.services import work
from followup_cli.services.referrals import ReferredPerson
from followup_cli.store import open_store


def sql(database, statement: str, parameters=()) -> None:
    """A write by another tool (sqlite3, a script): no followup code runs."""
    connection = sqlite3.connect(database, isolation_level=None)
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute(statement, parameters)
    connection.close()


def shown(cli, who: str) -> dict:
    return json.loads(cli.ok("show", who, "--format", "json"))


def agenda(cli) -> list[dict]:
    return json.loads(cli.ok("agenda", "--format", "json"))


# The boundary -----------------------------------------------------------------------------


@pytest.mark.parametrize(("silent", "is_due"), [(7, False), (8, True)])
def test_due_remind_stats_and_pitch_agree_on_the_day_silence_equals_the_cadence(
    cli, silent, is_due
):
    cli.ok("add", "Ana Alpha", "--cadence", "7")
    cli.ok("log", "ana", "--date", f"{silent} days ago")
    due = json.loads(cli.ok("due", "--format", "json"))
    assert bool(due) == is_due
    assert ("Ana Alpha" in cli.ok("remind")) == is_due
    assert json.loads(cli.ok("stats", "--format", "json"))["covered"] == (0 if is_due else 1)
    pitch = json.loads(cli.ok("pitch", "--format", "json"))
    assert ("in touch" in pitch[0]["reason"]) == (not is_due)
    as_of = json.loads(cli.ok("due", "--format", "json", "--as-of", "2026-11-22"))
    assert bool(as_of) == is_due


def test_of_two_contacts_on_one_day_the_one_logged_last_gives_the_kind(cli):
    cli.ok("add", "Ana Alpha", "--cadence", "1")
    cli.ok("log", "ana", "meeting", "--date", "2026-11-10")
    cli.ok("log", "ana", "call", "--date", "2026-11-10")
    cli.ok("log", "ana", "note", "--date", "2026-11-10")
    assert shown(cli, "ana")["last_contact_kind"] == "call"
    for as_of in ("2026-11-22", "2026-11-15"):
        (entry,) = json.loads(cli.ok("due", "--format", "json", "--as-of", as_of))
        assert "since last call" in entry["reason"]


# Promises follow their contacts ------------------------------------------------------------


@pytest.fixture
def kept_promise(cli):
    """Ana promised a call by 2026-11-18, and called on 2026-11-20 (touchpoint 1)."""
    cli.ok("add", "Ana Alpha")
    cli.ok("add", "Bo Beta")
    cli.ok("schedule", "ana", "2026-11-18", env={"FOLLOWUP_TODAY": "2026-11-10"})
    cli.ok("log", "bo", "email", "--date", "2026-11-01")
    logged = cli.ok("log", "ana", "call", "--date", "2026-11-20")
    assert "closed the follow-up due 2026-11-18" in logged
    assert agenda(cli) == []


@pytest.mark.parametrize(
    "undone",
    [
        ["delete-touchpoint", "2", "--yes"],
        ["edit-touchpoint", "2", "--customer", "bo"],
        ["edit-touchpoint", "2", "--kind", "note"],
        ["edit-touchpoint", "2", "--date", "2026-11-17"],
    ],
)
def test_a_promise_reopens_when_the_contact_that_kept_it_goes(cli, kept_promise, undone):
    cli.ok(*undone)
    assert [row["customer"] for row in agenda(cli)] == ["Ana Alpha"]
    (entry,) = json.loads(cli.ok("due", "--format", "json", "--limit", "1"))
    assert entry["name"] == "Ana Alpha" and "promised follow-up" in entry["reason"]


def test_a_promise_reopens_when_another_tool_deletes_the_contact(cli, database, kept_promise):
    sql(database, "DELETE FROM touchpoints WHERE id = 2")
    assert [row["customer"] for row in agenda(cli)] == ["Ana Alpha"]


def test_a_contact_moved_onto_a_customer_keeps_their_promise(cli):
    cli.ok("add", "Ana Alpha")
    cli.ok("add", "Bo Beta")
    cli.ok("log", "bo", "call")
    cli.ok("schedule", "ana", "today")
    cli.ok("edit-touchpoint", "1", "--customer", "ana")
    assert agenda(cli) == []
    assert "promised" not in cli.ok("due")


def test_done_with_log_says_which_other_promises_it_kept(cli):
    cli.ok("add", "Ana Alpha")
    cli.ok("schedule", "ana", "today")
    cli.ok("schedule", "ana", "2026-11-30")
    out = cli.ok("done", "--id", "2", "--log", "email", env={"FOLLOWUP_TODAY": "2026-12-01"})
    assert "logged email; closed the follow-up due 2026-11-22" in out


def test_done_and_cancel_are_never_undone_by_a_recompute(cli, database):
    cli.ok("add", "Ana Alpha")
    cli.ok("schedule", "ana", "2026-11-25")
    cli.ok("cancel", "ana")
    cli.ok("log", "ana", "call", env={"FOLLOWUP_TODAY": "2026-11-26"})
    cli.ok("delete-touchpoint", "1", "--yes")
    assert agenda(cli) == []


# Undo takes back its own change, and nothing else -------------------------------------------


def test_a_row_another_tool_added_survives_the_undo_of_an_earlier_log(cli, database):
    cli.ok("add", "Ana Alpha")
    cli.ok("log", "ana", "call", "--date", "2026-11-01")
    sql(
        database,
        "INSERT INTO touchpoints (customer_id, date, kind, created_at) "
        "VALUES (1, '2026-11-05', 'email', 'script')",
    )
    cli.ok("undo")
    ana = shown(cli, "ana")
    assert [tp["kind"] for tp in ana["touchpoints"]] == ["email"]
    assert ana["last_contact"] == "2026-11-05" and ana["last_contact_kind"] == "email"


@pytest.mark.parametrize(
    ("tool", "said"),
    [
        ("UPDATE customers SET notes = 'from a script' WHERE id = 2", "Bo Beta's customer record"),
        ("DELETE FROM customers WHERE id = 2", "has been deleted since"),
        (
            "INSERT INTO touchpoints (customer_id, date, kind) VALUES (2, '2026-11-01', 'call')",
            "touchpoint 1 was added since",
        ),
    ],
)
def test_undo_refuses_to_take_another_tools_work_with_it(cli, database, tool, said):
    cli.ok("add", "Ana Alpha")
    cli.ok("add", "Bo Beta")
    sql(database, tool)
    cli.ok("list")  # the next command derives what the tool's write changed
    dump = list(sqlite3.connect(database).iterdump())
    failed = cli.fails("undo")
    assert said in failed.stderr and "nothing was undone" in failed.stderr
    assert list(sqlite3.connect(database).iterdump()) == dump


def test_undo_refuses_when_a_deleted_id_was_taken_again(cli, database):
    cli.ok("add", "Ana Alpha")
    cli.ok("add", "Bo Beta")
    cli.ok("delete", "bo", "--yes")
    sql(database, "INSERT INTO customers (id, name, created_on) VALUES (2, 'Cy', '2026-11-22')")
    assert "its id is taken again" in cli.fails("undo").stderr
    assert shown(cli, "2")["name"] == "Cy"


def test_undo_brings_back_reals_and_blobs_bit_for_bit(cli, database):
    cli.ok("add", "Ana Alpha")
    cli.ok("log", "ana", "sale", "--amount", "1234.5678901234567")
    sql(database, "UPDATE touchpoints SET note = x'00ff'")
    cli.ok("edit-touchpoint", "1", "--date", "yesterday")
    cli.ok("delete", "ana", "--yes")
    cli.ok("undo")
    cli.ok("undo")
    connection = sqlite3.connect(database)
    assert connection.execute("SELECT amount, note, date FROM touchpoints").fetchone() == (
        1234.5678901234567,
        b"\x00\xff",
        "2026-11-22",
    )


def test_a_write_of_identical_values_records_no_change(cli, tmp_path):
    rows = tmp_path / "c.csv"
    rows.write_text("name,email\nAna,ana@alpha.example\nAna A,ANA@alpha.example\n")
    cli.ok("import", "customers", str(rows))
    again = cli.ok("import", "customers", str(rows))
    assert "0 updated, 2 unchanged" in again
    assert len(cli.ok("undo", "--list").splitlines()) == 2  # the header and the first import


def test_the_journal_keeps_the_last_100_changes(cli):
    for number in range(101):
        cli.ok("add", f"Person {number}")
    listed = cli.ok("undo", "--list", "--limit", "0").splitlines()[1:]
    assert len(listed) == 100
    assert listed[-1].endswith("add Person 1")


def test_a_work_round_keeps_its_answers_when_another_terminal_logs_and_undoes(cli, database):
    cli.ok("add", "Ana Alpha")
    cli.ok("add", "Bo Beta")
    store = open_store(database)
    ana = store.customers.by_id(1)
    change, touchpoint_id = work.record_contact(store, ana, "call", store_today := _today())
    cli.ok("log", "bo", "email")  # the other terminal
    change = work.add_referral(store, change, ana, ReferredPerson("Cy Gamma"), store_today)
    cli.ok("undo")  # takes back the email to Bo, and only that
    assert [tp["kind"] for tp in shown(cli, "ana")["touchpoints"]] == ["call"]
    assert shown(cli, "cy")["status"] == "prospect"
    assert shown(cli, "bo")["touchpoints"] == []
    cli.ok("undo")  # now the round's call and its referral, together
    assert shown(cli, "ana")["touchpoints"] == []
    assert "no customer" in cli.fails("show", "cy").stderr
    work.add_note(store, change, ana, touchpoint_id, "undone elsewhere meanwhile")
    store.close()


def test_a_work_round_moves_on_when_its_customer_is_deleted_elsewhere(cli, database):
    cli.ok("add", "Ana Alpha")
    store = open_store(database)
    ana = store.customers.by_id(1)
    cli.ok("delete", "ana", "--yes")
    with pytest.raises(work.CustomerGone):
        work.record_contact(store, ana, "call", _today())
    with pytest.raises(work.CustomerGone):
        work.context_of(store, ana.id, _today())
    store.close()


def _today():
    import datetime as dt

    return dt.date(2026, 11, 22)


# Merge ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("order", [("1", "2"), ("2", "1")])
def test_merge_takes_every_pair_duplicates_lists_both_ways(cli, order):
    cli.ok("add", "Ana Alpha")
    cli.ok("add", "Ana Alpha", "--email", "ana@alpha.example", "--phone", "+49 30 1234567")
    assert "one record without an email" in cli.ok("duplicates")
    cli.ok("merge", *order, "--yes")
    assert "ana@alpha.example" in cli.ok("list")


def test_merge_keeps_other_phone_and_company_in_the_notes_and_says_so(cli):
    cli.ok("add", "Ana Alpha", "--phone", "+49 30 1111111", "--company", "Alpha")
    cli.ok("add", "Ana A", "--phone", "+49 30 2222222", "--company", "Alpha GmbH")
    result = cli("merge", "1", "2", "--yes")
    assert result.exit_code == 0
    assert "Other phones: +49 30 2222222" in result.stderr
    notes = shown(cli, "1")["notes"]
    assert "Other phones: +49 30 2222222" in notes and "Other companies: Alpha GmbH" in notes


def test_edit_touchpoint_refuses_an_amount_on_a_call(cli, database):
    cli.ok("add", "Ana Alpha")
    cli.ok("log", "ana", "call")
    assert "goes with a sale" in cli.fails("edit-touchpoint", "1", "--amount", "50").stderr
