"""The campaign Excel operations: template, import (202 queued; the job done, or failed with the row errors;
a retry of an interrupted one), exports, scope 404."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ganbu.campaigns import excel, worker
from ganbu.campaigns.choices import ImportStatus
from ganbu.campaigns.models import ImportJob, StageScore
from ganbu.campaigns.tests.excel_support import applications, scoring_campaign, sheet_rows, workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(officer, tree):
    return scoring_campaign(officer, tree.root, 4)


@pytest.fixture
def people(campaign):
    return applications(campaign)


def post_file(api, path, data, stage="written", name="成绩.xlsx"):
    """A multipart POST with the API client's token."""
    return api.client.post(
        f"/api/v1{path}", {"stage": stage, "file": SimpleUploadedFile(name, data)}, headers=api.headers
    )


def imported(api, campaign, data, **kwargs):
    """Upload ``data`` (202), let the worker run it, and return the job as the API then shows it."""
    response = post_file(api, f"/campaigns/{campaign.pk}/scores/import", data, **kwargs)
    assert response.status_code == 202, response.content
    assert response.json()["status"] == "queued"
    worker.run_pending()
    job = api.get(f"/campaigns/{campaign.pk}/scores/import/{response.json()['job_id']}")
    assert job.status_code == 200
    return job.json()


def sheet(people, *scores):
    return workbook(
        [
            [a.ticket, a.applicant.id_number, a.applicant.name, s, None]
            for a, s in zip(people, scores, strict=False)
        ]
    )


def test_the_template_is_an_xlsx_of_the_stage(api_as, officer, campaign, people):
    api = api_as(officer)
    response = api.get(f"/campaigns/{campaign.pk}/scores/template", {"stage": "written"})
    assert response.status_code == 200 and response["Content-Type"] == excel.XLSX_CONTENT_TYPE
    assert "笔试成绩导入模板.xlsx" in unquote(response["Content-Disposition"])
    rows = sheet_rows(response.content)
    assert rows[0] == ("准考证号", "身份证号", "姓名", "成绩", "缺考") and len(rows) == 5
    bad = api.get(f"/campaigns/{campaign.pk}/scores/template", {"stage": "inspection"})
    assert bad.status_code == 422 and bad.json()["errors"] == {"stage": ["组织考察不打分，不能导入成绩。"]}
    assert api.get(f"/campaigns/{campaign.pk}/scores/template").status_code == 422


def test_a_good_file_is_queued_with_202_then_imported_by_the_worker(api_as, officer, campaign, people):
    api = api_as(officer)
    response = post_file(api, f"/campaigns/{campaign.pk}/scores/import", sheet(people, 70, 71, 72, 73))
    assert response.status_code == 202, response.content
    body = response.json()
    assert (
        body["status"] == "queued" and body["status_label"] == "等待处理" and body["filename"] == "成绩.xlsx"
    )
    assert not StageScore.objects.exists()
    worker.run_pending()
    body = api.get(f"/campaigns/{campaign.pk}/scores/import/{body['job_id']}").json()
    assert body["status"] == "done" and body["imported"] == 4 and body["stage"] == "written"
    assert body["done"] == body["total"] == 4 and body["errors"] == [] and not body["interrupted"]
    assert StageScore.objects.count() == 4


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            workbook([[None, None, "甲", 80]], header=["准考证号", "身份证号", "姓名"]),
            "第 1 行（表头）缺少必需的列：成绩。",
        ),
        (workbook([], header=None), "工作表“Sheet”是空的"),
    ],
)
def test_a_malformed_file_fails_its_job_with_the_reason(api_as, officer, campaign, data, message):
    body = imported(api_as(officer), campaign, data)
    assert body["status"] == "failed" and not body["interrupted"]
    assert any(message in e for e in body["errors"]), body["errors"]
    assert not StageScore.objects.exists()


def test_a_file_that_is_not_a_workbook_is_422_at_once(api_as, officer, campaign):
    response = post_file(api_as(officer), f"/campaigns/{campaign.pk}/scores/import", b"not,an,xlsx")
    assert response.status_code == 422
    assert any("文件不是 Excel 工作簿（.xlsx）" in e for e in response.json()["errors"]["file"])


