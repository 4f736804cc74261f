"""Calls and texts as Android's "SMS Backup & Restore" writes them: `calls-*.xml`, whose root
`<calls>` holds a `<call>` per call, and `sms-*.xml`, whose root `<smses>` holds `<sms>` and
`<mms>` elements. Dates are milliseconds since the epoch, read in the machine's time zone.

    <call number="+49301111111" duration="240" date="1764583200000" type="2" .../>
    <sms address="030 1111111" date="..." type="1" body="See you at 3" .../>
    <mms date="..." msg_box="2"><parts><part ct="text/plain" text="..."/></parts>
      <addrs><addr address="+49..." type="151"/></addrs></mms>

The file is streamed (each element cleared once read), so memory stays flat however many
years it holds. It comes from a phone and a cloud folder, so a DOCTYPE is refused
(defusedxml: no entity is ever declared or fetched), and so is any stretch of 32 MiB
without a `>`: a tag that long is no backup's (an MMS photo is a few megabytes of base64)
and would otherwise be held whole in memory.
"""

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from followup_cli.errors import InvalidInputError, cannot_read
from followup_cli.imports.gathered import Gathered
from followup_cli.phones import number_key

MAX_TAG_BYTES = 32 * 1024 * 1024
READ_BYTES = 1024 * 1024
_CALLS = {  # Android's CallLog.Calls types: a contact when answered or made, else the reason
    "1": "incoming",
    "2": "outgoing",
    "3": "missed call",
    "4": "voicemail",
    "5": "rejected call",
    "6": "blocked call",
}
_TEXTS = {"1": "received", "2": "sent"}  # Telephony's inbox and sent boxes; the rest unsent
_MMS_PARTIES = {"1": ("137",), "2": ("151", "130")}  # received: from; sent: to and cc


class _Bounded:
    """The file as the XML parser reads it, refusing a tag longer than MAX_TAG_BYTES."""

    def __init__(self, stream, name: str):
        self.stream, self.name, self.done, self.run = stream, name, 0, 0

    def read(self, size: int = -1) -> bytes:
        # A megabyte at a time, whatever the parser asks: expat parses a tag split across
        # reads again from its start at each one, so a 5 MB MMS photo read 16 KiB at a time
        # cost it quadratic time (the 32 MiB limit took 53 s; 1 s this way).
        data = self.stream.read(max(size, READ_BYTES) if size >= 0 else size)
        end = data.rfind(b">")
        self.run = self.run + len(data) if end < 0 else len(data) - end - 1
        self.done += len(data)
        if self.run > MAX_TAG_BYTES:
            raise InvalidInputError(
                f"{self.name}: more than 32 MiB without a closing '>' near byte {self.done}; "
                "this is not a backup of calls or messages"
            )
        return data


