"""Exchanges reads, always scoped to the user, with fixed query counts; and the exchanges' to-do groups.

Who reads: ``Cap.ALLOCATION_VIEW`` (the department's officers and leader county-wide, unit officers in
their own subtree). An exchange record is visible when its cadre is (``cadres_for``); a plan when
the user's scope is the county, or when one of its moves concerns a cadre in scope — a unit officer
then sees only those moves and only the findings about their own units. A missing and a forbidden
row look the same (404).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Count, Model, Q, QuerySet
from django.http import Http404
from django.urls import reverse

from ganbu.accounts.models import User
from ganbu.core.access import Cap, cadres_for, has_cap, units_for
from ganbu.core.errors import ServiceError
from ganbu.rules import rotation_plan as rules
from ganbu.rules.workdays import cn_date
from ganbu.team_structure.selectors import PlannedMove, TeamChange, teams_before_after
from ganbu.todo.items import TodoGroup, TodoItem

from .choices import KEEPS_POST, ExchangeKind, PlanStatus
from .models import ExchangeRecord, PlanMove, RotationPlan
from .services import plan_findings

MSG_NOT_FOUND = "记录不存在或无权查看。"
MSG_TEAMS_OUT_OF_SCOPE = "本方案涉及的部分班子不在您的管理范围内，不显示调整前后的结构。"

M = TypeVar("M", bound=Model)
#: A 挂职's term is listed from this many days before its end (and after, until its end is recorded).
ENDING_DAYS = 30
TODO_SECONDMENT_ENDING = "secondment_ending"
TODO_PLAN_PENDING = "rotation_plan_pending"


def reads(user: User) -> bool:
    """Whether the user may read exchanges and plans."""
    return has_cap(user, Cap.ALLOCATION_VIEW)


def manages(user: User) -> bool:
    """Whether the user may record exchanges and keep plans."""
    return has_cap(user, Cap.ALLOCATION_MANAGE)


def _require(user: User) -> None:
    if not reads(user):
        raise Http404(MSG_NOT_FOUND)


def records(*, user: User, kind: str = "", year: int | None = None) -> QuerySet[ExchangeRecord]:
    """Exchange records of cadres in scope, newest first, by kind and the year they started."""
    _require(user)
    qs = ExchangeRecord.objects.filter(cadre__in=cadres_for(user)).select_related(
        "cadre", "from_unit", "from_post__unit", "to_unit", "to_post__unit", "document", "plan", "recorded_by"
    )
    if kind in ExchangeKind.values:
        qs = qs.filter(kind=kind)
    if year is not None:
        qs = qs.filter(start_on__year=year)
    return qs.order_by("-start_on", "-id")


def record_years(*, user: User) -> list[int]:
    """The years with records in scope, newest first (for the filter)."""
    _require(user)
    return sorted(
        {d.year for d in ExchangeRecord.objects.filter(cadre__in=cadres_for(user)).dates("start_on", "year")},
        reverse=True,
    )


def record_get(*, user: User, record_id: int) -> ExchangeRecord:
    """One record in scope, or 404."""
    record = records(user=user).filter(pk=record_id).first()
    if record is None:
        raise Http404(MSG_NOT_FOUND)
    return record


def _county_wide(user: User) -> bool:
    return user.scope_unit_id is None and not user.scope_authorities


def plans(*, user: User, status: str = "") -> QuerySet[RotationPlan]:
    """Plans the user may see, newest planned date first, with their number of moves."""
    _require(user)
    qs = RotationPlan.objects.all()
    if not _county_wide(user):
        qs = qs.filter(moves__cadre__in=cadres_for(user)).distinct()
    if status in PlanStatus.values:
        qs = qs.filter(status=status)
    return (
        qs.annotate(n_moves=Count("moves", distinct=True))
        .select_related("document")
        .order_by("-planned_on", "-id")
    )


def plan_get(*, user: User, plan_id: int) -> RotationPlan:
    """One plan the user may see, or 404."""
    plan = plans(user=user).filter(pk=plan_id).first()
    if plan is None:
        raise Http404(MSG_NOT_FOUND)
    return plan


def plan_moves(*, user: User, plan: RotationPlan) -> list[PlanMove]:
    """The plan's moves the user may see (all of them county-wide), in order."""
    _require(user)
    qs = plan.moves.select_related("cadre__unit", "from_post__unit", "to_post__unit")
    if not _county_wide(user):
        qs = qs.filter(cadre__in=cadres_for(user))
    return list(qs.order_by("sort_order", "id"))


def plan_checks(*, user: User, plan: RotationPlan) -> list[rules.Finding]:
    """The plan's findings on its planned date; outside county scope only those about own units."""
    _require(user)
    found = plan_findings(plan)
    if _county_wide(user):
        return found
    own = set(units_for(user).values_list("pk", flat=True))
    return [f for f in found if f.unit_id in own]


@dataclass(frozen=True)
class BeforeAfter:
    """A plan's teams before and after its moves (``changes``), or why they cannot be shown (``error``).

    ``on`` is the day the structure is read: the planned date, or for a plan already carried out the
    day before it took effect (the registry then shows the moves done).
    """

    on: dt.date
    changes: list[TeamChange]
    error: str = ""


