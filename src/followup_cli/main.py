"""The program's entry point: from the first instruction on, Ctrl-C is one line and exit 130,
and the standard streams cannot end a run with a traceback.

SIGINT raises `Interrupted`, not KeyboardInterrupt: Click turns a KeyboardInterrupt into
"Aborted!" with exit 1 (at a prompt too), while a transaction rolls back on any exception.
"""

import signal
import sys

from followup_cli.errors import EXIT_INTERRUPTED, Interrupted


def main() -> None:
    signal.signal(signal.SIGINT, _interrupt)
    try:
        _prepare_streams()
        _refuse_undecodable(sys.argv[1:])
        from followup_cli.cli.quick import run_if_plain

        run_if_plain(sys.argv[1:])  # exits when it ran the line
        from followup_cli.cli.app import app

        app()
    except (KeyboardInterrupt, Interrupted):  # before the app's own boundary was reached
        sys.stderr.write("followup: interrupted; nothing was changed\n")
        sys.exit(EXIT_INTERRUPTED)


def _refuse_undecodable(arguments: list[str]) -> None:
    """Bytes the terminal's encoding cannot read (`add $'M\\xfcller'` in a UTF-8 terminal) are
    refused, not guessed: the same bytes would be another name in a Latin-1 terminal, and
    every later lookup would have to guess alike."""
    import os

    for argument in arguments:
        try:
            argument.encode("utf-8")
        except UnicodeEncodeError:
            shown = str(os.fsencode(argument))[2:-1]
            sys.stderr.write(
                f"followup: the argument '{shown}' is not {sys.getfilesystemencoding()} "
                "text, as this terminal writes it; type it again\n"
            )
            sys.exit(1)


def _interrupt(signal_number, frame) -> None:
    raise Interrupted


class _Closed:
    """Standard output or input closed by the caller (`list >&-`): writing says so as an
    OSError, which the app reports in one line."""

    def __init__(self, name: str):
        self.name = name

    def write(self, text: str) -> int:
        raise OSError(9, f"{self.name} is closed")

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def _prepare_streams() -> None:
    if sys.stdout is None:
        sys.stdout = _Closed("standard output")
    elif hasattr(sys.stdout, "reconfigure"):
        # A name the output encoding cannot hold (PYTHONIOENCODING=ascii) is escaped.
        sys.stdout.reconfigure(errors="backslashreplace")
