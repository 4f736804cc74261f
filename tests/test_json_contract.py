"""The JSON every command prints is a contract scripts rely on: its keys are locked here
(and listed in the README's "JSON keys"). Adding a key is a change to this file; renaming or
removing one breaks scripts and must not happen."""

import json
import re
from pathlib import Path

import pytest

# Written out, never derived from the code: a key the code drops or adds must fail here.
CUSTOMER = [
    "id",
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
    "last_contact",
    "last_contact_kind",
    "sales_total",
    "created_on",
]
DUE = [
    "id",
    "name",
    "email",
    "phone",
    "last_contact",
    "days_since",
    "cadence_days",
    "reason",
    "status",
    "sales_total",
]
FOLLOW_UP = ["id", "customer_id", "name", "customer", "due_on", "note"]
REFERRAL = [
    "id",
    "referrer_id",
    "referred_id",
    "referrer",
    "referrer_email",
    "referred",
    "referred_email",
    "date",
    "note",
    "referred_status",
]
TOUCHPOINT = ["id", "customer_id", "date", "kind", "note", "amount"]
IMPORT_REPORT = [
    "kind",
    "dry_run",
    "written",
    "created",
    "updated",
    "unchanged",
    "skipped",
    "rejected",
    "problems",
    "warnings",
    "unmapped_columns",
    "skipped_because",
    "lanes",
]
LISTINGS = {
    ("list",): CUSTOMER,
    ("due", "--all"): DUE,
    ("agenda", "--days", "60"): [*FOLLOW_UP, "when"],
    ("referrals",): REFERRAL,
    ("touchpoints",): [*TOUCHPOINT, "name"],
    ("pitch",): ["id", "name", "score", "last_contact", "reason"],
    ("duplicates",): ["id", "name", "email", "other_id", "other_name", "other_email", "reason"],
    ("tags",): ["tag", "customers", "cadence_days"],
    ("undo", "--list"): ["id", "made_at", "change"],
    ("referrals", "--tree"): ["id", "name", "status", "date", "repeated", "referred"],
}


@pytest.fixture
def book(cli):
    cli.ok("add", "Ana Alpha", "--email", "ana@alpha.example", "--tag", "vip")
    cli.ok("add", "ana alpha")
    cli.ok("log", "1", "sale", "--amount", "100", "--date", "2026-10-01")
    cli.ok(
        "log",
        "1",
        "--date",
        "2026-10-02",
        "--next",
        "2026-11-20",
        env={"FOLLOWUP_TODAY": "2026-10-02"},
    )
    cli.ok("refer", "1", "Gus Green")


@pytest.mark.parametrize("command", list(LISTINGS), ids=" ".join)
def test_listing_keys(cli, book, command):
    objects = json.loads(cli.ok(*command, "--format", "json"))
    assert objects, command
    assert [list(item) for item in objects] == [LISTINGS[command]] * len(objects)


def test_show_keys(cli, book):
    shown = json.loads(cli.ok("show", "1", "--format", "json"))
    assert list(shown) == [
        *CUSTOMER,
        "extra",
        "touchpoints",
        "referrals_made",
        "referrals_received",
        "open_follow_ups",
    ]
    assert list(shown["touchpoints"][0]) == TOUCHPOINT
    assert list(shown["referrals_made"][0]) == REFERRAL
    assert list(shown["open_follow_ups"][0]) == FOLLOW_UP


def test_remind_keys(cli, book):
    digest = json.loads(cli.ok("remind", "--format", "json"))
    assert list(digest) == ["date", "overdue", "due_today", "dates", "stale", "referrals_to_thank"]
    assert list(digest["overdue"][0]) == [*FOLLOW_UP, "days_late"]
    assert list(digest["stale"][0]) == DUE
    assert list(digest["referrals_to_thank"][0]) == REFERRAL


def test_import_report_keys(cli, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("name,email\nAna,ana@x.example\n", encoding="utf-8")
    report = json.loads(cli.ok("import", "customers", path, "--format", "json"))
    assert list(report) == IMPORT_REPORT


README_ROWS = {
    "`list` (and the top of `show`)": CUSTOMER,
    "`due`, and `remind`'s `dates` and `stale`": DUE,
    "touchpoints": TOUCHPOINT,
    "referrals": REFERRAL,
    "`referrals --tree`": LISTINGS[("referrals", "--tree")],
    "`pitch`": LISTINGS[("pitch",)],
    "`duplicates`": LISTINGS[("duplicates",)],
    "`tags`": LISTINGS[("tags",)],
    "`undo --list`": LISTINGS[("undo", "--list")],
    "`remind` (one object)": [
        "date",
        "overdue",
        "due_today",
        "dates",
        "stale",
        "referrals_to_thank",
    ],
    "`import` (one object)": IMPORT_REPORT,
    "follow-ups": FOLLOW_UP,
}


def test_the_readme_lists_the_same_keys():
    """The README's key table is the contract users read: it says what this file locks."""
    text = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    table = text.split("## JSON keys", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for row in table.splitlines():
        cells = row.split(" | ")
        if len(cells) == 2 and not row.startswith("|---"):
            rows[cells[0].removeprefix("| ")] = re.findall(r"`([a-z_]+)`", cells[1])
    for label, keys in README_ROWS.items():
        found = [row for name, row in rows.items() if name.startswith(label)]
        assert found == [keys], label
