"""Derived state has one home, and undo takes back exactly what a change did.

A Hypothesis state machine drives random sequences through the CLI, as users run it, with
plain-SQL writes between them as other tools make them (sqlite3, a script). After every
followup step:
- the stored derived state (last contact and its kind, sales total, which contact fulfilled
  each promise) equals what an independent reading of the facts gives, and the summaries
  behind `stats` and `pitch` equal a rebuild from scratch;
- `due`, `stats` and `pitch` put every active customer on the same side of their cadence;
- an undo restores the book as it was before its change, exactly, or refuses and changes
  nothing; rows other tools wrote since survive it.
"""

import csv
import datetime as dt
import json
import math
import shutil
import sqlite3
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from typer.testing import CliRunner

from followup_cli.cli.app import app

START = dt.date(2026, 11, 1)
CONTACTS = ("call", "email", "meeting", "visit", "message")
FACT_TABLES = ("customers", "touchpoints", "followups", "referrals", "tag_cadences")
DERIVED = {
    "customers": {"last_contact_on", "last_contact_kind", "sales_total"},
    "followups": {"fulfilled_by", "fulfilled_on"},
}
SUMMARIES = ("touchpoint_days", "customer_marks", "day_marks", "customer_summaries")
# Amounts with all 17 digits (undo must bring each back bit for bit), and round ones.
amounts = st.one_of(
    st.integers(1, 40_000).map(lambda quarters: quarters / 4),
    st.integers(1, 10**9).map(lambda n: n / 7919),
)
days_back = st.integers(0, 40)
names = st.sampled_from(["Ana Lima", "Bo Chen", "Cy Park", "Dee Ruiz", "Eli Sand", "Fay Oh"])


def facts(path: Path) -> dict:
    """Every fact row, derived columns left out: what undo must put back exactly."""
    connection = sqlite3.connect(path)
    try:
        dump = {}
        for table in FACT_TABLES:
            columns = [
                row[1]
                for row in connection.execute(f"PRAGMA table_info({table})")
                if row[1] not in DERIVED.get(table, ())
            ]
            if not columns:  # a file not yet made a book
                continue
            rows = connection.execute(
                f"SELECT rowid, {', '.join(columns)} FROM {table} ORDER BY rowid"
            )
            # repr keeps the type: 1 and 1.0 and '1' differ, as they do in the file.
            dump[table] = [tuple(map(repr, row)) for row in rows]
        return dump
    finally:
        connection.close()


_STARTING_BOOK: list[Path] = []


