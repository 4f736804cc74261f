"""Where the database lives and what "today" is: the two things every command needs to know.

The database path comes from --db, then FOLLOWUP_DB, then the platform's user data directory.
FOLLOWUP_TODAY pins "today" so that scripts, demos and tests give the same answer every day.
FOLLOWUP_DATE_ORDER (dmy or mdy) says how to read slashed dates like 03/11/2026.
FOLLOWUP_BUSY_TIMEOUT says how many seconds to wait for a database another process holds.
FOLLOWUP_ME names the user's own email addresses (comma-separated) for mail and calendars.
FOLLOWUP_SFTP_KEY names the SSH key a team on SFTP storage is reached with.
"""

import datetime as dt
import os
from pathlib import Path

from followup_cli.dates.rules import within_range
from followup_cli.errors import InvalidInputError, UsageError
from followup_cli.values import email_key, is_email

DATABASE_ENV = "FOLLOWUP_DB"
TODAY_ENV = "FOLLOWUP_TODAY"
REGION_ENV = "FOLLOWUP_REGION"
DATE_ORDER_ENV = "FOLLOWUP_DATE_ORDER"
DEBUG_ENV = "FOLLOWUP_DEBUG"
BUSY_TIMEOUT_ENV = "FOLLOWUP_BUSY_TIMEOUT"
ME_ENV = "FOLLOWUP_ME"
SFTP_KEY_ENV = "FOLLOWUP_SFTP_KEY"
SSH_KEYS = ("id_ed25519", "id_ecdsa", "id_rsa")
DEFAULT_BUSY_TIMEOUT_SECONDS = 10.0
DATE_ORDERS = ("dmy", "mdy")


def database_path(cli_value: str | None = None) -> Path:
    """A plain path, never an SQLite URI; an empty one is a mistake, never the default book
    (a script's unset variable must not delete from the user's real database)."""
    if cli_value is not None:
        if not cli_value.strip():
            raise UsageError("--db is empty; give the path of the database file")
        return Path(cli_value).expanduser()
    from_env = os.environ.get(DATABASE_ENV)
    if from_env is not None:
        if not from_env.strip():
            raise UsageError(f"{DATABASE_ENV} is set but empty; unset it or give a path")
        return Path(from_env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("followup", appauthor=False)) / "followup.db"


def today() -> dt.date:
    pinned = os.environ.get(TODAY_ENV)
    if not pinned:
        return dt.date.today()
    try:
        day = dt.date.fromisoformat(pinned.strip())
    except ValueError:
        raise InvalidInputError(
            f"{TODAY_ENV}={pinned!r} is not a date; use the form YYYY-MM-DD or unset it"
        ) from None
    return within_range(day, f"{TODAY_ENV}={pinned}")


def my_addresses(given: list[str] | None) -> frozenset[str]:
    """--me, else FOLLOWUP_ME: the user's own addresses, never taken for a customer's. Each
    is an address or `Name <address>`, as a mail client shows it; anything else is refused,
    for an address silently ignored would make the user's own mail their touchpoints."""
    source = "--me" if given else ME_ENV
    addresses = set()
    for value in given or os.environ.get(ME_ENV, "").split(","):
        text = value.strip()
        if not text:
            continue
        address = text.partition("<")[2].partition(">")[0].strip() if "<" in text else text
        if not is_email(address):
            raise InvalidInputError(
                f"{source} {text!r} is not an email address; give name@example.com or "
                '"Name <name@example.com>"'
            )
        addresses.add(email_key(address))
    return frozenset(addresses)


def phone_region(given: str | None) -> str | None:
    """Where national numbers are placed: --region, else FOLLOWUP_REGION, else the
    country of the locale (LC_ALL, LC_MESSAGES or LANG: de_DE.UTF-8 is DE); None when none
    says, and then only international numbers match."""
    from followup_cli.phones import is_region

    for source, value in (("--region", given), (REGION_ENV, os.environ.get(REGION_ENV))):
        if value and value.strip():
            if not is_region(value.strip()):
                raise InvalidInputError(
                    f"{source} {value.strip()!r} is not a country code such as DE, GB or US"
                )
            return value.strip().upper()
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        language, _, country = os.environ.get(name, "").partition(".")[0].partition("_")
        if language and country and is_region(country):
            return country.upper()
        if language:
            return None
    return None


def date_order() -> str | None:
    order = os.environ.get(DATE_ORDER_ENV, "").strip().lower()
    if not order:
        return None
    if order not in DATE_ORDERS:
        raise InvalidInputError(f"{DATE_ORDER_ENV}={order!r} must be dmy or mdy")
    return order


def busy_timeout_seconds() -> float:
    """How long to wait for another writer before giving up (FOLLOWUP_BUSY_TIMEOUT)."""
    text = os.environ.get(BUSY_TIMEOUT_ENV, "").strip()
    if not text:
        return DEFAULT_BUSY_TIMEOUT_SECONDS
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 3600:
        raise InvalidInputError(f"{BUSY_TIMEOUT_ENV}={text!r} must be a number of seconds, 0-3600")
    return seconds


def debug_enabled() -> bool:
    return os.environ.get(DEBUG_ENV, "") not in ("", "0")


def sftp_key() -> Path:
    """The private key Litestream signs in to an SFTP team storage with: FOLLOWUP_SFTP_KEY,
    else the first of ~/.ssh/id_ed25519, id_ecdsa, id_rsa. A key of this machine, not of
    the book: a book restored on a new laptop finds that laptop's."""
    given = os.environ.get(SFTP_KEY_ENV, "").strip()
    if given:
        key = Path(given).expanduser()
        if not key.is_file():
            raise InvalidInputError(f"{SFTP_KEY_ENV}={given!r} is not a file; name a private key")
        return key
    for name in SSH_KEYS:
        key = Path.home() / ".ssh" / name
        if key.is_file():
            return key
    raise InvalidInputError(
        f"no SSH key for the SFTP storage: none of ~/.ssh/{', '.join(SSH_KEYS)}; "
        f"name one with {SFTP_KEY_ENV}"
    )
