"""Plain customer files take a column-at-a-time lane (imports/plain_lane.py); whichever lane
a file takes, the book, the counts and the problems must come out the same, and the report's
`lanes` says which lane each chunk took.

The row-by-row lane is forced by adding an empty `last_contact` column, a field the plain
lane does not take: same data, other lane. Each test imports into two databases and compares.
"""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FIELDS = ["name", "email", "phone", "company", "tags", "notes", "status", "cadence_days"]
LANE_CHECKS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def csv_text(rows: list[list[str]], row_by_row: bool) -> str:
    def quoted(cell: str) -> str:
        return '"' + cell.replace('"', '""') + '"'

    header = FIELDS + (["last_contact"] if row_by_row else [])
    lines = [",".join(header)]
    for row in rows:
        lines.append(",".join(quoted(cell) for cell in row + ([""] if row_by_row else [])))
    return "\n".join(lines) + "\n"


def import_both_ways(cli, tmp_path, batches: list[list[list[str]]]) -> list[dict]:
    """Each batch imported in turn into a plain-lane and a row-lane database; returns what
    each lane reported and holds, and insists that they agree."""
    outcomes = []
    for lane in ("plain", "rows"):
        database = tmp_path / f"{lane}.db"
        database.unlink(missing_ok=True)
        reports = []
        for number, rows in enumerate(batches):
            path = tmp_path / f"{lane}-{number}.csv"
            path.write_text(csv_text(rows, row_by_row=lane == "rows"), encoding="utf-8")
            result = cli("--db", database, "import", "customers", path, "--format", "json")
            reports.append((result.exit_code, json.loads(result.stdout or "{}")))
        book = json.loads(cli.ok("--db", database, "export", "customers", "--format", "json"))
        outcomes.append({"reports": reports, "book": book})
    plain, rows = outcomes
    for (plain_exit, plain_report), (rows_exit, rows_report) in zip(
        plain["reports"], rows["reports"], strict=True
    ):
        assert plain_exit == rows_exit
        if rows_report:
            assert rows_report["lanes"]["plain"] == 0  # the forced lane really ran
        assert _same_in_both(plain_report) == _same_in_both(rows_report)
    assert plain["book"] == rows["book"]
    return outcomes


def _same_in_both(report: dict) -> dict:
    return {key: value for key, value in report.items() if key not in ("unmapped_columns", "lanes")}


def test_a_plain_file_gives_the_same_book_either_way(cli, tmp_path):
    rows = [
        ["Ana Alpha", "Ana@Example.com", "+49 30 1", "Alpha Bakery", "VIP,north", "golf", "", ""],
        ["Bruno Beta", "bruno@example.com", "", "", "Retail", "", "lead", "14"],
        ["Cleo Gamma", "cleo@example.com", "", "Gamma", "north,vip,north", "", "Client", ""],
        ["Dana Delta", "dana@example.com", "", "", "a,b,c", "", "lost", "3650"],
        ["Finn Foxtrot", "finn@example.com", "", "", "vip,golf,vip", "", "", ""],
    ]
    update = [
        ["Ana Alpha", "ana@example.com", "", "New Co", "golf", "", "", "30"],
        ["Bruno Beta", "bruno@example.com", "", "", "Retail", "", "lead", "14"],
        ["Eve Echo", "eve@example.com", "", "", "x , y", "", "", ""],
        ["Gil Golf", "gil@example.com", "", "", "golf,", "", "", ""],
    ]
    outcome = import_both_ways(cli, tmp_path, [rows, rows, update])
    reports = [report for _, report in outcome[0]["reports"]]
    assert [r["lanes"] for r in reports] == [{"plain": 1, "rows": 0}] * 3
    assert [r["created"] for r in reports] == [5, 0, 2]
    assert [r["unchanged"] for r in reports] == [0, 5, 1]
    assert reports[2]["updated"] == 1
    ana = outcome[0]["book"][0]
    assert ana["email"] == "Ana@Example.com" and ana["company"] == "New Co"  # case: same address
    assert ana["tags"] == ["vip", "north", "golf"] and ana["cadence_days"] == 30
    assert [customer["tags"] for customer in outcome[0]["book"][2:]] == [
        ["north", "vip"],
        ["a", "b", "c"],
        ["vip", "golf"],
        ["x", "y"],
        ["golf"],
    ]


def test_a_repeat_across_chunks_merges_either_way(cli, tmp_path):
    """1,500 rows: the repeat of row 1 sits in the second chunk of 1,000."""
    rows = [[f"Person {n}", f"person{n}@example.com", "", "", "", "", "", ""] for n in range(1500)]
    rows[1200] = ["Person Zero", "PERSON0@example.com", "", "Zero Co", "", "", "", ""]
    outcome = import_both_ways(cli, tmp_path, [rows])
    report = outcome[0]["reports"][0][1]
    assert (report["created"], report["updated"]) == (1499, 1)
    assert outcome[0]["book"][0]["name"] == "Person Zero"


PLAIN_CELLS = {
    "name": ["Ana Alpha", "Bruno Beta", "Zoë Zeta", "O'Brien"],
    "email": ["ana@example.com", "ANA@example.com", "bruno@example.com", "zoe@example.org"],
    "phone": ["", "+49 30 1"],
    "company": ["", "Alpha", "=1+1"],
    "tags": ["", "vip", "Golf", "VIP,golf", "golf,vip", "vip,vip", "a, b", "a,", ",b", "a,,b"],
    "notes": ["", "likes golf", "two\nlines"],
    "status": ["", "customer", "Lead", "lost"],
    "cadence_days": ["", "14", "3650"],
}
QUIRKS = {
    "name": ["", " Ana Alpha", "Ana  Alpha", "'=Ana"],
    "email": ["", "not-an-email", "ana@example.com; other@example.com"],
    "phone": ["\x00"],
    "company": ["'+1"],
    "tags": ["Größe", "a;b", "x:::* myContacts", 'say "hi"'],
    "notes": ["x" * 70000],
    "status": ["bogus", "Former Customer", " lead"],
    "cadence_days": ["0", "²", "99999", "1.5"],
}


PLAIN_ROW = st.tuples(*(st.sampled_from(PLAIN_CELLS[field]) for field in FIELDS)).map(list)
ANY_ROW = st.tuples(*(st.sampled_from(PLAIN_CELLS[field] + QUIRKS[field]) for field in FIELDS)).map(
    list
)
# Half the files all plain, so that the plain lane runs; the rest mixed.
BATCH = st.one_of(st.lists(PLAIN_ROW, min_size=1, max_size=6), st.lists(ANY_ROW, max_size=6))


@LANE_CHECKS
@given(batches=st.lists(BATCH, min_size=1, max_size=3))
def test_any_mix_of_plain_and_quirky_rows_gives_the_same_result(cli, tmp_path, batches):
    import_both_ways(cli, tmp_path, batches)
