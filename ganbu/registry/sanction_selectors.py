"""Reading sanctions (处分, 诫勉, 组织处理): the county register, one row's state, and the to-do groups.

Sanctions are discipline files: only roles with ``Cap.SENSITIVE_SUPERVISION`` (the department's
officers and leaders, the supervising bodies) read them here, within the cadres they may see;
unit officers get nothing. Status (在影响期内 / 即将届满 / 已期满) is computed from dates in the
query (DISC-04), never stored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet, Window
from django.db.models.aggregates import Count
from django.http import Http404

from ganbu.accounts.models import User
from ganbu.core.access import Cap, cadres_for, has_cap, units_for
from ganbu.policy.selectors import work_calendar
from ganbu.rules.workdays import WorkCalendar, cn_date
from ganbu.todo.items import TodoGroup, TodoItem

from .choices import RewardSanctionKind, SanctionType
from .models import RewardSanction
from .sanction_status import ENDING_SOON_DAYS, SanctionState, sanction_state

MSG_NOT_FOUND = "处分记录不存在或不在您的查看范围内。"
LINK_CADRE_SANCTIONS = "/cadres/{id}/#tab-rewards"
LINK_SANCTION = "/sanctions/{id}/"
TITLE_ENDING = "处分、诫勉影响期即将届满"
TITLE_DEADLINES = "处分复核、申诉期限"
KIND_ENDING = "sanction_ending"
KIND_DEADLINES = "sanction_deadline"
#: How far back a recorded date may lie and still start a running DISC-16 deadline (the longest,
#: 60 + 30 days for an appeal decision, plus rest days moved over).
_DEADLINE_LOOKBACK_DAYS = 120

#: The register's status filters.
STATUS_CHOICES = (
    ("in_force", "在影响期内"),
    ("ending", f"{ENDING_SOON_DAYS}天内届满"),
    ("expired", "已期满"),
    ("combined", "已合并计算"),
)


@dataclass(frozen=True)
class SanctionFilter:
    """The register's filters; every field optional."""

    status: str = ""
    unit_id: int | None = None
    sanction_type: str = ""
    q: str = ""


def sees_sanctions(user: User) -> bool:
    """Whether the user reads discipline files (处分, 诫勉): ``Cap.SENSITIVE_SUPERVISION``."""
    return has_cap(user, Cap.SENSITIVE_SUPERVISION)


def sanctions_for(user: User) -> QuerySet[RewardSanction]:
    """The sanctions the user may read: the role's capability, the cadres in scope, with the
    flag ``is_combined`` (a newer sanction combined this one's period) and the rows the state reads."""
    newer = RewardSanction.objects.filter(combined_with=OuterRef("pk"))
    # Annotated even when empty, so the register's filters apply to it unchanged.
    qs = RewardSanction.objects.annotate(is_combined=Exists(newer))
    if not getattr(user, "is_authenticated", False) or not sees_sanctions(user):
        return qs.none()
    return qs.filter(kind=RewardSanctionKind.SANCTION, cadre__in=cadres_for(user)).select_related(
        "cadre__unit", "combined_with"
    )


def _status_q(status: str, on: dt.date) -> Q:
    """The register's status filter in SQL: the same dates as :func:`sanction_state` reads."""
    combined = Q(is_combined=True)
    started = Q(decided_on__lte=on)
    if status == "in_force":
        running = Q(effective_until__gte=on) | Q(effective_until__isnull=True) | Q(new_violation_pending=True)
        return ~combined & started & running
    if status == "ending":
        return ~combined & Q(
            effective_until__gte=on, effective_until__lt=on + dt.timedelta(days=ENDING_SOON_DAYS)
        )
    if status == "expired":
        return ~combined & Q(effective_until__lt=on, new_violation_pending=False)
    if status == "combined":
        return combined
    return Q()


def sanction_register(
    *, user: User, on: dt.date, filters: SanctionFilter | None = None
) -> QuerySet[RewardSanction]:
    """The county register of sanctions and 诫勉, filtered; paginate in the database.

    Ordered by the end of the period for "ending soon" (soonest first), else newest decision first.
    """
    f = filters or SanctionFilter()
    qs = sanctions_for(user)
    if f.status:
        qs = qs.filter(_status_q(f.status, on))
    if f.unit_id:
        unit = units_for(user).filter(pk=f.unit_id).first()
        qs = qs.filter(cadre__unit__path__startswith=unit.path) if unit else qs.none()
    if f.sanction_type in SanctionType.values:
        qs = qs.filter(sanction_type=f.sanction_type)
    term = "".join(f.q.split())
    if term:
        qs = qs.filter(cadre__name__contains=term)
    if f.status == "ending":
        return qs.order_by("effective_until", "id")
    return qs.order_by("-decided_on", "-id")


