"""The published cadre import template (.xlsx): blank, or prefilled with the user's cadres to edit.

Sheets: 干部信息 (the header, then one cadre a row — none in the blank template, the filtered
roster in the prefilled one), 说明 (every column: required or not, what to write, an example; the
import's rules), and a hidden 代码表 holding the drop-down lists (性别, 政治面貌, 学历, 状态, 干部类别,
干部管理权限, and the units the user may manage). Required columns have a red header; the
read-only ones (现任职务, 现职级) a grey one. ID numbers and month columns are formatted as text
so Excel keeps what is typed (18 digits; 1998.10 not turned into 1998.1).

Written through ``ganbu.core.xlsx`` (formula-safe: a cadre's text beginning with ``=`` stays text).
The drop-down lists are openpyxl data validations referring to 代码表, not formulas in cells.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.utils import timezone
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ganbu.accounts.models import User
from ganbu.core import xlsx
from ganbu.registry.models import Cadre

from .columns import COLUMNS, Column, ColumnKind
from .reader import MAX_ROWS, SHEET
from .validate import editable_units, shown, unit_labels

SHEET_NOTES = "说明"
SHEET_CODES = "代码表"
EXTRA_ROWS = 500
"""Rows below the filled ones that carry the drop-down lists and formats (for new cadres)."""
_REQUIRED_FONT = Font(bold=True, color="C00000")
_READ_ONLY_FILL = PatternFill("solid", fgColor="E7E6E6")

FORMATS: dict[str, str] = {
    c.label: "@" for c in COLUMNS if c.kind in (ColumnKind.ID_NUMBER, ColumnKind.MONTH, ColumnKind.TEXT)
} | {c.label: "yyyy-mm-dd" for c in COLUMNS if c.kind is ColumnKind.DATE}


def _cell(column: Column, cadre: Cadre, labels: dict[int, str]) -> Any:
    """A cadre's value for a column as the template holds it (dates as dates, months as text)."""
    if column.key == "rank":
        return cadre.get_rank_display()
    if column.kind is ColumnKind.UNIT:
        return labels.get(cadre.unit_id, cadre.unit.name)
    value = getattr(cadre, column.key)
    if column.kind is ColumnKind.DATE:
        return value
    return shown(column, value) or None


def roster_template(*, user: User, cadres: Iterable[Cadre] = ()) -> bytes:
    """The import template, with one row per cadre of ``cadres`` (none: the blank template).

    ``cadres`` must be the user's own (the roster's selector); the unit texts are those of the
    units the user may manage. At most ``MAX_ROWS`` cadres are written (an import takes no more).
    """
    units = list(editable_units(user))
    labels = unit_labels(units)
    rows = [[_cell(c, cadre, labels) for c in COLUMNS] for cadre in list(cadres)[:MAX_ROWS]]
    book, sheet = xlsx.new_workbook(SHEET)
    header = [c.label for c in COLUMNS]
    xlsx.write_table(sheet, header, rows, formats=FORMATS, filters=bool(rows))
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        if column.required:
            cell.font = _REQUIRED_FONT
        if column.kind is ColumnKind.READ_ONLY:
            cell.fill = _READ_ONLY_FILL
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(sheet.column_dimensions[letter].width or 0, column.width)
    _lists(book, sheet, [labels[u.pk] for u in units if u.is_active], last=len(rows) + 1 + EXTRA_ROWS)
    _notes(book, prefilled=bool(rows), count=len(rows))
    return xlsx.to_bytes(book)