def plan_before_after(*, user: User, plan: RotationPlan, moves: list[PlanMove]) -> BeforeAfter:
    """Every team the plan's (visible) moves touch, before and after, through the team-structure what-if.

    The moves are handed to ``ganbu.team_structure.selectors.teams_before_after`` as planned moves
    (the cadre out of ``from_post`` into ``to_post``); a move whose cadre no longer holds the post it
    leaves (the registry changed after the plan was drafted) is reported as the ``error``.
    """
    on = plan.planned_on
    if plan.status == PlanStatus.CARRIED_OUT and plan.carried_out_on is not None:
        on = plan.carried_out_on - dt.timedelta(days=1)
    if not moves:
        return BeforeAfter(on=on, changes=[])
    planned = [
        PlannedMove(cadre_id=m.cadre_id, to_post_id=m.to_post_id, from_post_id=m.from_post_id) for m in moves
    ]
    try:
        return BeforeAfter(on=on, changes=teams_before_after(user, planned, on))
    except ServiceError as exc:
        return BeforeAfter(on=on, changes=[], error="；".join(exc.messages))
    except Http404:
        # A move reaches a team outside the user's scope (a unit officer's cadre going to a town).
        return BeforeAfter(on=on, changes=[], error=MSG_TEAMS_OUT_OF_SCOPE)


def record_counts(*, user: User, year: int | None = None) -> dict[str, int]:
    """How many records of each kind (for the list's summary)."""
    qs = records(user=user, year=year)
    rows = qs.order_by().values("kind").annotate(n=Count("id"))
    return {row["kind"]: row["n"] for row in rows}


def secondments_ending(*, user: User, on: dt.date) -> QuerySet[ExchangeRecord]:
    """挂职 and 党外干部挂任 in scope ending within 30 days, or ended without a recorded return."""
    _require(user)
    return (
        records(user=user)
        .filter(kind__in=list(KEEPS_POST), ended_on__isnull=True, planned_end_on__isnull=False)
        .filter(planned_end_on__lte=on + dt.timedelta(days=ENDING_DAYS))
        .order_by("planned_end_on", "id")
    )


def plans_pending(*, user: User) -> QuerySet[RotationPlan]:
    """Plans discussed but not yet carried out (or still drafts), oldest planned date first."""
    return (
        plans(user=user)
        .filter(status__in=[PlanStatus.DRAFT, PlanStatus.DISCUSSED])
        .order_by("planned_on", "id")
    )


def _page(qs: QuerySet[M], limit: int | None) -> tuple[int, list[M]]:
    """The first ``limit`` rows and the total (one query when fewer; two otherwise)."""
    rows = list(qs if limit is None else qs[: limit + 1])
    if limit is None or len(rows) <= limit:
        return len(rows), rows
    return qs.count(), rows[:limit]


def todo_secondments_ending(user: User, on: dt.date, limit: int | None) -> TodoGroup:
    """To-do: 挂职 terms ending within 30 days or past their end without a recorded return (two queries)."""
    count, rows = _page(secondments_ending(user=user, on=on), limit)
    items = []
    for r in rows:
        assert r.planned_end_on is not None
        overdue = r.planned_end_on < on
        left = (
            f"已超过 {(on - r.planned_end_on).days} 天"
            if overdue
            else ("今天期满" if r.planned_end_on == on else f"还有 {(r.planned_end_on - on).days} 天")
        )
        items.append(
            TodoItem(
                key=f"secondment-end:{r.pk}:{r.planned_end_on.isoformat()}",
                text=f"{r.cadre.name}在{r.to_unit.name}{r.get_kind_display()}至{cn_date(r.planned_end_on)}期满（{left}）",
                link=reverse("web:exchange-detail", args=[r.pk]),
                due_on=r.planned_end_on,
                overdue=overdue,
            )
        )
    return TodoGroup(kind=TODO_SECONDMENT_ENDING, title="挂职期满待办理返回", count=count, items=items)


def todo_plans_pending(user: User, on: dt.date, limit: int | None) -> TodoGroup:
    """To-do: rotation plans not yet carried out (draft or discussed), overdue once their date has passed."""
    count, rows = _page(plans_pending(user=user), limit)
    items = [
        TodoItem(
            key=f"rotation-plan:{p.pk}:{p.status}",
            text=f"交流轮岗方案「{p.title}」{p.get_status_display()}，拟于{cn_date(p.planned_on)}交流",
            link=reverse("web:exchange-plan-detail", args=[p.pk]),
            due_on=p.planned_on,
            overdue=p.planned_on < on,
        )
        for p in rows
    ]
    return TodoGroup(kind=TODO_PLAN_PENDING, title="待实施的交流轮岗方案", count=count, items=items)


def todo_groups(user: User, today: dt.date, limit: int | None = 5) -> list[TodoGroup]:
    """The exchanges' to-do groups for the dashboard (readers of allocation only; none otherwise)."""
    if not reads(user):
        return []
    return [todo_secondments_ending(user, today, limit), todo_plans_pending(user, today, limit)]


def search_q(text: str) -> Q:
    """A filter of records by the cadre's name (for the API's ``q``)."""
    return Q(cadre__name__icontains=text.strip()) if text.strip() else Q()
