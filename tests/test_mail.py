"""`import mail`: Gmail Takeout and Thunderbird mbox files and a Maildir (tests/data/mail,
described in tests/data/README.md) into email touchpoints of the customers on file."""

import json
import os
import subprocess
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data" / "mail"
GMAIL = DATA / "gmail_takeout.mbox"


@pytest.fixture
def book(cli):
    cli.ok("add", "Ana Álvarez", "--email", "ana@alpha.example")
    cli.ok("add", "Bo Berg", "--email", "bo@berg.example")
    cli.ok("add", "Carla Chen", "--email", "carla@chen.example")
    cli.ok("add", "Dan Doe", "--email", "dan@doe.example")


def imported(cli, *args, env=None) -> dict:
    result = cli("import", "mail", *args, "--format", "json", env=env)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def emails(cli) -> list[tuple[str, str, str]]:
    rows = json.loads(cli.ok("export", "touchpoints", "--format", "json"))
    return sorted((row["customer"], row["date"], row["note"]) for row in rows)


def test_gmail_takeout_gives_one_email_per_customer_and_message(cli, book):
    report = imported(cli, GMAIL)
    assert (report["created"], report["unchanged"], report["skipped"]) == (6, 0, 3)
    assert report["skipped_because"] == {
        "draft": 1,
        "mailing list": 1,
        "no customer on file": 1,  # the display name "bo@berg.example" is not an address
    }
    assert report["warnings"] == []
    assert emails(cli) == [
        ("Ana Álvarez", "2026-11-17", "Re: Q3 price list"),  # From: Ana@Alpha.Example
        ("Ana Álvarez", "2026-11-19", "Angebot für März"),  # Cc, folded; the subject decoded
        ("Bo Berg", "2026-11-19", "Angebot für März"),
        ("Carla Chen", "2026-11-16", "No date header"),  # the top Received header's date
        ("Carla Chen", "2026-11-16", "Nothing to date it by"),  # the `From ` line's date
        ("Dan Doe", "2026-11-17", "Late in New York"),  # 23:30 -0500 is the 17th in UTC
    ]


def test_the_same_message_from_any_folder_is_logged_once(cli, book):
    imported(cli, GMAIL)
    again = imported(cli, GMAIL)
    assert (again["created"], again["unchanged"]) == (0, 6)
    maildir = imported(cli, DATA / "Maildir")
    # cur/ holds Ana's Q3 mail again (same Message-ID) and a draft (flag D); new/ Bo's
    # order; tmp/ (still being delivered) is not read.
    assert (maildir["created"], maildir["unchanged"], maildir["skipped"]) == (1, 1, 1)
    assert ("Bo Berg", "2026-11-20", "Order 2231") in emails(cli)
    assert all(note != "Still being delivered" for _, _, note in emails(cli))


def test_thunderbird_drafts_give_nothing(cli, book):
    report = imported(cli, DATA / "thunderbird_sent.mbox")
    assert (report["created"], report["skipped_because"]) == (1, {"draft": 1})


def test_the_local_date_is_the_machines_time_zone(book, followup_executable, database):
    env = {**os.environ, "TZ": "EST+5"}
    subprocess.run([followup_executable, "import", "mail", GMAIL], env=env, check=True)
    out = subprocess.run(
        [followup_executable, "export", "touchpoints"], env=env, check=True, capture_output=True
    ).stdout.decode()
    assert "Dan Doe,dan@doe.example,2026-11-16,email,Late in New York" in out
    assert "Ana Álvarez,ana@alpha.example,2026-11-17,email,Re: Q3 price list" in out


def test_logging_mail_resets_the_clock_and_keeps_the_promise(cli, book):
    cli.ok("log", "bo", "call", "--next", "2026-11-15", env={"FOLLOWUP_TODAY": "2026-10-01"})
    imported(cli, GMAIL)
    bo = json.loads(cli.ok("show", "bo", "--format", "json"))
    assert bo["last_contact"] == "2026-11-19"
    assert json.loads(cli.ok("agenda", "--format", "json")) == []


def test_my_own_addresses_are_never_a_customer(cli, book):
    cli.ok("add", "Me Myself", "--email", "me@example.com")  # a user who is in the book
    with_me = imported(cli, GMAIL, "--me", "ME@example.com", "--dry-run")
    assert with_me["created"] == 6
    from_env = imported(cli, GMAIL, "--dry-run", env={"FOLLOWUP_ME": "x@y.example, me@example.com"})
    assert from_env["created"] == 6
    without = imported(cli, GMAIL, "--dry-run")
    assert without["created"] > 6
    as_shown = imported(cli, GMAIL, "--me", "Me Myself <ME@example.com>", "--dry-run")
    assert as_shown["created"] == 6
    for me in (["--me", "not-an-address"], ["--me", "Me <nobody>"]):
        assert "is not an email address" in cli.fails("import", "mail", GMAIL, *me).stderr
    refused = cli.fails("import", "mail", GMAIL, env={"FOLLOWUP_ME": "me@example.com, oops"})
    assert "FOLLOWUP_ME 'oops'" in refused.stderr


def test_since_and_dry_run(cli, book):
    report = imported(cli, GMAIL, "--since", "2026-11-18", "--dry-run")
    assert report["created"] == 2 and report["skipped_because"]["before --since"] == 4
    assert report["written"] is False
    assert emails(cli) == []


