"""CSV exports a spreadsheet opens as data: cells that it would run as a formula are escaped.

A report names queues, campaigns and agent groups that users typed; opened in Excel,
LibreOffice or Google Sheets, a cell starting `=`, `+`, `-` or `@` (or a tab or a
carriage return, which some of them skip before such a character) is evaluated as a
formula (CSV injection). As OWASP advises, such a cell gets a leading single quote,
which spreadsheets read as "this is text" and do not show. One exception is kept: a
phone number in E.164 (`+` and digits only, `+15551234567`) is data that no
spreadsheet evaluates as anything but a number, so it is written as it is. Numbers
(int, float) are written as numbers. Every CSV Tidal answers goes through `csv_text`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from typing import Any, Final

FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
E164: Final = re.compile(r"\+[0-9]{1,15}")


def spreadsheet_safe(value: Any) -> Any:
    """The cell as a spreadsheet should show it: text that would run as a formula quoted."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if E164.fullmatch(value):
        return value
    return "'" + value


def csv_text(rows: Iterable[Mapping[str, Any]], fieldnames: list[str]) -> str:
    """The rows as CSV text with a header, every cell (the header too) spreadsheet-safe."""
    buffer = io.StringIO()
    # RFC 4180's CRLF: with it, a cell holding a lone CR is quoted too (with "\n" it is not).
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([spreadsheet_safe(name) for name in fieldnames])
    for row in rows:
        writer.writerow([spreadsheet_safe(row.get(name)) for name in fieldnames])
    return buffer.getvalue()
