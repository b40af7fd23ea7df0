"""The Excel cadre import pages (干部信息导入): the templates and the upload; the job's pages are generic.

For users who edit the registry (``Cap.REGISTRY_EDIT``); the prefilled template, which holds ID
numbers, also needs ``Cap.SENSITIVE_ID``. For anyone else the pages do not exist (404).

The upload's request checks only the file's envelope and queues a job of kind ``cadres``
(``ganbu.interop.roster.jobs``) and sends the user to the job's page (``views.jobs``: the progress
bar while the background worker reads the sheet, then the errors, or the preview with the
differences and 确认导入, then the outcome). This module registers the kind's partials there: the
preview (rows with their differences, the answers for rows to confirm) and the report.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from ganbu.core.access import Cap, require_cap
from ganbu.core.xlsx import CONTENT_TYPE
from ganbu.doctemplates.responses import file_response
from ganbu.interop.roster import jobs as roster_jobs
from ganbu.interop.roster.reader import LIMITS, MAX_ROWS, check_envelope
from ganbu.interop.roster.template import report_workbook, roster_template
from ganbu.jobs import selectors as job_selectors
from ganbu.jobs import services as job_services
from ganbu.jobs.models import ImportJob

from ..forms_common import StyledForm
from .jobs import KindPage, job_view, register_page
from .org_common import AuthedRequest
from .roster_query import filtered_cadres

MSG_TOO_LARGE = "文件 {size} 超过 10 MB 的上限，请分成几个文件导入。"


class RosterUploadForm(StyledForm):
    """The filled 干部信息 sheet (.xlsx)."""

    file = forms.FileField(
        label="干部信息表（.xlsx）",
        help_text=f"按模板填写；表头按名称识别。不超过 10 MB、{MAX_ROWS} 人。",
        widget=forms.FileInput(attrs={"accept": f".xlsx,{CONTENT_TYPE}"}),
        error_messages={"required": "请选择要上传的文件。", "empty": "上传的文件是空的。"},
    )

    def clean_file(self) -> Any:
        """Refuse a file over the limit before anything reads it into memory."""
        upload = self.cleaned_data["file"]
        if upload.size > LIMITS.max_bytes:
            raise forms.ValidationError(MSG_TOO_LARGE.format(size=f"{upload.size / 1024 / 1024:.1f} MB"))
        return upload


def _require(request: AuthedRequest) -> None:
    require_cap(request.user, Cap.REGISTRY_EDIT)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def roster_import(request: AuthedRequest) -> HttpResponse:
    """The import page: the templates, the upload form, the user's recent imports. POST queues the file."""
    _require(request)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = job_services.job_enqueue(
            actor=request.user,
            kind=roster_jobs.NAME,
            data=upload.read(),
            filename=upload.name or "",
            check=check_envelope,
        )
        return redirect("web:job-detail", job.pk)
    recent = [
        job_view(j) for j in job_selectors.jobs_recent(user=request.user, kind=roster_jobs.NAME, limit=8)
    ]
    context = {"form": form, "recent": recent, "query": request.GET.urlencode()}
    return render(
        request, "web/roster_import/import.html", context, status=400 if request.method == "POST" else 200
    )


@login_required
@require_GET
def roster_import_template(request: AuthedRequest) -> HttpResponse:
    """The template: blank, or (``?prefilled=1`` and the roster's filters) with the user's cadres."""
    _require(request)
    if request.GET.get("prefilled") == "1":
        require_cap(request.user, Cap.SENSITIVE_ID)
        _, _, cadres = filtered_cadres(request)
        body = roster_template(user=request.user, cadres=cadres[:MAX_ROWS])
        return file_response(body, f"干部信息-{timezone.localdate():%Y%m%d}.xlsx", CONTENT_TYPE)
    return file_response(roster_template(user=request.user), "干部信息导入模板.xlsx", CONTENT_TYPE)


def _choices(request: HttpRequest, job: ImportJob) -> dict[str, Any]:
    """The preview form's answers: ``line-<n>`` → a candidate's id or ``new``."""
    return {k.removeprefix("line-"): v for k, v in request.POST.items() if k.startswith("line-")}


def _context(job: ImportJob) -> dict[str, Any]:
    """What the preview and report partials show."""
    preview = job.preview or {}
    counts = preview.get("counts", {})
    return {
        "roster": {
            "counts": counts,
            "to_write": counts.get("new", 0) + counts.get("update", 0) + counts.get("confirm", 0),
            "rows": preview.get("rows", []),
            "notices": preview.get("notices", []),
            "result": job.result or {},
        }
    }


register_page(
    roster_jobs.NAME,
    KindPage(
        preview_template="web/roster_import/_preview.html",
        report_template="web/roster_import/_report.html",
        choices=_choices,
        context=_context,
        upload_url=lambda: reverse("web:roster-import"),
        report_xlsx=lambda job: report_workbook(job.result or {}, filename=job.filename),
        writing_text="正在写入（一次写入，全部成功或全部不写入）",
        unit="人",
    ),
)
