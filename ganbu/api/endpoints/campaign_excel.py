"""A campaign's Excel files: the score template, the score import from .xlsx, the exports.

For users who run campaigns (``Cap.CAMPAIGN_MANAGE``), and only for campaigns in their scope; for anyone
else the campaign does not exist (404). The import is all or nothing (``ganbu.campaigns.excel``) and runs
in the background worker: the upload answers 202 with the queued job (422 at once when the file's
envelope is refused), ``GET …/scores/import/{job_id}`` tells where it stands (``done`` with the rows
imported, ``failed`` with the per-row Chinese messages and nothing written), and an interrupted job can
be queued again (``POST …/retry``). The job is the same record the web page's progress bar reads.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Query, Router, Schema, UploadedFile
from ninja.params import functions as param
from ninja.responses import Status
from pydantic import Field

from ganbu.campaigns import excel, selectors
from ganbu.campaigns.choices import ImportStatus
from ganbu.campaigns.models import Campaign
from ganbu.core.access import Cap, require_cap
from ganbu.core.errors import ServiceError
from ganbu.doctemplates.responses import file_response
from ganbu.jobs.models import ImportJob

from ..common import READ_ERRORS, WRITE_ERRORS, actor
from ..schemas import MAX_ID

router = Router(tags=["竞争性选拔：Excel 导入与导出"])

CampaignId = param.Path(..., ge=1, le=MAX_ID, description="竞争性选拔 id")
JobId = param.Path(..., ge=1, le=MAX_ID, description="导入任务 id（上传时返回的 job_id）")
STAGE_HELP = "环节代码，如 written（笔试）、interview（面试）、evaluation（民主测评）；组织考察不打分"


class StageQuery(Schema):
    """Which stage's template."""

    stage: str = Field(..., min_length=1, max_length=30, description=STAGE_HELP)


class ImportOut(Schema):
    """An import job: queued, reading, writing, done (every row imported) or failed (none)."""

    job_id: int
    stage: str
    filename: str
    status: str = Field(..., description="queued、reading、writing、done 或 failed")
    status_label: str
    done: int = Field(..., description="已读取或已写入的行数")
    total: int = Field(..., description="总行数（读取时为估计值）")
    imported: int
    errors: list[str] = Field(..., description="未导入时的原因（逐行）；处理中断时为一条说明")
    interrupted: bool = Field(..., description="处理中断（可用 retry 重新排队）")


def _job_out(job: ImportJob) -> dict[str, Any]:
    """A job as the API shows it; a job whose worker stopped is shown failed and interrupted."""
    interrupted = excel.job_interrupted(job)
    status = ImportStatus.FAILED if interrupted else ImportStatus(job.status)
    errors = [excel.job_message(job)] if interrupted and job.status != ImportStatus.FAILED else job.errors
    return {
        "job_id": job.pk,
        "stage": job.stage,
        "filename": job.filename,
        "status": status.value,
        "status_label": status.label,
        "done": job.done,
        "total": job.total,
        "imported": job.imported,
        "errors": list(errors),
        "interrupted": interrupted,
    }


def _campaign(request: HttpRequest, campaign_id: int) -> Campaign:
    """A campaign the caller runs, in scope; 404 for everyone else."""
    user = actor(request)
    require_cap(user, Cap.CAMPAIGN_MANAGE)
    return selectors.campaign_get(user=user, campaign_id=campaign_id)


@router.get(
    "/campaigns/{campaign_id}/scores/template",
    response={200: None, **READ_ERRORS},
    summary="成绩导入模板（.xlsx，列出进入该环节的人员和已录入的成绩）",
    operation_id="campaign_score_template",
)
def campaign_score_template(
    request: HttpRequest, query: Query[StageQuery], campaign_id: int = CampaignId
) -> Any:
    """The score template of a stage, prefilled with the applicants who reached it, by ticket."""
    campaign = _campaign(request, campaign_id)
    stage = excel.importable_stage(campaign, query.stage)
    body = excel.score_template(campaign, stage.key)
    return file_response(body, f"{campaign.title}-{stage.label}成绩导入模板.xlsx", excel.XLSX_CONTENT_TYPE)


