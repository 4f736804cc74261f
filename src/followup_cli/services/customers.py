"""Adding, editing, showing and removing customers (found through services.lookup)."""

import datetime as dt
from dataclasses import dataclass

from followup_cli import values
from followup_cli.errors import InvalidInputError
from followup_cli.models import Customer, CustomerDetail
from followup_cli.services.lookup import refuse_taken_email, resolve_customer
from followup_cli.store import Store


@dataclass(frozen=True)
class NewCustomer:
    name: str
    email: str | None = None
    phone: str | None = None
    company: str | None = None
    tags: tuple[str, ...] = ()
    notes: str | None = None
    cadence_days: int | None = None
    status: str = "customer"


def add_customer(store: Store, new: NewCustomer, today: dt.date) -> Customer:
    name = values.clean_name(new.name)
    email = values.clean_email(new.email)
    status = values.clean_status(new.status, ("customer", "prospect"))
    fields = {
        "name": name,
        "email": email,
        "phone": values.clean_text(new.phone, "phone"),
        "company": values.clean_text(new.company, "company"),
        "tags": values.clean_tags(new.tags),
        "notes": values.clean_text(new.notes, "note"),
        "cadence_days": values.clean_cadence(new.cadence_days),
        "status": status,
    }
    with store.transaction():
        refuse_taken_email(store, email)
        customer_id = store.insert_customer(created_on=today, **fields)
    return store.customer_by_id(customer_id)


@dataclass(frozen=True)
class CustomerChanges:
    """What `edit` was asked to change; None leaves a field as it is."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None
    company: str | None = None
    add_tags: tuple[str, ...] = ()
    remove_tags: tuple[str, ...] = ()
    notes: str | None = None
    cadence: str | None = None
    status: str | None = None


def edit_customer(
    store: Store, reference: str, changes: CustomerChanges, today: dt.date
) -> Customer:
    with store.transaction():
        customer = resolve_customer(store, reference)
        updates: dict = {}
        if changes.name is not None:
            updates["name"] = values.clean_name(changes.name)
        if changes.email is not None:
            updates["email"] = values.clean_email(changes.email)
            refuse_taken_email(store, updates["email"], customer.id)
        for column in ("phone", "company"):
            value = getattr(changes, column)
            if value is not None:
                updates[column] = values.clean_text(value, column)
        if changes.notes is not None:
            updates["notes"] = values.clean_text(changes.notes, "note")
        if changes.add_tags or changes.remove_tags:
            removed = set(values.clean_tags(changes.remove_tags))
            kept = [tag for tag in customer.tags if tag not in removed]
            updates["tags"] = values.clean_tags([*kept, *changes.add_tags])
        if changes.cadence is not None:
            updates["cadence_days"] = values.cadence_from_text(changes.cadence)
        if changes.status is not None:
            updates["status"] = values.clean_status(changes.status)
            if updates["status"] != customer.status:
                updates["status_changed_on"] = today.isoformat()
        if not updates:
            raise InvalidInputError("nothing to change; give at least one option, see --help")
        store.update_customer(customer.id, updates)
    return store.customer_by_id(customer.id)


def delete_customer(store: Store, reference: str) -> Customer:
    with store.transaction():
        customer = resolve_customer(store, reference)
        store.delete_customer(customer.id)
    return customer


def customer_detail(store: Store, reference: str) -> CustomerDetail:
    customer = resolve_customer(store, reference)
    return CustomerDetail(
        customer=customer,
        touchpoints=tuple(store.touchpoints_of(customer.id)),
        referrals_made=tuple(store.referrals(referrer_id=customer.id)),
        referrals_received=tuple(store.referrals(referred_id=customer.id)),
        open_follow_ups=tuple(store.open_follow_ups_of(customer.id)),
    )
