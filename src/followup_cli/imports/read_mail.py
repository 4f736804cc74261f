"""Mail as it sits on disk: an mbox file (Gmail Takeout, Thunderbird, Apple Mail's `X.mbox`
folder; `From ` separator lines, `>From ` escaping, LF or CRLF) or a Maildir (`cur/` and
`new/`; `tmp/` holds mail still being delivered).

Only the headers are read. An mbox is searched for its separators in a mapped file whose
read pages are released, and a Maildir body is never opened past its headers, so memory
holds about one message's headers however large the mailbox.
"""

import datetime as dt
import email.errors
import email.header
import email.utils
import hashlib
import mmap
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

from followup_cli.dates.rules import EARLIEST, LATEST, is_kept
from followup_cli.errors import InvalidInputError, cannot_read
from followup_cli.imports.gathered import Gathered
from followup_cli.values import email_key, text_of_bytes

MAX_HEADER_BYTES = 1024 * 1024
RELEASE_BYTES = 16 * 1024 * 1024
_PARTIES = ("from", "to", "cc", "bcc", "reply-to", "sender")
_BULK = frozenset({"bulk", "list", "junk"})
_USED = frozenset(
    {
        *_PARTIES,
        "date",
        "received",
        "subject",
        "message-id",
        "x-gmail-labels",
        "x-mozilla-draft-info",
        "list-id",
        "list-unsubscribe",
        "precedence",
        "auto-submitted",
    }
)


class Mailbox:
    def __init__(self, path: str):
        self.path = Path(path)
        try:
            is_dir = self.path.is_dir()
            if is_dir and (self.path / "mbox").is_file():  # Apple Mail's export: X.mbox/mbox
                self.path, is_dir = self.path / "mbox", False
            self.size = None if is_dir else self.path.stat().st_size
        except FileNotFoundError:
            raise InvalidInputError(f"{path} does not exist") from None
        except OSError as error:
            raise InvalidInputError(cannot_read(path, error.strerror)) from None
        self.maildir = is_dir
        if is_dir and not ((self.path / "cur").is_dir() or (self.path / "new").is_dir()):
            raise InvalidInputError(f"{path} is a folder but not a Maildir (no cur/ or new/)")
        self.done = 0
        self.warnings: list[tuple[int, str]] = []

    def position(self) -> int:
        return self.done

    def messages(self) -> Iterator[Gathered]:
        return self._maildir() if self.maildir else self._mbox()

    def _mbox(self) -> Iterator[Gathered]:
        """Messages start at a `From ` line after a blank line (or at the top): found by
        searching the mapped file, so a body costs a byte scan in C, not a Python loop."""
        if not self.size:
            return
        try:
            with (
                self.path.open("rb") as stream,
                mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as data,
            ):
                if data[:5] != b"From ":
                    raise InvalidInputError(
                        f"{self.path} is not an mbox file: it does not start with a "
                        "'From ' line; give an mbox file or a Maildir folder"
                    )
                yield from self._mbox_messages(data)
        except OSError as error:
            raise InvalidInputError(cannot_read(self.path, error.strerror)) from None

    def _mbox_messages(self, data: mmap.mmap) -> Iterator[Gathered]:
        start, line, counted, released = 0, 1, 0, 0
        while start >= 0:
            line += data[counted:start].count(b"\n")
            counted = start
            data.seek(start)
            separator = data.readline()  # `From sender date`: the date when no header has one
            header = _header_lines(iter(data.readline, b""))
            # From the blank line that ended the header: a message with no body is
            # followed by the next `From ` line at once.
            following = _next_separator(data, data.tell() - 1)
            self.done = start
            yield _message(header, line + 1, f"line {line + 1}", None, separator)
            if start - released > RELEASE_BYTES:
                released = _release(data, released, start)
            start = following
        self.done = self.size

    def _maildir(self) -> Iterator[Gathered]:
        for folder in ("cur", "new"):
            try:
                paths = sorted((self.path / folder).iterdir())
            except FileNotFoundError:
                continue
            except OSError as error:
                raise InvalidInputError(cannot_read(self.path / folder, error.strerror)) from None
            for path in paths:
                name = path.name
                if name.startswith("."):
                    continue
                where = f"{folder}/{name}"
                flags = name.rpartition(":2,")[2] if ":2," in name else ""
                self.done += 1
                try:
                    header = _maildir_header(path)
                except OSError as error:  # unreadable, a symlink loop, a device error
                    self.warnings.append((0, f"{where}: {error.strerror}; skipped"))
                    yield _unread(where, "cannot be read")
                    continue
                if header is False:
                    yield _unread(where, "not a file")
                elif header is not None:
                    yield _message(header, 0, where, flags)


def _release(data: mmap.mmap, start: int, until: int) -> int:
    """The pages from `start` to `until`, read, are dropped from the process (they stay in
    the page cache), so that its memory stays flat however large the mailbox."""
    until -= until % mmap.PAGESIZE
    if hasattr(data, "madvise") and hasattr(mmap, "MADV_DONTNEED"):
        data.madvise(mmap.MADV_DONTNEED, start, until - start)
    return until


def _next_separator(data: mmap.mmap, start: int) -> int:
    """The next `From ` line that follows a blank line, or -1."""
    position = start
    while True:
        found = data.find(b"\nFrom ", position)
        if found < 0:
            return -1
        if data[found - 1 : found] == b"\n" or data[found - 2 : found] == b"\n\r":
            return found + 1
        position = found + 1


