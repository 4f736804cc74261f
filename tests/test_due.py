"""due: who to call next, in which order, and why."""

import json


def due(cli, *options, env=None):
    return json.loads(cli.ok("due", "--format", "json", *options, env=env))


def test_never_contacted_first_then_longest_silence_with_reasons(cli):
    cli.ok("add", "Ana Alpha")
    cli.ok("add", "Bruno Beta")
    cli.ok("add", "Carla Cruz")
    cli.ok("add", "Dora Dent")
    cli.ok("log", "ana", "--date", "2026-10-01")  # 52 days
    cli.ok("log", "bruno", "email", "--date", "2026-10-13")  # 40 days
    cli.ok("log", "dora", "--date", "2026-11-10")  # 12 days: not due
    rows = due(cli)
    assert [r["name"] for r in rows] == ["Carla Cruz", "Ana Alpha", "Bruno Beta"]
    assert rows[0]["reason"] == "never contacted" and rows[0]["days_since"] is None
    assert rows[1]["reason"].startswith("52 days since last call")
    assert rows[2]["reason"].startswith("40 days since last email")
    assert rows[1]["last_contact"] == "2026-10-01"
    assert {"id", "email", "phone", "cadence_days"} <= rows[0].keys()


def test_days_and_limit_are_adjustable(cli):
    for name in ("Ana Alpha", "Bruno Beta", "Carla Cruz"):
        cli.ok("add", name)
        cli.ok("log", name, "--date", "2026-11-12")  # 10 days
    assert due(cli) == []
    assert len(due(cli, "--days", "7")) == 3
    assert len(due(cli, "--days", "7", "--limit", "2")) == 2
    assert len(due(cli, "--days", "7", "--limit", "0")) == 3


def test_own_cadence_beats_days(cli):
    cli.ok("add", "Ana Alpha", "--cadence", "7")
    cli.ok("add", "Bruno Beta", "--cadence", "90")
    cli.ok("log", "ana", "--date", "2026-11-12")
    cli.ok("log", "bruno", "--date", "2026-10-01")
    rows = due(cli)
    assert [r["name"] for r in rows] == ["Ana Alpha"]
    assert rows[0]["cadence_days"] == 7
    assert "own cadence 7 days" in rows[0]["reason"]


def test_ties_go_to_the_bigger_customer_then_by_name(cli):
    for name in ("Cora Big", "Ana Small", "Bea Small"):
        cli.ok("add", name)
    cli.ok("log", "cora", "sale", "--amount", "900", "--date", "2026-09-01")
    cli.ok("log", "ana small", "sale", "--amount", "100", "--date", "2026-09-01")
    cli.ok("log", "bea small", "sale", "--amount", "100", "--date", "2026-09-01")
    assert [r["name"] for r in due(cli)] == ["Cora Big", "Ana Small", "Bea Small"]


def test_only_active_customers_are_due(cli):
    cli.ok("add", "Ana Alpha")
    cli.ok("add", "Pat Prospect", "--status", "prospect")
    cli.ok("add", "Lou Lost")
    cli.ok("edit", "lou", "--status", "lost")
    assert [r["name"] for r in due(cli)] == ["Ana Alpha"]


def test_tag_filter(cli):
    cli.ok("add", "Ana Alpha", "--tag", "vip")
    cli.ok("add", "Bruno Beta")
    assert [r["name"] for r in due(cli, "--tag", "VIP")] == ["Ana Alpha"]


def test_as_of_in_the_future_and_the_past(cli):
    cli.ok("add", "Ana Alpha")
    cli.ok("log", "ana", "--date", "2026-10-01")
    cli.ok("log", "ana", "--date", "2026-11-20")
    assert due(cli) == []
    assert [r["days_since"] for r in due(cli, "--as-of", "2026-12-25")] == [35]
    # On 2026-11-15 the last contact was the one of 2026-10-01: 45 days.
    past = due(cli, "--as-of", "2026-11-15")
    assert [(r["last_contact"], r["days_since"]) for r in past] == [("2026-10-01", 45)]


def test_as_of_lists_only_customers_known_on_that_day_as_stats_counts_them(cli, tmp_path):
    """Known since the day added or first touched, the earlier: the rule stats uses."""
    early = {"FOLLOWUP_TODAY": "2026-11-01"}
    cli.ok("add", "Olga Old", env=early)
    cli.ok("add", "Nina New")  # added today, 2026-11-22
    cli.ok("add", "Ivan Imported")
    cli.ok("log", "ivan", "note", "met at the 2025 fair", "--date", "2025-06-01")
    past = due(cli, "--as-of", "2026-11-20")
    assert [r["name"] for r in past] == ["Ivan Imported", "Olga Old"]
    assert [r["reason"] for r in past] == ["never contacted", "never contacted"]
    coverage = json.loads(cli.ok("stats", "--as-of", "2026-11-20", "--format", "json"))
    assert coverage["coverage_by_week"][-1]["coverage"] == 0.0  # two known, none covered
    assert coverage["coverage_by_week"][0]["coverage"] == 0.0  # Ivan, known since 2025


def test_overdue_promise_comes_first_even_for_a_prospect(cli):
    cli.ok("add", "Ana Alpha")
    cli.ok("add", "Pat Prospect", "--status", "prospect")
    cli.ok("log", "pat", "--date", "2026-11-10", "--next", "2026-11-22")
    rows = due(cli, env={"FOLLOWUP_TODAY": "2026-11-25"})
    assert [r["name"] for r in rows] == ["Pat Prospect", "Ana Alpha"]
    assert "3 days overdue" in rows[0]["reason"]


def test_customers_with_a_planned_follow_up_are_left_out_and_counted(cli):
    cli.ok("add", "Ana Alpha")
    cli.ok("log", "ana", "--date", "2026-09-01", "--next", "2026-12-01")
    result = cli("due", "--format", "json")
    assert json.loads(result.stdout) == []
    assert "left out 1" in result.stderr
    assert [r["name"] for r in due(cli, "--all")] == ["Ana Alpha"]


def test_plain_and_csv_output(cli):
    cli.ok("add", "Ana Alpha", "--email", "ana@example.com")
    lines = cli.ok("due").splitlines()
    assert lines[0].split("\t") == [
        "id",
        "name",
        "email",
        "phone",
        "last_contact",
        "days_since",
        "cadence_days",
        "reason",
    ]
    assert lines[1].split("\t")[1] == "Ana Alpha"
    assert cli.ok("due", "--format", "csv").splitlines()[1].startswith("1,Ana Alpha,ana@")


def test_bad_due_options(cli):
    cli.fails("due", "--days", "0", code=2)
    cli.fails("due", "--limit", "-1", code=2)
    cli.fails("due", "--as-of", "whenever")
    cli.fails("due", "--format", "xml", code=2)
