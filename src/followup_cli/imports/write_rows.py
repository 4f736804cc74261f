"""What every import does with one row: skip it, reject it with its line, or hand its values to
the writer of its kind. A rejected row is reported and the import goes on, so that one run
lists every problem."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from followup_cli.errors import AmbiguousError, NotFoundError
from followup_cli.imports.columns import ColumnMap, cell_values, is_footer_row
from followup_cli.imports.records import RowRejected, RowSkipped
from followup_cli.models import Customer
from followup_cli.services.lookup import resolve_customer
from followup_cli.store import Store


@dataclass(frozen=True)
class ImportContext:
    """What the whole file shares: the options, today, each date column's day/month order,
    and whether the book was empty with its unique email index set aside (see pipeline)."""

    options: object
    today: dt.date
    date_orders: dict[str, str]
    fresh_book: bool


class RowWriter:
    def __init__(self, store: Store, context: ImportContext, columns: ColumnMap, report):
        self.store, self.context, self.columns, self.report = store, context, columns, report
        self.options, self.today, self.date_orders = (
            context.options,
            context.today,
            context.date_orders,
        )
        self.created_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        self.line = 0

    def take_chunk(self, lines: Sequence[int], rows: list[list[str]]) -> None:
        self.report.lanes["rows"] += 1
        for line, cells in zip(lines, rows, strict=True):
            self.take(line, cells)

    def take(self, line: int, cells: list[str]) -> None:
        if is_footer_row(cells):  # a report's totals and copyright lines
            self.report.skipped += 1
            return
        self.take_record(line, cells)

    def take_record(
        self, line: int, cells: list[str], values: dict[str, list[str]] | None = None
    ) -> None:
        """One record: written, skipped, or rejected with its line. `values` are its fields
        when a reader other than CSV has taken them out (a vCard); else the cells give them."""
        self.line = line
        try:
            self.take_values(cell_values(cells, self.columns) if values is None else values, cells)
        except RowSkipped:
            self.report.skipped += 1
        except RowRejected as problem:
            self.reject(line, problem.reason)

    def take_values(self, values: dict[str, list[str]], cells: list[str]) -> None:
        raise NotImplementedError

    def reject(self, line: int, reason: str) -> None:
        self.report.rejected += 1
        self.report.problems.append((line, reason))

    def warn(self, line: int, warnings: Sequence[str]) -> None:
        self.report.warnings.extend((line, warning) for warning in warnings)

    def finish(self) -> None:
        """After the last row: a writer that holds rows back writes them."""

    def find(self, reference: str | None, email: str | None, role: str = "customer") -> Customer:
        """The customer a row names, by its email, else by the same lookup as the commands."""
        if email:
            found = self.store.customers.by_email(email)
            if found:
                return found
            if not reference:
                raise RowRejected(f"no {role} has the email {email}")
        try:
            return resolve_customer(self.store, reference)
        except NotFoundError:
            raise RowRejected(f"unknown {role} {reference!r}") from None
        except AmbiguousError as problem:
            raise RowRejected(problem.message) from None
