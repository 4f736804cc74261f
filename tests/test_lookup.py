"""One lookup: every command and every import that takes a customer finds the same one.

The same spellings go through log, show, refer, import touchpoints, import referrals and
import customers; if one of them compared names its own way, these tests would show it.
"""

import json

import pytest

SPELLINGS = ["ZOË MÜLLER", "zoe muller", "Zoe", "ZOE@Mueller.example", "#2"]


@pytest.fixture
def zoe(cli) -> dict:
    cli.ok("add", "Ana Alpha", "--email", "ana@alpha.example")
    cli.ok("add", "Zoë Müller", "--email", "zoe@mueller.example", "--phone", "+49 1")
    cli.ok("add", "Fatima Fofana")
    return json.loads(cli.ok("show", "2", "--format", "json"))


def _book(cli) -> list[dict]:
    return json.loads(cli.ok("list", "--format", "json"))


def _write(tmp_path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_command_and_import_reaches_the_one_customer(cli, tmp_path, zoe, spelling):
    shown = json.loads(cli.ok("show", spelling, "--format", "json"))
    assert shown["id"] == zoe["id"]

    assert "with Zoë Müller" in cli.ok("log", spelling, "email", "sent the quote")

    out = cli.ok("refer", spelling, "Gus Green")
    assert out.startswith("Recorded: Zoë Müller referred Gus Green")

    touchpoints = _write(tmp_path, "t.csv", f"customer,date,kind\n{spelling},2026-11-20,visit\n")
    cli.ok("import", "touchpoints", touchpoints)

    referrals = _write(tmp_path, "r.csv", f"referrer,referred\n{spelling},Ana Alpha\n")
    cli.ok("import", "referrals", referrals)

    shown = json.loads(cli.ok("show", "2", "--format", "json"))
    assert [t["kind"] for t in shown["touchpoints"]] == ["email", "visit"]
    assert {r["referred"] for r in shown["referrals_made"]} == {"Gus Green", "Ana Alpha"}
    assert len(_book(cli)) == 4  # Ana, Zoë, Fatima and the new prospect Gus: no second Zoë


@pytest.mark.parametrize(
    ("name", "email"),
    [
        ("ZOË MÜLLER", ""),
        ("zoe muller", ""),
        ("Zoë Müller", "ZOE@MUELLER.EXAMPLE"),
        ("Z. Müller", "zoe@mueller.example"),
    ],
)
def test_a_contacts_file_updates_the_one_customer(cli, tmp_path, zoe, name, email):
    """A contacts file names people, not references: the same email (any case) or the same
    whole name under the same comparison is Zoë; a bare fragment would be a new person."""
    path = _write(tmp_path, "c.csv", f"name,email,company\n{name},{email},Müller GmbH\n")
    counts = json.loads(cli.ok("import", "customers", path, "--format", "json"))
    assert (counts["created"], counts["updated"]) == (0, 1)
    book = _book(cli)
    assert len(book) == 3
    updated = next(c for c in book if c["id"] == zoe["id"])
    assert updated["company"] == "Müller GmbH"
    assert updated["email"] == "zoe@mueller.example"  # never rewritten for its case alone


def test_refer_links_the_customer_however_the_name_or_email_is_spelled(cli, zoe):
    assert "Ana Alpha referred Zoë Müller on" in cli.ok("refer", "ana", "ZOË MÜLLER")
    cli.ok("refer", "fatima", "ZOE@MUELLER.EXAMPLE")
    assert len(_book(cli)) == 3


@pytest.mark.parametrize(
    "spelling", ["ana@alpha.example", "ANA@ALPHA.EXAMPLE", "ana alpha", "ÁNA ALPHA"]
)
def test_a_self_referral_is_refused_however_it_is_spelled(cli, zoe, spelling):
    result = cli.fails("refer", "ana", spelling)
    assert "cannot refer themselves" in result.stderr
    assert len(_book(cli)) == 3


def test_whole_words_leave_fragments_out_of_the_candidates(cli, zoe):
    cli.ok("add", "Ana Bell")
    result = cli.fails("log", "ana")
    assert "Ana Alpha (#1" in result.stderr and "Ana Bell (#4)" in result.stderr
    assert "Fofana" not in result.stderr


def test_a_huge_number_is_no_id_and_no_crash(cli, zoe):
    result = cli.fails("show", "99999999999999999999999")
    assert "no customer has id 99999999999999999999999" in result.stderr


def test_an_address_beyond_ascii_is_one_address_everywhere(cli, tmp_path):
    """The book holds one customer per address as SQLite's lower() folds it (ASCII letters
    only: "ÅSA" and "Åsa" are one address, "Åsa" and "åsa" two). Python's own lower() folds
    "Å" too; every path that compares addresses in Python must fold as the index does."""
    cli.ok("add", "Åsa Öberg", "--email", "ÅSA@Oberg.example")
    taken = cli.fails("add", "Someone Else", "--email", "Åsa@OBERG.example")
    assert "already" in taken.stderr

    for name, rows in (
        ("plain.csv", "name,email\nÅsa Öberg,ÅSA@OBERG.EXAMPLE\n"),  # the column-wise lane
        ("rows.csv", "name,email,tags\n Åsa Öberg ,ÅSA@OBERG.EXAMPLE,vip\n"),  # row by row
    ):
        report = json.loads(
            cli.ok("import", "customers", _write(tmp_path, name, rows), "--format", "json")
        )
        assert report["rejected"] == 0 and report["created"] == 0, report

    mbox = (
        "From x@y Thu Nov 19 10:00:00 2026\nFrom: ÅSA@OBERG.EXAMPLE\nTo: me@mine.example\n"
        "Date: Thu, 19 Nov 2026 10:00:00 +0000\nMessage-ID: <1@oberg>\nSubject: Hej\n\nhej\n"
    )
    report = json.loads(
        cli.ok("import", "mail", _write(tmp_path, "m.mbox", mbox), "--format", "json")
    )
    assert report["created"] == 1, report

    event = (
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//t//EN\nBEGIN:VEVENT\nUID:e1\n"
        "DTSTART:20261118T100000Z\nDTEND:20261118T110000Z\nSUMMARY:Fika\n"
        "ATTENDEE:mailto:Åsa@Oberg.EXAMPLE\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    report = json.loads(
        cli.ok("import", "calendar", _write(tmp_path, "c.ics", event), "--format", "json")
    )
    assert report["created"] == 1, report
    assert len(_book(cli)) == 1
