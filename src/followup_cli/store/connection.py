"""Opening the database file: where it may live, its permissions, the connection settings.

The file holds personal data, so a new one is created 0600 in a 0700 directory before SQLite
touches it. Connections run in autocommit mode and wait FOLLOWUP_BUSY_TIMEOUT (10 s) for a
lock; every write goes through Store.transaction(),
which takes the write lock up front (BEGIN IMMEDIATE) so that concurrent writers wait their
turn for the busy timeout instead of failing half-way.
"""

import os
import signal
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from followup_cli import config
from followup_cli.errors import DamagedDatabaseError, DatabaseError
from followup_cli.values import name_key

_changes_saved = False


def changes_saved() -> bool:
    """Whether this process has committed a change (so an interrupt now loses nothing)."""
    return _changes_saved


@contextmanager
def saving() -> Iterator[None]:
    """Around the step that makes a change permanent: SIGINT is blocked until the change is
    recorded as saved, then delivered."""
    global _changes_saved
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
        _changes_saved = True
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


class TableGroup:
    """The queries on one group of tables, reached by name from the Store (store.customers,
    store.journal): a method lives with the tables it reads or writes."""

    def __init__(self, connection: sqlite3.Connection):
        self.connection = connection


@contextmanager
def savepoint(connection: sqlite3.Connection) -> Iterator[None]:
    """A step inside a transaction that can fail alone, leaving the rest in place."""
    connection.execute("SAVEPOINT step")
    try:
        yield
    except BaseException:
        connection.execute("ROLLBACK TO step")
        connection.execute("RELEASE step")
        raise
    connection.execute("RELEASE step")


def prepare_location(path: Path, create_directory: bool) -> None:
    """Make sure the file can be created: the default directory is made, a named one must exist."""
    directory = path.parent
    if not directory.exists():
        if not create_directory:
            raise DatabaseError(
                f"the directory {directory} does not exist; create it or choose another --db path"
            )
        _make_directories(directory)
    if path.is_dir():
        raise DatabaseError(f"{path} is a directory; give --db the path of a file")
    if path.exists():
        if not path.is_file():
            raise DatabaseError(f"{path} is not a regular file; give --db the path of a file")
        _unblock_shared_files(path)
        return
    try:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    except OSError as error:
        raise DatabaseError(f"cannot create {path}: {error.strerror}") from None
    os.close(descriptor)


def _make_directories(directory: Path) -> None:
    """The book's own directory 0700; missing parents without group or other write, whatever
    the umask (mkdir's mode is masked by it, never widened)."""
    missing = [directory, *(p for p in directory.parents if not p.exists())]
    try:
        for parent in reversed(missing[1:]):
            parent.mkdir(mode=0o755, exist_ok=True)
        directory.mkdir(mode=0o700, exist_ok=True)
    except OSError as error:
        raise DatabaseError(f"cannot create {directory}: {error.strerror}") from None


def _unblock_shared_files(path: Path) -> None:
    """A -wal or -shm left read-only by a run on a read-only book would block every write
    once the book is writable again; ours to fix when we own it."""
    if not os.access(path, os.W_OK):
        return
    for suffix in ("-wal", "-shm"):
        shared = Path(f"{path}{suffix}")
        try:
            if shared.stat().st_uid == os.getuid() and not os.access(shared, os.W_OK):
                shared.chmod(0o600)
        except OSError:
            continue


def make_private(path: Path) -> None:
    """A file that becomes a book (one touched first, or reached through a symlink) is
    made 0600, as one followup creates is from the start."""
    try:
        path.chmod(0o600)
    except OSError as error:
        raise DatabaseError(f"cannot make {path} private: {error.strerror}") from None


def connect(path: Path) -> tuple[sqlite3.Connection, str | None]:
    """The connection, and why it can only read (None when it can write).

    On a full disk SQLite cannot create the -shm file a WAL book needs even to be read, so
    the book is then opened read-only and immutable, which needs none: reading and backing
    up to another disk still work. Only when no -wal holds changes the file lacks."""
    uri = path.absolute().as_uri()  # a plain path: ":memory:" or "file:x" is a file name
    try:
        return _connect(uri), None
    except sqlite3.DatabaseError as error:
        if not (_is_full(str(error), path) and _no_pending_wal(path)):
            raise database_error(error, path) from None
        try:
            return _connect(f"{uri}?mode=ro&immutable=1"), describe_sqlite_error(error, path)
        except sqlite3.DatabaseError:
            raise database_error(error, path) from None


def _connect(uri: str) -> sqlite3.Connection:
    connection = sqlite3.connect(
        uri,
        uri=True,
        timeout=config.busy_timeout_seconds(),
        isolation_level=None,
        check_same_thread=False,
    )
    try:
        connection.execute("PRAGMA foreign_keys = ON")
        # Sorting for an index build stays in memory, never in a file under /var/tmp that
        # would hold customer data outside the database's own 0700 directory.
        connection.execute("PRAGMA temp_store = MEMORY")
        name_key_function(connection)
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except BaseException:
        connection.close()
        raise
    return connection


def _no_pending_wal(path: Path) -> bool:
    try:
        return Path(f"{path}-wal").stat().st_size == 0
    except FileNotFoundError:
        return True


def database_error(error: sqlite3.Error, path: Path) -> DatabaseError:
    """The domain error for an SQLite error on the book: damage is told apart, since
    `restore` can replace a damaged book that nothing else can open."""
    message = describe_sqlite_error(error, path)
    return DamagedDatabaseError(message) if _is_damage(str(error)) else DatabaseError(message)


def _is_damage(text: str) -> bool:
    return "not a database" in text or "malformed" in text or "disk image" in text


def name_key_function(connection: sqlite3.Connection) -> None:
    """SQLite's lower() and NOCASE fold ASCII only: text is compared as names are ("Müller"
    is found by "muller"), by the one rule in values.name_key."""
    connection.create_function("name_key_of", 1, _name_key, deterministic=True)


def _name_key(text: str | None) -> str | None:
    return name_key(text) if isinstance(text, str) else text


def describe_database_error(error: BaseException) -> str | None:
    """One line for an SQLite error that escaped the store's own handling; None for any
    other exception. The CLI asks, so that only the store knows sqlite3's exceptions."""
    if isinstance(error, sqlite3.Error):
        return describe_sqlite_error(error, "the database")
    return None


def _is_full(text: str, path: Path | str) -> bool:
    return "full" in text or (
        ("disk I/O" in text or "unable to open" in text) and _disk_nearly_full(path)
    )


def _disk_nearly_full(path: Path | str) -> bool:
    try:
        disk = os.statvfs(Path(path).parent)  # as shutil.disk_usage, without its imports
        return disk.f_bavail * disk.f_frsize < 1024 * 1024
    except OSError:
        return False


def describe_sqlite_error(error: sqlite3.Error, path: Path | str) -> str:
    """One line that says what is wrong with the file and what to do about it."""
    text = str(error)
    if "locked" in text or "busy" in text:
        return (
            f"{path} is locked by another followup or sqlite3 process; waited "
            f"{config.busy_timeout_seconds():g} s, try again when it has finished"
        )
    if _is_damage(text):
        return (
            f"{path} is not a followup database or is damaged ({text}); restore a backup "
            "with `followup restore FILE`"
        )
    if _is_full(text, path):
        return f"the disk holding {path} is full; free some space and try again"
    if "readonly" in text or "read-only" in text:
        return f"{path} is read-only; check its permissions and those of its directory"
    if "unable to open" in text:
        return f"cannot open {path}; check that it exists and that you may read and write it"
    return f"database error on {path}: {text}"
