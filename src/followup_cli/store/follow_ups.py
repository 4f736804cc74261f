"""Queries on follow-ups (promises). Whether a contact fulfilled one is recomputed by
store/derived.py, never written here."""

import datetime as dt

from followup_cli.models import FollowUp
from followup_cli.store.connection import TableGroup
from followup_cli.store.decode import FOLLOW_UP_COLUMNS, follow_up_from_row

# Neither closed by hand (done, cancel) nor fulfilled by a contact (store/derived.py).
OPEN = "f.done_on IS NULL AND f.fulfilled_by IS NULL"
_OPEN_FOLLOW_UPS = (
    f"SELECT {FOLLOW_UP_COLUMNS} FROM followups f JOIN customers c ON c.id = f.customer_id "
    f"WHERE {OPEN}"
)


class FollowUps(TableGroup):
    def insert(
        self, customer_id: int, due_on: dt.date, note: str | None, created_on: dt.date
    ) -> int:
        cursor = self.connection.execute(
            "INSERT INTO followups (customer_id, due_on, note, created_on) VALUES (?, ?, ?, ?)",
            (customer_id, due_on.isoformat(), note, created_on.isoformat()),
        )
        return cursor.lastrowid

    def by_id(self, follow_up_id: int) -> FollowUp | None:
        row = self.connection.execute(
            f"SELECT {FOLLOW_UP_COLUMNS} FROM followups f JOIN customers c "
            "ON c.id = f.customer_id WHERE f.id = ?",
            (follow_up_id,),
        ).fetchone()
        return follow_up_from_row(row) if row else None

    def open_of(self, customer_id: int) -> list[FollowUp]:
        rows = self.connection.execute(
            f"{_OPEN_FOLLOW_UPS} AND f.customer_id = ? ORDER BY f.due_on, f.id", (customer_id,)
        )
        return [follow_up_from_row(row) for row in rows]

    def open_until(self, last_day: dt.date | None) -> list[FollowUp]:
        """Open follow-ups due on or before `last_day` (all of them when None), oldest first."""
        if last_day is None:
            rows = self.connection.execute(f"{_OPEN_FOLLOW_UPS} ORDER BY f.due_on, f.id")
        else:
            rows = self.connection.execute(
                f"{_OPEN_FOLLOW_UPS} AND f.due_on <= ? ORDER BY f.due_on, f.id",
                (last_day.isoformat(),),
            )
        return [follow_up_from_row(row) for row in rows]

    def close(self, follow_up_id: int, done_on: dt.date, note: str) -> None:
        """By hand (`done`, `cancel`): a fact, which no recompute reopens."""
        self.connection.execute(
            "UPDATE followups SET done_on = ?, done_note = ? WHERE id = ?",
            (done_on.isoformat(), note, follow_up_id),
        )

    def move(self, follow_up_id: int, due_on: dt.date) -> None:
        self.connection.execute(
            "UPDATE followups SET due_on = ? WHERE id = ?", (due_on.isoformat(), follow_up_id)
        )

    def customers_with_open_after(self, day: dt.date) -> set[int]:
        rows = self.connection.execute(
            f"SELECT DISTINCT customer_id FROM followups f WHERE {OPEN} AND due_on > ?",
            (day.isoformat(),),
        )
        return {row[0] for row in rows}
