"""Reads of the joint meetings, scoped to the user, and the two to-do groups.

Meetings are the county's: anyone with ``Cap.SUPERVISION_VIEW`` (the supervising bodies, the
department's officers and leaders) sees the list and each meeting; the findings on a meeting are
limited to the cadres in the user's scope (``cadres_for``), so a supervisor limited to one unit
subtree sees only its cadres. The minutes document names every finding, so it is for county-wide
users only (:func:`may_see_all`). Everyone else gets a 404, like a missing meeting.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Window
from django.http import Http404

from ganbu.accounts.choices import Role
from ganbu.accounts.models import User
from ganbu.core.access import Cap, cadres_for, has_cap
from ganbu.policy.selectors import policy_value
from ganbu.rules.workdays import cn_date
from ganbu.todo.items import TodoGroup, TodoItem

from .choices import FollowUpStatus, MeetingStatus
from .models import AgendaItem, Finding, FollowUp, JointMeeting, MeetingMember
from .schedule import HalfYear, half_year, meeting_due, overdue

MSG_NOT_FOUND = "页面不存在或无权访问。"
KIND_DUE = "joint_meeting_due"
KIND_FOLLOW_UP_OVERDUE = "joint_meeting_follow_up_overdue"
TITLE_DUE = "联席会议待召开"
TITLE_FOLLOW_UP_OVERDUE = "联席会议督办事项逾期"
LINK_LIST = "/joint-meetings/"
LINK_MEETING = "/joint-meetings/{id}/"


def may_view(user: User) -> bool:
    """Whether ``user`` may see joint meetings at all."""
    return has_cap(user, Cap.SUPERVISION_VIEW)


def may_see_all(user: User) -> bool:
    """Whether ``user`` sees every finding (county-wide scope), and so may download the minutes."""
    return may_view(user) and user.scope_unit_id is None and not user.scope_authorities


def _require_view(user: User) -> None:
    """404 unless ``user`` may see joint meetings."""
    if not may_view(user):
        raise Http404(MSG_NOT_FOUND)


def meeting_list(*, user: User, status: str = "", year: int | None = None) -> QuerySet[JointMeeting]:
    """The meetings, newest first, with counts of attendees, findings and open follow-ups (one query)."""
    _require_view(user)
    qs = JointMeeting.objects.all()
    if status in MeetingStatus.values:
        qs = qs.filter(status=status)
    if year is not None:
        qs = qs.filter(held_on__year=year)
    return qs.annotate(
        member_count=Count("members", distinct=True),
        finding_count=Count("findings", distinct=True),
        open_follow_ups=Count("follow_ups", filter=Q(follow_ups__status=FollowUpStatus.OPEN), distinct=True),
    ).order_by("-held_on", "-id")


def meeting_get(*, user: User, meeting_id: int) -> JointMeeting:
    """One meeting, or 404."""
    _require_view(user)
    meeting = JointMeeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        raise Http404(MSG_NOT_FOUND)
    return meeting


@dataclass(frozen=True)
class MeetingDetail:
    """A meeting with what it records, as ``user`` may see it (findings limited to their scope)."""

    meeting: JointMeeting
    members: list[MeetingMember]
    agenda: list[AgendaItem]
    findings: list[Finding]
    follow_ups: list[FollowUp]
    findings_hidden: bool


def meeting_detail(*, user: User, meeting_id: int) -> MeetingDetail:
    """A meeting with its attendees, agenda, findings in scope and follow-ups (five queries)."""
    meeting = meeting_get(user=user, meeting_id=meeting_id)
    findings = Finding.objects.filter(meeting=meeting).select_related("cadre__unit").order_by("id")
    if not may_see_all(user):
        findings = findings.filter(cadre__in=cadres_for(user))
    return MeetingDetail(
        meeting=meeting,
        members=list(MeetingMember.objects.filter(meeting=meeting).order_by("id")),
        agenda=list(AgendaItem.objects.filter(meeting=meeting).select_related("cadre__unit").order_by("id")),
        findings=list(findings),
        follow_ups=list(
            FollowUp.objects.filter(meeting=meeting).select_related("owner").order_by("due_on", "id")
        ),
        findings_hidden=not may_see_all(user),
    )


def _member_get(user: User, model: type, pk: int, meeting_id: int) -> object:
    """A row of ``model`` belonging to meeting ``meeting_id``, or 404."""
    _require_view(user)
    row = model.objects.filter(pk=pk, meeting_id=meeting_id).select_related("meeting").first()  # type: ignore[attr-defined]
    if row is None:
        raise Http404(MSG_NOT_FOUND)
    return row


def member_get(*, user: User, meeting_id: int, member_id: int) -> MeetingMember:
    """An attendee of the meeting, or 404."""
    row = _member_get(user, MeetingMember, member_id, meeting_id)
    assert isinstance(row, MeetingMember)
    return row


def agenda_item_get(*, user: User, meeting_id: int, item_id: int) -> AgendaItem:
    """An agenda item of the meeting, or 404."""
    row = _member_get(user, AgendaItem, item_id, meeting_id)
    assert isinstance(row, AgendaItem)
    return row


def finding_get(*, user: User, meeting_id: int, finding_id: int) -> Finding:
    """A finding of the meeting on a cadre in the user's scope, or 404."""
    _require_view(user)
    qs = Finding.objects.filter(pk=finding_id, meeting_id=meeting_id).select_related("meeting", "cadre")
    if not may_see_all(user):
        qs = qs.filter(cadre__in=cadres_for(user))
    row = qs.first()
    if row is None:
        raise Http404(MSG_NOT_FOUND)
    return row


