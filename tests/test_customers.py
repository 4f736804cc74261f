"""add, edit, list, show, delete, and how a CUSTOMER reference is resolved."""

import json
import stat


def test_add_prints_the_new_id_and_list_shows_it(cli):
    assert cli.ok("add", "Ana Alpha", "--email", "ana@example.com", "--tag", "VIP") == "1\n"
    assert cli.ok("add", "Bruno Beta", "--company", "Beta GmbH", "--cadence", "14") == "2\n"
    listed = json.loads(cli.ok("list", "--format", "json"))
    assert [c["name"] for c in listed] == ["Ana Alpha", "Bruno Beta"]
    ana = listed[0]
    assert ana["tags"] == ["vip"]
    assert ana["status"] == "customer"
    assert ana["last_contact"] is None
    assert {"id", "name", "email", "phone", "company", "cadence_days"} <= ana.keys()
    assert listed[1]["cadence_days"] == 14


def test_duplicate_email_is_refused_naming_the_holder(cli):
    cli.ok("add", "Ana Alpha", "--email", "ana@example.com")
    result = cli.fails("add", "Other Ana", "--email", "ANA@Example.com")
    assert "Ana Alpha (#1" in result.stderr
    assert len(json.loads(cli.ok("list", "--format", "json"))) == 1


def test_database_file_is_private(cli, database):
    cli.ok("add", "Ana Alpha")
    assert stat.S_IMODE(database.stat().st_mode) == 0o600


def test_default_location_is_created_private(cli, tmp_path, monkeypatch):
    monkeypatch.delenv("FOLLOWUP_DB")
    cli.ok("add", "Ana Alpha")
    folder = tmp_path / "xdg-data" / "followup"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "followup.db").stat().st_mode) == 0o600


def test_db_option_wins_over_environment(cli, tmp_path, database):
    other = tmp_path / "other.db"
    cli.ok("--db", str(other), "add", "Ana Alpha")
    assert other.exists()
    assert "does not exist" in cli.fails("list", "--format", "json").stderr  # FOLLOWUP_DB's


def test_reference_by_id_email_name_and_unique_part(cli):
    cli.ok("add", "Ana Alpha", "--email", "ana@example.com")
    cli.ok("add", "Anabel Cruz")
    cli.ok("add", "Bruno Beta")
    for reference in ("1", "ANA@example.com", "ana alpha", "alpha", "ana"):
        assert cli.ok("show", reference, "--format", "json").count('"name": "Ana Alpha"') == 1
    assert '"Bruno Beta"' in cli.ok("show", "brun", "--format", "json")


def test_ambiguous_reference_lists_candidates_and_changes_nothing(cli):
    cli.ok("add", "Ana Alpha")
    cli.ok("add", "Ana Alvarez")
    result = cli.fails("log", "ana", "call")
    assert "Ana Alpha (#1)" in result.stderr and "Ana Alvarez (#2)" in result.stderr
    result = cli.fails("log", "al")
    assert json.loads(cli.ok("show", "1", "--format", "json"))["touchpoints"] == []


def test_unknown_customer_is_a_clear_error(cli):
    cli.ok("add", "Ana Alpha")
    assert "no customer matches 'zed'" in cli.fails("show", "zed").stderr
    assert "no customer has id 9" in cli.fails("show", "9").stderr
    assert "no customer has the email" in cli.fails("show", "x@example.com").stderr


def test_edit_changes_fields_tags_cadence_and_status(cli):
    cli.ok("add", "Ana Alpha", "--tag", "vip", "--tag", "north", "--cadence", "14")
    cli.ok("edit", "ana", "--email", "a@example.com", "--add-tag", "Golf", "--remove-tag", "north")
    cli.ok("edit", "ana", "--cadence", "default", "--status", "lost", "--name", "Ana  Alpha-Ng")
    ana = json.loads(cli.ok("show", "1", "--format", "json"))
    assert ana["name"] == "Ana Alpha-Ng"
    assert ana["email"] == "a@example.com"
    assert ana["tags"] == ["vip", "golf"]
    assert ana["cadence_days"] is None
    assert ana["status"] == "lost"


def test_edit_refuses_bad_values_and_changes_nothing(cli):
    cli.ok("add", "Ana Alpha", "--email", "ana@example.com")
    cli.ok("add", "Bruno Beta", "--email", "bruno@example.com")
    before = cli.ok("list", "--format", "json")
    cli.fails("edit", "bruno", "--email", "ana@example.com")
    cli.fails("edit", "bruno", "--email", "not-an-email")
    cli.fails("edit", "bruno", "--cadence", "soon")
    cli.fails("edit", "bruno", "--cadence", "0", code=2)  # out of range: a usage error
    cli.fails("edit", "bruno", "--status", "friend")
    cli.fails("edit", "bruno")
    assert cli.ok("list", "--format", "json") == before


