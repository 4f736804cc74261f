"""Waiting for a person at the terminal, with Ctrl-C answered at once.

Python runs a signal's handler between bytecodes. A Ctrl-C that lands after the prompt is
written but before the read starts only sets a flag, and the read then blocks until Enter.
A timer interrupts the read a few times a second, so that flag is seen without a key press.
"""

import signal
from collections.abc import Iterator
from contextlib import contextmanager

_TICK = 0.2  # seconds: the longest a Ctrl-C can wait for the read to notice it


@contextmanager
def for_a_person() -> Iterator[None]:
    previous = signal.signal(signal.SIGALRM, _tick)
    signal.setitimer(signal.ITIMER_REAL, _TICK, _TICK)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _tick(signal_number, frame) -> None:
    """Nothing to do: arriving is the point, as it makes the blocked read return EINTR."""
