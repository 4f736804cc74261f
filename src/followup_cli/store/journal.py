"""The undo journal: every write command is one change, and undo takes back exactly what it did.

A change keeps, for each row it wrote, two images: the row before the change (or that it did
not exist) and the row as the change left it (or that it deleted it). Images are kept in
journal tables shaped like the tables they copy, with no declared types, so REAL, BLOB, TEXT
and NULL come back bit for bit.
- Updates and deletes are caught by TEMP triggers of this connection: other tools never
  fire them, so only followup's own writes are journaled.
- Inserts cost nothing per row: a transaction holds the write lock, so the rows above each
  table's largest rowid at its start are its own, recorded at its end as "did not exist
  before"; the rows it updated or deleted get their after images in one statement.
- A row a change inserted needs no after image: permanent triggers record in journal_touched
  each row other writers update or delete, so it is as the change left it unless listed.
- A transaction whose writes leave every row as it found it records no change.
- A change can span transactions (`work` saves each answer of a customer at once); each adds
  its rows. Changes are undone newest first, in the order they began: a call logged in
  another terminal during a `work` round is undone before the round's customer.
- Derived columns (store/derived.py) are not journaled: undo puts the facts back and they
  are recomputed, so a contact another tool logged since still counts.
Undo first checks that every row is still as the change left it; if another command or tool
has since changed, deleted or reused one, or hung a row from a row the change created, undo
refuses and names it: taking the change back would lose their work.
"""

import datetime as dt
import sqlite3
from typing import NamedTuple

from followup_cli.errors import InvalidInputError
from followup_cli.store.connection import TableGroup
from followup_cli.store.derived import DERIVED_COLUMNS

KEPT_CHANGES = 100
# Parents first: the order deleted rows are put back in (the reverse for inserted rows).
TABLES = ("customers", "tag_cadences", "touchpoints", "followups", "referrals")
# Every reference to a customer: (table, column).
_REFERENCES = (
    ("touchpoints", "customer_id"),
    ("followups", "customer_id"),
    ("referrals", "referrer_id"),
    ("referrals", "referred_id"),
)
_CUSTOMER_OF = {"customers": "id", **dict(_REFERENCES[:3])}
_WHAT = {
    "customers": "the customer record",
    "tag_cadences": "the cadence of tag",
    "touchpoints": "touchpoint",
    "followups": "follow-up",
    "referrals": "referral",
}


class Change(NamedTuple):
    id: int
    made_at: str
    summary: str


def create_journal_tables(connection: sqlite3.Connection) -> None:
    """Migration 7: the journal as before and after images (the first journal inferred
    inserts from rowid marks; its entries cannot be read this way and are dropped)."""
    connection.execute("DROP TABLE IF EXISTS change_rows")
    connection.execute("DROP TABLE IF EXISTS changes")
    connection.execute(
        "CREATE TABLE changes (id INTEGER PRIMARY KEY AUTOINCREMENT, made_at TEXT NOT NULL, "
        "summary TEXT NOT NULL)"
    )
    # Rows other tools updated or deleted, with the newest change then on file: a row a
    # change inserted is as it left it unless another tool touched it since.
    connection.execute(
        "CREATE TABLE journal_touched (tbl TEXT NOT NULL, row_id INTEGER NOT NULL, "
        "after_change INTEGER NOT NULL, PRIMARY KEY (tbl, row_id)) WITHOUT ROWID"
    )
    connection.execute("CREATE TABLE followup_writing (active INTEGER NOT NULL)")
    connection.execute("INSERT INTO followup_writing VALUES (0)")
    for table in TABLES:
        columns = ", ".join(f'"{column}"' for column in journaled_columns(connection, table))
        connection.execute(
            f"CREATE TABLE journal_{table} (change_id INTEGER NOT NULL, row_id INTEGER NOT NULL, "
            f"after INTEGER NOT NULL, present INTEGER NOT NULL, {columns}, "
            "PRIMARY KEY (change_id, row_id, after)) WITHOUT ROWID"
        )
        watch_other_writers(connection, table)


def watch_other_writers(connection: sqlite3.Connection, table: str) -> None:
    """Triggers noting rows other tools update or delete (again after a new column)."""
    watched = ", ".join(f'"{column}"' for column in journaled_columns(connection, table))
    for event in (f"UPDATE OF {watched}", "DELETE"):
        name = f"touched_{table}_{event.split()[0].lower()}"
        connection.execute(f"DROP TRIGGER IF EXISTS {name}")
        connection.execute(
            f"CREATE TRIGGER {name} AFTER {event} ON {table} WHEN (SELECT active FROM "
            "followup_writing) = 0 BEGIN "
            f"DELETE FROM journal_touched WHERE tbl = '{table}' AND row_id = OLD.rowid; "
            f"INSERT INTO journal_touched VALUES ('{table}', OLD.rowid, "
            "(SELECT coalesce(max(id), 0) FROM changes)); END"
        )


