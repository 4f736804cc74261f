"""Every mistake can be undone: each write command, then `undo`, leaves the book as it was."""

import json
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from conftest import Cli

USER_TABLES = ("customers", "touchpoints", "followups", "referrals", "tag_cadences")


def dump(database: Path) -> dict:
    """The user's tables, every row and column, rowids included."""
    with sqlite3.connect(database) as connection:
        return {
            table: connection.execute(f"SELECT rowid, * FROM {table} ORDER BY rowid").fetchall()
            for table in USER_TABLES
        }


@pytest.fixture
def book(cli, tmp_path):
    cli.ok("add", "Ana Alpha", "--email", "ana@alpha.example", "--tag", "vip", "--cadence", "14")
    cli.ok("add", "Bruno Beta", "--email", "bruno@beta.example")
    cli.ok("add", "Carla Cruz")
    cli.ok("log", "ana", "sale", "--amount", "1200", "--date", "2026-09-02")
    cli.ok("log", "ana", "call", "asked about the menu", "--date", "2026-11-03", "--next", "2w")
    cli.ok("schedule", "bruno", "2026-11-30", "catalogue")
    cli.ok("refer", "ana", "Gus Green", "--email", "gus@green.example")
    cli.ok("cadence", "vip", "21")
    cli.ok("log", "bruno", "visit", "--date", "2026-10-20")
    (tmp_path / "more.csv").write_text(
        "name,email,last contact\nDora Dent,dora@dent.example,2026-10-01\n"
        "Bruno Beta,BRUNO@beta.example,2026-11-10\n",
        encoding="utf-8",
    )
    return tmp_path


WRITES = [
    ["add", "Eve Echo", "--email", "eve@echo.example"],
    ["edit", "ana", "--add-tag", "golf", "--status", "lost", "--email", "ana@new.example"],
    ["delete", "ana", "--yes"],
    ["log", "ana", "meeting", "lunch", "--date", "2026-11-20", "--next", "friday"],
    ["log", "bruno", "sale", "--amount", "300"],
    ["schedule", "carla", "next friday", "call back"],
    ["done", "ana", "--log", "email"],
    ["snooze", "bruno", "in 3 days"],
    ["cancel", "bruno"],
    ["refer", "bruno", "Carla Cruz"],
    ["thank", "ana"],
    ["cadence", "vip", "7"],
    ["cadence", "vip", "--clear"],
    ["import", "customers", "{dir}/more.csv"],
    ["import", "customers", "{data}/vcard/google_contacts.vcf"],
    ["import", "mail", "{data}/mail/gmail_takeout.mbox"],
    ["import", "calendar", "{data}/calendar/google_calendar.ics"],
    ["edit-touchpoint", "2", "--customer", "bruno", "--date", "2026-11-21"],
    ["delete-touchpoint", "1", "--yes"],
    ["merge", "ana", "bruno", "--yes"],
    ["edit", "carla", "--cadence", "3", "--status", "prospect"],
    ["edit", "bruno", "--add-tag", "vip"],
]


@pytest.mark.parametrize("command", WRITES, ids=lambda command: " ".join(command[:2]))
def test_each_write_then_undo_leaves_the_book_as_it_was(cli, database, book, command):
    before = dump(database)
    data = str(Path(__file__).parent / "data")
    cli.ok(*[part.replace("{dir}", str(book)).replace("{data}", data) for part in command])
    assert dump(database) != before
    out = cli.ok("undo")
    assert out.startswith("Undid: ")
    assert dump(database) == before


SUMMARIES = ("customer_marks", "day_marks", "customer_summaries", "touchpoint_days")


def summaries(database: Path) -> dict:
    """The summaries as `stats` reads them: it brings them up to date first."""
    Cli().ok("stats", env={"FOLLOWUP_DB": str(database)})
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT count(*) FROM stale_summaries").fetchone()[0] == 0
        return {
            table: connection.execute(f"SELECT * FROM {table} ORDER BY 1, 2, 3").fetchall()
            for table in SUMMARIES
        }


