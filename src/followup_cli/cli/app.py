"""The Typer application, its global options, and the one place errors become exit codes.

Every failure reaches the user as one line on stderr: a FollowupError exits 1, a usage error
exits 2, an unexpected one exits 1 with a hint to rerun with FOLLOWUP_DEBUG=1 for the traceback.
"""

import errno
import importlib
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
import typer.main
from typer.core import TyperGroup

from followup_cli import __version__, config
from followup_cli.errors import (
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    EXIT_USER_ERROR,
    DatabaseError,
    FollowupError,
    Interrupted,
    InvalidInputError,
)
from followup_cli.output import render, waiting
from followup_cli.values import MAX_CADENCE_DAYS

# The module of each command, in the order `followup --help` lists them. A command's module
# is imported when that command runs (or --help or completion lists them all), so `due`
# pays for the imports of `due` alone. tests/test_layout.py holds this table to the modules.
COMMAND_MODULES = {
    **dict.fromkeys(
        ("add", "edit", "list", "tags", "show", "delete", "duplicates", "merge", "search"),
        "customers",
    ),
    **dict.fromkeys(
        ("log", "due", "touchpoints", "edit-touchpoint", "delete-touchpoint", "undo"), "activity"
    ),
    **dict.fromkeys(("backup", "restore"), "backups"),
    **dict.fromkeys(
        ("schedule", "agenda", "done", "snooze", "cancel", "cadence", "thank", "remind"),
        "follow_ups",
    ),
    **dict.fromkeys(("import", "export"), "import_export"),
    **dict.fromkeys(("stats", "pitch"), "insights"),
    **dict.fromkeys(("refer", "referrals"), "referrals"),
    "work": "work",
}


class FollowupGroup(TyperGroup):
    """Click's lazy group (its documentation's LazyGroup), under Typer: commands are
    registered on `app` by importing their module, then built as Typer builds them."""

    def list_commands(self, ctx) -> list[str]:
        return list(COMMAND_MODULES)

    def get_command(self, ctx, name: str):
        if name not in self.commands and name in COMMAND_MODULES:
            importlib.import_module(f"followup_cli.cli.{COMMAND_MODULES[name]}")
            for info in app.registered_commands:  # only this one: building reads signatures
                if (info.name or info.callback.__name__) == name:
                    self.commands[name] = typer.main.get_command_from_info(
                        info,
                        pretty_exceptions_short=app.pretty_exceptions_short,
                        rich_markup_mode=app.rich_markup_mode,
                    )
        return super().get_command(ctx, name)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            result = _flushed(
                super().main(
                    args=args,
                    prog_name=prog_name or "followup",
                    complete_var=complete_var,
                    standalone_mode=False,
                    **extra,
                )
            )
        except FollowupError as problem:
            render.error(problem.message)
            sys.exit(problem.exit_code)
        except typer.TyperException as problem:
            if type(problem).__name__ == "NoArgsIsHelpError":  # bare `followup`: show the help
                sys.stdout.write(problem.format_message() + "\n")
                sys.exit(0)
            command = getattr(getattr(problem, "ctx", None), "command_path", "followup")
            render.error(f"{problem.format_message()} (see `{command} --help`)")
            sys.exit(getattr(problem, "exit_code", EXIT_USAGE))
        except typer.Abort as problem:
            if isinstance(problem.__context__, KeyboardInterrupt):
                _interrupted()
            render.error("aborted; nothing was changed")
            sys.exit(EXIT_USER_ERROR)
        except (KeyboardInterrupt, Interrupted):
            _interrupted()
        except (BrokenPipeError, _PipeClosed):
            _discard_output()  # the reader went away (`| head`): not an error worth a word
            sys.exit(0)
        except OSError as problem:
            if problem.errno not in _OUTPUT_ERRORS:
                raise
            _discard_output()
            render.error(f"cannot write the output: {problem.strerror}")
            sys.exit(EXIT_USER_ERROR)
        except Exception as problem:
            if config.debug_enabled():
                raise
            from followup_cli.store.connection import describe_database_error

            render.error(
                describe_database_error(problem)
                or f"unexpected error ({type(problem).__name__}: {problem}); "
                "rerun with FOLLOWUP_DEBUG=1 to see the traceback"
            )
            sys.exit(EXIT_USER_ERROR)
        if result == EXIT_INTERRUPTED:  # Typer's own answer to a KeyboardInterrupt
            _interrupted()
        sys.exit(result if isinstance(result, int) else 0)

    def invoke(self, ctx):
        """A closed pipe must not reach Typer, which would exit 1 for it."""
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            raise _PipeClosed from None


class _PipeClosed(BaseException):
    """The reader of stdout went away while a command wrote."""


# Standard output full, closed, or failing: said in one line instead of a traceback at exit.
_OUTPUT_ERRORS = (errno.ENOSPC, errno.EBADF, errno.EIO)


def _flushed(result):
    """Output is buffered: a closed pipe or a full disk shows when it is flushed, which
    must happen inside the boundary, not at exit."""
    sys.stdout.flush()
    return result


