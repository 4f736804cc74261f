"""`import phone`: SMS Backup & Restore's calls and texts into touchpoints, matched by number
however it was written, imported once, all or nothing, undoable, and safe against hostile XML."""

import json
import time
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data" / "phone"
FILES = [DATA / "calls-20261121.xml", DATA / "sms-20261121.xml"]


@pytest.fixture(autouse=True)
def berlin(monkeypatch):
    """The machine's zone decides the day of a call: Berlin, an hour ahead of UTC."""
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.delenv("TZ")
    time.tzset()


@pytest.fixture
def book(cli):
    cli.ok("add", "Ana Alpha", "--phone", "+49 30 1111111")  # international
    cli.ok("add", "Bo Beta", "--phone", "030 2222222")  # national, German
    cli.ok("add", "Cy Gamma", "--phone", "020 7946 0000")  # national, British
    cli.ok("add", "Dee Delta", "--phone", "+1 (212) 555-0123")


def imported(cli, *args, env=None) -> dict:
    return json.loads(cli.ok("import", "phone", *FILES, *args, "--format", "json", env=env))


def history(cli) -> list[tuple]:
    rows = json.loads(cli.ok("touchpoints", "--format", "json"))
    return sorted((row["name"], row["date"], row["kind"], row["note"]) for row in rows)


def test_each_call_and_message_type(cli, book):
    report = imported(cli, "--region", "DE")
    assert report["created"] == 7
    assert history(cli) == [
        ("Ana Alpha", "2026-11-20", "call", "outgoing call, 4 min"),
        ("Ana Alpha", "2026-11-20", "message", "Photos from the fair"),  # a group MMS sent
        ("Ana Alpha", "2026-11-20", "message", "Thanks for the quote!"),  # its first line
        ("Bo Beta", "2026-11-19", "call", "incoming call, 1 min"),  # 75 s
        ("Bo Beta", "2026-11-20", "message", "Got them, thanks"),  # an MMS received
        ("Bo Beta", "2026-11-20", "message", "Photos from the fair"),
        ("Dee Delta", "2026-11-20", "message", "Invoice sent"),
    ]
    assert report["skipped_because"] == {
        "missed call": 1,
        "voicemail": 1,
        "rejected call": 1,
        "blocked call": 1,
        "unanswered call": 1,  # made, 0 seconds
        "no number": 1,  # a withheld caller
        "number not placed": 1,  # 1111111: a local number without its area code
        "no customer on file": 2,  # an unknown mobile; Cy's British call under DE
        "draft or unsent message": 1,
    }
    # Cy's number cannot be read in Germany: said, not guessed.
    assert any("'020 7946 0000'" in warning["reason"] for warning in report["warnings"])


def test_the_region_places_national_numbers_and_the_zone_dates_calls(cli, book, monkeypatch):
    monkeypatch.setenv("FOLLOWUP_REGION", "GB")
    imported(cli)
    cy = json.loads(cli.ok("show", "cy", "--format", "json"))
    # 23:30 UTC on the 20th is the 21st in Berlin; 1,830 s is 30 min.
    assert [(t["date"], t["note"]) for t in cy["touchpoints"]] == [
        ("2026-11-21", "outgoing call, 30 min")
    ]
    assert cy["last_contact"] == "2026-11-21"
    # Bo's "030 2222222" is not a British number: his calls match nothing now.
    assert json.loads(cli.ok("show", "bo", "--format", "json"))["touchpoints"] == []


def test_region_from_the_locale_and_refused_when_wrong(cli, book, monkeypatch):
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    assert imported(cli)["created"] == 7
    cli.fails("import", "phone", *FILES, "--region", "Germany")
    cli.fails("import", "phone", *FILES, env={"FOLLOWUP_REGION": "XX"})


def test_a_second_import_changes_nothing_and_undo_takes_it_back(cli, book, database):
    imported(cli, "--region", "DE")
    before = database.read_bytes()
    again = imported(cli, "--region", "DE")
    assert (again["created"], again["unchanged"]) == (0, 7)
    assert database.read_bytes() == before
    assert "import phone" in cli.ok("undo")
    assert history(cli) == []


def test_a_call_resets_the_clock_and_fulfils_a_promise(cli, book):
    cli.ok("log", "ana", "note", "--next", "2026-11-15", env={"FOLLOWUP_TODAY": "2026-11-01"})
    imported(cli, "--region", "DE")
    ana = json.loads(cli.ok("show", "ana", "--format", "json"))
    assert ana["last_contact"] == "2026-11-20" and ana["open_follow_ups"] == []


def test_dry_run_and_since(cli, book, database):
    before = database.read_bytes()
    assert imported(cli, "--region", "DE", "--dry-run")["created"] == 7
    assert database.read_bytes() == before
    report = imported(cli, "--region", "DE", "--since", "2026-11-20")
    assert report["created"] == 6 and report["skipped_because"]["before --since"] == 1


def test_a_broken_item_refuses_the_import_unless_skip_invalid(cli, book, tmp_path, database):
    broken = tmp_path / "calls-broken.xml"
    broken.write_text(
        '<?xml version="1.0"?><calls count="2">'
        '<call number="+49301111111" duration="60" date="soon" type="2" />'
        '<call number="+49301111111" duration="60" date="1795165200000" type="1" />'
        "</calls>"
    )
    before = database.read_bytes()
    result = cli("import", "phone", broken)
    assert result.exit_code == 1
    first, *_, last = result.stderr.splitlines()
    assert first == "calls-broken.xml, call 1: its date 'soon' is not a time"
    assert last.startswith("followup: import refused: 1 invalid row")
    assert database.read_bytes() == before
    cli.ok("import", "phone", broken, "--skip-invalid")
    assert [row[3] for row in history(cli)] == ["incoming call, 1 min"]


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (
            '<?xml version="1.0"?><!DOCTYPE calls [<!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">'
            ']><calls><call number="&c;" duration="1" date="1" type="1"/></calls>',
            "declares entities or a DTD",
        ),
        (
            '<?xml version="1.0"?><!DOCTYPE calls SYSTEM "file:///etc/passwd">'
            '<calls><call number="&xxe;" duration="1" date="1" type="1"/></calls>',
            "declares entities or a DTD",
        ),
        ('<?xml version="1.0"?><contacts><contact/></contacts>', "neither <calls> nor <smses>"),
        ('<?xml version="1.0"?><calls><call number="1"', "not well-formed XML"),
        ("", "is empty"),
    ],
)
def test_hostile_and_wrong_files_are_refused_in_one_line(cli, book, tmp_path, content, says):
    path = tmp_path / "calls-x.xml"
    path.write_text(content)
    result = cli.fails("import", "phone", path)
    assert says in result.stderr


def test_a_100_mb_attribute_is_refused_without_being_held(cli, book, tmp_path):
    path = tmp_path / "calls-huge.xml"
    with path.open("wb") as stream:
        stream.write(b'<?xml version="1.0"?><calls><call number="')
        chunk = b"1" * (1024 * 1024)
        for _ in range(100):
            stream.write(chunk)
        stream.write(b'" duration="1" date="1" type="1"/></calls>')
    result = cli.fails("import", "phone", path)
    assert "more than 32 MiB without a closing '>'" in result.stderr


def test_other_kinds_take_one_file_and_no_region(cli, book):
    cli.fails("import", "customers", FILES[0], FILES[1])
    cli.fails("import", "mail", FILES[0], "--region", "DE")
    cli.fails("import", "phone", FILES[0], "--me", "me@example.com")
    cli.fails("import", "phone", DATA)  # a folder: its files are named
