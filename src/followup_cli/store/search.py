"""Queries behind `search`: customers by any field (names compared as lookups compare them),
and the notes of touchpoints and follow-ups through their FTS5 indexes."""

from followup_cli.store.connection import TableGroup
from followup_cli.values import name_key


class Search(TableGroup):
    def customers(self, text: str, limit: int) -> list[tuple]:
        """(id, name, created_on, the field that matched) of customers holding `text` in
        their name, email, phone, company, tags or notes."""
        key = name_key(text)
        return self.connection.execute(
            "SELECT id, name, created_on, CASE "
            "WHEN instr(name_key, ?1) THEN name "
            "WHEN instr(lower(coalesce(email, '')), lower(?2)) THEN email "
            "WHEN instr(coalesce(phone, ''), ?2) THEN phone "
            "WHEN instr(name_key_of(company), ?1) THEN company "
            "WHEN instr(name_key_of(tags), ?1) THEN tags ELSE notes END "
            "FROM customers WHERE instr(name_key, ?1) "
            "OR instr(lower(coalesce(email, '')), lower(?2)) OR instr(coalesce(phone, ''), ?2) "
            # one fold a row for the rest (each fold is a call into Python)
            "OR instr(name_key_of(coalesce(company, '') || ' | ' || tags || ' | ' "
            "|| coalesce(notes, '')), ?1) "
            "ORDER BY name COLLATE NOCASE, id LIMIT ?3",
            (key, text, limit),
        ).fetchall()

    def notes(self, table: str, date_column: str, query: str, limit: int) -> list:
        """(customer id, name, date, note) of touchpoints or follow-ups whose note has the
        words of the FTS5 `query`, best first, then newest."""
        return self.connection.execute(
            f"SELECT t.customer_id, c.name, t.{date_column}, t.note FROM {table}_fts "
            f"JOIN {table} t ON t.id = {table}_fts.rowid JOIN customers c ON c.id = t.customer_id "
            f"WHERE {table}_fts MATCH ? ORDER BY rank, t.{date_column} DESC LIMIT ?",
            (query, limit),
        ).fetchall()
