"""Queries on touchpoints and follow-ups. What they derive (a customer's last contact, the
promises a contact fulfils) is recomputed by store/derived.py, never written here."""

import datetime as dt

from followup_cli.models import FollowUp, Touchpoint
from followup_cli.store.decode import FOLLOW_UP_COLUMNS, follow_up_from_row, touchpoint_from_row

# Neither closed by hand (done, cancel) nor fulfilled by a contact (store/derived.py).
OPEN = "f.done_on IS NULL AND f.fulfilled_by IS NULL"
_OPEN_FOLLOW_UPS = (
    f"SELECT {FOLLOW_UP_COLUMNS} FROM followups f JOIN customers c ON c.id = f.customer_id "
    f"WHERE {OPEN}"
)


class ActivityQueries:
    connection = None

    def insert_touchpoint(
        self,
        customer_id: int,
        date: dt.date,
        kind: str,
        note: str | None,
        amount: float | None,
        created_at: str,
    ) -> int:
        cursor = self.connection.execute(
            "INSERT INTO touchpoints (customer_id, date, kind, note, amount, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (customer_id, date.isoformat(), kind, note, amount, created_at),
        )
        return cursor.lastrowid

    def touchpoint_by_id(self, touchpoint_id: int) -> Touchpoint | None:
        row = self.connection.execute(
            "SELECT id, customer_id, date, kind, note, amount FROM touchpoints WHERE id = ?",
            (touchpoint_id,),
        ).fetchone()
        return touchpoint_from_row(row) if row else None

    def touchpoints_where(
        self,
        customer_id: int | None,
        kind: str | None,
        since: dt.date | None,
        limit: int,
    ) -> list[tuple[Touchpoint, str]]:
        """Newest first, each with its customer's name; `limit` 0 is all."""
        conditions, parameters = [], []
        for condition, value in (
            ("t.customer_id = ?", customer_id),
            ("t.kind = ?", kind),
            ("t.date >= ?", since.isoformat() if since else None),
        ):
            if value is not None:
                conditions.append(condition)
                parameters.append(value)
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        rows = self.connection.execute(
            "SELECT t.id, t.customer_id, t.date, t.kind, t.note, t.amount, c.name "
            f"FROM touchpoints t JOIN customers c ON c.id = t.customer_id {where} "
            "ORDER BY t.date DESC, t.id DESC LIMIT ?",
            (*parameters, limit or -1),
        )
        return [(touchpoint_from_row(row[:-1]), row[-1]) for row in rows]

    def update_touchpoint(self, touchpoint_id: int, changes: dict) -> None:
        assignments = ", ".join(f"{column} = ?" for column in changes)
        self.connection.execute(
            f"UPDATE touchpoints SET {assignments} WHERE id = ?",
            (*changes.values(), touchpoint_id),
        )

    def delete_touchpoint(self, touchpoint_id: int) -> None:
        self.connection.execute("DELETE FROM touchpoints WHERE id = ?", (touchpoint_id,))

    def same_touchpoint_that_day(self, customer_id: int, date: dt.date, kind: str) -> bool:
        row = self.connection.execute(
            "SELECT 1 FROM touchpoints WHERE customer_id = ? AND date = ? AND kind = ? LIMIT 1",
            (customer_id, date.isoformat(), kind),
        ).fetchone()
        return row is not None

    def touchpoints_of(self, customer_id: int) -> list[Touchpoint]:
        rows = self.connection.execute(
            "SELECT id, customer_id, date, kind, note, amount FROM touchpoints "
            "WHERE customer_id = ? ORDER BY date DESC, id DESC",
            (customer_id,),
        )
        return [touchpoint_from_row(row) for row in rows]

    def insert_follow_up(
        self, customer_id: int, due_on: dt.date, note: str | None, created_on: dt.date
    ) -> int:
        cursor = self.connection.execute(
            "INSERT INTO followups (customer_id, due_on, note, created_on) VALUES (?, ?, ?, ?)",
            (customer_id, due_on.isoformat(), note, created_on.isoformat()),
        )
        return cursor.lastrowid

    def follow_up_by_id(self, follow_up_id: int) -> FollowUp | None:
        row = self.connection.execute(
            f"SELECT {FOLLOW_UP_COLUMNS} FROM followups f JOIN customers c "
            "ON c.id = f.customer_id WHERE f.id = ?",
            (follow_up_id,),
        ).fetchone()
        return follow_up_from_row(row) if row else None

    def open_follow_ups_of(self, customer_id: int) -> list[FollowUp]:
        rows = self.connection.execute(
            f"{_OPEN_FOLLOW_UPS} AND f.customer_id = ? ORDER BY f.due_on, f.id", (customer_id,)
        )
        return [follow_up_from_row(row) for row in rows]

    def open_follow_ups_until(self, last_day: dt.date | None) -> list[FollowUp]:
        """Open follow-ups due on or before `last_day` (all of them when None), oldest first."""
        if last_day is None:
            rows = self.connection.execute(f"{_OPEN_FOLLOW_UPS} ORDER BY f.due_on, f.id")
        else:
            rows = self.connection.execute(
                f"{_OPEN_FOLLOW_UPS} AND f.due_on <= ? ORDER BY f.due_on, f.id",
                (last_day.isoformat(),),
            )
        return [follow_up_from_row(row) for row in rows]

    def close_follow_up(self, follow_up_id: int, done_on: dt.date, note: str) -> None:
        """By hand (`done`, `cancel`): a fact, which no recompute reopens."""
        self.connection.execute(
            "UPDATE followups SET done_on = ?, done_note = ? WHERE id = ?",
            (done_on.isoformat(), note, follow_up_id),
        )

    def move_follow_up(self, follow_up_id: int, due_on: dt.date) -> None:
        self.connection.execute(
            "UPDATE followups SET due_on = ? WHERE id = ?", (due_on.isoformat(), follow_up_id)
        )

    def customers_with_follow_ups_after(self, day: dt.date) -> set[int]:
        rows = self.connection.execute(
            f"SELECT DISTINCT customer_id FROM followups f WHERE {OPEN} AND due_on > ?",
            (day.isoformat(),),
        )
        return {row[0] for row in rows}
