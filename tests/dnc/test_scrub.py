"""Scrubbing lead files: dialects, formats, every blocking reason, exemptions, output."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

import tidal.dnc._scrub as scrub_module
from tidal.dnc import InvalidRow, Registry, ScrubError, ScrubReport, import_registry, scrub_csv

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
INTERNAL = np.array([2125550199, 3055550100], dtype=np.int64)
EXEMPT = np.array([2125550100, 3055550100, 4155550101], dtype=np.int64)
LEADS = [  # name, phone, note, and what the scrub must decide
    ("Ann", "+1 (212) 555-0100", "registered, but a customer", "kept"),
    ("Bob", "(212) 555-0101", "free", "kept"),
    ("Cy", "1-212-555-0199", "asked us not to call", "internal"),
    ("Di", "+13055550100", "customer who opted out", "internal"),
    ("Ed", "305.555.0101", 'says "hi"; often', "kept"),
    ("Fay", "(415) 555-0100", "registered, stale list", "registry registry_stale"),
    ("Gus", "415-555-0101", "stale list, but a customer", "kept"),
    ("Hal", "5035550100", "area code never loaded", "registry_stale"),
    ("Ivy", "not a number", "", "invalid"),
    ("Jo", "555-0100", "no area code", "invalid"),
    ("Kim", "", "empty", "invalid"),
]


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Registry:
    """212 and 305 fresh, 415 loaded 40 days ago, 503 never; 415-555-0100 registered."""
    root = tmp_path_factory.mktemp("registry")
    store = Registry(root / "store")
    (root / "fresh.txt").write_text("212,5550100\n305,5550100\n")
    (root / "old.txt").write_text("415,5550100\n")
    import_registry(store, root / "old.txt", now=NOW - timedelta(days=40))
    import_registry(store, root / "fresh.txt", now=NOW - timedelta(days=1))
    return store


def _leads_text(delimiter: str, terminator: str = "\r\n") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=terminator)
    writer.writerow(["Name", "Phone", "Note"])
    for index, (name, phone, note, _) in enumerate(LEADS):
        if index == 5:
            buffer.write(terminator)  # a blank line: not a row, but it keeps its number
        writer.writerow([name, phone, note])
    buffer.write(f"Lee{terminator}")  # a row too short to have a phone
    return buffer.getvalue()


def _scrub(
    registry: Registry,
    source: Path,
    *,
    out: Path | None = None,
    column: str | None = None,
    exempt: object = EXEMPT,
    stale_after: timedelta = timedelta(days=31),
) -> ScrubReport:
    return scrub_csv(
        source,
        column=column,
        registry=registry,
        internal=INTERNAL,
        exempt=np.asarray(exempt, dtype=np.int64),
        now=NOW,
        stale_after=stale_after,
        out=out,
    )


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_every_reason_in_every_dialect(registry: Registry, tmp_path: Path, delimiter: str) -> None:
    source = tmp_path / "leads.csv"
    source.write_text(_leads_text(delimiter), newline="")
    out = tmp_path / "clean.csv"
    report = _scrub(registry, source, out=out)
    assert (report.rows, report.kept, report.blocked, report.invalid) == (12, 4, 4, 4)
    assert report.blocked_reasons == {"registry": 1, "internal": 2, "registry_stale": 2}
    assert report.invalid_rows == [
        InvalidRow(10, "not a number"),
        InvalidRow(11, "555-0100"),
        InvalidRow(12, ""),
        InvalidRow(13, ""),
    ]
    assert report.column == "Phone"
    assert set(report.as_json()) == {"rows", "kept", "blocked", "invalid", "seconds"}
    source_lines = source.read_bytes().decode().splitlines(keepends=True)
    kept = {name for name, _, _, verdict in LEADS if verdict == "kept"}
    expected = [source_lines[0]] + [
        line for line in source_lines[1:] if line.split(delimiter)[0] in kept
    ]
    assert out.read_bytes().decode().splitlines(keepends=True) == expected  # byte for byte


def test_exemption_lifts_registry_and_staleness_but_never_the_internal_list(
    registry: Registry, tmp_path: Path
) -> None:
    source = tmp_path / "leads.csv"
    source.write_text(_leads_text(","))

    def blocked(exempt: list[int], **kw: timedelta) -> tuple[int, dict[str, int]]:
        report = _scrub(registry, source, column="phone", exempt=exempt, **kw)
        return report.blocked, report.blocked_reasons

    everyone = [*range(2125550000, 2125550200), 3055550100, 4155550100, 4155550101, 5035550100]
    assert blocked(everyone) == (2, {"registry": 0, "internal": 2, "registry_stale": 0})
    assert blocked([]) == (6, {"registry": 3, "internal": 2, "registry_stale": 3})
    # A longer tolerance makes the 40-day-old list acceptable; 503 stays unloaded.
    assert blocked([], stale_after=timedelta(days=60)) == (
        5,
        {"registry": 3, "internal": 2, "registry_stale": 1},
    )


def test_column_choice(registry: Registry, tmp_path: Path) -> None:
    source = tmp_path / "leads.csv"
    source.write_text("id,MOBILE,Telephone\n1,2125550100,2125550101\n")

    def column_of(column: str | None) -> str:
        return _scrub(registry, source, column=column).column

    assert column_of(None) == "MOBILE"  # the first phone-like header, any case
    assert column_of("telephone") == "Telephone"
    with pytest.raises(ScrubError, match="no column 'fax'; the header has 'id', 'MOBILE'"):
        column_of("fax")
    source.write_text("name,email\nAnn,a@example.com\n")
    with pytest.raises(ScrubError, match=r"no phone column .* 'name', 'email'"):
        column_of(None)
    source.write_text("")
    with pytest.raises(ScrubError, match="header row is required"):
        column_of(None)


def test_quoted_line_breaks_and_small_chunks(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scrub_module, "_CHUNK_ROWS", 2)
    monkeypatch.setattr(scrub_module, "_READ_HINT", 16)
    rows = [
        ["phone", "address"],
        ["2125550101", "1 Main St"],
        ["2125550100", "2 Main St\nApt 3"],  # registered
        ["2125550102", "4 Elm St\r\nFloor 2"],
        ["3055550101", "5 Oak St"],
        ["(305) 555-0102", "6 Pine St"],
    ]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    source = tmp_path / "leads.csv"
    source.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode())  # Excel's byte-order mark
    out = tmp_path / "clean.csv"
    report = _scrub(registry, source, out=out, exempt=[])
    assert (report.rows, report.kept, report.blocked, report.invalid) == (5, 4, 1, 0)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    written = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert written == [rows[0], rows[1], rows[3], rows[4], rows[5]]


def test_undecodable_bytes_pass_through(registry: Registry, tmp_path: Path) -> None:
    source = tmp_path / "leads.csv"
    source.write_bytes(b"name,phone\nJos\xe9,2125550101\nR\xe9my,2125550100\n")  # Latin-1
    out = tmp_path / "clean.csv"
    report = _scrub(registry, source, out=out, exempt=[])
    assert report.kept == 1
    assert out.read_bytes() == b"name,phone\nJos\xe9,2125550101\n"


def test_unreadable_csv_and_unsafe_output_are_errors(registry: Registry, tmp_path: Path) -> None:
    source = tmp_path / "leads.csv"
    source.write_text("name,phone\nAnn,2125550101\nBob," + "9" * 200_000 + "\n")
    out = tmp_path / "clean.csv"

    with pytest.raises(ScrubError, match=r"leads\.csv: line 3: field larger than field limit"):
        _scrub(registry, source, out=out)
    assert list(tmp_path.iterdir()) == [source]  # no partial output left behind
    with pytest.raises(ScrubError, match="would overwrite the lead file"):
        _scrub(registry, source, out=source)
