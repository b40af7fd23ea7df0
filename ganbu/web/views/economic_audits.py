"""经济责任审计 pages: the list of audits, the heads who need one (to commission), registering an
audit from a trigger or by hand, and one audit with the form of its next step.

Views parse with ``forms_economic_audits``, call one ``ganbu.economic_audits`` service or selector
and render; a service's refusal re-renders the form with its Chinese message and nothing written.
The pages exist only for ``Cap.SUPERVISION_VIEW`` (404 otherwise); the forms only for those who
may manage audits (``Cap.SUPERVISION_MANAGE``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from ganbu.core.access import Cap, require_cap
from ganbu.economic_audits import selectors, services
from ganbu.economic_audits.choices import IN_TERM, Status
from ganbu.economic_audits.models import AuditEngagement

from ..forms_common import StyledForm, add_service_error
from ..forms_economic_audits import (
    CloseForm,
    CommissionForm,
    EngagementForm,
    FilterForm,
    FollowUpDoneForm,
    FollowUpForm,
    NoticeForm,
    ReportForm,
    StartForm,
)
from .org_common import AuthedRequest, page_of

MSG_NO_PAGE = "页面不存在或无权访问。"
TRIGGERS_PER_PAGE = 30


@login_required
@require_GET
def audit_list(request: AuthedRequest) -> HttpResponse:
    """The audits in scope (newest first, one page in the database), filtered by status, type,
    name or unit and report year; this year's count of heads and units audited; how many wait."""
    require_cap(request.user, Cap.SUPERVISION_VIEW)
    user = request.user
    today = timezone.localdate()
    filters = FilterForm(request.GET or None)
    data: dict[str, Any] = filters.cleaned_data if filters.is_valid() else {}
    qs = selectors.engagement_list(
        user=user,
        status=data.get("status") or "",
        trigger=data.get("trigger") or "",
        q=data.get("q") or "",
        year=data.get("year"),
    )
    page, query = page_of(request, qs)
    return render(
        request,
        "web/economic_audits/list.html",
        {
            "page": page,
            "query": query,
            "filters": filters,
            "summary": selectors.year_summary(user=user, year=today.year),
            "year": today.year,
            "overdue": selectors.overdue(user=user, on=today).count(),
            "can_manage": services.may_manage(user),
        },
    )


