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

``write_stream`` writes one large table (the whole roster) in openpyxl's write-only mode: rows come
from an iterator and go straight to the file, so memory stays flat whatever the number of rows; its
cells are neutralised exactly like ``put`` (``stream_cell``).
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import IO, Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ganbu.core.errors import ServiceError

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
_PLAIN_TYPES = (bool, int, float, Decimal, dt.date, dt.time)


def sheet_title(text: str) -> str:
    """``text`` as a sheet title Excel accepts: no ``\\ / * ? : [ ]``, at most 31 characters."""
    return _SHEET_TITLE_BAD.sub("", clean_text(text)).strip("'")[:SHEET_TITLE_MAX] or "Sheet1"


def plain_value(value: Any) -> Any:
    """A value a cell can hold: numbers, dates and logical values as they are, anything else as text.

    An aware date-time is shown in the server's time zone (Excel has no time zones); lazy texts,
    choices and other objects become their text.
    """
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, _PLAIN_TYPES):
        return value
    return str(value)


def stream_cell(sheet: Any, value: Any, number_format: str | None = None) -> Any:
    """A value for a write-only sheet's row, neutralised like ``put``.

    Formula-like text becomes a ``WriteOnlyCell`` typed as text with the quote prefix; a value with
    a number format becomes a styled cell; anything else is passed as it is (cheaper for openpyxl).
    """
    value = plain_value(value)
    if isinstance(value, str):
        value = clean_text(value)
        if is_formula_text(value):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            cell.quotePrefix = True
            if number_format:
                cell.number_format = number_format
            return cell
    if number_format and value is not None:
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = number_format
        return cell
    return value


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
    """Write one table to ``out`` in write-only mode; the number of rows written.

    Layout: an optional notes line (what was exported, the filters, the date), the bold shaded
    header, frozen below it with an auto-filter, then the rows. ``formats`` and ``widths`` go by
    column position; a width not given is sized from the header and the first rows (the rest are
    not looked at: the writer keeps only ``WIDTH_SAMPLE`` rows in memory at any time).
    """
    book = Workbook(write_only=True)
    book.properties.creator = CREATOR
    sheet = book.create_sheet(sheet_title(title))
    rows = iter(rows)
    first = [[plain_value(v) for v in row] for row in itertools.islice(rows, WIDTH_SAMPLE)]
    for index, name in enumerate(header):
        letter = get_column_letter(index + 1)
        width = widths[index] if index < len(widths) else None
        if width is None:
            widest = max([display_width(name), *(display_width(r[index]) for r in first)])
            width = min(MAX_WIDTH, widest + 3)
        sheet.column_dimensions[letter].width = width
    header_line = 2 if notes else 1
    sheet.freeze_panes = f"A{header_line + 1}"
    if notes:
        sheet.append([stream_cell(sheet, notes)])
    heads = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=clean_text(name))
        if is_formula_text(name):
            cell.data_type = "s"
            cell.quotePrefix = True
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        heads.append(cell)
    sheet.append(heads)
    fmts = [formats[i] if i < len(formats) else None for i in range(len(header))]
    count = 0
    for row in itertools.chain(first, rows):
        sheet.append([stream_cell(sheet, value, fmt) for value, fmt in zip(row, fmts, strict=False)])
        count += 1
    if count and header:
        last = get_column_letter(len(header))
        sheet.auto_filter.ref = f"A{header_line}:{last}{header_line + count}"
    book.save(out)
    return count


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
