"""Summaries the store keeps so that `stats` and `pitch` read a few thousand rows however
large the book: a cache of derived state, refreshed by those two commands before they read.

- touchpoint_days: touchpoints, and their amount in cents, per day and kind; kept row by row
  by triggers, and by an import in one statement for the rows it inserted.
- Day marks: for every customer, steps on days (proleptic ordinals, as date.toordinal()
  gives them) whose running sum gives, at any day, a count over the book. Each series is
  defined in `_MARKS` below. customer_marks keeps each customer's steps, so that they can be
  taken out again when the customer changes; day_marks holds their sum per series and day.
- customer_summaries: the parts of `pitch`'s warmth that do not depend on today (sales,
  referrals made), indexed so that `pitch` reads the warmest first and stops early.

A write only marks its customers (triggers, so that a write by another tool is caught too:
each mark in stale_customers is carried into stale_summaries); `refresh` recomputes the
marked customers in one set of statements when `stats` or `pitch` next reads, so that an
import of a million rows pays once, not once a row, and `log` not at all.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from followup_cli.models import DEFAULT_CADENCE_DAYS
from followup_cli.store.derived import CONTACT_KIND_LIST, EFFECTIVE_CADENCE, KNOWN_SINCE
from followup_cli.store.derived import mark_stale as _stale

_DAY = "CAST(julianday({}) - 1721424.5 AS INTEGER)"
_CENTS = "CAST(round(coalesce({}, 0) * 100) AS INTEGER)"
_STALE = "(SELECT customer_id FROM stale_summaries)"

# Series of day marks (on_file, contacted, covered and warm count active customers only):
# - on_file: +1 on the day a customer became known (added, or first touched if earlier);
# - contacted: +1 on a customer's first contact;
# - covered: on for each day whose last contact is at most the cadence old;
# - warm: the same with twice the cadence (contacted but not warm: at risk);
# - added: +1 on the day added; lost: +1 on the day a lost customer was marked lost;
# - first_sale: the amount in cents of each customer's first sale (by date, then id);
# - first_buy, last_buy: +1 on the day of a customer's first sale, and of their last.
_MARKS = f"""
WITH book AS MATERIALIZED (
    SELECT id AS customer_id, status = 'customer' AS active, status, status_changed_on,
        {_DAY.format("created_on")} AS created_day, {_DAY.format(KNOWN_SINCE)} AS known_day,
        {EFFECTIVE_CADENCE} AS cadence FROM customers WHERE id IN {_STALE}),
contacts AS (
    SELECT DISTINCT t.customer_id, {_DAY.format("t.date")} AS day, book.cadence
    FROM book JOIN touchpoints t ON t.customer_id = book.customer_id
    WHERE book.active AND t.kind IN ({CONTACT_KIND_LIST})),
gaps AS MATERIALIZED (
    SELECT customer_id, day, cadence, day - lag(day) OVER days AS before,
        lead(day) OVER days - day AS after
    FROM contacts WINDOW days AS (PARTITION BY customer_id ORDER BY day)),
-- A stretch covered with k times the cadence starts at a contact more than that (and a
-- day) after the one before, and ends that long after a contact with none as soon after.
stretches AS (
    SELECT customer_id, CASE k WHEN 1 THEN 'covered' ELSE 'warm' END AS series,
        CASE edge WHEN 1 THEN day ELSE day + k * cadence + 1 END AS day, edge AS step
    FROM gaps CROSS JOIN (SELECT 1 AS k UNION ALL SELECT 2)
        CROSS JOIN (SELECT 1 AS edge UNION ALL SELECT -1)
    WHERE coalesce(CASE edge WHEN 1 THEN before ELSE after END > k * cadence + 1, 1)),
sales AS (
    SELECT customer_id, {_DAY.format("date")} AS day, {_CENTS.format("amount")} AS cents,
        row_number() OVER sold AS n, count(*) OVER (PARTITION BY customer_id) AS last
    FROM touchpoints WHERE kind = 'sale' AND customer_id IN {_STALE}
    WINDOW sold AS (PARTITION BY customer_id ORDER BY date, id))
