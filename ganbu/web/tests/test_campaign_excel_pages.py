"""A campaign's Excel pages: template, import with its progress bar, exports; 404 outside role and scope."""

from __future__ import annotations

import datetime as dt
import io
import re
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from ganbu.campaigns import excel, worker
from ganbu.campaigns.choices import CampaignStatus, ImportStatus
from ganbu.campaigns.models import ImportJob, StageScore
from ganbu.campaigns.tests.excel_support import applications, scoring_campaign, sheet_rows, workbook

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def campaign(officer, tree):
    """An open selection of the county at the scoring status with five applicants."""
    return scoring_campaign(officer, tree.root, 5)


@pytest.fixture
def people(campaign):
    return applications(campaign)


def url(name, campaign, *args):
    return reverse(f"web:{name}", args=[campaign.pk, *args])


def page_key(content: bytes) -> str:
    """The upload key of the form on a page or panel."""
    match = re.search(rb'name="key" value="([0-9a-f]{32})"', content)
    assert match, content[:500]
    return match.group(1).decode()


def upload(client, campaign, data, *, stage="written", key=None, headers=None, name="成绩.xlsx"):
    """Post the import form."""
    return client.post(
        url("campaign-scores-import", campaign),
        {"stage": stage, "key": key or excel.new_key(), "file": SimpleUploadedFile(name, data)},
        headers=headers or {},
    )


def finished(client, campaign, key=None):
    """Let the worker run the queued imports; the progress fragment of upload ``key`` (or the last) then."""
    worker.run_pending()
    key = key or ImportJob.objects.latest("id").key
    return client.get(url("campaign-scores-import-progress", campaign, key) + "?full=1").content.decode()


def filled(people, *scores):
    """A score sheet with one row per person and score."""
    return workbook(
        [
            [a.ticket, a.applicant.id_number, a.applicant.name, s, None]
            for a, s in zip(people, scores, strict=False)
        ]
    )


def test_the_page_offers_the_templates_the_form_and_the_exports(client, officer, campaign):
    client.force_login(officer)
    response = client.get(url("campaign-scores-import", campaign) + "?stage=interview")
    assert response.status_code == 200
    page = response.content.decode()
    for label in (
        "笔试成绩模板",
        "面试成绩模板",
        "民主测评成绩模板",
        "报名情况（.xlsx）",
        "全部成功或全部不导入",
    ):
        assert label in page
    assert "组织考察成绩模板" not in page
    assert '<option value="interview" selected>' in page
    key = page_key(response.content)
    assert f'hx-get="{url("campaign-scores-import-progress", campaign, key)}"' in page
    assert 'hx-encoding="multipart/form-data"' in page and "submit from:#score-import-form" in page
    assert "排名后可导出综合成绩排名" in page and "还没有导入过成绩" in page


def test_the_pages_do_not_exist_outside_the_role_or_the_scope(client, make_user, tree, campaign):
    key = excel.new_key()
    urls = [
        url("campaign-scores-import", campaign),
        url("campaign-scores-template", campaign) + "?stage=written",
        url("campaign-scores-import-progress", campaign, key),
        url("campaign-export-applications", campaign),
        url("campaign-export-ranking", campaign),
    ]
    for user in (
        make_user("org_leader"),  # oversees selections, does not run campaigns
        make_user("unit_officer", scope_unit=tree.finance),  # runs campaigns, not this one
        make_user("org_officer", scope_unit=tree.forestry),
        make_user("judge"),
        make_user("committee_member"),
    ):
        client.force_login(user)
        for target in urls:
            assert client.get(target).status_code == 404, (user.role, target)
        assert upload(client, campaign, b"x").status_code == 404
    assert not ImportJob.objects.exists()
    client.logout()
    assert client.get(urls[0]).status_code == 302