def _lists(book: Any, sheet: Any, unit_texts: Sequence[str], *, last: int) -> None:
    """The hidden 代码表 and a drop-down list on each choice column and on 所在单位."""
    codes = book.create_sheet(SHEET_CODES)
    lists: list[tuple[int, Sequence[str]]] = []
    for index, column in enumerate(COLUMNS, start=1):
        if column.kind is ColumnKind.CHOICE:
            lists.append((index, [label for _, label in column.choices]))
        elif column.kind is ColumnKind.UNIT and unit_texts:
            lists.append((index, unit_texts))
    for n, (index, values) in enumerate(lists, start=1):
        column = COLUMNS[index - 1]
        xlsx.put(codes.cell(row=1, column=n), column.label)
        for line, value in enumerate(values, start=2):
            xlsx.put(codes.cell(row=line, column=n), value)
        letter = get_column_letter(n)
        check = DataValidation(
            type="list",
            formula1=f"'{SHEET_CODES}'!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=True,
        )
        # A warning, not a refusal: the import also takes synonyms (本科, 党员 …) and unit codes.
        check.errorStyle = "warning"
        check.showErrorMessage = True
        check.errorTitle = column.label
        check.error = f"请从下拉列表中选择{column.label}。"
        sheet.add_data_validation(check)
        target = get_column_letter(index)
        check.add(f"{target}2:{target}{last}")
    codes.sheet_state = "hidden"


def _notes(book: Any, *, prefilled: bool, count: int) -> None:
    """The 说明 sheet: the import's rules, then one line per column."""
    lines: list[tuple[str, str]] = [
        (
            "用途",
            f"已填入您筛选出的 {count} 名干部的信息，修改后上传即可更新；也可在下面添加新干部。"
            if prefilled
            else "每行填写一名干部，上传后新增或更新干部信息。",
        ),
        (
            "对应规则",
            "有身份证号的，按身份证号对应系统中的干部：已有的更新，没有的新增。没有身份证号、"
            "而系统中有同名同出生日期干部的，预览时请您确认是否同一人。",
        ),
        (
            "空白单元格",
            "更新已有干部时，空白单元格保留系统中的原值（不会清空）；新增干部时，带默认值的列取默认值。"
            "要清空某项，请在干部信息页面修改。",
        ),
        (
            "导入规则",
            "先预览、后确认：上传后列出每行将新增或更新的内容（逐项列出原值和新值），确认后才写入。"
            "全部成功或全部不导入：任何一行有错，整份文件都不导入，并逐行列出错误（行号即 Excel 的行号）。",
        ),
        (
            "列的顺序",
            "表头按名称识别，列的顺序可以调整，不需要的列可以删除；模板以外的列（如备注）不读取。"
            "红色表头的列新增干部时必须填写；灰色表头的列仅供查看。",
        ),
        ("限制", f"仅限 .xlsx 文件，不超过 10 MB、{MAX_ROWS} 人；公式按 Excel 保存的计算结果读取。"),
    ]
    for column in COLUMNS:
        required = "必填（新增时）。" if column.required else ""
        example = f"示例：{column.example}" if column.example else ""
        lines.append((column.label, f"{required}{column.note}{example}"))
    lines.append(("生成时间", f"{timezone.localtime():%Y-%m-%d %H:%M}"))
    xlsx.write_notes(book, SHEET_NOTES, "干部信息导入模板　填写说明", lines)


def report_workbook(result: dict[str, Any], *, filename: str = "") -> bytes:
    """What a finished import wrote, as .xlsx: one row per cadre created or updated (row, name, what)."""
    rows = [[c["line"], c["name"], "新增"] for c in result.get("created", [])]
    rows += [[c["line"], c["name"], "更新"] for c in result.get("updated", [])]
    rows.sort(key=lambda r: r[0])
    book, sheet = xlsx.new_workbook("导入结果")
    xlsx.write_table(sheet, ["行号", "姓名", "处理"], rows)
    lines = [
        ("文件", filename or "—"),
        ("新增", f"{len(result.get('created', []))} 人"),
        ("更新", f"{len(result.get('updated', []))} 人"),
        ("无变化", f"{result.get('unchanged', 0)} 人"),
    ]
    xlsx.write_notes(book, SHEET_NOTES, "干部信息导入结果", lines)
    return xlsx.to_bytes(book)
