"""The daily digest behind `remind`: what to do today, in the order to do it.

Promises first (overdue, then due today), then the coming week's birthdays and anniversaries,
then the customers silent longest, then referrals of the past week not yet thanked. An empty
digest means cron should stay silent.
"""

import datetime as dt
from typing import NamedTuple

from followup_cli.models import DueEntry, FollowUp, Referral
from followup_cli.services.due import coming_dates, due_list
from followup_cli.store import Store

THANKS_WINDOW_DAYS = 7


class Digest(NamedTuple):
    today: dt.date
    overdue: list[FollowUp]
    due_today: list[FollowUp]
    dates: list[DueEntry]  # birthdays and anniversaries today through a week ahead
    silent: list[DueEntry]  # `stale` in the digest's JSON, as scripts read it
    to_thank: list[Referral]

    @property
    def empty(self) -> bool:
        return not (self.overdue or self.due_today or self.dates or self.silent or self.to_thank)


def build_digest(store: Store, today: dt.date, days: int, limit: int) -> Digest:
    promised = store.follow_ups.open_until(today)
    overdue = [follow_up for follow_up in promised if follow_up.due_on < today]
    due_today = [follow_up for follow_up in promised if follow_up.due_on == today]
    dates = coming_dates(store, today, days)
    # Each customer once: under a promise, else a date, else their silence. Ask for a few
    # more, since those already listed are not repeated; 0 is everyone.
    listed_ids = {follow_up.customer_id for follow_up in promised}
    listed_ids |= {entry.customer.id for entry in dates}
    wanted = limit + len(listed_ids) if limit else 0
    listed = due_list(store, today, days, wanted, promises=False, dates=False)
    silent = [e for e in listed.entries if e.customer.id not in listed_ids][: limit or None]
    since = today - dt.timedelta(days=THANKS_WINDOW_DAYS - 1)
    return Digest(today, overdue, due_today, dates, silent, store.referrals.unthanked_since(since))
