"""Importing registry downloads: formats, zips and folders, bad lines, freshness, atomicity."""

from __future__ import annotations

import io
import os
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

import tidal.dnc._import as import_module
from tidal.dnc import (
    ImportReport,
    LineError,
    Registry,
    RegistryImportError,
    import_registry,
    progress_bar,
)
from tidal.dnc._import import _parse_record, _Reader, _Source

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=3)


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _registry_folder(folder: Path) -> Path:
    """Full lists for 212 (with a header) and 305, a zipped folder of change lists."""
    _write(folder / "full-212.txt", "AreaCode,PhoneNumber\n212,5550100\n212,5550101\n2125550102\n")
    _write(folder / "full-305.txt", '"305","5550100"\n "3055550101" \n')
    with zipfile.ZipFile(folder / "changes.zip", "w") as archive:
        archive.writestr("2026-11/", "")
        archive.writestr(
            "2026-11/2026-11-20.txt",
            "212,5550101,2026-11-20 10:00:00,D\n"
            "212,5550103,2026-11-20 10:00:00,A\n"
            "21,555,2026-11-20,A\n"  # bad: wrong digit count
            "305,5550104,2026-11-20 10:00:00,add\n",
        )
        archive.writestr(
            "2026-11/2026-11-21.txt",
            "2125550103,delete\n2125550105,ADD\n2125550106,maybe\n3055550100,Delete\n",
        )
    return folder


def test_folder_with_full_lists_and_a_zipped_folder_of_change_lists(tmp_path: Path) -> None:
    registry = Registry(tmp_path / "registry")
    calls: list[tuple[int, int]] = []
    report = import_registry(
        registry,
        _registry_folder(tmp_path / "files"),
        now=NOW,
        progress=lambda done, total: calls.append((done, total)),
    )
    answers = {
        2125550100: True,  # full list
        2125550101: False,  # full list, deleted by a change list
        2125550102: True,  # ten-digit format
        2125550103: False,  # added on the 20th, deleted on the 21st: the last change wins
        2125550105: True,  # added by a change list (`ADD`)
        2125550106: False,  # its flag is unknown: a bad line
        3055550100: False,  # quoted full list, deleted (`Delete`)
        3055550101: True,  # spaces around a ten-digit number
        3055550104: True,  # added (`add`)
        4155550100: False,  # never loaded
    }
    for number, registered in answers.items():
        assert registry.contains(number) is registered, number
    numbers = np.array(list(answers))
    assert registry.contains_many(numbers).tolist() == list(answers.values())
    assert report.files == 4
    assert report.lines == 13  # the header is not a record
    assert report.numbers_added == 5 + 2  # five from full lists, then 3055550104, 2125550105
    assert report.numbers_deleted == 3  # 5550101, 5550103 (last change), 3055550100
    assert report.area_codes == [212, 305]
    assert report.full_lists == ["full-212.txt", "full-305.txt"]
    assert report.change_lists == [
        "changes.zip:2026-11/2026-11-20.txt",
        "changes.zip:2026-11/2026-11-21.txt",
    ]
    assert report.error_count == 2
    assert report.errors == [
        LineError(
            "changes.zip:2026-11/2026-11-20.txt",
            3,
            "21,555,2026-11-20,A",
            "wrong number of digits (expected AAA,NNNNNNN or ten digits)",
        ),
        LineError(
            "changes.zip:2026-11/2026-11-21.txt",
            3,
            "2125550106,maybe",
            "unknown add/delete flag 'maybe' (expected A, D, add or delete)",
        ),
    ]
    assert calls[0] == (0, calls[0][1]) and calls[-1] == (calls[-1][1], calls[-1][1])
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert registry.count(212) == 3 and registry.count(305) == 2
    meta = registry.meta().area_codes
    assert (meta[212].count, meta[305].count) == (3, 2)


