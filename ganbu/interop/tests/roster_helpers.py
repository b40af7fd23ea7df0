"""Helpers of the roster import tests: sheets built cell by cell, and a valid cadre row."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook, load_workbook

from ganbu.interop.roster.reader import read_roster
from ganbu.interop.roster.validate import Plan, plan_rows

HEADER = ["姓名", "性别", "身份证号", "出生日期", "籍贯", "政治面貌", "入党时间", "参加工作时间", "所在单位"]


def id_number(birth: dt.date, sequence: int = 1, male: bool = True) -> str:
    """A valid 18-digit ID number for a birth date (region 110101)."""
    from ganbu.rules.idcard import check_char

    seq = sequence * 2 + (1 if male else 0)
    first17 = f"110101{birth:%Y%m%d}{seq % 1000:03d}"
    return first17 + check_char(first17)


def row(name: str, birth: dt.date, unit: str, *, seq: int = 1, male: bool = True, **extra: Any) -> list[Any]:
    """A valid row of ``HEADER``."""
    values = {
        "姓名": name,
        "性别": "男" if male else "女",
        "身份证号": id_number(birth, seq, male),
        "出生日期": birth,
        "籍贯": "山东乐陵",
        "政治面貌": "中共党员",
        "入党时间": f"{birth.year + 25}.06",
        "参加工作时间": f"{birth.year + 22}.07",
        "所在单位": unit,
    }
    values.update(extra)
    return [values[h] for h in HEADER]


def sheet(rows: Sequence[Sequence[Any]], header: Sequence[str] = HEADER, title: str = "干部信息") -> bytes:
    """An .xlsx with one sheet: the header, then the rows (text written as text)."""
    book = Workbook()
    ws = book.active
    ws.title = title
    ws.append(list(header))
    for values in rows:
        ws.append(list(values))
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def plan_of(user: Any, data: bytes) -> Plan:
    """The plan of a sheet for a user (read, then checked against the registry)."""
    return plan_rows(user=user, sheet=read_roster(data))


def edit(data: bytes, changes: dict[tuple[int, str], Any]) -> bytes:
    """The workbook ``data`` with cells of the first sheet changed: (row, header) → value."""
    book = load_workbook(io.BytesIO(data))
    ws = book.worksheets[0]
    header = [c.value for c in ws[1]]
    for (line, name), value in changes.items():
        cell = ws.cell(row=line, column=header.index(name) + 1)
        cell.value = value
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # typed as text (a leading ' in Excel), not a formula
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