def _discard_output() -> None:
    """What is still buffered for a stdout that cannot take it goes nowhere, so that the
    interpreter's own flush at exit does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, AttributeError, ValueError):
        sys.stdout = Path(os.devnull).open("w")  # noqa: SIM115  (lives as long as the process)


def _interrupted() -> None:
    """Ctrl-C, reported as what it did: once a commit has begun, the change is saved."""
    store = sys.modules.get("followup_cli.store")
    if store is not None and store.changes_saved():
        render.error("interrupted after the change was saved; it is in the database")
    else:
        render.error("interrupted; nothing was changed")
    sys.exit(EXIT_INTERRUPTED)


class State:
    """What the global options decided, shared with every command through ctx.obj."""

    def __init__(self, database_option: str | None):
        self.database_option = database_option
        self._store = None

    @property
    def database_path(self) -> Path:
        return config.database_path(self.database_option)

    def store(self, only_reads: bool = False):
        """The book, opened once. A command that only reads refuses a book that does not
        exist instead of creating an empty one: a mistyped path in a crontab must produce
        mail, not silence."""
        if self._store is None:
            from followup_cli.store import open_store

            path = self.database_path
            if only_reads and not path.exists():
                raise DatabaseError(
                    f"{path} does not exist; check --db or {config.DATABASE_ENV} "
                    "(a command that only reads creates no database)"
                )
            self._store = open_store(path, create_directory=self.database_option is None)
        return self._store


app = typer.Typer(
    cls=FollowupGroup,
    name="followup",
    help=(
        "Keep in touch with the customers you already have.\n\n"
        "Example: followup log ana 'talked renewal' --next 2w"
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    # Help as wide as the terminal (Click stops at 80 columns otherwise, cutting summaries).
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 200},
)


def _print_version(value: bool) -> None:
    if value:
        sys.stdout.write(f"followup {__version__}\n")
        raise typer.Exit()


@app.callback()
def global_options(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="PATH",
            help="The database file (default: $FOLLOWUP_DB, then the user data directory).",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version."
        ),
    ] = False,
    no_pager: Annotated[
        bool, typer.Option("--no-pager", help="Never page output taller than the screen.")
    ] = False,
) -> None:
    render.allow_pager(not no_pager)
    ctx.obj = State(db)
    ctx.call_on_close(lambda: ctx.obj._store and ctx.obj._store.close())


def state(ctx: typer.Context) -> State:
    return ctx.find_root().obj


def store(ctx: typer.Context, only_reads: bool = False):
    return state(ctx).store(only_reads)


class TableFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class DetailFormat(StrEnum):
    table = "table"
    json = "json"


FormatOption = Annotated[
    TableFormat, typer.Option("--format", "-f", help="table (on a terminal), json or csv.")
]
DetailFormatOption = Annotated[DetailFormat, typer.Option("--format", "-f", help="table or json.")]


def confirm(question: str) -> None:
    """Ask at a terminal; refuse elsewhere (a script must say --yes); stop unless yes."""
    if not sys.stdin.isatty():
        raise InvalidInputError("this needs --yes when not run at a terminal")
    with waiting.for_a_person():
        agreed = typer.confirm(render.neutralise(question), default=False)
    if not agreed:
        render.error("nothing changed")
        raise typer.Exit(1)


def complete_customer(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Tab completion from the database: names and emails that start with what was typed."""
    from followup_cli.store.customers import names_for_completion

    try:
        path = config.database_path(ctx.find_root().params.get("db"))
    except FollowupError:
        return []  # an empty --db completes nothing; the command itself will say why
    return [
        (value, render.neutralise(other or ""))
        for value, other in names_for_completion(path, incomplete, COMPLETIONS_SHOWN)
        if value == render.neutralise(value)  # a name with an escape sequence is not offered
    ]


CustomerArgument = Annotated[
    str,
    typer.Argument(
        metavar="CUSTOMER",
        help="An id, an email, a name or a unique part of one.",
        autocompletion=complete_customer,
    ),
]


SilenceOption = Annotated[
    int,
    typer.Option(
        "--days",
        min=1,
        max=MAX_CADENCE_DAYS,
        help="Silence that makes a customer due, when they have no cadence.",
    ),
]
MAX_LIMIT = 1_000_000
COMPLETIONS_SHOWN = 50
# A number outside its range is a usage error (exit 2), as a word where a number belongs is.
LimitOption = Annotated[
    int,
    typer.Option("--limit", "-l", min=0, max=MAX_LIMIT, help="At most this many (0: all)."),
]
RawOption = Annotated[
    bool, typer.Option("--raw", help="CSV cells as they are, without the formula guard.")
]


def emit(
    objects: list[dict],
    columns: list[str],
    output: TableFormat,
    title: str | None = None,
    terminal_columns: list[str] | None = None,
    raw: bool = False,
):
    """One listing in the format asked for: the same objects behind every format.

    `terminal_columns` is a narrower choice for a person at a terminal; pipes get them all.
    """
    from followup_cli.output.objects import rows_of

    if output is TableFormat.json:
        render.json_document(objects)
    elif output is TableFormat.csv:
        render.csv_document(columns, rows_of(objects, columns), raw)
    else:
        if terminal_columns and render.use_rich():
            columns = terminal_columns
        with render.paged():
            render.table(columns, rows_of(objects, columns), title)
