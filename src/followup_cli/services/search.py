"""`followup search`: whatever is on file about a word, whoever it is about."""

import re
from dataclasses import dataclass

from followup_cli.errors import InvalidInputError
from followup_cli.store import Store
from followup_cli.values import name_key


@dataclass(frozen=True)
class Found:
    kind: str  # customer, touchpoint or promise
    customer_id: int
    name: str
    date: str | None
    text: str


def search(store: Store, text: str, limit: int) -> list[Found]:
    """Customers first (by any field), then touchpoint notes, then promise notes, each
    best match first, then newest; `limit` per kind, 0 for all."""
    words = re.findall(r"\w+", name_key(text))
    if not words:
        raise InvalidInputError("search for a word: a name, a company, a word from a note")
    rows = limit or -1
    found = [
        Found("customer", customer_id, name, created_on, match or "")
        for customer_id, name, created_on, match in store.search.customers(text.strip(), rows)
    ]
    query = " ".join(f'"{word}"*' for word in words)  # every word, each as a prefix
    for kind, table, date_column in (
        ("touchpoint", "touchpoints", "date"),
        ("promise", "followups", "due_on"),
    ):
        found += [
            Found(kind, customer_id, name, date, note)
            for customer_id, name, date, note in store.search.notes(table, date_column, query, rows)
        ]
    return found
