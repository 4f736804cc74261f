"""The team view: every rep's latest copy, restored read-only into a cache beside the book,
and the team book built from them (store/team_book.py), which `team due`, `team show`,
`team stats` and `team serve` read.

Matching: a rep's customer is the team's customer the import would take them for
(services/lookup.customer_named: the card's UID, else the email in any case, else the whole
name); a name several team customers share, with nothing to say which, stays a customer of
its own rather than a guess. Merged, the team's customer keeps the first rep's name and
fills what it lacks from the others; takes every rep's tags, the shortest cadence any rep
gave, the most engaged status (customer, then prospect, then lost) and the earliest day any
rep knew them. Reps are read in the order of their names.
"""

import datetime as dt
import os
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from pathlib import Path
from typing import NamedTuple

from followup_cli.errors import AmbiguousError, InvalidInputError, NotFoundError
from followup_cli.models import Customer, CustomerDetail, DueEntry
from followup_cli.services import replication
from followup_cli.services.lookup import customer_named, kept_uid
from followup_cli.services.team import restored_copy
from followup_cli.store import Store, open_store, open_team_book
from followup_cli.values import clean_rep_name

RESTORES_AT_ONCE = 4
_STATUS_RANK = {"customer": 0, "prospect": 1, "lost": 2}
_FILLED = ("email", "phone", "company", "notes", "birthday", "anniversary")


class Pulled(NamedTuple):
    book: Path
    reps: list[tuple[str, str | None, int]]  # name, reached the storage at, customers held
    without_replica: list[str]
    customers: int


def team_folder(book: Path) -> Path:
    """The cache beside the book: followup-team/ for followup.db."""
    return book.with_name(f"{book.stem}-team")


def team_book_path(book: Path) -> Path:
    return team_folder(book) / "team.db"


def open_view(book: Path) -> Store:
    path = team_book_path(book)
    if not path.exists():
        raise InvalidInputError("there is no team book yet; run `followup team pull` first")
    return open_team_book(path)


def members(storage: str) -> list[str]:
    """The reps in the team's storage: its folders (STORAGE/REP/)."""
    if "://" not in storage:
        found = [entry.name for entry in Path(storage).iterdir() if entry.is_dir()]
    elif storage.startswith("s3://"):
        found = _s3_folders(storage)
    else:
        raise InvalidInputError(
            f"followup cannot list {storage}; name the reps: `followup team pull ana ben`"
        )
    return sorted(name for name in found if _is_rep_name(name))


def _is_rep_name(name: str) -> bool:
    try:
        return clean_rep_name(name) == name
    except InvalidInputError:
        return False


def _s3_folders(storage: str) -> list[str]:
    from urllib.parse import urlsplit

    import boto3

    parts = urlsplit(storage)
    prefix = parts.path.strip("/") + "/" if parts.path.strip("/") else ""
    from botocore.config import Config

    endpoint = replication.s3_endpoint(storage)
    path_style = Config(s3={"addressing_style": "path"}) if endpoint else None  # as Litestream
    client = boto3.client("s3", endpoint_url=endpoint, config=path_style)
    pages = client.get_paginator("list_objects_v2").paginate(
        Bucket=parts.netloc, Prefix=prefix, Delimiter="/"
    )
    return [
        common["Prefix"][len(prefix) :].rstrip("/")
        for page in pages
        for common in page.get("CommonPrefixes", [])
    ]


def pull(book: Path, storage: str, names: list[str]) -> Pulled:
    """Each named rep's (else every member's) latest copy, then the team book from them, put
    in place whole: a pull that fails leaves the last team book as it was."""
    reps = [clean_rep_name(name) for name in names] or members(storage)
    folder = team_folder(book)
    (folder / "reps").mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    with ThreadPoolExecutor(RESTORES_AT_ONCE) as restoring:  # Litestream waits on the storage
        found = list(restoring.map(lambda rep: _fetch(storage, rep, folder), dict.fromkeys(reps)))
    without = [rep for rep, reached, _ in found if reached is None]
    pulled = [(rep, reached.at, book) for rep, reached, book in found if reached is not None]
    if not pulled:  # a mistyped name must not leave the manager an empty team book
        raise InvalidInputError(
            f"{storage} holds no book for {', '.join(without) or 'anyone'} yet; "
            "the team book is left as it was"
        )
    target = team_book_path(book)
    partial = target.with_name(f".team.db.building-{os.getpid()}")
    _remove(partial)
    try:
        customers = _build(partial, pulled)
        partial.chmod(0o400)  # read by all the team commands, written by this one only
        partial.replace(target)
    finally:
        _remove(partial)
    view = open_team_book(target)
    try:
        return Pulled(target, view.team_book.reps(), without, customers)
    finally:
        view.close()


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()


def _fetch(storage: str, rep: str, folder: Path):
    reached = replication.reached(storage, rep)
    copy = folder / "reps" / f"{rep}.db"
    return rep, reached, restored_copy(storage, rep, copy) if reached else None


def _build(path: Path, pulled: list[tuple[str, dt.datetime, Path]]) -> int:
    team = open_store(path)
    try:
        team.imports.prepare()  # an import's cache and sorter threads: this is one, of a team
        team.team_book.create_tables()
        for rep, reached_at, rep_book in pulled:
            _take_customers(team, rep, reached_at, rep_book)
            team.team_book.stage_activity(rep_book, rep)
        with team.transaction(), team.imports.inserting_in_bulk():
            team.team_book.write_activity()
        team.team_book.finish()
        return sum(team.insights.status_counts().values())
    finally:
        team.close()


