"""Finding the customer someone means: the one lookup every command and every import uses.

Two questions, one comparison (values.name_key: case and accents folded):
- `resolve_customer`: a reference, as typed after a command or written in a touchpoint or
  referral file: an id, an email (any case), a whole name, a whole word of a name, or a unique
  part of one. Whole words beat fragments ("ana" is Ana Alpha, not Fatima Fofana).
- `customer_named`: a person, as in a contacts file or `refer NAME`: the customer with exactly
  that email, or exactly that name. A fragment never stands for a new person's name.
An ambiguous answer is refused with the candidates listed, so nothing changes on a guess.
"""

import re

from followup_cli.errors import AmbiguousError, InvalidInputError, NotFoundError
from followup_cli.models import Customer
from followup_cli.store import Store
from followup_cli.values import email_key, is_whole_number, name_key

CANDIDATES_SHOWN = 5
MAX_PARTIAL_MATCHES = 50
MAX_ID = 2**63 - 1  # SQLite's largest integer: a longer number is no id of ours


def resolve_customer(store: Store, reference: str) -> Customer:
    text = (reference or "").strip()
    if not text:
        raise InvalidInputError("name a customer by id, email or name")
    number = text.removeprefix("#")
    if is_whole_number(number):
        customer = store.customers.by_id(int(number)) if int(number) <= MAX_ID else None
        if customer:
            return customer
        raise NotFoundError(f"no customer has id {number}; see `followup list`")
    if "@" in text:
        customer = store.customers.by_email(text)
        if customer:
            return customer
        raise NotFoundError(f"no customer has the email {text}; see `followup list`")
    key = name_key(text)
    exact = store.customers.with_name_key(key)
    if len(exact) == 1:
        return exact[0]
    candidates = exact or store.customers.with_name_key_part(key, MAX_PARTIAL_MATCHES)
    whole_words = [c for c in candidates if _is_word_of(key, c)]
    if whole_words:
        candidates = whole_words  # fragments are no candidates beside whole words
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise NotFoundError(f"no customer matches {text!r}; see `followup list --search {text!r}`")
    raise AmbiguousError(
        f"{text!r} matches several customers: {_listed(candidates)}; use the id or the email"
    )


def customer_named(
    store: Store, name: str, email: str | None, uid: str | None = None
) -> Customer | None:
    """The customer this person already is, or None: by the UID of their card when one is
    on file (card_uid), else by email when there is one, else by the whole name. Several
    customers with the name and nothing to tell them apart: refused."""
    if uid:
        found = _customer_with_uid(store, uid, name, email)
        if found:
            return found
    if email:
        return store.customers.by_email(email)
    named = store.customers.with_name_key(name_key(name))
    if uid:  # someone who kept another card's UID is another card's person
        named = [customer for customer in named if customer.uid in (None, uid)]
    if len(named) > 1:
        raise AmbiguousError(
            f"several customers are named {name!r}: {_listed(named)}; give the email to say which"
        )
    return named[0] if named else None


def card_uid(customer: Customer) -> str:
    """The UID a customer's vCard carries: the one they came with, else one made from their
    id and the day they were added, the same in every export of this book."""
    return customer.uid or f"urn:followup:customer:{customer.id}:{customer.created_on}"


_MADE_UID = re.compile(r"urn:followup:customer:(\d{1,18}):(\d{4}-\d\d-\d\d)")


def kept_uid(uid: str | None) -> str | None:
    """The UID a customer keeps from a card: none made by card_uid, which names a customer
    of one book only (another book that kept it would export a UID naming someone else)."""
    return None if uid is None or _MADE_UID.fullmatch(uid) else uid


def _customer_with_uid(store: Store, uid: str, name: str, email: str | None) -> Customer | None:
    """A UID made by card_uid names the customer with that id who was added that day and
    came with no UID of their own, when the name or the email agrees too: another book's
    customer of the same id and day is someone else."""
    kept = store.customers.with_uid(uid)
    if len(kept) == 1:
        return kept[0]
    made = _MADE_UID.fullmatch(uid)
    if kept or not made:
        return None
    customer = store.customers.by_id(int(made.group(1)))
    if customer is None or customer.uid or str(customer.created_on) != made.group(2):
        return None
    same_email = email and email_key(email) == email_key(customer.email or "")
    return customer if same_email or name_key(name) == name_key(customer.name) else None


def describe(customer: Customer) -> str:
    email = f", {customer.email}" if customer.email else ""
    return f"{customer.name} (#{customer.id}{email})"


def refuse_taken_email(store: Store, email: str | None, own_id: int | None = None) -> None:
    if not email:
        return
    holder = store.customers.by_email(email)
    if holder and holder.id != own_id:
        raise InvalidInputError(f"{email} already belongs to {describe(holder)}")


def _is_word_of(key: str, customer: Customer) -> bool:
    words, wanted = name_key(customer.name).split(), key.split()
    return any(words[i : i + len(wanted)] == wanted for i in range(len(words)))


def _listed(candidates: list[Customer]) -> str:
    shown = "; ".join(describe(candidate) for candidate in candidates[:CANDIDATES_SHOWN])
    if len(candidates) >= MAX_PARTIAL_MATCHES:
        return f"{shown} and many more"
    if len(candidates) > CANDIDATES_SHOWN:
        return f"{shown} and {len(candidates) - CANDIDATES_SHOWN} more"
    return shown
