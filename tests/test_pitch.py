"""pitch: the warmest active customers first, each with the reason (today 2026-11-22)."""

import json


def build(cli):
    cli.ok("add", "Ana Alpha", "--tag", "retail")
    cli.ok("add", "Bruno Beta")
    cli.ok("add", "Carla Cruz", "--tag", "vip")
    cli.ok("add", "Dora Dent")
    cli.ok("add", "Gus Green", "--tag", "retail")
    cli.ok("add", "Pat Prospect", "--status", "prospect")
    cli.ok("cadence", "vip", "7")
    cli.ok("log", "ana", "sale", "--amount", "100", "--date", "2026-03-01")
    cli.ok("log", "ana", "sale", "--amount", "300", "--date", "2026-10-01")
    cli.ok("log", "ana", "call", "--date", "2026-11-10")
    cli.ok("log", "bruno", "meeting", "--date", "2026-10-01")
    cli.ok("log", "carla", "call", "--date", "2026-11-20")
    cli.ok("refer", "carla", "Eve Ek")
    cli.ok("refer", "carla", "Finn Fox")
    cli.ok("log", "gus", "sale", "--amount", "50", "--date", "2026-11-01")


def test_ranking_scores_and_reasons(cli):
    build(cli)
    ranked = json.loads(cli.ok("pitch", "--format", "json"))
    # Carla 3 + 4 + 0.5 = 7.5; Gus 3 + 4 + 0.5 = 7.5 (Carla's contact is more recent);
    # Ana 3 + 2 + 1.5 = 6.5; Bruno 1 (52 days, within twice 30) + 0.5 = 1.5; Dora 0.
    # Prospects are not pitched.
    assert [(r["name"], r["score"]) for r in ranked] == [
        ("Carla Cruz", 7.5),
        ("Gus Green", 7.5),
        ("Ana Alpha", 6.5),
        ("Bruno Beta", 1.5),
        ("Dora Dent", 0),
    ]
    assert "bought once (2026-11-01), ripe for a second" in ranked[1]["reason"]
    assert "referred 2" in ranked[0]["reason"]
    assert ranked[4]["reason"] == "no history yet"


def test_tags_limit_and_formats(cli):
    build(cli)
    retail = json.loads(cli.ok("pitch", "--tag", "retail", "--format", "json"))
    assert [r["name"] for r in retail] == ["Gus Green", "Ana Alpha"]
    not_vip = json.loads(cli.ok("pitch", "--exclude-tag", "vip", "--limit", "2", "-f", "json"))
    assert [r["name"] for r in not_vip] == ["Gus Green", "Ana Alpha"]
    lines = cli.ok("pitch", "--limit", "1").splitlines()
    assert lines[1].split("\t")[:3] == ["3", "Carla Cruz", "7.5"]
    assert cli.ok("pitch", "--format", "csv").splitlines()[0] == "id,name,score,last_contact,reason"
    cli.fails("pitch", "--limit", "-1", code=2)
