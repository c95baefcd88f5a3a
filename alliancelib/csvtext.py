"""CSV text for the reports' table downloads, without pandas: the MIME type a table's CSV travels
under in a notebook's outputs, the CSV writer and the plain cells (numbers, booleans, missing).

:func:`alliancelib.report.csv_cell` formats any cell (dates and frames' scalars too) and uses
:func:`plain_cell` for these; the export reads recorded results (JSON scalars) through
:func:`plain_cell` alone, so exporting a page never imports pandas.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence

CSV_MIME = "text/csv"


def plain_cell(value: bool | int | float | None) -> str:
    """A number, boolean or missing value as a CSV cell: numbers unrounded (12 significant digits,
    no thousands separators, a plain minus), booleans yes/no, missing (None or NaN) empty.

    >>> plain_cell(35.71428571428571), plain_cell(-2500.0), plain_cell(2025), plain_cell(None)
    ('35.7142857143', '-2500', '2025', '')
    >>> plain_cell(float("nan")), plain_cell(True), plain_cell(1e16)
    ('', 'yes', '1e+16')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:.12g}"


def csv_text(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """Rows as CSV text (RFC 4180 quoting, LF line ends): the same rows give the same bytes.

    >>> print(csv_text(["Model", "Note"], [["Twingo", 'a "small", cheap car']]), end="")
    Model,Note
    Twingo,"a ""small"", cheap car"
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()
