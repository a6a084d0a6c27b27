"""Reading and writing one sheet of cells: CSV or Excel (.xlsx), and nothing else.

This module knows spreadsheets, not cases (``caseload`` turns rows into cases). A sheet
comes from someone else's computer, so every way in is bounded: the file's size, the
uncompressed size of a workbook (a zip bomb), the rows and the columns. A workbook is read
for its values only (``data_only``): a formula is never evaluated here, its last value as
Excel saved it is what counts, and openpyxl parses the XML through defusedxml.

CSV is read as UTF-8, with or without a byte-order mark (Excel's "CSV UTF-8" writes one).
Anything else (Excel's plain "CSV" on Windows is cp1252) is refused with the fix: guessing
an encoding would turn "Muñoz" into "MuÃ±oz" in a letter without a word.

CSV injection: a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is a formula to Excel when it opens a CSV. ``csv_bytes`` writes such text with a
leading apostrophe (``'=SUM(A1)``), and ``read_sheet`` takes one apostrophe off a CSV cell
that starts with one followed by such a character (or by another apostrophe), so text goes
out and comes back as typed. A workbook stores text as text, so no apostrophe there.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from lettergen.errors import LettergenError
from lettergen.safe_read import UnreadableFile, read_limited
from lettergen.terminal import visible

__all__ = ["FORMATS", "MAX_BYTES", "MAX_COLUMNS", "MAX_ROWS", "Sheet", "SheetError",
           "csv_bytes", "read_sheet", "sheet_format", "xlsx_bytes"]

FORMATS = (".csv", ".xlsx")
MAX_BYTES = 20 * 1024 * 1024
"""The largest sheet file read: a caseload of thousands of cases is a few megabytes."""
MAX_UNZIPPED = 200 * 1024 * 1024
"""The most a workbook may unpack to (an .xlsx is a zip file; a small one can unpack to
gigabytes)."""
MAX_ROWS = 10_000
"""The most rows (cases) one sheet may hold; split a larger caseload into several sheets."""
MAX_COLUMNS = 2_000
"""The most columns: the template has a few hundred, with room for long charge lists."""

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
Cell = str | int | float | bool | Decimal | _dt.date | _dt.datetime | _dt.time | None


class SheetError(LettergenError):
    """Raised when a sheet cannot be read or written at all (not one bad row): the wrong
    kind of file, an encoding, a size over the limits."""


@dataclass(frozen=True)
class Sheet:
    """The cells of one sheet: the header (row 1) and every other row that has a value,
    each with its row number as the spreadsheet shows it."""

    name: str  # the file, as messages name it
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[Cell, ...]], ...]


def sheet_format(path: Path) -> str:
    """".csv" or ".xlsx" from the file's name, or an error that names both."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise SheetError(f"{visible(str(path))}: a caseload is a .csv or .xlsx file; in "
                         "Excel or LibreOffice choose Save As and one of those")
    return suffix


def read_sheet(path: Path) -> Sheet:
    """The header and rows of a CSV file or of a workbook's first sheet."""
    fmt = sheet_format(path)
    try:
        data = read_limited(path, MAX_BYTES)
    except UnreadableFile as exc:
        raise SheetError(f"{visible(str(path))}: {exc}") from None
    rows = _csv_rows(path, data) if fmt == ".csv" else _xlsx_rows(path, data)
    return _sheet(path, rows)


def _sheet(path: Path, rows: Iterable[Sequence[Cell]]) -> Sheet:
    header: tuple[str, ...] | None = None
    kept: list[tuple[int, tuple[Cell, ...]]] = []
    for number, row in enumerate(rows, 1):
        if len(row) > MAX_COLUMNS and any(_filled(c) for c in row[MAX_COLUMNS:]):
            raise SheetError(f"{visible(str(path))}: row {number} has more than "
                             f"{MAX_COLUMNS:,} columns; a caseload needs a few hundred")
        cells = tuple(row[:MAX_COLUMNS])
        if header is None:
            header = tuple("" if c is None else str(c).strip() for c in cells)
            continue
        if not any(_filled(c) for c in cells):
            continue  # an empty row between cases is not a case
        if number > MAX_ROWS + 1:
            raise SheetError(f"{visible(str(path))}: more than {MAX_ROWS:,} rows of cases; "
                             "split the caseload into several files")
        kept.append((number, cells))
    if not header or not any(header):
        raise SheetError(f"{visible(str(path))}: the sheet is empty; row 1 must name the "
                         "columns (lettergen import --template FILE writes a sheet to start "
                         "from)")
    return Sheet(visible(str(path)), header, tuple(kept))


def _filled(cell: Cell) -> bool:
    return cell is not None and not (isinstance(cell, str) and not cell.strip())


