"""The README's console examples, run as they are written: each command in a terminal 80
columns wide, its output compared line by line with the lines under it, so that the README
cannot drift from the program (Datasette tests its documentation the same way).

A comment before each ```console block says where it runs: `<!-- console: demo -->` on the
book `make demo` loads (today 2026-11-24), `<!-- console: new book -->` on an empty one,
from examples/; `<!-- console: not run (why) -->` for what needs a person at the keys. An
expected line ending in "..." matches any line that starts with what comes before it.
"""

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import on_a_terminal

ROOT = Path(__file__).parent.parent
DEMO_TODAY = "2026-11-24"
BLOCK = re.compile(r"(?:<!-- console: ([^>]*) -->\n)?```console\n(.*?)```", re.DOTALL)
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _blocks() -> list[tuple[str, str, int]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [
        (where or "", body, text[: found.start()].count("\n") + 1)
        for found in BLOCK.finditer(text)
        for where, body in [found.groups()]
    ]


def _transcript(body: str) -> list[tuple[str, list[str]]]:
    steps: list[tuple[str, list[str]]] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        else:
            steps[-1][1].append(line)
    return steps


@pytest.fixture(scope="module")
def demo_book(tmp_path_factory, followup_executable) -> Path:
    """Built once for the module as `make demo` builds it; each block gets a copy."""
    book = tmp_path_factory.mktemp("demo") / "followup.db"
    env = {**os.environ, "FOLLOWUP_DB": str(book), "FOLLOWUP_TODAY": DEMO_TODAY}
    subprocess.run(
        ["sh", str(ROOT / "examples" / "demo.sh"), followup_executable],
        env=env,
        check=True,
        capture_output=True,
    )
    return book


def test_every_console_block_says_where_it_runs():
    unmarked = [line for where, _, line in _blocks() if not where]
    assert unmarked == [], "README console blocks without a <!-- console: ... --> comment"


@pytest.mark.parametrize(
    ("where", "body"),
    [(where, body) for where, body, _ in _blocks() if where in ("demo", "new book")],
    ids=[f"line {line}" for where, _, line in _blocks() if where in ("demo", "new book")],
)
def test_the_readme_example_prints_what_it_shows(
    where, body, demo_book, followup_executable, tmp_path
):
    book = tmp_path / "followup.db"
    if where == "demo":
        shutil.copy(demo_book, book)
    env = {
        **os.environ,
        "FOLLOWUP_DB": str(book),
        "FOLLOWUP_TODAY": DEMO_TODAY,
        "FOLLOWUP_PAGER": "cat",
        "TERM": "xterm",
    }
    for name in ("COLUMNS", "LINES", "FOLLOWUP_ME"):
        env.pop(name, None)
    for command, expected in _transcript(body):
        words = shlex.split(command, comments=True)
        assert words[0] == "followup", command
        shown = on_a_terminal(
            [followup_executable, *words[1:]], env, cwd=ROOT / "examples", check=False
        )
        lines = [ANSI.sub("", line).rstrip() for line in shown.replace("\r\n", "\n").split("\n")]
        while lines and not lines[-1]:
            lines.pop()
        assert len(lines) == len(expected), f"$ {command}\n" + "\n".join(lines)
        for seen, wanted in zip(lines, expected, strict=True):
            if wanted.endswith("..."):
                assert seen.startswith(wanted[:-3]), f"$ {command}\n{seen}"
            else:
                assert seen == wanted.rstrip(), f"$ {command}\n" + "\n".join(lines)
