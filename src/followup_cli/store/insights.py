"""Aggregate reads behind `stats` and `pitch`: a few grouped queries instead of per-customer
round trips, so the figures stay fast on a book of 10,000 customers."""

import datetime as dt

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

    def sales_with_rank(self, until: dt.date) -> list[tuple]:
        """(customer id, date, amount, n): n is 1 for a customer's first sale, 2 for the next."""
        return self.connection.execute(
            "SELECT customer_id, date, coalesce(amount, 0), ROW_NUMBER() OVER ("
            "PARTITION BY customer_id ORDER BY date, id) FROM touchpoints "
            "WHERE kind = 'sale' AND date <= ?",
            (until.isoformat(),),
        ).fetchall()

    def warmth_facts(self, since: dt.date, until: dt.date) -> dict[int, tuple]:
        """Per customer: (touchpoints since, sales ever, first sale date, referrals made)."""
        touch = dict(
            self.connection.execute(
                "SELECT customer_id, count(*) FROM touchpoints WHERE date > ? AND date <= ? "
                "GROUP BY customer_id",
                (since.isoformat(), until.isoformat()),
            )
        )
        sales = {
            row[0]: (row[1], row[2])
            for row in self.connection.execute(
                "SELECT customer_id, count(*), min(date) FROM touchpoints WHERE kind = 'sale' "
                "AND date <= ? GROUP BY customer_id",
                (until.isoformat(),),
            )
        }
        referred = dict(
            self.connection.execute(
                "SELECT referrer_id, count(*) FROM referrals GROUP BY referrer_id"
            )
        )
        ids = set(touch) | set(sales) | set(referred)
        return {
            customer_id: (
                touch.get(customer_id, 0),
                sales.get(customer_id, (0, None))[0],
                sales.get(customer_id, (0, None))[1],
                referred.get(customer_id, 0),
            )
            for customer_id in ids
        }

    def referral_edges(self) -> list[tuple]:
        """(referrer id, referrer name, referrer status, referred id, name, status, date)."""
        return self.connection.execute(
            "SELECT a.id, a.name, a.status, b.id, b.name, b.status, r.date FROM referrals r "
            "JOIN customers a ON a.id = r.referrer_id JOIN customers b ON b.id = r.referred_id "
            "ORDER BY r.date, r.id"
        ).fetchall()
