"""Cadence by tag: how often customers with a tag should hear from you (vip: every 14 days).

A customer's own cadence wins, then the shortest among their tags, then `due --days`.
"""

from followup_cli import values
from followup_cli.errors import InvalidInputError, NotFoundError
from followup_cli.store import Store


def _one_tag(tag: str) -> str:
    tags = values.clean_tags([tag])
    if len(tags) != 1:
        raise InvalidInputError(f"{tag!r} is not one tag")
    return tags[0]


def set_cadence(store: Store, tag: str, days: int) -> tuple[str, int]:
    tag = _one_tag(tag)
    days = values.clean_cadence(days)
    with store.transaction(f"set the cadence of tag {tag} to {days} days"):
        store.tags.set_cadence(tag, days)
    return tag, days


def clear_cadence(store: Store, tag: str) -> str:
    tag = _one_tag(tag)
    with store.transaction(f"clear the cadence of tag {tag}"):
        if not store.tags.clear_cadence(tag):
            raise NotFoundError(f"the tag {tag!r} has no cadence; `followup cadence` lists them")
    return tag


def list_cadences(store: Store) -> list[tuple[str, int]]:
    return sorted(store.tags.cadences().items())
