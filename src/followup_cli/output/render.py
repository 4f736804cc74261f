"""Printing: Rich on a terminal, plain lines in a pipe, JSON and CSV for scripts.

The only module that imports rich (the layering contract in pyproject.toml says so), and only
when stdout is a terminal: pipes, cron and scripts never pay for loading it. Every piece of
user text is neutralised before it reaches a terminal, so a name holding an escape sequence is
shown, never executed.
"""

import csv
import io
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

# C0 and C1 controls, and the bidi embeddings, overrides and isolates that can make
# "Bidi \u202egnp.exe" read as a harmless name on screen.
_BIDI = "\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{_BIDI}]")
_LINE_BREAKS = re.compile(r"[\t\n\r]+")


def neutralise(text: str) -> str:
    """Control characters become visible escapes; tabs and line breaks become one space."""
    text = _LINE_BREAKS.sub(" ", text)
    return _CONTROL.sub(_visible_escape, text)


def _visible_escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def use_rich() -> bool:
    return (
        sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
    )


def line(text: str = "") -> None:
    sys.stdout.write(neutralise(text) + "\n")


def terminal_width() -> int | None:
    """The width of the terminal stdout is, or None in a pipe (where nothing is cut)."""
    if not sys.stdout.isatty():
        return None
    return _console().width


def wrapped_line(text: str) -> None:
    """A line of a report: wrapped at a terminal's width (continued two spaces further in),
    whole in a pipe."""
    for part in _wrapped(text, terminal_width()):
        line(part)


def _wrapped(text: str, width: int | None) -> list[str]:
    if width is None or len(text) <= width:
        return [text]
    import textwrap

    indent = " " * (len(text) - len(text.lstrip()) + 2)
    return textwrap.wrap(text, width, subsequent_indent=indent, break_on_hyphens=False)


MIN_WRAP_WIDTH = 20


def _stderr_width() -> int | None:
    """The width of the terminal stderr is, or None when it goes to a file or a pipe (a log
    gets each message on one line, for grep)."""
    try:
        columns = os.get_terminal_size(sys.stderr.fileno()).columns if sys.stderr.isatty() else 0
    except (AttributeError, OSError, ValueError):
        return None
    return columns if columns >= MIN_WRAP_WIDTH else None  # a new pty says 0 columns


def error(text: str) -> None:
    sys.stderr.write("\n".join(_wrapped(f"followup: {neutralise(text)}", _stderr_width())) + "\n")
    sys.stderr.flush()


def notice(text: str) -> None:
    """A remark for the person, on stderr, so that stdout stays pure data for scripts."""
    sys.stderr.write("\n".join(_wrapped(neutralise(text), _stderr_width())) + "\n")


def json_document(data) -> None:
    document_stdout().write(json_text(data) + "\n")


def json_text(data) -> str:
    text = json.dumps(data, ensure_ascii=False, indent=2)
    # json escapes C0 controls itself; DEL and the C1 range (ESC's 8-bit twin) it leaves raw.
    return re.sub(r"[\x7f-\x9f]", lambda match: f"\\u{ord(match.group()):04x}", text)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def csv_document(columns: list[str], rows: Iterable[list[str]], raw: bool, stream=None) -> None:
    """Every CSV followup prints, to stdout or `stream`. A cell a spreadsheet would run as a
    formula (starting with = + - @, tab or carriage return) gets a leading apostrophe, as
    OWASP advises against CSV injection; plain numbers such as -12.5 are left alone, and
    followup's import removes the apostrophe again. `raw` writes cells untouched."""
    writer = csv.writer(stream or document_stdout(), lineterminator="\n")
    writer.writerow(columns)
    if raw:
        writer.writerows(rows)
        return
    for row in rows:
        writer.writerow([_guarded(cell) for cell in row])


def _guarded(cell: str) -> str:
    if cell.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


# In a document line breaks and tabs stay; a carriage return not ending a line does not.
_DOCUMENT_CONTROL = re.compile(f"[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f{_BIDI}]|\\r(?!\\n)")


class _VisibleControls:
    """A terminal's view of a document: control characters other than line breaks and
    tabs are written as visible escapes, so a cell holding ESC [ is shown, not obeyed."""

    def write(self, text: str) -> int:
        return sys.stdout.write(_DOCUMENT_CONTROL.sub(_visible_escape, text))


def document_stdout():
    """Where a CSV, JSON or calendar document printed to stdout goes: byte for byte into a
    pipe or file, which scripts read; made harmless on a terminal, which a person reads."""
    return _VisibleControls() if sys.stdout.isatty() else sys.stdout


