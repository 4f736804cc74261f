"""The team book `team pull` builds: a followup book of its own (the same schema, so that
`due`'s rules, sqlite3 and Datasette read it as any book), holding every rep's customers
matched into one, and beside each row the rep it came from.

Built in a new file by one process and then put in place whole: nothing else writes it, and
it is opened read-only (`open_team_book`) by `team due`, `team show` and `team stats`.
"""

from pathlib import Path

from followup_cli.models import DEFAULT_CADENCE_DAYS
from followup_cli.store.connection import TableGroup
from followup_cli.store.derived import (
    CONTACT_KIND_LIST,
    EFFECTIVE_CADENCE,
    LATEST_FIRST,
    silent_too_long,
)
from followup_cli.store.summaries import refresh

TEAM_TABLES = (
    # One row a member whose replica was pulled; `reached_storage_at` is when their book
    # last reached the team's storage (UTC).
    "CREATE TABLE reps (name TEXT PRIMARY KEY, reached_storage_at TEXT, "
    "customers INTEGER NOT NULL DEFAULT 0)",
    "CREATE TABLE customer_reps (customer_id INTEGER NOT NULL REFERENCES customers(id), "
    "rep TEXT NOT NULL, rep_customer_id INTEGER NOT NULL, created_on TEXT NOT NULL, "
    "PRIMARY KEY (rep, rep_customer_id))",
    "CREATE INDEX customer_reps_customer ON customer_reps (customer_id, rep)",
    # Each touchpoint and promise of the team book has one rep, beside its other columns.
    "ALTER TABLE touchpoints ADD COLUMN rep TEXT",
    "ALTER TABLE followups ADD COLUMN rep TEXT",
    "CREATE INDEX touchpoints_rep ON touchpoints (rep, date)",  # touchpoints per rep
    "CREATE TABLE referral_reps (referral_id INTEGER NOT NULL, rep TEXT NOT NULL, "
    "PRIMARY KEY (referral_id, rep))",
)
# Each rep's activity, gathered before it is written in one order for the whole team: the
# touchpoints of a day in the order they were logged, whoever logged them.
_STAGING = (
    "CREATE TEMP TABLE incoming_touchpoints (rep TEXT, rep_id INTEGER, customer_id INTEGER, "
    "date TEXT, kind TEXT, note TEXT, amount REAL, created_at TEXT, source TEXT)",
    "CREATE TEMP TABLE incoming_followups (rep TEXT, rep_id INTEGER, customer_id INTEGER, "
    "due_on TEXT, note TEXT, created_on TEXT, done_on TEXT, done_note TEXT)",
    "CREATE TEMP TABLE incoming_referrals (rep TEXT, referrer_id INTEGER, referred_id INTEGER, "
    "date TEXT, note TEXT, thanked_on TEXT, created_on TEXT)",
)
# derived.py's cadence rule, its parameter named for a query whose others are named too.
_CADENCE = EFFECTIVE_CADENCE.replace("?", ":default_days")
_TOUCHPOINT_ORDER = "ORDER BY date, created_at, rep, rep_id"
_FOLLOWUP_ORDER = "ORDER BY due_on, created_on, rep, rep_id"