def _take_customers(team: Store, rep: str, reached_at: dt.datetime, rep_book: Path) -> None:
    source = open_store(rep_book)
    try:
        customers = list(source.exports.whole_customers())
        cadences = source.tags.cadences()
    finally:
        source.close()
    with team.transaction():
        team.team_book.add_rep(rep, reached_at.strftime("%Y-%m-%dT%H:%M:%SZ"))
        known = team.tags.cadences()
        for tag, days in cadences.items():
            if days < known.get(tag, days + 1):
                team.tags.set_cadence(tag, days)
        for customer in customers:
            team_id = _match_or_add(team, customer)
            team.team_book.record_match(rep, customer.id, team_id, customer.created_on)


def _match_or_add(team: Store, customer: Customer) -> int:
    try:
        found = customer_named(team, customer.name, customer.email, customer.uid)
    except AmbiguousError:
        found = None
    if found is None:
        fields = {key: getattr(customer, key) for key in ("name", "tags", "status", *_FILLED)}
        return team.customers.insert(
            **fields,
            cadence_days=customer.cadence_days,
            uid=kept_uid(customer.uid),
            extra=dict(customer.extra) or None,
            created_on=customer.created_on,
        )
    changes = {key: getattr(customer, key) for key in _FILLED if not getattr(found, key)}
    changes = {key: value for key, value in changes.items() if value}
    if "email" in changes and team.customers.by_email(changes["email"]):
        del changes["email"]  # another team customer's already (met by another rep's card UID)
    if not found.uid and kept_uid(customer.uid):
        changes["uid"] = kept_uid(customer.uid)
    tags = tuple(dict.fromkeys((*found.tags, *customer.tags)))
    if tags != found.tags:
        changes["tags"] = tags
    if customer.cadence_days and customer.cadence_days < (found.cadence_days or 10**9):
        changes["cadence_days"] = customer.cadence_days
    if _STATUS_RANK[customer.status] < _STATUS_RANK[found.status]:
        changes["status"] = customer.status
    if changes:
        team.customers.update(found.id, changes)
    return found.id


class TeamDueEntry(NamedTuple):
    entry: DueEntry
    reps: list[str]  # the reps whose books hold the customer
    last_contact_by: str | None  # the rep whose touchpoint is their last contact


def team_due(view: Store, today: dt.date, **options) -> tuple[list[TeamDueEntry], int]:
    """`due`'s list (services/due.py, its options as they are) on the team book: a customer
    is due when nobody on the team has spoken to them within the cadence; the reason says
    who spoke last, and when."""
    from followup_cli.services.due import due_list

    found = due_list(view, today, **options)
    ids = [entry.customer.id for entry in found.entries]
    reps = view.team_book.reps_of(ids)
    last_by = view.team_book.last_contact_by(ids, (options.get("as_of") or today).isoformat())
    entries = []
    for entry in found.entries:
        customer = entry.customer
        by = last_by.get(customer.id)
        if customer.last_contact is None:
            reason = entry.reason.replace(
                "never contacted", "nobody on the team has contacted them"
            )
        else:
            reason = f"{entry.reason}; last by {by or 'an import'} on {customer.last_contact}"
        entries.append(TeamDueEntry(entry._replace(reason=reason), reps[customer.id], by))
    return entries, found.left_out_planned


class TeamDetail(NamedTuple):
    detail: CustomerDetail
    reps: list[str]
    touchpoint_reps: dict[int, str]


def team_show(view: Store, reference: str) -> TeamDetail:
    from followup_cli.services.customers import customer_detail

    try:
        detail = customer_detail(view, reference)
    except NotFoundError:
        raise NotFoundError(
            f"no customer of the team matches {reference!r}; `followup team pull` brings "
            "the reps' latest books"
        ) from None
    ids = [touchpoint.id for touchpoint in detail.touchpoints]
    return TeamDetail(
        detail,
        view.team_book.reps_of([detail.customer.id])[detail.customer.id],
        view.team_book.touchpoint_reps(ids) if ids else {},
    )


class RepFigures(NamedTuple):
    rep: str
    reached_storage_at: str | None
    customers: int  # active customers in the rep's book
    covered: int  # of them, in touch with the team within their cadence
    coverage: float
    referrers: int  # of them, those who referred someone in the period
    referral_rate: float
    touchpoints: int  # the rep logged in the period


def team_stats(view: Store, as_of: dt.date, months: int, today: dt.date):
    """The team's figures as `stats` defines them (services/stats.py), on the team book, and
    the same coverage and referral rate for each rep's own customers."""
    from dateutil.relativedelta import relativedelta

    from followup_cli.models import DEFAULT_CADENCE_DAYS
    from followup_cli.services.stats import compute_stats

    team = compute_stats(view, as_of, months, today)
    start = as_of - relativedelta(months=months)
    reached = {name: at for name, at, _ in view.team_book.reps()}
    per_rep = [
        RepFigures(
            rep,
            reached.get(rep),
            customers,
            covered,
            covered / customers if customers else 0.0,
            referrers,
            referrers / customers if customers else 0.0,
            touchpoints,
        )
        for rep, customers, covered, referrers, touchpoints in view.team_book.rep_figures(
            as_of.isoformat(), start.isoformat(), DEFAULT_CADENCE_DAYS
        )
    ]
    return team, per_rep