def _csv_rows(path: Path, data: bytes) -> list[list[Cell]]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SheetError(f"{visible(str(path))}: the file is UTF-16 text (Excel's \"Unicode "
                         "Text\"); save it as \"CSV UTF-8 (Comma delimited)\" instead")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SheetError(f"{visible(str(path))}: line {line} is not UTF-8 text (Excel's "
                         "plain \"CSV\" format writes Windows-1252); in Excel choose Save As "
                         "> \"CSV UTF-8 (Comma delimited)\", in LibreOffice character set "
                         "\"Unicode (UTF-8)\"") from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","  # Excel in Europe
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [[_unescape(cell) for cell in row] for row in reader]
    except csv.Error as exc:
        raise SheetError(f"{visible(str(path))}: line {reader.line_num} cannot be read as "
                         f"CSV ({exc}); open the file in a spreadsheet and save it again "
                         "as CSV UTF-8") from None


def _unescape(cell: str) -> str:
    """A cell ``csv_bytes`` protected against CSV injection, back as it was typed."""
    if cell.startswith("'") and cell[1:2] and cell[1] in (*_FORMULA_START, "'"):
        return cell[1:]
    return cell


def _escape(text: str) -> str:
    if text.startswith((*_FORMULA_START, "'")):
        return "'" + text
    return text


def _xlsx_rows(path: Path, data: bytes) -> Iterable[Sequence[Cell]]:
    import openpyxl  # only for workbooks: it takes a moment to import

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise SheetError(f"{visible(str(path))}: not an Excel workbook (.xlsx); an older "
                         ".xls or another format must be saved as .xlsx or CSV "
                         "first") from None
    if unzipped > MAX_UNZIPPED:
        raise SheetError(f"{visible(str(path))}: the workbook unpacks to {unzipped:,} bytes; "
                         f"the limit is {MAX_UNZIPPED:,}. Save the caseload alone in a new "
                         "workbook")
    try:  # a broken or hostile workbook can raise anything from the zip or XML layers
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        return list(_capped(sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS + 1,
                                            values_only=True)))
    except SheetError:
        raise
    except Exception as exc:  # noqa: BLE001 - reported to the user with the file's name
        raise SheetError(f"{visible(str(path))}: cannot read the workbook "
                         f"({type(exc).__name__}: {visible(str(exc))[:200]}); open it in "
                         "Excel or LibreOffice and save it again as .xlsx") from None


def _capped(rows: Iterable[Sequence[Cell]]) -> Iterable[Sequence[Cell]]:
    """Rows as they come, stopping at the first filled one past the limit (empty rows
    past it, which a sheet's formatting can make by the million, are not kept)."""
    for number, row in enumerate(rows, 1):
        if number > MAX_ROWS + 1:
            if any(_filled(c) for c in row):
                yield row
                return
            continue
        yield row


# ---- writing -------------------------------------------------------------------------

def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, str):
        return _escape(value)
    return str(value)


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """A CSV file in UTF-8 with a byte-order mark, so that Excel opens it as UTF-8 (a
    file without one is read as the machine's code page); CRLF line ends, as Excel's."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_text(cell) for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence[Cell]], *,
               notes: dict[str, str] | None = None,
               choices: dict[str, Sequence[str]] | None = None,
               guide: Sequence[Sequence[str]] = ()) -> bytes:
    """A workbook: the sheet "Cases" (the header bold and frozen, ``notes`` as comments
    on the header cells, a drop-down list of ``choices`` per column) and, when ``guide``
    has rows, a second sheet "Columns" with them. Text is stored as text, dates as dates,
    money as numbers with two decimals."""
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Cases"
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "B2"
    for number, row in enumerate(rows, 2):
        for column, value in enumerate(row, 1):
            if value is None:
                continue
            cell = sheet.cell(number, column)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # "=..." is text here, never a formula
                if "\n" in value:
                    cell.alignment = Alignment(wrap_text=True)
            elif isinstance(value, _dt.date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, Decimal):
                cell.number_format = "0.00"
    for column, name in enumerate(header, 1):
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = max(12, min(40, len(name) + 2))
        if notes and name in notes:
            sheet.cell(1, column).comment = Comment(notes[name], "lettergen", 200, 320)
        values = (choices or {}).get(name)
        listed = ",".join(values or ())
        if values and len(listed) <= 255 and not any("," in v for v in values):
            rule = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True,
                                  showErrorMessage=True, errorTitle=name,
                                  error="Choose one of the listed values.")
            rule.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
            sheet.add_data_validation(rule)
    if guide:
        columns = book.create_sheet("Columns")
        for row in guide:
            columns.append(list(row))
        for cell in columns[1]:
            cell.font = Font(bold=True)
        for letter, width in zip("ABCDE", (28, 22, 10, 80, 40), strict=False):
            columns.column_dimensions[letter].width = width
    book.properties.creator = "lettergen"
    fixed = _dt.datetime(2026, 1, 1)  # no machine's clock in the file
    book.properties.created = book.properties.modified = fixed
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
