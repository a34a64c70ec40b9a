"""Scrubbing a lead list: keep the rows whose number may be called, drop and count the rest.

The CSV module parses the rows; everything after that is done a chunk of rows at a
time with numpy: the phone column is normalised by `normalize_many`, looked up in
the registry with `Registry.contains_many` and in the internal and exempt lists
with a binary search. Kept rows are copied to the output byte for byte.
"""

from __future__ import annotations

import csv
import os
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import Enum
from itertools import compress, islice
from pathlib import Path
from typing import IO, Any, Final, NamedTuple, cast

import numpy as np
from numpy.typing import ArrayLike, NDArray

from tidal.config import open_private
from tidal.dnc._bitmap import DncError, Registry
from tidal.dnc._normalize import normalize_many
from tidal.dnc.const import (
    AREA_CODE_SPACE,
    LOCAL_NUMBERS,
    MAX_STORED_ERRORS,
    PHONE_COLUMNS,
    STALE_AFTER,
)

_SNIFF_CHARS: Final = 64 * 1024
_CHUNK_ROWS: Final = 100_000
_READ_HINT: Final = 1 << 20  # characters of whole lines read at a time
_DELIMITERS: Final = ",;\t|"
_ENCODING: Final = "utf-8"
_ERRORS: Final = "surrogateescape"  # undecodable bytes pass through unchanged
_BOM: Final = b"\xef\xbb\xbf"
# Reason names, as `tidal dnc check` and the compliance gate spell them.
REGISTRY: Final = "registry"
INTERNAL: Final = "internal"
REGISTRY_STALE: Final = "registry_stale"


class _Missing(Enum):
    """Stands in a chunk's phone cells for a row without one."""

    SHORT = "short"  # a row with fewer fields than the phone column's position
    BLANK = "blank"  # an empty line: not a row at all


_SHORT, _BLANK = _Missing.SHORT, _Missing.BLANK


class ScrubError(DncError):
    """The lead file cannot be scrubbed as asked (no header, no such column)."""


class InvalidRow(NamedTuple):
    """A data row whose phone value is not a valid number (1-based, header not counted)."""

    row: int
    value: str


@dataclass(frozen=True, slots=True)
class ScrubReport:
    """What a scrub kept and why it dropped the rest."""

    rows: int  # data rows (blank lines are not rows)
    kept: int
    blocked: int
    invalid: int
    seconds: float
    # Rows per reason; a row blocked for two reasons counts under both.
    blocked_reasons: dict[str, int] = field(default_factory=dict)
    invalid_rows: list[InvalidRow] = field(default_factory=list)  # the first 1,000
    column: str = ""

    def as_json(self) -> dict[str, Any]:
        """The `tidal dnc scrub --json` object (CONTRACTS section 1), nothing more."""
        return {
            "rows": self.rows,
            "kept": self.kept,
            "blocked": self.blocked,
            "invalid": self.invalid,
            "seconds": self.seconds,
        }


def scrub_csv(
    source: Path,
    *,
    column: str | None,
    registry: Registry,
    internal: ArrayLike,
    exempt: ArrayLike,
    now: datetime,
    stale_after: timedelta = STALE_AFTER,
    out: Path | None,
) -> ScrubReport:
    """Drop the leads that may not be called, before a campaign dials any of them.

    A row is blocked when its number is on `internal` (internal DNC and opt-outs:
    nothing overrides them) or, unless it is in `exempt` (valid consent or business
    relationship), when it is registered or its area code's newest full download
    is missing or older than `stale_after` at `now`. Rows with no valid number are
    counted as invalid. The dialect is sniffed from the first 64 KiB (Excel's
    otherwise); the header row is required; `column` defaults to the first header
    (left to right) named phone, phone_number, number, telephone or mobile, in any
    case. Kept rows go to `out`, unchanged and after the header, when it is given.
    """
    started = time.perf_counter()
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if out is not None and out.exists() and out.resolve() == source.resolve():
        raise ScrubError(f"{out}: the output would overwrite the lead file being read")
    internal_numbers = _sorted_numbers(internal)
    exempt_numbers = _sorted_numbers(exempt)
    stale_codes = _stale_area_codes(registry, now.astimezone(UTC), stale_after)
    with source.open("rb") as probe:
        bom = probe.read(len(_BOM)) == _BOM
    encoding = "utf-8-sig" if bom else _ENCODING
    with source.open(encoding=encoding, errors=_ERRORS, newline="") as stream:
        csv_format = sniff_csv_format(stream)
        lines = _Lines(stream)
        reader = csv.reader(lines, **csv_format)
        try:
            header = next(reader, None)
        except csv.Error as error:
            raise ScrubError(f"{source}: line {reader.line_num}: {error}") from error
        if header is None:
            raise ScrubError(f"{source}: empty file, a header row is required")
        index, name = _phone_column(source, header, column)
        tally = _Tally()
        writer = _Output(out, encoding, csv_format) if out is not None else None
        try:
            if writer is not None:
                writer.copy_lines(lines.take(reader.line_num))
            else:
                lines.take(reader.line_num)
            # Only the phone value of each row is kept: row lists die at once, so the
            # garbage collector has nothing to walk (holding them costs 2x the time).
            while cells := [
                row[index] if len(row) > index else (_SHORT if row else _BLANK)
                for row in islice(reader, _CHUNK_ROWS)
            ]:
                raw = lines.take(reader.line_num - lines.taken)
                kept = tally.chunk(cells, registry, internal_numbers, exempt_numbers, stale_codes)
                if writer is not None:
                    writer.write(raw, kept)
        except csv.Error as error:
            if writer is not None:
                writer.abandon()
            raise ScrubError(f"{source}: line {reader.line_num}: {error}") from error
        except BaseException:
            if writer is not None:
                writer.abandon()
            raise
        if writer is not None:
            writer.commit()
    return ScrubReport(
        rows=tally.rows,
        kept=tally.kept,
        blocked=tally.blocked,
        invalid=tally.invalid,
        seconds=round(time.perf_counter() - started, 6),
        blocked_reasons=dict(tally.reasons),
        invalid_rows=tally.invalid_rows,
        column=name,
    )