class TeamBook(TableGroup):
    """Writes while `team pull` builds the book, then the reads the team commands add to
    what any book answers."""

    def create_tables(self) -> None:
        for statement in TEAM_TABLES + _STAGING:
            self.connection.execute(statement)

    def add_rep(self, name: str, reached_storage_at: str | None) -> None:
        self.connection.execute(
            "INSERT INTO reps (name, reached_storage_at) VALUES (?, ?)", (name, reached_storage_at)
        )

    def record_match(self, rep: str, rep_customer_id: int, customer_id: int, created_on) -> None:
        self.connection.execute(
            "INSERT INTO customer_reps VALUES (?, ?, ?, ?)",
            (customer_id, rep, rep_customer_id, created_on.isoformat()),
        )

    def stage_activity(self, rep_book: Path, rep: str) -> None:
        """A rep's touchpoints, promises and referrals, read from their restored book
        (read-only), onto the team's customers they were matched to."""
        uri = f"{rep_book.absolute().as_uri()}?mode=ro"
        self.connection.execute("ATTACH DATABASE ? AS rep", (uri,))
        try:
            mapped = "JOIN customer_reps m ON m.rep = :rep AND m.rep_customer_id = "
            self.connection.execute(
                "INSERT INTO incoming_touchpoints SELECT :rep, t.id, m.customer_id, t.date, "
                "t.kind, t.note, t.amount, t.created_at, t.source "
                f"FROM rep.touchpoints t {mapped} t.customer_id",
                {"rep": rep},
            )
            self.connection.execute(
                "INSERT INTO incoming_followups SELECT :rep, f.id, m.customer_id, f.due_on, "
                f"f.note, f.created_on, f.done_on, f.done_note FROM rep.followups f {mapped} "
                "f.customer_id",
                {"rep": rep},
            )
            self.connection.execute(
                "INSERT INTO incoming_referrals SELECT :rep, a.customer_id, b.customer_id, "
                "r.date, r.note, r.thanked_on, r.created_on FROM rep.referrals r "
                "JOIN customer_reps a ON a.rep = :rep AND a.rep_customer_id = r.referrer_id "
                "JOIN customer_reps b ON b.rep = :rep AND b.rep_customer_id = r.referred_id",
                {"rep": rep},
            )
        finally:
            self.connection.execute("DETACH DATABASE rep")

    def write_activity(self) -> None:
        """Inside the caller's transaction: the staged rows in one order for the team, each
        with its rep. A referral two reps both recorded is one, with both reps. The notes'
        full-text indexes are built once after the rows, not row by row (a third of the
        time of a million touchpoints)."""
        execute = self.connection.execute
        indexing = execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND name IN ('touchpoints_fts_insert', 'followups_fts_insert')"
        ).fetchall()
        for name, _ in indexing:
            execute(f"DROP TRIGGER {name}")
        indexes = execute(  # built after the rows, from sorted keys: faster than row by row
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND tbl_name IN ('touchpoints', 'followups')"
        ).fetchall()
        for name, _ in indexes:
            execute(f"DROP INDEX {name}")
        # Into empty tables, in this order: the ids follow it.
        execute(
            "INSERT INTO touchpoints (customer_id, date, kind, note, amount, created_at, "
            "source, rep) SELECT customer_id, date, kind, note, amount, created_at, "
            f"rep || ':' || source, rep FROM incoming_touchpoints {_TOUCHPOINT_ORDER}"
        )
        execute(
            "INSERT INTO followups (customer_id, due_on, note, created_on, done_on, done_note, "
            "rep) SELECT customer_id, due_on, note, created_on, done_on, done_note, rep "
            f"FROM incoming_followups {_FOLLOWUP_ORDER}"
        )
        execute(
            "INSERT INTO referrals (referrer_id, referred_id, date, note, thanked_on, "
            "created_on) SELECT referrer_id, referred_id, min(date), note, max(thanked_on), "
            "min(created_on) FROM incoming_referrals WHERE referrer_id != referred_id "
            "GROUP BY referrer_id, referred_id ORDER BY min(date), referrer_id, referred_id"
        )
        execute(
            "INSERT OR IGNORE INTO referral_reps SELECT r.id, i.rep FROM incoming_referrals i "
            "JOIN referrals r ON r.referrer_id = i.referrer_id AND r.referred_id = i.referred_id"
        )
        for table in ("touchpoints_fts", "followups_fts"):
            execute(f"INSERT INTO {table} ({table}) VALUES ('rebuild')")
        for _, sql in indexing + indexes:
            execute(sql)
        # Known to the team since the first rep knew them.
        execute(
            "UPDATE customers SET created_on = (SELECT min(created_on) FROM customer_reps m "
            "WHERE m.customer_id = customers.id)"
        )
        execute(
            "UPDATE reps SET customers = (SELECT count(*) FROM customer_reps m "
            "WHERE m.rep = reps.name)"
        )

    def finish(self) -> None:
        """After the last write: the summaries brought up to date (a read-only book cannot
        refresh them later), and one file with no -wal beside it, which a reader opens
        read-only without writing a -shm. (A VACUUM after cost 4 s at a million touchpoints
        for a file 3% smaller.)"""
        self.connection.execute("BEGIN IMMEDIATE")
        refresh(self.connection)
        self.connection.execute("COMMIT")
        for statement in _STAGING:
            table = statement.split()[3]
            self.connection.execute(f"DROP TABLE temp.{table}")
        self.connection.execute("DELETE FROM journal_touched")  # the merge's, not a user's
        self.connection.execute("PRAGMA journal_mode = DELETE")

    # Reads, on the finished book.

    def reps(self) -> list[tuple[str, str | None, int]]:
        return self.connection.execute(
            "SELECT name, reached_storage_at, customers FROM reps ORDER BY name"
        ).fetchall()

    def reps_of(self, customer_ids: list[int]) -> dict[int, list[str]]:
        found: dict[int, list[str]] = {customer_id: [] for customer_id in customer_ids}
        rows = self.connection.execute(
            "SELECT customer_id, rep FROM customer_reps WHERE customer_id IN "
            f"({', '.join('?' * len(customer_ids))}) ORDER BY customer_id, rep",
            customer_ids,
        )
        for customer_id, rep in rows:
            if rep not in found[customer_id]:
                found[customer_id].append(rep)
        return found

    def last_contact_by(self, customer_ids: list[int], until: str) -> dict[int, str]:
        """Each customer's last contact's rep, counting the touchpoints up to `until`."""
        found = {}
        for customer_id in customer_ids:
            row = self.connection.execute(
                f"SELECT {_last_by('?', until='?')}", (customer_id, until)
            ).fetchone()
            if row[0]:
                found[customer_id] = row[0]
        return found

    def touchpoint_reps(self, touchpoint_ids: list[int]) -> dict[int, str]:
        return dict(
            self.connection.execute(
                "SELECT id, rep FROM touchpoints WHERE id IN "
                f"({', '.join('?' * len(touchpoint_ids))})",
                touchpoint_ids,
            )
        )

    def rep_figures(self, as_of: str, start: str, default_days: int) -> list[tuple]:
        """Per rep: their active customers, how many of them the team is in touch with
        within cadence, how many referred someone from `start` to `as_of`, and the
        touchpoints the rep logged then."""
        return self.connection.execute(
            "WITH held AS (SELECT DISTINCT m.rep, customers.id, customers.last_contact_on, "
            f"{_CADENCE} AS cadence FROM customer_reps m "
            "JOIN customers ON customers.id = m.customer_id WHERE customers.status = 'customer') "
            "SELECT reps.name, "
            "(SELECT count(*) FROM held WHERE held.rep = reps.name), "
            "(SELECT count(*) FROM held WHERE held.rep = reps.name AND held.last_contact_on "
            "BETWEEN date(:as_of, '-' || held.cadence || ' days') AND :as_of), "
            "(SELECT count(DISTINCT held.id) FROM held JOIN referrals r "
            "ON r.referrer_id = held.id WHERE held.rep = reps.name "
            "AND r.date BETWEEN :start AND :as_of), "
            "(SELECT count(*) FROM touchpoints t WHERE t.rep = reps.name "
            "AND t.date BETWEEN :start AND :as_of) "
            "FROM reps ORDER BY reps.name",
            {"as_of": as_of, "start": start, "default_days": default_days},
        ).fetchall()


