"""Dates: the words people type, and the cells files hold. One package, so that the two agree
on what a two-digit year means, which of day and month comes first, and what an impossible
date is called (rules.py); phrases.py is the grammar of what people type, cells.py the
stricter reading of what files hold."""

from followup_cli.dates.cells import (
    DateOrderUndecided,
    is_slashed,
    parse_file_date,
    slashed_order_hint,
)
from followup_cli.dates.phrases import FORMS_HINT, Direction, parse_future, parse_past, parse_when
from followup_cli.dates.rules import EARLIEST, LATEST, full_year, order_shown, within_range

__all__ = [
    "EARLIEST",
    "FORMS_HINT",
    "LATEST",
    "DateOrderUndecided",
    "Direction",
    "full_year",
    "is_slashed",
    "order_shown",
    "parse_file_date",
    "parse_future",
    "parse_past",
    "parse_when",
    "slashed_order_hint",
    "within_range",
]
