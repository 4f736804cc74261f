"""Exporting tables as CSV or JSON objects whose keys are the CSV columns.

The CSV re-imports to the same data. Cells a spreadsheet would run as a formula (starting
with = + - @, tab or carriage return) get a leading apostrophe, as OWASP advises against CSV
injection; plain numbers such as -12.5 are left alone, and our importer removes the
apostrophe again, so the round trip holds. Scripts that want raw cells pass raw=True.
"""

import json
import re
from collections.abc import Iterator

from followup_cli.customer_fields import FILE_KEYS
from followup_cli.errors import InvalidInputError
from followup_cli.store import Store

COLUMNS = {
    "customers": list(FILE_KEYS),
    "touchpoints": ["customer", "email", "date", "kind", "note", "amount"],
    "referrals": ["referrer", "referrer_email", "referred", "referred_email", "date", "note"],
    "followups": ["customer", "email", "due_on", "note", "done_on"],
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def export_objects(store: Store, kind: str) -> Iterator[dict]:
    if kind not in COLUMNS:
        raise InvalidInputError(
            f"cannot export {kind!r}; choose customers, touchpoints, referrals or followups"
        )
    rows = {
        "customers": store.export_customers,
        "touchpoints": store.export_touchpoints,
        "referrals": store.export_referrals,
        "followups": store.export_follow_ups,
    }[kind]()
    columns = COLUMNS[kind]
    for row in rows:
        item = dict(zip(columns, row, strict=True))
        if kind == "customers":
            item["tags"] = json.loads(item["tags"] or "[]")
        yield item


def csv_cell(value, raw: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = ",".join(value)
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    if not raw and text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text
