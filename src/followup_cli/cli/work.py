"""work: call your due customers one at a time, and ask each for a referral."""

import sys

import typer

from followup_cli import config
from followup_cli.cli.app import LimitOption, OnlyTagOption, SilenceOption, app, store
from followup_cli.errors import FollowupError, InvalidInputError
from followup_cli.models import DEFAULT_CADENCE_DAYS


@app.command()
def work(
    ctx: typer.Context,
    days: SilenceOption = DEFAULT_CADENCE_DAYS,
    limit: LimitOption = 10,
    tag: OnlyTagOption = None,
) -> None:
    """Call the due customers one at a time: a key per outcome, then a note, a promise and a
    referral; every answer is saved at once.

    Example: followup work --limit 10
    """
    from followup_cli.output import work_screen as screen
    from followup_cli.services import work as service

    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise InvalidInputError(
            "work needs a terminal; in a script use `followup due` and `followup log`"
        )
    book, today, order = store(ctx), config.today(), config.date_order()
    entries = service.round_of(book, today, days, limit, tag)
    contacts = promises = referrals = skipped = 0
    for position, entry in enumerate(entries, start=1):
        try:
            context = service.context_of(book, entry.customer.id, today)
            screen.show(position, len(entries), entry, context)
            key = screen.read_key()
            if key == "q":
                break
            if key == "s":
                skipped += 1
                continue
            if key == "l":
                day = _day(screen, service, "Call back when?", today, order, required=True)
                service.later(book, context.customer, day, today)
                promises += 1
                continue
            customer = context.customer
            change, touchpoint_id = service.record_contact(
                book, customer, service.OUTCOMES[key], today
            )
            contacts += 1
            note = screen.ask("Note (Enter: none):") or None
            if note:
                change = service.add_note(book, change, customer, touchpoint_id, note)
            next_day = _day(screen, service, "Next follow-up (Enter: none):", today, order)
            if next_day:
                change = service.add_promise(book, change, customer, next_day, note, today)
                promises += 1
            referrals += _ask_for_referral(screen, service, book, change, customer, today)
        except service.CustomerGone as gone:
            screen.say(gone.message)
    screen.summary(contacts, promises, referrals, skipped)


def _ask_for_referral(screen, service, book, change, customer, today) -> int:
    """1 when a referral was recorded; a name it cannot take is asked again with why."""
    while answer := screen.ask("Referral, NAME [EMAIL] (Enter: none):"):
        try:
            person = service.referred_person(answer)
            service.add_referral(book, change, customer, person, today)
        except service.CustomerGone:
            raise
        except FollowupError as problem:
            screen.say(f"{problem.message}; try again, or Enter for none")
            continue
        return 1
    return 0


def _day(screen, service, prompt: str, today, order, required: bool = False):
    """A WHEN it cannot read is asked again with the reason, never guessed."""
    while True:
        text = screen.ask(prompt)
        if not text and not required:
            return None
        try:
            return service.promise_day(text, today, order)
        except FollowupError as problem:
            screen.say(problem.message)