def test_full_lists_refresh_their_area_codes_and_change_lists_do_not(tmp_path: Path) -> None:
    registry = Registry(tmp_path / "registry")
    import_registry(registry, _write(tmp_path / "full.txt", "212,5550100\n"), now=NOW)
    changes = _write(tmp_path / "changes.txt", "212,5550101,A\n305,5550101,A\n")
    import_registry(registry, changes, now=LATER)
    assert registry.refreshed_at(212) == NOW
    assert registry.refreshed_at(305) is None  # numbers, but never a full download
    assert registry.contains(3055550101)
    assert registry.meta().area_codes[305].changed_at == LATER
    assert registry.meta().full_refreshed_at is None
    import_registry(registry, _write(tmp_path / "again.txt", "2125550199\n"), now=LATER)
    assert registry.refreshed_at(212) == LATER
    # A full list replaces its area code: the earlier numbers are gone.
    assert not registry.contains(2125550100) and not registry.contains(2125550101)
    assert registry.contains(2125550199)
    assert registry.contains(3055550101)  # other area codes untouched


def test_full_lists_apply_before_change_lists_whatever_their_names(tmp_path: Path) -> None:
    folder = tmp_path / "files"
    _write(folder / "a-changes.txt", "212,5550100,D\n212,5550102,A\n")
    _write(folder / "b-full.txt", "212,5550100\n212,5550101\n")
    _write(folder / "c-full-part2.txt", "212,5550103\n")  # same area code: lists are merged
    _write(folder / ".hidden.txt", "212,5550104\n")
    registry = Registry(tmp_path / "registry")
    report = import_registry(registry, folder, now=NOW)
    assert report.files == 3
    got = registry.contains_many(2125550100 + np.arange(5)).tolist()
    assert got == [False, True, True, True, False]


def test_whole_registry_full_list_with_several_area_codes(tmp_path: Path) -> None:
    npas = [201, 212, 305, 415, 808, 989]
    numbers = [npa * 10**7 + local for npa in npas for local in (2000000, 5550123, 9999999)]
    lines = "\r\n".join(f"{n}" for n in numbers) + "\r\n"  # CRLF line ends
    path = _write(tmp_path / "national.txt", lines)
    registry = Registry(tmp_path / "registry")
    report = import_registry(registry, path, now=NOW, whole_registry=True)
    assert report.area_codes == npas and report.numbers_added == len(numbers)
    assert registry.contains_many(np.array(numbers)).all()
    assert not registry.contains_many(np.array(numbers) + 1).any()
    assert all(registry.refreshed_at(npa) == NOW for npa in [*npas, 202, 999])


