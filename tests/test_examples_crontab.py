"""examples/crontab's lines run as cron runs them: sh, a bare environment, the output mailed
only when there is any."""

import shlex
import shutil
import subprocess
from pathlib import Path

EXAMPLES = Path(__file__).parent.parent / "examples"
MAILDIR = Path(__file__).parent / "data" / "mail" / "Maildir"


def test_the_nightly_mail_import_prints_nothing_and_adds_nothing_twice(
    tmp_path, bare_env, followup_executable
):
    line = next(
        text for text in (EXAMPLES / "crontab").read_text().splitlines() if "import mail" in text
    )
    command = " ".join(line.split()[5:])  # after the five schedule fields
    database = tmp_path / "book.db"
    maildir = tmp_path / "Maildir" / ".Sent"
    shutil.copytree(MAILDIR, maildir)
    command = (
        command.replace("/home/you/.local/bin/followup", shlex.quote(followup_executable))
        .replace("/home/you/.local/share/followup/followup.db", shlex.quote(str(database)))
        .replace("/home/you/Maildir/.Sent", shlex.quote(str(maildir)))
    )
    env = {**bare_env, "FOLLOWUP_TODAY": "2026-11-22"}
    subprocess.run(
        [followup_executable, "--db", database, "add", "Bo Berg", "--email", "bo@berg.example"],
        env=env,
        check=True,
        capture_output=True,
    )
    for _ in range(2):
        ran = subprocess.run(["/bin/sh", "-c", command], env=env, capture_output=True)
        assert (ran.returncode, ran.stdout, ran.stderr) == (0, b"", b"")
    out = subprocess.run(
        [followup_executable, "--db", database, "export", "touchpoints"],
        env=env,
        check=True,
        capture_output=True,
    ).stdout.decode()
    assert out.count("Order 2231") == 1


def test_the_nightly_phone_import_prints_nothing_and_adds_nothing_twice(
    tmp_path, bare_env, followup_executable
):
    line = next(
        text for text in (EXAMPLES / "crontab").read_text().splitlines() if "import phone" in text
    )
    command = " ".join(line.split()[5:])
    database, folder = tmp_path / "book.db", tmp_path / "SMSBackup"
    shutil.copytree(Path(__file__).parent / "data" / "phone", folder)
    command = (
        command.replace("/home/you/.local/bin/followup", shlex.quote(followup_executable))
        .replace("/home/you/.local/share/followup/followup.db", shlex.quote(str(database)))
        .replace("/home/you/Sync/SMSBackup", shlex.quote(str(folder)))
    )
    env = {**bare_env, "FOLLOWUP_TODAY": "2026-11-22"}
    subprocess.run(
        [followup_executable, "--db", database, "add", "Bo Beta", "--phone", "030 2222222"],
        env=env,
        check=True,
        capture_output=True,
    )
    for _ in range(2):
        ran = subprocess.run(["/bin/sh", "-c", command], env=env, capture_output=True)
        assert (ran.returncode, ran.stdout, ran.stderr) == (0, b"", b"")
    out = subprocess.run(
        [followup_executable, "--db", database, "export", "touchpoints"],
        env=env,
        check=True,
        capture_output=True,
    ).stdout.decode()
    assert out.count("incoming call, 1 min") == 1 and out.count("Got them, thanks") == 1
