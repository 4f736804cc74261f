"""The schema, as named steps (MIGRATIONS), numbered in PRAGMA user_version and listed by
name, with when each was applied, in the `migrations` table.

Each step runs in one transaction together with its record and the version bump, so a file
is always at a known version. A file whose version is newer than this code knows is refused,
never downgraded. sqlite-utils builds the tables; it is imported only when a migration
actually has to run.
"""

import sqlite3
from collections.abc import Callable
from pathlib import Path

from followup_cli.errors import DatabaseError
from followup_cli.store.connection import make_private
from followup_cli.store.derived import derive_promises, recompute
from followup_cli.store.journal import create_journal_tables, watch_other_writers
from followup_cli.store.summaries import create_summaries, defer_summaries
from followup_cli.store.summaries import refresh as refresh_summaries


def _create_core_tables(db) -> None:
    from sqlite_utils.db import ForeignKey

    def cascade(table: str, column: str, other: str) -> ForeignKey:
        return ForeignKey(table, column, other, "id", on_delete="CASCADE")

    db["customers"].create(
        {
            "id": int,
            "name": str,
            "email": str,
            "phone": str,
            "company": str,
            "tags": str,
            "notes": str,
            "status": str,
            "cadence_days": int,
            "extra": str,
            "created_on": str,
            "status_changed_on": str,
            "last_contact_on": str,
            "last_contact_kind": str,
            "sales_total": float,
        },
        pk="id",
        not_null={"name", "tags", "status", "created_on", "sales_total"},
        defaults={"tags": "[]", "status": "customer", "sales_total": 0},
    )
    db["touchpoints"].create(
        {
            "id": int,
            "customer_id": int,
            "date": str,
            "kind": str,
            "note": str,
            "amount": float,
            "created_at": str,
        },
        pk="id",
        not_null={"customer_id", "date", "kind"},
        foreign_keys=[cascade("touchpoints", "customer_id", "customers")],
    )
    db["followups"].create(
        {
            "id": int,
            "customer_id": int,
            "due_on": str,
            "note": str,
            "created_on": str,
            "done_on": str,
            "done_note": str,
        },
        pk="id",
        not_null={"customer_id", "due_on"},
        foreign_keys=[cascade("followups", "customer_id", "customers")],
    )
    db["referrals"].create(
        {
            "id": int,
            "referrer_id": int,
            "referred_id": int,
            "date": str,
            "note": str,
            "thanked_on": str,
            "created_on": str,
        },
        pk="id",
        not_null={"referrer_id", "referred_id", "date"},
        foreign_keys=[
            cascade("referrals", "referrer_id", "customers"),
            cascade("referrals", "referred_id", "customers"),
        ],
    )
    db["tag_cadences"].create(
        {"tag": str, "cadence_days": int}, pk="tag", not_null={"cadence_days"}
    )
    db["touchpoints"].create_index(["customer_id", "date"])
    # Covering indexes for `stats`: contacts and counts by date range, and sales per customer.
    db["touchpoints"].create_index(["date", "kind", "customer_id"])
    db.execute(
        "CREATE INDEX touchpoints_sales ON touchpoints(customer_id, date, amount) "
        "WHERE kind = 'sale'"
    )
    db["followups"].create_index(["done_on", "due_on"])
    db["followups"].create_index(["customer_id", "done_on"])
    db["referrals"].create_index(["referrer_id", "referred_id"], unique=True)
    db["referrals"].create_index(["referred_id"])
    # Expression and mixed-order indexes are beyond sqlite-utils' create_index.
    db.execute(
        "CREATE UNIQUE INDEX customers_email_unique ON customers(lower(email)) "
        "WHERE email IS NOT NULL"
    )
    db.execute("CREATE INDEX customers_name ON customers(name COLLATE NOCASE)")
    # Walked in this order by `due`, so the ten stalest customers come off the index directly.
    db.execute(
        "CREATE INDEX customers_due ON customers("
        "status, last_contact_on, sales_total DESC, name COLLATE NOCASE)"
    )