class PhoneBackups:
    """One or more backup files, read in the order given."""

    def __init__(self, paths: list[str], region: str | None):
        self.paths = [Path(path) for path in paths]
        self.region = region
        self.size = 0
        for path in self.paths:
            try:
                if path.is_dir():
                    raise InvalidInputError(f"{path} is a folder; give its files (calls-*.xml)")
                self.size += path.stat().st_size
            except FileNotFoundError:
                raise InvalidInputError(f"{path} does not exist") from None
            except OSError as error:
                raise InvalidInputError(cannot_read(str(path), error.strerror)) from None
        self.done_before = 0
        self.current: _Bounded | None = None
        self.warnings: list[tuple[int, str]] = []

    def position(self) -> int:
        return self.done_before + (self.current.done if self.current else 0)

    def items(self) -> Iterator[Gathered]:
        for path in self.paths:
            yield from self._file(path)
            self.done_before += self.current.done
            self.current = None

    def _file(self, path: Path) -> Iterator[Gathered]:
        import xml.etree.ElementTree as ElementTree

        import defusedxml
        from defusedxml.ElementTree import iterparse

        try:
            stream = path.open("rb")
        except OSError as error:
            raise InvalidInputError(cannot_read(str(path), error.strerror)) from None
        with stream:
            self.current = _Bounded(stream, str(path))
            try:
                if path.stat().st_size == 0:
                    raise InvalidInputError(f"{path} is empty")
                events = iterparse(self.current, events=("start", "end"), forbid_dtd=True)
                _, root = next(events)
                if root.tag not in ("calls", "smses"):
                    raise InvalidInputError(
                        f"{path}: <{root.tag}> is neither <calls> nor <smses>; is it a backup "
                        "of SMS Backup & Restore?"
                    )
                number = 0
                for event, element in events:
                    if event != "end" or element.tag not in ("call", "sms", "mms"):
                        continue
                    number += 1
                    yield self._item(path, number, element)
                    root.clear()  # what was read is let go: memory stays flat
            except ElementTree.ParseError as error:
                raise InvalidInputError(f"{path}: not well-formed XML ({error})") from None
            except defusedxml.DefusedXmlException:
                raise InvalidInputError(
                    f"{path}: declares entities or a DTD, which no backup does; refused"
                ) from None

    def _item(self, path: Path, number: int, element) -> Gathered:
        where = f"{path.name}, {element.tag} {number}"
        attributes = element.attrib
        moment = _moment(attributes.get("date", ""))
        if moment is None:
            return _problem(where, f"its date {attributes.get('date', '')!r} is not a time")
        if element.tag == "call":
            return self._call(where, moment, attributes)
        if element.tag == "sms":
            sent = _TEXTS.get(attributes.get("type", ""))
            numbers = [attributes.get("address", "")]
            note = attributes.get("body")
        else:
            sent = _TEXTS.get(attributes.get("msg_box", ""))
            parties = _MMS_PARTIES.get(attributes.get("msg_box", ""), ())
            numbers = [
                addr.get("address", "")
                for addr in element.iter("addr")
                if addr.get("type") in parties
            ]
            note = next(
                (p.get("text") for p in element.iter("part") if p.get("ct") == "text/plain"),
                None,
            )
        kind_of = f"{element.tag}:{attributes.get('type') or attributes.get('msg_box')}"
        if sent is None:
            return _passed(where, moment, "draft or unsent message", kind_of)
        note = note.strip().splitlines()[0] if note and note.strip() not in ("", "null") else None
        return self._between(where, moment, numbers, "message", note, kind_of)

    def _call(self, where: str, moment: dt.datetime, attributes) -> Gathered:
        kind_of = f"call:{attributes.get('type')}"
        direction = _CALLS.get(attributes.get("type", ""))
        if direction is None:
            return _passed(where, moment, "other call", kind_of)
        if direction not in ("incoming", "outgoing"):
            return _passed(where, moment, direction, kind_of)
        seconds = attributes.get("duration", "0")
        if not seconds.isdigit() or int(seconds) == 0:
            return _passed(where, moment, "unanswered call", kind_of)
        minutes = max(1, round(int(seconds) / 60))
        note = f"{direction} call, {minutes} min"
        return self._between(where, moment, [attributes.get("number", "")], "call", note, kind_of)

    def _between(self, where, moment, numbers, kind, note, kind_of) -> Gathered:
        keys = {number_key(number, self.region) for number in numbers}
        keys.discard(None)
        source = f"phone:{kind_of}:{int(moment.timestamp() * 1000)}:{','.join(sorted(keys))}"
        if not keys:
            # Android writes a withheld or unknown caller as "", -1, -2 or -3.
            hidden = all(not number.strip() or number.strip()[0] == "-" for number in numbers)
            return _passed(where, moment, "no number" if hidden else "number not placed", source)
        return Gathered(0, where, source, moment.date(), note, frozenset(keys), kind=kind)


def _moment(text: str) -> dt.datetime | None:
    if not text.strip().isdigit():
        return None
    try:
        return dt.datetime.fromtimestamp(int(text) / 1000)
    except (OverflowError, OSError, ValueError):
        return None


def _passed(where: str, moment: dt.datetime, reason: str, source: str) -> Gathered:
    return Gathered(0, where, source, moment.date(), None, frozenset(), passed_over=reason)


def _problem(where: str, reason: str) -> Gathered:
    return Gathered(0, where, "", None, None, frozenset(), problem=reason)
