"""A lead list's rows, read so that one unterminated quote cannot swallow the rest.

The csv module, meeting a quote that is never closed, reads every later line into one
field of one row. Here the text is read with a marker line after its end: when the
last row ends inside a quote, the marker is inside it, so the quote ran to the end of
the file. That row becomes an `UnreadableRow` naming the line where the quote opened,
and reading starts again on the line after it, so every later line is a row again.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Final

from tidal.core.campaigns import UnreadableRow
from tidal.dnc._scrub import sniff_csv_format

_END: Final = "\ue000tidal-end-of-file\ue000"  # a private-use marker no real list holds
_SHOWN_CHARS: Final = 80

CsvRow = Sequence[str] | UnreadableRow


def read_csv_rows(text: str) -> tuple[list[str] | None, list[CsvRow]]:
    """The header (None for an empty text) and the rows of a CSV text in any common dialect.

    A row whose quote is never closed is an `UnreadableRow` (its line and column) and
    the lines after it are read as rows. Raises csv.Error as the csv module does, and
    for a header whose quote is never closed.
    """
    stream = io.StringIO(text, newline="")
    csv_format = sniff_csv_format(stream)
    lines = list(stream)
    header: list[str] | None = None
    rows: list[CsvRow] = []
    start = 0  # index of the first line still to read
    while start < len(lines):
        marked = [*lines[start:], _END]  # the reader takes each item as one line
        reader = csv.reader(iter(marked), **csv_format)
        before = 0  # lines the reader had consumed before the current record
        reopen = None
        for record in reader:
            if record == [_END]:
                break
            if record and _END in record[-1]:  # the quote ran to the end of the file
                opened = start + before  # 0-based index of the line the record began on
                if header is None:
                    raise csv.Error(f"line {opened + 1}: unterminated quote in the header row")
                column = header[len(record) - 1] if len(record) <= len(header) else ""
                rows.append(
                    UnreadableRow(
                        line=opened + 1,
                        column=column,
                        reason=f"line {opened + 1}: unterminated quote opened here "
                        "(the lines after it are read as rows)",
                        value=lines[opened].rstrip("\r\n")[:_SHOWN_CHARS],
                    )
                )
                reopen = opened + 1
                break
            if header is None:
                header = record
            else:
                rows.append(record)
            before = reader.line_num
        if reopen is None:
            break
        start = reopen
    return header, rows