def test_row_errors_fail_the_job_with_every_row_and_nothing_written(api_as, officer, campaign, people):
    a, b = people[:2]
    data = workbook(
        [
            [a.ticket, a.applicant.id_number, None, "八十", None],
            [b.ticket, b.applicant.id_number, None, 80, None],
            [b.ticket, b.applicant.id_number, None, 81, None],
        ]
    )
    api = api_as(officer)
    body = imported(api, campaign, data)
    assert body["status"] == "failed" and body["errors"] == ["第 2 行：成绩“八十”不是数字。"]
    data = workbook(
        [[a.ticket, None, None, 80, None], [a.ticket, None, None, 81, None], ["X1", None, None, 1, None]]
    )
    assert imported(api, campaign, data)["errors"] == [
        f"第 3 行：{a.applicant.name}与第 2 行重复。",
        "第 4 行：身份证号或准考证号“X1”不是本次选拔的报名人员。",
    ]
    assert not StageScore.objects.exists()
    assert ImportJob.objects.filter(status=ImportStatus.FAILED).count() == 2


def test_an_interrupted_job_is_shown_failed_and_can_be_retried(api_as, make_user, officer, campaign, people):
    api = api_as(officer)
    response = post_file(api, f"/campaigns/{campaign.pk}/scores/import", sheet(people, 70))
    job_id = response.json()["job_id"]
    retry = f"/campaigns/{campaign.pk}/scores/import/{job_id}/retry"
    assert api.post(retry, {}).status_code == 422  # not interrupted
    excel.import_claim()
    ImportJob.objects.filter(pk=job_id).update(heartbeat_at=timezone.now() - excel.stale_after() * 2)
    body = api.get(f"/campaigns/{campaign.pk}/scores/import/{job_id}").json()
    assert body["status"] == "failed" and body["interrupted"] and body["errors"] == [excel.MSG_INTERRUPTED]
    assert api_as(make_user("org_officer")).post(retry, {}).status_code == 404
    response = api.post(retry, {})
    assert response.status_code == 202 and response.json()["status"] == "queued"
    worker.run_pending()
    body = api.get(f"/campaigns/{campaign.pk}/scores/import/{job_id}").json()
    assert body["status"] == "done" and body["imported"] == 1


def test_a_wrong_stage_is_422_on_stage(api_as, officer, campaign, people):
    response = post_file(
        api_as(officer), f"/campaigns/{campaign.pk}/scores/import", sheet(people, 80), stage="oral"
    )
    assert response.status_code == 422 and "stage" in response.json()["errors"]
    assert not ImportJob.objects.exists()


def test_a_campaign_not_at_the_scoring_status_is_422(api_as, officer, campaign, people):
    type(campaign).objects.filter(pk=campaign.pk).update(status="ranked")
    response = post_file(api_as(officer), f"/campaigns/{campaign.pk}/scores/import", sheet(people, 80))
    assert response.status_code == 422
    assert response.json()["errors"] == {"__all__": ["选拔当前状态为「已排名」，不能导入成绩。"]}


def test_exports_are_xlsx_and_the_ranking_waits_for_the_ranking(api_as, officer, campaign, people):
    api = api_as(officer)
    imported(api, campaign, sheet(people, 70, 71))
    response = api.get(f"/campaigns/{campaign.pk}/export/applications")
    assert response.status_code == 200 and response["Content-Type"] == excel.XLSX_CONTENT_TYPE
    rows = sheet_rows(response.content)
    assert len(rows) == 5 and {r[5] for r in rows[1:]} == {a.applicant.id_number for a in people}
    response = api.get(f"/campaigns/{campaign.pk}/export/ranking")
    assert response.status_code == 422 and response.json()["detail"] == excel.MSG_NOT_RANKED


def test_outside_the_role_or_the_scope_everything_is_404(api_as, make_user, tree, campaign, people):
    for user in (
        make_user("org_leader"),
        make_user("unit_officer", scope_unit=tree.finance),
        make_user("judge"),
    ):
        api = api_as(user)
        for path in (
            f"/campaigns/{campaign.pk}/scores/template?stage=written",
            f"/campaigns/{campaign.pk}/export/applications",
            f"/campaigns/{campaign.pk}/export/ranking",
            f"/campaigns/{campaign.pk}/scores/import/1",
        ):
            assert api.get(path).status_code == 404, (user.role, path)
        response = post_file(api, f"/campaigns/{campaign.pk}/scores/import", sheet(people, 80))
        assert response.status_code == 404
        assert response.json() == {"detail": "对象不存在或不在您的管理范围内。"}
    assert api_as(make_user("org_officer")).get("/campaigns/999999/export/applications").status_code == 404
    assert not ImportJob.objects.exists() and not StageScore.objects.exists()


def test_an_oversized_file_is_refused_before_it_is_read(api_as, officer, campaign):
    big = b"PK\x03\x04" + b"\0" * excel.MAX_BYTES
    response = post_file(api_as(officer), f"/campaigns/{campaign.pk}/scores/import", big)
    assert response.status_code == 422 and "超过 10 MB 的上限" in response.json()["errors"]["file"][0]
    assert not ImportJob.objects.exists()
