"""The team a book replicates to: one row, written by `team join` and removed by `team leave`.
Not in the undo journal: `team leave` is its undo, and an `undo` of the last call must never
stop a book from replicating."""

import datetime as dt
from typing import NamedTuple

from followup_cli.store.connection import TableGroup


class Membership(NamedTuple):
    storage: str  # the team's storage, as given to `team join`
    rep: str  # the name this book replicates under: storage/rep/
    joined_on: dt.date


class TeamMembership(TableGroup):
    def current(self) -> Membership | None:
        row = self.connection.execute(
            "SELECT storage, rep, joined_on FROM team_membership"
        ).fetchone()
        return Membership(row[0], row[1], dt.date.fromisoformat(row[2])) if row else None

    def join(self, storage: str, rep: str, today: dt.date) -> None:
        self.connection.execute(
            "INSERT OR REPLACE INTO team_membership (id, storage, rep, joined_on) "
            "VALUES (1, ?, ?, ?)",
            (storage, rep, today.isoformat()),
        )

    def leave(self) -> None:
        self.connection.execute("DELETE FROM team_membership")
