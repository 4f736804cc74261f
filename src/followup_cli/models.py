"""The records the services pass around: plain frozen values, no behaviour beyond naming."""

import datetime as dt
from dataclasses import dataclass, field

TOUCHPOINT_KINDS = ("call", "email", "meeting", "visit", "message", "note", "sale")
IMPORTED_KIND = "imported"
# A note is written about a customer, not to them: it does not reset the silence clock.
CONTACT_KINDS = frozenset(TOUCHPOINT_KINDS) - {"note"} | {IMPORTED_KIND}
STATUSES = ("customer", "prospect", "lost")
DEFAULT_CADENCE_DAYS = 30


@dataclass(frozen=True)
class Customer:
    id: int
    name: str
    email: str | None = None
    phone: str | None = None
    company: str | None = None
    tags: tuple[str, ...] = ()
    notes: str | None = None
    status: str = "customer"
    cadence_days: int | None = None
    created_on: dt.date | None = None
    last_contact: dt.date | None = None
    last_contact_kind: str | None = None
    sales_total: float = 0.0
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Touchpoint:
    id: int
    customer_id: int
    date: dt.date
    kind: str
    note: str | None = None
    amount: float | None = None


@dataclass(frozen=True)
class FollowUp:
    id: int
    customer_id: int
    due_on: dt.date
    note: str | None = None
    done_on: dt.date | None = None
    customer_name: str = ""


@dataclass(frozen=True)
class Referral:
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


@dataclass(frozen=True)
class DueEntry:
    customer: Customer
    days_since: int | None
    cadence_days: int
    reason: str


@dataclass(frozen=True)
class LoggedTouchpoint:
    customer: Customer
    touchpoint: Touchpoint
    next_follow_up: FollowUp | None
    closed_follow_ups: tuple[FollowUp, ...] = ()
    repeated: bool = False  # the same kind was logged for them on that date already


@dataclass(frozen=True)
class CustomerDetail:
    customer: Customer
    touchpoints: tuple[Touchpoint, ...]
    referrals_made: tuple[Referral, ...]
    referrals_received: tuple[Referral, ...]
    open_follow_ups: tuple[FollowUp, ...]
