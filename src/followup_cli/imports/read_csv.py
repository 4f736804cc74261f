"""Reading CSV as people really have it: any common encoding, delimiter and line ending,
with notes above the header, and every record tagged with the physical line it starts on.

Rows are streamed, so memory stays flat however long the file is. Standard input cannot be
read twice, so it is held in memory (files are re-opened instead when a second pass is needed).
"""

import codecs
import csv
import io
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import accumulate, chain, islice
from pathlib import Path

from followup_cli.errors import InvalidInputError

SAMPLE_BYTES = 64 * 1024
PREAMBLE_LINES_CHECKED = 20
DELIMITERS = (",", ";", "\t", "|")
csv.field_size_limit(16 * 1024 * 1024)  # our own 64 KiB limit reports the line; csv's would not


@dataclass
class CsvSource:
    header: list[str]
    chunks: Callable[[int], Iterator[tuple[Sequence[int], list[list[str]]]]]
    encoding: str
    delimiter: str
    preamble_lines: int
    size: int | None
    position: callable  # bytes read so far, for a progress bar


class _Replay(io.RawIOBase):
    """The sample already read, then the rest of the stream: lets stdin be sniffed."""

    def __init__(self, sample: bytes, rest):
        self._sample, self._rest, self.consumed = sample, rest, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._sample:
            count = min(len(buffer), len(self._sample))
            buffer[:count], self._sample = self._sample[:count], self._sample[count:]
        else:
            chunk = self._rest.read(len(buffer))
            count = len(chunk)
            buffer[:count] = chunk
        self.consumed += count
        return count


def read_stdin() -> bytes:
    if sys.stdin is None:
        raise InvalidInputError("standard input is closed; give a file instead of -")
    return sys.stdin.buffer.read()


def read_input_bytes(source: str | bytes) -> tuple[object, int | None]:
    """A binary stream for FILE, or for the bytes already read from stdin, and its size."""
    if isinstance(source, bytes):
        return io.BytesIO(source), len(source)
    path = Path(source)
    if path.is_dir():
        raise InvalidInputError(f"{source} is a directory; give a CSV file or - for stdin")
    try:
        stream = path.open("rb")
    except FileNotFoundError:
        raise InvalidInputError(f"{source} does not exist") from None
    except OSError as error:
        raise InvalidInputError(f"cannot read {source}: {error.strerror}") from None
    return stream, path.stat().st_size


def detect_encoding(sample: bytes, requested: str | None) -> str:
    if requested:
        try:
            return codecs.lookup(requested).name
        except LookupError:
            raise InvalidInputError(
                f"unknown encoding {requested!r}; try --encoding utf-8, cp1252 or latin-1"
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
    try:
        sample = stream.read(SAMPLE_BYTES)
        if not sample.strip():
            raise InvalidInputError(f"{_label(source)} is empty: there is no header row")
        chosen_encoding = detect_encoding(sample, encoding)
        raw = _Replay(sample, stream)
        text = io.TextIOWrapper(io.BufferedReader(raw), encoding=chosen_encoding, newline="")
        head = _first_lines(text)
        content = [line for line in head if line.strip()]
        if not content:
            raise InvalidInputError(f"{_label(source)} is empty: there is no header row")
        first_delimiter = delimiter or sniff_delimiter(content[0])
        preamble = preamble_finder(head, first_delimiter) if preamble_finder else 0
        while preamble < len(head) and not head[preamble].strip():
            preamble += 1
        chosen_delimiter = delimiter or sniff_delimiter(head[preamble])
        # The rest is read by csv straight from the file: no Python code runs per line.
        reader = csv.reader(chain(head[preamble:], text), delimiter=chosen_delimiter)
        try:
            header = next(reader)
        except StopIteration:
            raise InvalidInputError(f"{_label(source)} has no header row") from None
        except csv.Error as error:
            raise InvalidInputError(f"line {preamble + 1}: {error}") from None
        except UnicodeDecodeError:
            raise _Undecodable from None
        while header and not header[-1].strip():
            header.pop()  # trailing empty columns, as spreadsheets write them
        yield CsvSource(
            header=header,
            chunks=lambda size: _chunks(reader, preamble, size),
            encoding=chosen_encoding,
            delimiter=chosen_delimiter,
            preamble_lines=preamble,
            size=size,
            position=lambda: raw.consumed,
        )
    except _Undecodable:
        line = _first_bad_line(source, chosen_encoding)
        raise InvalidInputError(
            f"line {line}: the text is not valid {chosen_encoding}; "
            "try --encoding cp1252 or --encoding latin-1"
        ) from None
    except _Unparseable as broken:
        line = _first_unparseable_record(source, chosen_encoding, chosen_delimiter, preamble)
        raise InvalidInputError(f"line {line}: {broken.error}") from None
    finally:
        stream.close()


def _label(source: str | bytes) -> str:
    return "standard input" if isinstance(source, bytes) else source


def _first_lines(text) -> list[str]:
    """The lines that may hold a preamble and the header, read before csv takes over."""
    head: list[str] = []
    while len(head) < PREAMBLE_LINES_CHECKED:
        try:
            line = text.readline()
        except UnicodeDecodeError:
            raise _Undecodable from None
        if not line:
            break
        head.append(line)
    return head


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
            except UnicodeDecodeError:
                return number
        return 1
    finally:
        stream.close()


class _Unparseable(Exception):
    """csv gave up inside a chunk; open_csv finds the line its record starts on."""

    def __init__(self, error: csv.Error):
        super().__init__(str(error))
        self.error = error


def _chunks(reader, preamble: int, size: int) -> Iterator[tuple[Sequence[int], list[list[str]]]]:
    """(the line each record starts on, the records), `size` records at a time; wholly
    blank lines are passed over. csv reads a chunk with no Python per record; the lines
    are worked out only when some record spans several."""
    while True:
        first_line = reader.line_num + 1
        try:
            rows = list(islice(reader, size))
        except csv.Error as error:
            raise _Unparseable(error) from None
        except UnicodeDecodeError:
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