def test_zip_of_zips_and_a_zip_given_directly(tmp_path: Path) -> None:
    inner = tmp_path / "inner.zip"
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("deep/212.txt", "212,5550100\n")
    outer = tmp_path / "outer.zip"
    with zipfile.ZipFile(outer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.write(inner, "nested/inner.zip")
        archive.writestr("305.txt", "305,5550100\n305,55501\n")
        archive.writestr("__MACOSX/._305.txt", "junk")
    registry = Registry(tmp_path / "registry")
    report = import_registry(registry, outer, now=NOW)
    assert registry.contains(2125550100) and registry.contains(3055550100)
    assert report.full_lists == ["outer.zip:305.txt", "outer.zip:nested/inner.zip:deep/212.txt"]
    assert [(e.file, e.line) for e in report.errors] == [("outer.zip:305.txt", 2)]


def test_bad_lines_are_reported_with_file_and_line_and_the_rest_loads(tmp_path: Path) -> None:
    text = "\n".join(
        [
            "212,5550100",
            "212,555010",  # 1: six digits
            "12,5550100",  # 2: two-digit area code
            "199,5550100",  # 3: area code below 200
            "21255501000",  # 4: eleven digits
            "212-555-0100",  # 5: not the registry format
            "phone,number",  # 6: letters, but not the first line
            "212,5550101,A",  # 7: a flag in a full list
            "",  # blank: skipped silently
            "２１２5550102",  # 8: non-ASCII digits
            "212,5550103",
        ]
    )
    path = _write(tmp_path / "full.txt", text)  # no newline at the end
    registry = Registry(tmp_path / "registry")
    report = import_registry(registry, path, now=NOW)
    assert [e.line for e in report.errors] == [2, 3, 4, 5, 6, 7, 8, 10]
    assert {e.file for e in report.errors} == {"full.txt"}
    messages = [e.message for e in report.errors]
    assert messages[2] == "area code 199 is not valid (200-999)"
    assert messages[4].startswith("not a number")
    assert messages[6] == "unexpected fields after the number in a full list"
    assert report.errors[7].text == "２１２5550102"
    assert registry.contains(2125550100) and registry.contains(2125550103)
    assert report.lines == 10 and report.numbers_added == 2
    assert report.as_json()["errors"][0] == {
        "file": "full.txt",
        "line": 2,
        "text": "212,555010",
        "message": "wrong number of digits (expected AAA,NNNNNNN or ten digits)",
    }


def test_change_list_lines_without_a_flag(tmp_path: Path) -> None:
    text = (
        "Area,Number,When,Action\n212,5550100,x\n212,5550101,x,A\n212,5550102\n"
        "212,5550103,y\n212,5550104,y,Q\n212,5550105,y,d\n"
    )
    registry = Registry(tmp_path / "registry")
    report = import_registry(registry, _write(tmp_path / "c.txt", text), now=NOW)
    # Line 2 has extra fields but no flag: bad, and the next line decides the format.
    assert [(e.line, e.message) for e in report.errors] == [
        (2, "no add/delete flag (A, D, add, delete) after the number"),
        (4, "missing add/delete flag (field 2 after the number)"),
        (5, "missing add/delete flag (field 2 after the number)"),
        (6, "unknown add/delete flag 'Q' (expected A, D, add or delete)"),
    ]
    assert registry.contains(2125550101) and report.change_lists == ["c.txt"]


def test_errors_are_capped_but_all_counted(tmp_path: Path) -> None:
    path = _write(tmp_path / "bad.txt", "212,5550100\n" + "junk\n" * 1500)
    report = import_registry(Registry(tmp_path / "registry"), path, now=NOW)
    assert report.error_count == 1500 and len(report.errors) == 1000
    assert report.errors[-1].line == 1001


def test_small_reads_and_folds_give_the_same_bitmaps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = np.random.default_rng(3)
    numbers = rng.choice([212, 305, 415], 30000) * 10**7 + rng.integers(0, 10**7, 30000)
    body = "".join(
        f"{n // 10**7},{n % 10**7:07d}\n" if i % 3 else f"{n}\r\n"
        for i, n in enumerate(numbers.tolist())
    )
    path = _write(tmp_path / "full.txt", "\ufeff" + body)  # with a byte-order mark
    plain = Registry(tmp_path / "plain")
    import_registry(plain, path, now=NOW)
    monkeypatch.setattr(import_module, "_CHUNK_BYTES", 1000)
    monkeypatch.setattr(import_module, "_PENDING_LIMIT", 5000)
    monkeypatch.setattr(import_module, "_SMALL_FOLD", 100)
    small = Registry(tmp_path / "small")
    report = import_registry(small, path, now=NOW)
    assert report.error_count == 0 and report.lines == len(numbers)
    for npa in (212, 305, 415):
        assert (np.asarray(small.bitmap(npa)) == np.asarray(plain.bitmap(npa))).all()
    assert small.contains_many(numbers).all()
    assert small.count(212) + small.count(305) + small.count(415) == len(np.unique(numbers))


def test_a_crash_mid_import_leaves_each_area_code_old_or_new(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry = Registry(tmp_path / "registry")
    old = _write(tmp_path / "old.txt", "212,5550100\n305,5550100\n415,5550100\n")
    import_registry(registry, old, now=NOW)
    new = _write(tmp_path / "new.txt", "212,5550199\n305,5550199\n415,5550199\n")
    real_replace = os.replace
    calls: list[str] = []

    def crash_after_first(source: str | Path, target: str | Path) -> None:
        calls.append(str(target))
        if len(calls) > 1:
            raise OSError("disk unplugged")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", crash_after_first)
    with pytest.raises(OSError, match="disk unplugged"):
        import_registry(registry, new, now=LATER)
    monkeypatch.setattr(os, "replace", real_replace)
    for reader in (registry, Registry(tmp_path / "registry")):
        assert reader.contains(2125550199) and not reader.contains(2125550100)  # new
        assert reader.contains(3055550100) and not reader.contains(3055550199)  # old
        assert reader.contains(4155550100) and not reader.contains(4155550199)  # old
        assert reader.refreshed_at(305) == NOW  # meta.json is written last: still old
        assert reader.area_codes() == [212, 305, 415]
    assert not list((tmp_path / "registry").glob("*.tmp"))
    report = import_registry(registry, new, now=LATER)  # and the next import completes
    assert report.area_codes == [212, 305, 415] and registry.contains(4155550199)
    assert registry.refreshed_at(415) == LATER


def test_unreadable_inputs_are_named(tmp_path: Path) -> None:
    registry = Registry(tmp_path / "registry")
    with pytest.raises(RegistryImportError, match="missing: no such file"):
        import_registry(registry, tmp_path / "missing", now=NOW)
    broken = _write(tmp_path / "broken.zip", "not a zip")
    with pytest.raises(RegistryImportError, match=r"broken\.zip: not a readable zip"):
        import_registry(registry, broken, now=NOW)
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(damaged, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("full.txt", "212,5550100\n" * 1000)
    data = bytearray(damaged.read_bytes())
    data[60:70] = b"\xff" * 10  # inside the compressed member
    damaged.write_bytes(bytes(data))
    with pytest.raises(RegistryImportError, match=r"damaged\.zip:full\.txt: damaged"):
        import_registry(registry, damaged, now=NOW)
    assert registry.area_codes() == []
    with pytest.raises(ValueError, match="timezone"):
        import_registry(registry, broken, now=datetime(2026, 1, 1))


def test_empty_file_loads_nothing(tmp_path: Path) -> None:
    registry = Registry(tmp_path / "registry")
    report = import_registry(registry, _write(tmp_path / "empty.txt", ""), now=NOW)
    assert report == ImportReport(1, 0, 0, 0, [], [], 0)
    assert registry.area_codes() == []


_DIGIT = st.sampled_from("0123456789")
_NOISE = st.sampled_from(['"', "'", " ", ",", "\t", "a", "-", "1", "2", "0", "9"])


@settings(max_examples=300, deadline=None)
@given(
    lines=st.lists(
        st.one_of(
            st.tuples(st.integers(200, 999), st.integers(0, 9999999)).map(
                lambda t: f"{t[0]},{t[1]:07d}"
            ),
            st.integers(2000000000, 9999999999).map(str),
            st.integers(0, 9999999999).map(lambda n: f'"{n:010d}"'),
            st.tuples(st.integers(0, 999), st.integers(0, 9999999)).map(
                lambda t: f'"{t[0]:03d}","{t[1]:07d}"'
            ),
            st.text(_NOISE, max_size=14),
            st.lists(_DIGIT, min_size=9, max_size=12).map("".join),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_the_byte_matrix_and_the_line_parser_accept_the_same_lines(lines: list[str]) -> None:
    data = ("2125550000\n" + "\n".join(lines) + "\n").encode()
    reader = _Reader(len(data), None)
    reader.read(_Source("full.txt", len(data), lambda: io.BytesIO(data)))
    expected: set[int] = {2125550000}
    bad = 0
    for line in lines:
        parsed = _parse_record(line.strip()) if line.strip() else None
        if parsed is None:
            continue
        if isinstance(parsed, str) or parsed[1]:
            bad += 1
        else:
            expected.add(parsed[0])
    assert reader.error_count == bad
    bitmaps = {npa: reader.full.bitmap(npa) for npa in reader.full.area_codes()}
    assert sum(int(np.bitwise_count(bits).sum()) for bits in bitmaps.values()) == len(expected)
    for number in expected:
        local = number % 10**7
        assert bitmaps[number // 10**7][local >> 3] >> (local & 7) & 1


def test_progress_bar_draws_on_the_given_console(tmp_path: Path) -> None:
    console = Console(file=io.StringIO(), force_terminal=True, width=100)
    path = _write(tmp_path / "full.txt", "212,5550100\n")
    with progress_bar("registry", console=console) as progress:
        import_registry(Registry(tmp_path / "registry"), path, now=NOW, progress=progress)
    assert "registry" in console.file.getvalue()  # type: ignore[attr-defined]
