"""The defects a hostile audit found (issue "Nothing lost, nothing misplaced, nothing
misreported"), one test each, through the CLI as a user or a script meets them. Each was seen
to fail before its fix."""

import json
import os
import pty
import signal
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import TODAY, on_a_terminal


def env_for(database: Path, **extra) -> dict:
    return {**os.environ, "FOLLOWUP_DB": str(database), "FOLLOWUP_TODAY": TODAY, **extra}


def run(followup: str, *args, env: dict, stdin=None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [followup, *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        stdin=stdin,
        timeout=60,
        **kwargs,
    )


def one_line_error(result) -> str:
    lines = result.stderr.splitlines()
    assert "Traceback" not in result.stderr, result.stderr
    assert len(lines) == 1 and lines[0].startswith("followup: "), result.stderr
    return lines[0]


def names(database: Path) -> list[str]:
    with sqlite3.connect(database) as connection:
        return [row[0] for row in connection.execute("SELECT name FROM customers ORDER BY id")]


# 1. No output path may be the database, its -wal or -shm, by name, symlink or hard link.


@pytest.mark.parametrize("how", ["name", "symlink", "hard link", "wal", "shm"])
def test_export_never_writes_over_the_database(cli, database, tmp_path, how):
    cli.ok("add", "Ana Alpha")
    target = {
        "name": database,
        "symlink": tmp_path / "link.csv",
        "hard link": tmp_path / "hard.csv",
        "wal": Path(f"{database}-wal"),
        "shm": Path(f"{database}-shm"),
    }[how]
    if how == "symlink":
        target.symlink_to(database)
    if how == "hard link":
        os.link(database, target)
    before = database.read_bytes()
    result = cli.fails("export", "customers", "-o", target)
    assert "database" in result.stderr
    assert database.read_bytes() == before
    assert names(database) == ["Ana Alpha"]


def test_backup_never_writes_over_the_database(cli, database, tmp_path):
    cli.ok("add", "Ana Alpha")
    link = tmp_path / "link.db"
    link.symlink_to(database)
    for target in (link, Path(f"{database}-wal")):
        cli.fails("backup", target)
    assert names(database) == ["Ana Alpha"]


def test_export_files_are_private_and_replace_the_old_one_whole(cli, tmp_path):
    cli.ok("add", "Ana Alpha")
    target = tmp_path / "out.csv"
    target.write_text("an older export\n")
    target.chmod(0o644)
    cli.ok("export", "customers", "-o", target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text().startswith("name,email")
    assert [
        p.name for p in tmp_path.iterdir() if "partial" in p.name or p.name.startswith(".")
    ] == []


def test_export_to_a_fifo_writes_it_directly(cli, tmp_path):
    cli.ok("add", "Ana Alpha")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE, text=True)
    cli.ok("export", "customers", "-o", fifo)
    assert "Ana Alpha" in reader.communicate(timeout=10)[0]


# 2, 3. --db and FOLLOWUP_DB are plain paths, never URIs, never empty.


@pytest.mark.parametrize("given", [":memory:", "file:memdb?mode=memory", "file:uri.db"])
def test_db_is_a_plain_path_never_a_uri(followup_executable, tmp_path, given):
    env = env_for(tmp_path / "unused.db")
    result = run(followup_executable, "--db", given, "add", "Xavier", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / given).is_file()
    assert names(tmp_path / given) == ["Xavier"]
    assert not (tmp_path / "uri.db").exists() or given == "uri.db"


@pytest.mark.parametrize("where", ["option", "environment"])
def test_an_empty_db_is_a_usage_error(cli, database, where):
    cli.ok("add", "Real Person")
    if where == "option":
        result = cli.fails("--db", "", "delete", "Real Person", "--yes", code=2)
    else:
        result = cli.fails("delete", "Real Person", "--yes", code=2, env={"FOLLOWUP_DB": ""})
    assert "empty" in result.stderr
    assert names(database) == ["Real Person"]


# 4. Every file followup turns into a book is 0600; missing parents get no group/other write.


def test_an_existing_empty_file_becomes_a_private_book(cli, tmp_path):
    book = tmp_path / "crm.db"
    book.touch(mode=0o644)
    book.chmod(0o644)
    cli.ok("--db", book, "add", "Secret")
    assert stat.S_IMODE(book.stat().st_mode) == 0o600


def test_a_book_made_through_a_dangling_symlink_is_private(cli, tmp_path):
    target = tmp_path / "real.db"
    link = tmp_path / "link.db"
    link.symlink_to(target)
    cli.ok("--db", link, "add", "Secret")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_default_directories_are_not_world_writable_under_umask_000(followup_executable, tmp_path):
    home = tmp_path / "home"
    env = {**env_for(tmp_path / "x.db"), "XDG_DATA_HOME": str(home / ".local" / "share")}
    env.pop("FOLLOWUP_DB")
    code = "import os, sys; os.umask(0); os.execv(sys.argv[1], sys.argv[1:])"
    subprocess.run(
        [sys.executable, "-c", code, followup_executable, "add", "Ana"], env=env, check=True
    )
    for directory in (home / ".local", home / ".local" / "share"):
        assert stat.S_IMODE(directory.stat().st_mode) & 0o022 == 0, directory
    assert stat.S_IMODE((home / ".local" / "share" / "followup").stat().st_mode) == 0o700


# 5. Ctrl-C once the commit has begun is reported as saved, not as "nothing was changed".


def test_an_interrupt_after_the_change_is_saved_says_so(followup_executable, tmp_path):
    """SIGINT arriving while `log` writes its commit (injected by a sitecustomize that
    raises it right after COMMIT returns) must not say that nothing was changed."""
    database = tmp_path / "f.db"
    env = env_for(database)
    run(followup_executable, "add", "Ana Alpha", env=env)
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(
        "import os, signal, sqlite3\n"
        "from followup_cli.store import Store\n"
        "original = Store.transaction\n"
        "import contextlib\n"
        "@contextlib.contextmanager\n"
        "def transaction(self, *args, **kwargs):\n"
        "    with original(self, *args, **kwargs):\n"
        "        yield\n"
        "    os.kill(os.getpid(), signal.SIGINT)\n"
        "Store.transaction = transaction\n"
    )
    result = run(followup_executable, "log", "ana", "called", env={**env, "PYTHONPATH": str(hook)})
    assert result.returncode == 130
    line = one_line_error(result)
    assert "saved" in line and "nothing was changed" not in line
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT count(*) FROM touchpoints").fetchone()[0] == 1


# 6. An early Ctrl-C: one line, exit 130, no traceback.


@pytest.mark.parametrize(
    ("words", "module"),
    [(["due"], "followup_cli.cli.quick"), (["due", "--help"], "typer")],
    ids=["quick path", "typer path"],
)
def test_an_interrupt_while_starting_is_one_line(followup_executable, tmp_path, words, module):
    env = {**env_for(tmp_path / "f.db"), "PYTHONPATH": str(tmp_path)}
    (tmp_path / "sitecustomize.py").write_text(
        "import builtins, os, signal\n"
        "real = builtins.__import__\n"
        "def interrupting(name, *args, **kwargs):\n"
        f"    if name == {module!r}:\n"
        "        os.kill(os.getpid(), signal.SIGINT)\n"
        "    return real(name, *args, **kwargs)\n"
        "builtins.__import__ = interrupting\n"
    )
    result = run(followup_executable, *words, env=env)
    assert result.returncode == 130
    assert "interrupted" in one_line_error(result)


# 8, 9. Non-regular files are read once, before the lock; endless input is refused.


def test_a_fifo_is_imported_without_hanging(cli, followup_executable, database, tmp_path):
    fifo = tmp_path / "contacts"
    os.mkfifo(fifo)
    writer = subprocess.Popen(["sh", "-c", f"printf 'name,email\\nAna,ana@x.example\\n' > {fifo}"])
    result = run(followup_executable, "import", "customers", fifo, env=env_for(database))
    writer.wait(timeout=10)
    assert result.returncode == 0, result.stderr
    assert names(database) == ["Ana"]


def test_dev_stdin_from_a_pipe_is_read_whole_and_once(followup_executable, database, tmp_path):
    """A file with a date column is surveyed first; a pipe can be read only once."""
    source = tmp_path / "c.csv"
    source.write_text(
        "name,email,last contact\nAna,ana@x.example,2026-11-01\nBo,bo@x.example,02/11/2026\n"
        "Cy,cy@x.example,25/10/2026\n"
    )
    result = subprocess.run(
        f"cat {source} | {followup_executable} import customers /dev/stdin",
        shell=True,
        env=env_for(database),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert names(database) == ["Ana", "Bo", "Cy"]


def test_endless_input_is_refused_in_one_line_with_bounded_memory(followup_executable, tmp_path):
    database = tmp_path / "f.db"
    code = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024\n"
        "print(done.returncode, peak)\n"
        "sys.stderr.write(done.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, followup_executable, "import", "customers", "/dev/zero"],
        env=env_for(database),
        capture_output=True,
        text=True,
        timeout=120,
    )
    returncode, peak_mb = map(int, result.stdout.split())
    assert returncode == 1
    one_line_error(result)
    assert peak_mb < 300


@pytest.mark.parametrize("header", ["name,email\n", ""])
def test_a_huge_line_without_an_end_is_refused(cli, tmp_path, header):
    path = tmp_path / "one-line.csv"
    with path.open("w") as handle:
        handle.write(header)
        handle.write("x," * (9 * 1024 * 1024))
    result = cli.fails("import", "customers", path)
    assert f"line {2 if header else 1}" in result.stderr
    assert "unexpected" not in result.stderr


def test_a_1_mib_cell_is_a_rejected_row_not_a_refused_file(cli, tmp_path):
    path = tmp_path / "big.csv"
    path.write_text(f"name,email,notes\nAna,ana@x.example,{'n' * 1024 * 1024}\nBo,bo@x.example,\n")
    result = cli("import", "customers", path, "--skip-invalid", "--format", "json")
    report = json.loads(result.stdout)
    assert (report["created"], report["rejected"]) == (1, 1)
    assert report["problems"][0]["line"] == 2


# 10. A quote left open at the end of the file is a rejected record where it starts.


def test_an_unclosed_quote_is_a_rejected_record(cli, database, tmp_path):
    path = tmp_path / "quote.csv"
    path.write_text(
        "name,email\nFirst,first@x.example\n"
        '"Open Quote,oq@x.example,never closed\nNormal,n@x.example\n'
    )
    result = cli.fails("import", "customers", path, lists_problems=True)
    assert "line 3:" in result.stderr and "quote" in result.stderr
    assert names(database) == []


# 11. One line, never "unexpected error".


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["show", "99999999999999999999999"], {}),
        (["edit", "99999999999999999999999", "--note", "x"], {}),
        (["delete", "99999999999999999999999", "--yes"], {}),
        (["log", "99999999999999999999999"], {}),
        (["referrals", "--from", "99999999999999999999999"], {}),
        (["due", "--limit", "99999999999999999999999"], {}),
        (["remind", "--limit", "99999999999999999999999"], {}),
        (["due", "--as-of", "0001-01-01"], {}),
        (["stats", "--as-of", "0001-01-01"], {}),
        (["due"], {"FOLLOWUP_TODAY": "0001-01-01"}),
        (["schedule", "ana", "9999-12-31"], {}),
        (["import", "customers", "-", "--encoding", "rot13"], {}),
        (["import", "customers", "-", "--encoding", "base64"], {}),
        (["import", "customers", "-", "--encoding", "hex"], {}),
        (["import", "customers", "-", "--encoding", "punycode"], {}),
        (["remind", "--limit", "-1"], {}),
    ],
)
def test_bad_input_is_one_line_never_an_unexpected_error(cli, args, env):
    cli.ok("add", "Ana Alpha")
    result = cli(*args, input="name,email\nBo,bo@x.example\n", env=env)
    assert result.exit_code in (1, 2), (result.exit_code, result.output)
    assert "unexpected error" not in result.stderr
    assert "Traceback" not in result.output
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert [c["name"] for c in json.loads(cli.ok("list", "--format", "json"))] == ["Ana Alpha"]


