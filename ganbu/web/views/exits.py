"""能上能下 pages: the exits and the two due lists of a year, a form per exit kind, the
incompetence cases, and the proceedings for supervising bodies.

Views parse with ``forms_exits``, call one ``ganbu.exits`` service or selector and render; a
service's refusal re-renders the form with its Chinese message and nothing written. A page a role
may not use — the proceedings without ``Cap.SENSITIVE_SUPERVISION``, the cases without
``Cap.BALLOT_RESULTS`` — does not exist for it (404).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from ganbu.accounts.models import User
from ganbu.core.access import Cap, has_cap, require_cap
from ganbu.core.inputs import parse_query_date
from ganbu.exits import selectors, services
from ganbu.exits.models import ExitRecord
from ganbu.registry import selectors as registry_selectors
from ganbu.rules.exits import ExitKind

from ..exports import DAY, Column, wants_xlsx, xlsx_response
from ..forms_common import add_service_error
from ..forms_exits import (
    AdjustForm,
    CaseConcludeForm,
    CaseOpenForm,
    ExitForm,
    ProceedingCloseForm,
    ProceedingForm,
)
from .org_common import AuthedRequest, int_param, page_of

MIN_YEAR, MAX_YEAR = 1950, 2100
_KINDS = {k.value for k in ExitKind}


def _may_record(user: User) -> bool:
    return has_cap(user, Cap.REGISTRY_EDIT) and has_cap(user, Cap.DOCUMENT_ISSUE)


def _year(request: AuthedRequest) -> int:
    """The year asked for (``?year=``), this year when absent or out of range."""
    value = request.GET.get("year", "")
    if value.isdigit() and MIN_YEAR <= int(value) <= MAX_YEAR:
        return int(value)
    return timezone.localdate().year


def _date_param(request: AuthedRequest, name: str) -> dt.date | None:
    """A date from the query string (``YYYY-MM-DD``), or None when absent, malformed or out of range."""
    try:
        return parse_query_date(request.GET.get(name))
    except ValueError:
        return None


def _export_exits(user: User, records: Any, year: int, kind: str) -> FileResponse:
    """The year's exits as the page lists them (every page); the 不称职调整 mark only for those who
    may see the incompetence cases."""
    columns = [
        Column("姓名", lambda r: r.cadre.name),
        Column("单位", lambda r: r.cadre.unit.name),
        Column("方式", lambda r: r.get_kind_display()),
        Column("生效日期", lambda r: r.effective_on, DAY),
        Column("任免文件", lambda r: r.document.number if r.document else "无需发文"),
        Column("经办人", lambda r: str(r.created_by) if r.created_by else ""),
    ]
    if selectors.may_see_cases(user):
        # A reverse one-to-one: absent raises, so ask whether it is there (joined: no query).
        columns.append(Column("不称职调整", lambda r: "是" if hasattr(r, "incompetence_case") else ""))
    filters = [("年度", f"{year}年")] + ([("方式", ExitKind(kind).label)] if kind else [])
    return xlsx_response(title="能上能下", columns=columns, rows=records.iterator(), filters=filters)


@login_required
@require_GET
def exit_home(request: AuthedRequest) -> HttpResponse | FileResponse:
    """The exits of a year (one page in the database) and who reaches the age thresholds that year
    (each due list a page at a time, ``?early_page=`` and ``?retirement_page=``, with its total).

    ``?export=xlsx``: the year's exits (with the 方式 filter), every page, as a spreadsheet.
    """
    require_cap(request.user, Cap.REGISTRY_VIEW)
    user = request.user
    year = _year(request)
    kind = request.GET.get("kind", "")
    if kind not in _KINDS:
        kind = ""
    records = selectors.exit_list(user=user, kind=kind, year=year)
    if wants_xlsx(request):
        return _export_exits(user, records, year, kind)
    page, query = page_of(request, records)
    return render(
        request,
        "web/exits/home.html",
        {
            "year": year,
            "years": range(timezone.localdate().year + 5, MIN_YEAR - 1, -1),
            "kind": kind,
            "kinds": [(k.value, k.label) for k in ExitKind],
            "page": page,
            "query": query,
            # The due lists a page at a time (``?early_page=``, ``?retirement_page=``): at province
            # scale a year's retirements run to thousands, and the page would date and show them all.
            "due_early": selectors.due_early_exit_page(
                user=user, year=year, number=_page_number(request, "early_page")
            ),
            "due_retirement": selectors.due_retirement_page(
                user=user, year=year, number=_page_number(request, "retirement_page")
            ),
            "can_record": _may_record(user),
            "can_see_cases": selectors.may_see_cases(user),
            "can_see_proceedings": selectors.may_see_proceedings(user),
        },
    )


def _page_number(request: AuthedRequest, name: str) -> int:
    """A due list's page number from ``?name=`` (1 when absent or not a number)."""
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and len(value) <= 9 else 1


