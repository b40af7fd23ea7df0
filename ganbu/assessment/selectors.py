"""Reads of the assessment: rounds, entries and consequences, always scoped to the user.

Org officers and leaders see the county, unit officers their unit subtree (``unit_scope_q``); a
role without ``Cap.ASSESSMENT_VIEW`` sees nothing. The to-do groups (rounds open, consequences to
act on) are built here for ``ganbu.todo`` to show.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet, Window
from django.http import Http404

from ganbu.accounts.models import User
from ganbu.core.access import Cap, has_cap, unit_scope_q
from ganbu.exits.models import IncompetenceCase
from ganbu.exits.selectors import may_see_cases
from ganbu.todo.items import TodoGroup, TodoItem
from ganbu.voting.models import BallotResult
from ganbu.voting.selectors import RESULT_STATUSES

from .models import AssessmentRound, Consequence, ConsequenceKind, ConsequenceStatus, RoundEntry, RoundStatus

MSG_ROUND_NOT_FOUND = "考核不存在或不在您的管理范围内。"
MSG_CONSEQUENCE_NOT_FOUND = "该事项不存在或不在您的管理范围内。"
TODO_ROUNDS_OPEN = "assessment_rounds_open"
TODO_CONSEQUENCES_OPEN = "assessment_consequences_open"


def may_view(user: User) -> bool:
    """Whether the user sees assessments at all."""
    return has_cap(user, Cap.ASSESSMENT_VIEW)


def round_list(
    *, user: User, year: int | None = None, status: str = "", kind: str = ""
) -> QuerySet[AssessmentRound]:
    """Rounds of units in scope, newest first, with their entry counts (one query per page)."""
    if not may_view(user):
        return AssessmentRound.objects.none()
    qs = AssessmentRound.objects.filter(unit_scope_q(user, "unit__"))
    if year is not None:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return (
        qs.select_related("unit", "ballot")
        .annotate(entry_count=Count("entries", distinct=True))
        .order_by("-year", "-held_on", "-id")
    )


def round_get_for_user(*, user: User, round_id: int) -> AssessmentRound:
    """One round the user may see, or 404."""
    found = round_list(user=user).filter(pk=round_id).first()
    if found is None:
        raise Http404(MSG_ROUND_NOT_FOUND)
    return found


def round_entries(*, assessment_round: AssessmentRound) -> list[RoundEntry]:
    """The round's entries with their cadres (one query)."""
    return list(assessment_round.entries.select_related("cadre__unit").order_by("id"))


def entry_get(*, user: User, assessment_round: AssessmentRound, entry_id: int) -> RoundEntry:
    """One entry of a round the user sees, or 404."""
    entry = assessment_round.entries.select_related("cadre").filter(pk=entry_id).first()
    if entry is None:
        raise Http404(MSG_ROUND_NOT_FOUND)
    return entry


def round_consequences(*, assessment_round: AssessmentRound) -> list[Consequence]:
    """The consequences a closed round listed (one query)."""
    return list(
        assessment_round.consequences.select_related("cadre", "exit_record").order_by("cadre_id", "id")
    )


def consequence_list(*, user: User, open_only: bool = False) -> QuerySet[Consequence]:
    """Consequences of rounds in scope, open ones first, then the newest."""
    if not may_view(user):
        return Consequence.objects.none()
    qs = Consequence.objects.filter(unit_scope_q(user, "round__unit__"))
    if open_only:
        qs = qs.filter(status=ConsequenceStatus.OPEN)
    return qs.select_related("cadre__unit", "round", "exit_record").order_by(
        "status", "-round__held_on", "id"
    )


def consequence_get_for_user(*, user: User, consequence_id: int) -> Consequence:
    """One consequence the user may see, or 404."""
    found = consequence_list(user=user).filter(pk=consequence_id).first()
    if found is None:
        raise Http404(MSG_CONSEQUENCE_NOT_FOUND)
    return found


