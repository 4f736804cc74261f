"""Meetings from an iCalendar export (Google, Outlook, Apple, Exchange, iCloud): one item per
occurrence of each event up to today, with the people who came.

An event is the unit, as a row is for CSV: the file is cut into its events here, line by
line, so that one event that cannot be read is rejected with its line and never takes the
calendar with it, and several VCALENDAR objects in one file are all read. icalendar then
reads each event and time zone (Windows zone names such as "W. Europe Standard Time"
included), and recurring-ical-events expands RRULE, RDATE, EXDATE and occurrences moved by
RECURRENCE-ID, one series (the events sharing a UID) at a time; both are imported only by
this command.

How leniently: see the README's "Calendars" section, which says it as this module does it.
"""

import datetime as dt
import hashlib
import re
import warnings
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from followup_cli.dates.rules import EARLIEST
from followup_cli.errors import InvalidInputError, cannot_read
from followup_cli.imports.gathered import Gathered
from followup_cli.values import email_key, text_of_bytes

_ABSENT = frozenset({"DECLINED", "DELEGATED"})
_SINGLE = frozenset({"DTSTART", "DTEND", "DURATION", "UID", "RECURRENCE-ID", "SUMMARY"})
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_MAILTO = re.compile(r"mailto:\s*([^\s;,:<>\"]+@[^\s;,:<>\"]+)", re.IGNORECASE)


class CalendarFile:
    def __init__(self, source: str, data: str | bytes, today: dt.date):
        self.label = "standard input" if source == "-" else source
        try:
            raw = data if isinstance(data, bytes) else Path(data).read_bytes()
        except OSError as error:
            raise InvalidInputError(cannot_read(source, error.strerror)) from None
        self.size, self.done, self.today, self.raw = len(raw), 0, today, raw
        self.warnings: list[tuple[int, str]] = []

    def position(self) -> int:
        return self.done

    def events(self) -> Iterator[Gathered]:
        import icalendar
        import recurring_ical_events

        parts = _cut(text_of_bytes(self.raw).removeprefix("\ufeff"))
        if not parts.begun:
            reason = "it is empty" if not self.raw.strip() else "it has no BEGIN:VCALENDAR"
            raise InvalidInputError(f"{self.label} is not a calendar we can read: {reason}")
        # Two days past today: a meeting today in a zone ahead of ours still counts; the
        # writer passes over what falls after today once converted to the local date.
        until = self.today + dt.timedelta(days=2)
        expand = _Expansion(icalendar, recurring_ical_events, parts, until)
        with warnings.catch_warnings():  # icalendar's guesses about zone names: ours to make
            warnings.simplefilter("ignore")
            _learn_zones(icalendar, parts)
            series: dict[object, list[_Event]] = {}
            for block in parts.events:
                event = _read_event(icalendar, block)
                if isinstance(event, Gathered):
                    yield event
                    continue
                self.warnings.extend((block.line, note) for note in event.notes)
                key = (block.calendar, event.uid) if event.uid else id(event)
                series.setdefault(key, []).append(event)
            for events in series.values():
                yield from expand.series(events)
        self.done = self.size


@dataclass
class _Block:
    line: int  # where its BEGIN stands
    calendar: int  # which VCALENDAR of the file holds it (0: none)
    lines: list[str]
    closed: bool = False


@dataclass
class _Parts:
    events: list[_Block] = field(default_factory=list)
    zones: list[_Block] = field(default_factory=list)
    calendars: dict[int, list[str]] = field(default_factory=dict)  # their own properties
    begun: bool = False  # whether any component begins: a file of tasks alone has no events


@dataclass
class _Event:
    block: _Block
    component: object
    uid: str
    label: str
    notes: list[str]


