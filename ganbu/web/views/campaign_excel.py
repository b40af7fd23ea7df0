"""A campaign's Excel pages: the score template, the import with its progress bar, the exports.

For users who run campaigns (``Cap.CAMPAIGN_MANAGE``) and only for campaigns in their scope
(``selectors.campaign_get``); for anyone else the pages do not exist (404).

The import page posts the file with htmx; the request checks the file's envelope and queues an
``ImportJob`` (``excel.import_enqueue``), which the background worker runs. The page polls the job by
the key the form carries, showing a Bootstrap progress bar, then the outcome (see
docs/decisions/0009-excel-import.md and 0012-background-jobs.md). Without JavaScript the form posts
normally and the job's page shows where it stands. Either way the rows are imported all together or
not at all, with the per-row errors. A job whose worker stopped shows 「处理中断」 and a retry button.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ganbu.campaigns import excel, selectors
from ganbu.campaigns.choices import CampaignStatus, ImportStatus
from ganbu.campaigns.models import Campaign
from ganbu.core.access import Cap, require_cap
from ganbu.core.errors import ServiceError
from ganbu.doctemplates.responses import file_response
from ganbu.jobs.models import ImportJob

from ..forms_campaign_excel import KEY, ScoreImportForm
from ..forms_common import add_service_error
from .org_common import AuthedRequest


def _campaign(request: AuthedRequest, pk: int) -> Campaign:
    """A campaign the user runs, in scope; 404 for everyone else."""
    require_cap(request.user, Cap.CAMPAIGN_MANAGE)
    return selectors.campaign_get(user=request.user, campaign_id=pk)


def _stages(campaign: Campaign) -> list[tuple[str, str]]:
    """The stages scores can be imported into, as form choices."""
    return [(s.key, s.label) for s in excel.importable_stages(campaign)]


def _campaign_url(campaign: Campaign) -> str | None:
    """The campaign's own page, when the campaign pages are installed."""
    try:
        return reverse("web:campaign-detail", args=[campaign.pk])
    except NoReverseMatch:
        return None


def _is_htmx(request: AuthedRequest) -> bool:
    """Whether htmx sent the request (it then gets a fragment, always with status 200 to be swapped)."""
    return request.headers.get("HX-Request") == "true"


def _job_view(campaign: Campaign, job: ImportJob | None) -> dict[str, Any] | None:
    """What the progress bar and the outcome show for a job."""
    if job is None:
        return None
    interrupted = excel.job_interrupted(job)
    active = job.status in (ImportStatus.QUEUED, ImportStatus.READING, ImportStatus.WRITING)
    labels = dict(_stages(campaign))
    return {
        "job": job,
        "stage_label": labels.get(job.stage, job.stage),
        "running": active and not interrupted,
        "queued": job.status == ImportStatus.QUEUED and not interrupted,
        "interrupted": interrupted,
        "writing": job.status == ImportStatus.WRITING and not interrupted,
        "percent": 100 if interrupted else excel.job_percent(job),
        "errors": [excel.job_message(job)] if interrupted and active else job.errors,
        "failed": job.status == ImportStatus.FAILED or interrupted,
        "done": job.status == ImportStatus.DONE,
        "retry_url": reverse("web:campaign-scores-import-retry", args=[campaign.pk, job.pk]),
    }


def _progress_url(campaign: Campaign, job: ImportJob) -> str:
    """The job's progress fragment, with the outcome once it has finished."""
    return reverse("web:campaign-scores-import-progress", args=[campaign.pk, job.key]) + "?full=1"


