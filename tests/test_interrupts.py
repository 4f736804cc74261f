"""Ctrl-C and kills at every fsync of a write, injected with strace: what followup says must
match what the database holds, and the database must hold all of a change or none of it.

strace's `inject=` delivers the signal as the N-th fdatasync/fsync is entered; N runs from 1
until the command finishes before reaching it.
"""

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import TODAY

pytestmark = pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed")

FOLLOWUP = str(Path(sys.executable).with_name("followup"))
MOST_SYNCS = 40


def _env(database: Path) -> dict:
    return {**os.environ, "FOLLOWUP_DB": str(database), "FOLLOWUP_TODAY": TODAY}


def _with_signal(signal_name: str, sync: int, args: list, database: Path):
    injection = f"inject=fdatasync,fsync:signal={signal_name}:when={sync}"
    return subprocess.run(
        [
            "strace",
            "-f",
            "-qq",
            "-o",
            "/dev/null",
            "-e",
            "trace=fdatasync,fsync",
            "-e",
            injection,
            FOLLOWUP,
            *map(str, args),
        ],
        env=_env(database),
        capture_output=True,
        text=True,
        timeout=120,
    )


def _count(database: Path, table: str) -> int:
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def _check_every_sync(tmp_path, prepare, args, changed) -> int:
    """Runs `args` once per fsync it makes, for each signal, each time on a copy of the
    book `prepare` made once; `changed(database)` says whether the change is in the
    database. Returns how many fsyncs were reached."""
    template = tmp_path / "template.db"
    prepare(template)
    with sqlite3.connect(template) as connection:  # the whole book in the main file
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    reached = 0
    for signal_name in ("INT", "KILL"):
        for sync in range(1, MOST_SYNCS + 1):
            database = tmp_path / f"{signal_name}-{sync}.db"
            shutil.copy(template, database)
            result = _with_signal(signal_name, sync, args, database)
            if result.returncode == 0 and "interrupted" not in result.stderr:
                break  # the command finished before its sync-th fsync
            reached = max(reached, sync)
            saved = changed(database)  # also checks integrity; none or all
            if signal_name == "KILL":
                assert result.returncode == -9, result
                continue
            assert result.returncode == 130, (sync, result)
            errors = [line for line in result.stderr.splitlines() if line.strip()]
            assert len(errors) == 1 and "Traceback" not in result.stderr, result.stderr
            if saved:
                assert "saved" in errors[0] and "nothing was changed" not in errors[0], sync
            else:
                assert "nothing was changed" in errors[0], sync
    return reached


def _book_with_ana(database: Path) -> None:
    subprocess.run([FOLLOWUP, "add", "Ana Alpha"], env=_env(database), check=True)


def test_log_interrupted_or_killed_at_every_fsync(tmp_path):
    def changed(database: Path) -> bool:
        return _count(database, "touchpoints") == 1

    reached = _check_every_sync(tmp_path, _book_with_ana, ["log", "ana", "called"], changed)
    assert reached >= 3


def test_import_interrupted_or_killed_at_every_fsync(tmp_path):
    rows = tmp_path / "rows.csv"
    rows.write_text(
        "name,email\n" + "".join(f"P {n},p{n}@x.example\n" for n in range(3000)),
        encoding="utf-8",
    )

    def changed(database: Path) -> bool:
        customers = _count(database, "customers")
        assert customers in (1, 3001), customers
        return customers == 3001

    reached = _check_every_sync(tmp_path, _book_with_ana, ["import", "customers", rows], changed)
    assert reached >= 3


def test_restore_interrupted_or_killed_at_every_fsync(tmp_path):
    source = tmp_path / "source.db"
    subprocess.run([FOLLOWUP, "add", "Bruno Backup"], env=_env(source), check=True)
    backup = tmp_path / "backup.db"
    subprocess.run([FOLLOWUP, "backup", backup], env=_env(source), check=True)

    def prepare(database: Path) -> None:
        _book_with_ana(database)

    def changed(database: Path) -> bool:
        with sqlite3.connect(database) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            names = [row[0] for row in connection.execute("SELECT name FROM customers")]
        assert names in (["Ana Alpha"], ["Bruno Backup"]), names
        return names == ["Bruno Backup"]

    reached = _check_every_sync(tmp_path, prepare, ["restore", backup, "--yes"], changed)
    assert reached >= 2