def rebuilt_summaries(database: Path, tmp_path: Path) -> dict:
    """The summaries of a copy whose every customer is marked stale, as another tool's
    writes would leave it, and whose day counts are counted afresh: what `stats` makes of
    the book from nothing."""
    copy = tmp_path / "rebuilt.db"
    copy.unlink(missing_ok=True)
    with sqlite3.connect(database) as source, sqlite3.connect(copy) as target:
        source.backup(target)
        target.execute("INSERT OR IGNORE INTO stale_summaries SELECT id FROM customers")
        target.execute("DELETE FROM touchpoint_days")
        target.execute(
            "INSERT INTO touchpoint_days SELECT date, kind, count(*), "
            "sum(CAST(round(coalesce(amount, 0) * 100) AS INTEGER)) FROM touchpoints "
            "GROUP BY date, kind"
        )
    return summaries(copy)


@pytest.mark.parametrize("command", WRITES, ids=lambda command: " ".join(command[:2]))
def test_each_write_and_its_undo_keep_the_summaries(cli, database, book, command):
    """The summaries stats and pitch read (store/summaries.py) follow every write: after
    each, and after its undo, stats finds them as a rebuild makes them."""
    before = summaries(database)
    assert before == rebuilt_summaries(database, book)
    data = str(Path(__file__).parent / "data")
    cli.ok(*[part.replace("{dir}", str(book)).replace("{data}", data) for part in command])
    assert summaries(database) == rebuilt_summaries(database, book)
    cli.ok("undo")
    assert summaries(database) == before


def test_undo_steps_back_and_lists_what_it_can_undo(cli, database, book):
    start = dump(database)
    cli.ok("log", "carla", "call")
    cli.ok("edit", "carla", "--phone", "+1 555")
    listed = json.loads(cli.ok("undo", "--list", "--format", "json"))
    assert [c["change"] for c in listed[:2]] == [
        "edit Carla Cruz",
        "log call with Carla Cruz on 2026-11-22",
    ]
    assert "edit Carla Cruz" in cli.ok("undo")
    assert "log call with Carla Cruz" in cli.ok("undo")
    assert dump(database) == start


def test_nothing_to_undo_is_one_line(cli):
    result = cli.fails("undo")
    assert "nothing to undo" in result.stderr


def test_undo_after_a_restart(followup_executable, tmp_path):
    env = {
        "FOLLOWUP_DB": str(tmp_path / "f.db"),
        "FOLLOWUP_TODAY": "2026-11-22",
        "PATH": "/usr/bin:/bin",
    }
    subprocess.run([followup_executable, "add", "Ana"], env=env, check=True)
    before = dump(tmp_path / "f.db")
    subprocess.run([followup_executable, "log", "ana", "call"], env=env, check=True)
    undone = subprocess.run(
        [followup_executable, "undo"], env=env, check=True, capture_output=True, text=True
    )
    assert undone.stdout.startswith("Undid: log call with Ana")
    assert dump(tmp_path / "f.db") == before


def test_a_100k_row_import_is_one_change_undone_fast(cli, database, tmp_path, followup_executable):
    cli.ok("add", "Ana Alpha", "--email", "ana@alpha.example")
    before = dump(database)
    rows = tmp_path / "rows.csv"
    with rows.open("w", encoding="utf-8") as handle:
        handle.write("name,email\nAna Alpha,ANA@alpha.example\n")
        handle.writelines(f"Person {n},p{n}@x.example\n" for n in range(100_000))
    env = {"FOLLOWUP_DB": str(database), "FOLLOWUP_TODAY": "2026-11-22", "PATH": "/usr/bin:/bin"}
    subprocess.run([followup_executable, "import", "customers", rows], env=env, check=True)
    started = time.perf_counter()
    subprocess.run([followup_executable, "undo"], env=env, check=True, capture_output=True)
    elapsed = time.perf_counter() - started
    assert dump(database) == before
    assert elapsed < 10  # generous for a slow machine; `make bench` has the real figure