def sanction_get(*, user: User, sanction_id: int) -> RewardSanction:
    """One sanction the user may read, or 404 (missing and forbidden look the same)."""
    row = sanctions_for(user).filter(pk=sanction_id).first()
    if row is None:
        raise Http404(MSG_NOT_FOUND)
    return row


def state_of(row: RewardSanction, on: dt.date, calendar: WorkCalendar | None = None) -> SanctionState:
    """The state of a row read through :func:`sanctions_for` (or one with ``combined_with`` loaded)."""
    combined = getattr(row, "is_combined", None)
    if combined is None:
        combined = RewardSanction.objects.filter(combined_with=row).exists()
    older = row.combined_with.sanction_type if row.combined_with_id and row.combined_with else None
    return sanction_state(row, on, combined=bool(combined), older_kind=older, calendar=calendar)


def states_of(rows: list[RewardSanction], on: dt.date) -> list[tuple[RewardSanction, SanctionState]]:
    """Each row with its state; one query for the work calendar (none when no row has a deadline)."""
    needs_calendar = any(r.known_on or r.review_received_on or r.appeal_accepted_on for r in rows)
    calendar = work_calendar() if needs_calendar else None
    return [(r, state_of(r, on, calendar)) for r in rows]


def _page(qs: QuerySet[RewardSanction], limit: int | None) -> tuple[int, list[RewardSanction]]:
    """The total and the first ``limit`` rows in one query (the total rides on the rows)."""
    if limit is None:
        rows = list(qs)
        return len(rows), rows
    rows = list(qs.annotate(todo_total=Window(Count("pk")))[:limit])
    return (getattr(rows[0], "todo_total", 0) if rows else 0), rows


def sanctions_ending(user: User, on: dt.date, limit: int | None) -> TodoGroup:
    """Sanctions and 诫勉 in scope whose period ends today or within 30 days, soonest first. One query.

    For the roles that read discipline files; a row combined into a newer one or kept in force by
    a new violation is left out (its end is not the one that matters).
    """
    qs = sanction_register(user=user, on=on, filters=SanctionFilter(status="ending")).filter(
        new_violation_pending=False
    )
    count, rows = _page(qs, limit)
    items = []
    for row in rows:
        assert row.effective_until is not None
        left = (row.effective_until - on).days
        when = "今天届满" if left == 0 else f"还有 {left} 天"
        items.append(
            TodoItem(
                key=f"sanction-end:{row.pk}:{row.effective_until.isoformat()}",
                text=f"{row.cadre.name}（{row.cadre.unit.name}）{row.name}影响期至{cn_date(row.effective_until)}（{when}）",
                link=LINK_SANCTION.format(id=row.pk),
                due_on=row.effective_until,
            )
        )
    return TodoGroup(kind=KIND_ENDING, title=TITLE_ENDING, count=count, items=items)


def sanction_deadlines_running(user: User, on: dt.date, limit: int | None) -> TodoGroup:
    """DISC-16 deadlines (复核, 申诉 and the decisions on them) still running on ``on``, soonest first.

    Two queries (the rows whose dates lie within the longest deadline, then the work calendar);
    the deadlines themselves are computed by the rules, so the count is exact.
    """
    since = on - dt.timedelta(days=_DEADLINE_LOOKBACK_DAYS)
    recent = (
        Q(known_on__gte=since)
        | Q(review_received_on__gte=since)
        | Q(review_decision_received_on__gte=since)
        | Q(appeal_accepted_on__gte=since)
    )
    rows = list(sanctions_for(user).filter(recent).order_by("id"))
    found = []
    note = ""
    for row, state in states_of(rows, on):
        note = note or state.note
        for deadline in state.running_deadlines:
            found.append((deadline.last, row, deadline))
    found.sort(key=lambda item: (item[0], item[1].pk))
    shown = found if limit is None else found[:limit]
    items = [
        TodoItem(
            key=f"sanction-deadline:{row.pk}:{deadline.what}:{deadline.last.isoformat()}",
            text=f"{row.cadre.name}{row.name}：{deadline.what}期限至{cn_date(deadline.last)}",
            link=LINK_SANCTION.format(id=row.pk),
            due_on=deadline.last,
        )
        for _, row, deadline in shown
    ]
    return TodoGroup(kind=KIND_DEADLINES, title=TITLE_DEADLINES, count=len(found), items=items, note=note)