def test_a_unit_officer_imports_into_a_campaign_of_their_own_unit(client, make_user, officer, tree):
    campaign = scoring_campaign(officer, tree.forestry, 2, title="林业局竞争上岗")
    staff = make_user("unit_officer", scope_unit=tree.forestry)
    client.force_login(staff)
    people = applications(campaign)
    response = upload(client, campaign, filled(people, 80, 81))
    assert response.status_code == 200, response.content.decode()[:2000]
    assert "已导入笔试成绩 <strong>2</strong> 条" in finished(client, campaign)
    assert StageScore.objects.filter(application__campaign=campaign).count() == 2


def test_the_template_downloads_and_round_trips_through_the_page(client, officer, campaign, people):
    client.force_login(officer)
    response = client.get(url("campaign-scores-template", campaign) + "?stage=written")
    assert response.status_code == 200
    assert response["Content-Type"] == excel.XLSX_CONTENT_TYPE and response["Cache-Control"] == "no-store"
    assert "笔试成绩导入模板.xlsx" in unquote(response["Content-Disposition"])
    book = load_workbook(io.BytesIO(response.content))
    for n, cells in enumerate(book["成绩"].iter_rows(min_row=2)):
        cells[3].value = 60 + n
    out = io.BytesIO()
    book.save(out)
    response = upload(client, campaign, out.getvalue(), name="笔试.xlsx")
    assert response.status_code == 200
    assert "已上传，等待后台处理" in response.content.decode()
    assert "已导入笔试成绩 <strong>5</strong> 条（笔试.xlsx）" in finished(client, campaign)
    assert sorted(StageScore.objects.values_list("score", flat=True)) == [60, 61, 62, 63, 64]
    assert client.get(url("campaign-scores-template", campaign) + "?stage=inspection").status_code == 404
    assert client.get(url("campaign-scores-template", campaign) + "?stage=nope").status_code == 404


def test_a_refused_file_lists_the_row_errors_and_writes_nothing(client, officer, campaign, people):
    client.force_login(officer)
    data = workbook(
        [
            [people[0].ticket, people[0].applicant.id_number, None, "优秀", None],
            [people[1].ticket, people[1].applicant.id_number, None, 85, "缺考"],
        ]
    )
    response = upload(client, campaign, data)
    assert response.status_code == 200
    page = finished(client, campaign)
    assert "未导入任何成绩。" in page
    assert "第 2 行：成绩“优秀”不是数字。" in page and "第 3 行：既填了成绩 85 又标记了缺考" in page
    assert not StageScore.objects.exists()
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED and job.created_by == officer
    assert 'data-status="failed"' in page


def test_htmx_gets_the_panel_with_a_new_key_and_status_200_even_when_refused(
    client, officer, campaign, people
):
    client.force_login(officer)
    key = excel.new_key()
    response = upload(client, campaign, b"not a workbook", key=key, headers=HTMX)
    assert response.status_code == 200
    panel = response.content.decode()
    assert "<html" not in panel
    assert 'id="score-import-panel"' in panel and "文件不是 Excel 工作簿（.xlsx）" in panel
    assert page_key(response.content) != key
    response = upload(client, campaign, filled(people, 90), headers=HTMX)
    panel = response.content.decode()
    job = ImportJob.objects.latest("id")
    poll = url("campaign-scores-import-progress", campaign, job.key) + "?full=1"
    assert response.status_code == 200 and 'data-status="queued"' in panel and f'hx-get="{poll}"' in panel
    assert '<div class="card" id="recent-imports" hx-swap-oob="true">' in panel and "等待处理" in panel
    fragment = finished(client, campaign)
    assert (
        "已导入笔试成绩 <strong>1</strong> 条" in fragment
        and "hx-get" not in fragment.split("recent-imports")[0]
    )
    assert (
        '<div class="card" id="recent-imports" hx-swap-oob="true">' in fragment and "已导入 1 条" in fragment
    )


