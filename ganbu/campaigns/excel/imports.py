"""The score import as a job of kind ``scores`` (``ganbu.jobs``): queue, the worker's step, retry.

``import_enqueue`` is what the upload's request does: the stage and the campaign's status checked, the
file's envelope checked (``check_file``), an ``ImportJob`` queued with the file. The worker runs
``_apply_scores``: the sheet read, the identities checked against the campaign, then
``services.stage_scores_import`` (one durable transaction, all rows or none). ``import_scores`` queues
and runs at once (tests, scripts); ``import_retry`` queues an interrupted job again, audited.
docs/decisions/0009-excel-import.md, 0012-background-jobs.md, 0013-import-jobs.md.
"""

from __future__ import annotations

from django.urls import reverse

from ganbu.accounts.models import User
from ganbu.core.access import Cap
from ganbu.core.audit import audit_record
from ganbu.core.errors import ServiceError
from ganbu.jobs import progress
from ganbu.jobs import selectors as job_selectors
from ganbu.jobs import services as job_services
from ganbu.jobs.kinds import Kind, register
from ganbu.jobs.models import ImportJob
from ganbu.jobs.progress import Superseded, Tracker, listed

from .. import services
from ..choices import CampaignStatus, ImportStatus
from ..models import Campaign
from . import (
    MSG_INTERNAL,
    MSG_INTERRUPTED,
    MSG_NOT_STARTED,
    MSG_RETRY_REASON,
    _identify,
    check_file,
    importable_stage,
    read_score_sheet,
)

# The generic job machinery moved to ``ganbu.jobs`` (issue 12); its names stay importable from here.
_Superseded = Superseded
_Tracker = Tracker
_listed = listed
new_key = job_services.new_key
stale_after = job_selectors.stale_after
heartbeat_every = job_selectors.heartbeat_every
job_interrupted = job_selectors.job_interrupted
job_message = job_selectors.job_message
job_percent = job_selectors.job_percent
import_claim = job_services.job_claim
import_run = job_services.job_run
import_jobs_expire = job_services.jobs_expire
KEEP_FILES = job_services.KEEP_FILES
MAX_LISTED_ERRORS = progress.MAX_LISTED_ERRORS
MSG_MORE_ERRORS = progress.MSG_MORE_ERRORS
MSG_DUPLICATE_SUBMIT = job_services.MSG_DUPLICATE_SUBMIT
MSG_NOT_RETRYABLE = job_services.MSG_NOT_RETRYABLE
MSG_FILE_GONE = job_services.MSG_FILE_GONE

KIND = "scores"
"""The job kind of a score import."""


def _apply_scores(job: ImportJob, tracker: Tracker) -> int:
    """The worker's step for a score import: read the sheet, check the identities, write; rows imported.

    The sheet is read (the file's problems), the identities checked (``_identify``) and the rows
    handed to ``services.stage_scores_import``, which checks the data and writes every row or none
    in one durable transaction, audited, as the job's uploader. A ``ServiceError`` fails the job
    with its Chinese messages (``ganbu.jobs.services.job_run``), nothing written.
    """
    campaign = job.campaign
    if campaign is None:  # a score import always has its campaign; a row edited by hand may not
        raise ServiceError(MSG_INTERNAL)
    spec = importable_stage(campaign, job.stage)
    sheet_rows = read_score_sheet(bytes(job.data), progress=tracker.read)
    rows, problems = _identify(campaign, spec, sheet_rows)
    if problems:
        raise ServiceError({"file": problems})
    tracker.start_writing(len(rows))
    source = f"Excel 导入：{job.filename}" if job.filename else "Excel 导入"
    return services.stage_scores_import(
        actor=job.created_by,
        campaign=campaign,
        stage=spec.key,
        rows=rows,
        source=source[:100],
        progress=tracker.written,
    )


