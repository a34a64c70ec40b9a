"""Lead lists: rows of a CSV file checked, normalised and merged, with a per-row report.

Pure: the caller reads the file (any CSV dialect) and hands over the header and the
rows; this module decides which rows become leads and why the others do not. A bad
row is rejected with its row number, column and reason, and nothing else is lost.

A row is rejected when a phone cell holds something that is not a valid number (a
mangled row may be mis-mapped, and a wrong number dialled is a compliance risk), when
it has no phone at all, or when its time zone or postal code cannot be read. A number
already held by an earlier row, or by the campaign's other lists, merges into that
lead rather than creating a second one that could be dialled at the same time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tidal.core.compliance.numbers import e164, nanp_number

PHONE_HEADERS = (
    "phone",
    "phone_number",
    "number",
    "telephone",
    "home",
    "home_phone",
    "mobile",
    "mobile_phone",
    "cell",
    "cell_phone",
    "work",
    "work_phone",
)
TIME_ZONE_HEADERS = ("time_zone", "timezone", "tz")
POSTAL_HEADERS = ("postal_code", "zip", "zip_code", "zipcode", "postcode")
_ZIP = re.compile(r"\d{5}(-\d{4})?")


def _key(header: str) -> str:
    return re.sub(r"[\s\-]+", "_", header.strip().lower())


@dataclass(frozen=True, slots=True)
class Columns:
    """Which columns hold phones, the time zone and the postal code; the rest is data."""

    phones: tuple[int, ...]
    time_zone: int | None
    postal_code: int | None


def detect_columns(header: Sequence[str], phone_columns: Sequence[str] = ()) -> Columns:
    """Find the phone, time-zone and postal-code columns by name (or the names given)."""
    keys = [_key(h) for h in header]
    if phone_columns:
        wanted = [_key(c) for c in phone_columns]
        missing = [c for c, k in zip(phone_columns, wanted, strict=True) if k not in keys]
        if missing:
            raise ValueError(
                f"no column named {', '.join(map(repr, missing))} (columns: {', '.join(header)})"
            )
        phones = tuple(keys.index(k) for k in wanted)
    else:
        phones = tuple(i for i, k in enumerate(keys) if k in PHONE_HEADERS)
        if not phones:
            raise ValueError(
                f"no phone column found (looked for {', '.join(PHONE_HEADERS[:4])}, ...; "
                f"columns: {', '.join(header)}); name it with --column"
            )

    def first(names: tuple[str, ...]) -> int | None:
        return next((i for i, k in enumerate(keys) if k in names), None)

    return Columns(phones, first(TIME_ZONE_HEADERS), first(POSTAL_HEADERS))


@dataclass(frozen=True, slots=True)
class LeadRow:
    """An accepted lead: its numbers by column, where the callee is, and the other fields."""

    row: int  # 1-based data row of the first row that gave this lead
    numbers: tuple[tuple[str, str], ...]  # (column, E.164)
    time_zone: str | None
    postal_code: str | None
    data: Mapping[str, str]
    merged_rows: tuple[int, ...] = ()  # later rows whose numbers were merged in


@dataclass(frozen=True, slots=True)
class RowError:
    """Why a row was rejected: which row, which column, what it held."""

    row: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column!r}: {self.reason} ({self.value!r})"


@dataclass(frozen=True, slots=True)
class UnreadableRow:
    """A row the CSV reader could not split into cells (a quote never closed), in its place."""

    line: int  # 1-based line of the file where the row began
    column: str  # the column whose quote was left open ("" when unknown)
    reason: str
    value: str  # the row's first line, cut short


@dataclass(slots=True)
class LeadImport:
    """The result of reading a lead list."""

    leads: list[LeadRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    merged: int = 0  # rows that only added to an existing lead
    known: int = 0  # rows whose numbers the campaign already had from other lists

    @property
    def rejected_rows(self) -> list[int]:
        """Row numbers with at least one error."""
        return sorted({e.row for e in self.errors})


def parse_leads(
    header: Sequence[str],
    rows: Iterable[Sequence[str] | UnreadableRow],
    *,
    phone_columns: Sequence[str] = (),
    existing: Iterable[str] = (),
) -> LeadImport:
    """Check every row; `existing` are E.164 numbers the campaign already holds.

    An `UnreadableRow` (from the file reader) is rejected with its reason, in its place.
    """
    columns = detect_columns(header, phone_columns)
    special = {*columns.phones, columns.time_zone, columns.postal_code}
    known = set(existing)
    result = LeadImport()
    owner: dict[str, int] = {}  # E.164 -> index of the lead holding it
    for row_number, cells in enumerate(rows, start=1):
        result.rows += 1
        if isinstance(cells, UnreadableRow):
            result.errors.append(RowError(row_number, cells.column, cells.value, cells.reason))
            continue
        cells = list(cells) + [""] * (len(header) - len(cells))
        errors: list[RowError] = []
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            errors.append(RowError(row_number, "", ",".join(cells[len(header) :]),
                                   f"{len(cells)} cells for {len(header)} columns"))  # fmt: skip
        numbers: list[tuple[str, str]] = []
        for index in columns.phones:
            raw = cells[index].strip()
            if not raw:
                continue
            number = nanp_number(raw)
            if number is None:
                errors.append(RowError(row_number, header[index], raw, "not a valid phone number"))
            else:
                numbers.append((header[index], e164(number)))
        if not numbers and not errors:
            phones = ", ".join(header[i] for i in columns.phones)
            errors.append(RowError(row_number, phones, "", "no phone number"))
        time_zone = _cell(cells, columns.time_zone)
        if time_zone is not None and not _valid_zone(time_zone):
            assert columns.time_zone is not None
            errors.append(RowError(row_number, header[columns.time_zone], time_zone,
                                   "not an IANA time zone such as America/Chicago"))  # fmt: skip
        postal = _cell(cells, columns.postal_code)
        if postal is not None and not _ZIP.fullmatch(postal):
            assert columns.postal_code is not None
            errors.append(RowError(row_number, header[columns.postal_code], postal,
                                   "not a US ZIP code (12345 or 12345-6789)"))  # fmt: skip
        if errors:
            result.errors.extend(errors)
            continue
        fresh = [(column, n) for column, n in numbers if n not in known]
        if not fresh:
            result.known += 1
            continue
        holders = {owner[n] for _, n in fresh if n in owner}
        if holders:  # the same person again: add any new numbers to the first lead
            target = min(holders)
            lead = result.leads[target]
            have = {n for _, n in lead.numbers}
            added = tuple((c, n) for c, n in fresh if n not in have)
            result.leads[target] = LeadRow(
                lead.row, lead.numbers + added, lead.time_zone, lead.postal_code, lead.data,
                (*lead.merged_rows, row_number),
            )  # fmt: skip
            for _, n in added:
                owner[n] = target
            result.merged += 1
            continue
        data = {header[i]: cells[i] for i in range(len(header)) if i not in special}
        result.leads.append(LeadRow(row_number, tuple(fresh), time_zone, postal, data))
        for _, n in fresh:
            owner[n] = len(result.leads) - 1
    return result


def _cell(cells: Sequence[str], index: int | None) -> str | None:
    if index is None:
        return None
    value = cells[index].strip()
    return value or None


def _valid_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
