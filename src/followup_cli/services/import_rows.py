"""Row by row into the book: what every import does with one row, and the touchpoint and
referral importers, which are nothing but rows. A rejected row is reported with its line and
the import goes on, so that one run lists every problem."""

import datetime as dt
from collections.abc import Sequence

from followup_cli.importing import headers
from followup_cli.importing.rows import (
    RowRejected,
    RowSkipped,
    cell_values,
    referral_record,
    touchpoint_record,
)
from followup_cli.models import CONTACT_KINDS
from followup_cli.store.transfer import StoredCustomer


class RowImporter:
    def __init__(self, store, options, today, date_orders, columns, report):
        self.store, self.options, self.today = store, options, today
        self.date_orders, self.columns, self.report = date_orders, columns, report
        self.created_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        self.touched: set[int] = set()

    def take_chunk(self, lines: Sequence[int], rows: list[list[str]]) -> None:
        for line, cells in zip(lines, rows, strict=True):
            self.take(line, cells)

    def take(self, line: int, cells: list[str]) -> None:
        self.line = line
        if headers.is_footer_row(cells):  # a report's totals and copyright lines
            self.report.skipped += 1
            return
        try:
            self.take_values(cell_values(cells, self.columns), cells)
        except RowSkipped:
            self.report.skipped += 1
        except RowRejected as problem:
            self.reject(line, problem.reason)

    def reject(self, line: int, reason: str) -> None:
        self.report.rejected += 1
        self.report.problems.append((line, reason))

    def finish(self) -> None:
        if self.touched:
            self.store.refresh_contact_summary(sorted(self.touched))
            self.store.close_fulfilled_follow_ups(sorted(self.touched))

    def find(self, name: str | None, email: str | None, role: str = "customer") -> StoredCustomer:
        if email:
            found = self.store.customer_with_email(email)
            if found:
                return found
            if not name:
                raise RowRejected(f"no {role} has the email {email}")
        named = self.store.customers_with_exact_name(name)
        if len(named) > 1:
            raise RowRejected(f"several customers are named {name!r}; give their email")
        if not named:
            raise RowRejected(f"unknown {role} {name or email!r}")
        return named[0]


class TouchpointImporter(RowImporter):
    def take_values(self, values: dict[str, list[str]], cells: list[str]) -> None:
        if not values:
            raise RowSkipped
        record = touchpoint_record(values, self.today, self.date_orders)
        customer = self.find(record.customer, record.email)
        if self.store.touchpoint_on_file(
            customer.id, record.date, record.kind, record.note, record.amount
        ):
            self.report.unchanged += 1
            return
        self.store.add_touchpoint_quietly(
            customer.id, record.date, record.kind, record.note, record.amount, self.created_at
        )
        if record.kind in CONTACT_KINDS or record.kind == "sale":
            self.touched.add(customer.id)
        self.report.created += 1


class ReferralImporter(RowImporter):
    def take_values(self, values: dict[str, list[str]], cells: list[str]) -> None:
        record = referral_record(values, self.today, self.date_orders)
        referrer = self.find(record.referrer, record.referrer_email, "referrer")
        referred = self.find(record.referred, record.referred_email, "referred person")
        if referrer.id == referred.id:
            raise RowRejected(f"{referrer.name} cannot refer themselves")
        if self.store.referral_between(referrer.id, referred.id):
            self.report.unchanged += 1
            return
        self.store.insert_referral(referrer.id, referred.id, record.date, record.note, self.today)
        self.report.created += 1
