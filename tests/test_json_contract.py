"""The JSON every command prints is a contract scripts rely on: its keys are locked here
(and listed in the README's "JSON keys"). Adding a key is a change to this file; renaming or
removing one breaks scripts and must not happen."""

import json

import pytest

from followup_cli.customer_fields import FIELDS

CUSTOMER = [field.key for field in FIELDS]
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
    assert list(digest) == ["date", "overdue", "due_today", "stale", "referrals_to_thank"]
    assert list(digest["overdue"][0]) == [*FOLLOW_UP, "days_late"]
    assert list(digest["stale"][0]) == DUE
    assert list(digest["referrals_to_thank"][0]) == REFERRAL


def test_import_report_keys(cli, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("name,email\nAna,ana@x.example\n", encoding="utf-8")
    report = json.loads(cli.ok("import", "customers", path, "--format", "json"))
    assert list(report) == [
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
