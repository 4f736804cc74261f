"""The one place a failure becomes one line on stderr and an exit code: a FollowupError
exits with its own code, an unexpected error exits 1 with a hint to rerun with
FOLLOWUP_DEBUG=1 for the traceback, Ctrl-C exits 130. Typer-free, so that the commands
run without Typer (cli/quick.py) have the same boundary as the others (cli/app.py)."""

import errno
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from followup_cli import config
from followup_cli.errors import EXIT_INTERRUPTED, EXIT_USER_ERROR, FollowupError, Interrupted
from followup_cli.output import render

# Standard output full, closed, or failing: said in one line instead of a traceback at exit.
_OUTPUT_ERRORS = (errno.ENOSPC, errno.EBADF, errno.EIO)


class PipeClosed(BaseException):
    """The reader of stdout went away while a command wrote."""


def guarded(run: Callable[[], int | None]) -> NoReturn:
    """Run a command and exit with its code; output is flushed inside, where a closed pipe
    or a full disk still has a one-line answer."""
    try:
        result = run()
        sys.stdout.flush()
    except FollowupError as problem:
        render.error(problem.message)
        sys.exit(problem.exit_code)
    except (KeyboardInterrupt, Interrupted):
        interrupted()
    except (BrokenPipeError, PipeClosed):
        _discard_output()  # the reader went away (`| head`): not an error worth a word
        sys.exit(0)
    except OSError as problem:
        if problem.filename is not None:  # a path the user named: too long, a loop, denied
            render.error(f"cannot use {problem.filename}: {problem.strerror}")
            sys.exit(EXIT_USER_ERROR)
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
    sys.exit(result if isinstance(result, int) else 0)


def interrupted() -> None:
    """Ctrl-C, reported as what it did: once a commit has begun, the change is saved."""
    store = sys.modules.get("followup_cli.store")
    if store is not None and store.changes_saved():
        render.error("interrupted after the change was saved; it is in the database")
    else:
        render.error("interrupted; nothing was changed")
    sys.exit(EXIT_INTERRUPTED)


def _discard_output() -> None:
    """What is still buffered for a stdout that cannot take it goes nowhere, so that the
    interpreter's own flush at exit does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, AttributeError, ValueError):
        sys.stdout = Path(os.devnull).open("w")  # noqa: SIM115  (lives as long as the process)
