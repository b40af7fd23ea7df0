"""The 任免审批表 import page: upload .lrmx files, .lrm with their .pic, or a .zip; then the job's pages.

For users who edit the registry (``Cap.REGISTRY_EDIT``). The upload's request checks only the number
and sizes of the files and the unit chosen for new cadres, and queues a job of kind ``lrmx``
(``ganbu.jobs.lrmx.lrmx_enqueue``); the job's page (``views.jobs``) shows its progress, then the
preview of every file — new, update with its differences, unchanged, needing confirmation (the officer
picks the cadre it is, or 新建), refused with the reason — then, once confirmed and written, every
file's outcome, downloadable as .xlsx. docs/decisions/0013-import-jobs.md, docs/lrmx-import.md.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ganbu.core.access import Cap, require_cap, units_for
from ganbu.core.errors import ServiceError
from ganbu.jobs import lrmx
from ganbu.jobs.models import ImportJob
from ganbu.jobs.services import new_key
from ganbu.registry.models import Unit

from ..forms_campaign_excel import KEY, MSG_BAD_KEY
from ..forms_common import StyledForm, add_service_error
from .jobs import KindPage, register_page
from .org_common import AuthedRequest


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that takes several files at once."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several uploaded files; each is checked as a ``FileField`` would check one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(lrmx.EXTENSIONS)}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        """Every file, cleaned."""
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class LrmxImportForm(StyledForm):
    """The files, the unit of the cadres they will create, and the upload's key."""

    uploads = MultipleFileField(
        label="任免审批表文件",
        help_text=(
            f"可一次选择多个 .lrmx 文件，.lrm 文件连同同名的 .pic 照片，或它们的 .zip 压缩包；"
            f"每次最多 {lrmx.MAX_FILES} 个文件、共 {lrmx.MAX_TOTAL_BYTES // (1024 * 1024)} MB。"
        ),
    )
    unit = forms.ModelChoiceField(
        label="新建干部的单位",
        queryset=Unit.objects.none(),
        required=False,
        empty_label="（不新建干部，只更新已有干部）",
        help_text="文件中的干部在系统中还没有的，建在这个单位下；不选则这些文件不导入。",
    )
    key = forms.CharField(widget=forms.HiddenInput, max_length=32)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_for(user).order_by("path", "id")  # type: ignore[attr-defined]

    def clean_key(self) -> str:
        """The upload's key: 32 hex digits."""
        key: str = self.cleaned_data["key"]
        if not KEY.fullmatch(key):
            raise forms.ValidationError(MSG_BAD_KEY)
        return key

    def clean_uploads(self) -> Any:
        """Refuse by count, extension and size before anything is read into memory."""
        uploads = self.cleaned_data["uploads"]
        try:
            lrmx.check_sizes([(u.name or "", u.size or 0) for u in uploads])
        except ServiceError as exc:
            raise forms.ValidationError(exc.messages) from None
        return uploads


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def lrmx_import(request: AuthedRequest) -> HttpResponse:
    """The upload form; a valid upload queues the job and goes to its page."""
    require_cap(request.user, Cap.REGISTRY_EDIT)
    if request.method == "POST":
        form = LrmxImportForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            unit = form.cleaned_data["unit"]
            files = [(u.name or "", u.read()) for u in form.cleaned_data["uploads"]]
            try:
                job = lrmx.lrmx_enqueue(
                    actor=request.user,
                    files=files,
                    unit_id=unit.pk if unit is not None else None,
                    key=form.cleaned_data["key"],
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                return redirect("web:job-detail", job.pk)
        data = request.POST.copy()
        data["key"] = new_key()
        form.data = data
        status = 400
    else:
        form = LrmxImportForm(user=request.user, initial={"key": new_key()})
        status = 200
    return render(request, "web/lrmx/import.html", {"form": form}, status=status)


def _choices(request: HttpRequest, job: ImportJob) -> dict[str, Any]:
    """The preview form's choices: for each file needing confirmation, the cadre picked or 0 (新建)."""
    confirm: dict[str, str] = {}
    for index, item in enumerate(lrmx.preview_files(job)):
        value = request.POST.get(f"confirm-{index}", "")
        if item.get("outcome") == "confirm" and value:
            confirm[str(item.get("filename", ""))] = value
    return {"confirm": confirm}


# The preview lists the files that need an officer's eye first; long runs of new or unchanged files
# are folded (a department's first upload can be a thousand files, nearly all of them new).
PREVIEW_ORDER = ("confirm", "refused", "update", "new", "unchanged")
NEED_A_LOOK = {"confirm", "refused", "update"}
FOLDED_ABOVE = 20


def _context(job: ImportJob) -> dict[str, Any]:
    """The preview's files and the report's rows, labelled, with counts by outcome."""
    files = [
        {**item, "index": n, "outcome_label": lrmx.OUTCOME_LABELS.get(str(item.get("outcome")), "")}
        for n, item in enumerate(lrmx.preview_files(job))
    ]
    counts: dict[str, int] = {}
    for item in files:
        label = item["outcome_label"]
        counts[label] = counts.get(label, 0) + 1
    report = [
        {**row, "outcome_label": lrmx.OUTCOME_LABELS.get(str(row.get("outcome")), "")}
        for row in lrmx.report_rows(job)
    ]
    creates = any(item.get("outcome") in ("new", "confirm") for item in files)
    groups = []
    for outcome in PREVIEW_ORDER:
        members = [item for item in files if item.get("outcome") == outcome]
        if members:
            groups.append(
                {
                    "outcome": outcome,
                    "label": lrmx.OUTCOME_LABELS.get(outcome, ""),
                    "files": members,
                    "open": outcome in NEED_A_LOOK or len(members) <= FOLDED_ABOVE,
                }
            )
    return {
        "files": files,
        "groups": groups,
        "counts": sorted(counts.items()),
        "report": report,
        "no_unit_warning": creates and not (job.params or {}).get("unit_id"),
    }


register_page(
    lrmx.KIND,
    KindPage(
        preview_template="web/lrmx/_preview.html",
        report_template="web/lrmx/_report.html",
        choices=_choices,
        context=_context,
        upload_url=lambda: reverse("web:lrmx-import"),
        report_xlsx=lrmx.report_xlsx,
    ),
)