def _add_name_keys(db) -> None:
    """Names compare by values.name_key (case and accents folded). It is kept beside each
    name and indexed, so that a lookup by name is one index probe however large the book."""
    db.execute("ALTER TABLE customers ADD COLUMN name_key TEXT")
    db.execute("UPDATE customers SET name_key = name_key_of(name)")
    db.execute("CREATE INDEX customers_name_key ON customers(name_key)")


def _index_notes(db) -> None:
    """Migration 4: full-text indexes of touchpoint and follow-up notes for `search` (FTS5,
    words compared without case or accents), kept current by triggers. Written out rather
    than by sqlite-utils' enable_fts, whose executescript would commit in the middle of the
    migration's transaction."""
    for table in ("touchpoints", "followups"):
        db.execute(
            f"CREATE VIRTUAL TABLE {table}_fts USING fts5(note, content='{table}', "
            "content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
        )
        db.execute(f"INSERT INTO {table}_fts (rowid, note) SELECT id, note FROM {table}")
        db.execute(
            f"CREATE TRIGGER {table}_fts_insert AFTER INSERT ON {table} BEGIN "
            f"INSERT INTO {table}_fts (rowid, note) VALUES (new.id, new.note); END"
        )
        db.execute(
            f"CREATE TRIGGER {table}_fts_delete AFTER DELETE ON {table} BEGIN "
            f"INSERT INTO {table}_fts ({table}_fts, rowid, note) "
            "VALUES ('delete', old.id, old.note); END"
        )
        db.execute(
            f"CREATE TRIGGER {table}_fts_update AFTER UPDATE OF note ON {table} BEGIN "
            f"INSERT INTO {table}_fts ({table}_fts, rowid, note) "
            "VALUES ('delete', old.id, old.note); "
            f"INSERT INTO {table}_fts (rowid, note) VALUES (new.id, new.note); END"
        )


def _key_gathered_touchpoints(db) -> None:
    """Migration 5: touchpoints gathered from mail and calendars carry where they came from
    (a Message-ID, an event's UID and occurrence), so that importing the same message or
    invitation again, from any folder or export, adds nothing: one per customer."""
    db.execute("ALTER TABLE touchpoints ADD COLUMN source TEXT")
    db.execute(
        "CREATE UNIQUE INDEX touchpoints_source ON touchpoints(source, customer_id) "
        "WHERE source IS NOT NULL"
    )


def _create_first_journal(db) -> None:
    """Migration 3, the first undo journal (rowid marks); migration 7 replaces it."""
    db.execute(
        "CREATE TABLE changes (id INTEGER PRIMARY KEY, made_at TEXT NOT NULL, "
        "summary TEXT NOT NULL, marks TEXT NOT NULL)"
    )
    db.execute(
        "CREATE TABLE change_rows (change_id INTEGER NOT NULL, tbl TEXT NOT NULL, "
        "row_id INTEGER NOT NULL, old TEXT NOT NULL, PRIMARY KEY (change_id, tbl, row_id)) "
        "WITHOUT ROWID"
    )


def _derive_in_one_place(db) -> None:
    """Migration 7: promises follow their contacts (store/derived.py), summaries are
    refreshed by their readers, and the journal keeps before and after images
    (store/journal.py)."""
    defer_summaries(db.conn)
    derive_promises(db.conn)
    create_journal_tables(db.conn)
    recompute(db.conn)
    refresh_summaries(db.conn)


def _keep_card_uids(db) -> None:
    """Migration 8: a customer keeps the UID of the vCard that created them (a phone's, an
    address book's, the book's own export), so that importing the same cards again finds
    them by it before any name; the journal keeps it like any other field."""
    db.execute("ALTER TABLE customers ADD COLUMN uid TEXT")
    db.execute("CREATE INDEX customers_uid ON customers(uid) WHERE uid IS NOT NULL")
    db.execute('ALTER TABLE journal_customers ADD COLUMN "uid"')
    watch_other_writers(db.conn, "customers")


def _record_migrations(db) -> None:
    """Migration 9: each migration by name in `migrations`, with the moment it was applied
    (sqlite-utils' Migrations keep the same record); those applied before the record was
    kept are listed with no moment."""
    db.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT)")
    db.conn.executemany(
        "INSERT INTO migrations VALUES (?, NULL)",
        [(migration_name(step),) for step in MIGRATIONS[: MIGRATIONS.index(_record_migrations)]],
    )


