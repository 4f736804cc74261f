"""examples/crontab's lines run as cron runs them: sh, a bare environment, the output mailed
only when there is any."""

import shlex
import shutil
import subprocess
from pathlib import Path

EXAMPLES = Path(__file__).parent.parent / "examples"
MAILDIR = Path(__file__).parent / "data" / "mail" / "Maildir"


def _run_twice_as_cron(keyword, folder, data, customer, env, followup_executable) -> str:
    """The crontab line naming `keyword`, with its paths pointed at copies under `folder`,
    run twice by sh; each run must print nothing. Returns the touchpoints export."""
    line = next(text for text in (EXAMPLES / "crontab").read_text().splitlines() if keyword in text)
    command = " ".join(line.split()[5:])  # after the five schedule fields
    database = folder / "book.db"
    command = command.replace("/home/you/.local/bin/followup", shlex.quote(followup_executable))
    command = command.replace(
        "/home/you/.local/share/followup/followup.db", shlex.quote(str(database))
    )
    for written, copy in data.items():
        command = command.replace(written, shlex.quote(str(copy)))
    run = [followup_executable, "--db", database]
    subprocess.run([*run, "add", *customer], env=env, check=True, capture_output=True)
    for _ in range(2):
        ran = subprocess.run(["/bin/sh", "-c", command], env=env, capture_output=True)
        assert (ran.returncode, ran.stdout, ran.stderr) == (0, b"", b"")
    exported = subprocess.run(
        [*run, "export", "touchpoints"], env=env, check=True, capture_output=True
    )
    return exported.stdout.decode()


def test_the_nightly_mail_import_prints_nothing_and_adds_nothing_twice(
    tmp_path, bare_env, followup_executable
):
    maildir = tmp_path / "Maildir" / ".Sent"
    shutil.copytree(MAILDIR, maildir)
    out = _run_twice_as_cron(
        "import mail",
        tmp_path,
        {"/home/you/Maildir/.Sent": maildir},
        ["Bo Berg", "--email", "bo@berg.example"],
        {**bare_env, "FOLLOWUP_TODAY": "2026-11-22"},
        followup_executable,
    )
    assert out.count("Order 2231") == 1


def test_the_nightly_phone_import_prints_nothing_and_adds_nothing_twice(
    tmp_path, bare_env, followup_executable
):
    folder = tmp_path / "SMSBackup"
    shutil.copytree(Path(__file__).parent / "data" / "phone", folder)
    out = _run_twice_as_cron(
        "import phone",
        tmp_path,
        {"/home/you/Sync/SMSBackup": folder},
        ["Bo Beta", "--phone", "030 2222222"],
        {**bare_env, "FOLLOWUP_TODAY": "2026-11-22"},
        followup_executable,
    )
    assert out.count("incoming call, 1 min") == 1 and out.count("Got them, thanks") == 1


def test_the_team_push_prints_nothing_and_sends_the_book(tmp_path, bare_env, followup_executable):
    share = tmp_path / "share"
    share.mkdir()
    env = {**bare_env, "FOLLOWUP_TODAY": "2026-11-22"}

    def followup(book: Path, *args) -> str:
        run = [followup_executable, "--db", book, *args]
        return subprocess.run(run, env=env, check=True, capture_output=True).stdout.decode()

    followup(tmp_path / "book.db", "team", "join", share, "--as", "ana")
    _run_twice_as_cron("team push", tmp_path, {}, ["Bo Berg"], env, followup_executable)
    copy = tmp_path / "copy.db"
    followup(copy, "team", "restore", "ana", "--from", share)
    assert "Bo Berg" in followup(copy, "list")