def _record(kind: ExitKind, user: User, form: ExitForm) -> ExitRecord:
    """Call the service of ``kind`` with the form's cleaned data."""
    data = form.cleaned_data
    cadre, decision = data["cadre"], form.decision()
    if kind is ExitKind.EARLY_EXIT:
        return services.early_exit_record(actor=user, cadre=cadre, decision=decision)
    if kind is ExitKind.REASSIGN_NON_LEADERSHIP:
        return services.reassign_non_leadership(
            actor=user, cadre=cadre, decision=decision, new_post=data["new_post"], new_rank=data["new_rank"]
        )
    if kind is ExitKind.REMOVAL:
        return services.removal_record(actor=user, cadre=cadre, decision=decision)
    if kind is ExitKind.DEMOTION:
        return services.demotion_record(
            actor=user, cadre=cadre, decision=decision, new_rank=data["new_rank"], new_post=data["new_post"]
        )
    if kind is ExitKind.RETIREMENT:
        return services.retirement_record(
            actor=user, cadre=cadre, decision=decision, early_ground=data["early_ground"]
        )
    return services.resignation_record(
        actor=user, cadre=cadre, decision=decision, entire=kind is ExitKind.RESIGNATION_ENTIRE
    )


@login_required
@require_http_methods(["GET", "POST"])
def exit_create(request: AuthedRequest, kind: str) -> HttpResponse:
    """The form of one exit kind; a due list's link presets the cadre and the date (``?cadre=&on=``)."""
    user = request.user
    if not _may_record(user) or kind not in _KINDS:
        raise Http404("页面不存在或无权访问。")
    exit_kind = ExitKind(kind)
    if request.method == "POST":
        form = ExitForm(request.POST, kind=exit_kind, user=user)
        if form.is_valid():
            try:
                record = _record(exit_kind, user, form)
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, f"已办理{record.cadre.name}同志{exit_kind.label}，任免文件已登记。")
                return redirect("web:exit-detail", pk=record.pk)
    else:
        today = timezone.localdate()
        initial: dict[str, Any] = {"decided_on": today, "effective_on": _date_param(request, "on") or today}
        form = ExitForm(initial=initial, kind=exit_kind, user=user)
        cadre_id = int_param(request, "cadre")
        if cadre_id is not None:
            cadre = (
                registry_selectors.cadre_list(user=user).filter(pk=cadre_id).select_related("unit").first()
            )
            if cadre is not None:
                form.set_cadre(cadre)
    return render(request, "web/exits/exit_form.html", {"form": form, "kind": exit_kind})


@login_required
@require_GET
def exit_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One exit with its document's items (the posts ended, the new post and rank)."""
    require_cap(request.user, Cap.REGISTRY_VIEW)
    record = selectors.exit_get_for_user(user=request.user, exit_id=pk)
    items = selectors.exit_items(user=request.user, record=record)
    return render(
        request,
        "web/exits/exit_detail.html",
        {"record": record, "items": items, "can_see_cases": selectors.may_see_cases(request.user)},
    )


# ---------------------------------------------------------------- incompetence cases


