"""The cadre import pages with the Django client, through the job: template, upload, preview, outcome."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from ganbu.jobs.models import ImportJob
from ganbu.jobs.worker import run_pending
from ganbu.registry.models import Cadre
from ganbu.registry.services import cadre_create

from .roster_helpers import edit, id_number, row, sheet

D = dt.date
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload(client, data: bytes, name: str = "干部.xlsx"):
    return client.post(
        reverse("web:roster-import"), {"file": SimpleUploadedFile(name, data, content_type=XLSX)}
    )


@pytest.fixture
def signed_in(client, officer):
    client.force_login(officer)
    return client


def test_the_whole_flow_new_and_update(signed_in, officer, tree):
    cadre = cadre_create(
        actor=officer,
        data={
            "name": "钱已在",
            "gender": "M",
            "birth_date": D(1985, 5, 5),
            "id_number": id_number(D(1985, 5, 5), 5),
            "native_place": "示例县",
            "unit": tree.finance,
        },
    )
    page = signed_in.get(reverse("web:roster-import"))
    assert page.status_code == 200 and "空白导入模板" in page.content.decode()
    # The prefilled template, filtered as the roster: one cadre.
    download = signed_in.get(reverse("web:roster-import-template") + "?prefilled=1&q=钱已在")
    assert download.status_code == 200 and download["Content-Type"] == XLSX
    book = load_workbook(io.BytesIO(download.content))
    assert [c.value for c in book["干部信息"]["A"]] == ["姓名", "钱已在"]
    changed = edit(download.content, {(2, "籍贯"): "山东乐陵"})
    data = edit(changed, {(3, "姓名"): "孙新来"})
    book = load_workbook(io.BytesIO(data))
    ws = book["干部信息"]
    header = [c.value for c in ws[1]]
    for name, value in zip(
        ("性别", "身份证号", "出生日期", "籍贯", "所在单位"),
        ("女", id_number(D(1992, 3, 3), 6, male=False), D(1992, 3, 3), "河北献县", "城关镇"),
        strict=True,
    ):
        ws.cell(row=3, column=header.index(name) + 1).value = value
    out = io.BytesIO()
    book.save(out)

    response = _upload(signed_in, out.getvalue())
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("web:job-detail", args=[job.pk])
    waiting = signed_in.get(response["Location"])
    assert "已上传，等待后台处理" in waiting.content.decode()
    htmx = {"HTTP_HX_REQUEST": "true"}
    progress = signed_in.get(reverse("web:job-progress", args=[job.pk]), **htmx)
    assert "HX-Refresh" not in progress
    run_pending()
    assert signed_in.get(reverse("web:job-progress", args=[job.pk]), **htmx)["HX-Refresh"] == "true"
    preview = signed_in.get(response["Location"]).content.decode()
    assert "新增 <strong>1</strong> 人，更新 <strong>1</strong> 人" in preview
    assert "示例县 → <strong>山东乐陵</strong>" in preview
    assert Cadre.objects.count() == 1  # the preview wrote nothing

    confirmed = signed_in.post(reverse("web:job-confirm", args=[job.pk]))
    assert confirmed.status_code == 302
    run_pending()
    outcome = signed_in.get(response["Location"]).content.decode()
    assert "新增 <strong>1</strong> 人，更新 <strong>1</strong> 人。" in outcome and "孙新来" in outcome
    report = signed_in.get(reverse("web:job-report", args=[job.pk]))
    rows = list(load_workbook(io.BytesIO(report.content))["导入结果"].iter_rows(values_only=True))
    assert rows == [("行号", "姓名", "处理"), (2, "钱已在", "更新"), (3, "孙新来", "新增")]
    cadre.refresh_from_db()
    assert cadre.native_place == "山东乐陵"
    assert Cadre.objects.get(name="孙新来").unit == tree.town


def test_a_bad_file_lists_its_rows_and_writes_nothing(signed_in, tree):
    data = sheet(
        [
            row("甲", D(1990, 1, 1), "县财政局", 出生日期="1990-02-30"),
            row("乙", D(1991, 1, 1), "火星局", seq=2),
        ]
    )
    response = _upload(signed_in, data)
    run_pending()
    page = signed_in.get(response["Location"]).content.decode()
    assert "没有导入" in page
    assert "第 2 行「出生日期」：“1990-02-30”不是日期" in page
    assert "第 3 行「所在单位」：“火星局”不是您管理范围内的单位" in page
    assert not Cadre.objects.exists()


def test_a_confirm_row_without_an_answer_is_not_imported(signed_in, officer, tree):
    cadre_create(
        actor=officer,
        data={
            "name": "丁同名",
            "gender": "M",
            "birth_date": D(1990, 1, 1),
            "native_place": "示例县",
            "unit": tree.town,
        },
    )
    data = sheet([["丁同名", "男", "", D(1990, 1, 1), "示例县", "中共党员", "", "2012.07", "城关镇"]])
    response = _upload(signed_in, data)
    run_pending()
    job = ImportJob.objects.get()
    assert 'name="line-2"' in signed_in.get(response["Location"]).content.decode()
    page = signed_in.post(reverse("web:job-confirm", args=[job.pk]), follow=True).content.decode()
    assert "请选择是更新已有的干部，还是作为另一人新增" in page
    signed_in.post(reverse("web:job-confirm", args=[job.pk]), {"line-2": "new"})
    run_pending()
    assert Cadre.objects.filter(name="丁同名").count() == 2


def test_pages_are_404_without_the_edit_capability_and_jobs_are_their_uploaders(
    client, make_user, officer, tree
):
    leader = make_user("org_leader")
    client.force_login(leader)
    assert client.get(reverse("web:roster-import")).status_code == 404
    assert client.get(reverse("web:roster-import-template")).status_code == 404
    other = make_user("org_officer")
    client.force_login(officer)
    response = _upload(client, sheet([row("甲", D(1990, 1, 1), "县财政局")]))
    job = ImportJob.objects.get()
    client.force_login(other)
    assert client.get(response["Location"]).status_code == 404
    assert client.post(reverse("web:job-confirm", args=[job.pk])).status_code == 404


def test_a_file_that_is_not_xlsx_is_refused_at_once(signed_in, tree):
    response = _upload(signed_in, b"\xd0\xcf\x11\xe0old xls", name="旧.xls")
    page = signed_in.get(response["Location"]).content.decode()
    assert "文件不是 Excel 工作簿（.xlsx）" in page
