"""Which columns of a table a terminal shows, and how wide, so that a table fits its width.

Each column has a rank (IMPORTANCE: names and reasons first, ids last). When a table is too
wide, the columns that may be shortened with an ellipsis are shortened first, least important
first; then the least important columns are dropped; only then does free text (a reason, a
note) wrap, and a name is cut with an ellipsis as the very last resort. A date or a number is
never broken: such a column is shown whole or not at all. Pipes never come here: they get
every column, tab-separated.
"""

from dataclasses import dataclass

# Most important first; a column not named here ranks after all that are.
IMPORTANCE = (
    "name",
    "customer",
    "referrer",
    "other_name",
    "referred",
    "reason",
    "rep",  # the team's: whose touchpoint, whose figures
    "reps",
    "change",
    "text",
    "when",
    "date",
    "due_on",
    "last_contact",
    "kind",
    "amount",
    "score",
    "status",
    "note",
    "notes",
    "phone",
    "email",
    "other_email",
    "referrer_email",
    "referred_email",
    "company",
    "tags",
    "cadence_days",
    "days_since",
    "made_at",
    "referred_status",
    "id",
    "other_id",
)
NAMES = frozenset({"name", "customer", "referrer", "referred", "other_name"})
FREE_TEXT = frozenset({"reason", "note", "notes", "change", "text"})
SHORTENED = frozenset(
    {
        "email",
        "phone",
        "company",
        "tags",
        "reps",
        "other_email",
        "referrer_email",
        "referred_email",
    }
)
SHORTEST = 8  # an email cut to "ana@alp…" still says whose it is
FREE_TEXT_SHORTEST = 16
GAP = 3  # between two columns


@dataclass(frozen=True)
class Fitted:
    columns: list[str]  # in the table's own order
    widths: dict[str, int]

    def wraps(self, column: str) -> bool:
        return column in FREE_TEXT


def fit(columns: list[str], natural: dict[str, int], width: int) -> Fitted:
    """`natural`: each column's widest cell or header, in terminal cells."""
    widths = dict(natural)
    shown = list(columns)

    def excess() -> int:
        return sum(widths[column] for column in shown) + GAP * (len(shown) - 1) - width

    least_first = sorted(shown, key=_rank, reverse=True)
    for column in least_first:
        if excess() > 0 and column in SHORTENED:
            widths[column] = max(min(SHORTEST, natural[column]), widths[column] - excess())
    for column in least_first:
        if excess() > 0 and column not in NAMES | FREE_TEXT and len(shown) > 1:
            shown.remove(column)
    for kind, shortest in ((FREE_TEXT, FREE_TEXT_SHORTEST), (NAMES, SHORTEST)):
        for column in least_first:
            if excess() > 0 and column in kind and column in shown:
                widths[column] = max(min(shortest, natural[column]), widths[column] - excess())
    for column in reversed(least_first):  # room a dropped column left: the most important first
        if column in shown and excess() < 0:
            widths[column] = min(natural[column], widths[column] - excess())
    return Fitted(shown, {column: widths[column] for column in shown})


def _rank(column: str) -> int:
    return IMPORTANCE.index(column) if column in IMPORTANCE else len(IMPORTANCE)
