"""The Excel import of a class's leave (job kind ``training_attendance``): all rows or none, the 1/7 cap."""

from __future__ import annotations

import io
from decimal import Decimal

from django.urls import reverse
from openpyxl import Workbook

from ganbu.core.models import AuditEvent
from ganbu.jobs import services as job_services
from ganbu.jobs.choices import JobStatus
from ganbu.training import services
from ganbu.training.attendance_import import NAME
from ganbu.training.choices import EnrollmentStatus


def _sheet(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "请假学时", "备注"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _run(officer, klass, data: bytes):
    job = job_services.job_enqueue(
        actor=officer, kind=NAME, data=data, filename="请假.xlsx", params={"class_id": klass.pk}
    )
    job = job_services.job_run_now(job)
    job.refresh_from_db()
    return job


def test_import_records_every_row_and_withdraws_over_the_cap(officer, klass, finance_cadres):
    services.enroll(actor=officer, training_class=klass, cadre_ids=[c.pk for c in finance_cadres])
    job = _run(officer, klass, _sheet([["甲培训", 10, ""], ["乙培训", 10.5, "病假"], ["丙培训", 0, ""]]))
    assert job.status == JobStatus.DONE, job.errors
    rows = {e.cadre.name: e for e in klass.enrollments.select_related("cadre")}
    assert rows["甲培训"].status == EnrollmentStatus.ENROLLED and rows["甲培训"].absence_hours == 10
    assert rows["乙培训"].status == EnrollmentStatus.WITHDRAWN and rows["乙培训"].absence_hours == Decimal(
        "10.5"
    )
    assert job.result["withdrawn"] == ["乙培训"]
    assert AuditEvent.objects.filter(event_type="training.attendance_imported").exists()


def test_a_bad_row_writes_nothing(officer, klass, finance_cadres):
    services.enroll(actor=officer, training_class=klass, cadre_ids=[c.pk for c in finance_cadres])
    job = _run(
        officer,
        klass,
        _sheet(
            [
                ["甲培训", 3, ""],
                ["乙培训", "两小时", ""],
                ["查无此人", 1, ""],
                ["丙培训", 1.25, ""],
                ["甲培训", 1, ""],
            ]
        ),
    )
    assert job.status == JobStatus.FAILED
    text = " ".join(job.errors)
    assert "第 3 行" in text and "应为数字" in text
    assert "第 4 行" in text and "不是本班次的学员" in text
    assert "第 5 行" in text and "最多一位小数" in text
    assert "第 6 行" in text and "与第 2 行重复" in text
    assert not klass.enrollments.exclude(absence_hours=0).exists()


def test_more_leave_than_the_class_has_refused_whole(officer, klass, finance_cadres):
    services.enroll(actor=officer, training_class=klass, cadre_ids=[c.pk for c in finance_cadres[:2]])
    job = _run(officer, klass, _sheet([["甲培训", 2, ""], ["乙培训", 71, ""]]))
    assert job.status == JobStatus.FAILED
    assert any("乙培训" in e and "请假学时应为0至" in e for e in job.errors)
    assert not klass.enrollments.exclude(absence_hours=0).exists()


def test_upload_page_queues_a_job(client, officer, klass, finance_cadres):
    services.enroll(actor=officer, training_class=klass, cadre_ids=[finance_cadres[0].pk])
    client.force_login(officer)
    url = reverse("web:training-import", args=[klass.pk])
    assert client.get(url).status_code == 200
    upload = io.BytesIO(_sheet([["甲培训", 1, ""]]))
    upload.name = "请假.xlsx"
    response = client.post(url, {"file": upload})
    assert response.status_code == 302 and "/imports/" in response["Location"]
    not_xlsx = io.BytesIO(b"hello")
    not_xlsx.name = "a.xlsx"
    response = client.post(url, {"file": not_xlsx})
    assert response.status_code == 302
    from ganbu.jobs.models import ImportJob

    refused = ImportJob.objects.order_by("-id").first()
    assert refused.status == JobStatus.FAILED and "不是 Excel 工作簿" in " ".join(refused.errors)
