"""Loading national-registry downloads (full lists and change lists) into a `Registry`.

Formats (CONTRACTS section 5), one record a line:
- full list: `AAA,NNNNNNN` or ten digits; spaces around fields and quotes allowed;
- change list: the same number columns, then more comma-separated fields, one of
  which is the add/delete flag (`A`/`D`, `add`/`delete`, any case).
The first data line of a file decides which it is (and, for a change list, which
field holds the flag). A first line with letters that is not a record is a header
and skipped; any other line that does not fit its file is reported and skipped.

Lines in the exact `AAA,NNNNNNN` and ten-digit shapes are parsed as a byte matrix
with numpy; only the others go through the line-by-line parser, which also writes
every error message, so both paths accept exactly the same lines.
"""

from __future__ import annotations

import io
import os
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import IO, Any, Final

import numpy as np
from numpy.typing import NDArray

from tidal.dnc._bitmap import (
    AreaCodeMeta,
    DncError,
    Registry,
    RegistryMeta,
    read_meta,
    sync_directory,
    write_atomically,
    write_meta,
)
from tidal.dnc.const import (
    AREA_CODE_SPACE,
    BITMAP_BYTES,
    LOCAL_NUMBERS,
    MAX_STORED_ERRORS,
    MIN_AREA_CODE,
)

ProgressCallback = Callable[[int, int], None]

_CHUNK_BYTES: Final = 8 << 20  # read size; about 700,000 full-list lines
_PENDING_LIMIT: Final = 16 << 20  # full-list numbers held unfolded (4 bytes each)
_SMALL_FOLD: Final = 1 << 16  # below this many numbers, set bits in place
_FLAGS: Final = {"a": True, "add": True, "d": False, "delete": False}
_QUOTES: Final = "\"'"
_BOM: Final = b"\xef\xbb\xbf"
_LOCK_FILE: Final = ".import.lock"
_MAX_TEXT: Final = 200  # characters of a bad line kept in its error
_BIT = (1 << np.arange(8)).astype(np.uint8)


@dataclass(frozen=True, slots=True)
class _Shape:
    """An exact full-list line layout: byte columns of the digits and of the literals."""

    width: int
    area: NDArray[np.intp]
    local: NDArray[np.intp]
    literal_columns: NDArray[np.intp]
    literal_bytes: NDArray[np.uint8]

    @classmethod
    def of(cls, template: str) -> _Shape:
        """`A` marks an area-code digit, `L` a local digit, anything else itself."""
        columns = np.arange(len(template))
        codes = np.frombuffer(template.encode("ascii"), dtype=np.uint8)
        area = np.array([c == "A" for c in template])
        local = np.array([c == "L" for c in template])
        literal = ~(area | local)
        return cls(len(template), columns[area], columns[local], columns[literal], codes[literal])


_SHAPES: Final = tuple(
    _Shape.of(template)
    for template in ("AAA,LLLLLLL", "AAALLLLLLL", '"AAA","LLLLLLL"', '"AAALLLLLLL"')
)


class RegistryImportError(DncError):
    """The path to import cannot be read as registry files (missing, not a zip)."""


class ListKind(StrEnum):
    """What a registry file holds, decided by its first data line."""

    FULL = "full"
    CHANGE = "change"


@dataclass(frozen=True, slots=True)
class LineError:
    """A registry line that was skipped, and why (the rest of its file still loads)."""

    file: str  # path inside the import; `archive.zip:member.txt` for a zip member
    line: int  # 1-based line number in that file
    text: str
    message: str

    def as_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"file": self.file, "line": self.line, "text": self.text, "message": self.message}

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}: {self.text!r}"


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import loaded, for the CLI's summary and `--json`."""

    files: int
    lines: int  # records read: non-blank lines but a skipped header
    numbers_added: int  # numbers set by full lists, plus numbers whose last change is an add
    numbers_deleted: int  # numbers whose last change is a delete
    area_codes: list[int]  # area codes whose bitmap was written (or removed)
    errors: list[LineError]  # the first MAX_STORED_ERRORS bad lines
    error_count: int  # all bad lines
    whole_registry: bool = False
    full_lists: list[str] = field(default_factory=list)
    change_lists: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "files": self.files,
            "lines": self.lines,
            "numbers_added": self.numbers_added,
            "numbers_deleted": self.numbers_deleted,
            "area_codes": list(self.area_codes),
            "errors": [error.as_json() for error in self.errors],
            "error_count": self.error_count,
            "whole_registry": self.whole_registry,
            "full_lists": list(self.full_lists),
            "change_lists": list(self.change_lists),
        }


