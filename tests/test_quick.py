"""The quick path (cli/quick.py) reads a line as Typer would, or leaves it to Typer.

Its table (cli/quick_table.py) is generated from the Typer commands: these tests regenerate
it and compare, show that an option the fast path cannot honour makes its command step
aside, and run generated lines through both parsers.
"""

import subprocess
from functools import cache
from pathlib import Path
from typing import Annotated

import pytest
import typer
import typer.main
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import TODAY
from followup_cli.cli import quick_table
from followup_cli.cli.app import app
from followup_cli.cli.quick import parse
from followup_cli.cli.quick_build import FAST, table_source

COMMANDS = quick_table.COMMANDS


@cache  # built once: building it per Hypothesis example was most of this file's time
def _group():
    return typer.main.get_command(app)


def _command(name: str):
    return _group().get_command(None, name)


def test_the_table_is_the_typer_commands_own():
    checked_in = Path(quick_table.__file__).read_text(encoding="utf-8")
    assert table_source() == checked_in, "an option changed: run `make quick-table`"
    assert sorted(COMMANDS) == sorted(FAST)


def test_an_option_the_fast_path_cannot_honour_hands_its_command_to_typer():
    toy = typer.Typer()

    @toy.command()
    def due(days: Annotated[int, typer.Option(envvar="DUE_DAYS")] = 30) -> None: ...

    @toy.command()
    def show(everything: Annotated[bool, typer.Option("--all")] = False) -> None: ...

    source = table_source(toy, ("due", "show"))
    assert '"show"' in source and '"due"' not in source


def test_the_global_options_are_the_ones_the_parser_knows():
    spellings = {s for p in _group().params for s in p.opts + p.secondary_opts}
    known = {"--db", "--version", "--no-pager"}  # the rest go to Typer
    assert spellings == known | {"--install-completion", "--show-completion"}


VALUES = ["0", "1", "10", "30", "3650", "3651", "1000000", "1000001", "-5", "+5", " 5", "1_0"]
VALUES += ["", "abc", "vip", "json", "csv", "table", "JSON", "markdown", "text", "4242", "ana"]


def _words(name: str):
    """Lines mostly well formed, with some of the forms the quick path must leave alone."""
    spellings = st.sampled_from(
        [*sorted(COMMANDS[name][0]), "--bogus", "-x", "--", "-", "-l5", "--help"]
    )
    values = st.sampled_from(VALUES)
    piece = st.one_of(
        st.tuples(spellings),  # a flag, or an option without its value
        st.tuples(spellings, values),
        st.builds(lambda spelling, value: (f"{spelling}={value}",), spellings, values),
        st.tuples(values),  # an argument
    )
    before = st.lists(st.sampled_from([("--db", "x.db"), ("--db=y.db",), ("--no-pager",)]))
    flat = lambda pieces: [word for piece in pieces for word in piece]  # noqa: E731
    return st.tuples(before.map(flat), st.lists(piece, max_size=4).map(flat))


@pytest.mark.parametrize("name", sorted(COMMANDS))
@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_a_line_the_quick_path_takes_reads_the_same_in_click(name, data):
    before, after = data.draw(_words(name))
    line = parse([*before, name, *after])
    if line is None:
        return  # Typer takes it
    group = _group()
    root = group.make_context("followup", [*before, name, *after])
    assert root.params["db"] == line.database
    assert root.params["no_pager"] is not line.pager
    context = _command(name).make_context(name, list(root.args), parent=root)
    assert context.params == line.values


@pytest.mark.parametrize(
    "words",
    [
        ["due"],
        ["due", "--all", "-l", "0", "-f", "json"],
        ["due", "--tag", "vip", "--days=7", "-f", "csv", "--raw"],
        ["due", "--as-of", "2026-12-24"],
        ["remind", "--always"],
        ["remind", "-f", "markdown", "--days", "3"],
        ["remind", "--format=json"],
        ["show", "ana"],
        ["show", "--all", "ana", "-f", "json"],
        ["show", "nobody"],
        ["--version"],
        ["--db", "{db}", "--no-pager", "due", "-l", "1"],  # FOLLOWUP_DB names no book then
    ],
)
def test_the_quick_path_prints_what_typer_prints(cli, followup_executable, database, words):
    cli.ok("add", "Ana Alpha", "--email", "ana@example.com", "--tag", "vip")
    cli.ok("add", "Bo Beta", "--cadence", "7")
    cli.ok("log", "ana", "call", "talked renewal", "--date", "2026-10-01", "--next", "2026-11-22")
    cli.ok("refer", "ana", "Cy Cruz")
    env = {"FOLLOWUP_DB": str(database), "FOLLOWUP_TODAY": TODAY, "PATH": "/usr/bin:/bin"}
    if "{db}" in words:
        words = [str(database) if word == "{db}" else word for word in words]
        env["FOLLOWUP_DB"] = str(database.with_name("missing.db"))
    quick = subprocess.run([followup_executable, *words], capture_output=True, text=True, env=env)
    typer_path = CliRunner().invoke(app, words, env=env)  # Typer, whatever the line
    assert (quick.returncode, quick.stdout, quick.stderr) == (
        typer_path.exit_code,
        typer_path.stdout,
        typer_path.stderr,
    )