def test_the_progress_bar_waits_reads_writes_and_finishes(client, officer, campaign, people):
    client.force_login(officer)
    key = excel.new_key()
    poll = url("campaign-scores-import-progress", campaign, key)
    waiting = client.get(poll).content.decode()
    assert "正在上传文件" in waiting and 'hx-trigger="load delay:700ms"' in waiting
    job = ImportJob.objects.create(campaign=campaign, stage="written", key=key, created_by=officer)
    queued = client.get(poll).content.decode()
    assert "已上传，等待后台处理" in queued and "排队中" in queued and f'hx-get="{poll}"' in queued
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.READING, total=2000, done=500)
    reading = client.get(poll).content.decode()
    assert "已读取 500 / 约 2000 行" in reading and 'aria-valuenow="25"' in reading
    assert f'hx-get="{poll}"' in reading
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.WRITING, total=1800, done=0)
    writing = client.get(poll).content.decode()
    assert "正在核对并写入" in writing and "progress-bar-animated" in writing and "共 1800 行" in writing
    ImportJob.objects.filter(pk=job.pk).update(done=900)
    assert 'aria-valuenow="50"' in client.get(poll).content.decode()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.DONE, done=1800, imported=1800)
    done = client.get(poll).content.decode()
    assert "1800 / 1800 行" in done and "完成" in done and "hx-get" not in done
    assert 'data-done="1800" data-total="1800"' in done


def test_a_stale_job_is_shown_as_interrupted_and_stops_polling(client, officer, campaign):
    client.force_login(officer)
    job = ImportJob.objects.create(
        campaign=campaign,
        stage="written",
        key=excel.new_key(),
        created_by=officer,
        status=ImportStatus.READING,
    )
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - dt.timedelta(minutes=10))
    page = client.get(url("campaign-scores-import-job", campaign, job.pk)).content.decode()
    assert "处理中断" in page and excel.MSG_INTERRUPTED in page and "hx-get" not in page
    assert f'action="{url("campaign-scores-import-retry", campaign, job.pk)}"' in page and "重试" in page


def test_the_retry_button_queues_the_same_file_and_the_worker_imports_it(client, officer, campaign, people):
    client.force_login(officer)
    upload(client, campaign, filled(people, 70, 71), name="笔试.xlsx")
    job = ImportJob.objects.get()
    excel.import_claim()  # a worker took it, then was killed: its heartbeat stopped
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - dt.timedelta(minutes=10))
    home = client.get(url("campaign-scores-import", campaign)).content.decode()
    assert "处理中断" in home
    response = client.post(url("campaign-scores-import-retry", campaign, job.pk))
    assert response.status_code == 302 and response["Location"] == url(
        "campaign-scores-import-job", campaign, job.pk
    )
    page = client.get(response["Location"]).content.decode()
    assert "已上传，等待后台处理" in page and "hx-get" in page
    assert "已导入笔试成绩 <strong>2</strong> 条（笔试.xlsx）" in finished(client, campaign, job.key)
    assert StageScore.objects.count() == 2
    # A finished job is not retried: the page says why.
    response = client.post(url("campaign-scores-import-retry", campaign, job.pk), follow=True)
    assert excel.MSG_NOT_RETRYABLE in response.content.decode()
    assert StageScore.objects.count() == 2


def test_only_the_uploader_may_retry(client, officer, make_user, campaign, people):
    client.force_login(officer)
    upload(client, campaign, filled(people, 70))
    job = ImportJob.objects.get()
    client.force_login(make_user("org_officer"))
    assert client.post(url("campaign-scores-import-retry", campaign, job.pk)).status_code == 404
    client.force_login(make_user("org_leader"))
    assert client.post(url("campaign-scores-import-retry", campaign, job.pk)).status_code == 404
    client.force_login(officer)
    assert client.get(url("campaign-scores-import-retry", campaign, job.pk)).status_code == 405


