"""Open follow-ups as an iCalendar file: one all-day event each, with a UID that stays the
same across exports, so re-importing into a calendar updates events instead of doubling them.
Built on the icalendar library, which owns RFC 5545's escaping and line folding."""

import datetime as dt

from followup_cli.models import FollowUp

UID_DOMAIN = "followup.invalid"


def follow_ups_to_ics(follow_ups: list[FollowUp], today: dt.date) -> bytes:
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
    return calendar.to_ical()