def table(columns: list[str], rows: list[list[str]], title: str | None = None) -> None:
    """A Rich table on a terminal; in a pipe a header and one tab-separated line per row."""
    if not use_rich():
        if title:
            line(f"# {title}")
        sys.stdout.write("\t".join(columns) + "\n")
        for row in rows:
            sys.stdout.write("\t".join(neutralise(value) for value in row) + "\n")
        return
    from rich import box
    from rich.cells import cell_len
    from rich.table import Table

    from followup_cli.output.fit import GAP, fit

    console = _console()
    cells = [[neutralise(value) for value in row] for row in rows]
    headers = [column.replace("_", " ") for column in columns]
    natural = {
        column: max([cell_len(header), *(cell_len(row[index]) for row in cells)])
        for index, (column, header) in enumerate(zip(columns, headers, strict=True))
    }
    fitted = fit(columns, natural, console.width)
    shown = [columns.index(column) for column in fitted.columns]
    rich_table = Table(
        title=title,
        title_justify="left",
        header_style="bold",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        padding=(0, (GAP - 1) // 2),
    )
    for column in fitted.columns:
        wraps = fitted.wraps(column)
        rich_table.add_column(
            column.replace("_", " "),
            width=fitted.widths[column],
            no_wrap=not wraps,
            overflow="fold" if wraps else "ellipsis",
        )
    for row in cells:
        rich_table.add_row(*(_escape_markup(row[index]) for index in shown))
    console.print(rich_table)


_pager = {"allowed": True}


def allow_pager(allowed: bool) -> None:
    """--no-pager says no for the whole run."""
    _pager["allowed"] = allowed


class _Screen(io.StringIO):
    """Output kept back to see whether it fits the screen; to Rich it is the terminal."""

    def __init__(self, terminal):
        super().__init__()
        self.terminal = terminal

    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        return self.terminal.fileno()


@contextmanager
def paged() -> Iterator[None]:
    """Output taller than the screen goes through $FOLLOWUP_PAGER, else $PAGER, else
    `less -FRX`, as git does; in a pipe, with --no-pager or without a pager, it is written
    as it is."""
    if not (_pager["allowed"] and sys.stdout.isatty() and sys.stdin.isatty()):
        yield
        return
    terminal = sys.stdout
    screen = _Screen(terminal)
    sys.stdout = screen
    try:
        yield
    finally:
        sys.stdout = terminal
    text = screen.getvalue()
    try:
        height = os.get_terminal_size(terminal.fileno()).lines
    except OSError:
        height = 0
    if height and text.count("\n") >= height and _page(text):
        return
    terminal.write(text)


def _page(text: str) -> bool:
    import shlex
    import subprocess

    command = os.environ.get("FOLLOWUP_PAGER") or os.environ.get("PAGER") or "less -FRX"
    try:
        subprocess.run(shlex.split(command), input=text, text=True, check=False)
    except (OSError, ValueError):
        return False  # no such pager: the text goes to the terminal as it is
    return True


def _console(stderr: bool = False):
    """Rich's console; a COLUMNS that is no sane width (0, "abc") would print nothing, so
    then the terminal's own width is asked."""
    from rich.console import Console

    columns = os.environ.get("COLUMNS", "")
    width = None
    if columns and not (columns.isdigit() and int(columns) >= 20):
        stream = sys.stderr if stderr else sys.stdout
        try:
            width = os.get_terminal_size(stream.fileno()).columns
        except (OSError, ValueError):
            width = 0
        width = width if width >= 20 else 80  # a terminal that says 0 columns has some
    return Console(highlight=False, stderr=stderr, width=width)


def heading(text: str) -> None:
    if not use_rich():
        line(f"# {text}")
        return

    _console().print(f"[bold]{_escape_markup(neutralise(text))}[/bold]")


def _escape_markup(text: str) -> str:
    from rich.markup import escape

    return escape(text)


class _NoProgress:
    def __call__(self, position: int, total: int | None) -> None:
        pass


@contextmanager
def progress_bar(label: str, total: int | None, minimum_bytes: int) -> Iterator:
    """A byte-based bar on stderr for long jobs at a terminal; nothing at all otherwise."""
    if not sys.stderr.isatty() or total is None or total < minimum_bytes:
        yield _NoProgress()
        return
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    with Progress(
        f"[bold]{_escape_markup(label)}",
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=_console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task(label, total=total)
        yield lambda position, _total: progress.update(task, completed=position)


_BARS = "▁▂▃▄▅▆▇█"


def sparkline(values: list[int]) -> str:
    """A week per character, scaled to the largest: trends read faster than tables."""
    top = max(values, default=0)
    if not top:
        return _BARS[0] * len(values)
    return "".join(
        " " if value == 0 else _BARS[min(len(_BARS) - 1, value * len(_BARS) // (top + 1))]
        for value in values
    )


def tree(roots: list, label) -> None:
    """Nested nodes (with `.referred` children): a Rich tree at a terminal, indented lines
    in a pipe. `label(node)` says what each line shows."""
    if not use_rich():

        def walk(node, depth: int) -> None:
            line("  " * depth + label(node))
            for child in node.referred:
                walk(child, depth + 1)

        for root in roots:
            walk(root, 0)
        return
    from rich.tree import Tree

    console = _console()
    for root in roots:
        top = Tree(_escape_markup(neutralise(label(root))))

        def grow(branch, node) -> None:
            for child in node.referred:
                grow(branch.add(_escape_markup(neutralise(label(child)))), child)

        grow(top, root)
        console.print(top)
