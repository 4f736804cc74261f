"""remind: the daily digest, as cron runs it."""

import json
import os
import sqlite3
import subprocess
import time


def test_silent_when_there_is_nothing_to_do(cli):
    cli.ok("add", "Ana Alpha")
    cli.ok("log", "ana")
    assert cli.ok("remind") == ""
    assert cli.ok("remind", "--format", "json") == ""
    assert "Nothing to do" in cli.ok("remind", "--always")


def build(cli):
    cli.ok("add", "Ana Alpha")
    cli.ok("add", "Bruno Beta")
    cli.ok("add", "Carla Cruz")
    cli.ok("add", "Dora Dent")
    env_then = {"FOLLOWUP_TODAY": "2026-11-10"}
    cli.ok("log", "ana", "--next", "2026-11-19", "quote", env=env_then)
    cli.ok("log", "bruno", "--next", "2026-11-22", env=env_then)
    cli.ok("log", "carla", "--date", "2026-09-01")
    cli.ok("log", "dora")
    cli.ok("refer", "dora", "Eve Ek", "--date", "2026-11-20")
    cli.ok("refer", "dora", "Finn Fo", "--date", "2026-11-01")


def test_digest_sections_in_order(cli):
    build(cli)
    lines = cli.ok("remind").splitlines()
    assert lines[0] == "followup: what to do on Sunday 2026-11-22"
    text = "\n".join(lines)
    assert text.index("Overdue follow-ups (1)") < text.index("Follow-ups due today (1)")
    assert "  Ana Alpha (3 days overdue): quote" in lines
    assert "  Bruno Beta (today)" in lines
    stale = lines[lines.index("Not heard from you in a while (1)") + 1]
    assert stale.startswith("  Carla Cruz: 82 days since last call")
    assert "  Dora Dent referred Eve Ek on 2026-11-20 (followup thank 4)" in lines
    assert "Finn Fo" not in text  # older than a week
    assert all(len(line) < 100 for line in lines)


def test_json_and_markdown(cli):
    build(cli)
    digest = json.loads(cli.ok("remind", "--format", "json"))
    assert digest["overdue"][0]["customer"] == "Ana Alpha"
    assert digest["overdue"][0]["days_late"] == 3
    assert [r["name"] for r in digest["stale"]] == ["Carla Cruz"]
    assert [r["referred"] for r in digest["referrals_to_thank"]] == ["Eve Ek"]
    markdown = cli.ok("remind", "--format", "markdown")
    assert markdown.startswith("# followup") and "\n## Overdue follow-ups (1)\n- Ana" in markdown
    cli.ok("thank", "dora")
    assert "Eve Ek" not in cli.ok("remind")


def test_long_lines_are_cut_under_100(cli):
    cli.ok("add", "A" * 150)
    lines = cli.ok("remind").splitlines()
    assert lines and all(len(line) < 100 for line in lines)
    assert any(line.endswith("...") for line in lines)


def test_cron_bare_environment_gives_the_same_bytes(cli, followup_executable, database, bare_env):
    cli.ok("add", "Zoë Müller-Ñandú")
    cli.ok("add", "Ωmega 東京")
    env = {**bare_env, "FOLLOWUP_TODAY": "2026-11-22"}
    args = [followup_executable, "--db", str(database), "remind"]
    cron = subprocess.run(args, capture_output=True, env=env, check=False)
    shell = subprocess.run(
        args,
        capture_output=True,
        check=False,
        env={**os.environ, "FOLLOWUP_TODAY": "2026-11-22", "LANG": "C.UTF-8"},
    )
    assert cron.returncode == 0, cron.stderr
    assert cron.stdout == shell.stdout
    assert "Zoë Müller-Ñandú: never contacted" in cron.stdout.decode("utf-8")
    assert b"\x1b[" not in cron.stdout and cron.stderr == b""


def test_a_locked_database_fails_promptly_in_one_line(cli, followup_executable, database):
    cli.ok("add", "Ana Alpha")
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        env = {**os.environ, "FOLLOWUP_BUSY_TIMEOUT": "0.5", "FOLLOWUP_DB": str(database)}
        started = time.monotonic()
        result = subprocess.run(
            [followup_executable, "remind"],
            capture_output=True,
            text=True,
            env=env,
            timeout=30,
            check=False,
        )
        elapsed = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "locked" in result.stderr
    assert elapsed < 5
