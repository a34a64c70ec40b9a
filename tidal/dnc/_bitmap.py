"""The registry store: one memory-mapped bitmap of 10**7 bits per area code, and meta.json.

`NPA.bits` holds 1,250,000 bytes; the bit of local number L (the last seven digits)
is bit `L & 7` of byte `L >> 3`, least significant first, and is set when the
number is registered. A missing file means no registered number in that area code.
`meta.json` records when each area code was last loaded from a full download.

Files are only ever replaced whole (written beside, fsynced, renamed over), so a
reader sees each area code either as it was or as it is, never half written, and a
process that still maps the old file keeps reading the old data.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from tidal.dnc.const import (
    AREA_CODE_SPACE,
    BITMAP_BYTES,
    BITMAP_SUFFIX,
    LOCAL_NUMBERS,
    META_FILE,
    META_FORMAT,
)

_LOOKUP_BLOCK = 1 << 17  # numbers per batch-lookup pass: temporaries stay in cache
_BITMAP_NAME = re.compile(r"(\d{3})" + re.escape(BITMAP_SUFFIX))


class DncError(Exception):
    """Base of the errors raised by `tidal.dnc`, so callers can catch them as one."""


class RegistryError(DncError):
    """A file in the registry directory is not what the store wrote (truncated, edited)."""


@dataclass(frozen=True, slots=True)
class AreaCodeMeta:
    """What `meta.json` says about one area code."""

    refreshed_at: datetime | None = None  # newest full download loaded
    changed_at: datetime | None = None  # newest change list applied
    count: int = 0  # registered numbers after the last import that touched it


@dataclass(frozen=True, slots=True)
class RegistryMeta:
    """The contents of `meta.json`: per-area-code freshness and counts."""

    full_refreshed_at: datetime | None = None  # newest import of the whole registry
    area_codes: Mapping[int, AreaCodeMeta] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The JSON written to `meta.json` (times in ISO 8601, UTC)."""
        return {
            "format": META_FORMAT,
            "full_refreshed_at": _iso(self.full_refreshed_at),
            "area_codes": {
                f"{npa:03d}": {
                    "refreshed_at": _iso(entry.refreshed_at),
                    "changed_at": _iso(entry.changed_at),
                    "count": entry.count,
                }
                for npa, entry in sorted(self.area_codes.items())
            },
        }

    @classmethod
    def from_json(cls, data: Any, source: str) -> RegistryMeta:
        """Read what `as_json` wrote; a malformed file is a `RegistryError` naming it."""
        try:
            entries = {
                int(key): AreaCodeMeta(
                    _parse_time(value.get("refreshed_at")),
                    _parse_time(value.get("changed_at")),
                    int(value.get("count", 0)),
                )
                for key, value in data.get("area_codes", {}).items()
            }
            return cls(_parse_time(data.get("full_refreshed_at")), entries)
        except (AttributeError, TypeError, ValueError) as error:
            raise RegistryError(f"{source}: not a registry meta file ({error})") from error


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat()


def _parse_time(text: object) -> datetime | None:
    if text is None:
        return None
    if not isinstance(text, str):
        raise TypeError(f"expected an ISO 8601 time, got {text!r}")
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"time without a UTC offset: {text!r}")
    return moment.astimezone(UTC)