def test_29_february_without_a_year_is_the_nearest_one_that_exists(cli):
    cli.ok("add", "Ana Alpha")
    assert "on 2024-02-29" in cli.ok("log", "ana", "--date", "feb 29")
    assert "on 2028-02-29" in cli.ok("schedule", "ana", "02/29")


def test_an_empty_file_name_is_named_as_such(cli):
    result = cli.fails("import", "customers", "")
    assert "is a directory" not in result.stderr and "file" in result.stderr


def test_remind_refuses_a_negative_limit_even_with_promises_due(cli):
    cli.ok("add", "Ana Alpha")
    cli.ok("schedule", "ana", "today")
    assert "--limit" in cli.fails("remind", "--limit", "-1", code=2).stderr


def test_a_far_promise_cannot_break_the_calendar_export(cli):
    cli.ok("add", "Ana Alpha")
    cli.fails("schedule", "ana", "9999-12-31")
    cli.ok("schedule", "ana", "2099-12-31")
    assert "BEGIN:VCALENDAR" in cli.ok("export", "followups", "--format", "ics")


def test_closed_standard_streams(followup_executable, database):
    env = env_for(database)
    run(followup_executable, "add", "Ana Alpha", env=env)
    closed_in = subprocess.run(
        f"{followup_executable} import customers - <&-",
        shell=True,
        env=env,
        capture_output=True,
        text=True,
    )
    assert closed_in.returncode == 1
    assert "unexpected" not in one_line_error(closed_in)
    closed_out = subprocess.run(
        f"{followup_executable} list >&-", shell=True, env=env, capture_output=True, text=True
    )
    assert closed_out.returncode == 1
    assert "unexpected" not in one_line_error(closed_out)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