def _remember_dates_that_matter(db) -> None:
    """Migration 10: a customer's birthday and anniversary, "YYYY-MM-DD" or "--MM-DD"
    without a year (dates/yearly.py), each indexed by its month and day, the key `due`
    looks the coming week up by."""
    for column in ("birthday", "anniversary"):
        db.execute(f"ALTER TABLE customers ADD COLUMN {column} TEXT")
        db.execute(
            f"CREATE INDEX customers_{column} ON customers(substr({column}, -5)) "
            f"WHERE {column} IS NOT NULL"
        )
        db.execute(f'ALTER TABLE journal_customers ADD COLUMN "{column}"')
    watch_other_writers(db.conn, "customers")


def _remember_the_team(db) -> None:
    """Migration 11: the team this book replicates to (`followup team join`), at most one,
    kept in the book so that a book restored on a new laptop carries on where it left off."""
    db.execute(
        "CREATE TABLE team_membership (id INTEGER PRIMARY KEY CHECK (id = 1), "
        "storage TEXT NOT NULL, rep TEXT NOT NULL, joined_on TEXT NOT NULL)"
    )


def migration_name(step: Callable) -> str:
    return step.__name__.lstrip("_")


MIGRATIONS: list[Callable] = [
    _create_core_tables,
    _add_name_keys,
    _create_first_journal,
    _index_notes,
    _key_gathered_touchpoints,
    create_summaries,
    _derive_in_one_place,
    _keep_card_uids,
    _record_migrations,
    _remember_dates_that_matter,
    _remember_the_team,
]
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(connection: sqlite3.Connection) -> int:
    return connection.execute("PRAGMA user_version").fetchone()[0]


def ensure_current(connection: sqlite3.Connection, path: str) -> None:
    version = schema_version(connection)
    if version == SCHEMA_VERSION:
        return
    if version > SCHEMA_VERSION:
        raise DatabaseError(
            f"{path} was written by a newer followup (schema {version}, this one knows "
            f"{SCHEMA_VERSION}); upgrade followup to use it"
        )
    if version > 0:  # there is data to lose: keep a copy of it as it was
        _back_up_before_migrating(connection, Path(path), version)
    else:
        make_private(Path(path))
    _migrate(connection, version)


def _back_up_before_migrating(connection: sqlite3.Connection, path: Path, version: int) -> None:
    from followup_cli import config
    from followup_cli.store.backup import copy_database, default_backup_path

    label = f"schema{version}"
    copy_database(connection, default_backup_path(path, config.today(), label), path)


def tables_of_schema(version: int) -> dict[str, set[str]]:
    """Each table of schema `version` with its columns, as the migrations build them: what
    a backup claiming that version must hold."""
    from followup_cli.store.connection import name_key_function

    connection = sqlite3.connect(":memory:", isolation_level=None)
    try:
        name_key_function(connection)
        _migrate(connection, 0, until=version)
        return tables_in(connection)
    finally:
        connection.close()


def tables_in(connection: sqlite3.Connection) -> dict[str, set[str]]:
    names = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        name: {row[1] for row in connection.execute(f"PRAGMA table_info('{name}')")}
        for name in names
    }


def _migrate(connection: sqlite3.Connection, from_version: int, until: int | None = None) -> None:
    import sqlite_utils

    db = sqlite_utils.Database(connection)
    connection.execute("PRAGMA journal_mode = WAL")
    steps = MIGRATIONS[from_version:until]
    for number, step in enumerate(steps, start=from_version + 1):
        connection.execute("BEGIN IMMEDIATE")
        try:
            if schema_version(connection) >= number:  # another process got there first
                connection.execute("COMMIT")
                continue
            step(db)
            if number > MIGRATIONS.index(_record_migrations):  # committed with its record
                connection.execute(
                    "INSERT INTO migrations VALUES (?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                    (migration_name(step),),
                )
            connection.execute(f"PRAGMA user_version = {number}")
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
