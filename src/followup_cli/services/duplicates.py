"""Customers who are probably one person, and merging two into one.

The reasons, each checked by the rule the rest of followup uses: the same name compared as
the lookup compares it (values.name_key), a name-only record beside one with an email, the
same phone (its last 7 digits, so "+49 30 1234567" and "030 123 4567" meet). The same email
in another case cannot happen: the book refuses it when it is entered or imported.
"""

import datetime as dt
import re
from dataclasses import dataclass
from itertools import combinations

from followup_cli.customer_fields import FILE_KEYS
from followup_cli.errors import InvalidInputError
from followup_cli.models import Customer
from followup_cli.services.lookup import resolve_customer
from followup_cli.store import Store
from followup_cli.values import email_key

PHONE_DIGITS_COMPARED = 7


@dataclass(frozen=True)
class Duplicate:
    first: Customer
    second: Customer
    reason: str


def find_duplicates(store: Store) -> list[Duplicate]:
    pairs: dict[tuple[int, int], Duplicate] = {}
    for group in store.customers_sharing_a_name():
        for first, second in combinations(group, 2):
            if bool(first.email) != bool(second.email):
                reason = "the same name, one record without an email"
            else:
                reason = "the same name"
            pairs[(first.id, second.id)] = Duplicate(first, second, reason)
    by_phone: dict[str, list[int]] = {}
    for customer_id, phone in store.phones():
        digits = re.sub(r"\D", "", phone)
        if len(digits) >= PHONE_DIGITS_COMPARED:
            by_phone.setdefault(digits[-PHONE_DIGITS_COMPARED:], []).append(customer_id)
    for digits, ids in by_phone.items():
        for first_id, second_id in combinations(ids, 2):
            if (first_id, second_id) not in pairs:
                first, second = store.customer_by_id(first_id), store.customer_by_id(second_id)
                reason = f"the same phone (ending {digits})"
                pairs[(first_id, second_id)] = Duplicate(first, second, reason)
    return [pairs[key] for key in sorted(pairs)]


@dataclass(frozen=True)
class Merged:
    customer: Customer
    other: Customer
    dropped_referrals: int


def merge(store: Store, keep_reference: str, other_reference: str, today: dt.date) -> Merged:
    """KEEP receives OTHER's history, the union of tags, OTHER's value for every field KEEP
    leaves empty, and OTHER's other email and notes in KEEP's notes; OTHER is removed."""
    with store.transaction("merge"):
        keep = resolve_customer(store, keep_reference)
        other = resolve_customer(store, other_reference)
        if keep.id == other.id:
            raise InvalidInputError(f"{keep_reference!r} and {other_reference!r} are one customer")
        store.describe_change(f"merge {other.name} (#{other.id}) into {keep.name} (#{keep.id})")
        dropped = store.move_history(keep.id, other.id)
        store.delete_customer(other.id)
        store.update_customer(keep.id, _merged_fields(keep, other))
        store.contacts_arrived([keep.id])
    return Merged(store.customer_by_id(keep.id), other, len(dropped))


def _merged_fields(keep: Customer, other: Customer) -> dict:
    changes = {
        key: getattr(other, key)
        for key in FILE_KEYS
        if key not in ("tags", "notes") and not getattr(keep, key) and getattr(other, key)
    }
    tags = tuple(dict.fromkeys([*keep.tags, *other.tags]))
    if tags != keep.tags:
        changes["tags"] = tags
    notes = [keep.notes] if keep.notes else []
    if other.email and keep.email and email_key(other.email) != email_key(keep.email):
        notes.append(f"Other emails: {other.email}")
    if other.notes:
        notes.append(f"From {other.name}: {other.notes}")
    if len(notes) > (1 if keep.notes else 0):
        changes["notes"] = "\n".join(notes)
    if other.extra:
        changes["extra"] = {**other.extra, **keep.extra}
    return changes
