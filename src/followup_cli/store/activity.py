"""Queries on touchpoints and follow-ups, and the per-customer summary they keep current.

customers.last_contact_on, last_contact_kind and sales_total are derived from touchpoints and
kept up to date here, in the same transaction as the touchpoint, so that `due` reads one
indexed table instead of aggregating the whole history.
"""

import datetime as dt
from collections.abc import Iterable

from followup_cli.models import CONTACT_KINDS, FollowUp, Touchpoint
from followup_cli.store.decode import FOLLOW_UP_COLUMNS, follow_up_from_row, touchpoint_from_row
from followup_cli.store.derived import CONTACT_KIND_LIST

_OPEN_FOLLOW_UPS = (
    f"SELECT {FOLLOW_UP_COLUMNS} FROM followups f JOIN customers c ON c.id = f.customer_id "
    "WHERE f.done_on IS NULL"
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
        touchpoint_id = self.add_touchpoint_quietly(
            customer_id, date, kind, note, amount, created_at
        )
        if kind in CONTACT_KINDS:
            self.connection.execute(
                "UPDATE customers SET last_contact_on = ?, last_contact_kind = ? "
                "WHERE id = ? AND (last_contact_on IS NULL OR last_contact_on <= ?)",
                (date.isoformat(), kind, customer_id, date.isoformat()),
            )
        if kind == "sale" and amount:
            self.connection.execute(
                "UPDATE customers SET sales_total = sales_total + ? WHERE id = ?",
                (amount, customer_id),
            )
        return touchpoint_id

    def add_touchpoint_quietly(
        self,
        customer_id: int,
        date: dt.date,
        kind: str,
        note: str | None,
        amount: float | None,
        created_at: str,
    ) -> int:
        """Insert without touching the summary columns (imports call refresh_contact_summary
        once at the end instead of once a row)."""
        cursor = self.connection.execute(
            "INSERT INTO touchpoints (customer_id, date, kind, note, amount, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (customer_id, date.isoformat(), kind, note, amount, created_at),
        )
        return cursor.lastrowid

    def refresh_contact_summary(self, customer_ids: Iterable[int]) -> None:
        """Recompute the derived columns after touchpoints arrive in bulk (imports)."""
        self.connection.executemany(
            "UPDATE customers SET "
            "last_contact_on = (SELECT max(date) FROM touchpoints t WHERE t.customer_id = "
            f"customers.id AND t.kind IN ({CONTACT_KIND_LIST})), "
            "last_contact_kind = (SELECT kind FROM touchpoints t WHERE t.customer_id = "
            f"customers.id AND t.kind IN ({CONTACT_KIND_LIST}) ORDER BY date DESC, id DESC "
            "LIMIT 1), "
            "sales_total = coalesce((SELECT sum(amount) FROM touchpoints t WHERE "
            "t.customer_id = customers.id AND t.kind = 'sale'), 0) WHERE id = ?",
            ((customer_id,) for customer_id in customer_ids),
        )

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

    def close_follow_ups(self, follow_up_ids: Iterable[int], done_on: dt.date, note: str | None):
        self.connection.executemany(
            "UPDATE followups SET done_on = ?, done_note = ? WHERE id = ? AND done_on IS NULL",
            ((done_on.isoformat(), note, follow_up_id) for follow_up_id in follow_up_ids),
        )

    def move_follow_up(self, follow_up_id: int, due_on: dt.date) -> None:
        self.connection.execute(
            "UPDATE followups SET due_on = ? WHERE id = ?", (due_on.isoformat(), follow_up_id)
        )

    def customers_with_follow_ups_after(self, day: dt.date) -> set[int]:
        rows = self.connection.execute(
            "SELECT DISTINCT customer_id FROM followups WHERE done_on IS NULL AND due_on > ?",
            (day.isoformat(),),
        )
        return {row[0] for row in rows}
