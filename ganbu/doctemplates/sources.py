"""What each kind of document is made from (its *source*), and how a user's request finds that object.

A selection record's documents come from the record; the supervision documents from a joint meeting,
a talk or an audit engagement. The exchange decision comes from a rotation plan, the training roster
and certificates from a training class; their fetch also keeps the rows of the object the user may see
(the plan's moves, the class's trainees), read through the same selectors as their pages.
Each source reads its object through the scope of the app that owns it, so a user
who may not see the object gets ``None`` (the selectors turn it into a 404, exactly like a missing
object). ``back`` is the page the "not ready yet" message links back to.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.http import Http404

from ganbu.accounts.models import User
from ganbu.core.access import Cap, has_cap
from ganbu.economic_audits.selectors import engagements_for
from ganbu.exchanges import selectors as exchange_selectors
from ganbu.joint_meetings import selectors as meeting_selectors
from ganbu.joint_meetings.models import JointMeeting
from ganbu.selection.selectors import records_for
from ganbu.talks.selectors import talk_list
from ganbu.training import selectors as training_selectors

from .context_allocation import VISIBLE_MOVES, VISIBLE_ROSTER

SOURCE_RECORD = "selection_record"
SOURCE_JOINT_MEETING = "joint_meeting"
SOURCE_TALK = "talk"
SOURCE_AUDIT = "audit_engagement"
SOURCE_ROTATION_PLAN = "rotation_plan"
SOURCE_TRAINING_CLASS = "training_class"


@dataclass(frozen=True)
class Source:
    """A kind of object documents are made from: its Chinese name, the scoped fetch and its page."""

    key: str
    label: str
    fetch: Callable[[User, int], Model | None]
    back: Callable[[Any], str]


def _record(user: User, pk: int) -> Model | None:
    """A selection record in the user's scope, with what every document of it reads."""
    if not has_cap(user, Cap.SELECTION_VIEW):
        return None
    return records_for(user).select_related("unit", "document").filter(pk=pk).first()


def _joint_meeting(user: User, pk: int) -> Model | None:
    """A joint meeting, for users who see every finding of it (the minutes name them all)."""
    if not meeting_selectors.may_see_all(user):
        return None
    return JointMeeting.objects.filter(pk=pk).first()


def _talk(user: User, pk: int) -> Model | None:
    """A talk of a cadre in the user's scope, for those who see talks (``ganbu.talks.selectors``)."""
    return talk_list(user=user).filter(pk=pk).first()


def _audit(user: User, pk: int) -> Model | None:
    """An economic-responsibility audit of a unit in the user's scope (``ganbu.economic_audits``)."""
    return engagements_for(user).select_related("cadre", "unit", "post").filter(pk=pk).first()


def _rotation_plan(user: User, pk: int) -> Model | None:
    """A rotation plan the user may see (``ganbu.exchanges.selectors``), keeping the moves they may see."""
    if not exchange_selectors.reads(user):
        return None
    try:
        plan = exchange_selectors.plan_get(user=user, plan_id=pk)
    except Http404:
        return None
    setattr(plan, VISIBLE_MOVES, exchange_selectors.plan_moves(user=user, plan=plan))
    return plan


def _training_class(user: User, pk: int) -> Model | None:
    """A training class (county-wide, ``ganbu.training.selectors``), keeping the trainees the user sees."""
    if not training_selectors.sees_training(user):
        return None
    try:
        klass = training_selectors.class_get(user=user, class_id=pk)
    except Http404:
        return None
    setattr(klass, VISIBLE_ROSTER, list(training_selectors.class_roster(user=user, training_class=klass)))
    return klass


SOURCES: dict[str, Source] = {
    s.key: s
    for s in (
        Source(SOURCE_RECORD, "选拔任用纪实", _record, lambda obj: f"/selection/{obj.pk}/"),
        Source(SOURCE_JOINT_MEETING, "联席会议", _joint_meeting, lambda obj: f"/joint-meetings/{obj.pk}/"),
        Source(SOURCE_TALK, "谈话", _talk, lambda obj: f"/talks/{obj.pk}/"),
        Source(SOURCE_AUDIT, "经济责任审计", _audit, lambda obj: f"/economic-audits/{obj.pk}/"),
        Source(
            SOURCE_ROTATION_PLAN, "交流轮岗方案", _rotation_plan, lambda obj: f"/exchanges/plans/{obj.pk}/"
        ),
        Source(
            SOURCE_TRAINING_CLASS, "培训班次", _training_class, lambda obj: f"/training/classes/{obj.pk}/"
        ),
    )
}
