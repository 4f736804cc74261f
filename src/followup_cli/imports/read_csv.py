"""Reading CSV as people really have it: any common encoding, delimiter and line ending,
with notes or blank lines above the header, and every record tagged with the physical line
it starts on.

Rows are streamed, so memory stays flat however long the file is. Standard input, a FIFO or a
device cannot be read twice, so each is read once, before anything is locked, and held in
memory (up to MAX_HELD_BYTES); files are re-opened when a second pass is needed. Nothing waits
without bound: a line may hold at most MAX_LINE_BYTES before its break (csv's own limit holds
each field to the same), so endless input is refused, not swallowed.
"""

import codecs
import csv
import io
import stat
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import accumulate, chain, islice
from pathlib import Path

from followup_cli.errors import InvalidInputError, cannot_read

SAMPLE_BYTES = 64 * 1024
PREAMBLE_LINES_CHECKED = 20
DELIMITERS = (",", ";", "\t", "|")
MAX_LINE_BYTES = 16 * 1024 * 1024
MAX_HELD_BYTES = 100 * 1024 * 1024
csv.field_size_limit(MAX_LINE_BYTES)  # our own 64 KiB limit reports the line; csv's would not


@dataclass
class CsvSource:
    header: list[str]
    chunks: Callable[[int], Iterator[tuple[Sequence[int], list[list[str]]]]]
    size: int | None
    position: callable  # bytes read so far, for a progress bar
    # (line, reason) of records refused while reading; complete once the chunks are read
    rejected: list[tuple[int, str]] = field(default_factory=list)


class _Replay(io.RawIOBase):
    """The sample already read, then the rest of the stream (lets stdin be sniffed). It
    counts as the bytes pass: line breaks, for the line a refusal names; bytes since the last
    break, to refuse a line without end; quote characters, whose odd count at the end of the
    file means a quote left open."""

    def __init__(self, sample: bytes, rest):
        self._sample, self._rest, self.consumed = sample, rest, 0
        self.line_breaks, self.run, self.quotes = 0, 0, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._sample:
            count = min(len(buffer), len(self._sample))
            chunk, self._sample = self._sample[:count], self._sample[count:]
        else:
            chunk = _read(self._rest, len(buffer))
            count = len(chunk)
        buffer[:count] = chunk
        self.consumed += count
        self._count(chunk)
        return count

    def _count(self, chunk: bytes) -> None:
        last_break = chunk.rfind(b"\n")
        self.run = self.run + len(chunk) if last_break < 0 else len(chunk) - last_break - 1
        if self.run > MAX_LINE_BYTES:
            raise _LineWithoutEnd(self.line_breaks + 1)
        self.line_breaks += chunk.count(b"\n")
        self.quotes += chunk.count(b'"')


def _read(stream, size: int) -> bytes:
    try:
        return stream.read(size)
    except OSError as error:  # a device's read error: the file's, never the output's
        raise _ReadFailed(error.strerror) from None


