"""vCards in and out: the real structure of Google, Apple, Android/Samsung, Outlook and khard
files (tests/data/vcard, described in tests/data/README.md), and the traps of each."""

import base64
import json
import os
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data" / "vcard"


def report_of(cli, *args: str) -> dict:
    result = cli("import", "customers", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def customer(cli, reference: str) -> dict:
    return json.loads(cli.ok("show", reference, "--format", "json"))


def customers(cli) -> dict[str, dict]:
    return {item["name"]: item for item in json.loads(cli.ok("list", "--format", "json"))}


def test_google_export_takes_categories_as_tags_without_system_groups(cli):
    report = report_of(cli, DATA / "google_contacts.vcf")
    assert (report["created"], report["skipped"], report["rejected"]) == (2, 0, 0)
    ana = customer(cli, "Ana Alvarez")
    assert ana["email"] == "ana.home@example.net"  # neither is preferred: the first
    assert ana["company"] == "Alpha Roasters"  # item1.ORG, grouped
    assert ana["tags"] == ["wholesale"]  # myContacts and starred are Google's, not tags
    assert ana["notes"] == (
        "Prefers calls after 10am, not Fridays.\nAsked about the Q3 price list.\n"
        "Other emails: ana@alpha.example"
    )
    assert customer(cli, "bo@berg.example")["tags"] == []


def test_apple_export_prefers_the_pref_email_and_skips_the_photo(cli):
    report = report_of(cli, DATA / "apple_contacts.vcf")
    assert (report["created"], report["rejected"]) == (2, 0)
    carla = customer(cli, "Carla Maria Chen")
    assert carla["email"] == "carla@chen.example"  # ITEM2.EMAIL;type=pref, any case
    assert carla["phone"] == "(555) 010-2020"
    assert carla["company"] == "Chen & Daughters"  # ORG's unit (Purchasing) is not the company
    assert "/9j/" not in json.dumps(carla) and "PHOTO" not in json.dumps(carla)
    delta = customer(cli, "orders@delta.example")
    assert (delta["name"], delta["company"]) == ("Delta Freight Ltd", "Delta Freight Ltd")


def test_android_quoted_printable_with_soft_breaks_and_custom_labels(cli):
    report = report_of(cli, DATA / "android_samsung.vcf")
    # The second card has only a phone: no name to file it under, skipped and counted.
    assert (report["created"], report["skipped"], report["rejected"]) == (1, 1, 0)
    elodie = customer(cli, "elodie")
    assert elodie["name"] == "Élodie Fabre-Müller"
    assert elodie["email"] == "elodie@fabre.example"  # the X-CUSTOM(...) line vobject drops
    assert elodie["phone"] == "+33612345678"  # TEL;CELL;PREF
    assert elodie["notes"].startswith("Rendez-vous à Lyon\nRelancer en janvier\n")
    assert "Other phones: +33140000000" in elodie["notes"]


def test_outlook_windows_1252_card_with_an_unreadable_birthday(cli):
    report = report_of(cli, DATA / "outlook.vcf")
    assert (report["created"], report["rejected"]) == (1, 0)
    jurgen = customer(cli, "Jürgen Gärtner")
    assert jurgen["company"] == "Gärtnerei Süd"
    assert jurgen["email"] == "jg@gaertnerei.example"  # EMAIL;PREF;INTERNET
    assert jurgen["notes"].startswith("Kunde seit 2019 – zahlt pünktlich.\nZweiter Standort")


def test_a_khard_directory_reads_every_card_and_nothing_else(cli):
    report = report_of(cli, DATA / "khard")
    assert (report["created"], report["skipped"], report["rejected"]) == (2, 0, 0)
    greg = customer(cli, "greg@brz.example")  # PREF=1 beats PREF=2
    assert greg["name"] == "Grzegorz Brzęczyszczykiewicz"  # folded inside the ę
    assert greg["phone"] == "+48-600-700-800"
    assert greg["tags"] == ["partners", "poland"]


def test_every_vendor_file_reimports_unchanged(cli):
    for name in ("google_contacts.vcf", "apple_contacts.vcf", "android_samsung.vcf", "outlook.vcf"):
        report_of(cli, DATA / name)
        again = report_of(cli, DATA / name)
        assert (again["created"], again["updated"]) == (0, 0), name


def test_broken_cards_are_rejected_with_their_line_and_the_rest_waits(cli, tmp_path):
    big = "x" * (65 * 1024)
    text = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Good One\r\nEMAIL:good@one.example\r\nEND:VCARD\r\n"
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Too Long\r\nNOTE:{big}\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Nul\x00Byte\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Never Closed\r\n"
    )
    path = tmp_path / "broken.vcf"
    path.write_text(text, newline="")
    result = cli.fails("import", "customers", path, lists_problems=True)
    assert result.stderr.splitlines()[:3] == [
        "line 6: its NOTE value is over 64 KiB",
        "line 11: this card holds a NUL byte; is it a vCard?",
        "line 15: this card is never closed (the file ends before END:VCARD)",
    ]
    assert json.loads(cli.ok("list", "--format", "json")) == []  # all or nothing
    report = report_of(cli, path, "--skip-invalid")
    assert (report["created"], report["rejected"]) == (1, 3)


