"""INTERIM: our own columns only; replaced by the vendor header research."""

import re


def normalize_header(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.replace("\ufeff", "").lower())


CUSTOMER_FIELDS = {
    "name": "name",
    "email": "email",
    "phone": "phone",
    "company": "company",
    "tags": "tags",
    "notes": "notes",
    "status": "status",
    "cadencedays": "cadence_days",
    "lastcontact": "last_contact",
    "firstname": "first_name",
    "lastname": "last_name",
}
TOUCHPOINT_FIELDS = {
    "customer": "customer",
    "email": "email",
    "date": "date",
    "kind": "kind",
    "note": "note",
    "amount": "amount",
}
REFERRAL_FIELDS = {
    "referrer": "referrer",
    "referreremail": "referrer_email",
    "referred": "referred",
    "referredemail": "referred_email",
    "date": "date",
    "note": "note",
}


def detect_preamble(lines: list[str], delimiter: str = ",") -> int:
    return 0


def is_footer_row(cells: list[str]) -> bool:
    return False