@login_required
@require_GET
def trigger_list(request: AuthedRequest) -> HttpResponse:
    """The heads in scope who need an audit (先审后离 before a move, or the in-term plan), with the
    audit registered for each if any; ``?all=1`` also shows those already commissioned."""
    require_cap(request.user, Cap.SUPERVISION_VIEW)
    user = request.user
    today = timezone.localdate()
    show_all = request.GET.get("all") == "1"
    rows = selectors.audit_triggers(user=user, on=today)
    if not show_all:
        rows = [t for t in rows if t.to_commission]
    number = request.GET.get("page", "1")
    page = Paginator(rows, TRIGGERS_PER_PAGE).get_page(number if number.isdigit() else 1)
    return render(
        request,
        "web/economic_audits/triggers.html",
        {"page": page, "show_all": show_all, "today": today, "can_manage": services.may_manage(user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def audit_create(request: AuthedRequest) -> HttpResponse:
    """Register an audit (待委托): from a trigger (``?tenure=&trigger=&note=`` prefill the form) or by
    hand for any unit-leading post in scope (a presiding deputy with the day presiding began)."""
    require_cap(request.user, Cap.SUPERVISION_VIEW)
    user = request.user
    if not services.may_manage(user):
        raise Http404(MSG_NO_PAGE)
    today = timezone.localdate()
    initial: dict[str, Any] = {"term_end": today, "trigger": request.GET.get("trigger", "transfer")}
    tenure_id = request.GET.get("tenure", "")
    if tenure_id.isdigit():
        initial["tenure"] = int(tenure_id)
    if request.GET.get("note"):
        initial["trigger_note"] = request.GET["note"][:300]
    form = EngagementForm(request.POST or None, user=user, on=today, initial=initial)
    chosen = form.tenures.get(initial.get("tenure", 0))
    if chosen is not None and request.method == "GET":
        form.initial["term_start"] = chosen.start_date
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        tenure = data["tenure"]
        try:
            engagement = services.engagement_create(
                actor=user,
                cadre=tenure.cadre,
                post=tenure.post,
                tenure=tenure,
                trigger=data["trigger"],
                term_start=data["term_start"],
                term_end=data["term_end"],
                trigger_note=data["trigger_note"],
                presiding_since=data["presiding_since"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已登记{engagement.cadre.name}的经济责任审计，待委托。")
            return redirect("web:economic-audit-detail", pk=engagement.pk)
    return render(request, "web/economic_audits/form.html", {"form": form})


# The step forms of the detail page: (action, form class, prefix, the statuses that show it).
_STEPS: dict[str, tuple[type[StyledForm], tuple[str, ...]]] = {
    "commission": (CommissionForm, (Status.TO_COMMISSION,)),
    "notice": (NoticeForm, (Status.COMMISSIONED,)),
    "start": (StartForm, (Status.COMMISSIONED,)),
    "report": (ReportForm, (Status.IN_PROGRESS,)),
    "follow_up": (FollowUpForm, (Status.REPORTED,)),
    "follow_up_done": (FollowUpDoneForm, (Status.REPORTED,)),
    "close": (CloseForm, (Status.REPORTED,)),
}


def _run(action: str, user: Any, engagement: AuditEngagement, data: dict[str, Any]) -> str:
    """Call the service of ``action``; the success message."""
    if action == "commission":
        services.engagement_commission(actor=user, engagement=engagement, **data)
        return "已登记委托，审计期间该干部不得辞职。"
    if action == "notice":
        services.engagement_serve_notice(actor=user, engagement=engagement, served_on=data["served_on"])
        return "已登记审计通知书送达。"
    if action == "start":
        services.engagement_start(actor=user, engagement=engagement, started_on=data["started_on"])
        return "已登记实施审计。"
    if action == "report":
        services.engagement_report(actor=user, engagement=engagement, **data)
        return "已登记审计报告，审计程序结束。"
    if action == "follow_up":
        services.follow_up_add(actor=user, engagement=engagement, **data)
        return "已登记整改事项。"
    if action == "follow_up_done":
        item = selectors.follow_up_get(user=user, item_id=data["item"])
        if item.engagement_id != engagement.pk:
            raise Http404(MSG_NO_PAGE)
        services.follow_up_complete(actor=user, item=item, done_on=data["done_on"], result=data["result"])
        return "已登记整改结果。"
    services.engagement_close(
        actor=user, engagement=engagement, closed_on=data["closed_on"], summary=data["summary"]
    )
    return "已登记整改完成。"


@login_required
@require_http_methods(["GET", "POST"])
def audit_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One audit: the subject and its basis, the dates, the findings and the rectification items,
    and the form of each step its status allows."""
    require_cap(request.user, Cap.SUPERVISION_VIEW)
    user = request.user
    engagement = selectors.engagement_get(user=user, engagement_id=pk)
    can_manage = services.may_manage(user)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if request.method == "POST" and (not can_manage or action not in _STEPS):
        raise Http404(MSG_NO_PAGE)
    today = timezone.localdate()
    initials: dict[str, dict[str, Any]] = {
        "commission": {
            "commissioned_on": today,
            "commissioned_by": services.default_commissioner(user),
            "report_due_on": today + dt.timedelta(days=90),
        },
        "notice": {"served_on": today},
        "start": {"started_on": today},
        "report": {"reported_on": today},
        "follow_up": {"due_on": today + dt.timedelta(days=90)},
        "follow_up_done": {"done_on": today},
        "close": {"closed_on": today},
    }
    forms = {
        name: cls(request.POST if action == name else None, initial=initials[name], prefix=name)
        for name, (cls, _) in _STEPS.items()
    }
    if action:
        form = forms[action]
        if form.is_valid():
            try:
                message = _run(action, user, engagement, dict(form.cleaned_data))
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, message)
                return redirect("web:economic-audit-detail", pk=engagement.pk)
    shown = {
        name: form
        for name, form in forms.items()
        if can_manage and (engagement.status in _STEPS[name][1] or form.errors) and name != "follow_up_done"
    }
    return render(
        request,
        "web/economic_audits/detail.html",
        {
            "e": engagement,
            "items": selectors.follow_ups(engagement),
            "forms": shown,
            "done_form": forms["follow_up_done"],
            "can_manage": can_manage,
            "in_term": engagement.trigger == IN_TERM,
            "overdue": engagement.is_pending
            and engagement.report_due_on is not None
            and engagement.report_due_on < today,
        },
    )
