"""What the global options decided, shared with every command (through ctx.obj under Typer,
directly on the quick path)."""

from pathlib import Path

from followup_cli import config
from followup_cli.errors import DatabaseError
from followup_cli.output import render


def from_options(database_option: str | None, pager: bool) -> "State":
    """What `--db` and `--no-pager` decide, taken the same way whichever parser read them."""
    render.allow_pager(pager)
    return State(database_option)


class State:
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

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
