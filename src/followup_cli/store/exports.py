"""Whole tables read back in a stable order, for `followup export`."""

from collections.abc import Iterable

from followup_cli.customer_fields import BY_KEY, FILE_KEYS


class ExportQueries:
    connection = None

    def export_customers(self) -> Iterable[tuple]:
        return self.connection.execute(
            f"SELECT {', '.join(BY_KEY[key].column for key in FILE_KEYS)} "
            "FROM customers ORDER BY id"
        )

    def export_touchpoints(self) -> Iterable[tuple]:
        return self.connection.execute(
            "SELECT c.name, c.email, t.date, t.kind, t.note, t.amount FROM touchpoints t "
            "JOIN customers c ON c.id = t.customer_id ORDER BY t.date, t.id"
        )

    def export_referrals(self) -> Iterable[tuple]:
        return self.connection.execute(
            "SELECT a.name, a.email, b.name, b.email, r.date, r.note FROM referrals r "
            "JOIN customers a ON a.id = r.referrer_id JOIN customers b ON b.id = r.referred_id "
            "ORDER BY r.date, r.id"
        )

    def export_follow_ups(self) -> Iterable[tuple]:
        return self.connection.execute(
            "SELECT c.name, c.email, f.due_on, f.note, coalesce(f.done_on, f.fulfilled_on) "
            "FROM followups f "
            "JOIN customers c ON c.id = f.customer_id ORDER BY f.due_on, f.id"
        )
