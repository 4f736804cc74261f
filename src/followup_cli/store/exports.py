"""Whole tables read back in a stable order, for `followup export`."""

from collections.abc import Iterable, Iterator

from followup_cli.customer_fields import BY_KEY, FILE_KEYS
from followup_cli.models import Customer
from followup_cli.store.connection import TableGroup
from followup_cli.store.decode import CUSTOMER_SELECT, customer_from_row


class Exports(TableGroup):
    def customers(self) -> Iterable[tuple]:
        return self.connection.execute(
            f"SELECT {', '.join(BY_KEY[key].column for key in FILE_KEYS)} "
            "FROM customers ORDER BY id"
        )

    def whole_customers(self) -> Iterator[Customer]:
        """Every customer in the order they were added, as export_customers gives them."""
        rows = self.connection.execute(f"SELECT {CUSTOMER_SELECT} FROM customers ORDER BY id")
        return map(customer_from_row, rows)

    def touchpoints(self) -> Iterable[tuple]:
        return self.connection.execute(
            "SELECT c.name, c.email, t.date, t.kind, t.note, t.amount FROM touchpoints t "
            "JOIN customers c ON c.id = t.customer_id ORDER BY t.date, t.id"
        )

    def referrals(self) -> Iterable[tuple]:
        return self.connection.execute(
            "SELECT a.name, a.email, b.name, b.email, r.date, r.note FROM referrals r "
            "JOIN customers a ON a.id = r.referrer_id JOIN customers b ON b.id = r.referred_id "
            "ORDER BY r.date, r.id"
        )

    def follow_ups(self) -> Iterable[tuple]:
        return self.connection.execute(
            "SELECT c.name, c.email, f.due_on, f.note, coalesce(f.done_on, f.fulfilled_on) "
            "FROM followups f "
            "JOIN customers c ON c.id = f.customer_id ORDER BY f.due_on, f.id"
        )
