"""Customers as vCard 3.0, the version Apple Contacts and Google Contacts both export and
import (Google's importer reads 4.0 poorly), and khard reads too.

RFC 2426/6350 text: UTF-8, CRLF, lines folded at 75 octets but never inside a character,
backslash escaping of `\\ , ;` and newlines; no quoted-printable or CHARSET (2.1 habits
that 3.0 readers need not accept), and no spreadsheet formula guard (that is for CSV).
"""

from collections.abc import Iterable

LINE_OCTETS = 75


def vcard_text(customers: Iterable[dict]) -> Iterable[str]:
    """Each customer's card; `customers` as services.exporter.card_objects gives them.
    followup's own fields go in X-FOLLOWUP- properties, which other readers pass over and
    our import reads back, so a round trip keeps a prospect a prospect."""
    for customer in customers:
        lines = ["BEGIN:VCARD", "VERSION:3.0", "FN:" + _escape(customer["name"])]
        lines.append("N:" + _name_parts(customer["name"]))
        if customer.get("company"):
            lines.append("ORG:" + _escape(customer["company"]))
        if customer.get("email"):
            lines.append("EMAIL;TYPE=INTERNET:" + _escape(customer["email"]))
        if customer.get("phone"):
            lines.append("TEL:" + _escape(customer["phone"]))
        if customer.get("tags"):
            lines.append("CATEGORIES:" + ",".join(_escape(tag) for tag in customer["tags"]))
        if customer.get("notes"):
            lines.append("NOTE:" + _escape(customer["notes"]))
        if customer.get("birthday"):
            lines.append("BDAY" + _yearly(customer["birthday"]))
        if customer.get("anniversary"):  # 3.0 has none: Evolution's form, then Apple's
            lines.append("X-ANNIVERSARY" + _yearly(customer["anniversary"]))
            lines.append("item1.X-ABDATE" + _yearly(customer["anniversary"]))
            lines.append("item1.X-ABLabel:_$!<Anniversary>!$_")
        lines.append("UID:" + _escape(customer["uid"]))
        lines.append("X-FOLLOWUP-STATUS:" + customer["status"])
        if customer.get("cadence_days"):
            lines.append(f"X-FOLLOWUP-CADENCE-DAYS:{customer['cadence_days']}")
        if customer.get("tags"):  # exactly, where CATEGORIES is what address books read
            lines.append("X-FOLLOWUP-TAGS:" + ",".join(_escape(tag) for tag in customer["tags"]))
        lines.append("END:VCARD")
        yield "".join(_folded(line) + "\r\n" for line in lines)


def _yearly(value: str) -> str:
    """A date kept without a year ("--03-14") as Apple writes one in 3.0, whose BDAY has
    no such form: the year 1604, marked as left out."""
    if value.startswith("--"):
        return f";X-APPLE-OMIT-YEAR=1604:1604{value[1:]}"
    return ":" + value


def _name_parts(name: str) -> str:
    """N (family;given;;;): the last word is taken as the family name, as address books
    split a one-line name; FN keeps the name as the user wrote it."""
    given, _, family = name.rpartition(" ")
    return f"{_escape(family)};{_escape(given)};;;"


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _folded(line: str) -> str:
    """At most 75 octets a line, a continuation starting with one space; cut only between
    characters, so that no reader has to unfold bytes to get a character back whole."""
    data = line.encode("utf-8")
    if len(data) <= LINE_OCTETS:
        return line
    parts, start, room = [], 0, LINE_OCTETS
    while len(data) - start > room:
        end = start + room
        while data[end] & 0xC0 == 0x80:  # a continuation byte: back to the character start
            end -= 1
        parts.append(data[start:end].decode("utf-8"))
        start, room = end, LINE_OCTETS - 1
    parts.append(data[start:].decode("utf-8"))
    return "\r\n ".join(parts)