SELECT customer_id, 'on_file' AS series, known_day AS day, 1 AS step FROM book WHERE active
UNION ALL SELECT customer_id, 'contacted', day, 1 FROM gaps WHERE before IS NULL
UNION ALL SELECT * FROM stretches
UNION ALL SELECT customer_id, 'added', created_day, 1 FROM book
UNION ALL SELECT customer_id, 'lost', {_DAY.format("status_changed_on")}, 1 FROM book
    WHERE status = 'lost' AND status_changed_on IS NOT NULL
UNION ALL SELECT customer_id, 'first_sale', day, cents FROM sales WHERE n = 1
UNION ALL SELECT customer_id, 'first_buy', day, 1 FROM sales WHERE n = 1
UNION ALL SELECT customer_id, 'last_buy', day, 1 FROM sales WHERE n = last
"""

# Warmth that does not depend on today (services/pitch.py): one sale +4, two or more +2;
# each referral made +2, at most +6.
_SUMMARIES = f"""
SELECT id, sales, referred, CASE sales WHEN 0 THEN 0 WHEN 1 THEN 4 ELSE 2 END
    + 2 * min(referred, 3)
FROM (SELECT id, (SELECT count(*) FROM (SELECT 1 FROM touchpoints s WHERE s.kind = 'sale'
        AND s.customer_id = customers.id LIMIT 2)) AS sales,
    (SELECT count(*) FROM referrals r WHERE r.referrer_id = customers.id) AS referred
    FROM customers WHERE id IN {_STALE})
"""

_ADD_TO_DAYS = (
    "INSERT INTO day_marks (series, day, total) SELECT series, day, {sign} sum(step) "
    f"FROM customer_marks WHERE customer_id IN {_STALE} GROUP BY series, day "
    "ON CONFLICT DO UPDATE SET total = total + excluded.total"
)


def refresh(connection) -> None:
    """Recompute the summaries of the customers marked for them; inside the caller's
    transaction. `stats` and `pitch` call it before they read (store/insights.py)."""
    stale = connection.execute("SELECT count(*) FROM stale_summaries").fetchone()[0]
    if not stale:
        return
    if _everyone_stale(
        connection, stale
    ):  # an import or a migration: start afresh rather than take each one out
        for table in ("day_marks", "customer_marks", "customer_summaries"):
            connection.execute(f"DELETE FROM {table}")
    else:
        connection.execute(_ADD_TO_DAYS.format(sign="-"))
        connection.execute(f"DELETE FROM customer_marks WHERE customer_id IN {_STALE}")
        connection.execute(f"DELETE FROM customer_summaries WHERE customer_id IN {_STALE}")
    connection.execute(
        "INSERT INTO customer_marks (customer_id, series, day, step) " + _MARKS,
        ("", DEFAULT_CADENCE_DAYS),  # known since: exact for every day after ""
    )
    connection.execute(_ADD_TO_DAYS.format(sign=""))
    connection.execute("DELETE FROM day_marks WHERE total = 0")
    connection.execute(f"INSERT INTO customer_summaries {_SUMMARIES}")
    connection.execute("DELETE FROM stale_summaries")


def _everyone_stale(connection, stale: int) -> bool:
    """Whether no customer is left out (stale ones may be gone already, so counts alone
    cannot tell); asked of the table only when the counts allow it."""
    customers = connection.execute("SELECT count(*) FROM customers").fetchone()[0]
    return (
        stale >= customers
        and not connection.execute(
            f"SELECT 1 FROM customers WHERE id NOT IN {_STALE} LIMIT 1"
        ).fetchone()
    )


def _stale_tagged(row: str) -> str:
    return (
        "INSERT INTO stale_customers SELECT DISTINCT customers.id "
        f"FROM customers, json_each(customers.tags) WHERE json_each.value = {row}.tag "
        "AND customers.id NOT IN (SELECT customer_id FROM stale_customers);"
    )


def _count_touchpoint(row: str, sign: str) -> str:
    day = f"{row}.date = touchpoint_days.day AND {row}.kind = touchpoint_days.kind"
    return (
        f"INSERT INTO touchpoint_days SELECT {row}.date, {row}.kind, 0, 0 "
        f"WHERE NOT EXISTS (SELECT 1 FROM touchpoint_days WHERE {day}); "
        f"UPDATE touchpoint_days SET touchpoints = touchpoints {sign} 1, "
        f"cents = cents {sign} {_CENTS.format(row + '.amount')} WHERE {day}; "
        f"DELETE FROM touchpoint_days WHERE {day} AND touchpoints = 0;"
    )


_PAUSED = "(SELECT paused FROM insert_triggers)"
_INSERT_TRIGGERS = {
    "summaries_customer_insert": f"AFTER INSERT ON customers WHEN {_PAUSED} = 0 BEGIN "
    f"{_stale('new.id')} END",
    "summaries_touchpoint_insert": f"AFTER INSERT ON touchpoints WHEN {_PAUSED} = 0 BEGIN "
    f"{_stale('new.customer_id')} {_count_touchpoint('new', '+')} END",
}


def defer_summaries(connection) -> None:
    """Migration 7. Summaries are brought up to date by the commands that read them
    (`stats`, `pitch`), not by every write: a customer marked stale for the derived columns
    (store/derived.py) is marked for the summaries too, by a trigger, and stays marked
    until a reader refreshes. An import of 100,000 customers then pays for its summaries
    once, when they are first read, and `log` not at all.

    The per-row triggers on inserts step aside while an import, inside its own transaction,
    marks what it inserted in one statement (`inserts_in_bulk`). The flag is only ever set
    inside that transaction, so every other writer sees it off."""
    connection.execute("CREATE TABLE insert_triggers (paused INTEGER NOT NULL)")
    connection.execute("INSERT INTO insert_triggers VALUES (0)")
    connection.execute("CREATE TABLE stale_summaries (customer_id INTEGER PRIMARY KEY)")
    connection.execute(
        f"CREATE TRIGGER summaries_stale AFTER INSERT ON stale_customers WHEN {_PAUSED} = 0 "
        "BEGIN INSERT INTO stale_summaries SELECT new.customer_id WHERE NOT EXISTS ("
        "SELECT 1 FROM stale_summaries WHERE customer_id = new.customer_id); END"
    )
    for name, body in _INSERT_TRIGGERS.items():
        connection.execute(f"DROP TRIGGER {name}")
        connection.execute(f"CREATE TRIGGER {name} {body}")
    connection.execute("INSERT INTO stale_summaries SELECT id FROM customers")


@contextmanager
def inserts_in_bulk(connection) -> Iterator[None]:
    """Around rows an import only inserts, inside its transaction: what the insert triggers
    do row by row (mark the customers stale, count touchpoints by day and kind) is done
    once, for the rows above each table's largest rowid at the start."""
    marks = [
        connection.execute(f"SELECT coalesce(max(rowid), 0) FROM {table}").fetchone()[0]
        for table in ("customers", "touchpoints")
    ]
    connection.execute("UPDATE insert_triggers SET paused = 1")
    try:
        yield
        customers, touchpoints = marks
        # A new customer's derived columns are their defaults until a touchpoint comes;
        # the summaries count them from the day they were added.
        connection.execute(
            "INSERT OR IGNORE INTO stale_summaries SELECT id FROM customers WHERE id > ?",
            (customers,),
        )
        for stale in ("stale_customers", "stale_summaries"):
            connection.execute(
                f"INSERT OR IGNORE INTO {stale} SELECT customer_id FROM touchpoints WHERE id > ?",
                (touchpoints,),
            )
        connection.execute(
            "INSERT INTO touchpoint_days SELECT date, kind, count(*), "
            f"sum({_CENTS.format('amount')}) FROM touchpoints WHERE id > ? GROUP BY date, kind "
            "ON CONFLICT DO UPDATE SET touchpoints = touchpoints + excluded.touchpoints, "
            "cents = cents + excluded.cents",
            (touchpoints,),
        )
    finally:  # a savepoint rolled back and retried must find the triggers on
        connection.execute("UPDATE insert_triggers SET paused = 0")


def create_summaries(db) -> None:
    """Migration 6: the summaries' tables and triggers; migration 7 fills them."""
    for statement in (
        "CREATE TABLE touchpoint_days (day TEXT NOT NULL, kind TEXT NOT NULL, "
        "touchpoints INTEGER NOT NULL, cents INTEGER NOT NULL, PRIMARY KEY (day, kind)) "
        "WITHOUT ROWID",
        "CREATE TABLE stale_customers (customer_id INTEGER PRIMARY KEY)",
        "CREATE TABLE customer_marks (customer_id INTEGER NOT NULL, series TEXT NOT NULL, "
        "day INTEGER NOT NULL, step INTEGER NOT NULL, "
        "PRIMARY KEY (customer_id, series, day)) WITHOUT ROWID",
        "CREATE TABLE day_marks (series TEXT NOT NULL, day INTEGER NOT NULL, "
        "total INTEGER NOT NULL, PRIMARY KEY (series, day)) WITHOUT ROWID",
        "CREATE TABLE customer_summaries (customer_id INTEGER PRIMARY KEY, "
        "sales INTEGER NOT NULL, referred INTEGER NOT NULL, warmth INTEGER NOT NULL)",
        "CREATE INDEX customer_summaries_warmth ON customer_summaries (warmth DESC)",
        # Each customer's contacts, read from the index alone (it had no kind before).
        "CREATE INDEX touchpoints_customer_days ON touchpoints (customer_id, date, kind)",
        "DROP INDEX idx_touchpoints_customer_id_date",
        # Buyers in a period that sales came after: distinct customers among its sales.
        "CREATE INDEX touchpoints_sale_days ON touchpoints (date, customer_id) WHERE kind = 'sale'",
        "CREATE TRIGGER summaries_touchpoint_insert AFTER INSERT ON touchpoints BEGIN "
        f"{_stale('new.customer_id')} {_count_touchpoint('new', '+')} END",
        "CREATE TRIGGER summaries_touchpoint_delete AFTER DELETE ON touchpoints BEGIN "
        f"{_stale('old.customer_id')} {_count_touchpoint('old', '-')} END",
        "CREATE TRIGGER summaries_touchpoint_update AFTER UPDATE OF customer_id, date, kind, "
        f"amount ON touchpoints BEGIN {_stale('old.customer_id')} {_stale('new.customer_id')} "
        f"{_count_touchpoint('old', '-')} {_count_touchpoint('new', '+')} END",
        f"CREATE TRIGGER summaries_customer_insert AFTER INSERT ON customers BEGIN "
        f"{_stale('new.id')} END",
        f"CREATE TRIGGER summaries_customer_delete AFTER DELETE ON customers BEGIN "
        f"{_stale('old.id')} END",
        "CREATE TRIGGER summaries_customer_update AFTER UPDATE OF status, status_changed_on, "
        f"cadence_days, tags, created_on ON customers BEGIN {_stale('new.id')} END",
        f"CREATE TRIGGER summaries_referral_insert AFTER INSERT ON referrals BEGIN "
        f"{_stale('new.referrer_id')} END",
        f"CREATE TRIGGER summaries_referral_delete AFTER DELETE ON referrals BEGIN "
        f"{_stale('old.referrer_id')} END",
        "CREATE TRIGGER summaries_referral_update AFTER UPDATE OF referrer_id ON referrals "
        f"BEGIN {_stale('old.referrer_id')} {_stale('new.referrer_id')} END",
        *(
            f"CREATE TRIGGER summaries_cadence_{event.lower()} AFTER {event} ON tag_cadences "
            f"BEGIN {' '.join(_stale_tagged(row) for row in rows)} END"
            for event, rows in (
                ("INSERT", ["new"]),
                ("UPDATE", ["old", "new"]),
                ("DELETE", ["old"]),
            )
        ),
        "INSERT INTO touchpoint_days SELECT date, kind, count(*), "
        f"sum({_CENTS.format('amount')}) FROM touchpoints GROUP BY date, kind",
        "INSERT INTO stale_customers SELECT id FROM customers",
    ):
        db.execute(statement)