def _before_retry(job: ImportJob, actor: User) -> None:
    """A score import is retried only while its campaign is at 考试与测评; the retry is audited."""
    campaign = job.campaign
    if campaign is None:
        raise ServiceError(MSG_FILE_GONE)
    if campaign.status != CampaignStatus.SCORING:
        raise ServiceError(
            services.MSG_STATUS.format(status=CampaignStatus(campaign.status).label, action="导入成绩")
        )
    audit_record(
        actor=actor,
        event_type="campaign.scores_import_retried",
        target=campaign,
        before={"status": job.status},
        after={"status": ImportStatus.QUEUED, "stage": job.stage, "filename": job.filename},
        reason=MSG_RETRY_REASON.format(filename=job.filename or "成绩表"),
        unit_id=campaign.unit_id,
    )


def _page(job: ImportJob) -> str:
    """A score import's own page."""
    return reverse("web:campaign-scores-import-job", args=[job.campaign_id, job.pk])


SCORES = register(
    Kind(
        name=KIND,
        label="成绩导入",
        apply=_apply_scores,
        before_retry=_before_retry,
        capability=Cap.CAMPAIGN_MANAGE,
        page=_page,
        interrupted_message=MSG_INTERRUPTED,
        not_started_message=MSG_NOT_STARTED,
        internal_message=MSG_INTERNAL,
    )
)


def import_enqueue(
    *,
    actor: User,
    campaign: Campaign,
    stage: str,
    data: bytes,
    filename: str = "",
    key: str | None = None,
) -> ImportJob:
    """Queue one stage's scores from an uploaded .xlsx for the worker; the upload's request does no more.

    The stage and the campaign's status are checked first (``ServiceError`` on ``stage`` or at the top,
    no job). The file's envelope is checked at once (``check_file``: size, archive, unpacked size,
    shared strings — cheap, and without openpyxl): a file failing it gives a ``failed`` job with the
    message; otherwise the job is ``queued`` with the file, for the worker. A key already used refuses
    the upload (``MSG_DUPLICATE_SUBMIT``): a form is submitted once.
    """
    spec = importable_stage(campaign, stage)
    if campaign.status != CampaignStatus.SCORING:
        raise ServiceError(
            services.MSG_STATUS.format(status=CampaignStatus(campaign.status).label, action="导入成绩")
        )
    return job_services.job_enqueue(
        actor=actor,
        kind=KIND,
        campaign=campaign,
        stage=spec.key,
        data=data,
        filename=filename,
        key=key,
        check=check_file,
    )


def import_scores(
    *,
    actor: User,
    campaign: Campaign,
    stage: str,
    data: bytes,
    filename: str = "",
    key: str | None = None,
) -> ImportJob:
    """Queue an import and run it at once in this process (enqueue, claim, run).

    For callers that must have the outcome now — tests, and scripts run next to the database. Pages
    and the API only queue; the worker runs the job.
    """
    job = import_enqueue(actor=actor, campaign=campaign, stage=stage, data=data, filename=filename, key=key)
    return job_services.job_run_now(job)


def import_retry(*, actor: User, campaign: Campaign, job_id: int) -> ImportJob:
    """Queue an interrupted import of the actor's again, with the same file; audited.

    Only the uploader's own job of the campaign (404 otherwise), and only one that was interrupted
    (``job_interrupted``) and still has its file; a job refused for its content needs a corrected
    file, not a retry. The campaign must still be at 考试与测评.
    """
    jobs = ImportJob.objects.filter(campaign=campaign, kind=KIND)
    return job_services.job_retry(actor=actor, job_id=job_id, jobs=jobs)


def import_job_get(*, user: User, campaign: Campaign, key: str = "", job_id: int | None = None) -> ImportJob:
    """One of the user's own import jobs of a campaign (already in scope), by key or id; 404 otherwise."""
    return job_selectors.job_get(user=user, campaign=campaign, kind=KIND, key=key, job_id=job_id)


def import_jobs_recent(*, user: User, campaign: Campaign, limit: int = 5) -> list[ImportJob]:
    """The user's latest import jobs of a campaign, newest first."""
    return job_selectors.jobs_recent(user=user, campaign=campaign, kind=KIND, limit=limit)
