"""The database file as an interface: schema, settings, versions, and files that are not ours."""

import datetime as dt
import sqlite3
import subprocess

from followup_cli.services.due import due_list
from followup_cli.store import open_store
from followup_cli.store.migrations import SCHEMA_VERSION


def test_schema_tables_settings_and_version(cli, database):
    cli.ok("add", "Ana Alpha")
    with sqlite3.connect(database) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        assert {"customers", "touchpoints", "followups", "referrals"} <= tables
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        foreign = connection.execute("PRAGMA foreign_key_list(touchpoints)").fetchall()
        assert [(row[2], row[6]) for row in foreign] == [("customers", "CASCADE")]


def test_due_walks_an_index_instead_of_scanning_touchpoints(cli, database):
    """The plan of the very statement `due` sends (caught by a trace on the store's own
    connection, parameters bound), not of a copy of it."""
    cli.ok("add", "Ana Alpha")
    cli.ok("cadence", "vip", "14")
    store = open_store(database)
    sent: list[str] = []
    store.connection.set_trace_callback(sent.append)
    try:
        due_list(store, dt.date(2026, 11, 22), tag="vip")
        (walk,) = [sql for sql in sent if "ORDER BY last_contact_on" in sql]
        plan = store.connection.execute(f"EXPLAIN QUERY PLAN {walk}").fetchall()
    finally:
        store.close()
    details = " ".join(row[-1] for row in plan)
    assert "customers_due" in details and "TEMP B-TREE" not in details
    assert "SCAN touchpoints" not in details


def test_a_newer_schema_is_refused_not_downgraded(cli, database):
    cli.ok("add", "Ana Alpha")
    with sqlite3.connect(database) as connection:
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    result = cli.fails("list")
    assert "newer followup" in result.stderr
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1


def test_a_file_that_is_not_a_database(cli, database):
    database.write_bytes(b"these are my notes, not a database\n" * 200)
    assert "not a followup database" in cli.fails("due").stderr
    assert database.read_bytes().startswith(b"these are my notes")


def test_a_missing_directory_named_by_db(cli, tmp_path):
    result = cli.fails("--db", str(tmp_path / "nowhere" / "f.db"), "list")
    assert "does not exist" in result.stderr


def test_deleting_a_customer_removes_their_rows_everywhere(cli, database):
    cli.ok("add", "Ana Alpha")
    cli.ok("log", "ana", "--next", "1w")
    cli.ok("refer", "ana", "Bruno Beta")
    cli.ok("delete", "ana", "--yes")
    with sqlite3.connect(database) as connection:
        for table in ("touchpoints", "followups", "referrals"):
            assert connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0


def test_real_process_pipe_output_and_errors(followup_executable, database, tmp_path):
    env = {"FOLLOWUP_DB": str(database), "FOLLOWUP_TODAY": "2026-11-22", "PATH": "/usr/bin:/bin"}

    def run(*args):
        return subprocess.run(
            [followup_executable, *args], capture_output=True, text=True, env=env, check=False
        )

    assert run("add", "Zoë Müller").stdout == "1\n"
    listed = run("due")
    assert listed.returncode == 0
    assert listed.stdout.splitlines()[1].split("\t")[1] == "Zoë Müller"
    assert "\x1b[" not in listed.stdout
    failed = run("log", "nobody")
    assert failed.returncode == 1
    assert failed.stderr.count("\n") == 1 and "Traceback" not in failed.stderr
    assert run("--version").stdout.startswith("followup ")
    assert run("log", "--help").returncode == 0 and "Example:" in run("log", "--help").stdout
