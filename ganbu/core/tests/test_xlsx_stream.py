"""The streaming writers (``ganbu.core.xlsx_stream``, ``ganbu.core.csv_stream``): files openpyxl reads
back with every value and style, formula-like text kept as text, Excel's row limit, bytes produced
while the rows are still being read (flat memory), CSV with BOM and neutralised text."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

from django.utils import timezone
from openpyxl import load_workbook

from ganbu.core.csv_stream import CsvStream
from ganbu.core.xlsx_stream import XlsxStream

STAMP = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)


def _book(stream: XlsxStream):
    return load_workbook(io.BytesIO(b"".join(stream)))


def test_values_styles_and_escaping_read_back():
    rows = [
        ["a & <b>", " 前后空格 ", "行一\r\n行二", dt.date(1980, 5, 1), STAMP],
        [Decimal("1.25"), float("inf"), True, dt.time(8, 30), 7],
        ["", None, "张\x01三", "+86 139", -5],
    ]
    stream = XlsxStream(
        title="表",
        header=["甲", "乙", "丙", "丁", "戊"],
        rows=iter(rows),
        formats=[None, None, None, "yyyy.mm"],
    )
    sheet = _book(stream)["表"]
    assert stream.rows_written == 3
    assert [c.value for c in sheet[1]] == ["甲", "乙", "丙", "丁", "戊"] and sheet["A1"].font.b
    assert [sheet["A2"].value, sheet["B2"].value, sheet["C2"].value] == [
        "a & <b>",
        " 前后空格 ",
        "行一\r\n行二",
    ]
    assert sheet["D2"].value.date() == dt.date(1980, 5, 1) and sheet["D2"].number_format == "yyyy.mm"
    assert sheet["E2"].value == timezone.localtime(STAMP).replace(tzinfo=None)  # Excel has no time zones
    assert [sheet["A3"].value, sheet["B3"].value, sheet["C3"].value, sheet["E3"].value] == [
        1.25,
        "inf",
        True,
        7,
    ]
    assert sheet["D3"].value == dt.time(8, 30)
    assert [sheet["A4"].value, sheet["B4"].value, sheet["C4"].value, sheet["E4"].value] == [
        None,
        None,
        "张三",
        -5,
    ]
    assert sheet["D4"].value == "+86 139" and sheet["D4"].quotePrefix and sheet["D4"].data_type == "s"
    assert not sheet["E4"].quotePrefix and sheet["E4"].data_type == "n"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:E4"


def test_rows_past_excels_limit_go_on_to_further_sheets_with_the_header():
    rows = ([f"人{n}", n] for n in range(12))
    stream = XlsxStream(title="名册", header=["姓名", "序号"], rows=rows, notes="说明", max_sheet_rows=6)
    book = _book(stream)
    assert stream.rows_written == 12
    assert book.sheetnames == ["名册", "名册 (2)", "名册 (3)"]
    seen = [r[1] for s in book.worksheets for r in s.iter_rows(min_row=3, values_only=True)]
    assert seen == list(range(12))
    assert [c.value for c in book["名册 (3)"][2]] == ["姓名", "序号"] and book["名册 (3)"][
        "A1"
    ].value == "说明"


def test_an_empty_table_is_a_sheet_with_its_header():
    book = _book(XlsxStream(title="空", header=["甲"], rows=iter([])))
    assert [[c.value for c in row] for row in book["空"].iter_rows()] == [["甲"]]


def test_bytes_come_out_while_the_rows_are_still_being_read():
    read = []

    def rows():
        for n in range(60_000):
            read.append(n)
            yield [f"干部{n}", n, "某某县财政局", "局长"]

    chunks = iter(XlsxStream(title="表", header=["甲", "乙", "丙", "丁"], rows=rows(), width_sample=10))
    first = next(chunks)
    assert first.startswith(b"PK") and len(read) < 60_000
    assert sum(map(len, chunks)) > 0 and len(read) == 60_000


def test_csv_has_a_bom_neutralised_text_and_dates_in_the_columns_format():
    rows = [
        ['=HYPERLINK("http://x","y")', -5, dt.date(1980, 5, 1), None, True],
        ["-1+2", 1.5, dt.date(2020, 1, 2), "普通\r\n两行", "@A1"],
    ]
    stream = CsvStream(
        header=["甲", "乙", "丙", "丁", "戊"], rows=iter(rows), formats=[None, None, "yyyy.mm"]
    )
    data = b"".join(stream)
    assert data.startswith("\ufeff甲".encode())
    assert stream.rows_written == 2
    read = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert read == [
        ["甲", "乙", "丙", "丁", "戊"],
        ['\'=HYPERLINK("http://x","y")', "-5", "1980.05", "", "TRUE"],
        ["'-1+2", "1.5", "2020.01", "普通\r\n两行", "'@A1"],
    ]
