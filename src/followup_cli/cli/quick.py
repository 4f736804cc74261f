"""`due`, `remind`, `show` and `--version` without Typer. Importing Typer, and the Click
inside it, is 200M of the 330M instructions `followup due` took; a daily command run from
a terminal or cron should not pay that to read a few options.

A line runs here only when this parser reads it exactly as Click would: global options, the
command, then its options (`--name value`, `--name=value`, `-x value`) and arguments, each
option at most once and no value starting with "-". Anything else (--help, a mistake, a
value out of range, `-l5`, completion) returns, and Typer parses the line and words
its errors. The bodies are the Typer commands' own (cli/reads.py). tests/test_quick.py
holds each spec to its Typer command, option by option and default by default, and runs
generated lines through both parsers.
"""

import os
from collections.abc import Callable
from enum import StrEnum
from typing import NamedTuple

from followup_cli.cli import reads
from followup_cli.cli.boundary import guarded
from followup_cli.cli.listing import MAX_LIMIT, DetailFormat, TableFormat
from followup_cli.cli.state import from_options
from followup_cli.models import DEFAULT_CADENCE_DAYS
from followup_cli.values import MAX_CADENCE_DAYS


class Count(NamedTuple):
    """A whole number in a range, written in ASCII digits (Click also takes "+5" and
    " 5"; those go to Typer)."""

    low: int
    high: int

    def read(self, text: str) -> int | None:
        if not (text.isascii() and text.isdigit()):
            return None
        number = int(text)
        return number if self.low <= number <= self.high else None


class Text:
    @staticmethod
    def read(text: str) -> str:
        return text


class Choice(NamedTuple):
    values: type[StrEnum]

    def read(self, text: str) -> StrEnum | None:
        try:
            return self.values(text)  # by value, as Typer's choice matches
        except ValueError:
            return None


class Flag(NamedTuple):
    value: bool


class Command(NamedTuple):
    run: Callable[..., None]  # the body in cli/reads.py
    options: dict  # each spelling -> (parameter, Count | Text | Choice | Flag)
    defaults: dict  # parameter -> its value when not given
    arguments: tuple[str, ...] = ()


_DAYS = ("days", Count(1, MAX_CADENCE_DAYS))
_LIMIT = ("limit", Count(0, MAX_LIMIT))

COMMANDS = {
    "due": Command(
        reads.due,
        {
            "--days": _DAYS,
            "--limit": _LIMIT,
            "-l": _LIMIT,
            "--tag": ("tag", Text),
            "-t": ("tag", Text),
            "--as-of": ("as_of", Text),
            "--all": ("everyone", Flag(True)),
            "--format": ("output", Choice(TableFormat)),
            "-f": ("output", Choice(TableFormat)),
            "--raw": ("raw", Flag(True)),
        },
        {
            "days": DEFAULT_CADENCE_DAYS,
            "limit": 10,
            "tag": None,
            "as_of": None,
            "everyone": False,
            "output": TableFormat.table,
            "raw": False,
        },
    ),
    "remind": Command(
        reads.remind,
        {
            "--days": _DAYS,
            "--limit": _LIMIT,
            "-l": _LIMIT,
            "--always": ("always", Flag(True)),
            "--no-always": ("always", Flag(False)),
            "--format": ("output", Choice(reads.DigestFormat)),
            "-f": ("output", Choice(reads.DigestFormat)),
        },
        {
            "days": DEFAULT_CADENCE_DAYS,
            "limit": 10,
            "always": False,
            "output": reads.DigestFormat.text,
        },
    ),
    "show": Command(
        reads.show,
        {
            "--all": ("everything", Flag(True)),
            "--format": ("output", Choice(DetailFormat)),
            "-f": ("output", Choice(DetailFormat)),
        },
        {"everything": False, "output": DetailFormat.table},
        arguments=("customer",),
    ),
}


class Line(NamedTuple):
    database: str | None
    pager: bool
    command: Command
    values: dict


def run_if_plain(words: list[str]) -> None:
    """Run the line and exit, or return for Typer to take it."""
    if words == ["--version"]:
        guarded(reads.print_version)
    line = parse(words)
    if line is None:
        return
    state = from_options(line.database, line.pager)

    def run() -> None:
        try:
            line.command.run(state, **line.values)
        finally:
            state.close()

    guarded(run)


def parse(words: list[str]) -> Line | None:
    if any(name.startswith("_FOLLOWUP_COMPLETE") for name in os.environ):
        return None
    words = list(words)
    database, pager = None, True
    while words and words[0].startswith("-"):
        word = words.pop(0)
        if word == "--no-pager":
            pager = False
        elif word.startswith("--db="):
            database = word.removeprefix("--db=")
        elif word == "--db" and words and not words[0].startswith("-"):
            database = words.pop(0)
        else:
            return None
    command = COMMANDS.get(words.pop(0)) if words else None
    if command is None:
        return None
    values = _command_values(command, words)
    if values is None:
        return None
    return Line(database, pager, command, command.defaults | values)


def _command_values(command: Command, words: list[str]) -> dict | None:
    values, arguments = {}, []
    while words:
        word = words.pop(0)
        if not word.startswith("-"):
            arguments.append(word)
            continue
        name, equals, attached = word.partition("=") if word.startswith("--") else (word, "", "")
        parameter, kind = command.options.get(name, (None, None))
        if parameter is None or parameter in values:
            return None
        if isinstance(kind, Flag):
            if equals:
                return None
            values[parameter] = kind.value
            continue
        if not equals:
            if not words:
                return None
            attached = words.pop(0)
        value = None if attached.startswith("-") else kind.read(attached)
        if value is None:
            return None
        values[parameter] = value
    if len(arguments) != len(command.arguments):
        return None
    return values | dict(zip(command.arguments, arguments, strict=True))
