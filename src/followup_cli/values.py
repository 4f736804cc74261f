"""Checks and clean-ups for the values a customer record holds, shared by commands, imports
and the store: what an email is, how names compare, how tags split. Each rule is written here
once, so that a command and an import never disagree about the same value."""

import re
import unicodedata

from followup_cli.errors import InvalidInputError
from followup_cli.models import STATUSES

MAX_FIELD_LENGTH = 64 * 1024
MAX_CADENCE_DAYS = 3650
# No NUL in any part, so that a column of addresses joined by NULs can be checked at once.
EMAIL_PATTERN = r"[^@\s,;<>\"\x00]+@[^@\s,;<>\"\x00]+\.[^@\s,;<>\".\x00]+"
_EMAIL = re.compile(EMAIL_PATTERN)


def clean_text(value: str | None, label: str) -> str | None:
    """Trimmed text, or None when blank; refuses what would corrupt a record or a terminal."""
    if value is None:
        return None
    if "\x00" in value:
        raise InvalidInputError(f"the {label} contains a NUL byte; remove it")
    if len(value) > MAX_FIELD_LENGTH:
        raise InvalidInputError(f"the {label} is over 64 KiB; shorten it")
    value = value.strip()
    return value or None


def clean_name(value: str | None) -> str:
    name = clean_text(value, "name")
    if not name:
        raise InvalidInputError("a customer needs a name")
    return " ".join(name.split())


def name_key(name: str) -> str:
    """How two names compare: case folded, accents dropped, spaces single, so that "ZOË
    MÜLLER", "zoe muller" and "Zoë Müller" are one name. The store keeps it beside each name
    (indexed), so every lookup and every import match compares names the same way."""
    if name.isascii():
        return " ".join(name.lower().split())
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def is_whole_number(text: str) -> bool:
    """Digits int() can read: "²" is a digit to str.isdigit(), but int("²") fails."""
    return text.isascii() and text.isdigit()


def is_email(value: str) -> bool:
    return bool(_EMAIL.fullmatch(value))


def clean_email(value: str | None) -> str | None:
    email = clean_text(value, "email")
    if email is None:
        return None
    if not is_email(email):
        raise InvalidInputError(f"{email!r} is not an email address (expected name@example.com)")
    return email


def clean_tags(values: list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """Lower-case, trimmed, de-duplicated; a comma-separated value counts as several tags."""
    tags: list[str] = []
    for value in values or ():
        for part in (clean_text(value, "tag") or "").split(","):
            tag = part.strip().lower()
            if tag and tag not in tags:
                tags.append(tag)
    return tuple(tags)


def clean_cadence(value: int | None) -> int | None:
    if value is None:
        return None
    if not 1 <= value <= MAX_CADENCE_DAYS:
        raise InvalidInputError(
            f"a cadence of {value} days is out of range; use 1 to {MAX_CADENCE_DAYS}"
        )
    return value


def clean_status(value: str, allowed: tuple[str, ...] = STATUSES) -> str:
    status = value.strip().lower()
    if status not in allowed:
        raise InvalidInputError(f"unknown status {value!r}; use one of {', '.join(allowed)}")
    return status
