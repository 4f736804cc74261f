"""Checks and clean-ups for the values a customer record holds, shared by commands, imports
and the store: what an email is, how names compare, how tags split. Each rule is written here
once, so that a command and an import never disagree about the same value."""

import re
import unicodedata

from followup_cli.errors import InvalidInputError, OutOfRangeError
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


CUT_MARK = " [cut to 64 KiB]"


def fitted_text(value: str) -> str:
    """Text the book takes from a file nobody wrote for it (a mail subject, a meeting's
    summary): made to pass clean_text, cut with a mark rather than refused, since the
    message or meeting is worth its touchpoint whatever its subject."""
    value = value.replace("\x00", "")
    if len(value) > MAX_FIELD_LENGTH:
        value = value[: MAX_FIELD_LENGTH - len(CUT_MARK)] + CUT_MARK
    return value


def clean_name(value: str | None) -> str:
    name = clean_text(value, "name")
    if not name:
        raise InvalidInputError("a customer needs a name")
    return " ".join(name.split())


def a_or_an(noun: str) -> str:
    """ "an email", "a call": the article English gives a touchpoint kind (each begins with
    the sound of its first letter)."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def count_of(number: int, noun: str) -> str:
    """ "1 day", "2 days": one rule for every count followup writes in words."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


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


# SQLite's lower() folds ASCII letters only, and the unique index on lower(email) is what
# decides whether two addresses are one; Python's str.lower() folds "Å" too.
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def email_key(email: str) -> str:
    """An address as the book compares it: ASCII letters folded, as the unique index folds
    them, so that a lookup in Python agrees with one in SQL."""
    return email.translate(_ASCII_LOWER)


def clean_email(value: str | None) -> str | None:
    email = clean_text(value, "email")
    if email is None:
        return None
    if not is_email(email):
        raise InvalidInputError(f"{email!r} is not an email address (expected name@example.com)")
    return email


_TAG_SEPARATORS = re.compile(r":::|[,;]")
_SYSTEM_GROUPS = frozenset({"mycontacts", "starred"})  # Google's "* myContacts", "* starred"


def is_system_group(label: str) -> bool:
    """Google's groups every contact is in ("myContacts", "starred"): not the user's tags."""
    return label.replace(" ", "").strip("*").casefold() in _SYSTEM_GROUPS


def split_tags(cells: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Tags, lower-case, trimmed, each once: commas, semicolons and Google's " ::: " separate
    them; Google's starred system groups ("* myContacts") are not tags, and another star
    before a label is dropped."""
    tags: dict[str, None] = {}
    for cell in cells:
        for part in (
            _TAG_SEPARATORS.split(cell) if ("," in cell or ";" in cell or ":" in cell) else (cell,)
        ):
            tag = part.strip().lower()
            if tag.startswith("*"):
                tag = tag.lstrip("*").strip()
                if is_system_group(tag):
                    continue
            if tag:
                tags[tag] = None
    return tuple(tags)


def clean_tags(cells: list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    return split_tags([clean_text(cell, "tag") or "" for cell in cells or ()])


MAX_AMOUNT = 1e12


def clean_amount(value: float | str | None) -> float | None:
    """A sale's amount: a positive number (a refund is no sale); out of range is a usage
    error, as every number outside its range is."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = float(value.replace(",", ""))
        except ValueError:
            raise InvalidInputError(f"amount {value!r} is not a number") from None
    if not 0 < value < MAX_AMOUNT:
        raise OutOfRangeError(f"an amount of {value:g} is out of range; a sale is more than 0")
    return value


def clean_cadence(value: int | str | None) -> int | None:
    """Days between contacts, 1 to 3650; None (or the words "default", "none", or nothing)
    falls back to the tag cadences and `due --days`."""
    if isinstance(value, str):
        text = value.strip().lower()
        if text in ("default", "none", ""):
            return None
        if not is_whole_number(text):
            raise InvalidInputError(
                f"cadence {value!r} is not a number of days from 1 to {MAX_CADENCE_DAYS} "
                "or 'default'"
            )
        value = int(text)
    if value is None:
        return None
    if not 1 <= value <= MAX_CADENCE_DAYS:
        raise OutOfRangeError(
            f"a cadence of {value} days is out of range; use 1 to {MAX_CADENCE_DAYS}"
        )
    return value


# What CRMs call a customer's stage, as the statuses followup knows.
STATUS_WORDS = {
    "customer": "customer",
    "client": "customer",
    "evangelist": "customer",
    "won": "customer",
    "active": "customer",
    "prospect": "prospect",
    "lead": "prospect",
    "subscriber": "prospect",
    "opportunity": "prospect",
    "marketingqualifiedlead": "prospect",
    "salesqualifiedlead": "prospect",
    "new": "prospect",
    "lost": "lost",
    "churned": "lost",
    "former": "lost",
    "former customer": "lost",
    "inactive": "lost",
}


def status_word(text: str) -> str | None:
    """The status a word means (any case, "Marketing-Qualified Lead" too), or None."""
    lowered = text.strip().lower()
    return STATUS_WORDS.get(lowered) or STATUS_WORDS.get(re.sub(r"[^a-z]", "", lowered))


def clean_status(value: str, allowed: tuple[str, ...] = STATUSES) -> str:
    status = status_word(value)
    if status not in allowed:
        raise InvalidInputError(f"unknown status {value!r}; use one of {', '.join(allowed)}")
    return status


_PLURALS = {"email": "emails", "phone": "phones", "company": "companies"}


def others_note(field: str, others: list[str]) -> str:
    """The line of a customer's notes that keeps a field's other values (an import's second
    email, a merged record's other phone): one wording, wherever they come from."""
    return f"Other {_PLURALS[field]}: " + ", ".join(others)


def text_of_bytes(raw: bytes) -> str:
    """Bytes that name no encoding, as the readers of vCards and mail take them: UTF-8, else
    Windows-1252 (what Outlook and older Windows mail write), never an error."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


_REP_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def clean_rep_name(value: str) -> str:
    """A rep's name is a folder of the team's storage (STORAGE/NAME/) and a word in every
    team report: letters, digits, '.', '_' and '-', first a letter or digit, at most 64."""
    name = value.strip()
    if not _REP_NAME.fullmatch(name):
        raise InvalidInputError(
            f"{value!r} cannot name a rep: use letters, digits, '.', '_' or '-' "
            "(a folder of the team's storage), such as ana or ana.lopez"
        )
    return name
