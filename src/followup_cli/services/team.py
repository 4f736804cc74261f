"""A rep's side of the team: joining and leaving, where the book's copy stands, and bringing
a copy back (services/replication.py runs Litestream for each)."""

import datetime as dt
from contextlib import suppress
from pathlib import Path
from typing import NamedTuple

from followup_cli.errors import DatabaseError, InvalidInputError
from followup_cli.services import replication
from followup_cli.store import Store, open_store
from followup_cli.store.team_membership import Membership
from followup_cli.values import clean_rep_name


class Joined(NamedTuple):
    membership: Membership
    reached: replication.Reached | None  # the first push, when the storage took it
    not_reached: str | None  # why it did not, when it did not
    already: bool  # the book was in this team under this name before


class Status(NamedTuple):
    membership: Membership
    replica: str  # where Litestream keeps the copy
    reached: replication.Reached | None
    replicating: int | None  # the process id of `team replicate`, when one runs
    unreachable: str | None  # why the storage could not be asked, when it could not


def membership_of(store: Store) -> Membership:
    membership = store.team.current()
    if membership is None:
        raise InvalidInputError(
            "this book is in no team; join one with `followup team join STORAGE --as NAME`"
        )
    return membership


def join(store: Store, storage_given: str, rep_given: str, today: dt.date) -> Joined:
    """Recorded in the book, then sent once. A name whose folder holds a book already is
    refused: Litestream would replace the team's copy of that book with this one."""
    storage = replication.storage_location(storage_given)
    rep = clean_rep_name(rep_given)
    current = store.team.current()
    if current and (current.storage, current.rep) != (storage, rep):
        raise InvalidInputError(
            f"this book is in the team at {current.storage} as {current.rep}; "
            "`followup team leave` first"
        )
    if current is None and replication.reached(storage, rep):
        raise InvalidInputError(
            f"{storage} holds a book for {rep} already: choose another name, or, on a new "
            f"laptop, bring that book here with `followup team restore {rep} --from {storage}`"
        )
    if current is None:
        if "://" not in storage:  # the folder shows the member to `team pull` before a push
            (Path(storage) / rep).mkdir(mode=0o700, exist_ok=True)
        with store.transaction():
            store.team.join(storage, rep, today)
    membership = store.team.current()
    try:
        return Joined(membership, replication.push(store.path, storage, rep), None, bool(current))
    except DatabaseError as problem:
        return Joined(membership, None, problem.message, bool(current))


def leave(store: Store) -> Membership:
    membership = membership_of(store)
    _refuse_while_replicating(store.path, "leave")
    with store.transaction():
        store.team.leave()
    _forget_litestream_state(store.path)
    return membership


def _refuse_while_replicating(book: Path, doing: str) -> None:
    running = replication.replicating(book)
    if running:
        raise DatabaseError(
            f"followup team replicate runs for this book (process {running}); stop it "
            f"first, then {doing} again"
        )


def _forget_litestream_state(book: Path) -> None:
    """Litestream's state for the storage the book left, which another storage must not
    start from."""
    import shutil

    shutil.rmtree(replication.sidecar(book), ignore_errors=True)


def push(store: Store) -> replication.Reached | None:
    membership = membership_of(store)
    return replication.push(store.path, membership.storage, membership.rep)


def replicate(store: Store) -> int:
    membership = membership_of(store)
    book = store.path
    store.close()  # Litestream holds the book from here; followup keeps no connection
    return replication.replicate(book, membership.storage, membership.rep)


def status(store: Store) -> Status:
    membership = membership_of(store)
    try:
        reached, unreachable = replication.reached(membership.storage, membership.rep), None
    except DatabaseError as problem:
        reached, unreachable = None, problem.message
    return Status(
        membership,
        replication.replica_url(membership.storage, membership.rep),
        reached,
        replication.replicating(store.path),
        unreachable,
    )


def restore(
    storage_given: str | None,
    book: Store | None,
    rep_given: str,
    target: Path,
    create_directory: bool = False,
) -> Path:
    """`rep`'s latest copy as a new book at `target` (restored_copy), in the team as it
    was (the book carries that). `create_directory`: the default book's folder, which a new
    laptop does not have yet."""
    rep = clean_rep_name(rep_given)
    if storage_given:
        storage = replication.storage_location(storage_given)
    elif book is not None and book.team.current():
        storage = book.team.current().storage
    else:
        raise InvalidInputError(
            "say which team storage to restore from: `followup team restore NAME --from STORAGE`"
        )
    if target.exists():
        raise InvalidInputError(
            f"{target} exists already; give the restored book another place with -o PATH"
        )
    if create_directory:
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not target.parent.is_dir():
        raise InvalidInputError(f"the directory {target.parent} does not exist; create it first")
    if replication.reached(storage, rep) is None:
        raise InvalidInputError(f"{storage} holds no book for {rep}; check the name")
    return restored_copy(storage, rep, target)


def restored_copy(storage: str, rep: str, target: Path) -> Path:
    """`rep`'s latest copy, put at `target` (over what is there): restored in a folder of
    its own beside it, checked as `restore` checks a backup (SQLite's integrity check, a
    followup schema), brought to this followup's schema there (the safety copy an upgrade
    keeps goes with that folder), then moved into place, the book after its -wal."""
    import shutil
    import tempfile

    from followup_cli.store.backup import open_backup_for_restore
    from followup_cli.store.migrations import SCHEMA_VERSION

    with tempfile.TemporaryDirectory(prefix=f".{rep}-", dir=target.parent) as restoring:
        partial = Path(restoring) / target.name
        replication.restore(storage, rep, partial)
        open_backup_for_restore(partial, SCHEMA_VERSION).close()
        open_store(partial).close()
        for suffix in ("-wal", "-shm", "-journal", ""):
            with suppress(FileNotFoundError):
                Path(f"{target}{suffix}").unlink()
        for suffix in ("-wal", "-shm", ""):
            if Path(f"{partial}{suffix}").exists():
                shutil.move(f"{partial}{suffix}", f"{target}{suffix}")
    return target
