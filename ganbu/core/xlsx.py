"""The one way the system writes spreadsheets (.xlsx): tables, notes, bytes; formula injection neutralised.

Every export and template the system produces is built here (``ganbu.core.tests.test_xlsx`` fails when
another module constructs an openpyxl ``Workbook``). Why one place: a value an applicant or an officer
typed — a name, a unit, a note — ends up in a cell, and a cell whose text begins with ``=`` is written
by openpyxl as a live formula; text beginning with ``+ - @``, a tab or a carriage return becomes one
when the cell is edited or the sheet is pasted elsewhere. ``=HYPERLINK("http://…","点此")`` in a name
would be a working link in the officer's Excel (OWASP: CSV/formula injection).

``cell_value`` / ``put`` write such text as an explicit string cell (``t="inlineStr"``, never ``f``)
with the ``quotePrefix`` style: Excel, WPS and LibreOffice show the text exactly as typed, do not
evaluate it, and keep it text when the cell is edited (the style is the stored form of typing a
leading ``'``). Numbers, dates and booleans are not text and stay what they are: ``-5`` is a number.
Characters XML cannot hold (control characters other than tab, line feed and carriage return) are
removed, so a stray one in a record cannot make an export fail.

``write_stream`` / ``table_stream`` write one large table (the whole roster) with the streaming writer
``ganbu.core.xlsx_stream``: rows come from an iterator and go, formatted as the sheet's XML, straight
into the compressed file, so memory stays flat whatever the number of rows; its cells are
neutralised exactly like ``put``. (openpyxl, even in write-only mode, writes ten times slower.)
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ganbu.core.errors import ServiceError
from ganbu.core.xlsx_stream import XlsxStream

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CREATOR = "干部工作管理系统"

# OWASP's list for spreadsheets: text beginning with one of these is, or may become, a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_HEADER_FONT = Font(bold=True)
MAX_WIDTH = 60
WIDTH_SAMPLE = 2000
"""Rows looked at to size a column."""


def is_formula_text(value: Any) -> bool:
    """Whether ``value`` is text that a spreadsheet would (or could, once edited) take for a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def clean_text(value: str) -> str:
    """``value`` without the characters an .xlsx cannot hold."""
    return str(ILLEGAL_CHARACTERS_RE.sub("", value))


def put(cell: Cell, value: Any) -> Cell:
    """Write ``value`` into ``cell``: text as text (never a formula), everything else as it is."""
    if isinstance(value, str):
        value = clean_text(value)
        cell.value = value
        if is_formula_text(value):
            # Assigning "=…" made it a formula; an explicit string type plus quotePrefix makes it text.
            cell.data_type = "s"
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def append(sheet: Any, values: Sequence[Any]) -> int:
    """Append one row below the sheet's last row, text written as by ``put``; the row's number."""
    sheet.append([clean_text(v) if isinstance(v, str) else v for v in values])
    line = int(sheet.max_row)
    for column, value in enumerate(values, start=1):
        if is_formula_text(value):
            cell = sheet.cell(row=line, column=column)
            cell.data_type = "s"
            cell.quotePrefix = True
    return line