def test_an_import_is_one_change_for_undo(cli, book):
    imported(cli, GMAIL)
    assert "import mail" in cli.ok("undo")
    assert emails(cli) == []


def test_merging_two_customers_keeps_a_shared_message_once(cli, book, tmp_path):
    cli.ok("add", "Ana at home", "--email", "ana@home.example")
    text = GMAIL.read_bytes().replace(b"To: Me <me@example.com>", b"To: ana@home.example", 1)
    path = tmp_path / "copy.mbox"
    path.write_bytes(text)
    imported(cli, path)
    cli.ok("merge", "Ana Álvarez", "Ana at home", "--yes")
    notes = [note for name, _, note in emails(cli) if name == "Ana Álvarez"]
    assert notes.count("Re: Q3 price list") == 1


def test_an_apple_mail_export_folder_reads_its_mbox(cli, book, tmp_path):
    bundle = tmp_path / "Sent Messages.mbox"
    bundle.mkdir()
    (bundle / "mbox").write_bytes((DATA / "thunderbird_sent.mbox").read_bytes())
    (bundle / "table_of_contents").write_bytes(b"\x00\x01binary")
    assert imported(cli, bundle)["created"] == 1


def test_bad_input_is_one_line(cli, book, tmp_path):
    cli.fails("import", "mail", tmp_path / "missing.mbox")
    (tmp_path / "notes.txt").write_text("just text\n")
    cli.fails("import", "mail", tmp_path / "notes.txt")
    (tmp_path / "folder").mkdir()
    cli.fails("import", "mail", tmp_path / "folder")
    cli.fails("import", "mail", GMAIL, "--map", "a=b")
    cli.fails("import", "customers", GMAIL, "--me", "me@example.com")
    cli.fails("import", "mail", GMAIL, "--since", "next week")


def test_a_mailbox_as_mail_clients_read_it(cli, book):
    """tests/data/mail/quirks.mbox: an empty body swallows no message, groups and `;` lists
    reach everyone in them, and headers that are not UTF-8 or carry one bad word still read."""
    report = imported(cli, str(DATA / "quirks.mbox"))
    assert report["created"] == 8
    assert emails(cli) == [
        ("Ana Álvarez", "2026-11-03", "Angebot für Sie"),
        ("Ana Álvarez", "2026-11-04", "Grüße aus Berlin"),
        ("Bo Berg", "2026-11-02", "Quick question"),
        # Dates outside 1900-2199 (1850; year 1, which the parser reads as 2001; 9999,
        # whose -0100 overflowed): each message's `From ` line has the date.
        ("Bo Berg", "2026-11-05", "Clock set to 1850"),
        ("Carla Chen", "2026-11-02", "Quick question"),
        ("Carla Chen", "2026-11-06", "Year one"),
        ("Dan Doe", "2026-11-03", "Angebot für Sie"),
        ("Dan Doe", "2026-11-07", "Year 9999"),
    ]


def _maildir_message(folder: Path, name: str, subject: str, date: str) -> None:
    (folder / "cur" / name).write_text(
        f"From: Me <me@example.com>\nTo: bo@berg.example\nSubject: {subject}\n"
        f"Date: {date}\nMessage-ID: <{name}@example.com>\n\nBody\n"
    )


def test_what_a_maildir_holds_besides_messages_is_skipped_and_counted(cli, book, tmp_path):
    maildir = tmp_path / "Maildir"
    for folder in ("cur", "new", "tmp"):
        (maildir / folder).mkdir(parents=True)
    _maildir_message(maildir, "1.mail:2,S", "Fine", "Mon, 2 Nov 2026 10:00:00 +0000")
    _maildir_message(maildir, "2.mail:2,S", "Far future", "Fri, 31 Dec 9999 23:30:00 -0100")
    os.mkfifo(maildir / "cur" / "3.fifo")  # read, it would wait for a writer forever
    (maildir / "cur" / "4.loop").symlink_to("4.loop")
    (maildir / "cur" / "5.folder").mkdir()
    report = imported(cli, maildir)
    assert (report["created"], report["skipped"]) == (1, 4)
    assert report["skipped_because"] == {"cannot be read": 1, "no date": 1, "not a file": 2}
    assert [warning["reason"] for warning in report["warnings"]] == [
        "cur/2.mail:2,S: no date from 1900 to 2199 in its Date or Received header; skipped",
        "cur/4.loop: Too many levels of symbolic links; skipped",
    ]


def test_a_subject_over_the_note_bound_is_cut_with_a_mark(cli, book, tmp_path):
    maildir = tmp_path / "Maildir"
    for folder in ("cur", "new"):
        (maildir / folder).mkdir(parents=True)
    _maildir_message(maildir, "1.mail:2,S", "x" * 130_000, "Mon, 2 Nov 2026 10:00:00 +0000")
    assert imported(cli, maildir)["created"] == 1
    (note,) = [row[2] for row in emails(cli)]
    assert (len(note), note[-17:]) == (64 * 1024, "x [cut to 64 KiB]")
    # What the book stores, its own export and import take back.
    exported = tmp_path / "touchpoints.csv"
    cli.ok("export", "touchpoints", "-o", exported)
    cli.ok("delete", "bo@berg.example", "--yes")
    cli.ok("add", "Bo Berg", "--email", "bo@berg.example")
    assert json.loads(cli.ok("import", "touchpoints", exported, "--format", "json"))["created"]
