"""A lead list with an unterminated quote costs one row, named by the line it opened on."""

from __future__ import annotations

import csv

import pytest

from tidal.core.campaigns import UnreadableRow
from tidal.dnc import read_csv_rows

BROKEN = 'name,phone\nAnn,2125550100\n"Bob,2125550101\nCy,2125550102\nDee,2125550103\n'


def test_the_rows_after_an_unterminated_quote_are_read_as_rows() -> None:
    header, rows = read_csv_rows(BROKEN)
    assert header == ["name", "phone"]
    assert rows[0] == ["Ann", "2125550100"]
    broken = rows[1]
    assert isinstance(broken, UnreadableRow)
    assert (broken.line, broken.column, broken.value) == (3, "name", '"Bob,2125550101')
    assert broken.reason.startswith("line 3: unterminated quote opened here")
    assert rows[2:] == [["Cy", "2125550102"], ["Dee", "2125550103"]]


def test_quoted_line_breaks_still_read_and_a_last_open_quote_is_found() -> None:
    _, rows = read_csv_rows('name,phone\r\nA,"multi\r\nline"\r\nB,"x')
    assert rows[0] == ["A", "multi\r\nline"]
    assert isinstance(rows[1], UnreadableRow) and rows[1].line == 4
    assert rows[1].column == "phone" and len(rows) == 2


def test_an_open_quote_in_the_header_cannot_be_read() -> None:
    with pytest.raises(csv.Error, match="line 1: unterminated quote in the header"):
        read_csv_rows('"name,phone\nA,1\n')
