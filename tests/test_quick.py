"""The quick path (cli/quick.py) reads a line as Typer would, or leaves it to Typer.

Its specs are a second copy of the Typer commands' options; these tests hold the copy to
the original: spelling by spelling, type by type, default by default, and on generated lines
through both parsers.
"""

import subprocess

import pytest
import typer.main
from hypothesis import given, settings
from hypothesis import strategies as st
from typer._click import core, types  # the Click that Typer 0.28 carries inside it
from typer._types import TyperChoice
from typer.core import TyperArgument, TyperOption
from typer.testing import CliRunner

from conftest import TODAY
from followup_cli.cli.app import app
from followup_cli.cli.quick import COMMANDS, Choice, Count, Flag, Text, parse


def _group() -> core.Command:
    return typer.main.get_command(app)


def _command(name: str) -> core.Command:
    group = _group()
    return group.get_command(core.Context(group), name)


def _kind(param: core.Parameter, spelling: str):
    if getattr(param, "is_flag", False):
        return Flag(spelling not in param.secondary_opts)
    if isinstance(param.type, types.IntRange):
        assert not (param.type.min_open or param.type.max_open or param.type.clamp)
        return Count(param.type.min, param.type.max)
    if isinstance(param.type, TyperChoice):
        assert param.type.case_sensitive
        return ("choice", tuple(param.type.choices))
    assert param.type is types.STRING, f"{param.name}: {param.type} is not in cli/quick.py"
    return Text


def _spec_kind(kind):
    return (
        ("choice", tuple(member.value for member in kind.values))
        if isinstance(kind, Choice)
        else kind
    )


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_spec_is_its_typer_command(name):
    command, spec = _command(name), COMMANDS[name]
    options = [p for p in command.params if isinstance(p, TyperOption) and p.name != "help"]
    expected = {
        spelling: (param.name, _kind(param, spelling))
        for param in options
        for spelling in param.opts + param.secondary_opts
    }
    given_spec = {
        spelling: (parameter, _spec_kind(kind))
        for spelling, (parameter, kind) in spec.options.items()
    }
    assert given_spec == expected
    arguments = [p for p in command.params if isinstance(p, TyperArgument)]
    assert spec.arguments == tuple(p.name for p in arguments)
    assert all(p.required for p in arguments)
    assert spec.defaults == {p.name: p.default for p in options}


def test_the_global_options_are_the_ones_the_parser_knows():
    spellings = {s for p in _group().params for s in p.opts + p.secondary_opts}
    known = {"--db", "--version", "--no-pager"}  # the rest go to Typer
    assert spellings == known | {"--install-completion", "--show-completion"}


VALUES = ["0", "1", "10", "30", "3650", "3651", "1000000", "1000001", "-5", "+5", " 5", "1_0"]
VALUES += ["", "abc", "vip", "json", "csv", "table", "JSON", "markdown", "text", "4242", "ana"]


def _words(name: str):
    """Lines mostly well formed, with some of the forms the quick path must leave alone."""
    spellings = st.sampled_from(
        [*sorted(COMMANDS[name].options), "--bogus", "-x", "--", "-", "-l5", "--help"]
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
    rest = [*root._protected_args, *root.args][1:]  # as TyperGroup.invoke takes them
    context = _command(name).make_context(name, rest, parent=root)
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
