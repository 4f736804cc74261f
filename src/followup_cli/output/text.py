"""Reports as lines of text: the daily digest, and the words for how far a day is."""

import datetime as dt

from followup_cli.output.objects import iso
from followup_cli.values import count_of


def when_label(day: dt.date, today: dt.date) -> str:
    """How far a day is from today, in words: '3 days overdue', 'today', 'in 2 days'."""
    offset = (day - today).days
    if offset == 0:
        return "today"
    if offset < 0:
        return f"{count_of(-offset, 'day')} overdue"
    return f"in {count_of(offset, 'day')}"


def fulfilled(follow_ups) -> str:
    """What a logged contact did to promises, as `log` and `done --log` report it."""
    if not follow_ups:
        return ""
    dates = ", ".join(str(follow_up.due_on) for follow_up in follow_ups)
    return f"; closed the follow-up due {dates}"


def fit(text: str, width: int) -> str:
    """One line of at most `width` characters, cut with '...' (mail readers wrap the rest)."""
    return text if len(text) <= width else text[: width - 3].rstrip() + "..."


def digest_lines(digest, markdown: bool) -> list[str]:
    """The digest as short lines, for a terminal, a pipe or a mail (as Markdown)."""
    today = digest.today
    title = f"followup: what to do on {today.strftime('%A')} {today.isoformat()}"
    heading = (lambda text: f"## {text}") if markdown else (lambda text: text)
    bullet = "- " if markdown else "  "
    lines = [f"# {title}" if markdown else title]
    if digest.empty:
        lines += ["", "Nothing to do: no promises due, nobody silent for too long."]
        return lines

    def promise_line(follow_up) -> str:
        note = f": {follow_up.note}" if follow_up.note else ""
        return f"{bullet}{follow_up.customer_name} ({when_label(follow_up.due_on, today)}){note}"

    sections = [
        ("Overdue follow-ups", [promise_line(f) for f in digest.overdue]),
        ("Follow-ups due today", [promise_line(f) for f in digest.due_today]),
        (
            "Birthdays and anniversaries this week",
            [f"{bullet}{e.customer.name}: {e.reason}" for e in digest.dates],
        ),
        (
            "Not heard from you in a while",
            [f"{bullet}{e.customer.name}: {e.reason}" for e in digest.silent],
        ),
        (
            "Referrals to thank",
            [
                f"{bullet}{r.referrer} referred {r.referred} on {iso(r.date)} "
                f"(followup thank {r.referrer_id})"
                for r in digest.to_thank
            ],
        ),
    ]
    for name, items in sections:
        if items:
            lines += ["", heading(f"{name} ({len(items)})"), *items]
    return lines
