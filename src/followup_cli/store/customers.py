"""Queries on the customers table, including the index walk behind `due`."""

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from itertools import compress

from followup_cli.customer_fields import BY_KEY, FILE_KEYS
from followup_cli.models import Customer
from followup_cli.store.connection import TableGroup, savepoint
from followup_cli.store.decode import CUSTOMER_SELECT, customer_from_row, to_date
from followup_cli.store.derived import (
    CADENCE_TAG,
    EFFECTIVE_CADENCE,
    KNOWN_SINCE,
    LAST_CONTACT_OF,
    last_contacts_until,
    silent_too_long,
)
from followup_cli.values import name_key

_FILE_FIELDS = [BY_KEY[key] for key in FILE_KEYS]
EDITABLE_COLUMNS = frozenset(
    [field.column for field in _FILE_FIELDS] + ["extra", "status_changed_on"]
)
_SELECT = f"SELECT {CUSTOMER_SELECT} FROM customers"
_HAS_TAG = "EXISTS (SELECT 1 FROM json_each(customers.tags) WHERE value = ?)"


_JSON = json.JSONEncoder(ensure_ascii=False).encode
_INSERT_COLUMNS = [field.column for field in _FILE_FIELDS] + [
    "name_key",
    "extra",
    "created_on",
    "status_changed_on",
]
_INSERT_CUSTOMER = (
    f"INSERT INTO customers ({', '.join(_INSERT_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(_INSERT_COLUMNS))})"
)
# What a new customer's field holds when nothing is given: in Python, and as SQL.
_DEFAULTS = {"tags": (), "status": "customer"}
_SQL_DEFAULTS = {"tags": "'[]'", "status": "'customer'"}


def _encode_customer(
    *, created_on: dt.date, extra: dict[str, str] | None = None, **fields
) -> tuple:
    """A new customer's file fields (customer_fields.FILE_KEYS; any left out are empty)
    as _INSERT_CUSTOMER binds them."""
    encoded = [fields.get(key) or _DEFAULTS.get(key) for key in FILE_KEYS]
    encoded[_TAGS] = encode_tags(encoded[_TAGS])
    created = created_on.isoformat()
    name = fields["name"]
    return (*encoded, name_key(name), _JSON(extra) if extra else None, created, created)


def encode_tags(tags) -> str:
    """JSON text of the tag list; a join for the usual plain tags, json for anything else."""
    if not tags:
        return "[]"
    if all(map(_is_plain_tag, tags)):
        return '["' + '", "'.join(tags) + '"]'
    return _JSON(list(tags))


def _is_plain_tag(tag: str) -> bool:
    """Written by json exactly as it is: printable ASCII without a quote or a backslash.
    (String tests, not a regex: compiling that character class cost 2.5 ms per command.)"""
    return tag.isascii() and tag.isprintable() and '"' not in tag and "\\" not in tag


_TAGS = FILE_KEYS.index("tags")
# What an empty plain-import column stores: every file field but the name and email.
_PLAIN_DEFAULTS = {
    key: _SQL_DEFAULTS.get(key, "NULL") for key in FILE_KEYS if key not in ("name", "email")
}


class EmailRepeated(Exception):
    """A row's email is already another customer's, in some case: an import that set the
    unique email index aside, or inserted a batch at once, must match that row instead.
    SQLite's IntegrityError becomes this here, so no layer above handles an sqlite3 error."""


@contextmanager
def _refusing_repeated_emails(connection) -> Iterator[None]:
    try:
        with savepoint(connection):
            yield
    except sqlite3.IntegrityError:
        raise EmailRepeated from None


