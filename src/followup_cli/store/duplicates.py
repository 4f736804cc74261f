"""Queries behind `duplicates` and `merge`: customers that share a name, and moving one
customer's history onto another (their phones are store.customers.phones)."""

from followup_cli.models import Customer
from followup_cli.store.connection import TableGroup
from followup_cli.store.decode import CUSTOMER_SELECT, customer_from_row


class Duplicates(TableGroup):
    def sharing_a_name(self) -> list[list[Customer]]:
        """Groups of customers whose names compare equal (values.name_key), by the index."""
        rows = self.connection.execute(
            f"SELECT {CUSTOMER_SELECT}, name_key FROM customers WHERE name_key IN ("
            "SELECT name_key FROM customers GROUP BY name_key HAVING count(*) > 1) "
            "ORDER BY name_key, id"
        )
        groups: dict[str, list[Customer]] = {}
        for row in rows:
            groups.setdefault(row[-1], []).append(customer_from_row(row[:-1]))
        return list(groups.values())

    def move_history(self, keep_id: int, other_id: int) -> list[int]:
        """OTHER's touchpoints, follow-ups and referrals become KEEP's. Referrals the move
        would turn into self-referrals or repeats are dropped; their ids are returned."""
        dropped = [
            row[0]
            for row in self.connection.execute(
                "SELECT r.id FROM referrals r WHERE "
                "(r.referrer_id = ? AND r.referred_id = ?) "
                "OR (r.referrer_id = ? AND r.referred_id = ?) "
                "OR (r.referrer_id = ? AND EXISTS (SELECT 1 FROM referrals k WHERE "
                "k.referrer_id = ? AND k.referred_id = r.referred_id)) "
                "OR (r.referred_id = ? AND EXISTS (SELECT 1 FROM referrals k WHERE "
                "k.referred_id = ? AND k.referrer_id = r.referrer_id))",
                (keep_id, other_id, other_id, keep_id, other_id, keep_id, other_id, keep_id),
            )
        ]
        self.connection.executemany("DELETE FROM referrals WHERE id = ?", ((i,) for i in dropped))
        # A message or meeting both had is kept once (touchpoints_source is unique).
        self.connection.execute(
            "DELETE FROM touchpoints WHERE customer_id = ? AND source IN "
            "(SELECT source FROM touchpoints WHERE customer_id = ? AND source IS NOT NULL)",
            (other_id, keep_id),
        )
        for table, column in (
            ("touchpoints", "customer_id"),
            ("followups", "customer_id"),
            ("referrals", "referrer_id"),
            ("referrals", "referred_id"),
        ):
            self.connection.execute(
                f"UPDATE {table} SET {column} = ? WHERE {column} = ?", (keep_id, other_id)
            )
        return dropped
