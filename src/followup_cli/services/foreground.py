"""A program followup runs in the foreground until it is stopped (Litestream for `team
replicate`, Datasette for `team serve`): stopping followup stops it too, whatever the
signal, so that no orphan goes on replicating or serving when the terminal or the service
manager thinks it is gone."""

import signal
import subprocess
import sys

_PASSED_ON = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


def run_in_foreground(command: list[str], **popen) -> int:
    """SIGTERM, SIGINT and SIGHUP are passed on to the child; a SIGKILL of followup, which
    cannot be caught, ends it through the parent-death signal (Linux). Returns its exit
    code."""
    child = subprocess.Popen(command, preexec_fn=_ends_with_parent, **popen)
    previous = {
        number: signal.signal(number, lambda got, _: child.send_signal(got))
        for number in _PASSED_ON
    }
    try:
        return child.wait()
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _ends_with_parent() -> None:
    """In the child: SIGTERM when followup dies (Linux's PR_SET_PDEATHSIG; elsewhere
    launchd and the shell end the process group)."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
