"""Request and response schemas of the appointment procedure (选拔任用纪实) endpoints."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

from .schemas import (
    Date,
    Id,
    InputSchema,
    Name50,
    Name100,
    Name200,
    Number60,
    Text20,
    Text100,
    Text200,
    Text2000,
)

LongText = Text2000
Text20Rule = Text20


class RecordIn(InputSchema):
    """动议: the posts to fill and why (``services.selection_propose``)."""

    unit_id: Id
    title: Name200
    reason: LongText
    proposer: Name100
    proposed_on: Date
    post_ids: list[Id] = Field(min_length=1, max_length=50)
    announcement: bool = False
    public_notice: bool = True
    notice_exemption: Text200 = ""
    exceptional: bool = False
    exceptional_reason: Text200 = ""


class StepOut(Schema):
    """One completed step in the trail."""

    step: str
    label: str
    done_on: dt.date
    note: str


class RouteOut(Schema):
    """One step of the record's route: done, next, or still to come."""

    step: str
    label: str
    state: str
    done_on: dt.date | None


class CandidateOut(Schema):
    """A person considered: the post, the recommendation votes, the findings, and what became of them."""

    id: int
    cadre_id: int
    name: str
    post_id: int
    votes: int | None
    findings: list[dict[str, Any]]
    proposed: bool
    approved: bool | None
    appointed: bool


class RecordOut(Schema):
    """A selection record with its route, trail and candidates."""

    id: int
    title: str
    unit_id: int
    step: str
    step_label: str
    proposed_on: dt.date
    announcement: bool
    public_notice: bool
    probation: bool
    exceptional: bool
    post_ids: list[int]
    recommendation_ballot_id: int | None
    inspection_ballot_id: int | None
    committee_ballot_id: int | None
    document_number: str | None
    route: list[RouteOut]
    events: list[StepOut]
    candidates: list[CandidateOut]


class RecordSummaryOut(Schema):
    """A record in a list."""

    id: int
    title: str
    unit_id: int
    step: str
    step_label: str
    proposed_on: dt.date


class OnIn(InputSchema):
    """A step done on a day, with an optional note."""

    on: Date
    note: Text2000 = ""


class TalkSurveyIn(InputSchema):
    """谈话调研推荐."""

    held_on: Date
    participants: int = Field(ge=1, le=100000)
    scope: Text200
    summary: LongText


class BallotLinkIn(InputSchema):
    """A ballot of the voting app to attach."""

    ballot_id: Id


class ChoiceIn(InputSchema):
    """One inspection candidate: a cadre for a post of the record."""

    cadre_id: Id
    post_id: Id


class CandidatesIn(InputSchema):
    """确定考察对象."""

    choices: list[ChoiceIn] = Field(min_length=1, max_length=100)
    on: Date
    differential_reason: Text200 = ""


class OverrideIn(InputSchema):
    """An exception approved by the department's leadership (the caller).

    ``rule`` and ``cadre_id`` name one of the record's current findings, as listed by
    ``GET /selection/records/{id}/exceptions``; anything else is a 422 on ``rule``.
    """

    rule: Text20Rule
    reason: Text200
    approved_on: Date
    cadre_id: Id | None = None
    higher_approval_ref: Text100 = ""


class ExceptionOut(Schema):
    """A finding the system made on the record that the leadership may approve an exception to.

    ``rule`` (with ``cadre_id``) is what ``POST …/overrides`` takes; ``finding`` and ``citation`` are
    the system's words; ``words`` the line the page shows. ``overridable`` is false for what nothing
    may lift; ``needs_higher_approval`` asks for ``higher_approval_ref`` (破格).
    """

    rule: str
    cadre_id: int | None
    cadre_name: str | None
    finding: str
    citation: str
    words: str
    overridable: bool
    needs_higher_approval: bool


class NoticeIn(InputSchema):
    """A notice to publish: 考察预告 (with the team) or 任前公示."""

    title: Name200
    body: LongText
    start_date: Date
    end_date: Date
    contact: Text200 = ""
    team: list[Name50] = Field(default_factory=list, max_length=20)


class PublicNoticeIn(NoticeIn):
    """任前公示: the notice, and why it runs longer than the general maximum of the rule in force.

    ``length_reason`` is needed when a decision before the 2014 条例 (公示期一般为7—15天) has a
    notice longer than 15 days; it is kept on the notice and in the 纪实. ``team`` is not used.
    """

    length_reason: Text200 = ""


class InspectionIn(InputSchema):
    """Start the inspection."""

    team_leader: Name50
    team: list[Name50] = Field(max_length=20)
    started_on: Date
    audit_required: bool = False


class CheckIn(InputSchema):
    """One mandatory check of one candidate."""

    kind: Literal[
        "file_review",
        "personal_matters",
        "integrity_opinion",
        "petition_check",
        "economic_audit",
        "integrity_conclusion",
    ]
    done_on: Date
    result: Text2000


class InspectionDoneIn(InputSchema):
    """Finish the inspection."""

    finished_on: Date
    interviews: int = Field(ge=0, le=100000)
    materials: LongText


class OpinionRequestIn(InputSchema):
    """Ask one body for its opinion."""

    body: Literal["discipline", "office_610", "family_planning", "superior", "county_leader", "other"]
    body_name: Text100 = ""
    sent_on: Date
    addressee_id: Id | None = None


class OpinionAnswerIn(InputSchema):
    """The body's answer."""

    answer: Literal["no_objection", "problem"]
    text: Text2000 = ""
    answered_on: Date


class OpinionRequestOut(Schema):
    """An opinion request and its answer."""

    id: int
    record_id: int
    body: str
    body_name: str
    sent_on: dt.date
    addressee_id: int | None
    answer: str
    answer_text: str
    answered_on: dt.date | None


class DepartmentMeetingIn(InputSchema):
    """部务会: minutes and the proposed appointee per post."""

    held_on: Date
    minutes: LongText
    proposed_candidate_ids: list[Id] = Field(min_length=1, max_length=50)


class CommitteeVoteIn(InputSchema):
    """The standing committee vote to prepare."""

    title: Text200 = ""
    member_ids: list[Id] = Field(min_length=1, max_length=50)


class DecidedIn(InputSchema):
    """The day of the committee's decision."""

    decided_on: Date


class AnnouncementIn(InputSchema):
    """第一时间公告提醒."""

    announced_on: Date
    place: Text200
    announced_by: Name50
    reminders: list[Text20Rule] = Field(max_length=10)
    acknowledged_by: Text200


class AppointmentIn(InputSchema):
    """任职: the appointment document."""

    number: Number60
    title: Name200
    issued_on: Date
    issuing_body: Name100 = "中共示例县委"
    remove_current: bool = True


class FeedbackIn(InputSchema):
    """任后反响."""

    collected_on: Date
    sources: Text200
    report: LongText


class ProbationIn(InputSchema):
    """试用期满结论."""

    confirmed: bool
    conclusion: LongText
    concluded_on: Date
    evaluation_ballot_id: Id | None = None
    number: Text100 = ""
    title: Text200 = ""


class ProbationOut(Schema):
    """A probation and its conclusion."""

    id: int
    record_id: int
    cadre_id: int
    start_date: dt.date
    end_date: dt.date
    status: str
    conclusion: str
    concluded_on: dt.date | None


class WithdrawIn(InputSchema):
    """终止: the reason."""

    reason: Text200
    on: Date
