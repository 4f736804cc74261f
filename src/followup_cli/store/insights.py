"""Aggregate reads behind `stats` and `pitch`: a few grouped queries instead of per-customer
round trips, so the figures stay fast on a book of 10,000 customers."""

import datetime as dt
from collections.abc import Iterator

from followup_cli.models import CONTACT_KINDS
from followup_cli.store.derived import EFFECTIVE_CADENCE, KNOWN_SINCE

_CONTACT_KIND_LIST = ", ".join(f"'{kind}'" for kind in sorted(CONTACT_KINDS))


class InsightQueries:
    connection = None

    def status_counts(self) -> dict[str, int]:
        return dict(
            self.connection.execute("SELECT status, count(*) FROM customers GROUP BY status")
        )

    def joined_and_lost(self, start: dt.date, end: dt.date) -> tuple[int, int]:
        """Customers added, and customers marked lost, in (start, end]."""
        row = self.connection.execute(
            "SELECT sum(created_on > ? AND created_on <= ?), "
            "sum(status = 'lost' AND status_changed_on > ? AND status_changed_on <= ?) "
            "FROM customers",
            (start.isoformat(), end.isoformat(), start.isoformat(), end.isoformat()),
        ).fetchone()
        return row[0] or 0, row[1] or 0

    def active_customers_with_cadence(self, default_days: int, exact_after: dt.date) -> list:
        """(id, name, known since, cadence, tags json) of each active customer, by the rules
        of store/derived.py; known since is exact for a day after `exact_after`."""
        return self.connection.execute(
            f"SELECT id, name, {KNOWN_SINCE}, {EFFECTIVE_CADENCE}, tags FROM customers "
            "WHERE status = 'customer' ORDER BY id",
            (exact_after.isoformat(), default_days),
        ).fetchall()

    def contact_days(self, until: dt.date, since: dt.date) -> list[tuple[int, int]]:
        """(customer id, date as a proleptic ordinal, as date.toordinal() gives it) of
        contacts in [since, until], in date order (the index's, so nothing is sorted): days
        compare as integers, and each customer's contacts come in date order."""
        return self.connection.execute(
            "SELECT customer_id, CAST(julianday(date) - 1721424.5 AS INTEGER) FROM touchpoints "
            f"WHERE kind IN ({_CONTACT_KIND_LIST}) AND date <= ? AND date >= ? ORDER BY date",
            (until.isoformat(), since.isoformat()),
        ).fetchall()

    def last_contacts_before(self, until: dt.date, today: dt.date) -> dict[int, str]:
        """Each customer's last contact on or before `until`: as of today that is the
        summary column followup keeps; for another day it is recomputed."""
        if until >= today:
            return dict(
                self.connection.execute(
                    "SELECT id, last_contact_on FROM customers WHERE last_contact_on IS NOT NULL"
                )
            )
        return dict(
            self.connection.execute(
                f"SELECT customer_id, max(date) FROM touchpoints WHERE kind IN "
                f"({_CONTACT_KIND_LIST}) AND date <= ? GROUP BY customer_id",
                (until.isoformat(),),
            )
        )

    def referrals_between(self, start: dt.date, end: dt.date) -> list[tuple]:
        """(date, referrer id, referrer name, referrer status, referred status) in (start, end]."""
        return self.connection.execute(
            "SELECT r.date, r.referrer_id, a.name, a.status, b.status FROM referrals r "
            "JOIN customers a ON a.id = r.referrer_id JOIN customers b ON b.id = r.referred_id "
            "WHERE r.date > ? AND r.date <= ? ORDER BY r.date",
            (start.isoformat(), end.isoformat()),
        ).fetchall()

    def touchpoint_counts_by_day_and_kind(self, start: dt.date, end: dt.date) -> list[tuple]:
        return self.connection.execute(
            "SELECT date, kind, count(*) FROM touchpoints WHERE date > ? AND date <= ? "
            "GROUP BY date, kind",
            (start.isoformat(), end.isoformat()),
        ).fetchall()

    def sales_between(self, start: dt.date, end: dt.date) -> tuple[int, float, int, float]:
        """Sales in (start, end]: (count, amount, buyers, amount of first purchases). A sale
        is a first purchase when it is its customer's first (by date, then id). Summed in
        SQLite: no sale crosses into Python."""
        return self.connection.execute(
            "SELECT count(*), coalesce(sum(amount), 0), count(DISTINCT customer_id), "
            "coalesce(sum(CASE WHEN n = 1 THEN amount END), 0) FROM ("
            "SELECT customer_id, date, coalesce(amount, 0) AS amount, ROW_NUMBER() OVER ("
            "PARTITION BY customer_id ORDER BY date, id) AS n FROM touchpoints "
            "WHERE kind = 'sale' AND date <= ?) WHERE date > ?",
            (end.isoformat(), start.isoformat()),
        ).fetchone()

    def warmth_ranked(
        self, today: dt.date, default_cadence: int, wanted: str | None, unwanted: str | None
    ) -> Iterator[tuple]:
        """Active customers, warmest first, scored by services/pitch.py's rule: (id, name,
        last contact, days silent, cadence, sales (counted to 2), referrals made, touchpoints
        in the last 365 days (counted to 10), contact points, sales points, score).
        Every count is an index probe per customer, capped where the rule stops counting,
        and the whole book is scored in SQLite, not in Python."""
        since = today - dt.timedelta(days=365)
        tag = "EXISTS (SELECT 1 FROM json_each(customers.tags) WHERE value = ?)"
        where = (" AND " + tag if wanted else "") + (" AND NOT " + tag if unwanted else "")
        # MATERIALIZED: each fact is counted once a row, not once per mention in the score.
        return self.connection.execute(
            "WITH facts AS MATERIALIZED (SELECT id, name, last_contact_on, "
            "CAST(julianday(?) - julianday(last_contact_on) AS INTEGER) AS silent, "
            f"{EFFECTIVE_CADENCE} AS cadence, "
            "(SELECT count(*) FROM (SELECT 1 FROM touchpoints s WHERE s.kind = 'sale' "
            "AND s.customer_id = customers.id AND s.date <= ? LIMIT 2)) AS sales, "
            "(SELECT count(*) FROM referrals r WHERE r.referrer_id = customers.id) AS referred, "
            "(SELECT count(*) FROM (SELECT 1 FROM touchpoints t WHERE t.customer_id = "
            "customers.id AND t.date > ? AND t.date <= ? LIMIT 10)) AS touches "
            f"FROM customers WHERE status = 'customer'{where}), "
            "points AS MATERIALIZED (SELECT *, CASE WHEN silent IS NULL THEN 0 "
            "WHEN silent <= cadence THEN 3 WHEN silent <= 2 * cadence THEN 1 ELSE 0 END "
            "AS contact_points, CASE sales WHEN 0 THEN 0 WHEN 1 THEN 4 ELSE 2 END "
            "AS sales_points FROM facts) "
            "SELECT *, contact_points + sales_points + 2 * min(referred, 3) "
            "+ min(touches * 0.5, 5) AS score FROM points ORDER BY score DESC",
            (
                today.isoformat(),
                default_cadence,
                today.isoformat(),
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

    def referral_edges(self) -> list[tuple]:
        """(referrer id, referrer name, referrer status, referred id, name, status, date)."""
        return self.connection.execute(
            "SELECT a.id, a.name, a.status, b.id, b.name, b.status, r.date FROM referrals r "
            "JOIN customers a ON a.id = r.referrer_id JOIN customers b ON b.id = r.referred_id "
            "ORDER BY r.date, r.id"
        ).fetchall()
