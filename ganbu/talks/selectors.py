"""Talks reads, always scoped to the user, with fixed query counts; and the talks' to-do groups.

Secrecy: a talk, a 函询 or a 诫勉 is part of the cadre's supervision file. Only roles with both
``Cap.SUPERVISION_VIEW`` and ``Cap.SENSITIVE_SUPERVISION`` (纪委/审计/信访, the department's
officers and leaders) see talks, and only of cadres in their scope (``cadres_for``); unit
officers see none. A missing and a forbidden talk look the same (404).
"""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from django.db.models import Exists, Model, OuterRef, QuerySet
from django.http import Http404
from django.urls import reverse

from ganbu.accounts.models import User
from ganbu.core.access import Cap, cadres_for, has_cap
from ganbu.rules.selection_flow import Step
from ganbu.rules.workdays import cn_date
from ganbu.selection.models import Candidate
from ganbu.todo.items import TodoGroup, TodoItem

from .choices import TalkKind, TalkStatus
from .models import Talk

MSG_NOT_FOUND = "谈话记录不存在或无权查看。"

M = TypeVar("M", bound=Model)

#: Steps at or after the standing committee's decision (常委会票决): from then on an approved
#: appointee is due a 廉政谈话 before taking office (seed 一(五); the step order of
#: ``rules.selection_flow``). A withdrawn record is left out.
DECIDED_STEPS: tuple[str, ...] = (
    Step.COMMITTEE_VOTE.value,
    Step.ANNOUNCEMENT.value,
    Step.PUBLIC_NOTICE.value,
    Step.APPOINTMENT.value,
    Step.FEEDBACK.value,
    Step.PROBATION_END.value,
)
#: A 诫勉's period is listed from this many days before its last day (and on that day).
ENDING_DAYS = 30

TODO_INTEGRITY_DUE = "talk_integrity_due"
TODO_ADMONISHMENT_ENDING = "admonishment_ending"
TODO_INQUIRY_OVERDUE = "inquiry_overdue"


def sees_talks(user: User) -> bool:
    """Whether the user may see talks at all (supervising bodies, the department's officers and leaders)."""
    return has_cap(user, Cap.SUPERVISION_VIEW) and has_cap(user, Cap.SENSITIVE_SUPERVISION)


def manages_talks(user: User) -> bool:
    """Whether the user may record talks (supervising bodies and the department's officers)."""
    return sees_talks(user) and has_cap(user, Cap.SUPERVISION_MANAGE)


def talk_list(
    *,
    user: User,
    kind: str = "",
    unit_id: int | None = None,
    year: int | None = None,
    status: str = "",
    cadre_id: int | None = None,
) -> QuerySet[Talk]:
    """Talks of cadres in the user's scope, newest first, filtered; paginate in the database.

    ``unit_id`` is the unit recorded with the talk (the cadre's unit then); ``year`` the year of
    ``held_on``. One query per page: cadre, unit, 纪实 and sanction come joined.
    """
    if not sees_talks(user):
        return Talk.objects.none()
    qs = Talk.objects.filter(cadre__in=cadres_for(user)).select_related(
        "cadre", "unit", "selection_record", "sanction", "recorded_by"
    )
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    if year is not None:
        qs = qs.filter(held_on__year=year)
    if cadre_id is not None:
        qs = qs.filter(cadre_id=cadre_id)
    return qs.order_by("-held_on", "-id")


def talk_get(*, user: User, talk_id: int) -> Talk:
    """One talk the user may see, or 404 (the same for a missing and a forbidden one)."""
    talk = talk_list(user=user).filter(pk=talk_id).first()
    if talk is None:
        raise Http404(MSG_NOT_FOUND)
    return talk


def talk_years(*, user: User) -> list[int]:
    """The years that have talks in the user's scope, newest first (for the year filter). One query."""
    return sorted({d.year for d in talk_list(user=user).dates("held_on", "year")}, reverse=True)


def integrity_talks_due(*, user: User) -> QuerySet[Candidate]:
    """Approved appointees (常委会通过) of decided records with no 廉政谈话 recorded for that record.

    Scoped to cadres the user may see; oldest decision first (the record's id as a stand-in for
    its order). One query (the talk's absence is an ``EXISTS`` subquery).
    """
    if not sees_talks(user):
        return Candidate.objects.none()
    talked = Talk.objects.filter(
        kind=TalkKind.INTEGRITY, selection_record=OuterRef("record_id"), cadre=OuterRef("cadre_id")
    )
    return (
        Candidate.objects.filter(approved=True, record__step__in=DECIDED_STEPS, cadre__in=cadres_for(user))
        .exclude(Exists(talked))
        .select_related("cadre", "post__unit", "record")
        .order_by("record_id", "sort_order", "id")
    )


