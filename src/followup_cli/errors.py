"""Every message meant for the user travels as a FollowupError.

The CLI turns it into one line on stderr and its exit code; nothing below the CLI prints.
"""

EXIT_USER_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class FollowupError(Exception):
    """A problem the user can fix; the message says how."""

    exit_code = EXIT_USER_ERROR

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFoundError(FollowupError):
    """A customer (or other record) the user named does not exist."""


class AmbiguousError(FollowupError):
    """A reference matches more than one customer."""


class InvalidInputError(FollowupError):
    """A value on the command line or in a file cannot be used."""


class DatabaseError(FollowupError):
    """The database file cannot be opened, read or written."""


class DamagedDatabaseError(DatabaseError):
    """The book is no SQLite database, or a damaged one: only `restore` can help."""


class UsageError(FollowupError):
    """The command line itself is wrong (an empty --db): exit 2, like a bad option."""

    exit_code = EXIT_USAGE


class Interrupted(BaseException):
    """Ctrl-C (main.py turns SIGINT into it). A BaseException, so that nothing but the
    outermost boundary catches it, and every transaction it crosses rolls back."""


class OutOfRangeError(UsageError):
    """A number outside its range: exit 2, as for --days 0 or --limit -1."""


# The refusals a user meets in more than one command or import, worded once: the same
# mistake reads the same wherever it is made.


def cannot_read(path, reason: str) -> str:
    return f"cannot read {path}: {reason}"


def cannot_write(path, reason: str) -> str:
    return f"cannot write {path}: {reason}"


def in_the_future(what: str, day) -> str:
    return f"{what} {day.isoformat()} is in the future"


def unknown_kind(text: str, kinds) -> str:
    return f"unknown kind {text!r}; use one of {', '.join(kinds)}"