def _sorted_numbers(numbers: ArrayLike) -> NDArray[np.int64]:
    return np.unique(np.asarray(numbers, dtype=np.int64).reshape(-1))


def _member(numbers: NDArray[np.int64], sorted_numbers: NDArray[np.int64]) -> NDArray[np.bool_]:
    """Which `numbers` are in the sorted array (binary search, no hashing)."""
    if len(sorted_numbers) == 0:
        return np.zeros(len(numbers), dtype=np.bool_)
    index = np.minimum(np.searchsorted(sorted_numbers, numbers), len(sorted_numbers) - 1)
    found: NDArray[np.bool_] = sorted_numbers[index] == numbers
    return found


def _stale_area_codes(
    registry: Registry, now: datetime, stale_after: timedelta
) -> NDArray[np.bool_]:
    """Per area code: whether its registry data is too old to call on (or missing)."""
    stale = np.ones(AREA_CODE_SPACE, dtype=np.bool_)
    for code in range(AREA_CODE_SPACE):
        refreshed = registry.refreshed_at(code)
        stale[code] = refreshed is None or now - refreshed > stale_after
    return stale


def sniff_csv_format(stream: IO[str]) -> dict[str, Any]:
    """The CSV format of a text stream's start, as `csv.reader` keywords; rewinds it.

    Quotes are taken as doubled, as everyone writes them.

    `csv.Sniffer` decides when the delimiter it finds is in the header row; when it
    cannot tell, or picks one the header does not contain, the candidate most
    frequent in the header wins; Excel's comma when the header has none of them.
    """
    sample = stream.read(_SNIFF_CHARS)
    stream.seek(0)
    cut = max(sample.rfind("\n"), sample.rfind("\r"))
    if len(sample) == _SNIFF_CHARS and cut > 0:
        sample = sample[:cut]
    terminator = "\r\n" if "\r\n" in sample or "\n" not in sample else "\n"
    header = sample.splitlines()[0] if sample else ""
    counts = {delimiter: header.count(delimiter) for delimiter in _DELIMITERS}
    in_header = max(counts, key=lambda delimiter: counts[delimiter])
    csv_format: dict[str, Any] = {
        "delimiter": in_header if counts[in_header] else ",",
        "quotechar": '"',
        "skipinitialspace": False,
        "doublequote": True,
        "quoting": csv.QUOTE_MINIMAL,
        "lineterminator": terminator,
    }
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=_DELIMITERS)
    except csv.Error:
        return csv_format
    if sniffed.delimiter in header:
        csv_format["delimiter"] = sniffed.delimiter
        csv_format["quotechar"] = sniffed.quotechar or '"'
        csv_format["skipinitialspace"] = sniffed.skipinitialspace
    return csv_format


def _phone_column(source: Path, header: Sequence[str], column: str | None) -> tuple[int, str]:
    """Index and name of the phone column; a `ScrubError` listing the headers if none."""
    names = [name.strip() for name in header]
    folded = [name.casefold() for name in names]
    if column is not None:
        if column in names:
            return names.index(column), column
        if column.casefold() in folded:
            index = folded.index(column.casefold())
            return index, names[index]
        raise ScrubError(f"{source}: no column {column!r}; the header has {_listing(names)}")
    for index, name in enumerate(folded):
        if name in PHONE_COLUMNS:
            return index, names[index]
    wanted = ", ".join(PHONE_COLUMNS)
    raise ScrubError(
        f"{source}: no phone column ({wanted}); the header has {_listing(names)}; "
        "name one with --column"
    )


def _listing(names: Sequence[str]) -> str:
    return ", ".join(repr(name) for name in names) if names else "no columns"


