"""联席会议 pages: the list of meetings, planning one, and a meeting's page with its forms.

The list and a meeting's page are for those who see supervision (``Cap.SUPERVISION_VIEW``); the forms
that change a meeting for those who run meetings (``services.may_manage``: county-wide supervision
staff); reporting a follow-up done also for its owner. For anyone else these pages do not exist (404).
Each form posts to its own route, calls one service and returns to the meeting's page; a refusal shows
the page again with the form's errors and nothing written. The minutes download is the document kind
``joint_meeting_minutes`` (``web:filled-document``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ganbu.joint_meetings import selectors, services, sources
from ganbu.joint_meetings.choices import AgendaSource, Body, MeetingStatus

from ..forms_common import add_service_error
from ..forms_joint_meetings import (
    AgendaForm,
    CaseForm,
    FindingForm,
    FollowUpDoneForm,
    FollowUpForm,
    HeldForm,
    MeetingForm,
    MemberForm,
    MinutesForm,
)
from .org_common import AuthedRequest, page_of

MINUTES_KIND = "joint_meeting_minutes"


def _require_manage(request: AuthedRequest) -> None:
    """404 unless the user may run joint meetings."""
    if not services.may_manage(request.user):
        raise Http404("页面不存在或无权访问。")


@login_required
@require_GET
def meeting_list(request: AuthedRequest) -> HttpResponse:
    """The meetings, newest first, a page at a time, with the half-year's meeting if it is due."""
    if not selectors.may_view(request.user):
        raise Http404("页面不存在或无权访问。")
    status = request.GET.get("status", "")
    page, query = page_of(request, selectors.meeting_list(user=request.user, status=status))
    today = timezone.localdate()
    return render(
        request,
        "web/joint_meetings/meeting_list.html",
        {
            "page": page,
            "query": query,
            "status": status if status in MeetingStatus.values else "",
            "statuses": MeetingStatus.choices,
            "due": selectors.meeting_due_on(today),
            "half": selectors.current_half(today),
            "can_manage": services.may_manage(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: AuthedRequest) -> HttpResponse:
    """Plan a meeting."""
    _require_manage(request)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_create(
                actor=request.user,
                held_on=data["held_on"],
                title=data["title"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                venue=data["venue"],
                chair=data["chair"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已安排「{meeting.title}」。")
            return redirect("web:joint-meeting-detail", meeting.pk)
    return render(request, "web/joint_meetings/meeting_form.html", {"form": form})


def _detail(request: AuthedRequest, pk: int, bound: dict[str, forms.Form] | None = None) -> HttpResponse:
    """A meeting's page, with the forms its user may use (a refused one bound, with its errors)."""
    detail = selectors.meeting_detail(user=request.user, meeting_id=pk)
    meeting = detail.meeting
    can_manage = services.may_manage(request.user)
    bound = bound or {}
    today = timezone.localdate()
    ctx: dict[str, Any] = {
        "d": detail,
        "meeting": meeting,
        "can_manage": can_manage,
        "may_download": selectors.may_see_all(request.user) and meeting.status != MeetingStatus.PLANNED,
        "minutes_kind": MINUTES_KIND,
        "absent_bodies": [b.label for b in Body if all(m.body != b.value for m in detail.members)],
        "completable": {f.pk for f in detail.follow_ups if services.may_complete(request.user, f)},
        "done_form": bound.get("done") or FollowUpDoneForm(initial={"done_on": today}),
        "done_target": request.POST.get("follow_up", "") if "done" in bound else "",
    }
    if can_manage:
        ctx.update(
            member_form=bound.get("member") or MemberForm(),
            agenda_form=bound.get("agenda") or AgendaForm(user=request.user),
            case_form=bound.get("case") or CaseForm(),
            open_cases=[
                (AgendaSource(source).label, cases)
                for source, cases in sources.all_open_cases(request.user).items()
                if cases
            ],
            finding_form=bound.get("finding") or FindingForm(user=request.user),
            held_form=bound.get("held") or HeldForm(initial={"held_on": min(meeting.held_on, today)}),
            minutes_form=bound.get("minutes")
            or MinutesForm(initial={"minutes_on": today, "minutes": meeting.minutes}),
            follow_up_form=bound.get("follow_up") or FollowUpForm(),
        )
    return render(request, "web/joint_meetings/meeting_detail.html", ctx, status=400 if bound else 200)


@login_required
@require_GET
def meeting_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """A meeting: attendees, agenda, findings (in the user's scope), follow-ups, status, minutes."""
    return _detail(request, pk)


def _done(request: AuthedRequest, pk: int, text: str, anchor: str) -> HttpResponse:
    """Back to the meeting's page at the section just changed."""
    messages.success(request, text)
    response = redirect("web:joint-meeting-detail", pk)
    response["Location"] += f"#{anchor}"
    return response


@login_required
@require_POST
def member_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Add an attendee."""
    _require_manage(request)
    meeting = selectors.meeting_get(user=request.user, meeting_id=pk)
    form = MemberForm(request.POST)
    if form.is_valid():
        try:
            member = services.member_add(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            return _done(request, pk, f"已添加参会人员{member.name}。", "members")
    return _detail(request, pk, {"member": form})


@login_required
@require_POST
def member_remove(request: AuthedRequest, pk: int, member_id: int) -> HttpResponse:
    """Take an attendee off the list."""
    _require_manage(request)
    member = selectors.member_get(user=request.user, meeting_id=pk, member_id=member_id)
    try:
        services.member_remove(actor=request.user, member=member)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("web:joint-meeting-detail", pk)
    return _done(request, pk, f"已删除参会人员{member.name}。", "members")


@login_required
@require_POST
def agenda_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Add a topic typed by the officer, or (``case`` posted) an open case of another app."""
    _require_manage(request)
    meeting = selectors.meeting_get(user=request.user, meeting_id=pk)
    if "case" in request.POST:
        case_form = CaseForm(request.POST)
        if case_form.is_valid():
            source, source_id = case_form.cleaned_data["case"]
            try:
                item = services.agenda_add_case(
                    actor=request.user, meeting=meeting, source=source, source_id=source_id
                )
            except ValidationError as exc:
                case_form.add_error("case", exc.messages)
            else:
                return _done(request, pk, f"已列入议题：{item.title}。", "agenda")
        return _detail(request, pk, {"case": case_form})
    form = AgendaForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            item = services.agenda_add(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            return _done(request, pk, f"已列入议题：{item.title}。", "agenda")
    return _detail(request, pk, {"agenda": form})


@login_required
@require_POST
def agenda_remove(request: AuthedRequest, pk: int, item_id: int) -> HttpResponse:
    """Take an item off the agenda."""
    _require_manage(request)
    item = selectors.agenda_item_get(user=request.user, meeting_id=pk, item_id=item_id)
    try:
        services.agenda_remove(actor=request.user, item=item)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("web:joint-meeting-detail", pk)
    return _done(request, pk, f"已删除议题：{item.title}。", "agenda")


@login_required
@require_POST
def finding_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record a finding on a cadre."""
    _require_manage(request)
    meeting = selectors.meeting_get(user=request.user, meeting_id=pk)
    form = FindingForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            finding = services.finding_add(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            return _done(request, pk, f"已记录{finding.cadre.name}的有关情况。", "findings")
    return _detail(request, pk, {"finding": form})


@login_required
@require_POST
def finding_remove(request: AuthedRequest, pk: int, finding_id: int) -> HttpResponse:
    """Delete a finding entered by mistake."""
    _require_manage(request)
    finding = selectors.finding_get(user=request.user, meeting_id=pk, finding_id=finding_id)
    try:
        services.finding_remove(actor=request.user, finding=finding)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("web:joint-meeting-detail", pk)
    return _done(request, pk, f"已删除{finding.cadre.name}的有关情况。", "findings")


@login_required
@require_POST
def meeting_held(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record that the meeting met."""
    _require_manage(request)
    meeting = selectors.meeting_get(user=request.user, meeting_id=pk)
    form = HeldForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_mark_held(
                actor=request.user, meeting=meeting, held_on=form.cleaned_data["held_on"]
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            return _done(request, pk, "已登记会议召开，可以下载会议纪要。", "status")
    return _detail(request, pk, {"held": form})


@login_required
@require_POST
def minutes_settle(request: AuthedRequest, pk: int) -> HttpResponse:
    """Settle the minutes' text."""
    _require_manage(request)
    meeting = selectors.meeting_get(user=request.user, meeting_id=pk)
    form = MinutesForm(request.POST)
    if form.is_valid():
        try:
            services.minutes_settle(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            return _done(request, pk, "会议纪要已定稿。", "status")
    return _detail(request, pk, {"minutes": form})


@login_required
@require_POST
def follow_up_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Assign a follow-up item."""
    _require_manage(request)
    meeting = selectors.meeting_get(user=request.user, meeting_id=pk)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            item = services.follow_up_add(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            return _done(request, pk, f"已布置督办事项：{item.task}。", "follow-ups")
    return _detail(request, pk, {"follow_up": form})


@login_required
@require_POST
def follow_up_done(request: AuthedRequest, pk: int, follow_up_id: int) -> HttpResponse:
    """Report a follow-up item done (its owner, or whoever runs meetings)."""
    item = selectors.follow_up_get(user=request.user, meeting_id=pk, follow_up_id=follow_up_id)
    if not services.may_complete(request.user, item):
        raise Http404("页面不存在或无权访问。")
    form = FollowUpDoneForm(request.POST)
    if form.is_valid():
        try:
            services.follow_up_complete(actor=request.user, follow_up=item, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            return _done(request, pk, f"督办事项「{item.task}」已办结。", "follow-ups")
    return _detail(request, pk, {"done": form})
