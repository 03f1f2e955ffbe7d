"""Reading and writing the two file formats: CSV (UTF-8, with or without BOM, comma) and XLSX (first sheet).

A file is a header row and data rows. Rows come back as (row number as the user sees it, {header: text}); every
cell is text here (an XLSX number goes through ``str()``, so 0.1 stays "0.1", never a binary float's digits).

Exports are spreadsheet-safe (kernel/spreadsheets.py): a text that a spreadsheet could run as a formula is a quoted
CSV cell and an XLSX string cell, and reading removes exactly that quote, so an export imports back as it was.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal

from factoryos.imports.errors import ImportsError
from factoryos.kernel import spreadsheets
from factoryos.kernel.errors import DomainError

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
FORMATS = ("csv", "xlsx")
CONTENT_TYPES = spreadsheets.CONTENT_TYPES


class FileError(DomainError):
    """The file as a whole cannot be read (type, size, encoding): a 400 naming the ``file`` field."""

    def __init__(self, message: str):
        super().__init__(message, code=ImportsError.BAD_FILE, field="file")


def format_of(filename: str) -> str:
    name = (filename or "").lower()
    for fmt in FORMATS:
        if name.endswith("." + fmt):
            return fmt
    raise FileError("Upload a .csv or .xlsx file.")


def cell_text(value: object) -> str:
    """One cell as text: numbers via str() (exact), booleans as true/false, dates as ISO, empty as ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, Decimal) and value.is_finite():  # never in exponent form, no trailing zeros: 1.500000 -> 1.5
        text = f"{value:f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def read(filename: str, data: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """(headers, [(row number, cells)]) of a file; blank rows are skipped but keep their numbers."""
    if len(data) > MAX_BYTES:
        raise FileError(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB: split it.")
    fmt = format_of(filename)
    rows = _read_csv(data) if fmt == "csv" else _read_xlsx(data)
    header: list[str] | None = None
    body: list[tuple[int, list[str]]] = []
    for number, cells in rows:
        if not any(cells):
            continue
        if header is None:
            header = cells
            continue
        body.append((number, cells))
        if len(body) > MAX_ROWS:
            raise FileError(f"The file has more than {MAX_ROWS:,} rows: split it.")
    if header is None:
        raise FileError("The file is empty: it needs a header row.")
    return [h.strip().lower() for h in header], body


def _read_csv(data: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileError(f"The CSV file is not UTF-8 (byte {exc.start}): save it as 'CSV UTF-8'.") from None
    if "\x00" in text:
        raise FileError("The CSV file contains NUL characters: is it really a CSV file?")
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            yield number, [spreadsheets.unquote(c.strip()) for c in cells]
    except csv.Error as exc:
        raise FileError(f"The CSV file cannot be read: {exc}.") from None


def _read_xlsx(data: bytes) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise FileError(f"The XLSX file cannot be read ({type(exc).__name__}): save it again as .xlsx.") from None
    try:
        if not book.worksheets:
            raise FileError("The XLSX file has no sheet.")
        sheet = book.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > MAX_ROWS + 1000:  # far past the cap even with blank rows: stop reading
                raise FileError(f"The file has more than {MAX_ROWS:,} rows: split it.")
            yield number, [spreadsheets.unquote(cell_text(v)) for v in values]
    finally:
        book.close()


def write(fmt: str, headers: list[str], rows: Iterable[list[object]]) -> bytes:
    """A file of ``rows`` under ``headers`` to be imported back: text spreadsheet-safe, a number written exactly
    (in XLSX as a text cell with its digits, so "007" stays a code and a Decimal keeps every place)."""
    return spreadsheets.write(fmt, headers, rows, text=cell_text, numeric_cells=False)
