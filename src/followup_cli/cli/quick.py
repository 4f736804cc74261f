"""`due`, `remind`, `show` and `--version` without Typer. Importing Typer, and the Click
inside it, is 200M of the 330M instructions `followup due` took; a daily command run from
a terminal or cron should not pay that to read a few options.

A line runs here only when this parser reads it exactly as Click would: global options, the
command, then its options (`--name value`, `--name=value`, `-x value`) and arguments, each
option at most once and no value starting with "-". Anything else (--help, a mistake, a
value out of range, `-l5`, completion) returns, and Typer parses the line and words
its errors. The options are read off the Typer commands into cli/quick_table.py (generated
by cli/quick_build.py, so no spelling is written twice), and the bodies are theirs too
(cli/daily.py).
"""

import os
from typing import NamedTuple

from followup_cli.cli import daily
from followup_cli.cli.boundary import guarded
from followup_cli.cli.quick_table import COMMANDS
from followup_cli.cli.state import from_options


def _value(kind: str, detail, text: str):
    """A value as Click would take it, or None to leave the line to Typer: a whole number
    in its range written in ASCII digits (Click also takes "+5" and " 5"), text, or a
    choice by its value."""
    if text.startswith("-"):
        return None
    if kind == "count":
        low, high = detail
        return int(text) if text.isascii() and text.isdigit() and low <= int(text) <= high else None
    if kind == "choice":
        try:
            return detail(text)
        except ValueError:
            return None
    return text


class Line(NamedTuple):
    database: str | None
    pager: bool
    command: str
    values: dict


def run_if_plain(words: list[str]) -> None:
    """Run the line and exit, or return for Typer to take it."""
    if words == ["--version"]:
        guarded(daily.print_version)
    line = parse(words)
    if line is None:
        return
    state = from_options(line.database, line.pager)

    def run() -> None:
        try:
            getattr(daily, line.command)(state, **line.values)
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
    name = words.pop(0) if words else None
    if name not in COMMANDS:
        return None
    options, defaults, wanted = COMMANDS[name]
    values = _command_values(options, wanted, words)
    if values is None:
        return None
    return Line(database, pager, name, defaults | values)


def _command_values(options: dict, wanted: tuple[str, ...], words: list[str]) -> dict | None:
    values, arguments = {}, []
    while words:
        word = words.pop(0)
        if not word.startswith("-"):
            arguments.append(word)
            continue
        name, equals, attached = word.partition("=") if word.startswith("--") else (word, "", "")
        parameter, kind, detail = options.get(name, (None, None, None))
        if parameter is None or parameter in values:
            return None
        if kind == "flag":
            if equals:
                return None
            values[parameter] = detail
            continue
        if not equals:
            if not words:
                return None
            attached = words.pop(0)
        value = _value(kind, detail, attached)
        if value is None:
            return None
        values[parameter] = value
    if len(arguments) != len(wanted):
        return None
    return values | dict(zip(wanted, arguments, strict=True))
