"""Nothing lost: concurrent writers, a read during a long import, crashes, backups, bad files.

Each guarantee in docs/architecture.md's Reliability table is shown by one test here, doing the real
thing: real processes, real SIGKILLs, real files.
"""

import os
import random
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from followup_cli.store import migrations


def count(database: Path, table: str) -> int:
    with sqlite3.connect(database) as connection:
        return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def integrity(database: Path) -> str:
    with sqlite3.connect(database) as connection:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]


def env_for(database: Path, **extra) -> dict:
    return {**os.environ, "FOLLOWUP_DB": str(database), "FOLLOWUP_TODAY": "2026-11-22", **extra}


def write_csv(path: Path, rows: int, offset: int = 0) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        handle.write("name,email,phone,company\n")
        for number in range(offset, offset + rows):
            handle.write(f"Person {number},p{number}@example.com,+1 {number},Co {number % 97}\n")
    return path


LOGGER = textwrap.dedent(
    """
    import sys
    from followup_cli.main import main
    failures = []
    for number in range(int(sys.argv[1])):
        sys.argv = ["followup", "log", "ana", f"writer {sys.argv[2]} call {number}"]
        try:
            main()
        except SystemExit as leaving:
            if leaving.code:
                failures.append(leaving.code)
    print("failures", len(failures), file=sys.stderr)
    sys.exit(1 if failures else 0)
    """
)


def test_four_concurrent_writers_lose_nothing(cli, database):
    """Each writer is a real process running the CLI 200 times (800 fresh processes would
    spend half a minute starting Python); every run opens its own connection."""
    cli.ok("add", "Ana Alpha")
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", LOGGER, "200", str(number)],
            env=env_for(database),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for number in range(4)
    ]
    results = [(writer.wait(timeout=120), writer.stderr.read()) for writer in writers]
    assert all(code == 0 for code, _ in results), results
    assert not any("locked" in errors for _, errors in results)
    assert count(database, "touchpoints") == 800
    assert integrity(database) == "ok"