def _page(
    request: AuthedRequest,
    campaign: Campaign,
    form: ScoreImportForm | None = None,
    job: ImportJob | None = None,
) -> HttpResponse:
    """The import page (or, for htmx, its panel) with a fresh form unless a bound one has errors."""
    stages = _stages(campaign)
    key = excel.new_key()
    if form is None or not form.errors:
        stage = request.POST.get("stage") or request.GET.get("stage") or (stages[0][0] if stages else "")
        form = ScoreImportForm(stages=stages, initial={"stage": stage, "key": key})
    else:
        # A refused upload created no job; the next try still gets a key of its own.
        data = request.POST.copy()
        data["key"] = key
        form.data = data
    outcome = _job_view(campaign, job)
    context = {
        "campaign": campaign,
        "campaign_url": _campaign_url(campaign),
        "form": form,
        "stages": stages,
        "scoring": campaign.status == CampaignStatus.SCORING,
        "status_label": CampaignStatus(campaign.status).label,
        "ranked": campaign.applications.filter(place__isnull=False).exists(),
        "poll_url": reverse("web:campaign-scores-import-progress", args=[campaign.pk, key]),
        "outcome": outcome,
        "outcome_poll_url": _progress_url(campaign, job) if job is not None else "",
        "recent": [
            _job_view(campaign, j) for j in excel.import_jobs_recent(user=request.user, campaign=campaign)
        ],
    }
    failed = bool(form.errors) or bool(outcome and outcome["failed"] and not outcome["interrupted"])
    if _is_htmx(request):
        # The panel, and the list of recent imports out of band (it shows the import just made).
        return render(request, "web/campaign_excel/_panel.html", {**context, "oob": True})
    return render(request, "web/campaign_excel/import.html", context, status=400 if failed else 200)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def score_import(request: AuthedRequest, pk: int) -> HttpResponse:
    """The import page: template downloads, the upload form, the progress bar, the outcome, the exports."""
    campaign = _campaign(request, pk)
    if request.method != "POST":
        return _page(request, campaign)
    form = ScoreImportForm(request.POST, request.FILES, stages=_stages(campaign))
    job = None
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = excel.import_enqueue(
                actor=request.user,
                campaign=campaign,
                stage=form.cleaned_data["stage"],
                data=upload.read(),
                filename=upload.name or "",
                key=form.cleaned_data["key"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
    return _page(request, campaign, form, job)


@never_cache
@login_required
@require_GET
def score_import_progress(request: AuthedRequest, pk: int, key: str) -> HttpResponse:
    """The progress bar of the user's upload ``key``: waiting for the file, reading, writing, finished.

    While the import runs, the fragment asks for itself again shortly after it is shown; with
    ``?full=1`` (the job's own page) the outcome follows the bar once the import has finished.
    """
    campaign = _campaign(request, pk)
    if not KEY.fullmatch(key):
        raise Http404("导入记录不存在。")
    job: ImportJob | None
    try:
        job = excel.import_job_get(user=request.user, campaign=campaign, key=key)
    except Http404:
        job = None
    full = request.GET.get("full") == "1"
    poll_url = reverse("web:campaign-scores-import-progress", args=[campaign.pk, key])
    outcome = _job_view(campaign, job)
    context: dict[str, Any] = {
        "campaign": campaign,
        "outcome": outcome,
        "poll_url": f"{poll_url}?full=1" if full else poll_url,
        "full": full,
    }
    if full and outcome is not None and not outcome["running"]:
        # The import just finished: the list of recent imports is sent again out of band.
        context["recent"] = [
            _job_view(campaign, j) for j in excel.import_jobs_recent(user=request.user, campaign=campaign)
        ]
        context["recent_oob"] = True
    return render(request, "web/campaign_excel/_progress.html", context)


@never_cache
@login_required
@require_GET
def score_import_job(request: AuthedRequest, pk: int, job_id: int) -> HttpResponse:
    """One of the user's imports: how far it got, what it imported or why nothing was imported."""
    campaign = _campaign(request, pk)
    job = excel.import_job_get(user=request.user, campaign=campaign, job_id=job_id)
    return render(
        request,
        "web/campaign_excel/job.html",
        {
            "campaign": campaign,
            "campaign_url": _campaign_url(campaign),
            "outcome": _job_view(campaign, job),
            "poll_url": _progress_url(campaign, job),
        },
    )


@login_required
@require_POST
def score_import_retry(request: AuthedRequest, pk: int, job_id: int) -> HttpResponse:
    """Queue an interrupted import of the user's again with the same file, then show its page."""
    campaign = _campaign(request, pk)
    try:
        excel.import_retry(actor=request.user, campaign=campaign, job_id=job_id)
    except ServiceError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("web:campaign-scores-import-job", campaign.pk, job_id)


@login_required
@require_GET
def score_template(request: AuthedRequest, pk: int) -> HttpResponse:
    """The score template of ``?stage=`` as .xlsx, prefilled with the applicants in that stage."""
    campaign = _campaign(request, pk)
    try:
        stage = excel.importable_stage(campaign, request.GET.get("stage", ""))
    except ServiceError:
        raise Http404("没有这个环节。") from None
    body = excel.score_template(campaign, stage.key)
    return file_response(body, f"{campaign.title}-{stage.label}成绩导入模板.xlsx", excel.XLSX_CONTENT_TYPE)


@login_required
@require_GET
def export_applications(request: AuthedRequest, pk: int) -> HttpResponse:
    """Every application of the campaign with its facts, findings and scores, as .xlsx."""
    campaign = _campaign(request, pk)
    body = excel.applications_export(campaign)
    return file_response(body, f"{campaign.title}-报名情况.xlsx", excel.XLSX_CONTENT_TYPE)


@login_required
@require_GET
def export_ranking(request: AuthedRequest, pk: int) -> HttpResponse:
    """The campaign's ranking as .xlsx; before the ranking, a page saying so (409)."""
    campaign = _campaign(request, pk)
    try:
        body = excel.ranking_export(campaign)
    except ServiceError as exc:
        return render(
            request,
            "web/campaign_excel/unavailable.html",
            {"campaign": campaign, "campaign_url": _campaign_url(campaign), "messages_list": exc.messages},
            status=409,
        )
    return file_response(body, f"{campaign.title}-综合成绩排名.xlsx", excel.XLSX_CONTENT_TYPE)
