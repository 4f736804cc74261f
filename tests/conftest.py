"""Every test runs the CLI as a user would, against its own SQLite file in a temp dir.

FOLLOWUP_DB points at tmp_path and FOLLOWUP_TODAY pins the date, so no test can touch a real
database or depend on the day it runs.
"""

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from typer.testing import CliRunner

from followup_cli.cli.app import app

TODAY = "2026-11-22"


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("FOLLOWUP_DB", str(tmp_path / "followup.db"))
    monkeypatch.setenv("FOLLOWUP_TODAY", TODAY)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    for name in ("FOLLOWUP_DATE_ORDER", "FOLLOWUP_DEBUG", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def database(tmp_path) -> Path:
    return tmp_path / "followup.db"


class Cli:
    """Runs `followup ARGS...` in-process; `ok` also insists on success and returns stdout."""

    def __init__(self):
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None, env: dict | None = None):
        return self.runner.invoke(app, [str(arg) for arg in args], input=input, env=env)

    def ok(self, *args: str, **kwargs) -> str:
        result = self(*args, **kwargs)
        assert result.exit_code == 0, f"exit {result.exit_code}: {result.stderr}{result.exception}"
        return result.stdout

    def fails(self, *args: str, code: int = 1, lists_problems: bool = False, **kwargs):
        """A failure: no traceback, and one line on stderr (after the `line N: reason`
        list of an import, when `lists_problems`)."""
        result = self(*args, **kwargs)
        assert result.exit_code == code, f"exit {result.exit_code}: {result.stdout}"
        assert "Traceback" not in result.output
        lines = result.stderr.splitlines()
        assert lines and lines[-1].startswith("followup: "), result.stderr
        if lists_problems:
            assert all(line.startswith("line ") for line in lines[:-1]), result.stderr
        else:
            assert len(lines) == 1, result.stderr
        return result


@pytest.fixture
def cli() -> Cli:
    return Cli()


@pytest.fixture(scope="session")
def followup_executable() -> str:
    """The installed console script, for tests that need a real process (pipes, cron)."""
    return str(Path(sys.executable).with_name("followup"))


@pytest.fixture
def bare_env(tmp_path) -> dict:
    """Roughly what cron gives a job: no LANG, a minimal PATH."""
    return {"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", str(tmp_path))}


def on_a_terminal(
    command: list[str],
    env: dict,
    columns: int = 80,
    rows: int = 50,
    input_too: bool = True,
    **run,
) -> str:
    """What a person would see: the command's output is a pseudo-terminal of that size (and
    its input, unless `input_too` is False: then only stdout is a terminal). `run` goes to
    subprocess.run (cwd=, check=False)."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    streams = {"stdin": follower, "stderr": follower} if input_too else {}
    run = {"check": True, **run}
    try:
        subprocess.run(command, stdout=follower, env=env, timeout=60, **streams, **run)
    finally:
        os.close(follower)
    seen = b""
    try:
        while chunk := os.read(leader, 65536):
            seen += chunk
    except OSError:  # the terminal is closed once its output is drained
        pass
    os.close(leader)
    return seen.decode(errors="replace")
