"""The records the services pass around: plain frozen values, no behaviour beyond naming.

Named tuples, not frozen dataclasses: every command builds these classes at start-up, and a
frozen dataclass costs about 1 ms to build (its methods are generated and compiled), a named
tuple a quarter of that; with seven of them, 6 ms of each command's start.
"""

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

TOUCHPOINT_KINDS = ("call", "email", "meeting", "visit", "message", "note", "sale")
IMPORTED_KIND = "imported"
# A note is written about a customer, not to them: it does not reset the silence clock.
CONTACT_KINDS = frozenset(TOUCHPOINT_KINDS) - {"note"} | {IMPORTED_KIND}
STATUSES = ("customer", "prospect", "lost")
DEFAULT_CADENCE_DAYS = 30


class Customer(NamedTuple):
    id: int
    name: str
    email: str | None = None
    phone: str | None = None
    company: str | None = None
    tags: tuple[str, ...] = ()
    notes: str | None = None
    status: str = "customer"
    cadence_days: int | None = None
    uid: str | None = None
    birthday: str | None = None  # "YYYY-MM-DD", or "--MM-DD" without a year
    anniversary: str | None = None
    created_on: dt.date | None = None
    last_contact: dt.date | None = None
    last_contact_kind: str | None = None
    sales_total: float = 0.0
    extra: Mapping[str, str] = MappingProxyType({})


class Touchpoint(NamedTuple):
    id: int
    customer_id: int
    date: dt.date
    kind: str
    note: str | None = None
    amount: float | None = None


class FollowUp(NamedTuple):
    id: int
    customer_id: int
    due_on: dt.date
    note: str | None = None
    done_on: dt.date | None = None
    customer_name: str = ""


class Referral(NamedTuple):
    id: int
    referrer_id: int
    referrer: str
    referrer_email: str | None
    referred_id: int
    referred: str
    referred_email: str | None
    date: dt.date
    note: str | None = None
    referred_status: str = "prospect"


class DueEntry(NamedTuple):
    customer: Customer
    days_since: int | None
    cadence_days: int
    reason: str


class LoggedTouchpoint(NamedTuple):
    customer: Customer
    touchpoint: Touchpoint
    next_follow_up: FollowUp | None
    closed_follow_ups: tuple[FollowUp, ...] = ()
    repeated: bool = False  # the same kind was logged for them on that date already


class CustomerDetail(NamedTuple):
    customer: Customer
    touchpoints: tuple[Touchpoint, ...]
    referrals_made: tuple[Referral, ...]
    referrals_received: tuple[Referral, ...]
    open_follow_ups: tuple[FollowUp, ...]