def starting_book() -> Path:
    """Built once for the module and copied for each run: a customer with one call, and
    an empty journal, so that the model's list of changes starts empty too."""
    if not _STARTING_BOOK:
        path = Path(tempfile.mkdtemp(prefix="followup-start-")) / "book.db"
        runner, env = CliRunner(), {"FOLLOWUP_DB": str(path), "FOLLOWUP_TODAY": "2026-12-03"}
        for args in (["add", "Ana Lima", "--email", "ana@example.com"], ["log", "ana", "call"]):
            assert runner.invoke(app, args, env=env).exit_code == 0
        connection = sqlite3.connect(path, isolation_level=None)
        for (table,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND (name = 'changes' "
            "OR name GLOB 'journal_*')"
        ).fetchall():
            connection.execute(f"DELETE FROM {table}")
        connection.close()
        _STARTING_BOOK.append(path)
    return _STARTING_BOOK[0]


class Book(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="followup-state-"))
        self.path = self.folder / "book.db"
        self.today = dt.date(2026, 12, 3)
        self.runner = CliRunner()
        # Per change in the journal, newest last: (facts before it, tools wrote since).
        self.changes: list[tuple[dict, bool]] = []
        shutil.copy(starting_book(), self.path)

    def teardown(self):
        shutil.rmtree(self.folder, ignore_errors=True)

    # Running followup --------------------------------------------------------------------

    def env(self) -> dict:
        return {"FOLLOWUP_DB": str(self.path), "FOLLOWUP_TODAY": self.today.isoformat()}

    def run(self, *args) -> object:
        """followup ARGS; a change it records joins the model's list of changes."""
        before = facts(self.path)
        kept = self.journal()
        result = self.runner.invoke(app, [str(arg) for arg in args], env=self.env())
        assert result.exit_code in (0, 1), (args, result.output, result.exception)
        assert "Traceback" not in result.output
        if result.exit_code:
            assert len(result.stderr.splitlines()) == 1, result.stderr
            assert facts(self.path) == before, f"{args} failed and changed the book"
        elif args[0] != "undo" and self.journal() != kept:
            self.changes.append((before, False))
            del self.changes[:-100]
        return result

    def run_ok(self, *args) -> str:
        result = self.run(*args)
        assert result.exit_code == 0, (args, result.output)
        return result.stdout

    def journal(self) -> tuple:
        if not self.path.exists():
            return ()
        connection = sqlite3.connect(self.path)
        try:
            return connection.execute("SELECT count(*), max(id) FROM changes").fetchone()
        finally:
            connection.close()

    def sql(self, statement: str, parameters=()) -> None:
        """A write by another tool: no followup code runs, only the book's own triggers."""
        connection = sqlite3.connect(self.path, isolation_level=None)
        try:
            connection.execute("PRAGMA foreign_keys = ON")
            connection.execute(statement, parameters)
        except sqlite3.IntegrityError:
            return  # the book refused it, as it would refuse the tool
        finally:
            connection.close()
        self.changes = [(before, True) for before, _ in self.changes]

    def ids(self, table: str) -> list[int]:
        connection = sqlite3.connect(self.path)
        try:
            return [row[0] for row in connection.execute(f"SELECT id FROM {table} ORDER BY id")]
        finally:
            connection.close()

    def day(self, back: int) -> str:
        return (self.today - dt.timedelta(days=back)).isoformat()

    # followup's writes -------------------------------------------------------------------

    @rule(name=names, email=st.booleans(), status=st.sampled_from(["customer", "prospect"]))
    def add(self, name, email, status):
        address = ["--email", f"{name.split()[0].lower()}@example.com"] if email else []
        self.run("add", name, *address, "--status", status)

    @rule(data=st.data())
    def edit(self, data):
        ids = self.ids("customers")
        if ids:
            option = data.draw(
                st.sampled_from(
                    [
                        ["--note", "likes tea"],
                        ["--company", "Acme"],
                        ["--status", "lost"],
                        ["--status", "customer"],
                        ["--cadence", "7"],
                        ["--cadence", "2"],
                        ["--add-tag", "vip"],
                    ]
                )
            )
            self.run("edit", data.draw(st.sampled_from(ids)), *option)

    @rule(data=st.data())
    def delete(self, data):
        ids = self.ids("customers")
        if ids:
            self.run("delete", data.draw(st.sampled_from(ids)), "--yes")

    @rule(data=st.data(), kind=st.sampled_from([*CONTACTS, "note", "sale"]), back=days_back)
    def log(self, data, kind, back):
        ids = self.ids("customers")
        if ids:
            extra = ["--amount", str(data.draw(amounts))] if kind == "sale" else []
            if data.draw(st.booleans()):
                extra += ["--next", self.day(-data.draw(st.integers(0, 20)))]
            customer = data.draw(st.sampled_from(ids))
            self.run("log", customer, kind, "--date", self.day(back), *extra)

    @rule(data=st.data(), ahead=st.integers(0, 20))
    def schedule(self, data, ahead):
        ids = self.ids("customers")
        if ids:
            self.run("schedule", data.draw(st.sampled_from(ids)), self.day(-ahead))

    @rule(data=st.data(), log=st.sampled_from([None, "email", "call"]))
    def done(self, data, log):
        ids = self.ids("customers")
        if ids:
            extra = ["--log", log] if log else []
            self.run("done", data.draw(st.sampled_from(ids)), *extra)

    @rule(data=st.data(), command=st.sampled_from(["cancel", "snooze"]))
    def cancel_or_snooze(self, data, command):
        ids = self.ids("customers")
        if ids:
            extra = [self.day(-data.draw(st.integers(0, 20)))] if command == "snooze" else []
            self.run(command, data.draw(st.sampled_from(ids)), *extra)

    @rule(data=st.data(), name=names)
    def refer(self, data, name):
        ids = self.ids("customers")
        if ids:
            self.run("refer", data.draw(st.sampled_from(ids)), name)

    @rule(data=st.data())
    def merge(self, data):
        ids = self.ids("customers")
        if len(ids) >= 2:
            keep, other = data.draw(st.lists(st.sampled_from(ids), min_size=2, max_size=2))
            self.run("merge", keep, other, "--yes")

    @rule(data=st.data())
    def edit_touchpoint(self, data):
        ids, customers = self.ids("touchpoints"), self.ids("customers")
        if ids:
            option = data.draw(
                st.sampled_from(
                    [
                        ["--date", self.day(data.draw(days_back))],
                        ["--kind", data.draw(st.sampled_from([*CONTACTS, "note"]))],
                        ["--customer", str(data.draw(st.sampled_from(customers)))],
                        ["--amount", str(data.draw(amounts))],
                    ]
                )
            )
            self.run("edit-touchpoint", data.draw(st.sampled_from(ids)), *option)

    @rule(data=st.data())
    def delete_touchpoint(self, data):
        ids = self.ids("touchpoints")
        if ids:
            self.run("delete-touchpoint", data.draw(st.sampled_from(ids)), "--yes")

    @rule(data=st.data(), back=days_back)
    def import_touchpoints(self, data, back):
        rows = data.draw(st.lists(st.tuples(names, st.sampled_from(CONTACTS)), max_size=3))
        path = self.folder / "touchpoints.csv"
        with path.open("w", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(["customer", "date", "kind"])
            writer.writerows([name, self.day(back), kind] for name, kind in rows)
        self.run("import", "touchpoints", path, "--skip-invalid")

    @rule(emails=st.lists(st.sampled_from(["ana", "ANA", "bo", "cy"]), max_size=3))
    def import_customers(self, emails):
        path = self.folder / "customers.csv"
        with path.open("w", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(["name", "email", "company"])
            writer.writerows([f"{e.title()} Import", f"{e}@example.com", "Imp"] for e in emails)
        self.run("import", "customers", path, "--skip-invalid")

    @rule()
    def undo(self):
        before = facts(self.path)
        result = self.run("undo")
        if result.exit_code:
            assert "nothing to undo" in result.stderr or "cannot undo" in result.stderr
            return
        expected, tools_wrote_since = self.changes.pop()
        if not tools_wrote_since:
            assert facts(self.path) == expected, "undo did not restore the book exactly"
        else:
            assert facts(self.path) != before

    @rule(data=st.data(), later=st.integers(0, 3))
    def keep_a_promise_then_lose_the_contact(self, data, later):
        """A user's week: promise, call when it falls due, then fix the call."""
        ids = self.ids("customers")
        if ids:
            customer = data.draw(st.sampled_from(ids))
            self.run("schedule", customer, self.day(0))
            self.today += dt.timedelta(days=later)
            result = self.run("log", customer, "call")
            touchpoint = max(self.ids("touchpoints"), default=None)
            if result.exit_code == 0 and touchpoint:
                fix = data.draw(
                    st.sampled_from(
                        [
                            ["delete-touchpoint", touchpoint, "--yes"],
                            ["edit-touchpoint", touchpoint, "--kind", "note"],
                            ["edit-touchpoint", touchpoint, "--date", self.day(later + 1)],
                            ["edit-touchpoint", touchpoint, "--customer", ids[0]],
                        ]
                    )
                )
                self.run(*fix)

    @rule(data=st.data())
    def sell_delete_and_undo(self, data):
        """A sale with all its digits, deleted by mistake, and brought back."""
        ids = self.ids("customers")
        if ids:
            customer = data.draw(st.sampled_from(ids))
            amount = data.draw(st.integers(1, 10**9).map(lambda n: n / 7919))
            self.run("log", customer, "sale", "--amount", repr(amount))
            self.run("delete", customer, "--yes")
            self.undo()

    @rule(ahead=st.integers(1, 10))
    def time_passes(self, ahead):
        self.today += dt.timedelta(days=ahead)

    # Other tools' writes -----------------------------------------------------------------

    @rule(data=st.data(), kind=st.sampled_from([*CONTACTS, "note", "sale"]), back=days_back)
    def tool_inserts_touchpoint(self, data, kind, back):
        ids = self.ids("customers")
        if ids:
            amount = data.draw(amounts) if kind == "sale" else None
            self.sql(
                "INSERT INTO touchpoints (customer_id, date, kind, amount, created_at) "
                "VALUES (?, ?, ?, ?, 'tool')",
                (data.draw(st.sampled_from(ids)), self.day(back), kind, amount),
            )

    @rule(data=st.data(), back=days_back)
    def tool_moves_or_deletes_touchpoint(self, data, back):
        ids = self.ids("touchpoints")
        if ids:
            touchpoint = data.draw(st.sampled_from(ids))
            if data.draw(st.booleans()):
                self.sql(
                    "UPDATE touchpoints SET date = ? WHERE id = ?", (self.day(back), touchpoint)
                )
            else:
                self.sql("DELETE FROM touchpoints WHERE id = ?", (touchpoint,))

    @rule(data=st.data())
    def tool_edits_or_deletes_customer(self, data):
        ids = self.ids("customers")
        if ids:
            customer = data.draw(st.sampled_from(ids))
            if data.draw(st.booleans()):
                self.sql("UPDATE customers SET notes = 'from a script' WHERE id = ?", (customer,))
            else:
                self.sql("DELETE FROM customers WHERE id = ?", (customer,))

    @rule(data=st.data(), back=st.integers(-10, 30))
    def tool_adds_promise(self, data, back):
        ids = self.ids("customers")
        if ids:
            self.sql(
                "INSERT INTO followups (customer_id, due_on, created_on) VALUES (?, ?, ?)",
                (data.draw(st.sampled_from(ids)), self.day(back), self.day(back + 1)),
            )

    @rule(reused=st.integers(1, 8))
    def tool_reuses_an_id(self, reused):
        if reused not in self.ids("customers"):
            self.sql(
                "INSERT INTO customers (id, name, name_key, tags, status, created_on) "
                "VALUES (?, 'Reused Id', 'reused id', '[]', 'customer', ?)",
                (reused, self.today.isoformat()),
            )

    # What must hold -----------------------------------------------------------------------

    @invariant()
    def derived_state_follows_the_facts(self):
        self.run_ok("stats")  # the next command catches up with any tool; stats, summaries
        connection = sqlite3.connect(self.path)
        try:
            expected_customers, expected_promises = read_facts(connection)
            stored = {
                row[0]: row[1:]
                for row in connection.execute(
                    "SELECT id, last_contact_on, last_contact_kind, sales_total FROM customers"
                )
            }
            assert stored.keys() == expected_customers.keys()
            for customer_id, (last, kind, sales) in stored.items():
                *expected, expected_sales = expected_customers[customer_id]
                assert [last, kind] == expected, customer_id
                assert math.isclose(sales, expected_sales, rel_tol=1e-12), customer_id
            promises = dict(
                connection.execute("SELECT id, fulfilled_by FROM followups WHERE done_on IS NULL")
            )
            assert promises == expected_promises
            open_promises = {
                promise for promise, closed_by in expected_promises.items() if closed_by is None
            }
            summaries = {t: sorted(connection.execute(f"SELECT * FROM {t}")) for t in SUMMARIES}
        finally:
            connection.close()
        assert summaries == rebuilt_summaries(self.path)
        agenda = self.run_ok("agenda", "--days", "3650", "--format", "json")
        assert {row["id"] for row in json.loads(agenda)} == open_promises

    @invariant()
    def due_stats_and_pitch_agree_on_the_boundary(self):
        connection = sqlite3.connect(self.path)
        try:
            active = connection.execute(
                "SELECT id, last_contact_on, coalesce(cadence_days, (SELECT min(c.cadence_days) "
                "FROM json_each(customers.tags) JOIN tag_cadences c ON c.tag = json_each.value),"
                " 30) FROM customers WHERE status = 'customer'"
            ).fetchall()
        finally:
            connection.close()
        silent_too_long = {
            customer_id
            for customer_id, last, cadence in active
            if last is None or (self.today - dt.date.fromisoformat(last)).days > cadence
        }
        contacted = {customer_id for customer_id, last, _ in active if last}
        due = json.loads(self.run_ok("due", "--all", "--limit", "0", "--format", "json"))
        by_silence = {row["id"] for row in due if not row["reason"].startswith("promised")}
        promised = {row["id"] for row in due} - by_silence
        assert by_silence <= silent_too_long
        assert silent_too_long - promised <= by_silence
        stats = json.loads(self.run_ok("stats", "--format", "json"))
        assert stats["covered"] == len(contacted - silent_too_long)
        pitch = json.loads(self.run_ok("pitch", "--limit", "0", "--format", "json"))
        for row in pitch:
            assert ("in touch" in row["reason"]) == (row["id"] not in silent_too_long), row


def read_facts(connection) -> tuple[dict, dict]:
    """The derived state, read from the facts in Python, apart from store/derived.py."""
    contacts: dict[int, list] = {}
    sales: dict[int, float] = {}
    for touchpoint_id, customer_id, date, kind, amount in connection.execute(
        "SELECT id, customer_id, date, kind, amount FROM touchpoints"
    ):
        if kind != "note":
            contacts.setdefault(customer_id, []).append((date, touchpoint_id, kind))
        if kind == "sale":
            sales[customer_id] = sales.get(customer_id, 0.0) + (amount or 0)
    customers = {}
    for (customer_id,) in connection.execute("SELECT id FROM customers"):
        last = max(contacts.get(customer_id, []), default=None)
        customers[customer_id] = (
            last[0] if last else None,
            last[2] if last else None,
            sales.get(customer_id, 0.0),
        )
    promises = {}  # each promise not closed by hand: the contact that kept it, or None
    for promise_id, customer_id, due_on in connection.execute(
        "SELECT id, customer_id, due_on FROM followups WHERE done_on IS NULL "
        "OR done_note = 'contact imported' OR done_note GLOB '* logged for *'"
    ):
        after = [c for c in contacts.get(customer_id, []) if c[0] >= due_on]
        promises[promise_id] = min(after)[1] if after else None
    return customers, promises


def rebuilt_summaries(path: Path) -> dict:
    """The summaries of a copy of the book, rebuilt for every customer at once."""
    from followup_cli.store.summaries import refresh

    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "copy.db"
        shutil.copy(path, copy)
        connection = sqlite3.connect(copy, isolation_level=None)
        try:
            connection.execute("BEGIN")
            for table in SUMMARIES:
                connection.execute(f"DELETE FROM {table}")
            connection.execute(
                "INSERT INTO touchpoint_days SELECT date, kind, count(*), "
                "sum(CAST(round(coalesce(amount, 0) * 100) AS INTEGER)) FROM touchpoints "
                "GROUP BY date, kind"
            )
            connection.execute("INSERT OR IGNORE INTO stale_summaries SELECT id FROM customers")
            refresh(connection)
            return {t: sorted(connection.execute(f"SELECT * FROM {t}")) for t in SUMMARIES}
        finally:
            connection.close()


Book.TestCase.settings = settings(
    max_examples=25,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestDerivedStateAndUndo = Book.TestCase
