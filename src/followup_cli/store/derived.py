"""The one home of derived customer state: each rule written once, and the recompute that
applies them.

Facts are the rows people and tools write: customers, touchpoints, promises (followups),
referrals, tag cadences. What followup derives from them, and stores so that `due` reads one
index:
- Contacts: every kind but a note (models.CONTACT_KINDS).
- A customer's last contact: the latest-dated contact; of several on that day, the one
  logged last (the highest id) gives its kind.
- Sales total: the sum of their sales' amounts.
- A promise is fulfilled by the customer's first contact (by date, then id) dated on or
  after the day it was due. Deleting, re-kinding, re-dating or moving that contact reopens
  it; a contact moved onto a customer fulfils theirs, as `log` would. `done` and `cancel`
  close a promise by hand (done_on): facts, never reopened by a recompute.
- Due, within cadence, at risk: see `within_cadence`.
Writes never update derived columns themselves. Permanent triggers mark the customers whose
facts changed as stale, whoever wrote them (sqlite3, Datasette, a script); every transaction
of followup's recomputes the stale customers, set-wise, before it commits, and a command
that finds stale customers left by another tool recomputes them first.

- The cadence: a customer's own wins, then the shortest among their tags' (the tag first in
  order on a tie), then the caller's default (`due --days`). `due` walks its index by it and
  says which applied; `stats` and `pitch` count by it.
- Known since: the day a customer was added or first touched, whichever came first (an
  imported customer was known before the day of the import). `due --as-of` and `stats` only
  count customers known on the day they look at.
"""

from followup_cli.models import CONTACT_KINDS

# Columns computed here and nowhere else; the undo journal leaves them out (store/journal.py).
DERIVED_COLUMNS = {
    "customers": ("last_contact_on", "last_contact_kind", "sales_total"),
    "followups": ("fulfilled_by", "fulfilled_on"),
}


# The kinds that count as contact (a note does not), as an SQL list: `kind IN (...)`.
CONTACT_KIND_LIST = ", ".join(f"'{kind}'" for kind in sorted(CONTACT_KINDS))

_TAG_CADENCES = (
    "FROM json_each(customers.tags) JOIN tag_cadences ON tag_cadences.tag = json_each.value"
)
# One parameter: the default cadence.
EFFECTIVE_CADENCE = (
    f"coalesce(customers.cadence_days, (SELECT min(tag_cadences.cadence_days) {_TAG_CADENCES}), ?)"
)
# The tag whose cadence applies (NULL when the customer's own or the default does): the
# least of "cadence, tag" with the cadence zero-padded, so that no sort is needed per row.
CADENCE_TAG = (
    "CASE WHEN customers.cadence_days IS NULL THEN (SELECT substr(min(printf('%05d', "
    f"tag_cadences.cadence_days) || tag_cadences.tag), 6) {_TAG_CADENCES}) END"
)
# One parameter, a day from which on it must be exact: a customer added by then counts as
# known since the day added (for any later day that is the same answer), which spares
# reading the touchpoints of all but the customers added later.
KNOWN_SINCE = (
    "CASE WHEN customers.created_on <= ? THEN customers.created_on "
    "ELSE min(coalesce(customers.created_on, '9999-12-31'), coalesce((SELECT min(t.date) "
    "FROM touchpoints t WHERE t.customer_id = customers.id), '9999-12-31')) END"
)


def within_cadence(days_silent: int, cadence_days: int, times: int = 1) -> bool:
    """The one boundary: a customer silent for at most their cadence is in touch (covered);
    silent longer, they are due. At most twice the cadence they are not yet at risk. On the
    day silence equals the cadence they are still in touch."""
    return days_silent <= times * cadence_days


def silent_too_long(last_contact: str) -> str:
    """SQL of `not within_cadence` for `due`: one parameter, the day; the cadence is
    EFFECTIVE_CADENCE's (its parameter after this one)."""
    return f"{last_contact} < date(?, '-' || {EFFECTIVE_CADENCE} || ' days')"


_STALE = "(SELECT customer_id FROM stale_customers)"
# The last contact: the latest date; on that day, the one logged last.
LATEST_FIRST = "ORDER BY t.date DESC, t.id DESC"
_LAST_CONTACT = (
    "SELECT t.id FROM touchpoints t WHERE t.customer_id = s.customer_id "
    f"AND t.kind IN ({CONTACT_KIND_LIST}) {LATEST_FIRST} LIMIT 1"
)
# The contact that fulfils a promise: the first on or after the day it was due.
_FULFILLING_CONTACT = (
    "SELECT t.id FROM touchpoints t WHERE t.customer_id = f.customer_id "
    f"AND t.kind IN ({CONTACT_KIND_LIST}) AND t.date >= f.due_on ORDER BY t.date, t.id LIMIT 1"
)


