"""Exporting tables as CSV or JSON objects whose keys are the CSV columns.

The CSV re-imports to the same data; output/render.py guards its cells against spreadsheet
formulas as it does every CSV followup prints, and our importer removes the guard again.
"""

import json
from collections.abc import Iterator

from followup_cli.customer_fields import FILE_KEYS
from followup_cli.errors import InvalidInputError
from followup_cli.services.lookup import card_uid
from followup_cli.store import Store

COLUMNS = {
    "customers": list(FILE_KEYS),
    "touchpoints": ["customer", "email", "date", "kind", "note", "amount"],
    "referrals": ["referrer", "referrer_email", "referred", "referred_email", "date", "note"],
    "followups": ["customer", "email", "due_on", "note", "done_on"],
}


def export_objects(store: Store, kind: str) -> Iterator[dict]:
    if kind not in COLUMNS:
        raise InvalidInputError(
            f"cannot export {kind!r}; choose customers, touchpoints, referrals or followups"
        )
    rows = {
        "customers": store.exports.customers,
        "touchpoints": store.exports.touchpoints,
        "referrals": store.exports.referrals,
        "followups": store.exports.follow_ups,
    }[kind]()
    columns = COLUMNS[kind]
    for row in rows:
        item = dict(zip(columns, row, strict=True))
        if kind == "customers":
            item["tags"] = json.loads(item["tags"] or "[]")
        yield item


def card_objects(store: Store) -> Iterator[dict]:
    """Customers as their vCards carry them: the file fields, and the UID that finds each
    again when the cards come back (services.lookup.card_uid)."""
    for customer in store.exports.whole_customers():
        item = {key: getattr(customer, key) for key in FILE_KEYS}
        yield item | {"tags": list(customer.tags), "uid": card_uid(customer)}


def export_cell(value) -> str:
    """A value as the export writes it: exact, so that the file re-imports to the same data."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ",".join(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
