"""Meetings from an iCalendar export (Google, Outlook, Apple): one item per occurrence of
each event up to today, with the people who came.

icalendar reads the file (VTIMEZONE blocks, Windows zone names such as "W. Europe Standard
Time" included) and recurring-ical-events expands RRULE, RDATE, EXDATE and occurrences moved
by RECURRENCE-ID; both are imported only by this command.
"""

import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path

from followup_cli.errors import InvalidInputError
from followup_cli.imports.gathered import Gathered
from followup_cli.values import email_key

_EARLIEST = dt.date(1900, 1, 1)
_ABSENT = frozenset({"DECLINED", "DELEGATED"})


class CalendarFile:
    def __init__(self, source: str, data: str | bytes, today: dt.date):
        self.label = "standard input" if source == "-" else source
        try:
            raw = data if isinstance(data, bytes) else Path(data).read_bytes()
        except OSError as error:
            raise InvalidInputError(f"cannot read {source}: {error.strerror}") from None
        self.size, self.done, self.today = len(raw), 0, today
        self.raw = raw

    def position(self) -> int:
        return self.done

    def events(self) -> Iterator[Gathered]:
        import icalendar
        import recurring_ical_events

        try:
            calendar = icalendar.Calendar.from_ical(self.raw)
            # Two days past today: a meeting today in a zone ahead of ours still counts; the
            # writer passes over what falls after today once converted to the local date.
            occurrences = recurring_ical_events.of(calendar).between(
                _EARLIEST, self.today + dt.timedelta(days=2)
            )
        except Exception as error:  # the libraries raise many kinds
            if not self.raw.strip():
                reason = "it is empty"
            elif isinstance(error, KeyError):  # a property the expansion needs
                reason = f"an event has no {error.args[0]}"
            else:
                reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise InvalidInputError(
                f"{self.label} is not a calendar we can read: {reason}"
            ) from None
        self.done = self.size
        for event in occurrences:
            if event.name == "VEVENT":
                yield _meeting(event)


def _meeting(event) -> Gathered:
    start = event.get("DTSTART").dt
    summary = " ".join(str(event.get("SUMMARY", "")).split()) or None
    uid = str(event.get("UID", "")).strip()
    occurrence = event.get("RECURRENCE-ID")
    source = "ics:" + (uid or _digest(summary, start))
    if occurrence is not None:
        source += "/" + _instant(occurrence.dt)
    people = [event.get("ORGANIZER"), *_as_list(event.get("ATTENDEE"))]
    addresses = frozenset(
        _address(person)
        for person in people
        if person is not None and str(person.params.get("PARTSTAT", "")).upper() not in _ABSENT
    ) - {""}
    cancelled = str(event.get("STATUS", "")).upper() == "CANCELLED"
    return Gathered(
        0,
        f"event {summary or uid}",
        source,
        _local_date(start),
        summary,
        addresses,
        "cancelled" if cancelled else None,
    )


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _address(person) -> str:
    text = str(person).strip()
    if text[:7].lower() == "mailto:":
        text = text[7:]
    return email_key(text) if "@" in text else ""


def _local_date(start) -> dt.date:
    """All-day and multi-day events on their start date; timed ones on the local date (the
    machine's zone); floating times as written."""
    if isinstance(start, dt.datetime):
        return (start.astimezone() if start.tzinfo else start).date()
    return start


def _instant(value) -> str:
    """One spelling of an occurrence in every export: aware times in UTC."""
    if isinstance(value, dt.datetime) and value.tzinfo:
        return value.astimezone(dt.UTC).isoformat()
    return value.isoformat()


def _digest(summary: str | None, start) -> str:
    text = f"{summary}\0{_instant(start)}"
    return "sha1:" + hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()
