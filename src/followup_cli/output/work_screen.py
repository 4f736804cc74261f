"""The screens of `followup work`: one customer at a time, a key per outcome read without
Enter, and one-line prompts. Readable at 80 by 24."""

import sys
import termios
import tty

from followup_cli.output.render import line, neutralise
from followup_cli.output.waiting import for_a_person
from followup_cli.values import count_of

KEYS = (
    ("c", "called"),
    ("e", "emailed"),
    ("v", "visited/met"),
    ("m", "messaged"),
    ("l", "later"),
    ("s", "skip"),
    ("q", "quit"),
)


def show(position: int, total: int, entry, context) -> None:
    customer = context.customer
    sys.stdout.write("\x1b[2J\x1b[H" if sys.stdout.isatty() else "\n")
    line(
        f"{position} of {total}   {customer.name}"
        + (f", {customer.company}" if customer.company else "")
    )
    contacts = [value for value in (customer.phone, customer.email) if value]
    if contacts:
        line("   ".join(contacts))
    line(f"why now: {entry.reason}")
    for day in context.dates:
        line(_fit(day))
    if context.touchpoints:
        line("last touchpoints:")
        for touchpoint in context.touchpoints:
            note = f": {touchpoint.note}" if touchpoint.note else ""
            line(_fit(f"  {touchpoint.date} {touchpoint.kind}{note}"))
    for follow_up in context.open_follow_ups[:3]:
        note = f": {follow_up.note}" if follow_up.note else ""
        line(_fit(f"promised for {follow_up.due_on}{note}"))
    if customer.notes:
        line(_fit(f"notes: {customer.notes.splitlines()[0]}"))
    if context.referrals_made:
        names = ", ".join(referral.referred for referral in context.referrals_made[:3])
        line(_fit(f"has referred: {names}"))
    line()
    line(" · ".join(f"{key} {meaning}" for key, meaning in KEYS))


def read_key() -> str:
    """One key of KEYS, without Enter; the terminal is put back whatever happens (Ctrl-C
    still interrupts: cbreak mode keeps signals)."""
    keys = {key for key, _ in KEYS}
    descriptor = sys.stdin.fileno()
    saved = termios.tcgetattr(descriptor)
    try:
        tty.setcbreak(descriptor, termios.TCSANOW)  # keys typed ahead are kept
        with for_a_person():
            while True:
                key = sys.stdin.read(1).lower()
                if key in keys:
                    break
    finally:
        termios.tcsetattr(descriptor, termios.TCSADRAIN, saved)
    line(f"> {dict(KEYS)[key]}")
    return key


def ask(prompt: str) -> str:
    sys.stdout.write(neutralise(prompt) + " ")
    sys.stdout.flush()
    with for_a_person():
        return sys.stdin.readline().strip()


def say(text: str) -> None:
    line(f"  {text}")


def summary(contacts: int, promises: int, referrals: int, skipped: int) -> None:
    line()
    line(
        f"This round: {contacts} contacted, {count_of(promises, 'follow-up')} promised, "
        f"{count_of(referrals, 'referral')}, {skipped} skipped"
    )
    rate = f"{referrals / contacts * 100:.0f}%" if contacts else "-"
    line(f"Referral rate of the round: {rate} (referrals per customer contacted)")


def _fit(text: str, width: int = 79) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
