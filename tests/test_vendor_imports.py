"""The real export files of other tools, as tests/data/README.md describes them."""

import json
import sqlite3
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


def imported(cli, name: str) -> dict:
    result = cli("import", "customers", str(DATA / name), "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def customer(cli, reference: str) -> dict:
    return json.loads(cli.ok("show", reference, "--format", "json"))


@pytest.mark.parametrize(
    ("name", "created", "skipped"),
    [
        ("google_contacts.csv", 3, 1),
        ("google_contacts_legacy.csv", 2, 0),
        ("outlook_desktop.csv", 2, 0),
        ("outlook_com.csv", 2, 0),
        ("hubspot_contacts.csv", 3, 0),
        ("salesforce_report.csv", 3, 3),
        ("pipedrive_persons.csv", 2, 0),
        ("linkedin_connections.csv", 2, 1),
    ],
)
def test_each_export_imports_and_reimports_unchanged(cli, name, created, skipped):
    report = imported(cli, name)
    assert (report["created"], report["skipped"], report["rejected"]) == (created, skipped, 0)
    again = imported(cli, name)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, created)


def test_google_names_labels_and_several_addresses(cli):
    imported(cli, "google_contacts.csv")
    ana = customer(cli, "ana@alpha.example")
    assert ana["name"] == "Ana Maria Alpha"
    assert ana["tags"] == ["vip", "bakeries"]  # "* myContacts" is Google's, not yours
    assert ana["notes"].endswith("Other emails: ana.alpha@mail.example, ana@home.example")
    assert customer(cli, "beta tools")["company"] == "Beta Tools GmbH"  # named after company
    imported(cli, "google_contacts_legacy.csv")
    assert customer(cli, "dmitri")["tags"] == ["wholesale"]


def test_outlook_exchange_paths_cp1252_and_placeholder_dates(cli):
    imported(cli, "outlook_desktop.csv")
    zoe = customer(cli, "zoe@mueller.example")
    assert zoe["name"] == "Zoë Müller" and zoe["company"] == "Müller & Söhne"
    assert "/o=ExchangeLabs" in zoe["notes"]
    assert zoe["tags"] == ["key customer", "munich"]
    imported(cli, "outlook_com.csv")
    assert customer(cli, "hana")["notes"] == "Other emails: hana.h@mail.example"


def test_crm_last_contact_makes_due_right_from_day_one(cli):
    imported(cli, "hubspot_contacts.csv")
    imported(cli, "salesforce_report.csv")
    imported(cli, "pipedrive_persons.csv")
    ivo = customer(cli, "ivo")
    assert ivo["last_contact"] == "2026-10-01"  # the later of Last Activity / Last Contacted
    assert ivo["touchpoints"][0]["kind"] == "imported"
    assert customer(cli, "lena")["last_contact"] == "2026-10-28"  # 10/28/2026 decides mdy
    assert customer(cli, "mo")["last_contact"] == "2026-09-03"
    assert customer(cli, "omar")["tags"] == ["hot lead", "wholesale"]
    assert customer(cli, "jana")["status"] == "prospect"  # lifecycle stage "lead"
    due = {row["name"]: row["days_since"] for row in json.loads(cli.ok("due", "-f", "json"))}
    assert due["Ivo Ilic"] == 52 and due["Mo Meyer"] == 80
    assert "Lena Lang" not in due  # 25 days: within 30


def test_linkedin_preamble_and_hidden_profiles(cli):
    report = imported(cli, "linkedin_connections.csv")
    assert report["unmapped_columns"] == ["Connected On"]
    rafa = customer(cli, "rafa")
    assert rafa["email"] is None and rafa["company"] == "Ruiz Consulting"


def test_salesforce_footer_is_not_a_customer(cli):
    imported(cli, "salesforce_report.csv")
    names = [c["name"] for c in json.loads(cli.ok("list", "--format", "json"))]
    assert names == ["Lena Lang", "Mo Meyer", "Nia Nowak"]


def test_the_example_crm_script(tmp_path, followup_executable):
    """examples/import-crm.sh as a shell script runs it: dry run, import, due list."""
    import os
    import subprocess

    script = Path(__file__).parent.parent / "examples" / "import-crm.sh"
    env = {
        "PATH": f"{Path(followup_executable).parent}:/usr/bin:/bin",
        "FOLLOWUP_DB": str(tmp_path / "crm.db"),
        "FOLLOWUP_TODAY": "2026-11-24",
        "HOME": os.environ.get("HOME", str(tmp_path)),
    }
    result = subprocess.run(
        ["sh", str(script), str(DATA / "hubspot_contacts.csv")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if not line.startswith("kept as")]
    assert lines[0].startswith("dry run, nothing written: 3 created")
    assert lines[1].startswith("imported customers: 3 created")
    assert lines[2].split("\t")[:2] == ["id", "name"]
    assert [line.split("\t")[1] for line in lines[3:]] == ["Kai", "Ivo Ilic"]


def test_formula_payloads_survive_import_and_are_guarded_on_export(cli, tmp_path):
    payloads = tmp_path / "payloads.csv"
    payloads.write_text(
        "name,email,notes\n"
        '"=HYPERLINK(""http://evil.example"",""x"")",evil@example.com,"@SUM(1+1)"\n'
        "+cmd|' /C calc'!A0,calc@example.com,-2+3\n",
        encoding="utf-8",
    )
    cli.ok("import", "customers", str(payloads))
    stored = json.loads(cli.ok("list", "--format", "json"))
    assert {c["name"] for c in stored} == {
        '=HYPERLINK("http://evil.example","x")',
        "+cmd|' /C calc'!A0",
    }
    exported = cli.ok("export", "customers")
    assert "\n'=HYPERLINK" in exported.replace('"', "") or "'=HYPERLINK" in exported
    assert "'+cmd" in exported and "'@SUM" in exported and "'-2+3" in exported


def test_a_person_listed_twice_is_one_customer_with_both_rows(cli, database):
    """tests/data/salesforce_duplicates.csv: Lena twice, her email in another case."""
    report = imported(cli, "salesforce_duplicates.csv")
    assert (report["created"], report["updated"], report["rejected"]) == (2, 1, 0)
    lena = customer(cli, "lena@lang.example")
    # What the later row leaves empty, the earlier row's value stays; the address as first
    # written; the same last-activity date logged once.
    assert (lena["company"], lena["phone"], lena["email"]) == (
        "Lang AG", "+49 40 123456", "lena@lang.example"
    )  # fmt: skip
    assert [touchpoint["date"] for touchpoint in lena["touchpoints"]] == ["2026-10-28"]
    extra = sqlite3.connect(database).execute(
        "SELECT extra FROM customers WHERE email = 'lena@lang.example'"
    )
    assert json.loads(extra.fetchone()[0]) == {
        "Contact Owner": "Sam Seller",
        "Lead Source": "Trade fair",
        "title": "Head of Purchasing",
    }
    assert lena["extra"]["Lead Source"] == "Trade fair"  # what `show` says of them too
    assert "Lead Source: Trade fair\n" in cli.ok("show", "lena@lang.example")
    again = imported(cli, "salesforce_duplicates.csv")
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3)