class _Lines:
    """The file's lines, read in large batches, kept until the rows they hold are taken."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self._buffer: list[str] = []
        self._start = 0  # buffer index of the first line not taken
        self.taken = 0  # lines handed out so far

    def __iter__(self) -> Iterator[str]:
        while batch := self._stream.readlines(_READ_HINT):
            if self._start > len(self._buffer) // 2:
                del self._buffer[: self._start]
                self._start = 0
            self._buffer.extend(batch)
            yield from batch

    def take(self, count: int) -> list[str]:
        """The next `count` lines (those the csv reader consumed for the last rows)."""
        lines = self._buffer[self._start : self._start + count]
        self._start += count
        self.taken += count
        return lines


class _Output:
    """The scrubbed file, written beside and renamed into place when the scrub succeeds.

    Kept rows are copied as the lines they were read from when rows and lines match
    one to one (the usual case); a chunk with a quoted line break is parsed again
    and its kept rows written in the same dialect.
    """

    def __init__(self, path: Path, encoding: str, csv_format: dict[str, Any]) -> None:
        self._path = path
        self._temporary = path.with_name(path.name + ".tmp")
        # The kept rows are callers' numbers: private, like everything Tidal writes.
        self._stream = open_private(
            self._temporary, "w", encoding=encoding, errors=_ERRORS, newline=""
        )
        self._format = csv_format
        self._writer = csv.writer(self._stream, **csv_format)

    def copy_lines(self, lines: list[str]) -> None:
        """Write lines as they were read (the header)."""
        self._stream.writelines(lines)

    def write(self, raw: list[str], kept: NDArray[np.bool_]) -> None:
        """Write the kept rows of a chunk, given the lines they were read from."""
        selectors = kept.tolist()
        if len(raw) == len(selectors):
            self._stream.writelines(compress(raw, selectors))
        else:
            rows = list(csv.reader(raw, **self._format))
            self._writer.writerows(compress(rows, selectors))

    def commit(self) -> None:
        """Close the file and put it in place."""
        self._stream.close()
        os.replace(self._temporary, self._path)

    def abandon(self) -> None:
        """Close and delete the partial file (the scrub failed)."""
        self._stream.close()
        self._temporary.unlink(missing_ok=True)


class _Tally:
    """Running counts of a scrub, fed one chunk of rows at a time."""

    def __init__(self) -> None:
        self.rows = self.kept = self.blocked = self.invalid = 0
        self.reasons = {REGISTRY: 0, INTERNAL: 0, REGISTRY_STALE: 0}
        self.invalid_rows: list[InvalidRow] = []
        self._seen = 0  # csv records read so far (blank lines included)

    def chunk(
        self,
        cells: list[str | _Missing],
        registry: Registry,
        internal: NDArray[np.int64],
        exempt: NDArray[np.int64],
        stale_codes: NDArray[np.bool_],
    ) -> NDArray[np.bool_]:
        """Decide a chunk of rows; returns the mask of rows to keep."""
        first_row = self._seen + 1
        self._seen += len(cells)
        values, present, long_enough = _column(cells)
        numbers, valid = normalize_many(values)
        valid &= long_enough
        invalid = present & ~valid
        on_internal = valid & _member(numbers, internal)
        checked = valid & ~_member(numbers, exempt)
        registered = checked & registry.contains_many(numbers)
        stale = checked & stale_codes[numbers // LOCAL_NUMBERS]
        blocked = on_internal | registered | stale
        kept = valid & ~blocked
        self.rows += int(np.count_nonzero(present))
        self.kept += int(np.count_nonzero(kept))
        self.blocked += int(np.count_nonzero(blocked))
        self.invalid += int(np.count_nonzero(invalid))
        self.reasons[REGISTRY] += int(np.count_nonzero(registered))
        self.reasons[INTERNAL] += int(np.count_nonzero(on_internal))
        self.reasons[REGISTRY_STALE] += int(np.count_nonzero(stale))
        room = MAX_STORED_ERRORS - len(self.invalid_rows)
        if room > 0:
            for position in np.flatnonzero(invalid)[:room].tolist():
                self.invalid_rows.append(InvalidRow(first_row + position, values[position]))
        return kept


def _column(cells: list[str | _Missing]) -> tuple[list[str], NDArray[np.bool_], NDArray[np.bool_]]:
    """The phone values ("" for missing ones), the non-blank rows, the rows that have one."""
    if _SHORT in cells or _BLANK in cells:
        values = [cell if isinstance(cell, str) else "" for cell in cells]
        present = np.array([cell is not _BLANK for cell in cells], dtype=np.bool_)
        long_enough = np.array([isinstance(cell, str) for cell in cells], dtype=np.bool_)
        return values, present, long_enough
    everything = np.ones(len(cells), dtype=np.bool_)
    return cast("list[str]", cells), everything, everything
