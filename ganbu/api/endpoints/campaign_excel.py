"""A campaign's Excel files: the score template, the score import from .xlsx, the exports.

For users who run campaigns (``Cap.CAMPAIGN_MANAGE``), and only for campaigns in their scope; for anyone
else the campaign does not exist (404). The import is all or nothing (``ganbu.campaigns.excel``): 200 with
the number of rows imported, or 422 with the per-row Chinese messages under ``file`` and nothing written.
It is synchronous; its ``ImportJob`` (``job_id``) is the same record the web page's progress bar reads.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Query, Router, Schema, UploadedFile
from ninja.params import functions as param
from pydantic import Field

from ganbu.campaigns import excel, selectors
from ganbu.campaigns.choices import ImportStatus
from ganbu.campaigns.models import Campaign
from ganbu.core.access import Cap, require_cap
from ganbu.core.errors import ServiceError
from ganbu.doctemplates.responses import file_response

from ..common import READ_ERRORS, WRITE_ERRORS, actor
from ..schemas import MAX_ID

router = Router(tags=["竞争性选拔：Excel 导入与导出"])

CampaignId = param.Path(..., ge=1, le=MAX_ID, description="竞争性选拔 id")
STAGE_HELP = "环节代码，如 written（笔试）、interview（面试）、evaluation（民主测评）；组织考察不打分"


class StageQuery(Schema):
    """Which stage's template."""

    stage: str = Field(..., min_length=1, max_length=30, description=STAGE_HELP)


class ImportOut(Schema):
    """A finished import: every row of the file was imported."""

    job_id: int
    stage: str
    imported: int
    filename: str


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
    response={200: ImportOut, **WRITE_ERRORS},
    summary=(
        "从 Excel 导入一个环节的成绩（multipart/form-data：stage 为环节代码，file 为 .xlsx；"
        "全部成功或全部不导入）"
    ),
    operation_id="campaign_scores_import_excel",
)
def campaign_scores_import_excel(
    request: HttpRequest,
    file: File[UploadedFile],
    stage: Form[str],
    campaign_id: int = CampaignId,
) -> Any:
    """Import the sheet's scores; 422 with every problem (row by row) under ``file`` when any row fails."""
    campaign = _campaign(request, campaign_id)
    size = file.size or 0
    if size > excel.MAX_BYTES:
        raise ServiceError({"file": [excel.MSG_TOO_LARGE.format(size=f"{size / 1024 / 1024:.1f} MB")]})
    job = excel.import_scores(
        actor=actor(request),
        campaign=campaign,
        stage=stage.strip()[:30],
        data=file.read(),
        filename=file.name or "",
    )
    if job.status != ImportStatus.DONE:
        raise ServiceError({"file": list(job.errors)})
    return {"job_id": job.pk, "stage": job.stage, "imported": job.imported, "filename": job.filename}


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
