"""Messages, meetings, calls and texts into touchpoints: each becomes one touchpoint for every known
customer it was between (never a new customer), keyed by its source so that it is added
once however often it is imported. Like a logged contact, it resets the customer's clock and
closes the promises it fulfils."""

import datetime as dt

from followup_cli.imports.gathered import Gathered
from followup_cli.store import Store
from followup_cli.values import fitted_text


class GatheredWriter:
    def __init__(self, store: Store, report, kind: str, today: dt.date, me, since, customers):
        """`customers`: lower-cased email, or E.164 number, to customer id."""
        self.store, self.report, self.kind, self.today = store, report, kind, today
        self.me, self.since, self.customers = me, since, customers
        self.created_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")

    def take(self, item: Gathered) -> None:
        if item.problem:
            self.report.problems.append((item.line, _where(item) + item.problem))
            self.report.rejected += 1
            return
        if item.passed_over:
            self._pass_over(item.passed_over)
            return
        if item.date is None:
            self.report.warnings.append(
                (
                    item.line,
                    _where(item)
                    + "no date from 1900 to 2199 in its Date or Received header; skipped",
                )
            )
            self._pass_over("no date")
            return
        if item.date > self.today:
            self._pass_over("after today")
            return
        if self.since and item.date < self.since:
            self._pass_over("before --since")
            return
        found = {
            self.customers[address]
            for address in item.addresses - self.me
            if address in self.customers
        }
        if not found:
            self._pass_over("no customer on file")
            return
        note = fitted_text(item.note) if item.note else None
        for customer_id in sorted(found):
            if self.store.touchpoints.add_gathered(
                customer_id, item.date, item.kind or self.kind, note, item.source, self.created_at
            ):
                self.report.created += 1
            else:
                self.report.unchanged += 1

    def _pass_over(self, reason: str) -> None:
        self.report.skipped += 1
        self.report.skipped_because[reason] = self.report.skipped_because.get(reason, 0) + 1


_NO_DATE = "no date from 1900 to 2199 in its Date or Received header; skipped"


def _where(item: Gathered) -> str:
    return "" if item.line else f"{item.where}: "
