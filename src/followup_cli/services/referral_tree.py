"""Referral chains as a tree: who referred whom, and whom they referred in turn."""

from dataclasses import dataclass, field

from followup_cli.services.lookup import resolve_customer
from followup_cli.store import Store


@dataclass
class ReferralNode:
    customer_id: int
    name: str
    status: str
    date: str | None = None
    referred: list["ReferralNode"] = field(default_factory=list)
    repeated: bool = False  # already shown higher up: a cycle or a second referrer

    def as_json(self) -> dict:
        return {
            "id": self.customer_id,
            "name": self.name,
            "status": self.status,
            "date": self.date,
            "repeated": self.repeated,
            "referred": [child.as_json() for child in self.referred],
        }


def referral_forest(store: Store, from_reference: str | None = None) -> list[ReferralNode]:
    edges = store.referrals.edges()
    people: dict[int, tuple[str, str]] = {}
    children: dict[int, list[tuple[int, str]]] = {}
    referred_ids: set[int] = set()
    for referrer, r_name, r_status, referred, d_name, d_status, date in edges:
        people[referrer] = (r_name, r_status)
        people[referred] = (d_name, d_status)
        children.setdefault(referrer, []).append((referred, date))
        referred_ids.add(referred)
    if from_reference:
        root = resolve_customer(store, from_reference)
        people.setdefault(root.id, (root.name, root.status))
        roots = [root.id]
    else:
        roots = [person for person in children if person not in referred_ids]
        # People in a pure cycle have no root: start from the earliest of them.
        unreached = set(children) - _reachable(roots, children)
        while unreached:
            first = min(unreached)
            roots.append(first)
            unreached -= _reachable([first], children)
    seen: set[int] = set()
    return [_grow(root, None, people, children, seen) for root in roots]


def _reachable(starts: list[int], children: dict) -> set[int]:
    found, stack = set(), list(starts)
    while stack:
        person = stack.pop()
        if person in found:
            continue
        found.add(person)
        stack.extend(child for child, _ in children.get(person, ()))
    return found


def _grow(person: int, date, people, children, seen: set[int]) -> ReferralNode:
    name, status = people[person]
    node = ReferralNode(person, name, status, date)
    if person in seen:
        node.repeated = True
        return node
    seen.add(person)
    node.referred = [
        _grow(child, when, people, children, seen) for child, when in children.get(person, ())
    ]
    return node
