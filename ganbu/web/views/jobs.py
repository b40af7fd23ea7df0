"""The generic pages of an import job: its page (progress, preview and confirmation, report), its progress
fragment, confirm, cancel, retry, the report as .xlsx, and 「我最近的导入」.

A job is its uploader's own (``ganbu.jobs.selectors.job_get``): for anyone else every page is 404.
A kind with pages of its own registers a ``KindPage`` here (the partial showing its preview, the one
showing its report, how the preview form's choices are read, the report as .xlsx). While the job runs,
the page polls the progress fragment with htmx; once the job stops running the fragment tells htmx to
reload the page (``HX-Refresh``), which then shows the preview or the outcome. Without JavaScript the
page shows where the job stands and a link to look again. docs/decisions/0013-import-jobs.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from ganbu.core.errors import ServiceError
from ganbu.core.xlsx import CONTENT_TYPE as XLSX_CONTENT_TYPE
from ganbu.doctemplates.responses import file_response
from ganbu.jobs import selectors, services
from ganbu.jobs.choices import JobStatus
from ganbu.jobs.models import ImportJob

from .org_common import AuthedRequest


@dataclass(frozen=True)
class KindPage:
    """How the generic job page shows one kind: its partials, its choices, its report file.

    ``preview_template`` is included inside the confirmation form (its inputs are the choices);
    ``choices(request, job)`` reads them from the POST. ``context(job)`` adds what both partials
    need. ``upload_url`` is where a new upload of the kind starts.
    """

    preview_template: str
    report_template: str
    choices: Callable[[HttpRequest, ImportJob], dict[str, Any]]
    context: Callable[[ImportJob], dict[str, Any]]
    upload_url: Callable[[], str]
    report_xlsx: Callable[[ImportJob], bytes] | None = None
    writing_text: str = "正在逐个写入"
    unit: str = "个文件"


PAGES: dict[str, KindPage] = {}


def register_page(kind: str, page: KindPage) -> None:
    """Give the jobs of ``kind`` the generic pages (called by the kind's view module at import)."""
    PAGES[kind] = page


def _job(request: AuthedRequest, job_id: int) -> tuple[ImportJob, KindPage]:
    """The user's own job of a kind with generic pages; 404 otherwise."""
    job = selectors.job_get(user=request.user, job_id=job_id)
    page = PAGES.get(job.kind)
    if page is None:
        raise Http404(selectors.MSG_NO_JOB)
    return job, page


def job_view(job: ImportJob) -> dict[str, Any]:
    """What the progress bar and the outcome show for a job."""
    interrupted = selectors.job_interrupted(job)
    active = job.status in (JobStatus.QUEUED, JobStatus.READING, JobStatus.WRITING)
    return {
        "job": job,
        "label": selectors.job_label(job),
        "url": selectors.job_page(job),
        "running": active and not interrupted,
        "queued": job.status == JobStatus.QUEUED and not interrupted,
        "interrupted": interrupted,
        "writing": job.status == JobStatus.WRITING and not interrupted,
        "previewed": job.status == JobStatus.PREVIEWED,
        "confirmed": job.confirmed_at is not None,
        "percent": 100 if interrupted else selectors.job_percent(job),
        "errors": selectors.job_errors(job),
        "failed": job.status == JobStatus.FAILED or interrupted,
        "done": job.status == JobStatus.DONE,
        "retry_url": reverse("web:job-retry", args=[job.pk]),
    }


@never_cache
@login_required
@require_GET
def job_detail(request: AuthedRequest, job_id: int) -> HttpResponse:
    """One of the user's imports: its progress, its preview waiting for confirmation, or its outcome."""
    job, page = _job(request, job_id)
    outcome = job_view(job)
    context = {
        "outcome": outcome,
        "page": page,
        "poll_url": reverse("web:job-progress", args=[job.pk]),
        "upload_url": page.upload_url(),
        # Templates would call a callable attribute: whether there is a report file is said here.
        "has_report": page.report_xlsx is not None,
        **page.context(job),
    }
    return render(request, "web/jobs/job.html", context)


@never_cache
@login_required
@require_GET
def job_progress(request: AuthedRequest, job_id: int) -> HttpResponse:
    """The job's progress bar; once the job stops running, htmx is told to reload the job's page."""
    job, page = _job(request, job_id)
    outcome = job_view(job)
    response = render(
        request,
        "web/jobs/_progress.html",
        {"outcome": outcome, "page": page, "poll_url": reverse("web:job-progress", args=[job.pk])},
    )
    if not outcome["running"] and request.headers.get("HX-Request") == "true":
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def job_confirm(request: AuthedRequest, job_id: int) -> HttpResponse:
    """确认导入: the preview's choices are checked and the apply step queued; back to the job's page."""
    job, page = _job(request, job_id)
    try:
        services.job_confirm(actor=request.user, job_id=job.pk, choices=page.choices(request, job))
    except ServiceError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("web:job-detail", job.pk)


@login_required
@require_POST
def job_cancel(request: AuthedRequest, job_id: int) -> HttpResponse:
    """取消: a preview is dropped, nothing written."""
    job, _page = _job(request, job_id)
    try:
        services.job_cancel(actor=request.user, job_id=job.pk)
    except ServiceError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("web:job-detail", job.pk)


@login_required
@require_POST
def job_retry(request: AuthedRequest, job_id: int) -> HttpResponse:
    """重试: an interrupted job is queued again with the same file and choices."""
    job, _page = _job(request, job_id)
    try:
        services.job_retry(actor=request.user, job_id=job.pk)
    except ServiceError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("web:job-detail", job.pk)


@login_required
@require_GET
def job_report(request: AuthedRequest, job_id: int) -> HttpResponse:
    """The outcome of every item of a finished job as .xlsx; 404 before it has finished."""
    job, page = _job(request, job_id)
    if page.report_xlsx is None or job.status != JobStatus.DONE:
        raise Http404("导入尚未完成，没有结果可下载。")
    name = f"{selectors.job_label(job)}结果-{job.created_at:%Y%m%d-%H%M}.xlsx"
    return file_response(page.report_xlsx(job), name, XLSX_CONTENT_TYPE)


@never_cache
@login_required
@require_GET
def jobs_recent(request: AuthedRequest) -> HttpResponse:
    """「我最近的导入」: the user's latest imports of every kind they may see, newest first.

    A role that may run no kind of import has no such page (404).
    """
    visible = selectors.visible_kinds(request.user)
    if not visible:
        raise Http404("页面不存在或无权访问。")
    recent = [job_view(j) for j in selectors.jobs_recent(user=request.user, limit=30)]
    uploads = [(selectors.job_label_of(k), page.upload_url()) for k, page in PAGES.items() if k in visible]
    return render(request, "web/jobs/recent.html", {"recent": recent, "uploads": uploads})
