"""vCards as phones, address books and CRMs really write them: 2.1, 3.0 and 4.0, one card
or many per file, or a directory of .vcf files (khard, vdirsyncer).

Hand-written rather than vobject, because the traps are below the text: a folded line may
split a UTF-8 character (so lines are unfolded as bytes, then decoded), each property of a
2.1 card has its own CHARSET and quoted-printable encoding with soft line breaks, and some
Android lines (`EMAIL;X-CUSTOM(CHARSET=UTF-8,ENCODING=QUOTED-PRINTABLE,...)`) are dropped by
vobject. Each card becomes the field values a CSV row gives (name, email, phone, company,
tags, notes), so matching, merging and the report are the CSV import's own.
"""

import codecs
import quopri
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from followup_cli.customer_fields import FILE_KEYS
from followup_cli.errors import InvalidInputError, cannot_read
from followup_cli.imports.records import RowRejected
from followup_cli.values import MAX_FIELD_LENGTH, is_system_group, text_of_bytes

SUFFIXES = (".vcf", ".vcard")
# A card carries every field a file does (customer_fields.FILE_KEYS), each read below.
FIELDS = FILE_KEYS
# Dates of the year: 3.0 and 4.0 BDAY, 4.0 ANNIVERSARY, Evolution's X-ANNIVERSARY; Apple
# writes an anniversary as an X-ABDATE whose X-ABLabel (same item group) says so.
_YEARLY = {"BDAY": "birthday", "ANNIVERSARY": "anniversary", "X-ANNIVERSARY": "anniversary"}
_OMIT_YEAR = re.compile(rb"X-APPLE-OMIT-YEAR=(\d{4})", re.IGNORECASE)
# Properties taken as one field each, as written: the card's UID, and followup's own fields,
# which its export writes beside what address books read (CATEGORIES stays for them;
# X-FOLLOWUP-TAGS keeps tags exactly).
_AS_WRITTEN = {
    "UID": "uid",
    "X-FOLLOWUP-STATUS": "status",
    "X-FOLLOWUP-CADENCE-DAYS": "cadence_days",
}
# Binary properties, often megabytes of base64: passed over, never decoded or stored.
_BINARY = frozenset({"PHOTO", "LOGO", "SOUND", "KEY"})
_USED = frozenset(
    {"FN", "N", "ORG", "EMAIL", "TEL", "CATEGORIES", "NOTE", "X-ABSHOWAS", "X-FOLLOWUP-TAGS"}
    | {"X-ABDATE", "X-ABLABEL"}
    | _AS_WRITTEN.keys()
    | _YEARLY.keys()
)
_CHARSET = re.compile(rb"CHARSET=([^;:,]+)", re.IGNORECASE)
_PREF_NUMBER = re.compile(rb"(?:^|;)PREF=(\d{1,3})", re.IGNORECASE)
_PREF_WORD = re.compile(rb"(?:^|[;=,])PREF(?:$|[;,])", re.IGNORECASE)
_NOT_PREFERRED = 1000


@dataclass
class VcardSource:
    """What pipeline.py reads: each card's first line and values, and the cards refused."""

    files: list[tuple[str, bytes]]
    size: int
    encoding: str | None = None  # for values that name no CHARSET (else UTF-8, else cp1252)
    done: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)

    def position(self) -> int:
        return self.done

    def cards(self) -> Iterator[tuple[int, dict[str, list[str]]]]:
        several = len(self.files) > 1
        self.done, self.rejected = 0, []
        for name, data in self.files:
            prefix = f"{name}: " if several else ""
            for line, problem, values in _cards(_as_utf8_bytes(data), self.encoding):
                if problem:
                    self.rejected.append((line, prefix + problem))
                else:
                    yield line, values
            self.done += len(data)


def is_vcard_source(source: str, data: str | bytes | None) -> bool:
    """A directory (`data` None: load_source holds no directory), a .vcf/.vcard file, or
    content that opens with BEGIN:VCARD."""
    if data is None or source.lower().endswith(SUFFIXES):
        return True
    if isinstance(data, bytes):
        head = data[:256]
    else:
        try:
            with Path(data).open("rb") as stream:
                head = stream.read(256)
        except OSError as error:  # a device's read error: the file's, never the output's
            raise InvalidInputError(cannot_read(source, error.strerror)) from None
    head = head.replace(b"\x00", b"").lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n")
    return head[:11].upper() == b"BEGIN:VCARD"


