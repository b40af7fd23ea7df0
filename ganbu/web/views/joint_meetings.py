"""联席会议 pages: the list of meetings, planning one, and a meeting's page with its forms.

The list and a meeting's page are for those who see supervision (``Cap.SUPERVISION_VIEW``); the forms
that change a meeting for those who run meetings (``services.may_manage``: county-wide supervision
staff); reporting a follow-up done also for its owner. For anyone else these pages do not exist (404).
Each form posts to its own route, calls one service and returns to the meeting's page; a refusal shows
the page again with the form's errors and nothing written. The minutes download is the document kind
``joint_meeting_minutes`` (``web:filled-document``).
"""

from __future__ import annotations

from collections.abc import Callable
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
from ganbu.joint_meetings.models import JointMeeting

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


def _submit(
    request: AuthedRequest,
    pk: int,
    key: str,
    form: forms.Form,
    save: Callable[[dict[str, Any]], str],
    anchor: str,
) -> HttpResponse:
    """A meeting form's POST: ``save(cleaned_data)`` calls the service and says what was done.

    Back to the meeting's page at ``anchor`` with that message; a refusal shows the page again with
    this form (``key`` of ``_detail``'s bound forms) and its errors, nothing written.
    """
    if form.is_valid():
        try:
            text = save(form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            return _done(request, pk, text, anchor)
    return _detail(request, pk, {key: form})


def _remove(request: AuthedRequest, pk: int, remove: Callable[[], str], anchor: str) -> HttpResponse:
    """A delete button's POST: ``remove()`` calls the service; a refusal is a message on the page."""
    try:
        text = remove()
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("web:joint-meeting-detail", pk)
    return _done(request, pk, text, anchor)


def _meeting(request: AuthedRequest, pk: int) -> JointMeeting:
    """The meeting, for a user who may run meetings (404 otherwise)."""
    _require_manage(request)
    return selectors.meeting_get(user=request.user, meeting_id=pk)


@login_required
@require_POST
def member_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Add an attendee."""
    meeting = _meeting(request, pk)

    def save(data: dict[str, Any]) -> str:
        member = services.member_add(actor=request.user, meeting=meeting, **data)
        return f"已添加参会人员{member.name}。"

    return _submit(request, pk, "member", MemberForm(request.POST), save, "members")


@login_required
@require_POST
def member_remove(request: AuthedRequest, pk: int, member_id: int) -> HttpResponse:
    """Take an attendee off the list."""
    _require_manage(request)
    member = selectors.member_get(user=request.user, meeting_id=pk, member_id=member_id)

    def remove() -> str:
        services.member_remove(actor=request.user, member=member)
        return f"已删除参会人员{member.name}。"

    return _remove(request, pk, remove, "members")


@login_required
@require_POST
def agenda_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Add a topic typed by the officer, or (``case`` posted) an open case of another app."""
    meeting = _meeting(request, pk)
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

    def save(data: dict[str, Any]) -> str:
        item = services.agenda_add(actor=request.user, meeting=meeting, **data)
        return f"已列入议题：{item.title}。"

    return _submit(request, pk, "agenda", AgendaForm(request.POST, user=request.user), save, "agenda")


@login_required
@require_POST
def agenda_remove(request: AuthedRequest, pk: int, item_id: int) -> HttpResponse:
    """Take an item off the agenda."""
    _require_manage(request)
    item = selectors.agenda_item_get(user=request.user, meeting_id=pk, item_id=item_id)

    def remove() -> str:
        services.agenda_remove(actor=request.user, item=item)
        return f"已删除议题：{item.title}。"

    return _remove(request, pk, remove, "agenda")


@login_required
@require_POST
def finding_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record a finding on a cadre."""
    meeting = _meeting(request, pk)

    def save(data: dict[str, Any]) -> str:
        finding = services.finding_add(actor=request.user, meeting=meeting, **data)
        return f"已记录{finding.cadre.name}的有关情况。"

    return _submit(request, pk, "finding", FindingForm(request.POST, user=request.user), save, "findings")


@login_required
@require_POST
def finding_remove(request: AuthedRequest, pk: int, finding_id: int) -> HttpResponse:
    """Delete a finding entered by mistake."""
    _require_manage(request)
    finding = selectors.finding_get(user=request.user, meeting_id=pk, finding_id=finding_id)

    def remove() -> str:
        services.finding_remove(actor=request.user, finding=finding)
        return f"已删除{finding.cadre.name}的有关情况。"

    return _remove(request, pk, remove, "findings")


@login_required
@require_POST
def meeting_held(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record that the meeting met."""
    meeting = _meeting(request, pk)

    def save(data: dict[str, Any]) -> str:
        services.meeting_mark_held(actor=request.user, meeting=meeting, held_on=data["held_on"])
        return "已登记会议召开，可以下载会议纪要。"

    return _submit(request, pk, "held", HeldForm(request.POST), save, "status")


@login_required
@require_POST
def minutes_settle(request: AuthedRequest, pk: int) -> HttpResponse:
    """Settle the minutes' text."""
    meeting = _meeting(request, pk)

    def save(data: dict[str, Any]) -> str:
        services.minutes_settle(actor=request.user, meeting=meeting, **data)
        return "会议纪要已定稿。"

    return _submit(request, pk, "minutes", MinutesForm(request.POST), save, "status")


@login_required
@require_POST
def follow_up_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Assign a follow-up item."""
    meeting = _meeting(request, pk)

    def save(data: dict[str, Any]) -> str:
        item = services.follow_up_add(actor=request.user, meeting=meeting, **data)
        return f"已布置督办事项：{item.task}。"

    return _submit(request, pk, "follow_up", FollowUpForm(request.POST), save, "follow-ups")


@login_required
@require_POST
def follow_up_done(request: AuthedRequest, pk: int, follow_up_id: int) -> HttpResponse:
    """Report a follow-up item done (its owner, or whoever runs meetings)."""
    item = selectors.follow_up_get(user=request.user, meeting_id=pk, follow_up_id=follow_up_id)
    if not services.may_complete(request.user, item):
        raise Http404("页面不存在或无权访问。")

    def save(data: dict[str, Any]) -> str:
        services.follow_up_complete(actor=request.user, follow_up=item, **data)
        return f"督办事项「{item.task}」已办结。"

    return _submit(request, pk, "done", FollowUpDoneForm(request.POST), save, "follow-ups")
