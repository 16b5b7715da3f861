"""Spreadsheet exports (R_ORD_03, the spend overview): one rule for every CSV the system writes.

A spreadsheet reads a cell that starts with `= + - @`, a tab or a CR as a formula (CSV injection).
Which characters start a cell depends on the delimiter the reader picks, and spreadsheets in other
locales split a `;` file on `,` or on tabs. So every text cell is quoted, loses its line breaks and
tabs, and gets a `'` before a formula character wherever a cell could begin: at its start and after
each `,`, `;` or `"` inside it. Read with `,`, `;` or tab as the delimiter, no cell starts with one.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_START = frozenset("=+-@\t\r")
CELL_STARTS_AFTER = frozenset(',;"')  # a foreign delimiter, or the quote that opens a field read with one
_FLATTENED = str.maketrans({"\r": " ", "\n": " ", "\t": " "})


def neutralise(text: str) -> str:
    flat = text.translate(_FLATTENED)
    out = []
    for index, char in enumerate(flat):
        if char in FORMULA_START and (index == 0 or flat[index - 1] in CELL_STARTS_AFTER):
            out.append("'")
        out.append(char)
    return "".join(out)


def cell(value: object) -> str:
    """An empty cell for nothing, never the word "None"."""
    return "" if value is None else neutralise(str(value))


def document(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """UTF-8 with BOM (the caller encodes), `;`-separated and CRLF as Dutch Excel expects, every cell quoted
    and neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow([cell(name) for name in header])
    writer.writerows([cell(value) for value in row] for row in rows)
    return "\ufeff" + out.getvalue()


def euros(cents: int) -> str:
    """Dutch decimal comma for spreadsheets: 49500 → 495,00."""
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(int(cents)), 100)
    return f"{sign}{whole},{rest:02d}"