def follow_up_get(*, user: User, meeting_id: int, follow_up_id: int) -> FollowUp:
    """A follow-up item of the meeting, or 404."""
    row = _member_get(user, FollowUp, follow_up_id, meeting_id)
    assert isinstance(row, FollowUp)
    return row


def follow_up_owners() -> QuerySet[User]:
    """The users a follow-up may be assigned to: active staff of the roles that see joint meetings."""
    roles = [Role.ORG_OFFICER, Role.ORG_LEADER, Role.SUPERVISOR]
    return User.objects.filter(is_active=True, role__in=roles).order_by("username")


# ---------------------------------------------------------------- schedule and to-do groups


def current_half(on: dt.date) -> HalfYear:
    """The half-year of ``on`` with the meeting month of the county policy in force that day (two queries)."""
    first = int(policy_value("joint_meeting.first_month", on).value)
    second = int(policy_value("joint_meeting.second_month", on).value)
    return half_year(on, first, second)


@dataclass(frozen=True)
class DueMeeting:
    """The half-year's meeting when it is due: the half-year, whether late, and a planned meeting if any."""

    half: HalfYear
    overdue: bool
    planned: JointMeeting | None


def meeting_due_on(on: dt.date) -> DueMeeting | None:
    """The half-year's meeting if it is due on ``on`` (its month has come, none held since), else ``None``.

    Three queries: the two policy values and the meetings of the half-year.
    """
    half = current_half(on)
    if on < half.month_start:
        return None
    rows = list(
        JointMeeting.objects.filter(held_on__range=(half.month_start, half.end)).order_by("held_on", "id")
    )
    held = [m.held_on for m in rows if m.status != MeetingStatus.PLANNED]
    if not meeting_due(on, half, held):
        return None
    planned = next((m for m in rows if m.status == MeetingStatus.PLANNED), None)
    return DueMeeting(half=half, overdue=overdue(on, half), planned=planned)


def joint_meeting_due(user: User, on: dt.date, limit: int | None) -> TodoGroup:
    """To-do group 联席会议待召开: the half-year's meeting when due, for those who run meetings.

    Empty for users who may not see meetings (no query then); otherwise three queries.
    """
    items: list[TodoItem] = []
    if may_view(user) and has_cap(user, Cap.SUPERVISION_MANAGE):
        due = meeting_due_on(on)
        if due is not None:
            half = due.half
            text = f"{half.label}干部监督联席会议应于{half.year}年{half.month}月召开，尚未召开"
            if due.planned is not None:
                text += f"（已安排于{cn_date(due.planned.held_on)}：{due.planned.title}）"
            link = LINK_MEETING.format(id=due.planned.pk) if due.planned else LINK_LIST
            items.append(
                TodoItem(
                    key=f"{KIND_DUE}:{half.year}-{1 if half.first else 2}",
                    text=text,
                    link=link,
                    due_on=half.month_end,
                    overdue=due.overdue,
                )
            )
    shown = items if limit is None else items[:limit]
    return TodoGroup(kind=KIND_DUE, title=TITLE_DUE, count=len(items), items=shown)


def follow_ups_overdue(user: User, on: dt.date, limit: int | None) -> TodoGroup:
    """To-do group 联席会议督办事项逾期: open follow-ups past their due date, oldest due first.

    Those who run meetings (``Cap.SUPERVISION_MANAGE``) see every one; others who see meetings see the
    ones they own. One query (the total rides on the rows), none for users who may not see meetings.
    """
    if not may_view(user):
        return TodoGroup(kind=KIND_FOLLOW_UP_OVERDUE, title=TITLE_FOLLOW_UP_OVERDUE, count=0, items=[])
    qs = FollowUp.objects.filter(status=FollowUpStatus.OPEN, due_on__lt=on).select_related("meeting", "owner")
    if not has_cap(user, Cap.SUPERVISION_MANAGE):
        qs = qs.filter(owner=user)
    qs = qs.order_by("due_on", "id")
    if limit is None:
        rows = list(qs)
        count = len(rows)
    else:
        rows = list(qs.annotate(todo_total=Window(Count("pk")))[:limit])
        count = getattr(rows[0], "todo_total", 0) if rows else 0
    items = [
        TodoItem(
            key=f"{KIND_FOLLOW_UP_OVERDUE}:{f.pk}",
            text=f"{f.meeting.title}：{f.task}（责任：{f.owner_text}），应于{cn_date(f.due_on)}前办结",
            link=LINK_MEETING.format(id=f.meeting_id),
            due_on=f.due_on,
            overdue=True,
        )
        for f in rows
    ]
    return TodoGroup(kind=KIND_FOLLOW_UP_OVERDUE, title=TITLE_FOLLOW_UP_OVERDUE, count=count, items=items)