class Registry:
    """The national Do-Not-Call registry on disk, answering per dial and per batch.

    Bitmaps are memory-mapped read-only on first use and cached per area code, so a
    lookup costs no file access; `reload()` drops the cache after another process
    has imported (an import through `import_registry` reloads by itself).
    """

    __slots__ = ("_bitmaps", "_counts", "_meta", "_root", "_views")

    def __init__(self, root: Path) -> None:
        self._root = Path(root)
        self._root.mkdir(parents=True, exist_ok=True)
        self._bitmaps: dict[int, NDArray[np.uint8] | None] = {}
        self._views: dict[int, memoryview | None] = {}
        self._counts: dict[int, int] = {}
        self._meta: RegistryMeta | None = None

    @property
    def root(self) -> Path:
        """The directory holding the bitmaps and `meta.json`."""
        return self._root

    def contains(self, number: int) -> bool:
        """Whether the 10-digit number is registered (the compliance gate's per-dial question)."""
        npa, local = divmod(number, LOCAL_NUMBERS)
        try:
            view = self._views[npa]
        except KeyError:
            view = self._view(npa)
        if view is None:
            return False
        return bool(view[local >> 3] & (1 << (local & 7)))

    def contains_many(self, numbers: ArrayLike) -> NDArray[np.bool_]:
        """Registered or not, for a whole array of 10-digit numbers (scrubbing a lead list).

        Numbers that are not 10-digit NANP numbers, or whose area code has no
        bitmap, are not registered. Works through cache-sized blocks.
        """
        flat = np.asarray(numbers, dtype=np.int64)
        found = np.zeros(flat.shape, dtype=np.bool_)
        flat, found_flat = flat.reshape(-1), found.reshape(-1)
        for start in range(0, len(flat), _LOOKUP_BLOCK):
            stop = start + _LOOKUP_BLOCK
            found_flat[start:stop] = self._contains_block(flat[start:stop])
        return found

    def _contains_block(self, numbers: NDArray[np.int64]) -> NDArray[np.bool_]:
        """`contains_many` for one block: radix-sort by area code, one gather per area code.

        Each area code's numbers are contiguous after the sort, so their bytes come
        from its bitmap in one `take`; the bits are then picked out all at once.
        """
        npa = numbers // LOCAL_NUMBERS
        local = (numbers - npa * LOCAL_NUMBERS).astype(np.int32)
        outside = (npa < 0) | (npa >= AREA_CODE_SPACE)
        if outside.any():
            npa[outside] = 0  # area code 000 never has a bitmap
        codes = npa.astype(np.uint16)
        sizes = np.bincount(codes, minlength=AREA_CODE_SPACE)
        present = [int(code) for code in np.flatnonzero(sizes)]
        bitmaps = {code: bits for code in present if (bits := self._bitmap(code)) is not None}
        if not bitmaps:
            return np.zeros(len(numbers), dtype=np.bool_)
        order: NDArray[np.intp] | None = None
        if len(present) > 1:
            order = np.argsort(codes, kind="stable")  # radix sort for 16-bit keys
            local = local[order]
        bounds = np.cumsum(sizes)
        picked = np.zeros(len(numbers), dtype=np.uint8)
        byte_index = local >> 3
        for code, bits in bitmaps.items():
            start, stop = int(bounds[code] - sizes[code]), int(bounds[code])
            np.take(bits, byte_index[start:stop], out=picked[start:stop], mode="clip")
        picked >>= (local & 7).astype(np.uint8)
        picked &= 1
        if order is None:
            return picked.view(np.bool_)
        found = np.empty(len(numbers), dtype=np.bool_)
        found[order] = picked.view(np.bool_)
        return found

    def refreshed_at(self, area_code: int) -> datetime | None:
        """When the area code's newest full download was loaded (UTC); None if never.

        A whole-registry import counts for every area code, listed in it or not.
        """
        meta = self.meta()
        entry = meta.area_codes.get(area_code)
        own = None if entry is None else entry.refreshed_at
        whole = meta.full_refreshed_at
        if own is None or whole is None:
            return own if whole is None else whole
        return max(own, whole)

    def area_codes(self) -> list[int]:
        """Area codes that have a bitmap (at least one number was loaded for them)."""
        return sorted(
            int(match.group(1))
            for path in self._root.iterdir()
            if (match := _BITMAP_NAME.fullmatch(path.name)) is not None
        )

    def count(self, area_code: int) -> int:
        """Registered numbers in an area code, counted from its bitmap."""
        if area_code not in self._counts:
            bits = self._bitmap(area_code)
            self._counts[area_code] = (
                0 if bits is None else int(np.bitwise_count(bits.view(np.uint64)).sum())
            )
        return self._counts[area_code]

    def size_bytes(self) -> int:
        """Bytes on disk (all of it mapped when every area code is in use)."""
        return sum(
            path.stat().st_size
            for path in self._root.iterdir()
            if path.name == META_FILE or _BITMAP_NAME.fullmatch(path.name)
        )

    def meta(self) -> RegistryMeta:
        """Freshness and counts per area code, as recorded by the last import."""
        if self._meta is None:
            self._meta = read_meta(self._root)
        return self._meta

    def bitmap(self, area_code: int) -> NDArray[np.uint8] | None:
        """The read-only mapped bitmap of an area code, or None when it has none."""
        return self._bitmap(area_code)

    def reload(self) -> None:
        """Forget the mapped files and meta, to see what another import wrote since."""
        self._bitmaps.clear()
        self._views.clear()
        self._counts.clear()
        self._meta = None

    def path(self, area_code: int) -> Path:
        """Where an area code's bitmap lives."""
        return self._root / f"{area_code:03d}{BITMAP_SUFFIX}"

    def _bitmap(self, npa: int) -> NDArray[np.uint8] | None:
        try:
            return self._bitmaps[npa]
        except KeyError:
            pass
        bits: NDArray[np.uint8] | None = None
        if 0 <= npa < AREA_CODE_SPACE:
            path = self.path(npa)
            try:
                size = path.stat().st_size
            except FileNotFoundError:
                size = -1
            if size >= 0:
                if size != BITMAP_BYTES:
                    raise RegistryError(f"{path}: {size} bytes, a bitmap has {BITMAP_BYTES}")
                bits = np.memmap(path, dtype=np.uint8, mode="r").view(np.ndarray)
            self._bitmaps[npa] = bits
        return bits

    def _view(self, npa: int) -> memoryview | None:
        bits = self._bitmap(npa)
        view = None if bits is None else bits.data
        if 0 <= npa < AREA_CODE_SPACE:
            self._views[npa] = view
        return view


def read_meta(root: Path) -> RegistryMeta:
    """The registry's `meta.json` (empty when nothing was imported yet)."""
    path = root / META_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return RegistryMeta()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise RegistryError(f"{path}: not valid JSON ({error})") from error
    return RegistryMeta.from_json(data, str(path))


def write_atomically(path: Path, data: bytes | NDArray[np.uint8]) -> None:
    """Replace `path` by `data` in one rename: readers see the old file or the new one."""
    temporary = path.with_name(path.name + ".tmp")
    try:
        with temporary.open("wb") as stream:
            stream.write(data if isinstance(data, bytes) else data.data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_meta(root: Path, meta: RegistryMeta) -> None:
    """Write `meta.json` atomically (after the bitmaps it describes)."""
    text = json.dumps(meta.as_json(), indent=1, sort_keys=True) + "\n"
    write_atomically(root / META_FILE, text.encode("utf-8"))
    sync_directory(root)


def sync_directory(root: Path) -> None:
    """Make the renames in `root` durable (a no-op where directories cannot be opened)."""
    try:
        descriptor = os.open(root, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