def test_a_multi_megabyte_photo_is_passed_over(cli, tmp_path):
    photo = base64.b64encode(os.urandom(3 * 1024 * 1024)).decode()
    folded = "\r\n ".join(photo[i : i + 74] for i in range(0, len(photo), 74))
    path = tmp_path / "photo.vcf"
    path.write_text(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Pic Ture\r\nPHOTO;ENCODING=b;TYPE=JPEG:{folded}\r\n"
        "END:VCARD\r\n",
        newline="",
    )
    assert report_of(cli, path)["created"] == 1


def test_stdin_is_recognised_as_vcard_by_its_first_line(cli):
    text = (DATA / "google_contacts.vcf").read_text()
    result = cli("import", "customers", "-", "--format", "json", input=text)
    assert json.loads(result.stdout)["created"] == 2


@pytest.mark.parametrize(
    ("encoding", "ending"), [("utf-16", "\r\n"), ("utf-8", "\r"), ("utf-8-sig", "\n")]
)
def test_utf16_bom_and_old_mac_line_endings(cli, tmp_path, encoding, ending):
    path = tmp_path / "cards.vcf"
    card = ["BEGIN:VCARD", "VERSION:3.0", "FN:Zoë Müller", "EMAIL:zoe@example.com", "END:VCARD"]
    path.write_bytes(ending.join(card).encode(encoding))
    assert report_of(cli, path)["created"] == 1
    assert customer(cli, "zoe@example.com")["name"] == "Zoë Müller"


def test_a_non_address_email_goes_to_the_notes_with_a_warning(cli, tmp_path):
    path = tmp_path / "odd.vcf"
    path.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Odd Mail\nEMAIL:ask at reception\nEND:VCARD\n")
    report = report_of(cli, path)
    assert report["created"] == 1 and len(report["warnings"]) == 1
    assert customer(cli, "Odd Mail")["notes"] == "Other emails: ask at reception"


def test_a_vcard_matches_a_customer_already_on_file(cli):
    cli.ok("add", "Ana Alvarez", "--email", "ANA.HOME@example.net", "--tag", "vip")
    report = report_of(cli, DATA / "google_contacts.vcf")
    assert (report["created"], report["updated"]) == (1, 1)
    assert customer(cli, "Ana Alvarez")["tags"] == ["vip", "wholesale"]


def test_csv_options_are_refused_for_vcards(cli):
    cli.fails("import", "customers", DATA / "outlook.vcf", "--map", "a=name")
    cli.fails("import", "customers", DATA / "outlook.vcf", "--delimiter", ";")


@pytest.fixture
def book(cli):
    for name in ("google_contacts.vcf", "apple_contacts.vcf", "android_samsung.vcf", "outlook.vcf"):
        report_of(cli, DATA / name)
    report_of(cli, DATA / "khard")
    cli.ok("edit", "Bo Berg", "--note", "Line one; with, commas\\ and a backslash\nLine two")
    cli.ok("edit", "Hana Ito", "--note", "Ein Kunde: " + "ę" * 60)  # folds between characters
    # followup's own fields, which address books have no property for.
    cli.ok("edit", "Bo Berg", "--status", "prospect", "--cadence", "14", "--add-tag", "trade fair")
    return customers(cli)


