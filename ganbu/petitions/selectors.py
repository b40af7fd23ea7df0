"""Petition reads, always scoped to the user, with fixed query counts.

Who sees a petition (docs/petitions.md, 谁能看到) — "staff see only their own cases by role":

- a supervisor (role 监督部门: 纪委) sees the cases taken in by 县纪委监委 and those assigned to them;
- an organization officer sees the cases taken in by 县委组织部 and those assigned to them;
- any other user sees only the cases assigned to them (assignees are always staff of the two
  roles, so in practice nothing); the department's leader, unit officers and the rest see none.

Not found and not visible look the same (404). The public sees a case only through its tracking
code (:func:`petition_track`), and then only its status, dates and reply.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse

from ganbu.accounts.choices import Role
from ganbu.accounts.models import User
from ganbu.rules.workdays import cn_date
from ganbu.todo.items import TodoGroup, TodoItem

from .choices import OPEN_STATUSES, IntakeBody, PetitionStatus
from .models import Petition

MSG_NOT_FOUND = "信访举报不存在或无权查看。"
TODO_KIND = "petitions_due"
TODO_TITLE = "信访举报即将到期或已逾期"
TODO_AHEAD_DAYS = 7

_ROLE_BODY = {
    Role.SUPERVISOR.value: IntakeBody.DISCIPLINE.value,
    Role.ORG_OFFICER.value: IntakeBody.ORGANIZATION.value,
}


def petitions_for(user: User) -> QuerySet[Petition]:
    """The petitions ``user`` may see: their body's intake and those assigned to them."""
    if not user.is_authenticated or not user.is_active:
        return Petition.objects.none()
    scope = Q(assignee=user)
    body = _ROLE_BODY.get(user.role)
    if body is not None:
        scope |= Q(intake_body=body)
    return Petition.objects.filter(scope)


def petition_list(
    *,
    user: User,
    status: str = "",
    channel: str = "",
    mine: bool = False,
    overdue_on: dt.date | None = None,
    q: str = "",
) -> QuerySet[Petition]:
    """The user's petitions, newest first, filtered; one query per page (the assignee comes joined).

    ``overdue_on`` keeps the open cases whose due day is before it; ``q`` searches the 反映对象
    text and the tracking code.
    """
    qs = petitions_for(user).select_related("assignee")
    if status:
        qs = qs.filter(status=status)
    if channel:
        qs = qs.filter(channel=channel)
    if mine:
        qs = qs.filter(assignee=user)
    if overdue_on is not None:
        qs = qs.filter(status__in=OPEN_STATUSES, due_on__lt=overdue_on)
    if q.strip():
        text = q.strip()[:50]
        qs = qs.filter(Q(about__icontains=text) | Q(tracking_code__iexact=text))
    return qs.order_by("-received_on", "-id")


def petition_get(*, user: User, petition_id: int) -> Petition:
    """One petition the user may see, with its people and talk joined, or 404."""
    petition = (
        petitions_for(user)
        .select_related("assignee", "recorded_by", "concluded_by", "talk__cadre", "talk__sanction")
        .prefetch_related("cadres__unit")
        .filter(pk=petition_id)
        .first()
    )
    if petition is None:
        raise Http404(MSG_NOT_FOUND)
    return petition


def petition_staff() -> QuerySet[User]:
    """The users a petition may be assigned to: active supervisors and organization officers.

    A county has a few dozen of them, so the assign form lists them all (by role, then name).
    """
    return User.objects.filter(is_active=True, role__in=list(_ROLE_BODY)).order_by(
        "role", "display_name", "id"
    )


def petition_track(*, code: str) -> Petition | None:
    """The petition with this tracking code (as typed: dashes, spaces and case ignored), or ``None``.

    For the public tracking page: the caller shows only the status, the dates and the reply.
    """
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    if len(cleaned) != 12:
        return None
    formatted = "-".join(cleaned[i : i + 4] for i in range(0, 12, 4))
    return Petition.objects.filter(tracking_code=formatted).first()


def _todo_scope(user: User) -> QuerySet[Petition]:
    """The open cases the user should act on: theirs to handle, and their body's still unassigned."""
    scope = Q(assignee=user)
    body = _ROLE_BODY.get(user.role)
    if body is not None:
        scope |= Q(intake_body=body, status=PetitionStatus.RECEIVED)
    return petitions_for(user).filter(scope, status__in=OPEN_STATUSES)


def todo_petitions_due(user: User, on: dt.date, limit: int | None) -> TodoGroup:
    """To-do: petitions overdue or due within 7 days (《信访工作条例》's 60 days), soonest first.

    For the assignee their cases; for a body's staff also the body's cases not yet assigned.
    Two queries (count, first ``limit``).
    """
    qs = _todo_scope(user).filter(due_on__lte=on + dt.timedelta(days=TODO_AHEAD_DAYS))
    count = qs.count()
    items = [
        TodoItem(
            key=f"petition:{p.pk}:{p.due_on.isoformat()}",
            text=(
                f"信访举报（反映 {p.about}，{p.get_channel_display()}，{p.get_status_display()}）"
                f"办理期限 {cn_date(p.due_on)}"
            ),
            link=reverse("web:petition-detail", args=[p.pk]),
            due_on=p.due_on,
            overdue=p.due_on < on,
        )
        for p in qs.order_by("due_on", "id")[:limit]
    ]
    return TodoGroup(kind=TODO_KIND, title=TODO_TITLE, count=count, items=items)