def _cut(text: str) -> _Parts:
    """Every event and time zone, with the line each begins on, and each calendar's own
    properties. An event that is never closed ends where the next event, zone or calendar
    begins, so that it is the only one lost."""
    parts, calendar, inside = _Parts(), 0, 0  # inside: how deep in other components
    block: _Block | None = None
    kind, depth = "", 0
    for number, line in _unfolded(text):
        name = _name(line)
        value = _value(line).strip().upper() if name in ("BEGIN", "END") else ""
        if block is not None:
            if (name, value) == ("END", kind) and depth == 1:
                block.lines.append(line)
                block.closed, block = True, None
                continue
            if not ((name == "BEGIN" and value in _TOP) or (name, value) == ("END", "VCALENDAR")):
                block.lines.append(line)
                depth += (name == "BEGIN") - (name == "END")
                continue
            block = None  # never closed: what follows is read as if it had been
        parts.begun = parts.begun or name == "BEGIN"
        if name == "BEGIN" and value in ("VEVENT", "VTIMEZONE"):
            block, kind, depth = _Block(number, calendar, [line]), value, 1
            (parts.events if value == "VEVENT" else parts.zones).append(block)
        elif name == "BEGIN" and value == "VCALENDAR":
            calendar, inside = calendar + 1, 0
            parts.calendars[calendar] = []
        elif name in ("BEGIN", "END"):
            inside = max(0, inside + (1 if name == "BEGIN" else -1))
        elif calendar and not inside:
            parts.calendars[calendar].append(line)
    return parts


_TOP = frozenset({"VCALENDAR", "VEVENT", "VTIMEZONE"})


def _unfolded(text: str) -> Iterator[tuple[int, str]]:
    """Content lines with the number of the line each begins on: a line that begins with a
    space or a tab continues the one before (RFC 5545, 3.1)."""
    start, pieces = 0, []
    for number, line in enumerate(_LINE_BREAK.split(text), start=1):
        if line[:1] in (" ", "\t") and pieces:
            pieces.append(line[1:])
            continue
        if pieces:
            yield start, "".join(pieces)
        start, pieces = number, [line] if line.strip() else []
    if pieces:
        yield start, "".join(pieces)


def _learn_zones(icalendar, parts: _Parts) -> None:
    """The zones events name that the system does not know by name (Windows names such as
    "W. Europe Standard Time" it knows): the system's history is complete, where Outlook
    writes today's rules back to 1601, costly to look up. A definition that cannot be read
    leaves floating times; one no event names is never read."""
    from icalendar.timezone import tzp

    named = {
        found.strip('"').strip()
        for block in parts.events
        for line in block.lines
        for found in _TZID.findall(line.split(":", 1)[0])
    }
    for block in parts.zones:
        tzid = next((_value(line).strip() for line in block.lines if _name(line) == "TZID"), "")
        if tzid in named and tzp.timezone(tzid) is None:
            with suppress(Exception):  # the system's zone of that name, or floating times
                icalendar.Timezone.from_ical(_text(block.lines))


def _read_event(icalendar, block: _Block) -> "_Event | Gathered":
    lines, seen, depth = [], set(), 0
    for line in block.lines:
        name = _name(line)
        depth += (name == "BEGIN") - (name == "END")
        if depth > 1 or (name == "END" and depth == 1):
            continue  # alarms are not touchpoints: a broken one spoils nothing
        if name not in ("BEGIN", "END") and not _value(line).strip():
            continue  # an empty property says nothing
        if name in _SINGLE:
            if name in seen:
                continue
            seen.add(name)
        if name == "RRULE":
            line = line.split(":", 1)[0] + ":" + "".join(_value(line).split())
        lines.append(line)
    label = _label(lines)
    if not block.closed:
        return _rejected(block, label, "it is not closed: END:VEVENT is missing")
    try:
        component = icalendar.Event.from_ical(_text(lines))
    except Exception:
        return _rejected(block, label, "it cannot be read as an event")
    notes = []
    for name in ("EXDATE", "RDATE"):
        values = _as_list(component.get(name))
        kept = [value for value in values if not _broken(value)]
        if len(kept) < len(values):
            notes.append(f"{label}: an {name} that cannot be read is left out")
            del component[name]
            for value in kept:
                component.add(name, value, encode=False)
    for name in _ENDS:
        if _broken(component.get(name)):
            del component[name]
    start = component.get("DTSTART")
    if start is None:
        return _rejected(block, label, "it has no start (DTSTART)")
    if _broken(start):
        return _rejected(block, label, f"its start cannot be read: DTSTART:{start}")
    if _broken(component.get("RRULE")):
        return _rejected(block, label, _rule_unread(component))
    return _Event(block, component, str(component.get("UID", "")).strip(), label, notes)