def admonishments_ending(*, user: User, on: dt.date, days: int = ENDING_DAYS) -> QuerySet[Talk]:
    """诫勉 whose impact period ends on ``on`` or within the next ``days`` days, soonest first."""
    return (
        talk_list(user=user, kind=TalkKind.ADMONISHMENT)
        .filter(period_end__gte=on, period_end__lte=on + dt.timedelta(days=days))
        .order_by("period_end", "id")
    )


def inquiries_overdue(*, user: User, on: dt.date) -> QuerySet[Talk]:
    """函询 still unanswered after their reply's due day, longest overdue first."""
    return (
        talk_list(user=user, kind=TalkKind.INQUIRY, status=TalkStatus.AWAITING_ANSWER)
        .filter(answer_due_on__lt=on)
        .order_by("answer_due_on", "id")
    )


def _page(qs: QuerySet[M], limit: int | None) -> tuple[int, list[M]]:
    """The count and the first ``limit`` rows (all when ``limit`` is None): two queries at most."""
    if limit is None:
        rows = list(qs)
        return len(rows), rows
    rows = list(qs[:limit])
    if len(rows) < limit:
        return len(rows), rows
    return qs.count(), rows


def todo_integrity_talks_due(user: User, on: dt.date, limit: int | None) -> TodoGroup:
    """To-do: 廉政谈话 before taking office not yet recorded for an approved appointee (two queries)."""
    count, rows = _page(integrity_talks_due(user=user), limit)
    base = reverse("web:talk-create", args=[TalkKind.INTEGRITY.value])
    items = [
        TodoItem(
            key=f"talk-integrity:{c.record_id}:{c.cadre_id}",
            text=f"{c.record.title}：{c.cadre.name}（拟任{c.post}）尚未登记任前廉政谈话",
            link=f"{base}?record={c.record_id}&cadre={c.cadre_id}",
        )
        for c in rows
    ]
    return TodoGroup(kind=TODO_INTEGRITY_DUE, title="待进行的任前廉政谈话", count=count, items=items)


def todo_admonishments_ending(user: User, on: dt.date, limit: int | None) -> TodoGroup:
    """To-do: 诫勉 impact periods ending within 30 days (the cadre may be used again after). Two queries."""
    count, rows = _page(admonishments_ending(user=user, on=on), limit)
    items = []
    for talk in rows:
        assert talk.period_end is not None
        left = "今天期满" if talk.period_end == on else f"还有 {(talk.period_end - on).days} 天"
        items.append(
            TodoItem(
                key=f"admonishment-end:{talk.pk}:{talk.period_end.isoformat()}",
                text=f"{talk.cadre.name}（{talk.unit.name}）诫勉影响期至{cn_date(talk.period_end)}（{left}）",
                link=reverse("web:talk-detail", args=[talk.pk]),
                due_on=talk.period_end,
            )
        )
    return TodoGroup(kind=TODO_ADMONISHMENT_ENDING, title="诫勉影响期30天内届满", count=count, items=items)


def todo_inquiries_overdue(user: User, on: dt.date, limit: int | None) -> TodoGroup:
    """To-do: 函询 whose written answer is past its due day (two queries)."""
    count, rows = _page(inquiries_overdue(user=user, on=on), limit)
    items = []
    for talk in rows:
        assert talk.answer_due_on is not None
        items.append(
            TodoItem(
                key=f"inquiry-overdue:{talk.pk}",
                text=(
                    f"{talk.cadre.name}（{talk.unit.name}）函询回复期限{cn_date(talk.answer_due_on)}，"
                    f"已逾期 {(on - talk.answer_due_on).days} 天"
                ),
                link=reverse("web:talk-detail", args=[talk.pk]),
                due_on=talk.answer_due_on,
                overdue=True,
            )
        )
    return TodoGroup(
        kind=TODO_INQUIRY_OVERDUE, title="逾期未回复的函询", count=count, items=items, overdue_label="逾期"
    )
