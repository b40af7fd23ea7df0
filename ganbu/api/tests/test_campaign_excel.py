"""The campaign Excel operations: template, import (200, or 422 with the row errors), exports, scope 404."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ganbu.campaigns import excel
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


def test_a_good_file_imports_with_200_and_the_count(api_as, officer, campaign, people):
    response = post_file(
        api_as(officer), f"/campaigns/{campaign.pk}/scores/import", sheet(people, 70, 71, 72, 73)
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["imported"] == 4 and body["stage"] == "written" and body["filename"] == "成绩.xlsx"
    job = ImportJob.objects.get(pk=body["job_id"])
    assert job.status == ImportStatus.DONE and job.done == job.total == 4
    assert StageScore.objects.count() == 4


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            workbook([[None, None, "甲", 80]], header=["准考证号", "身份证号", "姓名"]),
            "第 1 行（表头）缺少必需的列：成绩。",
        ),
        (b"not,an,xlsx", "文件不是 Excel 工作簿（.xlsx）"),
        (workbook([], header=None), "工作表“Sheet”是空的"),
    ],
)
def test_a_malformed_file_is_422_on_file(api_as, officer, campaign, data, message):
    response = post_file(api_as(officer), f"/campaigns/{campaign.pk}/scores/import", data)
    assert response.status_code == 422
    errors = response.json()["errors"]["file"]
    assert any(message in e for e in errors), errors
    assert not StageScore.objects.exists()


def test_row_errors_are_422_with_every_row_and_nothing_written(api_as, officer, campaign, people):
    a, b = people[:2]
    data = workbook(
        [
            [a.ticket, a.applicant.id_number, None, "八十", None],
            [b.ticket, b.applicant.id_number, None, 80, None],
            [b.ticket, b.applicant.id_number, None, 81, None],
        ]
    )
    api = api_as(officer)
    response = post_file(api, f"/campaigns/{campaign.pk}/scores/import", data)
    assert response.status_code == 422
    assert response.json()["errors"] == {"file": ["第 2 行：成绩“八十”不是数字。"]}
    data = workbook(
        [[a.ticket, None, None, 80, None], [a.ticket, None, None, 81, None], ["X1", None, None, 1, None]]
    )
    response = post_file(api, f"/campaigns/{campaign.pk}/scores/import", data)
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "file": [
            f"第 3 行：{a.applicant.name}与第 2 行重复。",
            "第 4 行：身份证号或准考证号“X1”不是本次选拔的报名人员。",
        ]
    }
    assert not StageScore.objects.exists()
    assert ImportJob.objects.filter(status=ImportStatus.FAILED).count() == 2


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
    post_file(api, f"/campaigns/{campaign.pk}/scores/import", sheet(people, 70, 71))
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
