"""Reads behind `stats` and `pitch`: of the summaries the store keeps (store/summaries.py),
so that the figures cost the same on a book of 10,000 customers and of 100,000."""

import datetime as dt
from collections.abc import Iterator

from followup_cli.store.connection import TableGroup
from followup_cli.store.derived import CONTACT_KIND_LIST, EFFECTIVE_CADENCE


class Insights(TableGroup):
    def status_counts(self) -> dict[str, int]:
        return dict(
            self.connection.execute("SELECT status, count(*) FROM customers GROUP BY status")
        )

    def marks_until(self, series: str, days: list[int]) -> list[int]:
        """The running sum of a series of day marks (store/summaries.py) on each day."""
        return [
            self.connection.execute(
                "SELECT coalesce(sum(total), 0) FROM day_marks WHERE series = ? AND day <= ?",
                (series, day),
            ).fetchone()[0]
            for day in days
        ]

    def marks_between(self, series: str, start: dt.date, end: dt.date) -> int:
        """The marks of a series on the days in (start, end]."""
        return self.connection.execute(
            "SELECT coalesce(sum(total), 0) FROM day_marks WHERE series = ? AND day > ? "
            "AND day <= ?",
            (series, start.toordinal(), end.toordinal()),
        ).fetchone()[0]

    def silent_customers(self, until: dt.date, today: dt.date, default_days: int) -> Iterator:
        """(name, last contact on or before `until`, cadence, tags json) of each active
        customer contacted by then, longest silent first. As of today that walks the summary
        column followup keeps, in its index; for another day it is recomputed."""
        if until >= today:
            return self.connection.execute(
                f"SELECT name, last_contact_on, {EFFECTIVE_CADENCE}, tags FROM customers "
                "INDEXED BY customers_due WHERE status = 'customer' "
                "AND last_contact_on IS NOT NULL ORDER BY last_contact_on",
                (default_days,),
            )
        return self.connection.execute(
            f"SELECT name, last, {EFFECTIVE_CADENCE}, tags FROM customers JOIN ("
            f"SELECT customer_id, max(date) AS last FROM touchpoints WHERE kind IN "
            f"({CONTACT_KIND_LIST}) AND date <= ? GROUP BY customer_id) ON customer_id = id "
            "WHERE status = 'customer' ORDER BY last",
            (default_days, until.isoformat()),
        )

    def touchpoint_counts_by_day_and_kind(self, start: dt.date, end: dt.date) -> list[tuple]:
        """(date, kind, touchpoints, amount in cents) of each day in (start, end]."""
        return self.connection.execute(
            "SELECT day, kind, touchpoints, cents FROM touchpoint_days WHERE day > ? AND day <= ?",
            (start.isoformat(), end.isoformat()),
        ).fetchall()

    def buyers_between(self, start: dt.date, end: dt.date) -> int:
        """Customers with a sale in (start, end]. When no sale is dated after `end`, those
        are the customers who bought by then less those whose last sale was by `start`:
        two sums of day marks. Otherwise the sales of the period are read."""
        later = self.connection.execute(
            "SELECT 1 FROM touchpoint_days WHERE day > ? AND kind = 'sale' LIMIT 1",
            (end.isoformat(),),
        ).fetchone()
        if not later:
            bought = self.marks_until("first_buy", [end.toordinal()])[0]
            return bought - self.marks_until("last_buy", [start.toordinal()])[0]
        return self.connection.execute(
            "SELECT count(DISTINCT customer_id) FROM touchpoints INDEXED BY touchpoints_sale_days "
            "WHERE kind = 'sale' AND date > ? AND date <= ?",
            (start.isoformat(), end.isoformat()),
        ).fetchone()[0]

    def warmth_ranked(
        self, today: dt.date, default_cadence: int, wanted: str | None, unwanted: str | None
    ) -> Iterator[tuple]:
        """Active customers by the part of their warmth that does not depend on today
        (store/summaries.py), highest first, with the parts that do: (id, name, last
        contact, days silent, cadence, sales (counted to 2), referrals made, touchpoints in
        the last 365 days (counted to 10), warmth so far). Read lazily: the caller stops
        where no one further down can reach its cut."""
        since = today - dt.timedelta(days=365)
        tag = "EXISTS (SELECT 1 FROM json_each(customers.tags) WHERE value = ?)"
        where = (" AND " + tag if wanted else "") + (" AND NOT " + tag if unwanted else "")
        return self.connection.execute(
            "SELECT id, name, last_contact_on, "
            "CAST(julianday(?) - julianday(last_contact_on) AS INTEGER), "
            f"{EFFECTIVE_CADENCE}, sales, referred, "
            "(SELECT count(*) FROM (SELECT 1 FROM touchpoints t WHERE t.customer_id = "
            "customers.id AND t.date > ? AND t.date <= ? LIMIT 10)), warmth "
            "FROM customer_summaries INDEXED BY customer_summaries_warmth "
            "CROSS JOIN customers ON customers.id = customer_id "
            f"WHERE status = 'customer'{where} ORDER BY warmth DESC",
            (
                today.isoformat(),
                default_cadence,
                since.isoformat(),
                today.isoformat(),
                *([wanted] if wanted else []),
                *([unwanted] if unwanted else []),
            ),
        )

    def sales_of(self, customer_id: int, until: dt.date) -> tuple[int, str | None]:
        """A customer's sales up to `until`: how many, and the first one's date."""
        return self.connection.execute(
            "SELECT count(*), min(date) FROM touchpoints WHERE kind = 'sale' "
            "AND customer_id = ? AND date <= ?",
            (customer_id, until.isoformat()),
        ).fetchone()