class Customers(TableGroup):
    def insert(self, **fields) -> int:
        """A new customer from _encode_customer's keywords; returns the new id."""
        cursor = self.connection.execute(_INSERT_CUSTOMER, _encode_customer(**fields))
        return cursor.lastrowid

    def insert_many(self, rows: list[dict]) -> None:
        """Many at once (imports), each in insert's keywords; all or none of them."""
        with _refusing_repeated_emails(self.connection):
            self.connection.executemany(_INSERT_CUSTOMER, (_encode_customer(**row) for row in rows))

    def insert_plain(
        self, columns: dict[str, Sequence], added_on: dt.date, wanted: list[bool] | None
    ) -> None:
        """New customers from a chunk of a plain import: per field a value per row, ""
        for an empty cell; only the `wanted` rows. The statement is chosen per chunk: a
        column with no empty cell is bound as it is, one with nothing in it becomes the
        default, and only a mixed one goes through nullif, for sqlite3 binds None through
        a slow adapter lookup and every SQL function call costs per row."""
        names = columns["name"]
        bound, values = [names, columns["email"], list(map(name_key, names))], ["?", "?", "?"]
        for name, default in _PLAIN_DEFAULTS.items():
            column = columns[name]
            if not any(column):
                values.append(default)
                continue
            values.append("?" if "" not in column else f"coalesce(nullif(?, ''), {default})")
            bound.append(column)
        rows = zip(*bound, strict=True)
        with _refusing_repeated_emails(self.connection):
            self.connection.executemany(
                f"INSERT INTO customers (name, email, name_key, {', '.join(_PLAIN_DEFAULTS)}, "
                f"created_on, status_changed_on) VALUES ({', '.join(values)}, "
                f"'{added_on.isoformat()}', '{added_on.isoformat()}')",
                rows if wanted is None else compress(rows, wanted),
            )

    def any(self) -> bool:
        return self.connection.execute("SELECT 1 FROM customers LIMIT 1").fetchone() is not None

    def stored_values(self, email_keys: list[str], fields: tuple[str, ...]) -> dict[str, tuple]:
        """Lower-cased email -> the customer's `fields` as a plain import file gives them
        (anything empty, no tags included, is ""), for one chunk of an import in one query."""
        columns = ", ".join(
            "coalesce(nullif(tags, '[]'), '')" if name == "tags" else f"coalesce({name}, '')"
            for name in fields
        )
        rows = self.connection.execute(
            f"SELECT lower(email), {columns} FROM customers "
            "WHERE lower(email) IN (SELECT value FROM json_each(?)) AND email IS NOT NULL",
            (json.dumps(email_keys),),
        )
        return {row[0]: row[1:] for row in rows}

    def ids_by_email(self) -> dict[str, int]:
        """Every customer's email, lower-cased: matching a mailbox's addresses is then a
        dictionary lookup, not a query per address of every message."""
        return dict(
            self.connection.execute(
                "SELECT lower(email), id FROM customers WHERE email IS NOT NULL"
            ).fetchall()
        )

    def update(self, customer_id: int, changes: dict) -> None:
        unknown = set(changes) - EDITABLE_COLUMNS
        if unknown:
            raise ValueError(f"not editable: {sorted(unknown)}")
        encoded = {
            column: encode_tags(value) if column == "tags" else value
            for column, value in changes.items()
        }
        if "extra" in encoded:
            encoded["extra"] = json.dumps(encoded["extra"], ensure_ascii=False) or None
        if "name" in encoded:
            encoded["name_key"] = name_key(encoded["name"])
        assignments = ", ".join(f"{column} = ?" for column in encoded)
        self.connection.execute(
            f"UPDATE customers SET {assignments} WHERE id = ?", (*encoded.values(), customer_id)
        )

    def delete(self, customer_id: int) -> None:
        self.connection.execute("DELETE FROM customers WHERE id = ?", (customer_id,))

    def by_id(self, customer_id: int) -> Customer | None:
        row = self.connection.execute(f"{_SELECT} WHERE id = ?", (customer_id,)).fetchone()
        return customer_from_row(row) if row else None

    def by_email(self, email: str) -> Customer | None:
        """Emails compare without case, as the unique index on lower(email) does."""
        row = self.connection.execute(
            f"{_SELECT} WHERE lower(email) = lower(?) AND email IS NOT NULL", (email,)
        ).fetchone()
        return customer_from_row(row) if row else None

    def last_contact_so_far(self, customer_id: int) -> dt.date | None:
        """The customer's last contact as the facts say it now, inside a transaction whose
        recompute has not run yet (the stored column says it as of the last commit)."""
        row = self.connection.execute(LAST_CONTACT_OF, (customer_id,)).fetchone()
        return to_date(row[0]) if row else None

    def with_uid(self, uid: str) -> list[Customer]:
        rows = self.connection.execute(f"{_SELECT} WHERE uid = ? ORDER BY id", (uid,))
        return [customer_from_row(row) for row in rows]

    def with_name_key(self, key: str) -> list[Customer]:
        """Customers whose whole name compares equal (values.name_key): an index probe."""
        rows = self.connection.execute(f"{_SELECT} WHERE name_key = ? ORDER BY id", (key,))
        return [customer_from_row(row) for row in rows]

    def with_name_key_part(self, key_part: str, limit: int) -> list[Customer]:
        rows = self.connection.execute(
            f"{_SELECT} WHERE instr(name_key, ?) > 0 ORDER BY name COLLATE NOCASE, id LIMIT ?",
            (key_part, limit),
        )
        return [customer_from_row(row) for row in rows]

    def listed(
        self,
        tag: str | None = None,
        status: str | None = None,
        search: str | None = None,
        limit: int = 0,
    ) -> Iterator[Customer]:
        """Alphabetically, lazily; `limit` 0 is everyone."""
        conditions, parameters = [], []
        if tag:
            conditions.append(_HAS_TAG)
            parameters.append(tag)
        if status:
            conditions.append("status = ?")
            parameters.append(status)
        if search:
            conditions.append(
                "(instr(name_key, ?) OR instr(lower(coalesce(email, '')), lower(?)) "
                "OR instr(name_key_of(company), ?) OR instr(name_key_of(notes), ?))"
            )
            key = name_key(search)
            parameters.extend([key, search, key, key])
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        rows = self.connection.execute(
            f"{_SELECT}{where} ORDER BY name COLLATE NOCASE, id LIMIT ?", (*parameters, limit or -1)
        )
        return (customer_from_row(row) for row in rows)

    def tag_counts(self) -> list[tuple[str, int, int | None]]:
        """Every tag: how many customers carry it, and its cadence if it has one."""
        return self.connection.execute(
            "SELECT json_each.value, count(*), tag_cadences.cadence_days "
            "FROM customers, json_each(customers.tags) "
            "LEFT JOIN tag_cadences ON tag_cadences.tag = json_each.value "
            "GROUP BY json_each.value ORDER BY json_each.value"
        ).fetchall()

    def with_cadence(
        self, customer_ids: list[int], default_days: int
    ) -> dict[int, tuple[Customer, int, str | None]]:
        """Each customer with the cadence that applies and the tag it comes from, if any."""
        rows = self.connection.execute(
            f"SELECT {CUSTOMER_SELECT}, {EFFECTIVE_CADENCE}, {CADENCE_TAG} FROM customers "
            "WHERE id IN (SELECT value FROM json_each(?))",
            (default_days, json.dumps(customer_ids)),
        )
        return {row[0]: (customer_from_row(row[:-2]), row[-2], row[-1]) for row in rows}

    def phones(self) -> list[tuple[int, str]]:
        return self.connection.execute(
            "SELECT id, phone FROM customers WHERE phone IS NOT NULL ORDER BY id"
        ).fetchall()

    def with_yearly_dates(self) -> list[Customer]:
        """Customers not lost with a birthday or an anniversary, in the order they were added."""
        rows = self.connection.execute(
            f"{_SELECT} WHERE status != 'lost' AND (birthday IS NOT NULL OR anniversary IS NOT "
            "NULL) ORDER BY id"
        )
        return [customer_from_row(row) for row in rows]

    def with_yearly_dates_on(self, month_days: list[str]) -> list[int]:
        """Customers not lost whose birthday or anniversary falls on one of `month_days`
        ("MM-DD"), found through the two indexes on a date's last five characters."""
        keys = json.dumps(month_days)
        return [
            row[0]
            for row in self.connection.execute(
                "SELECT id FROM customers WHERE status != 'lost' AND (substr(birthday, -5) IN "
                "(SELECT value FROM json_each(?1)) OR substr(anniversary, -5) IN "
                "(SELECT value FROM json_each(?1)))",
                (keys,),
            )
        ]

    def due_by_silence(
        self, as_of: dt.date, default_days: int, tag: str | None, contacted_since_as_of: bool
    ) -> Iterator[tuple[Customer, int, str | None]]:
        """Active customers silent longer than their cadence, longest first, lazily, each
        with their cadence and the tag it comes from (store/derived.py).

        On today's list the customers_due index yields rows already in rank order, so the
        caller stops after `limit` of them. For an --as-of in the past the last contact must
        be recomputed from the touchpoints up to that date, which is slower but exact, and
        only customers known by then are listed.
        """
        # Bound in the order they stand: the selected cadence, the day, the filter's cadence.
        tag_filter, parameters = "", [default_days, as_of.isoformat(), default_days]
        if tag:
            tag_filter = f" AND {_HAS_TAG}"
            parameters.append(tag)
        if not contacted_since_as_of:
            sql = (
                f"SELECT {CUSTOMER_SELECT}, {CADENCE_TAG}, {EFFECTIVE_CADENCE} AS effective "
                "FROM customers WHERE status = 'customer' AND (last_contact_on IS NULL OR "
                f"{silent_too_long('last_contact_on')})"
                f"{tag_filter} ORDER BY last_contact_on, sales_total DESC, name COLLATE NOCASE"
            )
            rows = self.connection.execute(sql, parameters)
            return ((customer_from_row(row[:-2]), row[-1], row[-2]) for row in rows)
        columns = CUSTOMER_SELECT.replace("last_contact_on", "last.last_on").replace(
            "last_contact_kind", "last.kind"
        )
        sql = (
            f"WITH last AS ({last_contacts_until()}) "
            f"SELECT {columns}, {CADENCE_TAG}, {EFFECTIVE_CADENCE} AS effective "
            "FROM customers LEFT JOIN last ON last.customer_id = customers.id "
            "WHERE status = 'customer' AND (last.last_on IS NULL OR "
            f"{silent_too_long('last.last_on')})"
            f"{tag_filter} AND {KNOWN_SINCE} <= ? "
            "ORDER BY last.last_on, sales_total DESC, name COLLATE NOCASE"
        )
        day = as_of.isoformat()
        rows = self.connection.execute(sql, [day, *parameters, day, day])
        return ((customer_from_row(row[:-2]), row[-1], row[-2]) for row in rows)


