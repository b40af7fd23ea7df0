"""Reading an uploaded 干部信息 sheet: the header by name, every cell parsed by its column's kind.

What this module finds is about the *file* alone (no database): a missing or repeated column, a
cell that is not a date, an ID number whose check character is wrong, a choice not in the list,
the same ID number twice. Every problem is one Chinese sentence naming the Excel row and the
column — 「第 7 行「出生日期」：“1980-13-01”不是日期……」 — kept with its row, so that ``validate``
reports all of them at once with the rest. A file that cannot be read as a whole (no header, a
missing column, over the limits) is refused here (``ServiceError`` on ``file``). What the rows mean
against the registry (the unit, the match to a stored cadre, the registry's own checks) is
``validate``'s.

The file's envelope (size, archive, unpacked size, shared strings) is checked before openpyxl opens
it, with the same code as the score import (``ganbu.jobs.envelope.check_xlsx``, docs/excel.md);
the workbook is opened read-only with cached values (formulas are never evaluated), and text
that looks like a formula (``=HYPERLINK(…)``) is read as the text it is.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from ganbu.core import xlsx
from ganbu.core.errors import ServiceError
from ganbu.jobs.envelope import Limits, check_xlsx
from ganbu.rules.idcard import IdNumberError, parse_id_number

from .columns import BY_KEY, Column, ColumnKind, column_for_header

logger = logging.getLogger("ganbu.interop.roster")

SHEET = "干部信息"
MAX_ROWS = 5_000
"""Most cadres in one file (a county's whole registry is a few thousand)."""
MAX_SCANNED_ROWS = 50_000
"""Rows looked at (blank ones included) before the file is refused as padded with empty rows."""
MAX_COLUMNS = 60
LIMITS = Limits(what="干部信息表")
"""The envelope's limits (10 MB, 50 MB unpacked, 200,000 distinct strings), as the score import's."""
HEADER_SEARCH_ROWS = 10
PROGRESS_EVERY = 200

MSG_BROKEN = "文件无法作为 Excel 工作簿打开（已损坏或不完整），请在 Excel 或 WPS 中打开并重新保存后再上传。"
MSG_NO_SHEET = "工作簿中没有工作表。"
MSG_NO_HEADER = (
    "工作表“{sheet}”的前 10 行中找不到表头（应有“姓名”“身份证号”“出生日期”“所在单位”等列），"
    "请使用系统提供的导入模板。"
)
MSG_NO_NAME_COLUMN = "第 {line} 行（表头）缺少“姓名”列。"
MSG_NO_WHO_COLUMN = (
    "第 {line} 行（表头）缺少“身份证号”列或“出生日期”列：至少要有一列，才能确定每行是哪名干部。"
)
MSG_DUPLICATE_COLUMN = "第 {line} 行（表头）：“{name}”列出现了两次（{first} 列和 {second} 列）。"
MSG_NO_ROWS = "表中只有表头，没有干部信息。"
MSG_TOO_MANY_ROWS = f"表中的干部超过每次 {MAX_ROWS} 人的上限，请分成几个文件导入。"
MSG_TOO_MANY_SCANNED = f"表中的行超过 {MAX_SCANNED_ROWS} 行（可能有大量带格式的空行），请删除空行后再上传。"
MSG_CELL = "第 {line} 行「{column}」：{problem}"
MSG_ROW = "第 {line} 行：{problem}"
MSG_FORMULA_ERROR = "{cell} 单元格的公式结果是错误值“{value}”，请改正公式或直接填入内容"
MSG_TOO_LONG = "“{value}”超过 {limit} 个字"
MSG_NOT_TEXT = "应为文字，实际为{kind}"
MSG_NOT_DATE = "“{value}”不是日期，请按 1980-01-01 的格式填写"
MSG_NOT_MONTH = "“{value}”不是年月，请按 1998.07 的格式填写"
MSG_AMBIGUOUS_MONTH = (
    "{value} 被 Excel 存成了数字，看不出是 1 月还是 10 月，"
    "请把本列设为“文本”格式后按 {year}.01 或 {year}.10 填写"
)
MSG_NOT_CHOICE = "“{value}”不在可选范围内，可填：{labels}"
MSG_ID_AS_NUMBER = "身份证号被 Excel 存成了数字（{value}），末几位已经丢失，请把本列设为“文本”格式后重新录入"
MSG_ID_REPEATED = "{value} 与第 {first} 行重复：同一人只能有一行"

# 1980-01-01, 1980.1.1, 1980/01/01, 1980年1月1日, 19800101 (a time after the date is ignored).
_DATE = re.compile(
    r"^(\d{4})\s*(?:[.\-/年]\s*(\d{1,2})\s*[.\-/月]\s*(\d{1,2})\s*日?|(\d{2})(\d{2}))(?:\s+[\d:]+)?$"
)
# 1998.07, 1998-07, 1998/07, 199807, 1998年7月, and a full date whose day is ignored.
_MONTH = re.compile(r"^(\d{4})\s*(?:[.\-/年]\s*)?(\d{1,2})\s*(?:月|[.\-/]\s*\d{1,2}\s*日?)?$")

Progress = Callable[[int, int], None]
"""``progress(rows_read, estimated_total)`` while a sheet is read."""


@dataclass
class SheetRow:
    """One filled row: its Excel row number and the parsed value of each non-blank known cell.

    Values by column key: text as ``str``, dates as ``date`` (a month as its first day), choices as
    their code, the unit as the text typed (``validate`` finds the unit), the read-only columns as
    text. A blank cell is absent.
    """

    line: int
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    """This row's problems of the file itself (a cell that could not be read); its column is absent."""

    def as_json(self) -> dict[str, Any]:
        """The row as JSON (dates as ISO text)."""
        return {
            "line": self.line,
            "values": {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in self.values.items()},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SheetRow:
        """The row ``as_json`` gave."""
        values: dict[str, Any] = {}
        for key, value in data["values"].items():
            kind = BY_KEY[key].kind
            values[key] = (
                dt.date.fromisoformat(value) if kind in (ColumnKind.DATE, ColumnKind.MONTH) else value
            )
        return cls(line=int(data["line"]), values=values)


@dataclass
class Sheet:
    """What a 干部信息 sheet holds: the columns found, the columns not known, the rows.

    Rows with cells that could not be read carry their messages (``SheetRow.errors``), so that
    ``validate`` reports them with the problems found against the registry, row by row, at once.
    """

    columns: list[str]
    unknown: list[str]
    rows: list[SheetRow]


def _text(value: Any, column: Column) -> str:
    """A text cell: a whole number is taken as typed; dates and logical values are refused."""
    if isinstance(value, str):
        # Formula-like text (=…, +…) is kept exactly as text: it is never evaluated anywhere.
        text = value.strip()
        if column.key == "name":
            text = "".join(text.split())
    elif isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    elif isinstance(value, float) and value.is_integer() and not isinstance(value, bool):
        text = str(int(value))
    else:
        raise ValueError(MSG_NOT_TEXT.format(kind=xlsx.cell_kind(value)))
    if column.max_length and len(text) > column.max_length:
        raise ValueError(
            MSG_TOO_LONG.format(value=text[:20] + ("…" if len(text) > 20 else ""), limit=column.max_length)
        )
    return text


def _id_number(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        shown = f"{value:.0f}" if isinstance(value, float) else str(value)
        raise ValueError(MSG_ID_AS_NUMBER.format(value=shown))
    if not isinstance(value, str):
        raise ValueError(MSG_NOT_TEXT.format(kind=xlsx.cell_kind(value)))
    try:
        return parse_id_number(xlsx.typed_text(value)).value
    except IdNumberError as exc:
        raise ValueError(str(exc).rstrip("。")) from None


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 10_000_000 <= value <= 99_999_999:
        value = str(value)
    if not isinstance(value, str):
        raise ValueError(MSG_NOT_TEXT.format(kind=xlsx.cell_kind(value)).replace("文字", "日期"))
    text = xlsx.typed_text(value)
    match = _DATE.match(text)
    if match:
        year = int(match.group(1))
        month = int(match.group(2) or match.group(4))
        day = int(match.group(3) or match.group(5))
        try:
            return dt.date(year, month, day)
        except ValueError:
            pass
    raise ValueError(MSG_NOT_DATE.format(value=text))


def _month(value: Any) -> dt.date:
    if isinstance(value, dt.datetime | dt.date):
        return dt.date(value.year, value.month, 1)
    if isinstance(value, float) and not isinstance(value, bool):
        # 1998.07 typed into a General cell is the number 1998.07; 1998.10 became 1998.1.
        text = repr(value)
        if re.fullmatch(r"\d{4}\.1", text):
            raise ValueError(MSG_AMBIGUOUS_MONTH.format(value=text, year=text[:4]))
        value = text
    elif isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError(MSG_NOT_TEXT.format(kind=xlsx.cell_kind(value)).replace("文字", "年月"))
    text = xlsx.typed_text(value)
    match = _MONTH.match(text)
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12 and year >= 1900:
            return dt.date(year, month, 1)
    raise ValueError(MSG_NOT_MONTH.format(value=text))


def _choice(value: Any, column: Column) -> str:
    text = "".join(xlsx.typed_text(value).split()) if isinstance(value, str) else ""
    for code, label in column.choices:
        if text == label:
            return code
    if text in column.synonyms:
        return str(column.synonyms[text])
    shown = text or str(value)
    labels = "、".join(label for _, label in column.choices)
    raise ValueError(MSG_NOT_CHOICE.format(value=shown, labels=labels))


def parse_cell(value: Any, column: Column) -> Any:
    """The value of a non-blank cell for ``column``; ``ValueError`` with the Chinese problem otherwise."""
    if column.kind is ColumnKind.ID_NUMBER:
        return _id_number(value)
    if column.kind is ColumnKind.DATE:
        return _date(value)
    if column.kind is ColumnKind.MONTH:
        return _month(value)
    if column.kind is ColumnKind.CHOICE:
        return _choice(value, column)
    if column.kind is ColumnKind.UNIT:
        return xlsx.typed_text(_text(value, column))
    return _text(value, column)


def check_envelope(data: bytes) -> None:
    """Refuse, before openpyxl sees it, a file too large, not an .xlsx, or a zip or strings bomb."""
    check_xlsx(data, LIMITS)


def _open(data: bytes) -> Any:
    """The workbook, read-only, cached values instead of formulas; a ``ServiceError`` if it is not one."""
    check_envelope(data)
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (KeyError, ValueError, lxml and defusedxml errors …)
        logger.info("Excel 文件无法打开", exc_info=True)
        raise ServiceError({"file": [MSG_BROKEN]}) from None


def read_roster(data: bytes, *, progress: Progress | None = None) -> Sheet:
    """The filled rows of an uploaded 干部信息 sheet, each with the problems of its cells.

    A ``ServiceError`` for a file that cannot be read as a whole (not an .xlsx, no header, a missing
    or repeated column, no rows, over the limits).

    The sheet named 干部信息 is read, else the first one. The header is found by name among the
    first ten rows (order free; a title may stand above it); columns the template does not have
    are listed in ``Sheet.unknown`` and not read. Blank rows are skipped. ``progress`` is called
    every ``PROGRESS_EVERY`` rows.
    """
    book = _open(data)
    try:
        return _read(book, progress)
    except ServiceError:
        raise
    except Exception:  # a part of the file openpyxl only parses while the rows are read
        logger.info("Excel 文件读取失败", exc_info=True)
        raise ServiceError({"file": [MSG_BROKEN]}) from None
    finally:
        book.close()


def _header(sheet: Any) -> tuple[int, dict[int, Column], list[str], int]:
    """The header's row number, the known column at each index, the unknown headers, the width."""
    for line, cells in enumerate(sheet.iter_rows(max_row=HEADER_SEARCH_ROWS, max_col=MAX_COLUMNS), start=1):
        values = [c.value for c in cells]
        found = {i: column_for_header(v) for i, v in enumerate(values) if isinstance(v, str)}
        if not any(found.values()):
            continue
        columns: dict[int, Column] = {}
        seen: dict[str, int] = {}
        problems: list[str] = []
        unknown: list[str] = []
        for index, column in found.items():
            if column is None:
                if not xlsx.is_blank(values[index]):
                    unknown.append(xlsx.typed_text(str(values[index])))
                continue
            if column.key in seen:
                problems.append(
                    MSG_DUPLICATE_COLUMN.format(
                        line=line,
                        name=column.label,
                        first=get_column_letter(seen[column.key] + 1),
                        second=get_column_letter(index + 1),
                    )
                )
                continue
            seen[column.key] = index
            columns[index] = column
        if "name" not in seen:
            problems.append(MSG_NO_NAME_COLUMN.format(line=line))
        if "id_number" not in seen and "birth_date" not in seen:
            problems.append(MSG_NO_WHO_COLUMN.format(line=line))
        if problems:
            raise ServiceError({"file": problems})
        width = max(i for i, v in enumerate(values) if not xlsx.is_blank(v)) + 1
        return line, columns, unknown, width
    raise ServiceError({"file": [MSG_NO_HEADER.format(sheet=sheet.title)]})


def _read(book: Any, progress: Progress | None) -> Sheet:
    sheets = list(book.worksheets)
    if not sheets:
        raise ServiceError({"file": [MSG_NO_SHEET]})
    sheet = next((s for s in sheets if s.title == SHEET), sheets[0])
    header_line, columns, unknown, width = _header(sheet)
    estimate = max(0, (sheet.max_row or 0) - header_line)
    rows: list[SheetRow] = []
    ids: dict[str, int] = {}
    filled = 0
    for line, filled, cells in xlsx.filled_rows(
        sheet,
        header_line=header_line,
        width=width,
        max_scanned=MAX_SCANNED_ROWS,
        max_rows=MAX_ROWS,
        too_many_scanned=MSG_TOO_MANY_SCANNED,
        too_many_rows=MSG_TOO_MANY_ROWS,
    ):
        row = SheetRow(line=line)
        for index, cell in enumerate(cells):
            column = columns.get(index)
            if column is None or xlsx.is_blank(cell.value):
                continue
            if getattr(cell, "data_type", None) == "e":
                problem = MSG_FORMULA_ERROR.format(cell=cell.coordinate, value=cell.value)
                row.errors.append(MSG_CELL.format(line=line, column=column.label, problem=problem + "。"))
                continue
            try:
                row.values[column.key] = parse_cell(cell.value, column)
            except ValueError as exc:
                row.errors.append(MSG_CELL.format(line=line, column=column.label, problem=f"{exc}。"))
        id_number = row.values.get("id_number")
        if id_number:
            if id_number in ids:
                problem = MSG_ID_REPEATED.format(value=id_number, first=ids[id_number])
                row.errors.append(MSG_CELL.format(line=line, column="身份证号", problem=problem + "。"))
            else:
                ids[id_number] = line
        rows.append(row)
        if progress is not None and filled % PROGRESS_EVERY == 0:
            progress(filled, max(estimate, filled))
    if not rows:
        raise ServiceError({"file": [MSG_NO_ROWS]})
    if progress is not None:
        progress(filled, filled)
    return Sheet(columns=[c.key for c in columns.values()], unknown=unknown, rows=rows)
