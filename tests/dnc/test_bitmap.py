"""The registry store: bit lookups one at a time and in batches, freshness, files on disk."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from tidal.core.compliance import Compliance, Reason, RegistryView, WindowCheck
from tidal.dnc import Registry, RegistryError, import_registry
from tidal.dnc.const import BITMAP_BYTES

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def _load(
    registry: Registry, folder: Path, name: str, numbers: list[int], now: datetime = NOW
) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    lines = "".join(f"{n // 10**7:03d},{n % 10**7:07d}\n" for n in numbers)
    (folder / name).write_text(lines)
    import_registry(registry, folder / name, now=now)


def test_an_empty_registry_registers_nothing_and_is_never_fresh(tmp_path: Path) -> None:
    registry = Registry(tmp_path / "new")
    assert (tmp_path / "new").is_dir()
    assert not registry.contains(2125550123)
    assert not registry.contains_many(np.array([2125550123, 0, -1])).any()
    assert registry.refreshed_at(212) is None
    assert registry.area_codes() == []
    assert registry.count(212) == 0
    assert registry.size_bytes() == 0


def test_lookups_agree_with_a_set_one_at_a_time_and_in_batches(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    npas = np.array([201, 212, 305, 999])
    registered = np.unique(rng.choice(npas, 5000) * 10**7 + rng.integers(0, 10**7, 5000))
    registry = Registry(tmp_path / "registry")
    _load(registry, tmp_path / "files", "full.txt", registered.tolist())
    # Registered numbers, their neighbours, other area codes and junk values.
    queries = np.concatenate(
        [
            registered,
            registered + 1,
            registered - 1,
            rng.choice([212, 415, 100, 0], 3000) * 10**7 + rng.integers(0, 10**7, 3000),
            np.array([0, -1, -2125550123, 10**10, 2**62, 2120000000, 2129999999]),
        ]
    )
    expected = np.isin(queries, registered)
    assert (registry.contains_many(queries) == expected).all()
    assert [registry.contains(int(q)) for q in queries] == expected.tolist()
    grid = queries[:4000].reshape(40, 100)  # shape is kept
    assert (registry.contains_many(grid) == expected[:4000].reshape(40, 100)).all()
    assert registry.contains_many(np.array([], dtype=np.int64)).shape == (0,)
    single = registered[registered // 10**7 == 305]  # one area code: no sort
    assert registry.contains_many(single).all()
    assert registry.count(305) == len(single)
    assert registry.area_codes() == [201, 212, 305, 999]
    assert registry.size_bytes() >= 4 * BITMAP_BYTES


def test_bitmap_layout_is_one_bit_per_local_number_least_significant_first(
    tmp_path: Path,
) -> None:
    registry = Registry(tmp_path)
    _load(registry, tmp_path / "files", "full.txt", [2120000000, 2120000009, 2129999999])
    bits = np.fromfile(tmp_path / "212.bits", dtype=np.uint8)
    assert len(bits) == BITMAP_BYTES
    assert bits[0] == 0b1 and bits[1] == 0b10 and bits[-1] == 0b10000000
    assert np.count_nonzero(bits) == 3


def test_a_file_of_the_wrong_size_is_an_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "212.bits").write_bytes(b"\0" * 100)
    registry = Registry(tmp_path)
    with pytest.raises(RegistryError, match=r"212\.bits: 100 bytes"):
        registry.contains(2125550123)
    (tmp_path / "meta.json").write_text("{not json")
    with pytest.raises(RegistryError, match=r"meta\.json"):
        registry.refreshed_at(212)


def test_reload_sees_what_another_process_imported(tmp_path: Path) -> None:
    reader = Registry(tmp_path / "registry")
    assert not reader.contains(2125550123)
    writer = Registry(tmp_path / "registry")
    _load(writer, tmp_path / "files", "full.txt", [2125550123])
    assert writer.contains(2125550123)
    assert not reader.contains(2125550123)  # cached: no file access per lookup
    reader.reload()
    assert reader.contains(2125550123)
    assert reader.refreshed_at(212) == NOW


def test_whole_registry_import_makes_every_area_code_fresh(tmp_path: Path) -> None:
    registry = Registry(tmp_path / "registry")
    _load(registry, tmp_path / "old", "full-907.txt", [9075550100])
    later = NOW + timedelta(days=1)
    folder = tmp_path / "whole"
    folder.mkdir()
    (folder / "all.txt").write_text("212,5550100\n305,5550100\n")
    report = import_registry(registry, folder, now=later, whole_registry=True)
    assert report.whole_registry
    assert report.area_codes == [212, 305, 907]  # 907 emptied: not in the whole registry
    assert registry.refreshed_at(212) == later
    assert registry.refreshed_at(415) == later  # absent from the registry: fresh and empty
    assert registry.refreshed_at(907) == later
    assert not registry.contains(9075550100)
    assert registry.area_codes() == [212, 305]
    assert registry.meta().full_refreshed_at == later
    # A later full list of one area code: the newest of its own and the whole load wins.
    latest = later + timedelta(days=2)
    _load(registry, tmp_path / "again", "full-212.txt", [2125550199], now=latest)
    assert registry.refreshed_at(212) == latest
    assert registry.refreshed_at(305) == later


def test_the_compliance_gate_decides_on_the_store(tmp_path: Path) -> None:
    registry = Registry(tmp_path / "registry")
    _load(registry, tmp_path / "files", "full.txt", [2125550100])
    view: RegistryView = registry  # the structural protocol the gate calls
    no_windows: WindowCheck = None  # type: ignore[assignment]  # the DNC part never asks
    gate = Compliance(view, windows=no_windows)
    later = NOW + timedelta(days=1)
    assert gate.check_number("+1 (212) 555-0100", later).reasons == (Reason.REGISTRY,)
    assert gate.check_number("212-555-0101", later).allowed
    assert gate.check_number("415-555-0100", later).reasons == (Reason.REGISTRY_STALE,)
    too_late = NOW + timedelta(days=32)
    assert gate.check_number("212-555-0101", too_late).reasons == (Reason.REGISTRY_STALE,)
