"""The applications workbook is a plain table as long as the campaign: it is written by the streaming
writer (``ganbu.core.xlsx.table_stream``), never cell by cell through openpyxl, and holds the same
cells — numbers, 缺考, dates and text columns — as the openpyxl sheet did."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from ganbu.campaigns import excel, services
from ganbu.campaigns.models import StageScore
from ganbu.core import xlsx

from .excel_support import applications, scoring_campaign

pytestmark = pytest.mark.django_db


def test_the_applications_export_is_streamed_with_its_scores_and_formats(officer, tree, monkeypatch):
    campaign = scoring_campaign(officer, tree.root, 4, title="流式导出")
    people = applications(campaign)
    StageScore.objects.create(application=people[0], stage="written", score=Decimal("81.50"), absent=False)
    StageScore.objects.create(application=people[1], stage="written", score=Decimal(0), absent=True)

    def no_openpyxl(title):
        raise AssertionError("the applications workbook must not be built cell by cell")

    monkeypatch.setattr(xlsx, "new_workbook", no_openpyxl)
    book = load_workbook(io.BytesIO(excel.applications_export(campaign)))
    sheet = book.worksheets[0]
    assert sheet.title == "报名情况" and sheet.freeze_panes == "A2"
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    body = {r[1]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert body[people[0].ticket]["笔试"] == 81.5 and body[people[1].ticket]["笔试"] == "缺考"
    assert body[people[2].ticket]["笔试"] is None
    assert isinstance(body[people[0].ticket]["出生日期"], dt.datetime)
    column = {name: n for n, name in enumerate(header)}
    first = next(sheet.iter_rows(min_row=2, max_row=2))
    assert (
        first[column["准考证号"]].number_format == "@"
        and first[column["出生日期"]].number_format == "yyyy-mm-dd"
    )
    assert services.plan_of(campaign)  # the campaign is untouched by the export
