"""Customers who are probably one person, and merging two into one.

The reasons, each checked by the rule the rest of followup uses: the same name compared as
the lookup compares it (values.name_key), a name-only record beside one with an email, the
same phone (phones.comparable: "+49 30 1234567" and "030 123 4567" meet where the region is
Germany, by --region's rule in `import phone`). The same email
in another case cannot happen: the book refuses it when it is entered or imported.
"""

import datetime as dt
from dataclasses import dataclass
from itertools import combinations

from followup_cli.customer_fields import FILE_KEYS
from followup_cli.errors import InvalidInputError
from followup_cli.models import Customer
from followup_cli.phones import comparable
from followup_cli.services.lookup import resolve_customer
from followup_cli.store import Store
from followup_cli.values import email_key, others_note

MIN_PHONE_DIGITS = 7  # fewer is an extension or a short code, shared by many


@dataclass(frozen=True)
class Duplicate:
    first: Customer
    second: Customer
    reason: str


def find_duplicates(store: Store, region: str | None) -> list[Duplicate]:
    pairs: dict[tuple[int, int], Duplicate] = {}
    for group in store.duplicates.sharing_a_name():
        for first, second in combinations(group, 2):
            if bool(first.email) != bool(second.email):
                reason = "the same name, one record without an email"
            else:
                reason = "the same name"
            pairs[(first.id, second.id)] = Duplicate(first, second, reason)
    by_phone: dict[str, list[int]] = {}
    for customer_id, phone in store.customers.phones():
        key = comparable(phone, region)
        if len(key.lstrip("+")) >= MIN_PHONE_DIGITS:
            by_phone.setdefault(key, []).append(customer_id)
    for key, ids in by_phone.items():
        for first_id, second_id in combinations(ids, 2):
            if (first_id, second_id) not in pairs:
                first, second = store.customers.by_id(first_id), store.customers.by_id(second_id)
                reason = f"the same phone ({key})"
                pairs[(first_id, second_id)] = Duplicate(first, second, reason)
    return [pairs[key] for key in sorted(pairs)]


@dataclass(frozen=True)
class Merged:
    customer: Customer
    other: Customer
    dropped_referrals: int
    kept_in_notes: tuple[str, ...]  # OTHER's values KEEP had otherwise, as the notes say them


def merge(store: Store, keep_reference: str, other_reference: str, today: dt.date) -> Merged:
    """KEEP receives OTHER's history, the union of tags, OTHER's value for every field KEEP
    leaves empty, and in KEEP's notes OTHER's notes and each value KEEP has otherwise (an
    email, a phone, a company); OTHER is removed."""
    with store.transaction("merge"):
        keep = resolve_customer(store, keep_reference)
        other = resolve_customer(store, other_reference)
        if keep.id == other.id:
            raise InvalidInputError(f"{keep_reference!r} and {other_reference!r} are one customer")
        store.journal.describe(f"merge {other.name} (#{other.id}) into {keep.name} (#{keep.id})")
        dropped = store.duplicates.move_history(keep.id, other.id)
        store.customers.delete(other.id)
        changes, kept_in_notes = _merged_fields(keep, other)
        if changes:
            store.customers.update(keep.id, changes)
    return Merged(store.customers.by_id(keep.id), other, len(dropped), kept_in_notes)


# Fields whose differing values both stay: KEEP's in the field, OTHER's in KEEP's notes.
_BOTH_KEPT = {"email": email_key, "phone": str.strip, "company": str.casefold}


def _merged_fields(keep: Customer, other: Customer) -> tuple[dict, tuple[str, ...]]:
    changes = {
        key: getattr(other, key)
        for key in FILE_KEYS
        if key not in ("tags", "notes") and not getattr(keep, key) and getattr(other, key)
    }
    tags = tuple(dict.fromkeys([*keep.tags, *other.tags]))
    if tags != keep.tags:
        changes["tags"] = tags
    kept_in_notes = tuple(
        others_note(key, [getattr(other, key)])
        for key, compared in _BOTH_KEPT.items()
        if getattr(keep, key)
        and getattr(other, key)
        and compared(getattr(keep, key)) != compared(getattr(other, key))
    )
    notes = [keep.notes] if keep.notes else []
    notes.extend(kept_in_notes)
    if other.notes:
        notes.append(f"From {other.name}: {other.notes}")
    if len(notes) > (1 if keep.notes else 0):
        changes["notes"] = "\n".join(notes)
    if other.extra:
        changes["extra"] = {**other.extra, **keep.extra}
    return changes, kept_in_notes
