"""Whole tables read back in a stable order, for `followup export`."""

from collections.abc import Iterable


class ExportQueries:
    connection = None

    def export_customers(self) -> Iterable[tuple]:
        return self.connection.execute(
            "SELECT name, email, phone, company, tags, notes, status, cadence_days "
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
            "SELECT c.name, c.email, f.due_on, f.note, f.done_on FROM followups f "
            "JOIN customers c ON c.id = f.customer_id ORDER BY f.due_on, f.id"
        )