def names_for_completion(path, prefix: str, limit: int) -> list[tuple[str, str | None]]:
    """Names and emails starting with `prefix`, read-only and without migrations: the shell
    asks on every Tab, so this opens the file as cheaply as SQLite allows. A missing or
    unreadable file completes nothing. Names compare as every lookup compares them
    (values.name_key: "zoe" offers Zoë Müller), and both halves are ranges of an index, so
    a Tab costs the same in a book of any size."""
    import sqlite3

    try:
        connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=0.5)
    except sqlite3.Error:
        return []
    key, address = name_key(prefix), prefix.lower()
    try:
        rows = connection.execute(
            "SELECT * FROM (SELECT name, email FROM customers WHERE name_key >= ? "
            "AND name_key < ? ORDER BY name_key LIMIT ?) UNION ALL SELECT * FROM ("
            "SELECT email, name FROM customers WHERE email IS NOT NULL AND lower(email) >= ? "
            "AND lower(email) < ? ORDER BY lower(email) LIMIT ?)",
            (key, key + _LAST_CHARACTER, limit, address, address + _LAST_CHARACTER, limit),
        ).fetchall()
    except sqlite3.Error:
        return []
    finally:
        connection.close()
    return list(dict.fromkeys(rows))[:limit]


_LAST_CHARACTER = "\U0010ffff"  # every string that starts with a prefix sorts below prefix + this