@pytest.mark.parametrize("summary", ["last_contact", "last_contact_kind", "sales_total"])
def test_editing_and_deleting_touchpoints_recompute_the_summaries(cli, summary):
    cli.ok("add", "Ana Alpha")
    cli.ok("add", "Bruno Beta")
    cli.ok("log", "ana", "sale", "--amount", "500", "--date", "2026-11-01")
    cli.ok("log", "ana", "email", "--date", "2026-11-10")

    def of(name: str):
        return json.loads(cli.ok("show", name, "--format", "json"))[summary]

    expected_before = {
        "last_contact": "2026-11-10",
        "last_contact_kind": "email",
        "sales_total": 500,
    }
    assert of("ana") == expected_before[summary]
    cli.ok("edit-touchpoint", "2", "--customer", "bruno")  # the email moves to Bruno
    after_move = {
        "last_contact": ("2026-11-01", "2026-11-10"),
        "last_contact_kind": ("sale", "email"),
        "sales_total": (500, 0),
    }
    assert (of("ana"), of("bruno")) == after_move[summary]
    cli.ok("delete-touchpoint", "1", "--yes")  # Ana's sale goes
    after_delete = {"last_contact": None, "last_contact_kind": None, "sales_total": 0}
    assert of("ana") == after_delete[summary]


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["log", "ana", "sale", "--amount", "-200"], 2),
        (["log", "ana", "sale", "--amount", "0"], 2),
        (["edit-touchpoint", "99"], 1),
        (["edit-touchpoint", "1", "--amount", "-5"], 2),
        (["delete-touchpoint", "99", "--yes"], 1),
        (["delete-touchpoint", "1"], 1),
        (["done", "--id", "99"], 1),
        (["cancel", "carla"], 1),
        (["snooze", "bruno", "--id", "1", "friday"], 1),
    ],
)
def test_refusals_leave_the_book_unchanged(cli, database, book, args, code):
    before = dump(database)
    cli.fails(*args, code=code)
    assert dump(database) == before


def test_done_snooze_and_cancel_take_a_promise_id(cli, database, book):
    agenda = json.loads(cli.ok("agenda", "--days", "30", "--format", "json"))
    ids = {item["customer"]: item["id"] for item in agenda}
    assert "Cancelled the follow-up with Bruno Beta" in cli.ok(
        "cancel", "--id", str(ids["Bruno Beta"])
    )
    assert "Moved follow-up with Ana Alpha" in cli.ok(
        "snooze", "--id", str(ids["Ana Alpha"]), "friday"
    )
    assert "Done: follow-up with Ana Alpha" in cli.ok("done", "ana", "--id", str(ids["Ana Alpha"]))


