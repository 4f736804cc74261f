"""import: our own CSV, the awkward files people really have, and the all-or-nothing rule."""

import json
import sqlite3

import pytest

OURS = (
    "name,email,phone,company,tags,notes,status,cadence_days,last_contact\n"
    'Ana Alpha,ana@example.com,+49 30 1,Alpha Bakery,"vip,north",likes golf,customer,14,'
    "2026-10-01\n"
    "Bruno Beta,bruno@example.com,,,,,prospect,,\n"
)


def write(tmp_path, name: str, text: str, encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def report(cli, *args, **kwargs) -> dict:
    result = cli("import", *args, "--format", "json", **kwargs)
    return json.loads(result.stdout) | {"exit": result.exit_code}


def customers(cli) -> list[dict]:
    return json.loads(cli.ok("list", "--format", "json"))


def test_our_format_imports_and_last_contact_makes_due_right(cli, tmp_path):
    path = write(tmp_path, "c.csv", OURS)
    out = cli.ok("import", "customers", path)
    assert out.strip().endswith("2 created, 0 updated, 0 unchanged, 0 skipped, 0 rejected")
    ana = json.loads(cli.ok("show", "ana", "--format", "json"))
    assert ana["tags"] == ["vip", "north"] and ana["cadence_days"] == 14
    assert ana["touchpoints"] == [
        {
            "id": 1,
            "customer_id": 1,
            "date": "2026-10-01",
            "kind": "imported",
            "note": None,
            "amount": None,
        }
    ]
    due = json.loads(cli.ok("due", "--format", "json"))
    assert [row["name"] for row in due] == ["Ana Alpha"]
    assert due[0]["days_since"] == 52


def test_reimporting_changes_nothing_and_says_so(cli, tmp_path, database):
    path = write(tmp_path, "c.csv", OURS)
    cli.ok("import", "customers", path)
    before = database.read_bytes()
    again = cli.ok("import", "customers", path)
    assert again.startswith("nothing changed")
    assert report(cli, "customers", path)["unchanged"] == 2
    assert len(json.loads(cli.ok("show", "ana", "--format", "json"))["touchpoints"]) == 1
    assert len(customers(cli)) == 2
    assert database.read_bytes() == before  # not a page rewritten


def test_update_fills_but_never_blanks(cli, tmp_path):
    cli.ok("import", "customers", write(tmp_path, "c.csv", OURS))
    update = "email,name,phone,company,tags\nANA@example.com,Ana Alpha,,New Co,golf\n"
    counts = report(cli, "customers", write(tmp_path, "u.csv", update))
    assert (counts["updated"], counts["created"]) == (1, 0)
    ana = json.loads(cli.ok("show", "ana", "--format", "json"))
    assert ana["phone"] == "+49 30 1" and ana["company"] == "New Co"
    assert ana["tags"] == ["vip", "north", "golf"]


@pytest.mark.parametrize(("policy", "expected"), [("skip", "skipped"), ("error", "rejected")])
def test_on_conflict_policies(cli, tmp_path, policy, expected):
    cli.ok("import", "customers", write(tmp_path, "c.csv", OURS))
    update = "email,company\nana@example.com,Other Co\n"
    counts = report(cli, "customers", write(tmp_path, "u.csv", update), "--on-conflict", policy)
    assert counts[expected] == 1
    assert json.loads(cli.ok("show", "ana", "--format", "json"))["company"] == "Alpha Bakery"


def test_one_bad_row_refuses_the_whole_import_with_every_problem(cli, tmp_path, database):
    bad = (
        "name,email,last_contact\n"
        "Ana Alpha,ana@example.com,2026-10-01\n"
        "Bad Mail,bad@,\n"
        '"Multi\nLine",multi@example.com,not a date\n'
        "Nul,nul@example.com,2026-10-\x0001\n"
        f"Huge,huge@example.com,{'x' * 70000}\n"
    )
    result = cli("import", "customers", write(tmp_path, "bad.csv", bad))
    assert result.exit_code == 1
    assert "line 3: warning: 'bad@' in an email column is not an email address" in result.stderr
    assert "line 4: cannot read 'not a date' as a date" in result.stderr
    assert "line 6: column 'last_contact' contains a NUL byte" in result.stderr
    assert "line 7: column 'last_contact' is over 64 KiB" in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("followup: import refused: 3")
    assert customers(cli) == []
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT count(*) FROM touchpoints").fetchone() == (0,)


def test_skip_invalid_imports_the_good_rows(cli, tmp_path):
    bad = "name,email,cadence\nAna Alpha,ana@example.com,\nBad Cadence,b@x.example,often\n,,\n"
    counts = report(cli, "customers", write(tmp_path, "bad.csv", bad), "--skip-invalid")
    assert (counts["created"], counts["rejected"], counts["skipped"]) == (1, 1, 1)
    reason = "cadence 'often' is not a number of days from 1 to 3650 or 'default'"
    assert counts["problems"] == [{"line": 3, "reason": reason}]
    assert counts["exit"] == 0


@pytest.mark.parametrize("cell", ["bad-email", "c@three", "bad@", "/o=ExchangeLabs/ou=x/cn=y"])
def test_an_email_cell_that_is_no_address_goes_to_the_notes_with_a_warning(cli, tmp_path, cell):
    """One rule for every value that is not an address: kept in the notes, the row matched
    by name, a warning with its line, and the import goes through."""
    cli.ok("add", "Bad Two", "--note", "met at the fair")
    counts = report(cli, "customers", write(tmp_path, "c.csv", f"name,email\nbad two,{cell}\n"))
    assert (counts["created"], counts["updated"], counts["rejected"], counts["exit"]) == (
        0,
        1,
        0,
        0,
    )
    assert counts["warnings"] == [
        {
            "line": 2,
            "reason": f"{cell!r} in an email column is not an email address; kept in the notes",
        }
    ]
    (bad,) = customers(cli)
    assert bad["email"] is None and cell in bad["notes"]


def test_dry_run_counts_but_writes_nothing(cli, tmp_path):
    counts = report(cli, "customers", write(tmp_path, "c.csv", OURS), "--dry-run")
    assert (counts["created"], counts["dry_run"], counts["written"]) == (2, True, False)
    assert customers(cli) == []


def test_empty_and_header_only_files(cli, tmp_path):
    assert "empty" in cli.fails("import", "customers", write(tmp_path, "e.csv", "")).stderr
    header_only = write(tmp_path, "h.csv", "name,email\n")
    assert cli.ok("import", "customers", header_only).startswith("imported customers: 0 created")
    missing = cli.fails("import", "customers", str(tmp_path / "nope.csv"))
    assert "does not exist" in missing.stderr
    unmapped = write(tmp_path, "x.csv", "foo,bar\n1,2\n")
    assert "--map" in cli.fails("import", "customers", unmapped).stderr


def test_standard_input(cli):
    out = cli.ok("import", "customers", "-", input="name,email\nAna Alpha,ana@example.com\n")
    assert "1 created" in out


@pytest.mark.parametrize(
    ("encoding", "delimiter", "newline"),
    [
        ("utf-8", ",", "\n"),
        ("utf-8-sig", ";", "\r\n"),
        ("utf-16", "\t", "\r\n"),
        ("cp1252", ";", "\r\n"),
        ("latin-1", ",", "\n"),
    ],
)
def test_encodings_delimiters_and_line_endings(cli, tmp_path, encoding, delimiter, newline):
    rows = [
        ["name", "email", "notes", "", ""],
        ["Zoë Müller", "zoe@example.com", '"Café, ""quoted""\nsecond line"', "", ""],
        ["", "", "", "", ""],
        ["José Núñez", "jose@example.com", "", "", ""],
    ]
    text = newline.join(delimiter.join(row) for row in rows) + newline + newline
    counts = report(cli, "customers", write(tmp_path, "enc.csv", text, encoding))
    assert (counts["created"], counts["skipped"], counts["rejected"]) == (2, 1, 0), counts
    zoe = json.loads(cli.ok("show", "zoë", "--format", "json"))
    assert zoe["name"] == "Zoë Müller"
    assert zoe["notes"] == 'Café, "quoted"\nsecond line'


def test_encoding_and_delimiter_options(cli, tmp_path):
    path = write(tmp_path, "c.csv", "name|email\nZoë|zoe@example.com\n", "cp1252")
    report(cli, "customers", path, "--encoding", "cp1252", "--delimiter", "|")
    assert customers(cli)[0]["name"] == "Zoë"
    assert "--encoding" in cli.fails("import", "customers", path, "--encoding", "klingon").stderr


def test_slashed_dates_are_decided_per_column(cli, tmp_path):
    cli.ok("add", "Ana Alpha", "--email", "ana@example.com")
    mdy = "email,date,kind\nana@example.com,10/25/2026,call\nana@example.com,11/03/2026,email\n"
    cli.ok("import", "touchpoints", write(tmp_path, "t.csv", mdy))
    dates = [t["date"] for t in json.loads(cli.ok("show", "ana", "-f", "json"))["touchpoints"]]
    assert dates == ["2026-11-03", "2026-10-25"]
    undecided = "email,date\nana@example.com,03/11/2026\n"
    result = cli.fails("import", "touchpoints", write(tmp_path, "u.csv", undecided))
    assert "--date-order" in result.stderr
    cli.ok("import", "touchpoints", str(tmp_path / "u.csv"), "--date-order", "dmy")
    dates = [t["date"] for t in json.loads(cli.ok("show", "ana", "-f", "json"))["touchpoints"]]
    assert "2026-11-03" in dates and len(dates) == 3


def test_file_dates(cli, tmp_path):
    cli.ok("add", "Ana Alpha", "--email", "ana@example.com")
    rows = (
        "email,date,kind,note\n"
        "ana@example.com,2026-11-01T23:30:00+00:00,call,iso with zone\n"
        "ana@example.com,3 Nov 2025,email,text month\n"
        "ana@example.com,31.12.2025,visit,dotted\n"
        "ana@example.com,2026-10-01 14:03,meeting,hubspot style\n"
    )
    counts = report(cli, "touchpoints", write(tmp_path, "t.csv", rows))
    assert counts["created"] == 4
    notes = {
        t["note"]: t["date"] for t in json.loads(cli.ok("show", "ana", "-f", "json"))["touchpoints"]
    }
    assert notes["text month"] == "2025-11-03" and notes["dotted"] == "2025-12-31"
    assert notes["hubspot style"] == "2026-10-01"


def test_touchpoints_need_a_known_customer_and_are_not_doubled(cli, tmp_path):
    cli.ok("add", "Ana Alpha", "--email", "ana@example.com")
    rows = (
        "customer,email,date,kind,note,amount\n"
        "Ana Alpha,,2026-11-01,sale,order,120.50\n"
        ",nobody@example.com,2026-11-01,call,,\n"
    )
    path = write(tmp_path, "t.csv", rows)
    result = cli.fails("import", "touchpoints", path, lists_problems=True)
    assert "line 3: no customer has the email nobody@example.com" in result.stderr
    counts = report(cli, "touchpoints", path, "--skip-invalid")
    assert counts["created"] == 1
    assert report(cli, "touchpoints", path, "--skip-invalid")["unchanged"] == 1
    ana = json.loads(cli.ok("show", "ana", "--format", "json"))
    assert ana["sales_total"] == 120.5 and ana["last_contact"] == "2026-11-01"


def test_imported_contact_closes_fulfilled_follow_ups(cli, tmp_path):
    cli.ok("add", "Ana Alpha", "--email", "ana@example.com")
    cli.ok("log", "ana", "--date", "2026-11-01", "--next", "2026-11-22")
    cli.ok("import", "touchpoints", "-", input="email,date\nana@example.com,2026-11-22\n")
    assert json.loads(cli.ok("show", "ana", "--format", "json"))["open_follow_ups"] == []


def test_referrals_import(cli, tmp_path):
    for name in ("Ana Alpha", "Bruno Beta", "Carla Cruz"):
        cli.ok("add", name)
    rows = (
        "referrer,referrer_email,referred,referred_email,date,note\n"
        "Ana Alpha,,Bruno Beta,,2026-11-01,expo\n"
        "Ana Alpha,,Ana Alpha,,2026-11-01,\n"
        "Ana Alpha,,Nobody Known,,2026-11-01,\n"
    )
    path = write(tmp_path, "r.csv", rows)
    result = cli.fails("import", "referrals", path, lists_problems=True)
    assert "line 3: Ana Alpha cannot refer themselves" in result.stderr
    assert "line 4: unknown referred person 'Nobody Known'" in result.stderr
    assert json.loads(cli.ok("referrals", "--format", "json")) == []
    assert report(cli, "referrals", path, "--skip-invalid")["created"] == 1
    assert report(cli, "referrals", path, "--skip-invalid")["unchanged"] == 1


def test_map_overrides_and_unmapped_columns_are_kept(cli, tmp_path):
    rows = "Full Name,E-Mail,Shoe Size\nAna Alpha,ana@example.com,38\n"
    path = write(tmp_path, "m.csv", rows)
    counts = report(cli, "customers", path, "--map", "Full Name=name")
    assert counts["unmapped_columns"] == ["Shoe Size"]
    with sqlite3.connect(tmp_path / "followup.db") as connection:
        extra = connection.execute("SELECT extra FROM customers").fetchone()[0]
    assert json.loads(extra) == {"Shoe Size": "38"}
    assert "--map" in cli.fails("import", "customers", path, "--map", "nonsense").stderr
    assert "unknown field" in cli.fails("import", "customers", path, "--map", "E-Mail=x").stderr


def test_sql_looking_names_are_just_names(cli, tmp_path):
    rows = 'name,email\n"Robert\'); DROP TABLE customers;--",bobby@example.com\n'
    cli.ok("import", "customers", write(tmp_path, "s.csv", rows))
    assert customers(cli)[0]["name"] == "Robert'); DROP TABLE customers;--"


def test_duplicates_within_one_file_merge(cli, tmp_path):
    rows = "name,email,phone\nAna,ana@example.com,1\nBob,,2\nAna A,ANA@example.com,3\nBob,,4\n"
    counts = report(cli, "customers", write(tmp_path, "d.csv", rows))
    assert (counts["created"], counts["updated"]) == (2, 2)
    assert [(c["name"], c["phone"]) for c in customers(cli)] == [("Ana A", "3"), ("Bob", "4")]


def test_a_bad_byte_deep_in_the_file_is_reported_on_its_line(cli, tmp_path):
    rows = "".join(f"Person {n},p{n}@example.com\n" for n in range(5000))
    path = tmp_path / "late.csv"
    path.write_bytes(b"name,email\n" + rows.encode() + b"Jos\xe9,jose@example.com\n")
    result = cli.fails("import", "customers", str(path))
    assert result.stderr.startswith("followup: line 5002: the text is not valid utf-8")
    assert "--encoding cp1252" in result.stderr
    assert customers(cli) == []
    counts = report(cli, "customers", str(path), "--encoding", "cp1252")
    assert counts["created"] == 5001


def test_line_numbers_count_quoted_line_breaks_and_blank_lines(cli, tmp_path):
    text = (
        "name,email,notes\r\n"  # 1
        'Ana,ana@example.com,"two\nlines"\r\n'  # 2-3
        "\r\n"  # 4
        "Bo,bo@example,x\r\n"  # 5
        'Cy,cy@example.com,"a\r\nb\rc"\r\n'  # 6-8
        "Di,di@nowhere,y\r\n"  # 9
    )
    counts = report(cli, "customers", write(tmp_path, "c.csv", text))
    assert [warning["line"] for warning in counts["warnings"]] == [5, 9]


def test_a_record_csv_cannot_read_is_reported_where_it_starts(cli, tmp_path):
    """An unclosed quote swallows the rest of the file until csv's 16 MiB field limit."""
    path = tmp_path / "runaway.csv"
    path.write_text(
        'name,email\nAna,ana@example.com\nBo,"' + "x\n" * (9 * 1024 * 1024), encoding="utf-8"
    )
    result = cli.fails("import", "customers", str(path))
    assert result.stderr.startswith("followup: line 3: field larger than field limit")
    assert customers(cli) == []


@pytest.mark.parametrize("book", ["empty", "full"])
@pytest.mark.parametrize("with_dates", [True, False])
def test_an_email_repeated_in_another_case_updates_the_earlier_row(cli, tmp_path, book, with_dates):
    """Real CRM exports repeat an address in another case; it is one person, in an empty
    book (unique index built after the rows) as in a full one, with or without a survey."""
    if book == "full":
        cli.ok("add", "Someone Else")
    header, first, second = "name,email,notes", "A One,a@x.com,", "A One,A@x.com,second"
    if with_dates:
        header, first, second = (
            header + ",Last contacted",
            first + ",2025-01-01",
            second + ",2025-01-02",
        )
    counts = report(cli, "customers", write(tmp_path, "c.csv", f"{header}\n{first}\n{second}\n"))
    assert (counts["exit"], counts["created"], counts["updated"]) == (0, 1, 1)
    (one,) = [c for c in customers(cli) if c["name"] == "A One"]
    assert one["email"] == "a@x.com" and one["notes"] == "second"
    if with_dates:
        assert one["last_contact"] == "2025-01-02"


def test_a_cell_with_several_values_keeps_the_first_and_notes_the_rest(cli, tmp_path):
    text = (
        "Name,E-mail 1 - Value,Phone 1 - Value\n"
        "Lu Ling,lu@ling.example ::: lu.home@ling.example,+34 91 555 0102 ::: +34 600 555 0112\n"
    )
    cli.ok("import", "customers", write(tmp_path, "google.csv", text))
    (lu,) = customers(cli)
    assert (lu["email"], lu["phone"]) == ("lu@ling.example", "+34 91 555 0102")
    assert "Other emails: lu.home@ling.example" in lu["notes"]
    assert "Other phones: +34 600 555 0112" in lu["notes"]


def test_a_column_the_map_displaces_is_kept_and_reported(cli, tmp_path):
    path = write(tmp_path, "c.csv", "first,last,email\nAna,Alpha,ana@example.com\n")
    counts = report(cli, "customers", path, "--map", "first=name")
    assert counts["unmapped_columns"] == ["last"]
    (ana,) = customers(cli)
    assert ana["name"] == "Ana"
    with sqlite3.connect(tmp_path / "followup.db") as connection:
        (stored,) = connection.execute("SELECT extra FROM customers").fetchone()
    assert json.loads(stored) == {"last": "Alpha"}


def test_a_two_digit_year_reads_the_same_typed_and_in_a_file(cli, tmp_path):
    cli.ok("add", "Ana Alpha", "--email", "ana@example.com")
    assert "on 1975-10-25" in cli.ok("log", "ana", "--date", "25/10/75")
    path = write(tmp_path, "t.csv", "email,date\nana@example.com,25/10/75\n")
    cli.ok("import", "touchpoints", path)
    dates = [
        t["date"] for t in json.loads(cli.ok("show", "ana", "--format", "json"))["touchpoints"]
    ]
    assert dates == ["1975-10-25"]  # the same day: the file's row is the one already logged
