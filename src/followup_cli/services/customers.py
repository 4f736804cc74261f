"""Adding, finding, editing and removing customers.

A CUSTOMER reference is an id, an exact email, an exact name (any case) or a unique part of a
name. An ambiguous one is refused with the candidates listed, so nothing is ever changed on a
guess.
"""

import datetime as dt
from dataclasses import dataclass

from followup_cli.errors import AmbiguousError, InvalidInputError, NotFoundError
from followup_cli.models import Customer, CustomerDetail
from followup_cli.services import fields
from followup_cli.store import Store

CANDIDATES_SHOWN = 5
MAX_PARTIAL_MATCHES = 50


def resolve_customer(store: Store, reference: str) -> Customer:
    text = (reference or "").strip()
    if not text:
        raise InvalidInputError("name a customer by id, email or name")
    number = text.lstrip("#")
    if fields.is_whole_number(number):
        customer = store.customer_by_id(int(number))
        if customer:
            return customer
        raise NotFoundError(f"no customer has id {number}; see `followup list`")
    if "@" in text:
        customer = store.customer_by_email(text)
        if customer:
            return customer
        raise NotFoundError(f"no customer has the email {text}; see `followup list`")
    exact = store.customers_named(text)
    if len(exact) == 1:
        return exact[0]
    candidates = exact or store.customers_with_name_part(text, MAX_PARTIAL_MATCHES)
    # "ana" means Ana Alpha rather than Anabel Cruz: whole words beat fragments of words.
    whole_words = [c for c in candidates if _is_word_of(text, c.name)]
    if len(whole_words) == 1:
        return whole_words[0]
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise NotFoundError(f"no customer matches {text!r}; see `followup list --search {text!r}`")
    shown = "; ".join(_describe(candidate) for candidate in candidates[:CANDIDATES_SHOWN])
    more = (
        f" and {len(candidates) - CANDIDATES_SHOWN} more"
        if len(candidates) > CANDIDATES_SHOWN
        else ""
    )
    if len(candidates) >= MAX_PARTIAL_MATCHES:
        more = " and many more"
    raise AmbiguousError(
        f"{text!r} matches several customers: {shown}{more}; use the id or the email"
    )


def _is_word_of(text: str, name: str) -> bool:
    words, wanted = name.casefold().split(), text.casefold().split()
    return any(words[i : i + len(wanted)] == wanted for i in range(len(words)))


def _describe(customer: Customer) -> str:
    email = f", {customer.email}" if customer.email else ""
    return f"{customer.name} (#{customer.id}{email})"


def refuse_taken_email(store: Store, email: str | None, own_id: int | None = None) -> None:
    if not email:
        return
    holder = store.customer_by_email(email)
    if holder and holder.id != own_id:
        raise InvalidInputError(f"{email} already belongs to {_describe(holder)}")


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
    name = fields.clean_name(new.name)
    email = fields.clean_email(new.email)
    status = fields.clean_status(new.status, ("customer", "prospect"))
    values = {
        "name": name,
        "email": email,
        "phone": fields.clean_text(new.phone, "phone"),
        "company": fields.clean_text(new.company, "company"),
        "tags": fields.clean_tags(new.tags),
        "notes": fields.clean_text(new.notes, "note"),
        "cadence_days": fields.clean_cadence(new.cadence_days),
        "status": status,
    }
    with store.transaction():
        refuse_taken_email(store, email)
        customer_id = store.insert_customer(created_on=today, **values)
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
            updates["name"] = fields.clean_name(changes.name)
        if changes.email is not None:
            updates["email"] = fields.clean_email(changes.email)
            refuse_taken_email(store, updates["email"], customer.id)
        for column in ("phone", "company"):
            value = getattr(changes, column)
            if value is not None:
                updates[column] = fields.clean_text(value, column)
        if changes.notes is not None:
            updates["notes"] = fields.clean_text(changes.notes, "note")
        if changes.add_tags or changes.remove_tags:
            removed = set(fields.clean_tags(changes.remove_tags))
            kept = [tag for tag in customer.tags if tag not in removed]
            updates["tags"] = fields.clean_tags([*kept, *changes.add_tags])
        if changes.cadence is not None:
            updates["cadence_days"] = parse_cadence(changes.cadence)
        if changes.status is not None:
            updates["status"] = fields.clean_status(changes.status)
            if updates["status"] != customer.status:
                updates["status_changed_on"] = today.isoformat()
        if not updates:
            raise InvalidInputError("nothing to change; give at least one option, see --help")
        store.update_customer(customer.id, updates)
    return store.customer_by_id(customer.id)


def parse_cadence(text: str) -> int | None:
    """A number of days, or "default" to fall back to tag cadences and --days."""
    value = text.strip().lower()
    if value in ("default", "none", ""):
        return None
    if not fields.is_whole_number(value):
        raise InvalidInputError(f"cadence {text!r} is not a number of days or 'default'")
    return fields.clean_cadence(int(value))


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
