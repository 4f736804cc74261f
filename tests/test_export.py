"""export: CSV that re-imports to the same data, JSON with locked keys, and formula guards."""

import csv
import io
import json
import os
import subprocess

import pytest

from conftest import on_a_terminal


def build_book(cli):
    cli.ok(
        "add",
        "Ana Alpha",
        "--email",
        "ana@example.com",
        "--tag",
        "vip",
        "--cadence",
        "14",
        "--phone",
        "+49 30 123",
        "--note",
        '=HYPERLINK("http://evil")',
    )
    cli.ok("add", 'Bruno, Beta "B"', "--company", "@Tools\nGmbH", "--status", "prospect")
    cli.ok("add", "--email", "dash@example.com", "--phone=-12.5", "--", "-Dash Customer")
    cli.ok("log", "ana", "sale", "order\nsecond line", "--amount", "12.5", "--date", "2026-10-01")
    cli.ok("log", "ana", "meeting", "+1 lunch", "--date", "2026-11-01", "--next", "2026-12-01")
    cli.ok("log", "bruno", "note", "likes tea")
    cli.ok("refer", "ana", 'Bruno, Beta "B"', "--note", "expo", "--date", "2026-11-02")


def exported(cli, kind: str, *options, env=None) -> str:
    return cli.ok("export", kind, *options, env=env)


def test_csv_round_trip_reproduces_the_data(cli, tmp_path):
    build_book(cli)
    files = {}
    for kind in ("customers", "touchpoints", "referrals"):
        files[kind] = tmp_path / f"{kind}.csv"
        files[kind].write_text(exported(cli, kind), encoding="utf-8")
    other = {"FOLLOWUP_DB": str(tmp_path / "copy.db")}
    for kind in ("customers", "touchpoints", "referrals"):
        cli.ok("import", kind, str(files[kind]), env=other)
    for kind in ("customers", "touchpoints", "referrals"):
        assert exported(cli, kind, env=other) == files[kind].read_text(encoding="utf-8")
        assert exported(cli, kind, "--format", "json", env=other) == exported(
            cli, kind, "--format", "json"
        )


def test_formula_cells_are_neutralised_unless_raw(cli):
    build_book(cli)
    rows = list(csv.DictReader(io.StringIO(exported(cli, "customers"))))
    ana = rows[0]
    assert ana["notes"] == '\'=HYPERLINK("http://evil")'
    assert ana["phone"] == "'+49 30 123"
    assert rows[2]["name"] == "'-Dash Customer"
    assert rows[2]["phone"] == "-12.5"  # a plain number is no formula
    raw = list(csv.DictReader(io.StringIO(exported(cli, "customers", "--raw"))))
    assert raw[0]["notes"] == '=HYPERLINK("http://evil")' and raw[1]["company"] == "@Tools\nGmbH"


def test_json_keys_are_the_csv_columns(cli):
    build_book(cli)
    expected = {
        "customers": {
            "name",
            "email",
            "phone",
            "company",
            "tags",
            "notes",
            "status",
            "cadence_days",
            "uid",
            "birthday",
            "anniversary",
        },
        "touchpoints": {"customer", "email", "date", "kind", "note", "amount"},
        "referrals": {"referrer", "referrer_email", "referred", "referred_email", "date", "note"},
        "followups": {"customer", "email", "due_on", "note", "done_on"},
    }
    for kind, keys in expected.items():
        objects = json.loads(exported(cli, kind, "--format", "json"))
        assert objects and all(set(item) == keys for item in objects), kind
        header = exported(cli, kind).splitlines()[0].split(",")
        assert set(header) == keys
    customers = json.loads(exported(cli, "customers", "--format", "json"))
    assert customers[0]["tags"] == ["vip"] and customers[0]["cadence_days"] == 14


def test_output_file(cli, tmp_path):
    build_book(cli)
    target = tmp_path / "out.csv"
    result = cli("export", "customers", "-o", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert target.read_text(encoding="utf-8").startswith("name,email,phone")
    cli.fails("export", "customers", "-o", str(tmp_path / "missing" / "out.csv"))


@pytest.mark.parametrize("args", [("export", "nothing"), ("export", "customers", "-f", "xml")])
def test_bad_export_arguments(cli, args):
    cli.fails(*args, code=2)


@pytest.mark.parametrize(
    "command",
    [
        ["export", "customers"],
        ["export", "customers", "--format", "json"],
        ["list", "--format", "csv"],
        ["list", "--format", "json"],
    ],
)
def test_documents_show_escapes_on_a_terminal_and_keep_them_in_a_pipe(
    followup_executable, tmp_path, command
):
    env = {**os.environ, "FOLLOWUP_DB": str(tmp_path / "f.db"), "FOLLOWUP_TODAY": "2026-11-22"}
    subprocess.run([followup_executable, "add", "Eve \x1b[2J Red\x9b"], env=env, check=True)
    shown = on_a_terminal([followup_executable, *command], env, input_too=False)
    assert "Eve" in shown
    assert "\x1b" not in shown and "\x9b" not in shown
    piped = subprocess.run(
        [followup_executable, *command], env=env, capture_output=True, check=True
    ).stdout.decode()
    if "json" in command:
        assert json.loads(piped)[0]["name"] == "Eve \x1b[2J Red\x9b"
    else:
        assert "Eve \x1b[2J Red\x9b" in piped
