"""Touchpoint and referral files into the book: each row names customers already on file,
found by the one lookup the commands use, and adds what is not on file yet."""

from followup_cli.imports.records import RowRejected, RowSkipped, referral_record, touchpoint_record
from followup_cli.imports.write_rows import RowWriter


class TouchpointWriter(RowWriter):
    def take_values(self, values: dict[str, list[str]], cells: list[str]) -> None:
        if not values:
            raise RowSkipped
        record = touchpoint_record(values, self.today, self.date_orders)
        self.warn(self.line, record.warnings)
        customer = self.find(record.customer, record.email)
        if self.store.touchpoints.on_file(
            customer.id, record.date, record.kind, record.note, record.amount
        ):
            self.report.unchanged += 1
            return
        self.store.touchpoints.insert(
            customer.id, record.date, record.kind, record.note, record.amount, self.created_at
        )
        self.report.created += 1


class ReferralWriter(RowWriter):
    def take_values(self, values: dict[str, list[str]], cells: list[str]) -> None:
        record = referral_record(values, self.today, self.date_orders)
        self.warn(self.line, record.warnings)
        referrer = self.find(record.referrer, record.referrer_email, "referrer")
        referred = self.find(record.referred, record.referred_email, "referred person")
        if referrer.id == referred.id:
            raise RowRejected(f"{referrer.name} cannot refer themselves")
        if self.store.referrals.between(referrer.id, referred.id):
            self.report.unchanged += 1
            return
        self.store.referrals.insert(referrer.id, referred.id, record.date, record.note, self.today)
        self.report.created += 1