@pytest.mark.parametrize(
    "command",
    [
        ["remind"],
        ["due"],
        ["list"],
        ["show", "1"],
        ["agenda"],
        ["touchpoints"],
        ["stats"],
        ["pitch"],
        ["export", "customers"],
        ["referrals"],
        ["undo", "--list"],
    ],
)
def test_a_command_that_only_reads_refuses_a_missing_book(followup_executable, tmp_path, command):
    """Under cron's bare environment: a mistyped path must produce mail, not silence."""
    missing = tmp_path / "typo" / "followup.db"
    (tmp_path / "typo").mkdir()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "FOLLOWUP_DB": str(missing)}
    result = subprocess.run(
        [followup_executable, *command], env=env, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert result.stderr.startswith("followup: ") and "does not exist" in result.stderr
    assert str(missing) in result.stderr
    assert not missing.exists()


def _duplicates(cli) -> list[tuple[int, int, str]]:
    found = json.loads(cli.ok("duplicates", "--format", "json"))
    return [(pair["id"], pair["other_id"], pair["reason"]) for pair in found]


def test_duplicates_lists_each_reason(cli, monkeypatch):
    monkeypatch.setenv("FOLLOWUP_REGION", "DE")  # where "030 123 4567" is placed
    cli.ok("add", "Zoë Müller", "--email", "zoe@mueller.example")
    cli.ok("add", "ZOE MULLER")
    cli.ok("add", "Ana Alpha", "--phone", "+49 30 1234567")
    cli.ok("add", "Anna A.", "--phone", "030 123 4567")
    cli.ok("add", "Bo Beta", "--email", "bo@beta.example")
    cli.ok("add", "bo beta", "--email", "bo@other.example")
    assert _duplicates(cli) == [
        (1, 2, "the same name, one record without an email"),
        (3, 4, "the same phone (+49301234567)"),
        (5, 6, "the same name"),
    ]


def test_add_of_a_name_on_file_says_so_and_adds(cli):
    cli.ok("add", "Zoë Müller")
    result = cli("add", "zoe muller")
    assert result.exit_code == 0 and result.stdout == "2\n"
    assert "already on file with that name: Zoë Müller (#1)" in result.stderr


@pytest.mark.parametrize(
    "other",
    [
        ["ZOE MULLER"],  # the same name, no email
        ["Zoe Muller", "--email", "zoe.private@mueller.example"],  # the same name
        ["Z. M.", "--phone", "0049 89 5550101"],  # the same phone
    ],
)
def test_merge_keeps_one_record_with_all_history_and_undo_splits_it_again(
    cli, database, other, monkeypatch
):
    monkeypatch.setenv("FOLLOWUP_REGION", "DE")
    cli.ok(
        "add",
        "Zoë Müller",
        "--email",
        "zoe@mueller.example",
        "--phone",
        "+49 89 555 0101",
        "--tag",
        "vip",
    )
    cli.ok("add", *other, "--tag", "north", "--company", "Müller GmbH", "--note", "met at the fair")
    cli.ok("add", "Ana Alpha")
    cli.ok("log", "2", "visit", "--date", "2026-11-20", "--next", "2026-12-01")
    cli.ok("log", "1", "sale", "--amount", "100", "--date", "2026-10-01")
    cli.ok("refer", "2", "Ana Alpha")
    cli.ok("refer", "1", "Ana Alpha", "--date", "2026-11-01")  # the merge would repeat it
    cli.ok("refer", "2", "Zoë Müller", "--email", "zoe@mueller.example")  # a self-referral after
    assert (1, 2) in [(a, b) for a, b, _ in _duplicates(cli)]
    before = dump(database)
    result = cli("merge", "1", "2", "--yes")
    assert result.exit_code == 0, result.output
    assert "dropped 2 referral(s)" in result.stderr
    zoe = json.loads(cli.ok("show", "1", "--format", "json"))
    assert zoe["tags"] == ["vip", "north"] and zoe["company"] == "Müller GmbH"
    assert "From " in zoe["notes"] and "met at the fair" in zoe["notes"]
    assert zoe["last_contact"] == "2026-11-20" and zoe["sales_total"] == 100
    assert [f["due_on"] for f in zoe["open_follow_ups"]] == ["2026-12-01"]
    assert [r["referred"] for r in zoe["referrals_made"]] == ["Ana Alpha"]
    assert "no customer has id 2" in cli.fails("show", "2").stderr
    if "--email" in other:
        assert "Other emails: zoe.private@mueller.example" in zoe["notes"]
    cli.ok("undo")
    assert dump(database) == before


def test_merge_refuses_one_customer_twice_and_needs_yes_outside_a_terminal(cli, database):
    cli.ok("add", "Zoë Müller")
    cli.ok("add", "Zoe Muller")
    before = dump(database)
    assert "one customer" in cli.fails("merge", "1", "#1", "--yes").stderr
    assert "--yes" in cli.fails("merge", "1", "2").stderr
    assert dump(database) == before