def new_workbook(title: str) -> tuple[Workbook, Any]:
    """A new workbook and its first sheet, titled ``title``."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    return book, sheet


def display_width(value: Any) -> int:
    """Roughly how many character cells a value takes (CJK characters count two)."""
    text = f"{value:%Y-%m-%d}" if isinstance(value, dt.date) else "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def write_table(
    sheet: Any,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    formats: dict[str, str] | None = None,
    filters: bool = True,
) -> None:
    """Write a header and rows: bold shaded header, frozen below it, widths to fit, number formats.

    ``formats`` maps column names to Excel number formats (``"@"`` keeps a column as text).
    """
    header_line = append(sheet, header)
    for cell in sheet[header_line]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for row in rows:
        append(sheet, row)
    formats = formats or {}
    for index, name in enumerate(header, start=1):
        letter = get_column_letter(index)
        widest = max([display_width(name), *(display_width(r[index - 1]) for r in rows[:WIDTH_SAMPLE])])
        sheet.column_dimensions[letter].width = min(MAX_WIDTH, widest + 3)
        fmt = formats.get(name)
        if fmt:
            sheet.column_dimensions[letter].number_format = fmt
            for (cell,) in sheet.iter_rows(min_row=header_line + 1, min_col=index, max_col=index):
                cell.number_format = fmt
    sheet.freeze_panes = f"A{header_line + 1}"
    if filters and rows:
        sheet.auto_filter.ref = f"A{header_line}:{get_column_letter(len(header))}{header_line + len(rows)}"


def write_notes(book: Workbook, sheet_title: str, title: str, lines: Sequence[tuple[str, str]]) -> Any:
    """A sheet of explanations: a title, then two columns (what, explanation)."""
    sheet = book.create_sheet(sheet_title)
    put(sheet["A1"], title).font = Font(bold=True, size=13)
    line = 2
    for name, text in lines:
        line += 1
        put(sheet.cell(row=line, column=1), name).font = _HEADER_FONT
        put(sheet.cell(row=line, column=2), text).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 90
    return sheet


def to_bytes(book: Workbook) -> bytes:
    """The workbook as .xlsx bytes, its author the system.

    A last pass makes sure no cell holds a formula that ``put`` did not write: an export never
    contains one (the templates' input checks are data validations, not cells).
    """
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
                    cell.quotePrefix = True
    book.properties.creator = CREATOR
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- streaming (write-only) tables

SHEET_TITLE_MAX = 31
_SHEET_TITLE_BAD = re.compile(r"[\\/*?:\[\]]")


def sheet_title(text: str) -> str:
    """``text`` as a sheet title Excel accepts: no ``\\ / * ? : [ ]``, at most 31 characters."""
    return _SHEET_TITLE_BAD.sub("", clean_text(text)).strip("'")[:SHEET_TITLE_MAX] or "Sheet1"


def write_stream(
    out: IO[bytes],
    *,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    formats: Sequence[str | None] = (),
    widths: Sequence[int | None] = (),
    notes: str = "",
) -> int:
    """Write one table to ``out`` as .xlsx, streamed; the number of rows written.

    Layout: an optional notes line (what was exported, the filters, the date), the bold shaded
    header, frozen below it with an auto-filter, then the rows. ``formats`` and ``widths`` go by
    column position; a width not given is sized from the header and the first rows (the rest are
    not looked at: the writer keeps only ``WIDTH_SAMPLE`` rows in memory at any time).
    """
    stream = table_stream(title=title, header=header, rows=rows, formats=formats, widths=widths, notes=notes)
    for chunk in stream:
        out.write(chunk)
    return stream.rows_written


def table_stream(
    *,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    formats: Sequence[str | None] = (),
    widths: Sequence[int | None] = (),
    notes: str = "",
) -> XlsxStream:
    """One table as an .xlsx produced chunk by chunk (``ganbu.core.xlsx_stream``), laid out as by
    ``write_stream``; iterate it once for the bytes, then ``rows_written`` is the number of rows."""
    return XlsxStream(
        title=sheet_title(title),
        header=[clean_text(h) for h in header],
        rows=rows,
        formats=formats,
        widths=widths,
        notes=notes,
        creator=CREATOR,
        width_sample=WIDTH_SAMPLE,
        max_width=MAX_WIDTH,
    )


# ---------------------------------------------------------------- reading cells (the imports)

_CELL_KINDS: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (bool, "是/否（逻辑值）"),
    ((dt.datetime, dt.date, dt.time), "日期或时间"),
    (dt.timedelta, "时长"),
    ((int, float, Decimal), "数字"),
)


def typed_text(value: str) -> str:
    """Text as typed, in the usual forms: full-width digits and letters folded, outer spaces removed."""
    return unicodedata.normalize("NFKC", value).strip()


def is_blank(value: Any) -> bool:
    """An empty cell, or one holding only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def cell_kind(value: Any) -> str:
    """What a cell holds, in Chinese, for an import's messages (「第 3 行「成绩」是日期或时间」)."""
    for types, label in _CELL_KINDS:
        if isinstance(value, types):
            return label
    return "其他内容"


def filled_rows(
    sheet: Any,
    *,
    header_line: int,
    width: int,
    max_scanned: int,
    max_rows: int,
    too_many_scanned: str,
    too_many_rows: str,
) -> Iterator[tuple[int, int, Sequence[Any]]]:
    """The rows below the header that hold something, as (line, how many so far, cells).

    An import refuses a sheet padded with formatted empty rows after ``max_scanned`` rows looked at, and
    one with more than ``max_rows`` filled rows, each with its own Chinese message (``ServiceError``
    on the ``file`` field); ``line`` is the row's number in the sheet, as an officer sees it.
    """
    filled = 0
    for scanned, cells in enumerate(sheet.iter_rows(min_row=header_line + 1, max_col=width), start=1):
        if scanned > max_scanned:
            raise ServiceError({"file": [too_many_scanned]})
        if all(is_blank(c.value) for c in cells):
            continue
        filled += 1
        if filled > max_rows:
            raise ServiceError({"file": [too_many_rows]})
        line = next((c.row for c in cells if getattr(c, "row", None)), header_line + scanned)
        yield line, filled, cells
