"""referrals --tree: chains of referrals, cycles shown once."""

import json


def test_chains_cycles_and_from(cli):
    cli.ok("add", "Ana Alpha")
    cli.ok("refer", "ana", "Bruno Beta")
    cli.ok("refer", "bruno", "Carla Cruz")
    cli.ok("refer", "carla", "Ana Alpha")  # a cycle back to the start
    cli.ok("add", "Dora Dent")
    cli.ok("refer", "dora", "Eve Ek")
    cli.ok("refer", "dora", "Finn Fox")
    text = cli.ok("referrals", "--tree")
    assert text.splitlines() == [
        "Dora Dent (customer)",
        "  Eve Ek (prospect, referred 2026-11-22)",
        "  Finn Fox (prospect, referred 2026-11-22)",
        "Ana Alpha (customer)",
        "  Bruno Beta (prospect, referred 2026-11-22)",
        "    Carla Cruz (prospect, referred 2026-11-22)",
        "      Ana Alpha (customer, referred 2026-11-22) (shown above)",
    ]
    tree = json.loads(cli.ok("referrals", "--tree", "--from", "bruno", "--format", "json"))
    assert tree[0]["name"] == "Bruno Beta"
    assert tree[0]["referred"][0]["name"] == "Carla Cruz"
    assert tree[0]["referred"][0]["referred"][0]["name"] == "Ana Alpha"
    cli.fails("referrals", "--tree", "--format", "csv")
