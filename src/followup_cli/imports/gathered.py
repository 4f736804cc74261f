"""What a mailbox, a calendar or a phone says happened: one item per message, meeting, call
or text, before it is matched to customers (write_gathered.py). The readers (read_mail.py,
read_calendar.py, read_phone.py) only read; every decision about customers is the writer's."""

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Gathered:
    line: int  # where it starts in its file; 0 in a Maildir, where `where` names the file
    where: str
    source: str  # what makes it the same item in any folder or export: see store migration 5
    date: dt.date | None
    note: str | None
    addresses: frozenset[str]  # lower-cased emails, or E.164 numbers, of the people it was between
    passed_over: str | None = None  # why it gives no touchpoint (a draft, a mailing list...)
    problem: str | None = None  # why it cannot be read: a rejected item, as a row is in CSV
    kind: str | None = None  # the touchpoint's kind, where the import gives more than one