@router.post(
    "/campaigns/{campaign_id}/scores/import",
    response={202: ImportOut, **WRITE_ERRORS},
    summary=(
        "从 Excel 导入一个环节的成绩（multipart/form-data：stage 为环节代码，file 为 .xlsx；"
        "后台处理，全部成功或全部不导入；用返回的 job_id 查询结果）"
    ),
    operation_id="campaign_scores_import_excel",
)
def campaign_scores_import_excel(
    request: HttpRequest,
    file: File[UploadedFile],
    stage: Form[str],
    campaign_id: int = CampaignId,
) -> Any:
    """Queue the sheet for the worker: 202 with the job; 422 under ``file`` when its envelope is refused."""
    campaign = _campaign(request, campaign_id)
    size = file.size or 0
    if size > excel.MAX_BYTES:
        raise ServiceError({"file": [excel.MSG_TOO_LARGE.format(size=f"{size / 1024 / 1024:.1f} MB")]})
    job = excel.import_enqueue(
        actor=actor(request),
        campaign=campaign,
        stage=stage.strip()[:30],
        data=file.read(),
        filename=file.name or "",
    )
    if job.status == ImportStatus.FAILED:
        raise ServiceError({"file": list(job.errors)})
    return Status(202, _job_out(job))


@router.get(
    "/campaigns/{campaign_id}/scores/import/{job_id}",
    response={200: ImportOut, **READ_ERRORS},
    summary="查询一次 Excel 成绩导入（等待处理、读取、写入、已导入或未导入及原因）",
    operation_id="campaign_scores_import_job",
)
def campaign_scores_import_job(
    request: HttpRequest, job_id: int = JobId, campaign_id: int = CampaignId
) -> Any:
    """One of the caller's own imports of the campaign; 404 for anyone else's."""
    campaign = _campaign(request, campaign_id)
    return _job_out(excel.import_job_get(user=actor(request), campaign=campaign, job_id=job_id))


@router.post(
    "/campaigns/{campaign_id}/scores/import/{job_id}/retry",
    response={202: ImportOut, **WRITE_ERRORS},
    summary="重试处理中断的 Excel 成绩导入（用原文件重新排队；只限本人的导入）",
    operation_id="campaign_scores_import_retry",
)
def campaign_scores_import_retry(
    request: HttpRequest, job_id: int = JobId, campaign_id: int = CampaignId
) -> Any:
    """Queue an interrupted import again with its file; 422 when it was not interrupted."""
    campaign = _campaign(request, campaign_id)
    return Status(202, _job_out(excel.import_retry(actor=actor(request), campaign=campaign, job_id=job_id)))


@router.get(
    "/campaigns/{campaign_id}/export/applications",
    response={200: None, **READ_ERRORS},
    summary="导出报名情况（.xlsx：报名信息、资格条件核对、各环节成绩、综合成绩、名次、结果）",
    operation_id="campaign_export_applications",
)
def campaign_export_applications(request: HttpRequest, campaign_id: int = CampaignId) -> Any:
    """Every application of the campaign with its facts, findings, scores, total, place and outcome."""
    campaign = _campaign(request, campaign_id)
    return file_response(
        excel.applications_export(campaign), f"{campaign.title}-报名情况.xlsx", excel.XLSX_CONTENT_TYPE
    )


@router.get(
    "/campaigns/{campaign_id}/export/ranking",
    response={200: None, **READ_ERRORS},
    summary="导出综合成绩排名（.xlsx；排名后才能导出）",
    operation_id="campaign_export_ranking",
)
def campaign_export_ranking(request: HttpRequest, campaign_id: int = CampaignId) -> Any:
    """The stored ranking by place (no ID numbers); 422 before the campaign is ranked."""
    campaign = _campaign(request, campaign_id)
    return file_response(
        excel.ranking_export(campaign), f"{campaign.title}-综合成绩排名.xlsx", excel.XLSX_CONTENT_TYPE
    )
