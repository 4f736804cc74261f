"""Queries on tag cadences: how often customers with a tag are to be called."""

from followup_cli.store.connection import TableGroup


class TagCadences(TableGroup):
    def cadences(self) -> dict[str, int]:
        return dict(self.connection.execute("SELECT tag, cadence_days FROM tag_cadences"))

    def set_cadence(self, tag: str, cadence_days: int) -> None:
        self.connection.execute(
            "INSERT INTO tag_cadences (tag, cadence_days) VALUES (?, ?) "
            "ON CONFLICT(tag) DO UPDATE SET cadence_days = excluded.cadence_days",
            (tag, cadence_days),
        )

    def clear_cadence(self, tag: str) -> bool:
        cursor = self.connection.execute("DELETE FROM tag_cadences WHERE tag = ?", (tag,))
        return cursor.rowcount > 0
