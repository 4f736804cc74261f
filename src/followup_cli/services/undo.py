"""Taking changes back: `followup undo` and `undo --list` (the journal is store/journal.py)."""

from followup_cli.errors import NotFoundError
from followup_cli.store import Store
from followup_cli.store.journal import KEPT_CHANGES, Change


def undo(store: Store) -> Change:
    with store.transaction():
        change = store.journal.undo_latest()
        if change is None:
            raise NotFoundError(
                f"nothing to undo: no change is left in the journal (it keeps the last "
                f"{KEPT_CHANGES}; restores and schema upgrades are not in it)"
            )
    return change


def recent_changes(store: Store, limit: int) -> list[Change]:
    return store.journal.recent(limit or KEPT_CHANGES)