def test_export_is_rfc_shaped_and_reimports_to_the_same_customers(cli, book, tmp_path):
    data = cli("export", "customers", "--format", "vcard").stdout_bytes  # .stdout drops \r
    text = data.decode("utf-8")
    lines = data.split(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")  # CRLF only
    assert all(len(line) <= 75 for line in lines)
    for line in lines:
        line.decode("utf-8")  # each physical line is whole characters
    assert text.count("BEGIN:VCARD") == text.count("VERSION:3.0") == len(book)
    assert text.count("\r\nN:") == text.count("\r\nFN:") == len(book)
    assert "QUOTED-PRINTABLE" not in text and "CHARSET" not in text
    assert "NOTE:Line one\\; with\\, commas\\\\ and a backslash\\nLine two" in text
    path = tmp_path / "out.vcf"
    path.write_bytes(data)
    report = report_of(cli, path)
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 0, len(book))
    cli.ok("--db", tmp_path / "other.db", "import", "customers", path)
    other = json.loads(cli.ok("--db", tmp_path / "other.db", "list", "--format", "json"))
    assert {item["name"]: item for item in other} == book


def test_export_reads_in_vobject_as_khard_reads_it(cli, book):
    vobject = pytest.importorskip("vobject", reason="vobject is what khard reads cards with")
    text = cli.ok("export", "customers", "--format", "vcard")
    cards = list(vobject.readComponents(text))
    assert sorted(card.fn.value for card in cards) == sorted(book)
    bo = next(card for card in cards if card.fn.value == "Bo Berg")
    assert bo.note.value == "Line one; with, commas\\ and a backslash\nLine two"


def test_vcard_export_is_for_customers_only(cli):
    cli.fails("export", "touchpoints", "--format", "vcard")


QUIRKS = DATA / "quirks.vcf"


def test_cards_as_a_careful_reader_takes_them(cli):
    """tests/data/vcard/quirks.vcf: WhatsApp, Thunderbird, a 2.1 AGENT, three John Does."""
    report = report_of(cli, QUIRKS)
    assert (report["created"], report["skipped"], report["rejected"]) == (5, 1, 0)
    # The preferred number listed again by WhatsApp is one phone, not an "other phone".
    assert customer(cli, "Chidi")["notes"] is None
    # Thunderbird escapes the commas between its categories.
    assert customer(cli, "Dana")["tags"] == ["kunden", "vip", "messe 2026"]
    # The assistant in a 2.1 AGENT card is not the customer, nor anyone.
    assert customer(cli, "Erik")["email"] == "erik@ekstrom.example"
    assert "Fred Friday" not in customers(cli)
    # Two John Does with cards of their own, and a third with nothing to tell which he is.
    assert report["warnings"] == [
        {
            "line": 47,
            "reason": "skipped: several customers are named 'John Doe': John Doe (#4); "
            "John Doe (#5); give the email to say which",
        }
    ]


def test_the_same_cards_again_are_found_by_their_uid(cli, tmp_path):
    report_of(cli, QUIRKS)
    again = report_of(cli, QUIRKS)
    assert (again["created"], again["updated"], again["unchanged"], again["skipped"]) == (
        0, 0, 5, 1
    )  # fmt: skip
    # The book's own cards: the two John Does by the UIDs they came with; Chidi and Erik,
    # who came with none, by the UID the export makes of their id.
    exported = tmp_path / "book.vcf"
    exported.write_bytes(cli("export", "customers", "--format", "vcard").stdout_bytes)
    back = report_of(cli, exported)
    assert (back["created"], back["updated"], back["unchanged"], back["skipped"]) == (0, 0, 5, 0)
    cli.ok("add", "John Doe")  # a third, typed in: still each card finds its own
    assert report_of(cli, exported)["unchanged"] == 5
