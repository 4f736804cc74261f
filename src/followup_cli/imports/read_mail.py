"""Mail as it sits on disk: an mbox file (Gmail Takeout, Thunderbird, `From ` separator
lines, `>From ` escaping, LF or CRLF) or a Maildir (`cur/` and `new/`; `tmp/` holds mail
still being delivered).

Only the headers are parsed. An mbox body is passed over line by line and a Maildir body
never read, so memory holds one message's headers however large the mailbox.
"""

import datetime as dt
import email.errors
import email.header
import email.parser
import email.policy
import email.utils
import hashlib
from collections.abc import Iterator
from pathlib import Path

from followup_cli.errors import InvalidInputError
from followup_cli.imports.gathered import Gathered

MAX_HEADER_BYTES = 1024 * 1024
_PARTIES = ("from", "to", "cc", "bcc", "reply-to", "sender")
_BULK = frozenset({"bulk", "list", "junk"})
_PARSER = email.parser.BytesHeaderParser(policy=email.policy.compat32)


class Mailbox:
    def __init__(self, path: str):
        self.path = Path(path)
        try:
            is_dir = self.path.is_dir()
            self.size = None if is_dir else self.path.stat().st_size
        except OSError as error:
            raise InvalidInputError(f"cannot read {path}: {error.strerror}") from None
        if not is_dir and not self.path.exists():
            raise InvalidInputError(f"{path} does not exist")
        self.maildir = is_dir
        if is_dir and not ((self.path / "cur").is_dir() or (self.path / "new").is_dir()):
            raise InvalidInputError(f"{path} is a folder but not a Maildir (no cur/ or new/)")
        self.done = 0

    def position(self) -> int:
        return self.done

    def messages(self) -> Iterator[Gathered]:
        return self._maildir() if self.maildir else self._mbox()

    def _mbox(self) -> Iterator[Gathered]:
        try:
            stream = self.path.open("rb")
        except OSError as error:
            raise InvalidInputError(f"cannot read {self.path}: {error.strerror}") from None
        with stream:
            header: list[bytes] | None = None
            start, blank_before = 0, True
            for number, line in enumerate(stream, start=1):
                self.done += len(line)
                if blank_before and line.startswith(b"From "):
                    if header is not None:
                        yield _message(header, start, f"line {start}", None)
                    header, start = [], number + 1
                elif header is not None and header[-1:] != [b""]:
                    if line in (b"\n", b"\r\n"):
                        header.append(b"")  # the end of the headers: the body is skipped
                    elif sum(map(len, header)) < MAX_HEADER_BYTES:
                        header.append(line)
                elif header is None and number == 1:
                    raise InvalidInputError(
                        f"{self.path} is not an mbox file: it does not start with a "
                        "'From ' line; give an mbox file or a Maildir folder"
                    )
                blank_before = line in (b"\n", b"\r\n")
            if header is not None:
                yield _message(header, start, f"line {start}", None)

    def _maildir(self) -> Iterator[Gathered]:
        for folder in ("cur", "new"):
            try:
                paths = sorted((self.path / folder).iterdir())
            except FileNotFoundError:
                continue
            for path in paths:
                name = path.name
                if name.startswith("."):
                    continue
                flags = name.rpartition(":2,")[2] if ":2," in name else ""
                header = _maildir_header(path)
                self.done += 1
                if header is not None:
                    yield _message(header, 0, f"{folder}/{name}", flags)


def _maildir_header(path: Path) -> list[bytes] | None:
    try:
        with path.open("rb") as stream:
            lines, total = [], 0
            for line in stream:
                if line in (b"\n", b"\r\n") or total > MAX_HEADER_BYTES:
                    break
                lines.append(line)
                total += len(line)
            return lines
    except (IsADirectoryError, FileNotFoundError):  # moved away while we read the folder
        return None


def _message(lines: list[bytes], line: int, where: str, flags: str | None) -> Gathered:
    headers = _PARSER.parsebytes(b"".join(lines))
    message_id = (headers.get("message-id") or "").strip().strip("<>").strip()
    source = "mail:" + (message_id or _digest(headers))
    addresses = frozenset(
        address.lower()
        for _, address in email.utils.getaddresses(
            [str(value) for name in _PARTIES for value in headers.get_all(name, [])]
        )
        if "@" in address
    )
    return Gathered(
        line,
        where,
        source,
        _date(headers),
        _text(headers.get("subject")) or None,
        addresses,
        _passed_over(headers, flags),
    )


def _digest(headers) -> str:
    """A message without a Message-ID is the same message when these headers are."""
    parts = [str(headers.get(name, "")) for name in ("date", "from", "to", "cc", "subject")]
    return "sha1:" + hashlib.sha1("\0".join(parts).encode(), usedforsecurity=False).hexdigest()


def _text(value) -> str:
    """A header decoded (RFC 2047 encoded words, any charset) and unfolded."""
    if value is None:
        return ""
    try:
        text = str(email.header.make_header(email.header.decode_header(str(value))))
    except (LookupError, UnicodeError, ValueError, email.errors.HeaderParseError):
        text = str(value)
    return " ".join(text.split())


def _date(headers) -> dt.date | None:
    """The Date header as the local date; else the top Received header's date."""
    day = _local_date(headers.get("date"))
    if day is None:
        received = headers.get("received")
        if received:
            day = _local_date(str(received).rpartition(";")[2])
    return day


def _local_date(value) -> dt.date | None:
    if not value:
        return None
    try:
        moment = email.utils.parsedate_to_datetime(" ".join(str(value).split()))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone()  # the machine's time zone
    return moment.date()


def _passed_over(headers, flags: str | None) -> str | None:
    labels = {label.strip().lower() for label in str(headers.get("x-gmail-labels", "")).split(",")}
    if (flags and "D" in flags) or "drafts" in labels or "draft" in labels:
        return "drafts"
    if headers.get("x-mozilla-draft-info"):
        return "drafts"
    if "spam" in labels:
        return "spam"
    precedence = str(headers.get("precedence", "")).strip().lower()
    if headers.get("list-id") or headers.get("list-unsubscribe") or precedence in _BULK:
        return "mailing list"
    if str(headers.get("auto-submitted", "no")).strip().lower() != "no":
        return "automatic replies"
    return None
