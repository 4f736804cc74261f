"""stats on a small book whose right answers were worked out by hand (today 2026-11-22)."""

import json

THEN = {"FOLLOWUP_TODAY": "2026-01-01"}


def build(cli):
    cli.ok("add", "Ana Alpha", env=THEN)
    cli.ok("add", "Bruno Beta", "--cadence", "14", env=THEN)
    cli.ok("add", "Carla Cruz", "--tag", "vip", env=THEN)
    cli.ok("add", "Finn Fox", env=THEN)
    cli.ok("cadence", "vip", "7")
    cli.ok("log", "ana", "sale", "--amount", "100", "--date", "2026-03-01")
    cli.ok("log", "ana", "sale", "--amount", "300", "--date", "2026-10-01")
    cli.ok("log", "ana", "call", "--date", "2026-11-10")
    cli.ok("log", "bruno", "meeting", "--date", "2026-10-01")
    cli.ok("log", "carla", "call", "--date", "2026-11-20")
    cli.ok("refer", "carla", "Dora Dent", "--date", "2026-11-05")
    cli.ok("refer", "carla", "Eve Ek", "--date", "2026-06-01")
    cli.ok("edit", "dora", "--status", "customer")
    cli.ok("edit", "finn", "--status", "lost")


def test_every_figure_by_hand(cli):
    build(cli)
    figures = json.loads(cli.ok("stats", "--format", "json"))
    assert figures["customers_by_status"] == {"customer": 4, "lost": 1, "prospect": 1}
    assert figures["active_customers"] == 4
    assert (figures["joined"], figures["lost"]) == (6, 1)
    # Ana (12 days, cadence 30) and Carla (2 days, vip 7) are within cadence; Bruno (52 > 14)
    # and Dora (never) are not.
    assert (figures["coverage"], figures["covered"]) == (0.5, 2)
    weeks = figures["coverage_by_week"]
    assert len(weeks) == 12 and weeks[-1] == {"week_ending": "2026-11-22", "coverage": 0.5}
    # A week earlier Dora was not on file yet; only Ana was within her cadence: 1 of 3.
    assert weeks[-2] == {"week_ending": "2026-11-15", "coverage": 0.3333}
    assert figures["referrals"] == 2
    assert (figures["referrers"], figures["referral_rate"]) == (1, 0.25)
    assert figures["referred_became_customers"] == 1
    assert figures["top_referrers"] == [{"name": "Carla Cruz", "referrals": 2}]
    months = figures["referrals_by_month"]
    assert len(months) == 12 and months[-1]["referrals"] == 1 and months[-6]["referrals"] == 1
    assert figures["touchpoints_by_week"].keys() == {"call", "meeting", "sale"}
    assert sum(figures["touchpoints_by_week"]["call"]) == 2
    assert (figures["sales_total"], figures["sales_count"]) == (400, 2)
    assert figures["sales_per_active_customer"] == 100
    assert figures["sales_per_buyer"] == 400
    assert figures["repeat_sales_share"] == 0.75
    assert figures["at_risk"] == 1
    assert figures["at_risk_top"][0]["name"] == "Bruno Beta"
    assert figures["at_risk_top"][0]["days_silent"] == 52


def test_table_and_json_agree(cli):
    build(cli)
    figures = json.loads(cli.ok("stats", "--format", "json"))
    text = cli.ok("stats")
    assert f"coverage: 50.0% ({figures['covered']} of {figures['active_customers']} " in text
    assert (
        "referral rate: 25.0% (1 of 4 active customers referred someone)\n"
        "  2 referrals, 1 became a customer" in text
    )
    assert "sales: 400 in 2 sales; 100 per active customer, 400 per buyer\n  repeat 75.0%" in text
    assert "referrals by month, Dec 2025 to Nov 2026: " in text
    assert max(len(line) for line in text.splitlines()) <= 80
    assert (
        "at risk (silent over twice their cadence): 1\n  Bruno Beta: 52 days (cadence 14 days)"
        in text
    )
    assert "top referrers: Carla Cruz (2)" in text


def test_as_of_and_months(cli):
    build(cli)
    earlier = json.loads(cli.ok("stats", "--as-of", "2026-10-15", "--months", "3", "-f", "json"))
    assert earlier["period_start"] == "2026-07-16"
    assert (earlier["sales_total"], earlier["repeat_sales_share"]) == (300, 1.0)
    assert earlier["referrals"] == 0
    # On 2026-10-15 Ana's last contact was 2026-10-01 (14 days: covered), Bruno's too (14
    # days, cadence 14: covered), Carla never yet: 2 of the 3 then on file.
    assert earlier["coverage_by_week"][-1]["coverage"] == 0.6667
    cli.fails("stats", "--months", "0", code=2)
    cli.fails("stats", "--as-of", "someday")


def test_weeks_before_anyone_was_on_file_have_no_coverage(cli):
    cli.ok("add", "Ana Alpha")
    cli.ok("log", "ana")
    weeks = json.loads(cli.ok("stats", "--format", "json"))["coverage_by_week"]
    assert [week["coverage"] for week in weeks] == [None] * 11 + [1.0]
    assert "coverage, last 12 weeks: - - - - - - - - - - - 100%" in cli.ok("stats")
    assert "1 referral" not in cli.ok("stats") and "0 referrals" in cli.ok("stats")
    cli.fails("stats", "--as-of", "tomorrow")


def test_coverage_and_risk_at_the_edges_of_a_cadence(cli):
    """Contacts exactly one cadence and a day apart (covered without a gap), further apart
    (a gap), and the day silence passes twice the cadence."""
    cli.ok("add", "Ana Alpha", "--cadence", "10", env=THEN)
    for day in ("2026-09-20", "2026-10-18", "2026-10-29", "2026-11-16"):
        cli.ok("log", "ana", "call", "--date", day)
    weeks = json.loads(cli.ok("stats", "--format", "json"))["coverage_by_week"]
    assert [week["week_ending"] for week in weeks[::11]] == ["2026-09-06", "2026-11-22"]
    assert [week["coverage"] for week in weeks] == [0, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0, 1]

    def at_risk(day: str) -> int:
        return json.loads(cli.ok("stats", "--as-of", day, "--format", "json"))["at_risk"]

    assert (at_risk("2026-10-10"), at_risk("2026-10-11"), at_risk("2026-11-15")) == (0, 1, 0)
