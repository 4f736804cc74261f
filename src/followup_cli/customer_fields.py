"""A customer's fields, once: the key scripts read each by (the Customer attribute, the JSON
key and the CSV column), the column that stores it, whether files carry it, what contacts
exports call it, and the rule that checks a value typed or imported.

The store's column lists, the import's header map and plain lane, `export customers` and the
JSON objects are derived from this table: a new field is one entry here plus a migration.
"""

from collections.abc import Callable
from functools import partial
from typing import NamedTuple

from followup_cli import values


def _clean_yearly(value: str | None, label: str) -> str | None:
    """A birthday or anniversary as typed: "14 March", "1976-03-14" (dates/yearly.py, loaded
    only by the commands that are given one)."""
    from followup_cli.dates.yearly import read_yearly

    return read_yearly(values.clean_text(value, label), label=label)


class CustomerField(NamedTuple):
    key: str
    column: str
    kind: str = "text"  # how the column encodes it: text, int, float, tags (JSON), date (ISO)
    in_files: bool = False  # written by `export customers`, read by `import customers`
    in_list: bool = False  # a column of `list`
    headers: tuple[str, ...] = ()  # other names contacts exports give it
    clean: Callable | None = None  # the check of a value typed or imported (values.py)


FIELDS = (
    CustomerField("id", "id", "int", in_list=True),
    CustomerField(
        "name",
        "name",
        in_files=True,
        in_list=True,
        headers=("full name", "person - name", "contact name", "display name", "customer"),
        clean=values.clean_name,
    ),
    CustomerField(
        "email",
        "email",
        in_files=True,
        in_list=True,
        headers=(
            "e-mail",
            "email address",
            "e-mail address",
            "e-mail 1 - value",
            "e-mail 2 - value",
            "e-mail 3 - value",
            "e-mail 2 address",
            "e-mail 3 address",
            "person - email",
            "person - email - work",
            "person - email - home",
            "person - email - other",
            "email - work",
            "email - home",
            "email - other",
            "work email",
            "personal email",
            "additional email addresses",  # HubSpot: several, separated by semicolons
            "secondary email",
        ),
        clean=values.clean_email,
    ),
    CustomerField(
        "phone",
        "phone",
        in_files=True,
        in_list=True,
        headers=(
            "phone number",
            "phone 1 - value",
            "phone 2 - value",
            "phone 3 - value",
            "mobile phone",
            "business phone",
            "home phone",
            "primary phone",
            "mobile",
            "mobile phone number",
            "person - phone",
            "person - phone - work",
            "person - phone - mobile",
            "person - phone - home",
            "person - phone - other",
            "phone - work",
            "phone - mobile",
            "phone - home",
            "phone - other",
        ),
        clean=partial(values.clean_text, label="phone"),  # stored as written, trimmed
    ),
    CustomerField(
        "company",
        "company",
        in_files=True,
        in_list=True,
        headers=(
            "company name",
            "organization name",
            "organization 1 - name",
            "account name",
            "associated company",
            "person - organization",
            "organization",
        ),
        clean=partial(values.clean_text, label="company"),
    ),
    CustomerField(
        "tags",
        "tags",
        "tags",
        in_files=True,
        in_list=True,
        headers=("labels", "group membership", "categories", "person - labels", "label"),
        clean=values.clean_tags,
    ),
    CustomerField(
        "notes",
        "notes",
        in_files=True,
        headers=("note", "description", "person - notes"),
        clean=partial(values.clean_text, label="note"),
    ),
    CustomerField("status", "status", in_files=True, in_list=True, clean=values.clean_status),
    CustomerField(
        "cadence_days",
        "cadence_days",
        "int",
        in_files=True,
        in_list=True,
        headers=("cadence days", "cadence"),
        clean=values.clean_cadence,
    ),
    # Who the customer is in other address books: a vCard's UID, kept from the card that
    # created them so that the same phone or export matches them again before any name.
    CustomerField("uid", "uid", in_files=True, clean=partial(values.clean_text, label="uid")),
    # Dates that come back every year, kept with or without the year (dates/yearly.py).
    CustomerField(
        "birthday",
        "birthday",
        in_files=True,
        headers=("birth date", "date of birth", "birthdate", "bday", "person - birthday"),
        clean=partial(_clean_yearly, label="birthday"),
    ),
    CustomerField(
        "anniversary",
        "anniversary",
        in_files=True,
        headers=("wedding anniversary", "person - anniversary"),
        clean=partial(_clean_yearly, label="anniversary"),
    ),
    CustomerField("last_contact", "last_contact_on", "date", in_list=True),
    CustomerField("last_contact_kind", "last_contact_kind"),
    CustomerField("sales_total", "sales_total", "float"),
    CustomerField("created_on", "created_on", "date"),
)

BY_KEY = {field.key: field for field in FIELDS}
# What files carry, in their column order: export customers writes, import customers reads.
FILE_KEYS = tuple(field.key for field in FIELDS if field.in_files)
LIST_KEYS = tuple(field.key for field in FIELDS if field.in_list)