def round_evaluation(*, user: User, assessment_round: AssessmentRound) -> dict[str, Any]:
    """The round's 民主测评 as the round page shows it: its counted results (for those who read
    results, ``Cap.BALLOT_RESULTS``) and the incompetence cases of ``exits`` started from them (EVAL-10).

    Two queries when there is a counted ballot and the user reads results, none otherwise.
    """
    ballot = assessment_round.ballot
    if ballot is None:
        return {"ballot": None, "results": [], "can_read": False}
    can_read = has_cap(user, Cap.BALLOT_RESULTS) and ballot.status in RESULT_STATUSES
    if not can_read:
        return {"ballot": ballot, "results": [], "can_read": False}
    results = list(
        BallotResult.objects.filter(ballot=ballot, item__cadre__isnull=False)
        .select_related("item__cadre")
        .order_by("item__sort_order", "id")
    )
    cases: dict[int, IncompetenceCase] = {}
    if may_see_cases(user):
        found = IncompetenceCase.objects.filter(evaluation__ballot=ballot)
        cases = {c.evaluation_id: c for c in found if c.evaluation_id}
    # Each result with the case started from it (EVAL-10), if any.
    return {"ballot": ballot, "results": [(r, cases.get(r.pk)) for r in results], "can_read": True}


def _page(qs: QuerySet[Any], limit: int | None) -> tuple[int, list[Any]]:
    """The total and the first ``limit`` rows in one query (the total rides on the rows)."""
    if limit is None:
        rows = list(qs)
        return len(rows), rows
    rows = list(qs.annotate(todo_total=Window(Count("pk")))[:limit])
    return (getattr(rows[0], "todo_total", 0) if rows else 0), rows


def todo_rounds_open(user: User, on: dt.date, limit: int | None) -> TodoGroup:
    """Open rounds in scope that are due: held on or before ``on``, or of a year already over. One query.

    For those who run assessments (``Cap.ASSESSMENT_MANAGE``); empty for others.
    """
    if not has_cap(user, Cap.ASSESSMENT_MANAGE):
        return TodoGroup(kind=TODO_ROUNDS_OPEN, title="考核待完成", count=0, items=[])
    qs = (
        round_list(user=user, status=RoundStatus.OPEN)
        .filter(Q(held_on__lte=on) | Q(year__lt=on.year))
        .order_by("held_on", "id")
    )
    count, rows = _page(qs, limit)
    items = [
        TodoItem(
            key=f"assessment-round:{r.pk}",
            text=f"{r.title}（{r.held_on.year}年{r.held_on.month}月{r.held_on.day}日考核）尚未确定等次",
            link=f"/assessment/{r.pk}/",
            due_on=r.held_on,
            overdue=r.held_on < on,
        )
        for r in rows
    ]
    return TodoGroup(kind=TODO_ROUNDS_OPEN, title="考核待完成", count=count, items=items)


def todo_consequences_open(user: User, on: dt.date, limit: int | None) -> TodoGroup:
    """Open consequences in scope (不称职 → 降职 or 辞退, 级别 steps), oldest round first. One query."""
    if not has_cap(user, Cap.ASSESSMENT_MANAGE):
        return TodoGroup(kind=TODO_CONSEQUENCES_OPEN, title="考核结果待运用", count=0, items=[])
    qs = consequence_list(user=user, open_only=True).order_by("round__closed_on", "id")
    count, rows = _page(qs, limit)
    items = [
        TodoItem(
            key=f"assessment-consequence:{c.pk}",
            text=f"{c.cadre.name}（{c.cadre.unit.name}）{c.round.year}年度考核结果运用：{ConsequenceKind(c.kind).label}",
            link=f"/assessment/consequences/{c.pk}/",
            due_on=c.round.closed_on,
        )
        for c in rows
    ]
    return TodoGroup(kind=TODO_CONSEQUENCES_OPEN, title="考核结果待运用", count=count, items=items)
