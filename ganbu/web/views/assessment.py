"""考核 pages: the rounds (list, create, detail with entries, close), an entry's form, the
consequences to act on, and the Excel import of a unit's grades (``ganbu.jobs``).

Views parse with ``forms_assessment``, call one ``ganbu.assessment`` service or selector and render;
a service's refusal re-renders the form with its Chinese message and nothing written. A page a role
may not use does not exist for it (404): viewing needs ``Cap.ASSESSMENT_VIEW``, changing
``Cap.ASSESSMENT_MANAGE``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from ganbu.assessment import grades_import, selectors, services
from ganbu.assessment.models import AssessmentRound, ConsequenceKind, RoundKind, RoundStatus
from ganbu.core.access import Cap, has_cap, require_cap
from ganbu.exits.selectors import may_see_cases
from ganbu.jobs import selectors as job_selectors
from ganbu.jobs import services as job_services
from ganbu.jobs.models import ImportJob
from ganbu.rules.exits import ExitKind

from ..forms_assessment import (
    AddCadreForm,
    BallotAttachForm,
    CloseForm,
    EntryForm,
    GradesUploadForm,
    HandleForm,
    RoundForm,
    entry_initial,
)
from ..forms_common import add_service_error
from .jobs import KindPage, job_view, register_page
from .org_common import AuthedRequest, page_of

MIN_YEAR, MAX_YEAR = 1950, 2100


def _require_manage(request: AuthedRequest) -> None:
    require_cap(request.user, Cap.ASSESSMENT_MANAGE)


def _year_param(request: AuthedRequest) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and MIN_YEAR <= int(value) <= MAX_YEAR else None


@login_required
@require_GET
def round_list(request: AuthedRequest) -> HttpResponse:
    """The rounds in scope, a page at a time, by year, status and way."""
    require_cap(request.user, Cap.ASSESSMENT_VIEW)
    year = _year_param(request)
    status = request.GET.get("status", "")
    status = status if status in RoundStatus.values else ""
    kind = request.GET.get("kind", "")
    kind = kind if kind in RoundKind.values else ""
    page, query = page_of(
        request, selectors.round_list(user=request.user, year=year, status=status, kind=kind)
    )
    return render(
        request,
        "web/assessment/round_list.html",
        {
            "page": page,
            "query": query,
            "year": year,
            "status": status,
            "kind": kind,
            "statuses": RoundStatus.choices,
            "kinds": RoundKind.choices,
            "years": range(timezone.localdate().year, MIN_YEAR - 1, -1),
            "can_manage": has_cap(request.user, Cap.ASSESSMENT_MANAGE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request: AuthedRequest) -> HttpResponse:
    """A new round for a unit in scope; its cadres are added on the round's page."""
    _require_manage(request)
    today = timezone.localdate()
    form = RoundForm(
        request.POST or None, user=request.user, initial={"year": today.year - 1, "held_on": today}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.round_create(actor=request.user, **data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已创建「{created.title}」，下一步：添加考核对象。")
            return redirect("web:assessment-detail", pk=created.pk)
    return render(request, "web/assessment/round_form.html", {"form": form})


def _detail_context(request: AuthedRequest, found: AssessmentRound, **forms: Any) -> dict[str, Any]:
    user = request.user
    can_manage = has_cap(user, Cap.ASSESSMENT_MANAGE) and found.is_open
    context: dict[str, Any] = {
        "round": found,
        "entries": selectors.round_entries(assessment_round=found),
        "consequences": selectors.round_consequences(assessment_round=found),
        "evaluation": selectors.round_evaluation(user=user, assessment_round=found),
        "can_manage": can_manage,
        "can_see_cases": may_see_cases(user),
        "demotion_kind": ExitKind.DEMOTION.value,
        "add_form": forms.get("add_form") or AddCadreForm(user=user),
        "attach_form": forms.get("attach_form") or BallotAttachForm(user=user, unit=found.unit),
    }
    return context


@login_required
@require_http_methods(["GET", "POST"])
def round_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One round: its entries, its 民主测评 and what came of it; while open, the actions that fill it.

    POST ``action``: ``fill`` (everyone the round assesses), ``add`` (one cadre), ``remove`` (an
    entry), ``ballot`` (create the 民主测评 in the voting engine), ``attach`` (an existing one).
    """
    user = request.user
    require_cap(user, Cap.ASSESSMENT_VIEW)
    found = selectors.round_get_for_user(user=user, round_id=pk)
    if request.method == "GET":
        return render(request, "web/assessment/round_detail.html", _detail_context(request, found))
    _require_manage(request)
    action = request.POST.get("action", "")
    forms: dict[str, Any] = {}
    try:
        if action == "fill":
            added = services.entries_fill(actor=user, assessment_round=found)
            messages.success(request, f"已添加 {len(added)} 名考核对象。")
        elif action == "add":
            add_form = AddCadreForm(request.POST, user=user)
            forms["add_form"] = add_form
            if not add_form.is_valid():
                raise _Invalid
            try:
                services.entries_add(
                    actor=user, assessment_round=found, cadres=[add_form.cleaned_data["cadre"]]
                )
            except ValidationError as exc:
                add_service_error(add_form, exc)
                raise _Invalid from None
            messages.success(request, "已添加考核对象。")
        elif action == "remove":
            entry_id = request.POST.get("entry", "")
            if not entry_id.isdigit() or len(entry_id) > 18:
                raise Http404(selectors.MSG_ROUND_NOT_FOUND)
            entry = selectors.entry_get(user=user, assessment_round=found, entry_id=int(entry_id))
            services.entry_remove(actor=user, entry=entry)
            messages.success(request, f"已将{entry.cadre.name}移出本次考核。")
        elif action == "ballot":
            ballot = services.round_ballot_create(actor=user, assessment_round=found)
            messages.success(
                request, f"已创建民主测评「{ballot.title}」，请在投票页面发放凭证、开始投票和计票。"
            )
        elif action == "attach":
            attach_form = BallotAttachForm(request.POST, user=user, unit=found.unit)
            forms["attach_form"] = attach_form
            if not attach_form.is_valid():
                raise _Invalid
            try:
                services.round_ballot_attach(
                    actor=user, assessment_round=found, ballot=attach_form.cleaned_data["ballot"]
                )
            except ValidationError as exc:
                add_service_error(attach_form, exc)
                raise _Invalid from None
            messages.success(request, "已关联民主测评。")
        else:
            return HttpResponseBadRequest("未知的操作。")
    except _Invalid:
        found = selectors.round_get_for_user(user=user, round_id=pk)
        return render(
            request, "web/assessment/round_detail.html", _detail_context(request, found, **forms), status=200
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("web:assessment-detail", pk=found.pk)


class _Invalid(Exception):
    """A form of the round page did not validate: the page is shown again with its errors."""


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request: AuthedRequest, pk: int, entry_pk: int) -> HttpResponse:
    """One entry's scores, 实绩, grades, dismissal blocker and 评语."""
    _require_manage(request)
    found = selectors.round_get_for_user(user=request.user, round_id=pk)
    entry = selectors.entry_get(user=request.user, assessment_round=found, entry_id=entry_pk)
    form = EntryForm(request.POST or None, initial=entry_initial(entry))
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_set(actor=request.user, entry=entry, data=form.entry_input())
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已保存{entry.cadre.name}的考核情况。")
            return redirect("web:assessment-detail", pk=found.pk)
    return render(request, "web/assessment/entry_form.html", {"round": found, "entry": entry, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def round_close(request: AuthedRequest, pk: int) -> HttpResponse:
    """Fix the round's grades (the 优秀 quota, sanctions, the registry's 年度考核, the consequences)."""
    _require_manage(request)
    found = selectors.round_get_for_user(user=request.user, round_id=pk)
    form = CloseForm(request.POST or None, initial={"closed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.round_close(actor=request.user, assessment_round=found, data=form.close_input())
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"「{found.title}」已确定等次。")
            return redirect("web:assessment-detail", pk=found.pk)
    entries = selectors.round_entries(assessment_round=found)
    return render(
        request, "web/assessment/round_close.html", {"round": found, "entries": entries, "form": form}
    )


@login_required
@require_GET
def consequence_list(request: AuthedRequest) -> HttpResponse:
    """The consequences of closed rounds in scope, open ones first (``?open=1``: only those)."""
    require_cap(request.user, Cap.ASSESSMENT_VIEW)
    open_only = request.GET.get("open") == "1"
    page, query = page_of(request, selectors.consequence_list(user=request.user, open_only=open_only))
    return render(
        request,
        "web/assessment/consequence_list.html",
        {"page": page, "query": query, "open_only": open_only, "demotion_kind": ExitKind.DEMOTION.value},
    )


@login_required
@require_http_methods(["GET", "POST"])
def consequence_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One consequence with its reasons, the link into the exits' demotion form, and how it was handled."""
    require_cap(request.user, Cap.ASSESSMENT_VIEW)
    found = selectors.consequence_get_for_user(user=request.user, consequence_id=pk)
    can_handle = has_cap(request.user, Cap.ASSESSMENT_MANAGE) and found.status == "open"
    form = HandleForm(request.POST or None, cadre=found.cadre, initial={"handled_on": timezone.localdate()})
    if request.method == "POST":
        if not can_handle:
            raise Http404("页面不存在或无权访问。")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.consequence_handle(
                    actor=request.user,
                    consequence=found,
                    handled_on=data["handled_on"],
                    note=data["note"],
                    exit_record=data["exit_record"],
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, "已登记办理情况。")
                return redirect("web:assessment-consequence", pk=found.pk)
    return render(
        request,
        "web/assessment/consequence_detail.html",
        {
            "consequence": found,
            "form": form,
            "can_handle": can_handle,
            "is_demotion": found.kind == ConsequenceKind.DEMOTION,
            "demotion_kind": ExitKind.DEMOTION.value,
            "can_record_exit": has_cap(request.user, Cap.REGISTRY_EDIT)
            and has_cap(request.user, Cap.DOCUMENT_ISSUE),
        },
    )


# ---------------------------------------------------------------- the Excel import of grades


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def round_import(request: AuthedRequest, pk: int) -> HttpResponse:
    """Upload a sheet of the round's grades: queued as a job (``assessment_grades``), then its page.

    Every row is checked by the worker; one wrong row and nothing is written, each wrong row listed.
    """
    _require_manage(request)
    found = selectors.round_get_for_user(user=request.user, round_id=pk)
    form = GradesUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if not found.is_open:
            form.add_error(None, services.MSG_ROUND_CLOSED.format(date=found.closed_on))
        else:
            upload = form.cleaned_data["file"]
            job = job_services.job_enqueue(
                actor=request.user,
                kind=grades_import.NAME,
                data=upload.read(),
                filename=upload.name or "",
                params={"round_id": found.pk},
                check=grades_import.check_envelope,
            )
            return redirect("web:job-detail", job.pk)
    recent = [
        job_view(j) for j in job_selectors.jobs_recent(user=request.user, kind=grades_import.NAME, limit=8)
    ]
    return render(
        request,
        "web/assessment/import.html",
        {"round": found, "form": form, "recent": recent},
        status=400 if request.method == "POST" else 200,
    )


def _import_context(job: ImportJob) -> dict[str, Any]:
    """What the report partial shows: the round and how many rows were set."""
    return {"grades": job.result or {}}


register_page(
    grades_import.NAME,
    KindPage(
        preview_template="web/assessment/_import_report.html",
        report_template="web/assessment/_import_report.html",
        choices=lambda request, job: {},
        context=_import_context,
        upload_url=lambda: reverse("web:assessment-home"),
        writing_text="正在写入（一次写入，全部成功或全部不写入）",
        unit="人",
    ),
)
