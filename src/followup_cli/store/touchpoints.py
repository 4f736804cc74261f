"""Queries on touchpoints. What they derive (a customer's last contact, the promises a
contact fulfils) is recomputed by store/derived.py, never written here."""

import datetime as dt

from followup_cli.models import Touchpoint
from followup_cli.store.connection import TableGroup
from followup_cli.store.decode import touchpoint_from_row


class Touchpoints(TableGroup):
    def insert(
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

    def by_id(self, touchpoint_id: int) -> Touchpoint | None:
        row = self.connection.execute(
            "SELECT id, customer_id, date, kind, note, amount FROM touchpoints WHERE id = ?",
            (touchpoint_id,),
        ).fetchone()
        return touchpoint_from_row(row) if row else None

    def where(
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

    def update(self, touchpoint_id: int, changes: dict) -> None:
        assignments = ", ".join(f"{column} = ?" for column in changes)
        self.connection.execute(
            f"UPDATE touchpoints SET {assignments} WHERE id = ?",
            (*changes.values(), touchpoint_id),
        )

    def delete(self, touchpoint_id: int) -> None:
        self.connection.execute("DELETE FROM touchpoints WHERE id = ?", (touchpoint_id,))

    def same_that_day(self, customer_id: int, date: dt.date, kind: str) -> bool:
        row = self.connection.execute(
            "SELECT 1 FROM touchpoints WHERE customer_id = ? AND date = ? AND kind = ? LIMIT 1",
            (customer_id, date.isoformat(), kind),
        ).fetchone()
        return row is not None

    def of(self, customer_id: int) -> list[Touchpoint]:
        rows = self.connection.execute(
            "SELECT id, customer_id, date, kind, note, amount FROM touchpoints "
            "WHERE customer_id = ? ORDER BY date DESC, id DESC",
            (customer_id,),
        )
        return [touchpoint_from_row(row) for row in rows]

    def on_file(
        self, customer_id: int, date: dt.date, kind: str, note: str | None, amount: float | None
    ) -> bool:
        row = self.connection.execute(
            "SELECT 1 FROM touchpoints WHERE customer_id = ? AND date = ? AND kind = ? "
            "AND note IS ? AND amount IS ? LIMIT 1",
            (customer_id, date.isoformat(), kind, note, amount),
        ).fetchone()
        return row is not None

    def add_gathered(
        self, customer_id: int, date: dt.date, kind: str, note: str | None, source: str, at: str
    ) -> bool:
        """False when this customer already has the touchpoint from `source`."""
        cursor = self.connection.execute(
            "INSERT OR IGNORE INTO touchpoints (customer_id, date, kind, note, created_at, source) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (customer_id, date.isoformat(), kind, note, at, source),
        )
        return cursor.rowcount == 1