# The queries `team serve` puts on Datasette's page, in the book's own rules (derived.py):
# the cadence (30 days by default), the silence that makes a customer due, the last contact.
# Each takes the day it looks from as `today` (empty: the real today).
_TODAY = "coalesce(nullif(:today, ''), date('now'))"


def _bound(sql: str, *values: str) -> str:
    """A fragment of derived.py with its `?` parameters, in order, replaced by SQL."""
    for value in values:
        sql = sql.replace("?", value, 1)
    return sql


_DEFAULT_CADENCE = _bound(EFFECTIVE_CADENCE, str(DEFAULT_CADENCE_DAYS))
_REPS_OF = (
    "(SELECT group_concat(rep, ', ') FROM (SELECT DISTINCT rep FROM customer_reps m "
    "WHERE m.customer_id = customers.id ORDER BY rep))"
)


def _last_by(customer: str, until: str) -> str:
    """SQL of the rep whose touchpoint is the customer's last contact up to the day `until`
    (derived.py's rule: the latest date; that day, the one logged last)."""
    return (
        "(SELECT t.rep FROM touchpoints t "
        f"WHERE t.customer_id = {customer} AND t.kind IN ({CONTACT_KIND_LIST}) "
        f"AND t.date <= {until} {LATEST_FIRST} LIMIT 1)"
    )


_ACTIVE_BY_REP = (
    "SELECT m.rep, customers.id, customers.last_contact_on, "
    f"{_DEFAULT_CADENCE} AS cadence FROM customer_reps m JOIN customers "
    "ON customers.id = m.customer_id WHERE customers.status = 'customer' GROUP BY m.rep, "
    "customers.id"
)
_SILENT = _bound(silent_too_long("last_contact_on"), _TODAY, str(DEFAULT_CADENCE_DAYS))
_COVERED = f"last_contact_on BETWEEN date({_TODAY}, '-' || cadence || ' days') AND {_TODAY}"
_REFERRED = (
    "EXISTS (SELECT 1 FROM referrals r WHERE r.referrer_id = held.id "
    f"AND r.date BETWEEN date({_TODAY}, '-12 months') AND {_TODAY})"
)
CANNED_QUERIES = {
    "team_due": {
        "title": "Due: active customers nobody on the team has spoken to within their cadence",
        "sql": (
            "SELECT id, name, email, phone, last_contact_on, "
            f"CAST(julianday({_TODAY}) - julianday(last_contact_on) AS INTEGER) AS days_silent, "
            f"{_DEFAULT_CADENCE} AS cadence_days, {_REPS_OF} AS reps, "
            f"{_last_by('customers.id', _TODAY)} AS last_contact_by FROM customers "
            f"WHERE status = 'customer' AND (last_contact_on IS NULL OR {_SILENT}) "
            "ORDER BY last_contact_on, sales_total DESC, name COLLATE NOCASE"
        ),
    },
    "coverage_by_rep": {
        "title": "Coverage by rep: their active customers the team is in touch with",
        "sql": (
            f"WITH held AS ({_ACTIVE_BY_REP}) SELECT rep, count(*) AS customers, "
            f"sum({_COVERED}) AS covered, "
            f"round(100.0 * sum({_COVERED}) / count(*), 1) AS coverage_percent "
            "FROM held GROUP BY rep ORDER BY rep"
        ),
    },
    "referral_rate_by_rep": {
        "title": "Referral rate by rep: their active customers who referred someone (12 months)",
        "sql": (
            f"WITH held AS ({_ACTIVE_BY_REP}) SELECT rep, count(*) AS customers, "
            f"sum({_REFERRED}) AS referrers, "
            f"round(100.0 * sum({_REFERRED}) / count(*), 1) AS referral_rate_percent "
            "FROM held GROUP BY rep ORDER BY rep"
        ),
    },
}
