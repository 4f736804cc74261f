"""refer and referrals: both directions of a referral, and the mistakes refused."""

import json


def test_refer_creates_a_prospect_and_lists_both_ways(cli):
    cli.ok("add", "Ana Alpha", "--email", "ana@example.com")
    out = cli.ok("refer", "ana", "Bruno Beta", "--email", "bruno@example.com", "--note", "expo")
    assert out == "Recorded: Ana Alpha referred Bruno Beta (new prospect #2) on 2026-11-22\n"
    bruno = json.loads(cli.ok("show", "bruno", "--format", "json"))
    assert bruno["status"] == "prospect"
    assert bruno["referrals_received"][0]["referrer"] == "Ana Alpha"
    listed = json.loads(cli.ok("referrals", "--format", "json"))
    assert listed == [
        {
            "id": 1,
            "referrer_id": 1,
            "referred_id": 2,
            "referrer": "Ana Alpha",
            "referrer_email": "ana@example.com",
            "referred": "Bruno Beta",
            "referred_email": "bruno@example.com",
            "date": "2026-11-22",
            "note": "expo",
            "referred_status": "prospect",
        }
    ]


def test_refer_links_an_existing_customer_by_email_or_name(cli):
    cli.ok("add", "Ana Alpha")
    cli.ok("add", "Bruno Beta", "--email", "bruno@example.com")
    cli.ok("add", "Carla Cruz")
    cli.ok("refer", "ana", "B. Beta", "--email", "BRUNO@example.com", "--date", "last friday")
    cli.ok("refer", "ana", "carla cruz")
    assert len(json.loads(cli.ok("list", "--format", "json"))) == 3
    dates = {r["referred"]: r["date"] for r in json.loads(cli.ok("referrals", "-f", "json"))}
    assert dates == {"Bruno Beta": "2026-11-20", "Carla Cruz": "2026-11-22"}


def test_referrals_from_one_referrer(cli):
    cli.ok("add", "Ana Alpha")
    cli.ok("add", "Bruno Beta")
    cli.ok("refer", "ana", "Carla Cruz")
    cli.ok("refer", "bruno", "Dora Dent")
    listed = json.loads(cli.ok("referrals", "--from", "bruno", "--format", "json"))
    assert [r["referred"] for r in listed] == ["Dora Dent"]


def test_self_and_duplicate_referrals_are_refused_and_change_nothing(cli):
    cli.ok("add", "Ana Alpha", "--email", "ana@example.com")
    assert "themselves" in cli.fails("refer", "ana", "Ana Alpha").stderr
    cli.ok("refer", "ana", "Bruno Beta")
    assert "already on file" in cli.fails("refer", "ana", "bruno beta").stderr
    cli.fails("refer", "nobody", "Carla Cruz")
    cli.fails("refer", "ana", "Carla Cruz", "--email", "carla@")
    cli.fails("refer", "ana", "Carla Cruz", "--date", "tomorrow")
    assert len(json.loads(cli.ok("list", "--format", "json"))) == 2
    assert len(json.loads(cli.ok("referrals", "--format", "json"))) == 1