def open_vcards(source: str, data: str | bytes | None, encoding: str | None) -> VcardSource:
    """Every card file named by `source`: held bytes, a file, or a directory's .vcf files
    (other files there are passed over)."""
    if isinstance(data, bytes):
        return VcardSource([("standard input", data)], len(data), encoding)
    path = Path(source)
    paths = (
        sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file())
        if path.is_dir()
        else [path]
    )
    if not paths:
        raise InvalidInputError(f"{source} holds no .vcf files")
    files = []
    for each in paths:
        try:
            files.append((each.name, each.read_bytes()))
        except OSError as error:
            raise InvalidInputError(cannot_read(each, error.strerror)) from None
    return VcardSource(files, sum(len(data) for _, data in files), encoding)


def _as_utf8_bytes(data: bytes) -> bytes:
    """UTF-16 files (some Windows exports) as UTF-8, and lines ended by CR alone (old Mac
    address books) by LF, so that the rest works on one form."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        data = data.decode("utf-16", errors="replace").encode("utf-8")
    if b"\n" not in data:
        data = data.replace(b"\r", b"\n")
    return data.removeprefix(codecs.BOM_UTF8)


def _cards(
    data: bytes, encoding: str | None
) -> Iterator[tuple[int, str | None, dict[str, list[str]]]]:
    """(first line, None, values) per card, or (first line, the reason it is refused, {})."""
    start, lines, nested = 0, None, 0  # nested: how deep in a 2.1 AGENT's own card
    for number, line in _logical_lines(data):
        word = line[:12].upper()
        if word.startswith(b"BEGIN:VCARD"):
            if lines is not None and (nested or _opens_agent(lines)):
                nested += 1  # the person's assistant, not the person: passed over
                continue
            if lines is not None:
                yield start, "this card is never closed (no END:VCARD before the next)", {}
            start, lines = number, []
        elif word.startswith(b"END:VCARD") and lines is not None:
            if nested:
                nested -= 1
                continue
            try:
                yield start, None, _values(lines, encoding)
            except RowRejected as refusal:
                yield start, refusal.reason, {}
            lines = None
        elif lines is not None and not nested:
            lines.append(line)
    if lines is not None:
        yield start, "this card is never closed (the file ends before END:VCARD)", {}


def _opens_agent(lines: list[bytes]) -> bool:
    """Whether the card's last line is a 2.1 `AGENT:` whose value, a whole card, follows."""
    prop = _parse(lines[-1]) if lines else None
    return prop is not None and prop.name == "AGENT" and not prop.value.strip()


def _logical_lines(data: bytes) -> Iterator[tuple[int, bytes]]:
    """Physical lines unfolded, as bytes: a line starting with a space or tab continues
    the last, and a quoted-printable value ending in '=' goes on in the next line."""
    pieces: list[bytes] = []  # of the line being unfolded: joined once, so a photo folded
    start = 0  # over 70,000 lines costs its length, not its length times its lines
    for number, line in enumerate(data.split(b"\n"), start=1):
        line = line.removesuffix(b"\r")
        if pieces:
            if line[:1] in (b" ", b"\t"):
                pieces.append(line[1:])
                continue
            if (
                pieces[-1].endswith(b"=")
                and b"QUOTED-PRINTABLE" in pieces[0].partition(b":")[0].upper()
                and not line[:9].upper().startswith(b"END:VCARD")
            ):
                pieces[-1] = pieces[-1][:-1]
                pieces.append(line.lstrip(b" \t"))
                continue
            yield start, b"".join(pieces)
        pieces, start = [line], number
    if pieces and pieces != [b""]:
        yield start, b"".join(pieces)


@dataclass
class _Property:
    name: str
    params: bytes
    value: bytes
    group: bytes = b""  # Apple's item1 in item1.X-ABDATE


def _values(lines: list[bytes], encoding: str | None) -> dict[str, list[str]]:
    if any(b"\x00" in line for line in lines):
        raise RowRejected("this card holds a NUL byte; is it a vCard?")
    card: dict[str, list[_Property]] = {}
    for line in lines:
        prop = _parse(line)
        if prop is None or prop.name in _BINARY:
            continue
        if len(prop.value) > MAX_FIELD_LENGTH:
            raise RowRejected(f"its {prop.name} value is over 64 KiB")
        if prop.name in _USED:
            card.setdefault(prop.name, []).append(prop)
    return _fields(card, encoding)


def _dated(prop: _Property, encoding: str | None) -> str:
    """The date as written, the year taken out where Apple marks it as no year."""
    text = _plain(prop, encoding).strip()
    omitted = _OMIT_YEAR.search(prop.params)
    if omitted and text.startswith(omitted.group(1).decode()):
        return "--" + text[4:].lstrip("-")
    return text


def _parse(line: bytes) -> _Property | None:
    head, colon, value = line.partition(b":")
    if b'"' in head:  # a quoted parameter may hold a colon
        head, colon, value = _split_quoted(line)
    if not colon:
        return None
    name, _, params = head.partition(b";")
    group, _, name = name.rpartition(b".")  # Apple's item1.EMAIL
    return _Property(name.decode("ascii", "replace").strip().upper(), params, value, group)


