"""The Excel import of a round's grades (job kind ``assessment_grades``): all rows or none."""

from __future__ import annotations

import io

from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from ganbu.assessment.grades_import import NAME
from ganbu.jobs import services as job_services
from ganbu.jobs.choices import JobStatus


def _sheet(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "德", "实绩得分", "确定等次", "评语"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _run(officer, annual, data: bytes):
    job = job_services.job_enqueue(
        actor=officer, kind=NAME, data=data, filename="等次.xlsx", params={"round_id": annual.pk}
    )
    job = job_services.job_run_now(job)
    job.refresh_from_db()
    return job


def test_import_sets_every_row(officer, annual, finance_cadres):
    rows = [[c.name, 90, 85.5, "称职", "良好"] for c in finance_cadres]
    rows[0][3] = "优秀"
    job = _run(officer, annual, _sheet(rows))
    assert job.status == JobStatus.DONE, job.errors
    grades = dict(annual.entries.values_list("cadre_id", "final_grade"))
    assert grades[finance_cadres[0].pk] == "excellent"
    assert grades[finance_cadres[1].pk] == "competent"
    assert annual.entries.get(cadre=finance_cadres[1]).morality == 90


def test_a_bad_row_writes_nothing(officer, annual, finance_cadres):
    rows = [[c.name, 90, 80, "称职", ""] for c in finance_cadres]
    rows[2][3] = "很好"
    rows[3][1] = 120
    rows.append(["查无此人", 80, 80, "称职", ""])
    job = _run(officer, annual, _sheet(rows))
    assert job.status == JobStatus.FAILED
    text = " ".join(job.errors)
    assert "第 4 行" in text and "只能是优秀、称职、基本称职、不称职或不定等次" in text
    assert "第 5 行" in text and "0 至 100" in text
    assert "第 10 行" in text and "不是本次考核的考核对象" in text
    assert not annual.entries.exclude(final_grade="").exists()


def test_not_a_workbook_is_refused(officer, annual):
    job = _run(officer, annual, b"PK\x03\x04not really")
    assert job.status == JobStatus.FAILED and "不是 Excel 工作簿" in " ".join(job.errors)


def test_upload_page_queues_a_job(officer, annual, finance_cadres):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client()
    client.force_login(officer)
    data = _sheet([[c.name, 90, 80, "称职", ""] for c in finance_cadres])
    response = client.post(
        reverse("web:assessment-import", args=[annual.pk]), {"file": SimpleUploadedFile("等次.xlsx", data)}
    )
    assert response.status_code == 302 and "/imports/" in response["Location"]