def test_a_full_stdout_is_one_line(followup_executable, database):
    env = env_for(database)
    run(followup_executable, "add", "Ana Alpha", env=env)
    with Path("/dev/full").open("w") as full:
        result = subprocess.run(
            [followup_executable, "list"], env=env, stdout=full, stderr=subprocess.PIPE, text=True
        )
    assert result.returncode == 1
    line = one_line_error(result)
    assert "space" in line and "unexpected" not in line


def test_an_ascii_only_output_gets_escapes_not_a_crash(followup_executable, database):
    env = env_for(database)
    run(followup_executable, "add", "Zoë Müller", env=env)
    result = run(followup_executable, "remind", env={**env, "PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0, result.stderr
    assert "Zo\\xeb M\\xfcller" in result.stdout


def test_a_pipe_closed_early_is_no_error(followup_executable, database):
    env = env_for(database)
    run(followup_executable, "add", "Ana Alpha", env=env)
    with sqlite3.connect(database) as connection:
        connection.executemany(
            "INSERT INTO customers (name, name_key, created_on) VALUES (?, ?, '2026-11-22')",
            [(f"More {n}", f"more {n}") for n in range(20_000)],
        )
    result = subprocess.run(
        f"{followup_executable} list | head -1; exit ${{PIPESTATUS[0]}}",
        shell=True,
        executable="/bin/bash",
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_columns_0_still_prints(followup_executable, database):
    env = env_for(database)
    run(followup_executable, "add", "Ana Alpha", env=env)
    seen = on_a_terminal([followup_executable, "list"], {**env, "COLUMNS": "0"}, input_too=False)
    assert "Ana" in seen


# 12. restore checks the whole schema, and replaces a damaged book after keeping it aside.


def test_restore_refuses_a_backup_that_lacks_tables(cli, database, tmp_path):
    cli.ok("add", "Ana Alpha")
    backup = tmp_path / "b.db"
    cli.ok("backup", backup)
    with sqlite3.connect(backup) as connection:
        connection.execute("DROP TABLE referrals")
        connection.execute("DROP TABLE followups")
    result = cli.fails("restore", backup, "--yes")
    assert "followups" in result.stderr or "schema" in result.stderr
    cli.ok("due")


def test_restore_replaces_a_damaged_book_and_keeps_it_aside(cli, database, tmp_path):
    cli.ok("add", "Ana Alpha")
    backup = tmp_path / "b.db"
    cli.ok("backup", backup)
    database.write_bytes(b"garbage that is not a database" * 100)
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    assert "restore a backup" in cli.fails("list").stderr
    out = cli.ok("restore", backup, "--yes")
    assert "damaged" in out
    assert [c["name"] for c in json.loads(cli.ok("list", "--format", "json"))] == ["Ana Alpha"]
    kept = [p for p in tmp_path.iterdir() if "damaged" in p.name]
    assert kept and kept[0].read_bytes().startswith(b"garbage")


def test_restore_refuses_the_database_itself(cli, database, tmp_path):
    cli.ok("add", "Ana Alpha")
    link = tmp_path / "same.db"
    link.symlink_to(database)
    for source in (database, link):
        assert "database itself" in cli.fails("restore", source, "--yes").stderr
    assert not list(tmp_path.glob("*before-restore*"))


# 13. A killed backup leaves nothing that blocks the next one.


def test_a_stale_partial_backup_does_not_block_the_next(cli, database, tmp_path):
    cli.ok("add", "Ana Alpha")
    target = tmp_path / "bk" / "b.db"
    target.parent.mkdir()
    (target.parent / ".b.db.partial").write_bytes(b"left by a killed backup")
    cli.ok("backup", target)
    assert [p.name for p in target.parent.iterdir()] == ["b.db"]


# 14. A book left out of WAL goes back to WAL; a read-only run's -shm does not block writes.


def test_a_book_left_out_of_wal_returns_to_it(cli, database):
    cli.ok("add", "Ana Alpha")
    with sqlite3.connect(database) as connection:
        connection.execute("PRAGMA journal_mode = DELETE")
    cli.ok("list")
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_read_only_shm_left_behind_does_not_block_writes(cli, database):
    cli.ok("add", "Ana Alpha")
    shm = Path(f"{database}-shm")
    with sqlite3.connect(database) as connection:  # keeps -shm while we look
        connection.execute("SELECT 1").fetchone()
    if not shm.exists():
        shm.write_bytes(b"")
    shm.chmod(0o400)
    cli.ok("log", "ana", "call")


# 15. The formula guard covers every CSV we print.


@pytest.mark.parametrize(
    "command",
    [
        ["list", "--format", "csv"],
        ["due", "--all", "--format", "csv"],
        ["pitch", "--format", "csv"],
        ["agenda", "--format", "csv"],
        ["referrals", "--format", "csv"],
    ],
)
def test_every_csv_we_print_is_guarded_unless_raw(cli, command):
    cli.ok("add", '=HYPERLINK("http://evil.example","x")')
    cli.ok("add", "Ana Alpha")
    cli.ok("schedule", "1", "tomorrow", "=cmd|calc")
    cli.ok("refer", "1", "Ana Alpha")
    guarded = cli.ok(*command)
    assert "=HYPERLINK" not in guarded.replace("'=HYPERLINK", "") and "'=" in guarded
    assert "=HYPERLINK" in cli.ok(*command, "--raw").replace("'=HYPERLINK", "x")


# 16. Carriage returns and bidi controls are neutralised on a terminal.


def test_carriage_returns_and_bidi_controls_are_shown_not_obeyed(followup_executable, tmp_path):
    env = env_for(tmp_path / "f.db")
    run(followup_executable, "add", "Bidi \u202egnp.exe\u202c Name", env=env)
    run(followup_executable, "log", "1", "line one\rOVERWRITE", env=env)
    for command in (["list"], ["export", "touchpoints"], ["show", "1"]):
        text = on_a_terminal([followup_executable, *command], env, input_too=False)
        assert "\u202e" not in text and "\u202c" not in text, command
        assert "one\rOVER" not in text, command


# Small ones.


def test_remind_limit_0_lists_everyone(cli):
    for number in range(12):
        cli.ok("add", f"Person {number:02d}")
    out = cli.ok("remind", "--limit", "0")
    assert out.count("never contacted") == 12


def test_ctrl_c_at_a_prompt_exits_130(followup_executable, tmp_path):
    env = env_for(tmp_path / "f.db")
    run(followup_executable, "add", "Ana Alpha", env=env)
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [followup_executable, "delete", "ana"],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
    )
    os.close(follower)
    seen = b""
    while b"?" not in seen:
        seen += os.read(leader, 1024)
    process.send_signal(signal.SIGINT)  # what Ctrl-C sends
    assert process.wait(timeout=30) == 130
    os.close(leader)
    assert names(tmp_path / "f.db") == ["Ana Alpha"]


def test_blank_lines_before_the_header_are_passed_over(cli, tmp_path):
    path = tmp_path / "blank.csv"
    path.write_text("\n" * 100_000 + "name,email\nAna,ana@x.example\n")
    report = json.loads(cli.ok("import", "customers", path, "--format", "json"))
    assert report["created"] == 1


def test_dev_null_as_the_book_is_refused_plainly(cli):
    result = cli.fails("--db", "/dev/null", "add", "Ana")
    assert "not a regular file" in result.stderr


# 7. A full disk is named as such; reads, and a backup to another disk, still work.


@pytest.fixture
def small_disk(tmp_path):
    """A 1 MiB filesystem of its own (tmpfs); mounting needs root."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small filesystem needs root")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def test_a_full_disk_is_named_and_reads_still_work(followup_executable, small_disk, tmp_path):
    database = small_disk / "f.db"
    env = env_for(database)
    assert run(followup_executable, "add", "Ana Alpha", env=env).returncode == 0
    filler = small_disk / "filler"
    with filler.open("wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 4096)
        except OSError:
            pass
    result = run(followup_executable, "log", "ana", "x" * 60_000, env=env)
    assert result.returncode == 1
    line = one_line_error(result)
    assert "full" in line and "rollback" not in line
    listed = run(followup_executable, "list", "--format", "json", env=env)
    assert listed.returncode == 0, listed.stderr
    assert [c["name"] for c in json.loads(listed.stdout)] == ["Ana Alpha"]
    backup = tmp_path / "elsewhere.db"
    assert run(followup_executable, "backup", backup, env=env).returncode == 0
    assert names(backup) == ["Ana Alpha"]
