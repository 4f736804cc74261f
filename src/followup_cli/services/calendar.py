"""Open follow-ups as an iCalendar file: one all-day event each, and a yearly one for each
customer's birthday and anniversary, with UIDs that stay the same across exports, so
re-importing into a calendar updates events instead of doubling them. Built on the icalendar
library, which owns RFC 5545's escaping and line folding."""

import datetime as dt

from followup_cli.dates import yearly
from followup_cli.models import Customer, FollowUp

UID_DOMAIN = "followup.invalid"


def follow_ups_to_ics(follow_ups: list[FollowUp], dated: list[Customer], today: dt.date) -> bytes:
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//followup//follow-ups//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "followup")
    stamp = dt.datetime.combine(today, dt.time(), tzinfo=dt.UTC)
    for follow_up in follow_ups:
        event = Event()
        event.add("uid", f"followup-{follow_up.id}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", follow_up.due_on)
        event.add("dtend", follow_up.due_on + dt.timedelta(days=1))
        event.add("summary", f"Follow up with {follow_up.customer_name}")
        if follow_up.note:
            event.add("description", follow_up.note)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    for customer in dated:
        for key in yearly.YEARLY_KEYS:
            if value := getattr(customer, key):
                calendar.add_component(_yearly_event(Event(), customer, key, value, stamp, today))
    return calendar.to_ical()


def _yearly_event(event, customer: Customer, key: str, value: str, stamp, today: dt.date):
    """From the year it began when known, else from this year. 29 February repeats on the
    last day of February, so that it falls on the 28th in other years."""
    start = yearly.on_year(value, yearly.year_of(value) or today.year)
    rule = {"freq": "yearly"}
    if yearly.month_day(value) == (2, 29):
        rule |= {"bymonth": 2, "bymonthday": -1}
    event.add("uid", f"followup-{key}-{customer.id}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(days=1))
    event.add("rrule", rule)
    event.add("summary", f"{customer.name}: {key}")
    event.add("transp", "TRANSPARENT")
    return event