class _Expansion:
    """Occurrences of a series (the events sharing a UID in one calendar) from the earliest
    day a book holds to `until`."""

    def __init__(self, icalendar, recurring_ical_events, parts: _Parts, until: dt.date):
        self.icalendar, self.recurring = icalendar, recurring_ical_events
        self.parts, self.until = parts, until

    def series(self, events: list[_Event]) -> Iterator[Gathered]:
        """A series that cannot be expanded is tried event by event, so that only the events
        at fault are rejected."""
        try:
            found = self._expand(events)
        except Exception as error:
            good = []
            for event in events if len(events) > 1 else []:
                try:
                    self._expand([event])
                    good.append(event)
                except Exception as alone:
                    yield _rejected(event.block, event.label, _why(alone, event))
            if good and len(good) < len(events):
                yield from self.series(good)
            elif len(events) == 1 or good:  # alone, or each alone but not together
                for event in events:
                    yield _rejected(event.block, event.label, _why(error, event))
            return
        line = events[0].block.line
        for occurrence in found:
            yield _meeting(occurrence, line)

    def _expand(self, events: list[_Event]) -> list:
        calendar = self.icalendar.Calendar()
        for line in self.parts.calendars.get(events[0].block.calendar, []):
            if _name(line) == "X-WR-TIMEZONE":
                calendar.add("X-WR-TIMEZONE", _value(line).strip())
        for event in events:
            calendar.add_component(event.component)
        return list(self.recurring.of(calendar).between(EARLIEST, self.until))


_ENDS = ("DTEND", "DURATION")
_TZID = re.compile(r";TZID=(\"[^\"]*\"|[^;]*)", re.IGNORECASE)


def _why(error: Exception, event: _Event) -> str:
    if type(error).__name__ == "BadRuleStringFormat":
        return _rule_unread(event.component)
    return "its dates cannot be read together (start, repeat rule and exceptions)"


def _rule_unread(component) -> str:
    rules = _as_list(component.get("RRULE"))
    written = ", ".join(rule.to_ical().decode("utf-8", "replace") for rule in rules)
    return f"its repeat rule cannot be read: RRULE:{written}"


def _rejected(block: _Block, label: str, reason: str) -> Gathered:
    return Gathered(block.line, "", "", None, None, frozenset(), problem=f"{label}: {reason}")


def _label(lines: list[str]) -> str:
    """How a rejected event is named: its summary, else its UID, as written."""
    for wanted in ("SUMMARY", "UID"):
        for line in lines:
            if _name(line) == wanted and _value(line).strip():
                text = " ".join(_value(line).replace("\\,", ",").split())
                return f"event {text[:60]!r}"
    return "an event with no summary or UID"


def _name(line: str) -> str:
    return line.split(":", 1)[0].split(";", 1)[0].strip().upper()


def _value(line: str) -> str:
    """What follows the first colon that stands outside a quoted parameter."""
    if '"' not in line:
        return line.partition(":")[2]
    quoted = False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            return line[index + 1 :]
    return ""


def _text(lines: list[str]) -> str:
    return "\r\n".join(lines) + "\r\n"


def _broken(value) -> bool:
    if isinstance(value, list):
        return any(_broken(each) for each in value)
    return type(value).__name__ == "vBroken"


def _meeting(event, line: int) -> Gathered:
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
        line,
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
    """The mailto: address wherever it stands in the value: vendors put parameters of their
    own before it that icalendar cannot always tell from the value (Confluence)."""
    text = str(person).strip()
    found = _MAILTO.search(text)
    if found:
        return email_key(found.group(1))
    return email_key(text) if "@" in text and " " not in text else ""


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