# One customer's last contact day (one parameter, the customer), straight from the facts:
# for a writer that must know it before its transaction's recompute has run.
LAST_CONTACT_OF = (
    "SELECT t.date FROM touchpoints t WHERE t.customer_id = ? "
    f"AND t.kind IN ({CONTACT_KIND_LIST}) {LATEST_FIRST} LIMIT 1"
)


def last_contacts_until() -> str:
    """SQL of (customer_id, last_on, kind): each customer's last contact on or before a day
    (one parameter), by the rule the stored column follows; for `due --as-of`."""
    return (
        "SELECT customer_id, date AS last_on, kind FROM (SELECT t.customer_id, t.date, t.kind, "
        f"row_number() OVER (PARTITION BY t.customer_id {LATEST_FIRST}) AS n "
        f"FROM touchpoints t WHERE t.date <= ? AND t.kind IN ({CONTACT_KIND_LIST})) WHERE n = 1"
    )


def recompute(connection) -> None:
    """Every derived column of the stale customers, from their facts; in the caller's
    transaction. Only rows whose values change are written."""
    connection.execute(
        f"WITH derived AS (SELECT s.customer_id AS id, ({_LAST_CONTACT}) AS last_id, "
        "(SELECT coalesce(sum(amount), 0) FROM touchpoints t WHERE t.customer_id = "
        "s.customer_id AND t.kind = 'sale') AS total FROM stale_customers s) "
        "UPDATE customers SET last_contact_on = t.date, last_contact_kind = t.kind, "
        "sales_total = derived.total FROM derived LEFT JOIN touchpoints t ON t.id = "
        "derived.last_id WHERE customers.id = derived.id AND (last_contact_on IS NOT t.date "
        "OR last_contact_kind IS NOT t.kind OR sales_total IS NOT derived.total)"
    )
    connection.execute(
        f"WITH fulfilment AS (SELECT f.id, ({_FULFILLING_CONTACT}) AS touchpoint_id "
        "FROM followups f "
        f"WHERE f.customer_id IN {_STALE} AND f.done_on IS NULL) "
        "UPDATE followups SET fulfilled_by = fulfilment.touchpoint_id, fulfilled_on = t.date "
        "FROM fulfilment LEFT JOIN touchpoints t ON t.id = fulfilment.touchpoint_id "
        "WHERE followups.id = fulfilment.id AND (fulfilled_by IS NOT fulfilment.touchpoint_id "
        "OR fulfilled_on IS NOT t.date)"
    )
    connection.execute(
        "UPDATE followups SET fulfilled_by = NULL, fulfilled_on = NULL "
        f"WHERE customer_id IN {_STALE} AND done_on IS NOT NULL AND fulfilled_by IS NOT NULL"
    )
    connection.execute("DELETE FROM stale_customers")


def mark_stale(customer: str) -> str:
    """A trigger's step marking a customer stale. Trigger bodies avoid conflicts rather than
    resolve them: the statement that fires a trigger imposes its conflict policy on it."""
    return (
        f"INSERT INTO stale_customers SELECT {customer} WHERE NOT EXISTS ("
        f"SELECT 1 FROM stale_customers WHERE customer_id = {customer});"
    )


def derive_promises(connection) -> None:
    """Migration 7: a promise closed because a contact came is derived (fulfilled_by), no
    longer written into done_on; those closed so before are opened for the recompute, which
    closes them again by the rule above. Promises follow their facts from then on."""
    for statement in (
        "ALTER TABLE followups ADD COLUMN fulfilled_by INTEGER",
        "ALTER TABLE followups ADD COLUMN fulfilled_on TEXT",
        "UPDATE followups SET done_on = NULL, done_note = NULL WHERE done_note = "
        "'contact imported' OR done_note GLOB '* logged for [0-9][0-9][0-9][0-9]-[0-9][0-9]-*'",
        "CREATE INDEX followups_open ON followups (due_on) "
        "WHERE done_on IS NULL AND fulfilled_by IS NULL",
        "CREATE INDEX followups_open_of ON followups (customer_id, due_on) "
        "WHERE done_on IS NULL AND fulfilled_by IS NULL",
        "CREATE TRIGGER derived_followup_insert AFTER INSERT ON followups BEGIN "
        f"{mark_stale('new.customer_id')} END",
        "CREATE TRIGGER derived_followup_delete AFTER DELETE ON followups BEGIN "
        f"{mark_stale('old.customer_id')} END",
        "CREATE TRIGGER derived_followup_update AFTER UPDATE OF customer_id, due_on, done_on "
        f"ON followups BEGIN {mark_stale('old.customer_id')} {mark_stale('new.customer_id')} END",
        "INSERT OR IGNORE INTO stale_customers SELECT id FROM customers",
    ):
        connection.execute(statement)