class _ReadFailed(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class _LineWithoutEnd(Exception):
    def __init__(self, line: int):
        super().__init__(line)
        self.line = line


def read_stdin() -> bytes:
    if sys.stdin is None:
        raise InvalidInputError("standard input is closed; give a file instead of -")
    return _held(sys.stdin.buffer, "standard input")


def is_directory(source: str) -> bool:
    return source != "-" and Path(source).is_dir()


def load_source(source: str) -> str | bytes:
    """What an import reads: a regular file by its path (read again if needed), anything
    else (-, a FIFO, /dev/stdin, a device) once, now, into memory."""
    if source == "-":
        return read_stdin()
    if not source.strip():
        raise InvalidInputError("the file name is empty; give a file or - for stdin")
    path = Path(source)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise InvalidInputError(f"{source} does not exist") from None
    except OSError as error:
        raise InvalidInputError(cannot_read(source, error.strerror)) from None
    if stat.S_ISDIR(mode):
        raise InvalidInputError(f"{source} is a directory; give a file or - for stdin")
    if stat.S_ISREG(mode):
        return source
    try:
        with path.open("rb") as stream:
            return _held(stream, source)
    except OSError as error:
        raise InvalidInputError(cannot_read(source, error.strerror)) from None


def _held(stream, label: str) -> bytes:
    """All of a stream that can be read only once, within the bounds of the module."""
    chunks, total, run, line = [], 0, 0, 1
    while chunk := stream.read(1024 * 1024):
        total += len(chunk)
        if total > MAX_HELD_BYTES:
            raise InvalidInputError(
                f"{label} is over {MAX_HELD_BYTES // (1024 * 1024)} MiB; save it to a file "
                "and import the file"
            )
        last_break = chunk.rfind(b"\n")
        run = run + len(chunk) if last_break < 0 else len(chunk) - last_break - 1
        if run > MAX_LINE_BYTES:
            raise InvalidInputError(_no_end(line))
        line += chunk.count(b"\n")
        chunks.append(chunk)
    return b"".join(chunks)


def read_input_bytes(source: str | bytes) -> tuple[object, int | None]:
    """A binary stream over what load_source gave (a regular file's path, or bytes held),
    and its size."""
    if isinstance(source, bytes):
        return io.BytesIO(source), len(source)
    try:
        stream = Path(source).open("rb")  # noqa: SIM115  (the caller closes it)
    except OSError as error:
        raise InvalidInputError(cannot_read(source, error.strerror)) from None
    return stream, Path(source).stat().st_size


def _no_end(line: int) -> str:
    return f"line {line}: over 16 MiB without a line break; is this a CSV file?"


def detect_encoding(sample: bytes, requested: str | None) -> str:
    if requested:
        try:
            # TextIOWrapper refuses the codecs that are no text encoding (base64, rot13, hex)
            io.TextIOWrapper(io.BytesIO(), encoding=requested)
            return codecs.lookup(requested).name
        except LookupError:
            raise InvalidInputError(
                f"{requested!r} is not a text encoding; try --encoding utf-8, cp1252 or latin-1"
            ) from None
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8-sig"
    try:
        sample.decode("cp1252")
    except UnicodeDecodeError:
        return "latin-1"
    return "cp1252"


def sniff_delimiter(header_line: str) -> str:
    counts = {delimiter: header_line.count(delimiter) for delimiter in DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


@contextmanager
def open_csv(
    source: str | bytes,
    encoding: str | None = None,
    delimiter: str | None = None,
    preamble_finder=None,
) -> Iterator[CsvSource]:
    """`preamble_finder(lines, delimiter) -> int` says how many lines precede the header."""
    if delimiter is not None and len(delimiter) != 1:
        if delimiter.lower() in ("tab", "\\t"):
            delimiter = "\t"
        else:
            raise InvalidInputError(
                f"--delimiter must be one character (or 'tab'), not {delimiter!r}"
            )
    stream, size = read_input_bytes(source)
    chosen_encoding, chosen_delimiter, before_header = "utf-8", ",", 0
    try:
        sample = _read(stream, SAMPLE_BYTES)
        chosen_encoding = detect_encoding(sample, encoding)
        raw = _Replay(sample, stream)
        text = io.TextIOWrapper(io.BufferedReader(raw), encoding=chosen_encoding, newline="")
        blank, head = _first_lines(text)
        if not head:
            raise InvalidInputError(f"{_label(source)} is empty: there is no header row")
        first_delimiter = delimiter or sniff_delimiter(head[0])
        preamble = preamble_finder(head, first_delimiter) if preamble_finder else 0
        while preamble < len(head) and not head[preamble].strip():
            preamble += 1
        before_header = blank + preamble
        chosen_delimiter = delimiter or sniff_delimiter(head[preamble])
        # The rest is read by csv straight from the file: no Python code runs per line.
        reader = csv.reader(chain(head[preamble:], text), delimiter=chosen_delimiter)
        try:
            header = next(reader)
        except StopIteration:
            raise InvalidInputError(f"{_label(source)} has no header row") from None
        except csv.Error as error:
            raise InvalidInputError(f"line {before_header + 1}: {error}") from None
        except UnicodeError:
            raise _Undecodable from None
        while header and not header[-1].strip():
            header.pop()  # trailing empty columns, as spreadsheets write them
        source_read = CsvSource(
            header=header,
            chunks=lambda size: _chunks(reader, raw, before_header, size, source_read),
            size=size,
            position=lambda: raw.consumed,
        )
        yield source_read
    except _LineWithoutEnd as endless:
        raise InvalidInputError(_no_end(endless.line)) from None
    except _ReadFailed as failed:
        raise InvalidInputError(cannot_read(_label(source), failed.reason)) from None
    except _Undecodable:
        line = _first_bad_line(source, chosen_encoding)
        raise InvalidInputError(
            f"line {line}: the text is not valid {chosen_encoding}; "
            "try --encoding cp1252 or --encoding latin-1"
        ) from None
    except _Unparseable as broken:
        line = _first_unparseable_record(source, chosen_encoding, chosen_delimiter, before_header)
        raise InvalidInputError(f"line {line}: {broken.error}") from None
    finally:
        stream.close()


def _label(source: str | bytes) -> str:
    return "standard input" if isinstance(source, bytes) else source


def _first_lines(text) -> tuple[int, list[str]]:
    """How many blank lines come first, and the lines after them that may hold a preamble
    and the header, read before csv takes over."""
    blank, head = 0, []
    while len(head) < PREAMBLE_LINES_CHECKED:
        try:
            line = text.readline()
        except UnicodeError:
            raise _Undecodable from None
        if not line:
            break
        if head or line.strip():
            head.append(line)
        else:
            blank += 1
    return blank, head


class _Undecodable(Exception):
    """Raised inside the reader; open_csv turns it into the message with the real line."""


def _first_bad_line(source: str | bytes, encoding: str) -> int:
    """Text decoders read ahead in blocks, so the line is found again in the raw bytes."""
    stream, _ = read_input_bytes(source)
    try:
        decoder = codecs.getincrementaldecoder(encoding)()
        for number, raw_line in enumerate(stream, start=1):
            try:
                decoder.decode(raw_line)
            except UnicodeError:
                return number
        return 1
    finally:
        stream.close()


class _Unparseable(Exception):
    """csv gave up inside a chunk; open_csv finds the line its record starts on."""

    def __init__(self, error: csv.Error):
        super().__init__(str(error))
        self.error = error


def _chunks(reader, raw: _Replay, before_header: int, size: int, source: CsvSource):
    """The records in chunks, the last one checked for a quote left open (one chunk is
    held back, so that the last is known before it is handed on)."""
    pending = None
    for chunk in _records(reader, before_header, size):
        if pending:
            yield pending
        pending = chunk
    if pending:
        lines, rows = pending
        if raw.quotes % 2 and any("\n" in cell or "\r" in cell for cell in rows[-1]):
            # csv reads a quote never closed to the end of the file, as one last record
            source.rejected.append((lines[-1], _UNCLOSED_QUOTE))
            lines, rows = lines[:-1], rows[:-1]
        if rows:
            yield lines, rows


_UNCLOSED_QUOTE = (
    "a quote opened in this record is never closed, so it runs to the end of the file; "
    "close the quote"
)


def _records(reader, preamble: int, size: int) -> Iterator[tuple[Sequence[int], list[list[str]]]]:
    """(the line each record starts on, the records), `size` records at a time; wholly
    blank lines are passed over. csv reads a chunk with no Python per record; the lines
    are worked out only when some record spans several."""
    while True:
        first_line = reader.line_num + 1
        try:
            rows = list(islice(reader, size))
        except csv.Error as error:
            raise _Unparseable(error) from None
        except UnicodeError:
            raise _Undecodable from None
        if not rows:
            return
        if reader.line_num - first_line + 1 == len(rows):  # one line each
            lines: Sequence[int] = range(preamble + first_line, preamble + first_line + len(rows))
        else:
            lines = list(
                accumulate(
                    (_line_breaks(row) + 1 for row in rows[:-1]), initial=preamble + first_line
                )
            )
        if [] in rows:
            kept = [(line, row) for line, row in zip(lines, rows, strict=True) if row]
            if not kept:
                continue
            lines, rows = (list(column) for column in zip(*kept, strict=True))
        yield lines, rows


def _line_breaks(row: list[str]) -> int:
    """Line breaks inside a record's quoted cells: each adds a physical line."""
    return sum(cell.count("\n") + cell.count("\r") - cell.count("\r\n") for cell in row)


def _first_unparseable_record(
    source: str | bytes, encoding: str, delimiter: str, preamble: int
) -> int:
    """Read again record by record, since a failed chunk does not say where it failed."""
    stream, _ = read_input_bytes(source)
    try:
        text = io.TextIOWrapper(stream, encoding=encoding, newline="")
        for _ in range(preamble):
            text.readline()
        reader = csv.reader(text, delimiter=delimiter)
        start = 1
        try:
            for _ in reader:
                start = reader.line_num + 1
        except csv.Error:
            pass
        return preamble + start
    finally:
        stream.close()