def _split_quoted(line: bytes) -> tuple[bytes, bytes, bytes]:
    quoted = False
    for index, byte in enumerate(line):
        if byte == 0x22:
            quoted = not quoted
        elif byte == 0x3A and not quoted:
            return line[:index], b":", line[index + 1 :]
    return line, b"", b""


def _text(prop: _Property, encoding: str | None) -> str:
    """The value decoded: quoted-printable and the charset its parameters name, else
    UTF-8, else Windows-1252."""
    params, raw = prop.params, prop.value
    if b"QUOTED-PRINTABLE" in params.upper():
        raw = quopri.decodestring(raw)
    charset = _CHARSET.search(params)
    for name in (
        charset.group(1).decode("ascii", "replace").strip('"') if charset else None,
        encoding,
    ):
        if name:
            try:
                return raw.decode(name)
            except (LookupError, UnicodeDecodeError):
                pass
    return text_of_bytes(raw)


def _split(text: str, separator: str | None) -> list[str]:
    """Parts between unescaped separators, each unescaped (RFC 6350 3.4)."""
    parts, current, escaped = [], [], False
    for char in text:
        if escaped:
            current.append("\n" if char in "nN" else char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    if escaped:
        current.append("\\")
    parts.append("".join(current))
    return parts


def _plain(prop: _Property, encoding: str | None) -> str:
    return _split(_text(prop, encoding), None)[0].replace("\r\n", "\n").strip()


def _preference(prop: _Property) -> int:
    number = _PREF_NUMBER.search(prop.params)
    if number:
        return int(number.group(1))
    return 1 if _PREF_WORD.search(prop.params) else _NOT_PREFERRED


def _by_preference(props: list[_Property], encoding: str | None) -> list[str]:
    ranked = sorted(enumerate(props), key=lambda pair: (_preference(pair[1]), pair[0]))
    values = (_plain(prop, encoding) for _, prop in ranked)
    return [value for value in values if value]


def _fields(card: dict[str, list[_Property]], encoding: str | None) -> dict[str, list[str]]:
    first = lambda name: card[name][0] if name in card else None  # noqa: E731
    text = lambda prop: _text(prop, encoding)  # noqa: E731
    plain = lambda prop: _plain(prop, encoding)  # noqa: E731
    org = first("ORG")
    units = [part.strip() for part in _split(text(org), ";")] if org else []
    company = next((unit for unit in units if unit), "")  # the organisation, not a department
    showas = first("X-ABSHOWAS")
    name = ""
    if showas and plain(showas).upper() == "COMPANY":
        name = company
    if not name and first("FN"):
        name = plain(first("FN"))
    if not name and first("N"):
        family, given, additional, *_ = [*_split(text(first("N")), ";"), "", "", ""]
        name = " ".join(part.strip() for part in (given, additional, family) if part.strip())
    values: dict[str, list[str]] = {}
    if name := " ".join(name.split()):
        values["name"] = [name]
    if emails := _by_preference(card.get("EMAIL", []), encoding):
        values["email"] = emails
    if phones := _by_preference(card.get("TEL", []), encoding):
        values["phone"] = [phone.removeprefix("tel:") for phone in phones]  # 4.0's VALUE=uri
    if company:
        values["company"] = [company]
    # Split at every comma, escaped or not: Thunderbird escapes the commas between its
    # categories, and no tag holds a comma.
    tags = [
        " ".join(tag.split())
        for prop in card.get("X-FOLLOWUP-TAGS", card.get("CATEGORIES", []))
        for tag in plain(prop).split(",")
        if tag.strip() and not is_system_group(tag.strip())
    ]
    if tags:
        values["tags"] = [",".join(tags)]
    for prop_name, key in _AS_WRITTEN.items():
        if value := (plain(first(prop_name)) if first(prop_name) else ""):
            values[key] = [value]
    for prop_name, key in _YEARLY.items():
        values.setdefault(key, []).extend(
            _dated(prop, encoding) for prop in card.get(prop_name, [])
        )
    labels = {prop.group: plain(prop).lower() for prop in card.get("X-ABLABEL", [])}
    for prop in card.get("X-ABDATE", []):
        if "anniversary" in labels.get(prop.group, ""):
            values.setdefault("anniversary", []).append(_dated(prop, encoding))
    for key in ("birthday", "anniversary"):
        if not any(values.get(key, ())):
            values.pop(key, None)
    notes = [plain(prop) for prop in card.get("NOTE", [])]
    if notes := [note for note in notes if note]:
        values["notes"] = ["\n".join(notes)]
    return values
