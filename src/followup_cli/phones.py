"""Phone numbers compared as numbers, by each country's dialling rules (Google's
libphonenumber, through the `phonenumbers` package): "+49 30 1111111", "030 1111111" (in
Germany) and "+49301111111" are one number, "+49301111111" in E.164. A national number
is placed by a region (a country code such as DE); one that cannot be placed, or that no
country's plan allows, has no key and matches nothing: never a guess."""

import re
from functools import lru_cache

_REGION = re.compile(r"[A-Za-z]{2}")


@lru_cache(maxsize=8192)  # a phone's history repeats a few hundred numbers many times
def number_key(text: str | None, region: str | None) -> str | None:
    """The number in E.164, or None."""
    if not text or not any(character.isdigit() for character in text):
        return None
    import phonenumbers

    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def comparable(text: str, region: str | None) -> str:
    """What two numbers are compared by where a near miss only costs a question (`duplicates`,
    a card listing one number twice): the E.164 key, else the digits as written."""
    return number_key(text, region) or "".join(c for c in text if c.isdigit() or c == "+")


def is_region(text: str) -> bool:
    if not _REGION.fullmatch(text):
        return False
    import phonenumbers

    return text.upper() in phonenumbers.SUPPORTED_REGIONS
