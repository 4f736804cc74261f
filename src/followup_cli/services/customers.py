"""Adding, editing, showing and removing customers (found through services.lookup)."""

import datetime as dt
from typing import NamedTuple

from followup_cli import values
from followup_cli.customer_fields import BY_KEY, FILE_KEYS
from followup_cli.errors import InvalidInputError
from followup_cli.models import Customer, CustomerDetail
from followup_cli.services.lookup import refuse_taken_email, resolve_customer
from followup_cli.store import Store


class NewCustomer(NamedTuple):
    name: str
    email: str | None = None
    phone: str | None = None
    company: str | None = None
    tags: tuple[str, ...] = ()
    notes: str | None = None
    cadence_days: int | None = None
    status: str = "customer"
    birthday: str | None = None
    anniversary: str | None = None


ADDABLE_STATUSES = ("customer", "prospect")  # a customer is marked lost later, by edit


class Added(NamedTuple):
    customer: Customer
    namesakes: list[Customer]  # customers already on file with that name, as lookups compare


def add_customer(store: Store, new: NewCustomer, today: dt.date) -> Added:
    fields = {
        key: BY_KEY[key].clean(getattr(new, key))
        for key in FILE_KEYS
        if key not in ("status", "uid")  # a UID comes with a card, never typed
    }
    fields["status"] = values.clean_status(new.status, ADDABLE_STATUSES)
    with store.transaction(f"add {fields['name']}"):
        refuse_taken_email(store, fields["email"])
        namesakes = store.customers.with_name_key(values.name_key(fields["name"]))
        customer_id = store.customers.insert(created_on=today, **fields)
    return Added(store.customers.by_id(customer_id), namesakes)


class CustomerChanges(NamedTuple):
    """What `edit` was asked to change; None leaves a field as it is."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None
    company: str | None = None
    add_tags: tuple[str, ...] = ()
    remove_tags: tuple[str, ...] = ()
    notes: str | None = None
    cadence_days: str | None = None
    status: str | None = None
    birthday: str | None = None  # "" clears it
    anniversary: str | None = None


_SET_BY_EDIT = (
    "name",
    "email",
    "phone",
    "company",
    "notes",
    "cadence_days",
    "status",
    "birthday",
    "anniversary",
)


def edit_customer(
    store: Store, reference: str, changes: CustomerChanges, today: dt.date
) -> Customer:
    with store.transaction("edit"):
        customer = resolve_customer(store, reference)
        store.journal.describe(f"edit {customer.name}")
        updates: dict = {}
        for key in _SET_BY_EDIT:
            value = getattr(changes, key)
            if value is not None:
                updates[BY_KEY[key].column] = BY_KEY[key].clean(value)
        if "email" in updates:
            refuse_taken_email(store, updates["email"], customer.id)
        if changes.add_tags or changes.remove_tags:
            removed = set(values.clean_tags(changes.remove_tags))
            lacking = sorted(removed - set(customer.tags))
            if lacking:
                raise InvalidInputError(
                    f"{customer.name} has no tag {', '.join(lacking)}; their tags: "
                    f"{', '.join(customer.tags) or 'none'}"
                )
            kept = [tag for tag in customer.tags if tag not in removed]
            updates["tags"] = values.clean_tags([*kept, *changes.add_tags])
        if updates.get("status", customer.status) != customer.status:
            updates["status_changed_on"] = today.isoformat()
        if not updates:
            raise InvalidInputError("nothing to change; give at least one option, see --help")
        store.customers.update(customer.id, updates)
    return store.customers.by_id(customer.id)


def delete_customer(store: Store, reference: str) -> Customer:
    with store.transaction("delete"):
        customer = resolve_customer(store, reference)
        store.journal.describe(f"delete {customer.name} with their history")
        store.customers.delete(customer.id)
    return customer


def customer_detail(store: Store, reference: str) -> CustomerDetail:
    customer = resolve_customer(store, reference)
    return CustomerDetail(
        customer=customer,
        touchpoints=tuple(store.touchpoints.of(customer.id)),
        referrals_made=tuple(store.referrals.listed(referrer_id=customer.id)),
        referrals_received=tuple(store.referrals.listed(referred_id=customer.id)),
        open_follow_ups=tuple(store.follow_ups.open_of(customer.id)),
    )