def test_progress_and_jobs_are_the_users_own(client, officer, make_user, campaign, people):
    client.force_login(officer)
    upload(client, campaign, filled(people, 70), key="d" * 32)
    job = ImportJob.objects.get()
    colleague = make_user("org_officer")
    client.force_login(colleague)
    assert (
        "正在上传文件"
        in client.get(url("campaign-scores-import-progress", campaign, "d" * 32)).content.decode()
    )
    assert client.get(url("campaign-scores-import-job", campaign, job.pk)).status_code == 404
    assert client.get(url("campaign-scores-import-progress", campaign, "not-a-key")).status_code == 404


def test_the_job_page_shows_the_outcome(client, officer, campaign, people):
    client.force_login(officer)
    upload(client, campaign, filled(people, 70, 200))
    worker.run_pending()
    job = ImportJob.objects.get()
    page = client.get(url("campaign-scores-import-job", campaign, job.pk)).content.decode()
    assert "第 3 行：笔试成绩 200 超过满分 100。" in page and "未导入任何成绩" in page
    poll = client.get(url("campaign-scores-import-progress", campaign, job.key) + "?full=1").content.decode()
    assert "第 3 行：笔试成绩 200 超过满分 100。" in poll
    home = client.get(url("campaign-scores-import", campaign)).content.decode()
    assert url("campaign-scores-import-job", campaign, job.pk) in home and "未导入" in home


def test_form_errors_missing_file_oversized_file_and_stale_key(client, officer, campaign):
    client.force_login(officer)
    response = client.post(
        url("campaign-scores-import", campaign), {"stage": "written", "key": excel.new_key()}
    )
    assert response.status_code == 400 and "这个字段是必填项" in response.content.decode()
    big = b"PK\x03\x04" + b"\0" * excel.MAX_BYTES
    response = upload(client, campaign, big)
    assert response.status_code == 400 and "超过 10 MB 的上限" in response.content.decode()
    response = client.post(
        url("campaign-scores-import", campaign),
        {"stage": "written", "key": "x", "file": SimpleUploadedFile("a.xlsx", b"x")},
    )
    assert response.status_code == 400 and "页面已过期" in response.content.decode()
    response = upload(client, campaign, b"x", stage="inspection")
    assert response.status_code == 400 and "选择一个有效的选项" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_outside_the_scoring_status_the_form_is_disabled_and_refused(client, officer, campaign, people):
    Campaign = type(campaign)
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.RANKED)
    client.force_login(officer)
    page = client.get(url("campaign-scores-import", campaign)).content.decode()
    assert "只有在「考试与测评」阶段才能导入成绩" in page and "disabled>上传并导入" in page
    response = upload(client, campaign, filled(people, 70))
    assert (
        response.status_code == 400
        and "选拔当前状态为「已排名」，不能导入成绩。" in response.content.decode()
    )
    assert not ImportJob.objects.exists() and not StageScore.objects.exists()


def test_exports_download_and_the_ranking_waits_for_the_ranking(client, officer, campaign, people):
    client.force_login(officer)
    upload(client, campaign, filled(people, 70, 71, 72))
    worker.run_pending()
    response = client.get(url("campaign-export-applications", campaign))
    assert response.status_code == 200 and response["Content-Type"] == excel.XLSX_CONTENT_TYPE
    assert "报名情况.xlsx" in unquote(response["Content-Disposition"])
    rows = sheet_rows(response.content)
    assert len(rows) == 6 and rows[0][0] == "序号"
    response = client.get(url("campaign-export-ranking", campaign))
    assert response.status_code == 409 and excel.MSG_NOT_RANKED in response.content.decode()


def test_the_import_page_costs_the_same_queries_with_one_or_five_recent_imports(client, officer, campaign):
    client.force_login(officer)
    counts = []
    for n in (1, 5):
        for _ in range(n - ImportJob.objects.count()):
            ImportJob.objects.create(
                campaign=campaign, stage="written", key=excel.new_key(), created_by=officer
            )
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url("campaign-scores-import", campaign)).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
