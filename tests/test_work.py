"""`followup work` through a real pseudo-terminal, keys and prompts as a person types them."""

import fcntl
import json
import os
import pty
import select
import signal
import sqlite3
import struct
import subprocess
import termios
import time

import pytest

from conftest import TODAY


class Terminal:
    """A command on a pseudo-terminal of 80 by 24, driven key by key."""

    def __init__(self, command: list[str], env: dict):
        self.leader, follower = pty.openpty()
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.process = subprocess.Popen(
            command,
            stdin=follower,
            stdout=follower,
            stderr=follower,
            env=env,
            start_new_session=True,
        )
        os.close(follower)
        self.seen = ""

    def expect(self, text: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.seen:
            assert time.monotonic() < deadline, f"waited for {text!r}; the screen:\n{self.seen}"
            ready, _, _ = select.select([self.leader], [], [], 0.2)
            if not ready:
                continue
            try:
                chunk = os.read(self.leader, 4096)
            except OSError:
                break
            self.seen += chunk.decode(errors="replace")
        assert text in self.seen, self.seen

    def type(self, keys: str) -> None:
        os.write(self.leader, keys.encode())

    def finish(self) -> int:
        code = self.process.wait(timeout=30)
        try:
            while chunk := os.read(self.leader, 4096):
                self.seen += chunk.decode(errors="replace")
        except OSError:
            pass
        os.close(self.leader)
        return code


@pytest.fixture
def book(tmp_path, followup_executable):
    env = {**os.environ, "FOLLOWUP_DB": str(tmp_path / "f.db"), "FOLLOWUP_TODAY": TODAY}
    for name, extra in (
        ("Ana Alpha", ["--phone", "+49 30 1111111", "--company", "Alpha Bakery"]),
        ("Bo Beta", []),
        ("Cy Cruz", []),
        ("Di Dent", []),
    ):
        subprocess.run([followup_executable, "add", name, *extra], env=env, check=True)
    return env


def _rows(env: dict, sql: str) -> list:
    with sqlite3.connect(env["FOLLOWUP_DB"]) as connection:
        return connection.execute(sql).fetchall()


def test_a_round_calls_skips_moves_and_quits(followup_executable, book):
    screen = Terminal([followup_executable, "work"], book)
    screen.expect("1 of 4   Ana Alpha, Alpha Bakery")
    screen.expect("why now: never contacted")
    screen.type("c")
    screen.expect("Note (Enter: none):")
    screen.type("happy with the bread\n")
    screen.expect("Next follow-up (Enter: none):")
    screen.type("someday\n")
    screen.expect("cannot read 'someday'")
    screen.type("2w\n")
    screen.expect("Referral, NAME [EMAIL]")
    screen.type("Gus Green gus@green.example\n")
    screen.expect("2 of 4   Bo Beta")
    screen.type("s")
    screen.expect("3 of 4   Cy Cruz")
    screen.type("l")
    screen.expect("Call back when?")
    screen.type("friday\n")
    screen.expect("4 of 4   Di Dent")
    screen.type("q")
    assert screen.finish() == 0
    assert "1 contacted, 2 follow-ups promised, 1 referral, 1 skipped" in screen.seen
    assert "Referral rate of the round: 100%" in screen.seen
    assert _rows(book, "SELECT customer_id, kind, note FROM touchpoints") == [
        (1, "call", "happy with the bread")
    ]
    assert _rows(book, "SELECT customer_id, due_on FROM followups ORDER BY id") == [
        (1, "2026-12-06"),
        (3, "2026-11-27"),
    ]
    assert _rows(book, "SELECT referrer_id, referred_id FROM referrals") == [(1, 5)]
    changes = _rows(book, "SELECT summary FROM changes ORDER BY id DESC LIMIT 2")
    assert [c[0] for c in changes] == [
        "work: call Cy Cruz later, on 2026-11-27",
        "work: call with Ana Alpha on 2026-11-22",
    ]
    for _ in range(2):  # the later, then the whole call with its note, promise and referral
        subprocess.run([followup_executable, "undo"], env=book, check=True, capture_output=True)
    assert _rows(book, "SELECT count(*) FROM touchpoints")[0][0] == 0
    assert _rows(book, "SELECT count(*) FROM followups")[0][0] == 0
    assert _rows(book, "SELECT count(*) FROM referrals")[0][0] == 0
    assert _rows(book, "SELECT count(*) FROM customers")[0][0] == 4  # Gus is gone too


def test_ctrl_c_in_the_middle_keeps_what_was_answered(followup_executable, book):
    screen = Terminal([followup_executable, "work"], book)
    screen.expect("1 of 4")
    screen.type("e")
    screen.expect("Note")
    screen.type("sent the spring prices\n")
    screen.expect("Next follow-up")
    os.killpg(screen.process.pid, signal.SIGINT)  # before the promise is answered
    assert screen.finish() == 130
    assert "interrupted after the change was saved" in screen.seen
    assert _rows(book, "SELECT customer_id, kind, note FROM touchpoints") == [
        (1, "email", "sent the spring prices")
    ]
    assert _rows(book, "SELECT count(*) FROM followups")[0][0] == 0
    attributes = termios.tcgetattr(0) if os.isatty(0) else None
    assert attributes is None or attributes[3] & termios.ICANON  # our own terminal untouched


def test_work_refuses_without_a_terminal(followup_executable, book):
    result = subprocess.run(
        [followup_executable, "work"],
        env=book,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 1
    assert "needs a terminal" in result.stderr and "followup due" in result.stderr
    assert (
        json.loads(
            subprocess.run(
                [followup_executable, "touchpoints", "-f", "json"],
                env=book,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        == []
    )