@login_required
@require_http_methods(["GET", "POST"])
def case_list(request: AuthedRequest) -> HttpResponse:
    """The incompetence cases, the flagged evaluations waiting for one, and the form that opens one."""
    user = request.user
    if not selectors.may_see_cases(user):
        raise Http404("页面不存在或无权访问。")
    can_handle = services.may_handle_cases(user)
    form = CaseOpenForm(request.POST or None, user=user, initial={"opened_on": timezone.localdate()})
    if request.method == "POST":
        if not can_handle:
            raise Http404("页面不存在或无权访问。")
        if form.is_valid():
            data = form.cleaned_data
            try:
                case = services.incompetence_case_open(
                    actor=user,
                    opened_on=data["opened_on"],
                    evaluation=data["evaluation"],
                    cadre=data["cadre"],
                    reason=data["reason"],
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, f"已启动{case.cadre.name}同志的不称职调整程序，下一步：组织考察。")
                return redirect("web:exit-case-detail", pk=case.pk)
    page, query = page_of(request, selectors.case_list(user=user))
    return render(
        request,
        "web/exits/case_list.html",
        {
            "page": page,
            "query": query,
            "flagged": selectors.flagged_evaluations(user=user),
            "form": form,
            "can_handle": can_handle,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One case: its evaluation, inspection and outcome; the form of the next step its state allows."""
    user = request.user
    if not selectors.may_see_cases(user):
        raise Http404("页面不存在或无权访问。")
    case = selectors.case_get_for_user(user=user, case_id=pk)
    can_handle = services.may_handle_cases(user)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action and not can_handle:
        raise Http404("页面不存在或无权访问。")
    today = timezone.localdate()
    conclude = CaseConcludeForm(
        request.POST if action == "conclude" else None, initial={"inspected_on": today}, prefix="conclude"
    )
    adjust = AdjustForm(
        request.POST if action == "adjust" else None,
        user=user,
        initial={"decided_on": today, "effective_on": today},
        prefix="adjust",
    )
    if action == "conclude" and conclude.is_valid():
        data = conclude.cleaned_data
        try:
            services.incompetence_case_conclude(
                actor=user,
                case=case,
                confirmed=data["confirmed"],
                conclusion=data["conclusion"],
                inspected_on=data["inspected_on"],
                inspectors=data["inspectors"],
            )
        except ValidationError as exc:
            add_service_error(conclude, exc)
        else:
            messages.success(request, "已登记考察结论。")
            return redirect("web:exit-case-detail", pk=case.pk)
    elif action == "adjust" and adjust.is_valid():
        data = adjust.cleaned_data
        try:
            record = services.incompetence_case_adjust(
                actor=user,
                case=case,
                kind=data["adjustment"],
                decision=adjust.decision(),
                new_post=data["new_post"],
                new_rank=data["new_rank"],
            )
        except ValidationError as exc:
            add_service_error(adjust, exc)
        else:
            messages.success(request, f"已办理{record.get_kind_display()}，不称职调整程序结案。")
            return redirect("web:exit-case-detail", pk=case.pk)
    return render(
        request,
        "web/exits/case_detail.html",
        {"case": case, "conclude": conclude, "adjust": adjust, "can_handle": can_handle},
    )


# ---------------------------------------------------------------- proceedings (supervisors)


@login_required
@require_http_methods(["GET", "POST"])
def proceeding_list(request: AuthedRequest) -> HttpResponse:
    """Proceedings of cadres in scope (open first), optionally of one cadre, and the form for a new one."""
    user = request.user
    if not selectors.may_see_proceedings(user):
        raise Http404("页面不存在或无权访问。")
    can_record = services.may_record_proceedings(user)
    form = ProceedingForm(request.POST or None, user=user, initial={"started_on": timezone.localdate()})
    if request.method == "POST":
        if not can_record:
            raise Http404("页面不存在或无权访问。")
        if form.is_valid():
            data = form.cleaned_data
            try:
                proceeding = services.proceeding_open(
                    actor=user,
                    cadre=data["cadre"],
                    kind=data["kind"],
                    body=data["body"],
                    started_on=data["started_on"],
                    note=data["note"],
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, f"已登记：{proceeding}。")
                return redirect("web:exit-proceedings")
    qs = selectors.proceeding_list(user=user, open_only=request.GET.get("open") == "1")
    cadre_id = int_param(request, "cadre")
    if cadre_id is not None:
        qs = qs.filter(cadre_id=cadre_id)
    page, query = page_of(request, qs)
    return render(
        request,
        "web/exits/proceeding_list.html",
        {"page": page, "query": query, "form": form, "can_record": can_record},
    )


@login_required
@require_http_methods(["GET", "POST"])
def proceeding_close(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record the end of a proceeding."""
    user = request.user
    if not services.may_record_proceedings(user):
        raise Http404("页面不存在或无权访问。")
    proceeding = selectors.proceeding_get_for_user(user=user, proceeding_id=pk)
    form = ProceedingCloseForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.proceeding_close(
                actor=user,
                proceeding=proceeding,
                ended_on=form.cleaned_data["ended_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已登记结束：{proceeding}。")
            return redirect("web:exit-proceedings")
    return render(request, "web/exits/proceeding_close.html", {"proceeding": proceeding, "form": form})