def _maildir_header(path: Path) -> list[bytes] | bool | None:
    """A message's header lines; None when it was moved away while the folder was read;
    False when it is no file (a FIFO would wait forever, hence the open that never waits)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        return False
    with os.fdopen(descriptor, "rb") as stream:
        return _header_lines(stream)


def _unread(where: str, reason: str) -> Gathered:
    return Gathered(0, where, "", None, None, frozenset(), reason)


def _header_lines(lines: Iterator[bytes]) -> list[bytes]:
    """A message's header lines: up to the blank line, at most MAX_HEADER_BYTES of them."""
    header, size = [], 0
    for line in lines:
        if line in (b"\n", b"\r\n") or size >= MAX_HEADER_BYTES:
            break
        header.append(line)
        size += len(line)
    return header


def _message(
    lines: list[bytes], line: int, where: str, flags: str | None, separator: bytes = b""
) -> Gathered:
    headers = _headers(lines)
    message_id = headers.get("message-id").strip().strip("<>").strip()
    source = "mail:" + (message_id or _digest(headers))
    addresses = frozenset(
        email_key(address)
        for name in _PARTIES
        for value in headers.get_all(name)
        for address in _addresses(value)
        if "@" in address
    )
    return Gathered(
        line,
        where,
        source,
        _date(headers, separator),
        _text(headers.get("subject")) or None,
        addresses,
        _passed_over(headers, flags),
    )


def _addresses(value: str) -> list[str]:
    """The addresses of one header. Most are `Name <a@b>` or `a@b`, comma-separated, and
    are split here; quotes, comments or escapes (where a display name may look like an
    address, or hold a comma), groups (`Team: a@b, c@d;`) and lists split by `;` go through
    the email package's full grammar."""
    if any(mark in value for mark in '"(\\:;'):
        return [address for _, address in email.utils.getaddresses([value])]
    return [
        part.partition("<")[2].partition(">")[0].strip() if "<" in part else part.strip()
        for part in value.split(",")
    ]


class _Headers(dict):
    """Lower-cased name -> its values in order, for the headers used here only."""

    def get(self, name: str, default: str = "") -> str:
        values = super().get(name)
        return values[0] if values else default

    def get_all(self, name: str) -> list[str]:
        return super().get(name, [])


def _headers(lines: list[bytes]) -> _Headers:
    """The headers this import reads, unfolded. The email package's parser builds every
    header of every message as an object; this reads the dozen used, three times faster
    over a mailbox (a header's bytes as UTF-8, as RFC 6532 allows, else Windows-1252 line by
    line; encoded words are decoded where a value is shown)."""
    headers, current = _Headers(), None
    raw = b"".join(lines)
    try:
        texts = raw.decode("utf-8").splitlines()
    except UnicodeDecodeError:  # rare: only then line by line
        texts = list(map(text_of_bytes, raw.splitlines()))
    for text in texts:
        if text[:1] in (" ", "\t"):
            if current is not None:
                current[-1] += " " + text.strip()
            continue
        name, colon, value = text.partition(":")
        name = name.strip().lower()
        if colon and name in _USED:
            current = headers.setdefault(name, [])
            current.append(value.strip())
        else:
            current = None
    return headers


def _digest(headers: _Headers) -> str:
    """A message without a Message-ID is the same message when these headers are."""
    parts = [headers.get(name) for name in ("date", "from", "to", "cc", "subject")]
    return "sha1:" + hashlib.sha1("\0".join(parts).encode(), usedforsecurity=False).hexdigest()


def _text(value: str) -> str:
    """A header decoded (RFC 2047 encoded words, any charset) and unfolded; a word whose
    charset is unknown or whose bytes do not fit it is read as bytes that name none, and
    the words around it are decoded all the same."""
    try:
        parts = email.header.decode_header(value)
    except (ValueError, email.errors.HeaderParseError):
        parts = [(value, None)]
    words = []
    for part, charset in parts:
        if isinstance(part, str):
            words.append(part)
            continue
        try:
            words.append(part.decode(charset or "raw-unicode-escape"))
        except (LookupError, UnicodeDecodeError):
            words.append(text_of_bytes(part))
    return " ".join("".join(words).split())


def _date(headers: _Headers, separator: bytes) -> dt.date | None:
    """The Date header as the local date; else the top Received header's; else, in an mbox,
    the date on the message's `From ` line. A date outside the days the book keeps is no
    date (`Date: ... 1850`, year 1, year 9999)."""
    day = _local_date(headers.get("date"))
    if day is None:
        day = _local_date(headers.get("received").rpartition(";")[2])
    if day is None and separator:
        day = _local_date(" ".join(text_of_bytes(separator).split()[2:]))
    return day


_WRITTEN_YEAR = re.compile(r"(?<![\d:+-])\d{4,}(?![\d:])")


def _local_date(value: str) -> dt.date | None:
    if not value:
        return None
    try:
        moment = email.utils.parsedate_to_datetime(" ".join(value.split()))
        if moment.tzinfo is not None:
            moment = moment.astimezone()  # the machine's time zone
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    written = _WRITTEN_YEAR.search(value)  # the parser reads year 0001 as 2001
    if written and not EARLIEST.year <= int(written.group()) <= LATEST.year:
        return None
    return moment.date() if is_kept(moment.date()) else None


def _passed_over(headers: _Headers, flags: str | None) -> str | None:
    labels = {label.strip().lower() for label in headers.get("x-gmail-labels").split(",")}
    if (flags and "D" in flags) or "drafts" in labels or "draft" in labels:
        return "draft"
    if headers.get("x-mozilla-draft-info"):
        return "draft"
    if "spam" in labels:
        return "spam"
    precedence = headers.get("precedence").strip().lower()
    if headers.get("list-id") or headers.get("list-unsubscribe") or precedence in _BULK:
        return "mailing list"
    if headers.get("auto-submitted", "no").strip().lower() != "no":
        return "automatic reply"
    return None
