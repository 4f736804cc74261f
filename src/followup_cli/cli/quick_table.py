"""Generated from the Typer commands by `make quick-table` (cli/quick_build.py);
do not edit. Per command: each option spelling -> (parameter, kind, detail), the
defaults, and the arguments."""

from followup_cli.cli.daily import DigestFormat
from followup_cli.cli.listing import DetailFormat, TableFormat

COMMANDS = {
    "due": (
        {
            "--days": ("days", "count", (1, 3650)),
            "--limit": ("limit", "count", (0, 1000000)),
            "-l": ("limit", "count", (0, 1000000)),
            "--tag": ("tag", "text", None),
            "-t": ("tag", "text", None),
            "--as-of": ("as_of", "text", None),
            "--all": ("everyone", "flag", True),
            "--format": ("output", "choice", TableFormat),
            "-f": ("output", "choice", TableFormat),
            "--raw": ("raw", "flag", True),
        },
        {
            "days": 30,
            "limit": 10,
            "tag": None,
            "as_of": None,
            "everyone": False,
            "output": TableFormat.table,
            "raw": False,
        },
        (),
    ),
    "remind": (
        {
            "--days": ("days", "count", (1, 3650)),
            "--limit": ("limit", "count", (0, 1000000)),
            "-l": ("limit", "count", (0, 1000000)),
            "--always": ("always", "flag", True),
            "--no-always": ("always", "flag", False),
            "--format": ("output", "choice", DigestFormat),
            "-f": ("output", "choice", DigestFormat),
        },
        {
            "days": 30,
            "limit": 10,
            "always": False,
            "output": DigestFormat.text,
        },
        (),
    ),
    "show": (
        {
            "--all": ("everything", "flag", True),
            "--format": ("output", "choice", DetailFormat),
            "-f": ("output", "choice", DetailFormat),
        },
        {
            "everything": False,
            "output": DetailFormat.table,
        },
        ("customer",),
    ),
}