def test_reads_during_a_long_import_see_the_data_before_it(cli, database, tmp_path):
    cli.ok("add", "Ana Alpha")
    big = write_csv(tmp_path / "big.csv", 200_000)
    for _attempt in range(3):
        importer = subprocess.Popen(
            [str(Path(sys.executable).with_name("followup")), "import", "customers", str(big)],
            env=env_for(database),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        _wait_for_write_lock(database, importer)
        started = time.monotonic()
        listed = cli.ok("list", "--format", "json")
        remind = cli("remind", "--always")
        elapsed = time.monotonic() - started
        still_running = importer.poll() is None
        assert importer.wait(timeout=120) == 0
        if still_running:
            break
        # The import won the race; start again from one customer.
        cli.ok("delete", "--yes", "--", "Ana Alpha")
        database.unlink()
        cli.ok("add", "Ana Alpha")
    assert still_running, "the import finished before the read could start"
    assert listed.count('"name"') == 1
    assert remind.exit_code == 0 and "Ana Alpha" in remind.stdout
    assert elapsed < 2.0
    assert count(database, "customers") == 200_001


def _wait_for_write_lock(database: Path, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        probe = sqlite3.connect(database, timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
        except sqlite3.OperationalError:
            return  # the importer holds the write lock: it is writing
        finally:
            probe.close()
        time.sleep(0.005)


def test_an_import_killed_at_random_points_leaves_none_or_all(cli, database, tmp_path):
    cli.ok("add", "Ana Alpha")
    rows = write_csv(tmp_path / "rows.csv", 60_000)
    followup = str(Path(sys.executable).with_name("followup"))
    expected = 1
    for delay in random.Random(20261122).sample(  # noqa: S311  (seeded on purpose)
        [x / 100 for x in range(5, 120, 5)], 5
    ):
        importer = subprocess.Popen(
            [followup, "import", "customers", str(rows)],
            env=env_for(database),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        importer.send_signal(signal.SIGKILL)
        importer.wait()
        assert integrity(database) == "ok"
        customers = count(database, "customers")
        assert customers in (1, 60_001), (delay, customers)
        expected = customers
        if customers == 60_001:
            break
    assert cli.ok("list", "--status", "customer", "--format", "csv").count("\n") == expected + 1


def test_ctrl_c_during_an_import_changes_nothing(cli, database, tmp_path):
    cli.ok("add", "Ana Alpha")
    rows = write_csv(tmp_path / "rows.csv", 200_000)
    importer = subprocess.Popen(
        [str(Path(sys.executable).with_name("followup")), "import", "customers", str(rows)],
        env=env_for(database),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    _wait_for_write_lock(database, importer)
    importer.send_signal(signal.SIGINT)
    assert importer.wait(timeout=60) == 130
    assert "interrupted; nothing was changed" in importer.stderr.read()
    assert count(database, "customers") == 1
    assert integrity(database) == "ok"


def test_backup_while_writing_is_consistent_and_private(cli, database, tmp_path):
    cli.ok("add", "Ana Alpha")
    writer = subprocess.Popen(
        [sys.executable, "-c", LOGGER, "150", "0"],
        env=env_for(database),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    copies = []
    try:
        for number in range(5):
            target = tmp_path / f"copy-{number}.db"
            assert cli.ok("backup", str(target)).startswith("Backed up to")
            copies.append(target)
    finally:
        assert writer.wait(timeout=120) == 0
    for copy in copies:
        assert stat.S_IMODE(copy.stat().st_mode) == 0o600
        assert integrity(copy) == "ok"
        assert 0 <= count(copy, "touchpoints") <= 150
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_default_backup_and_restore(cli, database, tmp_path):
    cli.ok("add", "Ana Alpha")
    made = cli.ok("backup").strip().removeprefix("Backed up to ")
    assert Path(made).name == "followup-backup-2026-11-22.db"
    assert Path(made).parent == database.parent
    cli.ok("add", "Bruno Beta")
    assert "--yes" in cli.fails("restore", made).stderr
    out = cli.ok("restore", made, "--yes")
    assert "followup-before-restore-2026-11-22.db" in out
    assert [c["name"] for c in _listed(cli)] == ["Ana Alpha"]
    kept = database.with_name("followup-before-restore-2026-11-22.db")
    assert count(kept, "customers") == 2


def test_restore_reads_the_file_named_even_when_a_uri_would_misread_it(cli, tmp_path):
    """A URI reads "%20" as a space and stops at "#" or "?": the backup is opened by a
    properly escaped URI, or a different file (or none) would be restored."""
    cli.ok("add", "Ana Alpha")
    folder = tmp_path / "q?x#y"
    folder.mkdir()
    named = folder / "a%20b.db"
    cli.ok("backup", str(named))
    decoy = tmp_path / "q"
    decoy.write_bytes(b"")  # where an unescaped URI would point
    cli.ok("add", "Bruno Beta")
    cli.ok("restore", str(named), "--yes")
    assert [c["name"] for c in _listed(cli)] == ["Ana Alpha"]


def test_backup_refuses_a_target_it_cannot_write_and_says_why(cli, tmp_path):
    cli.ok("add", "Ana Alpha")
    (tmp_path / "a-file").write_text("")
    (tmp_path / "taken.db").write_text("")
    for target, words in (
        (tmp_path / "a-file" / "x.db", "is a file, not a directory"),
        (tmp_path / "missing" / "x.db", "does not exist"),
        (tmp_path / "taken.db", "exists already"),
    ):
        assert words in cli.fails("backup", str(target)).stderr
    assert (tmp_path / "taken.db").read_text() == ""


def test_restore_takes_a_backup_with_another_page_size(cli, database, tmp_path):
    """WAL refuses a copy that changes the page size (SQLite said "read-only")."""
    cli.ok("add", "Ana Alpha")
    other = tmp_path / "8k.db"
    cli.ok("backup", str(other))
    with sqlite3.connect(other) as connection:
        connection.execute("PRAGMA journal_mode = DELETE")
        connection.execute("PRAGMA page_size = 8192")
        connection.execute("VACUUM")
    connection.close()
    cli.ok("add", "Bruno Beta")
    cli.ok("restore", str(other), "--yes")
    assert [c["name"] for c in _listed(cli)] == ["Ana Alpha"]
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA page_size").fetchone()[0] == 8192
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    connection.close()


def _listed(cli):
    import json

    return json.loads(cli.ok("list", "--format", "json"))


def test_restore_refuses_what_is_not_a_sound_followup_database(cli, database, tmp_path):
    cli.ok("add", "Ana Alpha")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all")
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE t (x)")
    newer = tmp_path / "newer.db"
    shutil.copy(database, newer)
    with sqlite3.connect(newer) as connection:
        connection.execute(f"PRAGMA user_version = {migrations.SCHEMA_VERSION + 1}")
    for path, words in ((junk, "not an SQLite"), (other, "not a followup"), (newer, "newer")):
        assert words in cli.fails("restore", str(path), "--yes").stderr
    assert [c["name"] for c in _listed(cli)] == ["Ana Alpha"]


def test_the_first_released_schema_opens_with_every_row(cli, tmp_path):
    fixture = tmp_path / "v1.db"
    shutil.copy(Path(__file__).parent / "data" / "schema-v1.db", fixture)
    env = {"FOLLOWUP_DB": str(fixture)}
    ana = __import__("json").loads(cli.ok("show", "ana", "--format", "json", env=env))
    assert ana["email"] == "ana@example.com" and ana["tags"] == ["vip"]
    assert ana["cadence_days"] == 14 and ana["sales_total"] == 1200
    assert [t["date"] for t in ana["touchpoints"]] == ["2026-11-03", "2026-09-02"]
    assert ana["open_follow_ups"][0]["due_on"] == "2026-12-01"
    assert ana["referrals_made"][0]["referred"] == "Bruno Beta"
    assert "vip\t21" in cli.ok("cadence", env=env)
    figures = __import__("json").loads(cli.ok("stats", "--format", "json", env=env))
    assert (figures["sales_total"], figures["first_purchase_total"]) == (1200, 1200)
    assert figures["sales_per_buyer"] == 1200 and figures["referrals"] == 1
    with sqlite3.connect(fixture) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == (
            migrations.SCHEMA_VERSION
        )
        applied = connection.execute("SELECT name, applied_at FROM migrations ORDER BY rowid")
        names = [migrations.migration_name(step) for step in migrations.MIGRATIONS]
        records = list(applied)
        assert [name for name, _ in records] == names
        # Schema 1 here: 2 to 8 ran before the record was kept, 9 on kept it.
        assert [when is not None for _, when in records] == [False] * 8 + [True] * 3


def test_a_migration_backs_up_first(cli, database, monkeypatch):
    cli.ok("add", "Ana Alpha")

    def add_a_column(db):
        db.execute("ALTER TABLE customers ADD COLUMN nickname TEXT")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, add_a_column])
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", len(migrations.MIGRATIONS))
    cli.ok("list")
    before = len(migrations.MIGRATIONS) - 1
    kept = database.with_name(f"followup-schema{before}-2026-11-22.db")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    with sqlite3.connect(kept) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == before
        assert connection.execute("SELECT name FROM customers").fetchall() == [("Ana Alpha",)]


@pytest.mark.parametrize("damage", ["truncated", "not sqlite", "empty directory name"])
def test_damaged_or_impossible_files_give_one_line(cli, database, tmp_path, damage):
    cli.ok("add", "Ana Alpha")
    for _ in range(30):
        cli.ok("log", "ana", "x" * 2000)
    if damage == "truncated":
        data = database.read_bytes()
        database.write_bytes(data[: len(data) // 3])
        Path(f"{database}-wal").unlink(missing_ok=True)
    elif damage == "not sqlite":
        database.write_text("name,email\nAna,ana@example.com\n")
    else:
        database = tmp_path / "a-file.txt"
        database.write_text("x")
        database = database / "followup.db"  # a path under a regular file
    result = cli.fails("--db", str(database), "show", "ana")
    assert result.stderr.count("\n") == 1


def test_a_read_only_database_and_directory(tmp_path):
    """Root ignores file modes, so as root the file and its directory are made immutable."""
    place = tmp_path / "read-only"
    place.mkdir()
    database = place / "followup.db"
    followup = str(Path(sys.executable).with_name("followup"))
    env = env_for(database)
    subprocess.run([followup, "add", "Ana Alpha"], env=env, check=True, capture_output=True)
    locked = [database, place]
    if os.geteuid() == 0:
        made = subprocess.run(["chattr", "+i", *map(str, locked)], capture_output=True, check=False)
        if made.returncode != 0:
            pytest.skip(f"root without chattr here: {made.stderr!r}")
    else:
        database.chmod(0o444)
        place.chmod(0o555)
    try:
        before = database.read_bytes()
        result = subprocess.run(
            [followup, "log", "ana"], env=env, capture_output=True, text=True, check=False
        )
        assert result.returncode == 1, result
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
        assert "read" in result.stderr
        assert database.read_bytes() == before
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", *map(str, locked)], check=False)
        else:
            place.chmod(0o755)
            database.chmod(0o600)


def test_control_characters_are_shown_never_executed(cli, followup_executable, database):
    cli.ok("add", "Evil\x1b[2J\x1b]0;pwned\x07 Name", "--note", "bell\x07 and \x9b31m")
    listed = cli.ok("list")
    assert "\x1b" not in listed and "\x07" not in listed
    assert "Evil\\x1b[2J\\x1b]0;pwned\\x07 Name" in listed
    shown = cli.ok("show", "evil")
    assert "\x1b" not in shown and "\x9b" not in shown
    assert "\x1b" not in cli.ok("remind")
    assert "\\u001b" in cli.ok("list", "--format", "json")
