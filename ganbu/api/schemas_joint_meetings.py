"""Schemas of the 联席会议 operations (``endpoints/joint_meetings.py``)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal

from ninja import Field, Schema

from ganbu.joint_meetings.choices import Body, MeetingStatus

from .schemas import Date, Id, InputSchema, Name50, Name100, Name200, Ref, Text100, Text200, Text2000

if TYPE_CHECKING:
    BodyCode = str
else:
    BodyCode = Literal[tuple(Body.values)]


class JointMeetingIn(InputSchema):
    """A meeting to plan; the title and period default to the half-year's."""

    held_on: Date = Field(description="会议日期（计划）")
    title: Text200 = Field("", description="会议名称；留空为“某年上半年干部监督工作联席会议”")
    period_start: Date | None = Field(None, description="通报期间起；留空为上一个半年")
    period_end: Date | None = Field(None, description="通报期间止")
    venue: Text200 = ""
    chair: Text100 = ""


class JointMeetingMemberIn(InputSchema):
    """An attendee."""

    body: BodyCode = Field(description="成员单位")
    name: Name50
    post: Name100


class JointMeetingAgendaIn(InputSchema):
    """An agenda item: an open case (``source`` and ``source_id``) or a topic (``title``)."""

    source: Literal["free", "petition", "talk", "audit"] = "free"
    source_id: Id | None = Field(None, description="案件 id（source 不是 free 时）")
    title: Text200 = Field("", description="议题（source 为 free 时）")
    detail: Text2000 = ""
    cadre_id: Id | None = None


class JointMeetingFindingIn(InputSchema):
    """A finding on a cadre and the measure agreed."""

    cadre_id: Id
    text: Text2000 = Field(description="有关情况")
    measure: Name200 = Field(description="处理意见")


class JointMeetingHeldIn(InputSchema):
    """The day the meeting met."""

    held_on: Date


class JointMeetingMinutesIn(InputSchema):
    """The minutes' text and the day it is settled."""

    minutes: Text2000
    minutes_on: Date


class JointMeetingFollowUpIn(InputSchema):
    """A follow-up item: a user (``owner_id``), a body (``owner_body``) or both, and its due date."""

    task: Name200
    owner_id: Id | None = None
    owner_body: Text100 = ""
    due_on: Date


class JointMeetingFollowUpDoneIn(InputSchema):
    """A follow-up reported done."""

    done_on: Date
    result: Name200


class JointMeetingOut(Schema):
    """A meeting (list row)."""

    id: int
    title: str
    held_on: dt.date
    period_start: dt.date
    period_end: dt.date
    venue: str
    chair: str
    status: str
    status_label: str

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        """The status in Chinese (from a meeting row, or from the detail's dict)."""
        status = obj["status"] if isinstance(obj, dict) else obj.status
        return str(MeetingStatus(status).label)


class JointMeetingMemberOut(Schema):
    """An attendee."""

    id: int
    body: str
    name: str
    post: str


class JointMeetingAgendaOut(Schema):
    """An agenda item."""

    id: int
    source: str
    source_id: int | None
    title: str
    detail: str
    cadre: Ref | None


class JointMeetingFindingOut(Schema):
    """A finding on a cadre in the caller's scope."""

    id: int
    cadre: Ref
    text: str
    measure: str


class JointMeetingFollowUpOut(Schema):
    """A follow-up item."""

    id: int
    task: str
    owner_id: int | None
    owner: str
    due_on: dt.date
    status: str
    done_on: dt.date | None
    result: str

    @staticmethod
    def resolve_owner(obj: Any) -> str:
        """Who answers for it."""
        return str(obj.owner_text)


class JointMeetingDetailOut(JointMeetingOut):
    """A meeting with what it records (findings limited to the caller's scope)."""

    minutes: str
    minutes_on: dt.date | None
    members: list[JointMeetingMemberOut]
    agenda: list[JointMeetingAgendaOut]
    findings: list[JointMeetingFindingOut]
    follow_ups: list[JointMeetingFollowUpOut]
    minutes_url: str | None = Field(description="会议纪要下载地址（能下载时）")
