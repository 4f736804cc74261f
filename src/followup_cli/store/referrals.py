"""Queries on referrals: who referred whom, with both names joined in."""

import datetime as dt

from followup_cli.models import Referral
from followup_cli.store.connection import TableGroup
from followup_cli.store.decode import REFERRAL_COLUMNS, referral_from_row

_SELECT = (
    f"SELECT {REFERRAL_COLUMNS} FROM referrals r JOIN customers a ON a.id = r.referrer_id "
    "JOIN customers b ON b.id = r.referred_id"
)


class Referrals(TableGroup):
    def insert(
        self,
        referrer_id: int,
        referred_id: int,
        date: dt.date,
        note: str | None,
        created_on: dt.date,
    ) -> int:
        cursor = self.connection.execute(
            "INSERT INTO referrals (referrer_id, referred_id, date, note, created_on) "
            "VALUES (?, ?, ?, ?, ?)",
            (referrer_id, referred_id, date.isoformat(), note, created_on.isoformat()),
        )
        return cursor.lastrowid

    def between(self, referrer_id: int, referred_id: int) -> Referral | None:
        row = self.connection.execute(
            f"{_SELECT} WHERE r.referrer_id = ? AND r.referred_id = ?", (referrer_id, referred_id)
        ).fetchone()
        return referral_from_row(row) if row else None

    def listed(
        self, referrer_id: int | None = None, referred_id: int | None = None
    ) -> list[Referral]:
        conditions, parameters = [], []
        if referrer_id is not None:
            conditions.append("r.referrer_id = ?")
            parameters.append(referrer_id)
        if referred_id is not None:
            conditions.append("r.referred_id = ?")
            parameters.append(referred_id)
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        rows = self.connection.execute(
            f"{_SELECT}{where} ORDER BY r.date DESC, r.id DESC", parameters
        )
        return [referral_from_row(row) for row in rows]

    def unthanked_since(self, first_day: dt.date) -> list[Referral]:
        rows = self.connection.execute(
            f"{_SELECT} WHERE r.thanked_on IS NULL AND r.date >= ? ORDER BY r.date, r.id",
            (first_day.isoformat(),),
        )
        return [referral_from_row(row) for row in rows]

    def mark_thanked(self, referral_ids: list[int], thanked_on: dt.date) -> None:
        self.connection.executemany(
            "UPDATE referrals SET thanked_on = ? WHERE id = ?",
            ((thanked_on.isoformat(), referral_id) for referral_id in referral_ids),
        )

    def unthanked_of(self, referrer_id: int) -> list[Referral]:
        rows = self.connection.execute(
            f"{_SELECT} WHERE r.referrer_id = ? AND r.thanked_on IS NULL ORDER BY r.date, r.id",
            (referrer_id,),
        )
        return [referral_from_row(row) for row in rows]

    def made_between(self, start: dt.date, end: dt.date) -> list[tuple]:
        """(date, referrer id, referrer name, referrer status, referred status) in (start, end]."""
        return self.connection.execute(
            "SELECT r.date, r.referrer_id, a.name, a.status, b.status FROM referrals r "
            "JOIN customers a ON a.id = r.referrer_id JOIN customers b ON b.id = r.referred_id "
            "WHERE r.date > ? AND r.date <= ? ORDER BY r.date",
            (start.isoformat(), end.isoformat()),
        ).fetchall()

    def edges(self) -> list[tuple]:
        """(referrer id, referrer name, referrer status, referred id, name, status, date)."""
        return self.connection.execute(
            "SELECT a.id, a.name, a.status, b.id, b.name, b.status, r.date FROM referrals r "
            "JOIN customers a ON a.id = r.referrer_id JOIN customers b ON b.id = r.referred_id "
            "ORDER BY r.date, r.id"
        ).fetchall()
