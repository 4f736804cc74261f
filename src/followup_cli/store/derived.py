"""What SQL derives from a customer row, written once for every query that needs it.

- The cadence: a customer's own wins, then the shortest among their tags' (the tag first in
  order on a tie), then the caller's default (`due --days`). `due` walks its index by it and
  says which applied; `stats` and `pitch` count by it.
- Known since: the day a customer was added or first touched, whichever came first (an
  imported customer was known before the day of the import). `due --as-of` and `stats` only
  count customers known on the day they look at.
"""

from followup_cli.models import CONTACT_KINDS

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
