"""Files followup writes beside the book (exports, backups, the copies kept before a restore
or a migration): never the book itself, private from the first byte, never half-written.

A regular file is written under a temporary name in the same directory and renamed into place
only when whole, so a full disk or a kill leaves the previous file as it was. The temporary
file is locked while it is written: one found unlocked later was left by a killed run of ours
and is removed, so it neither blocks the next run nor keeps customer data lying about.
A FIFO or a device (`-o /dev/stdout`) is written directly.
"""

import fcntl
import glob
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TextIO

from followup_cli.errors import InvalidInputError, cannot_write

BOOK_SUFFIXES = ("", "-wal", "-shm", "-journal")


def refuse_the_book(target: Path, database: Path) -> None:
    """`target` may not be the database or one of SQLite's files beside it, by name, by
    symlink or by hard link: writing there would destroy the book."""
    wanted = os.path.realpath(target)
    for suffix in BOOK_SUFFIXES:
        part = Path(f"{database}{suffix}")
        if os.path.realpath(part) == wanted or _same_file(part, target):
            what = f"the database's {suffix[1:]} file" if suffix else "the database itself"
            raise InvalidInputError(f"{target} is {what}; choose another file")


def _same_file(first: Path, second: Path) -> bool:
    try:
        return first.samefile(second)
    except OSError:
        return False


def is_stream(target: Path) -> bool:
    """A FIFO, a terminal or another device: written directly, never replaced."""
    try:
        mode = target.stat().st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISSOCK(mode)


@contextmanager
def partial_file(target: Path) -> Iterator[Path]:
    """A private, locked temporary file beside `target`; the caller fills it, and it
    replaces `target` when the block ends without an error, else it is removed."""
    directory = target.parent
    if directory.exists() and not directory.is_dir():
        raise InvalidInputError(f"{directory} is a file, not a directory")
    if not directory.is_dir():
        raise InvalidInputError(f"the directory {directory} does not exist")
    if target.is_dir():
        raise InvalidInputError(f"{target} is a directory; name a file")
    prefix = f".{target.name}."
    _remove_stale_partials(directory, prefix)
    try:
        descriptor, name = tempfile.mkstemp(prefix=prefix, suffix=".partial", dir=directory)
    except OSError as error:
        raise InvalidInputError(cannot_write(target, error.strerror)) from None
    partial = Path(name)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield partial
        partial.replace(target)
    except OSError as error:
        raise InvalidInputError(cannot_write(target, error.strerror)) from None
    finally:
        with suppress(FileNotFoundError):
            partial.unlink()
        os.close(descriptor)


def _remove_stale_partials(directory: Path, prefix: str) -> None:
    for stale in directory.glob(f"{glob.escape(prefix)}*partial"):
        try:
            descriptor = os.open(stale, os.O_RDONLY)
        except OSError:
            continue
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # another run of ours is writing it
        else:
            with suppress(OSError):
                stale.unlink()
        finally:
            os.close(descriptor)


@contextmanager
def written_whole(target: Path, database: Path) -> Iterator[TextIO]:
    """A text file (UTF-8, newlines as written) that is either the whole document or, if
    anything fails, the file that was there before."""
    refuse_the_book(target, database)
    if is_stream(target):
        try:
            with target.open("w", encoding="utf-8", newline="") as stream:
                yield stream
        except OSError as error:
            raise InvalidInputError(cannot_write(target, error.strerror)) from None
        return
    with partial_file(target) as partial, partial.open("w", encoding="utf-8", newline="") as out:
        yield out
        out.flush()
        os.fsync(out.fileno())