def journaled_columns(connection: sqlite3.Connection, table: str) -> list[str]:
    derived = DERIVED_COLUMNS.get(table, ())
    return [
        row[1]
        for row in connection.execute(f"PRAGMA main.table_info({table})")
        if row[1] not in derived
    ]


class Journal(TableGroup):
    def begin(self, summary: str) -> None:
        """Inside the transaction, before the first write."""
        made_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        cursor = self.connection.execute(
            "INSERT INTO changes (made_at, summary) VALUES (?, ?)", (made_at, summary)
        )
        self._watch(cursor.lastrowid)

    def rejoin(self, change_id: int) -> None:
        """Inside a later transaction, before its first write: its writes join change
        `change_id` (a `work` round saves each answer at once, the customer's answers being
        one change)."""
        self._watch(change_id)

    def exists(self, change_id: int) -> bool:
        """False once the change was undone, or left the journal."""
        found = self.connection.execute("SELECT 1 FROM changes WHERE id = ?", (change_id,))
        return found.fetchone() is not None

    def _watch(self, change_id: int) -> None:
        self._ensure_triggers()
        self._writing(True)
        self.connection.execute("UPDATE temp.undo_current SET change_id = ?", (change_id,))
        self.connection.execute("DELETE FROM temp.undo_marks")
        for table in TABLES:
            self.connection.execute(
                f"INSERT INTO temp.undo_marks SELECT '{table}', coalesce(max(rowid), 0) "
                f"FROM main.{table}"
            )

    def _writing(self, active: bool) -> None:
        """While followup writes, inside its transaction, the journal_touched triggers
        step aside: its own writes are journaled. Every other writer sees the flag off."""
        self.connection.execute("UPDATE followup_writing SET active = ?", (int(active),))

    def current(self) -> int | None:
        return self.connection.execute("SELECT change_id FROM temp.undo_current").fetchone()[0]

    def describe(self, summary: str) -> None:
        """Say what the change did, once it is known (the customer resolved, the counts)."""
        self.connection.execute(
            "UPDATE changes SET summary = ? WHERE id = (SELECT change_id FROM temp.undo_current)",
            (summary,),
        )

    def end(self, continuing: bool) -> bool:
        """Record the transaction's rows as it leaves them. False when a new change changed
        nothing: the caller then rolls back, so that a command with nothing to do leaves the
        file as it was, byte for byte. A continued change that nets to nothing is forgotten,
        and its transaction kept (it took back what an earlier one of the change did)."""
        change_id = self.current()
        self.connection.execute("UPDATE temp.undo_current SET change_id = NULL")
        self._writing(False)
        kept = False
        for table in TABLES:
            kept |= self._record_after_images(table, change_id)
        if not kept:
            self._forget(change_id)
            return continuing
        oldest_kept = self.connection.execute(
            "SELECT id FROM changes ORDER BY id DESC LIMIT 1 OFFSET ?", (KEPT_CHANGES - 1,)
        ).fetchone()
        if oldest_kept:
            for (old,) in self.connection.execute(
                "SELECT id FROM changes WHERE id < ?", oldest_kept
            ).fetchall():
                self._forget(old)
            self.connection.execute(
                "DELETE FROM journal_touched WHERE after_change < ?", oldest_kept
            )
        return True

    def _record_after_images(self, table: str, change_id: int) -> bool:
        columns = journaled_columns(self.connection, table)
        listed = ", ".join(f'"{column}"' for column in columns)
        current = ", ".join(f'main.{table}."{column}"' for column in columns)
        journal = f"journal_{table}"
        mark = f"(SELECT mark FROM temp.undo_marks WHERE tbl = '{table}')"
        # Rows above the mark are this transaction's own: they did not exist before. They
        # need no after image: journal_touched says whether another tool changed them.
        self.connection.execute(
            f"INSERT OR IGNORE INTO {journal} (change_id, row_id, after, present) "
            f"SELECT ?, rowid, 0, 0 FROM main.{table} WHERE rowid > {mark}",
            (change_id,),
        )
        self.connection.execute(
            f"DELETE FROM {journal} WHERE change_id = ? AND after = 1", (change_id,)
        )
        self.connection.execute(
            f"INSERT INTO {journal} (change_id, row_id, after, present, {listed}) "
            f"SELECT ?, before.row_id, 1, main.{table}.rowid IS NOT NULL, {current} "
            f"FROM {journal} AS before LEFT JOIN main.{table} ON main.{table}.rowid = "
            f"before.row_id WHERE before.change_id = ? AND before.after = 0 "
            f"AND before.row_id <= {mark}",
            (change_id, change_id),
        )
        same = " AND ".join(f'a."{column}" IS b."{column}"' for column in columns)
        self.connection.execute(
            f"DELETE FROM {journal} WHERE change_id = ? AND row_id IN (SELECT b.row_id "
            f"FROM {journal} b JOIN {journal} a ON a.change_id = b.change_id "
            "AND a.row_id = b.row_id AND a.after = 1 WHERE b.change_id = ? AND b.after = 0 "
            f"AND b.present = 1 AND a.present = 1 AND {same})",
            (change_id, change_id),
        )
        return (
            self.connection.execute(
                f"SELECT 1 FROM {journal} WHERE change_id = ? LIMIT 1", (change_id,)
            ).fetchone()
            is not None
        )

    def _forget(self, change_id: int) -> None:
        for table in TABLES:
            self.connection.execute(
                f"DELETE FROM journal_{table} WHERE change_id = ?", (change_id,)
            )
        self.connection.execute("DELETE FROM changes WHERE id = ?", (change_id,))

    def recent(self, limit: int) -> list[Change]:
        rows = self.connection.execute(
            "SELECT id, made_at, summary FROM changes ORDER BY id DESC LIMIT ?", (limit,)
        )
        return [Change(*row) for row in rows]

    def undo_latest(self) -> Change | None:
        """Take the latest change back, inside the caller's transaction (not journaled), or
        refuse (InvalidInputError) when a row it wrote has changed since."""
        row = self.connection.execute(
            "SELECT id, made_at, summary FROM changes ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        change = Change(*row)
        self._refuse_if_changed_since(change)
        self._writing(True)
        # Rows come back in passes; references hold again only once all are back.
        self.connection.execute("PRAGMA defer_foreign_keys = ON")
        for table in reversed(TABLES):
            self.connection.execute(
                f"DELETE FROM main.{table} WHERE rowid IN (SELECT row_id FROM journal_{table} "
                "WHERE change_id = ? AND after = 0 AND present = 0)",
                (change.id,),
            )
        for table in TABLES:
            self._put_back(table, change.id)
        self._refuse_if_orphaned(change)
        self._forget(change.id)
        self._writing(False)
        return change

    def _put_back(self, table: str, change_id: int) -> None:
        columns = journaled_columns(self.connection, table)
        assignments = ", ".join(f'"{column}" = before."{column}"' for column in columns)
        self.connection.execute(
            f"UPDATE main.{table} SET {assignments} FROM journal_{table} AS before "
            f"WHERE before.change_id = ? AND before.after = 0 AND before.present = 1 "
            f"AND main.{table}.rowid = before.row_id",
            (change_id,),
        )
        listed = ", ".join(f'"{column}"' for column in columns)
        if "id" not in columns:  # a table without an id column keeps its rowid apart
            listed = f"rowid, {listed}"
        self.connection.execute(
            f"INSERT INTO main.{table} ({listed}) SELECT {listed.replace('rowid', 'row_id')} "
            f"FROM journal_{table} WHERE change_id = ? AND after = 0 AND present = 1 "
            f"AND row_id NOT IN (SELECT rowid FROM main.{table})",
            (change_id,),
        )

    def _refuse_if_changed_since(self, change: Change) -> None:
        for table in TABLES:
            found = self.connection.execute(
                f"SELECT b.row_id, now.rowid IS NOT NULL FROM journal_{table} b "
                f"LEFT JOIN main.{table} AS now ON now.rowid = b.row_id "
                "WHERE b.change_id = ? AND b.after = 0 AND b.present = 0 AND NOT EXISTS ("
                f"SELECT 1 FROM journal_{table} a WHERE a.change_id = b.change_id "
                "AND a.row_id = b.row_id AND a.after = 1) AND (now.rowid IS NULL OR EXISTS ("
                f"SELECT 1 FROM journal_touched k WHERE k.tbl = '{table}' "
                "AND k.row_id = b.row_id AND k.after_change >= b.change_id)) LIMIT 1",
                (change.id,),
            ).fetchone()
            if found:
                row_id, is_present = found
                what = "has been changed since" if is_present else "has been deleted since"
                self._refuse(change, table, row_id, what)

            columns = journaled_columns(self.connection, table)
            differs = " OR ".join(f'now."{column}" IS NOT a."{column}"' for column in columns)
            found = self.connection.execute(
                f"SELECT a.row_id, a.present, now.rowid IS NOT NULL FROM journal_{table} a "
                f"LEFT JOIN main.{table} AS now ON now.rowid = a.row_id "
                "WHERE a.change_id = ? AND a.after = 1 AND (a.present != (now.rowid IS NOT NULL) "
                f"OR (a.present AND ({differs}))) LIMIT 1",
                (change.id,),
            ).fetchone()
            if found:
                row_id, was_present, is_present = found
                if not was_present:
                    what = "was deleted by the change and its id is taken again"
                elif not is_present:
                    what = "has been deleted since"
                else:
                    what = "has been changed since"
                self._refuse(change, table, row_id, what)
        # A row another tool hung from a row this change created would go with it.
        for table, column in _REFERENCES:
            found = self.connection.execute(
                f"SELECT t.rowid FROM main.{table} t JOIN journal_customers c "
                f"ON c.row_id = t.{column} AND c.change_id = ? AND c.after = 0 "
                f"AND c.present = 0 WHERE t.rowid NOT IN (SELECT row_id FROM "
                f"journal_{table} WHERE change_id = ?) LIMIT 1",
                (change.id, change.id),
            ).fetchone()
            if found:
                self._refuse(change, table, found[0], "was added since")

    def _refuse_if_orphaned(self, change: Change) -> None:
        """A row put back whose customer another tool has deleted since."""
        for table, column in _REFERENCES:
            found = self.connection.execute(
                f"SELECT row_id FROM journal_{table} WHERE change_id = ? AND after = 0 "
                f"AND present = 1 AND {column} NOT IN (SELECT id FROM main.customers) LIMIT 1",
                (change.id,),
            ).fetchone()
            if found:
                raise InvalidInputError(
                    f"cannot undo {change.summary!r}: the customer of {_WHAT[table]} "
                    f"{found[0]} has been deleted since (by another command or tool); "
                    "nothing was undone"
                )

    def _refuse(self, change: Change, table: str, row_id: int, what: str) -> None:
        name = self._customer_named_by(table, row_id, change.id)
        whose = f"{name}'s " if name and table != "customers" else ""
        if table != "customers":
            thing = f"{_WHAT[table]} {row_id}"
        else:
            thing = f"{name}'s customer record" if name else _WHAT[table]
        raise InvalidInputError(
            f"cannot undo {change.summary!r}: {whose}{thing} {what} (by another command or "
            "tool); nothing was undone"
        )

    def _customer_named_by(self, table: str, row_id: int, change_id: int) -> str | None:
        """The name of the customer a row belongs to: the row as it is now, else as the
        change left it or found it; the customer as they are now, else as the change had
        them."""
        column = _CUSTOMER_OF.get(table)
        if column is None:
            return None
        customer_id = self.connection.execute(
            f"SELECT {column} FROM main.{table} WHERE rowid = ? UNION ALL "
            f"SELECT {column} FROM journal_{table} WHERE change_id = ? AND row_id = ? "
            "AND present = 1",
            (row_id, change_id, row_id),
        ).fetchone()
        if customer_id is None:
            return None
        found = self.connection.execute(
            "SELECT name FROM main.customers WHERE id = ? UNION ALL SELECT name FROM "
            "journal_customers WHERE change_id = ? AND row_id = ? AND present = 1",
            (customer_id[0], change_id, customer_id[0]),
        ).fetchone()
        return found[0] if found else None

    def _ensure_triggers(self) -> None:
        """TEMP triggers keeping each row a change updates or deletes, as it was before."""
        exists = self.connection.execute(
            "SELECT 1 FROM temp.sqlite_master WHERE name = 'undo_current'"
        ).fetchone()
        if exists:
            return
        self.connection.execute("CREATE TEMP TABLE undo_current (change_id INTEGER)")
        self.connection.execute("INSERT INTO temp.undo_current VALUES (NULL)")
        self.connection.execute("CREATE TEMP TABLE undo_marks (tbl TEXT PRIMARY KEY, mark INT)")
        for table in TABLES:
            columns = journaled_columns(self.connection, table)
            listed = ", ".join(f'"{column}"' for column in columns)
            old = ", ".join(f'OLD."{column}"' for column in columns)
            watched = ", ".join(f'"{column}"' for column in columns)
            for event in (f"UPDATE OF {watched}", "DELETE"):
                self.connection.execute(
                    f"CREATE TEMP TRIGGER undo_{table}_{event.split()[0].lower()} BEFORE {event} "
                    f"ON main.{table} WHEN (SELECT change_id FROM temp.undo_current) IS NOT NULL "
                    f"AND OLD.rowid <= (SELECT mark FROM temp.undo_marks WHERE tbl = '{table}') "
                    f"BEGIN INSERT OR IGNORE INTO journal_{table} "
                    f"(change_id, row_id, after, present, {listed}) VALUES ("
                    f"(SELECT change_id FROM temp.undo_current), OLD.rowid, 0, 1, {old}); END"
                )