def test_list_filters_by_tag_status_and_search(cli):
    cli.ok("add", "Ana Alpha", "--tag", "vip", "--company", "Acme")
    cli.ok("add", "Bruno Beta", "--status", "prospect")
    cli.ok("add", "Carla Cruz", "--note", "met at the Acme fair")

    def names(*options):
        return [c["name"] for c in json.loads(cli.ok("list", "--format", "json", *options))]

    assert names("--tag", "VIP") == ["Ana Alpha"]
    assert names("--status", "prospect") == ["Bruno Beta"]
    assert names("--search", "acme") == ["Ana Alpha", "Carla Cruz"]


def test_list_in_a_pipe_is_one_tab_separated_line_per_row(cli):
    cli.ok("add", "Ana Alpha", "--note", "line one\nline two")
    lines = cli.ok("list").splitlines()
    assert lines[0].split("\t")[:2] == ["id", "name"]
    assert lines[1].split("\t")[:2] == ["1", "Ana Alpha"]
    assert "\x1b" not in "".join(lines)
    csv_lines = cli.ok("list", "--format", "csv").splitlines()
    assert csv_lines[0].startswith("id,name,email")


def test_delete_needs_yes_outside_a_terminal(cli):
    cli.ok("add", "Ana Alpha")
    cli.ok("log", "ana", "--next", "1w")
    assert "--yes" in cli.fails("delete", "ana").stderr
    assert cli.ok("delete", "ana", "--yes") == "Deleted Ana Alpha (#1)\n"
    assert json.loads(cli.ok("list", "--format", "json")) == []


def test_add_refuses_bad_input(cli):
    cli.fails("add", "   ")
    cli.fails("add", "Ana", "--email", "ana@")
    cli.fails("add", "Ana", "--status", "lost")
    cli.fails("add", "Ana", "--cadence", "-3", code=2)
    cli.fails("add", "Ana", "--cadence", "many", code=2)
    cli.fails("add", "Ana\x00Alpha")
    assert json.loads(cli.ok("list", "--format", "json")) == []


def test_show_lists_history_newest_first_with_referrals_and_follow_ups(cli):
    cli.ok("add", "Ana Alpha")
    cli.ok("log", "ana", "email", "sent the quote", "--date", "2026-11-01")
    cli.ok("log", "ana", "meeting", "signed", "--date", "2026-11-15", "--next", "2026-12-01")
    cli.ok("refer", "ana", "Bruno Beta")
    shown = json.loads(cli.ok("show", "ana", "--format", "json"))
    assert [t["date"] for t in shown["touchpoints"]] == ["2026-11-15", "2026-11-01"]
    assert shown["referrals_made"][0]["referred"] == "Bruno Beta"
    assert shown["open_follow_ups"][0]["due_on"] == "2026-12-01"
    text = cli.ok("show", "ana")
    assert "Ana Alpha (#1)" in text
    lines = text.splitlines()
    header = lines.index("# Touchpoints") + 1
    assert lines[header : header + 2] == [
        "id\tdate\tkind\tnote\tamount",
        "2\t2026-11-15\tmeeting\tsigned\t",
    ]


def test_tags_list_limit_and_removing_a_tag_they_lack(cli):
    cli.ok("add", "Ana Alpha", "--tag", "vip,north")
    cli.ok("add", "Bo Beta", "--tag", "vip")
    cli.ok("add", "Cy Cruz")
    cli.ok("cadence", "vip", "14")
    tags = json.loads(cli.ok("tags", "--format", "json"))
    assert tags == [
        {"tag": "north", "customers": 1, "cadence_days": None},
        {"tag": "vip", "customers": 2, "cadence_days": 14},
    ]
    assert [c["name"] for c in json.loads(cli.ok("list", "--limit", "2", "-f", "json"))] == [
        "Ana Alpha",
        "Bo Beta",
    ]
    result = cli.fails("edit", "bo", "--remove-tag", "north")
    assert "Bo Beta has no tag north" in result.stderr


def test_search_finds_customers_touchpoint_notes_and_promises_by_word(cli):
    cli.ok("add", "Zoë Müller", "--company", "Renewal Partners", "--tag", "wholesale")
    cli.ok("add", "Bo Beta")
    cli.ok("log", "bo", "call", "talked about the RENEWAL of the contract", "--date", "2026-11-01")
    cli.ok("log", "bo", "email", "sent the brochure", "--date", "2026-11-02")
    cli.ok("schedule", "zoe", "friday", "send the rénewal pricing")
    found = json.loads(cli.ok("search", "renewal", "--format", "json"))
    assert [(f["kind"], f["name"]) for f in found] == [
        ("customer", "Zoë Müller"),
        ("touchpoint", "Bo Beta"),
        ("promise", "Zoë Müller"),
    ]
    assert [f["name"] for f in json.loads(cli.ok("search", "MULLER", "-f", "json"))] == [
        "Zoë Müller"
    ]
    assert json.loads(cli.ok("search", "renew contr", "-f", "json"))[0]["kind"] == "touchpoint"
    cli.ok("delete-touchpoint", "1", "--yes")
    assert "touchpoint" not in cli.ok("search", "renewal")
    assert "word" in cli.fails("search", "   ").stderr
