"""What each kind of document is made from (its *source*), and how a user's request finds that object.

A selection record's documents come from the record; the supervision documents from a joint meeting,
a talk or an audit engagement. Each source reads its object through the scope of the app that owns it,
so a user who may not see the object gets ``None`` (the selectors turn it into a 404, exactly like a
missing object). ``back`` is the page the "not ready yet" message links back to.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model

from ganbu.accounts.models import User
from ganbu.core.access import Cap, has_cap
from ganbu.economic_audits.selectors import engagements_for
from ganbu.joint_meetings import selectors as meeting_selectors
from ganbu.joint_meetings.models import JointMeeting
from ganbu.selection.selectors import records_for
from ganbu.talks.selectors import talk_list

SOURCE_RECORD = "selection_record"
SOURCE_JOINT_MEETING = "joint_meeting"
SOURCE_TALK = "talk"
SOURCE_AUDIT = "audit_engagement"


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


SOURCES: dict[str, Source] = {
    s.key: s
    for s in (
        Source(SOURCE_RECORD, "选拔任用纪实", _record, lambda obj: f"/selection/{obj.pk}/"),
        Source(SOURCE_JOINT_MEETING, "联席会议", _joint_meeting, lambda obj: f"/joint-meetings/{obj.pk}/"),
        Source(SOURCE_TALK, "谈话", _talk, lambda obj: f"/talks/{obj.pk}/"),
        Source(SOURCE_AUDIT, "经济责任审计", _audit, lambda obj: f"/economic-audits/{obj.pk}/"),
    )
}
