"""The Typer application and its global options, the options shared by commands, and what
Typer adds to the error boundary (cli/boundary.py): a usage error exits 2 with a pointer to
`--help`.
"""

import importlib
import sys
from typing import Annotated

import typer
import typer.main
from typer.core import TyperGroup

from followup_cli import config
from followup_cli.cli.boundary import PipeClosed, guarded, interrupted
from followup_cli.cli.daily import print_version
from followup_cli.cli.listing import MAX_LIMIT, DetailFormat, TableFormat
from followup_cli.cli.state import State, from_options
from followup_cli.errors import (
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    EXIT_USER_ERROR,
    FollowupError,
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
    "team": "team",  # a group of its own: join, replicate, pull, due...
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
            for group in app.registered_groups:
                if group.typer_instance.info.name == name:
                    self.commands[name] = typer.main.get_group_from_info(
                        group,
                        pretty_exceptions_short=app.pretty_exceptions_short,
                        suggest_commands=app.suggest_commands,
                        rich_markup_mode=app.rich_markup_mode,
                    )
        return super().get_command(ctx, name)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        def run():
            try:
                result = super(FollowupGroup, self).main(
                    args=args,
                    prog_name=prog_name or "followup",
                    complete_var=complete_var,
                    standalone_mode=False,
                    **extra,
                )
            except typer.TyperException as problem:
                if type(problem).__name__ == "NoArgsIsHelpError":  # bare `followup`: the help
                    sys.stdout.write(problem.format_message() + "\n")
                    return 0
                command = getattr(getattr(problem, "ctx", None), "command_path", "followup")
                render.error(f"{problem.format_message()} (see `{command} --help`)")
                return getattr(problem, "exit_code", EXIT_USAGE)
            except typer.Abort as problem:
                if isinstance(problem.__context__, KeyboardInterrupt):
                    interrupted()
                render.error("aborted; nothing was changed")
                return EXIT_USER_ERROR
            if result == EXIT_INTERRUPTED:  # Typer's own answer to a KeyboardInterrupt
                interrupted()
            return result

        guarded(run)

    def invoke(self, ctx):
        """A closed pipe must not reach Typer, which would exit 1 for it."""
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            raise PipeClosed from None


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
        print_version()
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
    ctx.obj = from_options(db, pager=not no_pager)
    ctx.call_on_close(ctx.obj.close)


def state(ctx: typer.Context) -> State:
    return ctx.find_root().obj


def store(ctx: typer.Context, only_reads: bool = False):
    return state(ctx).store(only_reads)


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
COMPLETIONS_SHOWN = 50
# A number outside its range is a usage error (exit 2), as a word where a number belongs is.
LimitOption = Annotated[
    int,
    typer.Option("--limit", "-l", min=0, max=MAX_LIMIT, help="At most this many (0: all)."),
]
AsOfOption = Annotated[
    str | None, typer.Option(metavar="DATE", help="Rank as of this date instead of today.")
]
OnlyTagOption = Annotated[str | None, typer.Option("--tag", "-t", help="Only this tag.")]
PlannedTooOption = Annotated[
    bool, typer.Option("--all", help="Include customers with a follow-up already planned.")
]
EveryTouchpointOption = Annotated[
    bool, typer.Option("--all", help="Every touchpoint, not the last 10.")
]
RawOption = Annotated[
    bool, typer.Option("--raw", help="CSV cells as they are, without the formula guard.")
]