def import_registry(
    registry: Registry,
    path: Path,
    *,
    now: datetime,
    progress: ProgressCallback | None = None,
    whole_registry: bool = False,
) -> ImportReport:
    """Load registry downloads so dials and scrubs answer from the newest data.

    `path` is a file, a `.zip` (every member; nested zips too) or a folder of them
    (recursively); hidden files and `__MACOSX` entries are skipped. Files are read
    in sorted order and applied in this order:
    1. full lists, all together: every area code that appears in any of them is
       replaced by the union of its numbers across them (so a list split over
       several files loads whole), and its `refreshed_at` becomes `now`;
    2. change lists, sorted by name (registry change files are named by date):
       adds set numbers, deletes clear them; the last change of a number wins.
       They do not refresh an area code.
    With `whole_registry=True` the full lists are the entire national registry: an
    area code with no number in them is emptied, and every area code counts as
    refreshed at `now` (`Registry.refreshed_at` falls back to that time).

    Each area code's bitmap is replaced atomically, then `meta.json`: a crash leaves
    every area code either old or new. `progress(done_bytes, total_bytes)` is called
    as the files are read.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    now = now.astimezone(UTC)
    path = Path(path)
    with ExitStack() as stack:
        sources = _sources(path, stack)
        total = sum(source.size for source in sources)
        reader = _Reader(total, progress)
        for source in sources:
            reader.read(source)
    try:
        with _import_lock(registry.root):
            registry.reload()  # see what another import may have written meanwhile
            return _apply(registry, reader, now, whole_registry=whole_registry)
    finally:
        registry.reload()


@contextmanager
def _import_lock(root: Path) -> Iterator[None]:
    """One import at a time writes a registry directory (a second one waits)."""
    with (root / _LOCK_FILE).open("a") as handle:
        try:
            import fcntl
        except ImportError:  # not POSIX: imports are not serialised
            yield
            return
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# -- sources ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Source:
    """One file to read: its name in reports, its size, and how to open it."""

    name: str
    size: int
    open: Callable[[], IO[bytes]]


def _hidden(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return any(part.startswith(".") or part == "__MACOSX" for part in parts if part)


def _sources(path: Path, stack: ExitStack) -> list[_Source]:
    """The files under `path`, zip members expanded, in sorted order."""
    if path.is_dir():
        sources: list[_Source] = []
        files = sorted(p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file())
        for name in files:
            if not _hidden(name):
                sources.extend(_file_sources(path / name, name, stack))
        return sources
    if path.is_file():
        return _file_sources(path, path.name, stack)
    raise RegistryImportError(f"{path}: no such file or folder")


def _file_sources(path: Path, name: str, stack: ExitStack) -> list[_Source]:
    if path.suffix.lower() == ".zip":
        try:
            archive = stack.enter_context(zipfile.ZipFile(path))
        except (zipfile.BadZipFile, OSError) as error:
            raise RegistryImportError(f"{name}: not a readable zip archive ({error})") from error
        return _zip_sources(archive, name, stack)
    return [_Source(name, path.stat().st_size, partial(_open_binary, path))]


def _open_binary(path: Path) -> IO[bytes]:
    return path.open("rb")


def _zip_sources(archive: zipfile.ZipFile, prefix: str, stack: ExitStack) -> list[_Source]:
    sources: list[_Source] = []
    for info in sorted(archive.infolist(), key=lambda member: member.filename):
        if info.is_dir() or _hidden(info.filename):
            continue
        name = f"{prefix}:{info.filename}"
        if info.filename.lower().endswith(".zip"):
            try:
                inner = stack.enter_context(zipfile.ZipFile(io.BytesIO(archive.read(info))))
            except zipfile.BadZipFile as error:
                raise RegistryImportError(f"{name}: not a readable zip archive") from error
            sources.extend(_zip_sources(inner, name, stack))
        else:
            sources.append(_Source(name, info.file_size, partial(archive.open, info)))
    return sources


def _chunks(stream: IO[bytes]) -> Iterator[bytes]:
    """The stream in pieces of whole lines (each ending with a newline), BOM removed."""
    remainder = b""
    first = True
    while chunk := stream.read(_CHUNK_BYTES):
        data = remainder + chunk
        if first and data.startswith(_BOM):
            data = data[len(_BOM) :]
        first = False
        cut = data.rfind(b"\n") + 1
        remainder = data[cut:]
        if cut:
            yield data[:cut]
    if remainder:
        yield remainder + b"\n"


# -- parsing ------------------------------------------------------------------------


@dataclass(slots=True)
class _FileState:
    """Where the reader is in one file and what it learnt from its first data line."""

    name: str
    kind: ListKind | None = None
    flag_field: int = 0  # index of the flag among the fields after the number
    line: int = 0  # lines consumed so far
    full_numbers: list[int] = field(default_factory=list)  # slow-path lines of a chunk
    change_numbers: list[int] = field(default_factory=list)  # change lines of a chunk
    change_adds: list[bool] = field(default_factory=list)
    change_chunks: list[tuple[NDArray[np.int64], NDArray[np.bool_]]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _ChangeList:
    name: str
    numbers: NDArray[np.int64]
    adds: NDArray[np.bool_]


class _Reader:
    """Reads every file of an import: full lists into bitmaps, change lists kept in order."""

    def __init__(self, total_bytes: int, progress: ProgressCallback | None) -> None:
        self.full = _FullLists()
        self.changes: list[_ChangeList] = []
        self.full_names: list[str] = []
        self.errors: list[LineError] = []
        self.error_count = 0
        self.lines = 0
        self.files = 0
        self._done = 0
        self._total = total_bytes
        self._progress = progress
        if progress is not None:
            progress(0, total_bytes)

    def read(self, source: _Source) -> None:
        """Parse one file."""
        state = _FileState(source.name)
        files_done = self._done
        try:
            with source.open() as stream:
                for chunk in _chunks(stream):
                    self._lines(state, chunk)
                    self._advance(min(self._done + len(chunk), files_done + source.size))
        except (zipfile.BadZipFile, zlib.error, EOFError) as error:
            raise RegistryImportError(f"{source.name}: damaged archive member ({error})") from error
        self._advance(files_done + source.size)
        self.files += 1
        if state.kind is ListKind.CHANGE:
            self.changes.append(
                _ChangeList(
                    state.name,
                    np.concatenate([numbers for numbers, _ in state.change_chunks]),
                    np.concatenate([adds for _, adds in state.change_chunks]),
                )
            )
        elif state.kind is ListKind.FULL:
            self.full_names.append(state.name)

    def _advance(self, done: int) -> None:
        self._done = done
        if self._progress is not None:
            self._progress(done, self._total)

    def _lines(self, state: _FileState, chunk: bytes) -> None:
        """Parse a chunk of whole lines."""
        data = np.frombuffer(chunk, dtype=np.uint8)
        ends = np.flatnonzero(data == ord("\n"))
        starts = np.empty_like(ends)
        starts[0] = 0
        starts[1:] = ends[:-1] + 1
        first_line = state.line + 1
        state.line += len(ends)
        index = 0
        while state.kind is None and index < len(ends):
            raw = chunk[starts[index] : ends[index]]
            self._slow_line(state, first_line + index, raw)
            index += 1
        if state.kind is ListKind.FULL:
            undecided = self._fast_full(data, starts[index:], ends[index:]) + index
        else:
            undecided = np.arange(index, len(ends))
        if len(undecided) > len(ends) // 8:  # many: splitting the chunk once is cheaper
            lines = chunk.split(b"\n")
            for position in undecided.tolist():
                self._slow_line(state, first_line + position, lines[position])
        else:
            for position in undecided.tolist():
                raw = chunk[starts[position] : ends[position]]
                self._slow_line(state, first_line + position, raw)
        if state.change_numbers:
            state.change_chunks.append(
                (
                    np.array(state.change_numbers, dtype=np.int64),
                    np.array(state.change_adds, dtype=np.bool_),
                )
            )
            state.change_numbers.clear()
            state.change_adds.clear()
        if state.full_numbers:
            numbers = np.array(state.full_numbers, dtype=np.int64)
            state.full_numbers.clear()
            self.full.add(
                (numbers // LOCAL_NUMBERS).astype(np.int32),
                (numbers % LOCAL_NUMBERS).astype(np.int32),
            )

    def _fast_full(
        self, data: NDArray[np.uint8], starts: NDArray[np.intp], ends: NDArray[np.intp]
    ) -> NDArray[np.intp]:
        """Load the lines in the exact shapes; return the positions of the others."""
        stops = ends.copy()
        carriage = (ends > starts) & (data[ends - 1] == ord("\r"))
        stops[carriage] -= 1
        lengths = stops - starts
        loaded = np.zeros(len(starts), dtype=np.bool_)
        grid = _grid(data, starts, ends)
        for shape in _SHAPES:
            if grid is not None and (lengths == shape.width).all():
                rows = np.arange(len(starts))
                matrix = grid[:, : shape.width]  # a view: no copy of the chunk
            else:
                rows = np.flatnonzero(lengths == shape.width)
                if len(rows) == 0:
                    continue
                matrix = data[starts[rows][:, None] + np.arange(shape.width)]
            shaped = (matrix[:, shape.literal_columns] == shape.literal_bytes).all(axis=1)
            npa = np.zeros(len(rows), dtype=np.int32)
            local = np.zeros(len(rows), dtype=np.int32)
            for target, columns in ((npa, shape.area), (local, shape.local)):
                for column in columns.tolist():
                    digit = matrix[:, column] - np.uint8(ord("0"))
                    shaped &= digit < 10
                    target *= 10
                    target += digit
            good = shaped & (npa >= MIN_AREA_CODE)
            self.full.add(npa[good], local[good])
            loaded[rows[good]] = True
        self.lines += int(np.count_nonzero(loaded))
        return np.flatnonzero(~loaded)

    def _slow_line(self, state: _FileState, line_number: int, raw: bytes) -> None:
        """Parse one line the general way; the single source of error messages."""
        text = raw.decode("latin-1").strip()
        if not text:
            return
        parsed = _parse_record(text)
        if isinstance(parsed, str):
            if line_number == 1 and any(c.isalpha() for c in text):
                return  # a header
            self.lines += 1
            self._error(state, line_number, raw, parsed)
            return
        self.lines += 1
        number, extra = parsed
        if state.kind is None:
            if not extra:
                state.kind = ListKind.FULL
            else:
                flags = [i for i, value in enumerate(extra) if value.lower() in _FLAGS]
                if not flags:
                    message = "no add/delete flag (A, D, add, delete) after the number"
                    self._error(state, line_number, raw, message)
                    return
                state.kind, state.flag_field = ListKind.CHANGE, flags[0]
        if state.kind is ListKind.FULL:
            if extra:
                message = "unexpected fields after the number in a full list"
                self._error(state, line_number, raw, message)
                return
            state.full_numbers.append(number)
            return
        if len(extra) <= state.flag_field:
            where = state.flag_field + 1
            message = f"missing add/delete flag (field {where} after the number)"
            self._error(state, line_number, raw, message)
            return
        flag = extra[state.flag_field]
        add = _FLAGS.get(flag.lower())
        if add is None:
            message = f"unknown add/delete flag {flag!r} (expected A, D, add or delete)"
            self._error(state, line_number, raw, message)
            return
        state.change_numbers.append(number)
        state.change_adds.append(add)

    def _error(self, state: _FileState, line_number: int, raw: bytes, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_STORED_ERRORS:
            text = raw.decode("utf-8", "replace").rstrip("\r\n")[:_MAX_TEXT]
            self.errors.append(LineError(state.name, line_number, text, message))


def _grid(
    data: NDArray[np.uint8], starts: NDArray[np.intp], ends: NDArray[np.intp]
) -> NDArray[np.uint8] | None:
    """The lines as rows of a matrix view when they all have the same length, else None."""
    if len(starts) == 0:
        return None
    base = int(starts[0])
    stride = int(ends[0]) - base + 1
    span = data[base : int(ends[-1]) + 1]
    if len(span) != stride * len(starts) or not (starts[1:] - starts[:-1] == stride).all():
        return None
    return span.reshape(len(starts), stride)


def _unquote(field_text: str) -> str:
    value = field_text.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in _QUOTES:
        value = value[1:-1].strip()
    return value


def _digits(value: str, count: int) -> bool:
    return len(value) == count and value.isascii() and value.isdigit()


def _parse_record(text: str) -> tuple[int, list[str]] | str:
    """(number, fields after it) of a stripped line, or what is wrong with it."""
    fields = [_unquote(part) for part in text.split(",")]
    if _digits(fields[0], 10):
        digits, extra = fields[0], fields[1:]
    elif len(fields) >= 2 and _digits(fields[0], 3) and _digits(fields[1], 7):
        digits, extra = fields[0] + fields[1], fields[2:]
    elif _digits(fields[0], len(fields[0])):
        return "wrong number of digits (expected AAA,NNNNNNN or ten digits)"
    else:
        return "not a number (expected AAA,NNNNNNN or ten digits)"
    area_code = int(digits[:3])
    if area_code < MIN_AREA_CODE:
        return f"area code {digits[:3]} is not valid (200-999)"
    return int(digits), extra


# -- bitmaps ------------------------------------------------------------------------


class _FullLists:
    """The full-list numbers of one import, folded into one bitmap per area code."""

    def __init__(self) -> None:
        self._bitmaps: dict[int, NDArray[np.uint8]] = {}
        self._pending: dict[int, list[NDArray[np.int32]]] = {}
        self._pending_count = 0

    def add(self, npa: NDArray[np.int32], local: NDArray[np.int32]) -> None:
        """Record numbers given as area codes and local numbers."""
        if len(npa) == 0:
            return
        if len(npa) > 1 and not (npa[1:] >= npa[:-1]).all():  # files are usually sorted
            order = np.argsort(npa.astype(np.uint16), kind="stable")
            npa, local = npa[order], local[order]
        cuts = (np.flatnonzero(npa[1:] != npa[:-1]) + 1).tolist()
        for start, stop in zip([0, *cuts], [*cuts, len(npa)], strict=True):
            self._pending.setdefault(int(npa[start]), []).append(local[start:stop])
            self._bitmaps.setdefault(int(npa[start]), np.zeros(BITMAP_BYTES, dtype=np.uint8))
        self._pending_count += len(npa)
        if self._pending_count > _PENDING_LIMIT:
            for code in list(self._pending):
                self._fold(code)

    def area_codes(self) -> list[int]:
        """Area codes that appear in the full lists."""
        return sorted(self._bitmaps)

    def bitmap(self, npa: int) -> NDArray[np.uint8]:
        """The complete bitmap of an area code (all pending numbers folded in)."""
        self._fold(npa)
        return self._bitmaps[npa]

    def _fold(self, npa: int) -> None:
        pending = self._pending.pop(npa, [])
        if not pending:
            return
        local = np.concatenate(pending)
        self._pending_count -= len(local)
        self._bitmaps[npa] = _set_bits(self._bitmaps[npa], local, np.empty(0, dtype=np.int32))


def _set_bits(
    bits: NDArray[np.uint8], adds: NDArray[np.int32], deletes: NDArray[np.int32]
) -> NDArray[np.uint8]:
    """A copy of `bits` with `adds` set and then `deletes` cleared."""
    if len(adds) + len(deletes) < _SMALL_FOLD:
        result = bits.copy()
        np.bitwise_or.at(result, adds >> 3, _BIT[adds & 7])
        np.bitwise_and.at(result, deletes >> 3, ~_BIT[deletes & 7])
        return result
    unpacked = np.unpackbits(bits, bitorder="little").view(np.bool_)
    unpacked[adds] = True
    unpacked[deletes] = False
    packed: NDArray[np.uint8] = np.packbits(unpacked, bitorder="little")
    return packed


def _popcount(bits: NDArray[np.uint8]) -> int:
    return int(np.bitwise_count(bits.view(np.uint64)).sum())


def _grouped_changes(
    changes: list[_ChangeList],
) -> dict[int, tuple[NDArray[np.int32], NDArray[np.int32]]]:
    """Per area code: the numbers added and deleted, the last change of each winning."""
    if not changes:
        return {}
    numbers = np.concatenate([change.numbers for change in changes])
    adds = np.concatenate([change.adds for change in changes])
    npa = (numbers // LOCAL_NUMBERS).astype(np.uint16)
    order = np.argsort(npa, kind="stable")  # keeps file and line order within an area code
    numbers, adds, npa = numbers[order], adds[order], npa[order]
    sizes = np.bincount(npa, minlength=AREA_CODE_SPACE)
    bounds = np.cumsum(sizes)
    grouped: dict[int, tuple[NDArray[np.int32], NDArray[np.int32]]] = {}
    for code in np.flatnonzero(sizes).tolist():
        start, stop = int(bounds[code] - sizes[code]), int(bounds[code])
        local = (numbers[start:stop] % LOCAL_NUMBERS).astype(np.int32)[::-1]
        last_first, first_index = np.unique(local, return_index=True)  # latest first
        final_add = adds[start:stop][::-1][first_index]
        grouped[code] = (last_first[final_add], last_first[~final_add])
    return grouped


def _apply(
    registry: Registry, reader: _Reader, now: datetime, *, whole_registry: bool
) -> ImportReport:
    """Write the new bitmaps (each atomically), then meta.json."""
    full_codes = set(reader.full.area_codes())
    changes = _grouped_changes(sorted(reader.changes, key=lambda change: change.name))
    touched = full_codes | set(changes)
    emptied = (
        [code for code in registry.area_codes() if code not in touched] if whole_registry else []
    )
    meta = read_meta(registry.root)
    entries = dict(meta.area_codes)
    added = deleted = 0
    for code in sorted(touched):
        entry = entries.get(code, AreaCodeMeta())
        if code in full_codes:
            bits = reader.full.bitmap(code)
            added += _popcount(bits)
            entry = replace(entry, refreshed_at=now)
        else:
            current = None if whole_registry else registry.bitmap(code)
            bits = np.zeros(BITMAP_BYTES, dtype=np.uint8) if current is None else current
        if code in changes:
            adds, deletes = changes[code]
            bits = _set_bits(bits, adds, deletes)
            added += len(adds)
            deleted += len(deletes)
            entry = replace(entry, changed_at=now)
        write_atomically(registry.path(code), bits)
        entries[code] = replace(entry, count=_popcount(bits))
    for code in emptied:
        os.unlink(registry.path(code))
        entries[code] = replace(entries.get(code, AreaCodeMeta()), count=0)
    sync_directory(registry.root)
    full_refreshed_at = now if whole_registry else meta.full_refreshed_at
    write_meta(registry.root, RegistryMeta(full_refreshed_at, entries))
    return ImportReport(
        files=reader.files,
        lines=reader.lines,
        numbers_added=added,
        numbers_deleted=deleted,
        area_codes=sorted(touched | set(emptied)),
        errors=reader.errors,
        error_count=reader.error_count,
        whole_registry=whole_registry,
        full_lists=reader.full_names,
        change_lists=sorted(change.name for change in reader.changes),
    )
