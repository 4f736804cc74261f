"""The undo journal: every write command is one change, and each change can be taken back.

Design (SQLite's "Automatic Undo/Redo" technique, trimmed for bulk imports):
- A change records, per table, the largest rowid before it began. Rows above it afterwards
  are the rows it inserted (the write lock is held throughout, and changes are undone newest
  first), so inserting costs the journal nothing, and undoing an import of 100,000 rows is
  one DELETE per table.
- Rows a change updates or deletes are kept as they were, once per row, by TEMP triggers this
  connection creates when it writes: `sqlite3`, Datasette and other tools never fire them.
- Only the last KEPT_CHANGES changes are kept; older ones can no longer be undone.
Undoing deletes the rows inserted (children first), puts updated rows back as they were,
then re-inserts deleted rows (parents first): ids, summaries and promises come back exactly.
"""

import datetime as dt
import json
from typing import NamedTuple

KEPT_CHANGES = 100
# Parents first: the order deleted rows are put back in (the reverse for inserted rows).
TABLES = ("customers", "tag_cadences", "touchpoints", "followups", "referrals")


class Change(NamedTuple):
    id: int
    made_at: str
    summary: str


def create_journal(db) -> None:
    """Migration 3: the journal's tables."""
    db.execute(
        "CREATE TABLE changes (id INTEGER PRIMARY KEY, made_at TEXT NOT NULL, "
        "summary TEXT NOT NULL, marks TEXT NOT NULL)"
    )
    db.execute(
        "CREATE TABLE change_rows (change_id INTEGER NOT NULL, tbl TEXT NOT NULL, "
        "row_id INTEGER NOT NULL, old TEXT NOT NULL, PRIMARY KEY (change_id, tbl, row_id)) "
        "WITHOUT ROWID"
    )


class JournalQueries:
    connection = None

    def begin_change(self, summary: str) -> None:
        """Inside the transaction, before the first write."""
        self._ensure_triggers()
        marks = {
            table: self.connection.execute(
                f"SELECT coalesce(max(rowid), 0) FROM {table}"
            ).fetchone()[0]
            for table in TABLES
        }
        made_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        cursor = self.connection.execute(
            "INSERT INTO changes (made_at, summary, marks) VALUES (?, ?, ?)",
            (made_at, summary, json.dumps(marks)),
        )
        self.connection.execute("UPDATE temp.undo_current SET change_id = ?", (cursor.lastrowid,))

    def continue_change(self, change_id: int) -> None:
        """Inside a later transaction, before its first write: its writes join change
        `change_id` (a `work` round saves each answer at once, the customer's answers being
        one change). Rows it inserts are above that change's marks, so undo finds them."""
        self._ensure_triggers()
        self.connection.execute("UPDATE temp.undo_current SET change_id = ?", (change_id,))

    def current_change(self) -> int | None:
        return self.connection.execute("SELECT change_id FROM temp.undo_current").fetchone()[0]

    def describe_change(self, summary: str) -> None:
        """Say what the change did, once it is known (the customer resolved, the counts)."""
        self.connection.execute(
            "UPDATE changes SET summary = ? WHERE id = (SELECT change_id FROM temp.undo_current)",
            (summary,),
        )

    def end_change(self) -> bool:
        """Close the change; False when it changed nothing (the caller then rolls back,
        so that a command with nothing to do leaves the file as it was, byte for byte)."""
        change_id, marks = self.connection.execute(
            "SELECT id, marks FROM changes WHERE id = (SELECT change_id FROM temp.undo_current)"
        ).fetchone()
        self.connection.execute("UPDATE temp.undo_current SET change_id = NULL")
        kept = self.connection.execute(
            "SELECT 1 FROM change_rows WHERE change_id = ? LIMIT 1", (change_id,)
        ).fetchone()
        if not kept and all(
            self.connection.execute(f"SELECT coalesce(max(rowid), 0) FROM {table}").fetchone()[0]
            <= mark
            for table, mark in json.loads(marks).items()
        ):
            return False
        oldest_kept = self.connection.execute(
            "SELECT id FROM changes ORDER BY id DESC LIMIT 1 OFFSET ?", (KEPT_CHANGES - 1,)
        ).fetchone()
        if oldest_kept:
            self.connection.execute("DELETE FROM change_rows WHERE change_id < ?", oldest_kept)
            self.connection.execute("DELETE FROM changes WHERE id < ?", oldest_kept)
        return True

    def recent_changes(self, limit: int) -> list[Change]:
        rows = self.connection.execute(
            "SELECT id, made_at, summary FROM changes ORDER BY id DESC LIMIT ?", (limit,)
        )
        return [Change(*row) for row in rows]

    def undo_latest(self) -> Change | None:
        """Take the latest change back, inside the caller's transaction (not journaled)."""
        row = self.connection.execute(
            "SELECT id, made_at, summary, marks FROM changes ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        change_id, made_at, summary, marks_json = row
        marks = json.loads(marks_json)
        # Rows come back in three passes; references hold again only once all are back.
        self.connection.execute("PRAGMA defer_foreign_keys = ON")
        kept = self.connection.execute(
            "SELECT tbl, row_id, old FROM change_rows WHERE change_id = ?", (change_id,)
        ).fetchall()
        for table in reversed(TABLES):
            self.connection.execute(f"DELETE FROM {table} WHERE rowid > ?", (marks[table],))
        deleted = []
        for table, row_id, old in kept:
            if row_id > marks[table]:
                continue  # inserted by the change, and deleted above
            values = json.loads(old)
            assignments = ", ".join(f"{column} = ?" for column in values)
            cursor = self.connection.execute(
                f"UPDATE {table} SET {assignments} WHERE rowid = ?", (*values.values(), row_id)
            )
            if cursor.rowcount == 0:
                deleted.append((table, row_id, values))
        deleted.sort(key=lambda item: TABLES.index(item[0]))
        for table, row_id, values in deleted:
            if "id" not in values:  # a table without an id column keeps its rowid apart
                values = {"rowid": row_id, **values}
            placeholders = ", ".join("?" * len(values))
            self.connection.execute(
                f"INSERT INTO {table} ({', '.join(values)}) VALUES ({placeholders})",
                tuple(values.values()),
            )
        self.connection.execute("DELETE FROM change_rows WHERE change_id = ?", (change_id,))
        self.connection.execute("DELETE FROM changes WHERE id = ?", (change_id,))
        return Change(change_id, made_at, summary)

    def _ensure_triggers(self) -> None:
        """TEMP triggers keeping each row a change updates or deletes, as it was."""
        exists = self.connection.execute(
            "SELECT 1 FROM temp.sqlite_master WHERE name = 'undo_current'"
        ).fetchone()
        if exists:
            return
        self.connection.execute("CREATE TEMP TABLE undo_current (change_id INTEGER)")
        self.connection.execute("INSERT INTO temp.undo_current VALUES (NULL)")
        for table in TABLES:
            columns = [row[1] for row in self.connection.execute(f"PRAGMA table_info({table})")]
            old = ", ".join(f"'{column}', OLD.{column}" for column in columns)
            for event in ("UPDATE", "DELETE"):
                self.connection.execute(
                    f"CREATE TEMP TRIGGER undo_{table}_{event.lower()} BEFORE {event} "
                    f"ON main.{table} WHEN (SELECT change_id FROM temp.undo_current) IS NOT NULL "
                    "BEGIN INSERT OR IGNORE INTO change_rows VALUES ("
                    f"(SELECT change_id FROM temp.undo_current), '{table}', OLD.rowid, "
                    f"json_object({old})); END"
                )
