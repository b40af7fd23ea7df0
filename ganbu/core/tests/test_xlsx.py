"""The one spreadsheet writer (``ganbu.core.xlsx``): formula-like text stays text, numbers stay numbers,
and no other module builds a workbook of its own."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from ganbu.core import xlsx

GANBU = Path(__file__).resolve().parents[2]


def _saved(rows):
    book, sheet = xlsx.new_workbook("表")
    xlsx.write_table(sheet, ["甲", "乙", "丙"], rows)
    xlsx.write_notes(book, "说明", "=标题", [("=说明", "+解释"), ("普通", "文字")])
    return load_workbook(io.BytesIO(xlsx.to_bytes(book)))


def test_text_that_looks_like_a_formula_is_kept_as_text():
    hostile = ['=HYPERLINK("http://10.0.0.1","x")', "+1", "-1+2", "@A1", "\t=1", "\r=1"]
    book = _saved([[h, "普通", None] for h in hostile])
    cells = [row[0] for row in book["表"].iter_rows(min_row=2)]
    assert [c.value for c in cells] == hostile
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    assert not any(c.quotePrefix for row in book["表"].iter_rows(min_row=2) for c in row[1:])
    notes = book["说明"]
    assert (notes["A1"].value, notes["A1"].data_type, notes["A1"].quotePrefix) == ("=标题", "s", True)
    assert (notes["A3"].value, notes["B3"].value) == ("=说明", "+解释")
    assert notes["A3"].data_type == "s" and notes["B3"].quotePrefix


def test_numbers_stay_numbers_even_when_negative():
    book = _saved([[-5, Decimal("-1.50"), -0.25]])
    cells = next(book["表"].iter_rows(min_row=2))
    assert [c.value for c in cells] == [-5, -1.5, -0.25]
    assert all(c.data_type == "n" and not c.quotePrefix for c in cells)


def test_characters_an_xlsx_cannot_hold_are_removed_not_a_failure():
    book = _saved([["张\x01三", "李\x0b四", "王\t五"]])
    assert [c.value for c in next(book["表"].iter_rows(min_row=2))] == ["张三", "李四", "王\t五"]


def test_a_formula_put_in_by_hand_is_written_as_text():
    book, sheet = xlsx.new_workbook("表")
    sheet["A1"] = "=1+1"
    saved = load_workbook(io.BytesIO(xlsx.to_bytes(book)))
    assert (saved["表"]["A1"].value, saved["表"]["A1"].data_type) == ("=1+1", "s")


def test_no_module_builds_a_workbook_but_the_one_writer():
    # One export mechanism: a new export written with openpyxl directly would bypass the neutralising.
    builds = re.compile(r"\bWorkbook\(|xlsxwriter|csv\.writer")
    writers = {GANBU / "core" / name for name in ("xlsx.py", "xlsx_stream.py", "csv_stream.py")}
    offenders = [
        str(path.relative_to(GANBU))
        for path in GANBU.rglob("*.py")
        if "tests" not in path.parts
        and path not in writers
        and builds.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


# ---------------------------------------------------------------- the streaming writer


def _streamed(rows, **kwargs):
    out = io.BytesIO()
    count = xlsx.write_stream(out, title="名册", header=["甲", "乙", "丙"], rows=iter(rows), **kwargs)
    return count, load_workbook(io.BytesIO(out.getvalue()))


def test_streamed_text_that_looks_like_a_formula_is_kept_as_text():
    hostile = ['=HYPERLINK("http://10.0.0.1","x")', "+1", "-1+2", "@A1", "\t=1", "\r=1"]
    count, book = _streamed([[h, "普通", -5] for h in hostile], notes="=筛选条件")
    sheet = book["名册"]
    assert count == len(hostile)
    assert (sheet["A1"].value, sheet["A1"].data_type, sheet["A1"].quotePrefix) == ("=筛选条件", "s", True)
    cells = [row[0] for row in sheet.iter_rows(min_row=3)]
    assert [c.value for c in cells] == hostile
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    others = [c for row in sheet.iter_rows(min_row=3) for c in row[1:]]
    assert not any(c.quotePrefix for c in others)
    assert [c.value for c in others[:2]] == ["普通", -5] and others[1].data_type == "n"


def test_streamed_values_formats_and_layout():
    rows = [["张\x01三", dt.date(1980, 5, 1), Decimal("1.5")], ["李四", None, True]]
    count, book = _streamed(rows, formats=[None, "yyyy.mm", "0.00"])
    sheet = book["名册"]
    assert count == 2
    assert [c.value for c in sheet[1]] == ["甲", "乙", "丙"] and sheet["A1"].font.b
    assert sheet["A2"].value == "张三"
    assert sheet["B2"].value.date() == dt.date(1980, 5, 1) and sheet["B2"].number_format == "yyyy.mm"
    assert (sheet["C2"].value, sheet["C2"].number_format, sheet["C3"].value) == (1.5, "0.00", True)
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:C3"


def test_streamed_rows_beyond_the_width_sample_are_all_written():
    # Widths are sized from the first rows only; every row after them is still written.
    taken = []

    def rows():
        for n in range(xlsx.WIDTH_SAMPLE + 50):
            taken.append(n)
            yield [f"人{n}", n, None]

    count, book = _streamed(rows())
    assert count == xlsx.WIDTH_SAMPLE + 50 == len(taken)
    assert book["名册"].cell(row=count + 1, column=2).value == count - 1


def test_sheet_titles_excel_accepts():
    assert xlsx.sheet_title("干部名册[2026]/一:二*三?") == "干部名册2026一二三"
    assert len(xlsx.sheet_title("长" * 40)) == 31
