"""`team serve`: the team book in a manager's browser. Datasette serves it immutable (it
never writes it), with the team's canned queries (store/team_book.CANNED_QUERIES) on its
page, listening on loopback unless told otherwise."""

import json
import sys
import tempfile
from pathlib import Path

from followup_cli.errors import DatabaseError, InvalidInputError
from followup_cli.services.foreground import run_in_foreground
from followup_cli.services.team_view import open_view, team_book_path
from followup_cli.store.team_book import CANNED_QUERIES


def metadata() -> dict:
    return {
        "title": "followup: the team's customers",
        "description": "Built by `followup team pull` from every rep's book; read-only.",
        "databases": {"team": {"queries": CANNED_QUERIES}},
    }


def serve(book: Path, host: str, port: int) -> int:
    """Datasette in the foreground until stopped; returns its exit code."""
    import importlib.util

    if importlib.util.find_spec("datasette") is None:
        raise DatabaseError("Datasette is not installed; reinstall followup, which depends on it")
    open_view(book).close()  # a missing or foreign team book is said in one line, here
    _refuse_a_taken_port(host, port)
    with tempfile.TemporaryDirectory(prefix="followup-serve-") as folder:
        settings = Path(folder) / "metadata.json"
        settings.write_text(json.dumps(metadata(), indent=2))
        command = [
            sys.executable,
            "-m",
            "datasette",
            "serve",
            "--immutable",
            str(team_book_path(book)),
            "--metadata",
            str(settings),
            "--host",
            host,
            "--port",
            str(port),
        ]
        return run_in_foreground(command)


def _refuse_a_taken_port(host: str, port: int) -> None:
    """Said in one line before Datasette starts, rather than in its server's log after."""
    import socket

    try:
        with socket.create_server((host, port)):
            pass
    except OSError as error:
        raise InvalidInputError(
            f"cannot listen on {host} port {port} ({error.strerror}); choose another with "
            "--port or --host"
        ) from None
