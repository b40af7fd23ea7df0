"""Request and response schemas of the talks API (谈话), in the conventions of ``schemas``:
strict inputs (unknown fields refused, texts bounded, dates 1900–2100), codes in outputs."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal

from ninja import Field, Schema

from ganbu.talks.choices import TalkerBody, TalkKind, TalkStatus

from .schemas import Date, Id, InputSchema, Name200, Ref, Text100, Text2000

if TYPE_CHECKING:
    TalkKindCode = str
    TalkerBodyCode = str
else:
    # A 诫勉 has its own operation (it computes the impact period): not a kind of the plain record.
    TalkKindCode = Literal[tuple(k.value for k in TalkKind if k != TalkKind.ADMONISHMENT)]
    TalkerBodyCode = Literal[tuple(TalkerBody.values)]


class TalkIn(InputSchema):
    """A talk held (or planned), or a 函询 sent."""

    cadre_id: Id
    kind: TalkKindCode = Field(description="类别：廉政谈话、提醒谈话、函询、纪委书记谈话（诫勉另用诫勉接口）")
    held_on: Date = Field(description="谈话日期；函询为函件发出日期")
    talkers: Name200 = Field(description="谈话人（姓名和职务）")
    talker_body: TalkerBodyCode = TalkerBody.DISCIPLINE.value
    issue: Text2000 = Field(description="谈话事由")
    follow_up: Text2000 = ""
    record_id: Id | None = Field(None, description="廉政谈话关联的选拔任用纪实 id")
    answer_due_on: Date | None = Field(None, description="函询的回复期限（函询必填）")
    planned: bool = Field(False, description="尚未进行，登记为待谈话")


class AdmonishIn(InputSchema):
    """A 诫勉: the period runs from ``decided_on`` for the county's months unless ``months`` is given."""

    cadre_id: Id
    decided_on: Date = Field(description="诫勉决定日期（影响期起算日）")
    talkers: Name200 = Field(description="诫勉谈话人")
    talker_body: TalkerBodyCode = TalkerBody.DISCIPLINE.value
    issue: Text2000 = Field(description="诫勉事由")
    months: int | None = Field(None, ge=1, le=60, description="诫勉决定写明的影响期月数；留空按本县规定")
    approving_body: Text100 = ""
    follow_up: Text2000 = ""


class TalkAnswerIn(InputSchema):
    """The written answer to a 函询."""

    answered_on: Date
    answer: Text2000 = Field(description="书面回复内容")
    follow_up: Text2000 = ""


class TalkHeldIn(InputSchema):
    """A planned talk that took place."""

    held_on: Date
    follow_up: Text2000 = ""


class TalkOut(Schema):
    """A talk with its kind, status and, by kind, the 纪实, the 函询's answer or the 诫勉's period.

    ``period_basis`` names the rule (DISC-08) and the county policy version applied.
    """

    id: int
    cadre: Ref
    unit: Ref
    kind: str
    kind_label: str
    status: str
    status_label: str
    held_on: dt.date
    talkers: str
    talker_body: str
    issue: str
    follow_up: str
    selection_record_id: int | None
    answer_due_on: dt.date | None
    answer: str
    answered_on: dt.date | None
    period_start: dt.date | None
    period_months: int | None
    period_end: dt.date | None
    period_basis: str
    sanction_id: int | None

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        """The kind in Chinese."""
        return str(TalkKind(obj.kind).label)

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        """The status in Chinese."""
        return str(TalkStatus(obj.status).label)


class IntegrityTalkDueOut(Schema):
    """An approved appointee of a decided 纪实 with no 廉政谈话 recorded for it yet."""

    record: Ref
    cadre: Ref
    post: str
    step: str

    @staticmethod
    def resolve_record(obj: Any) -> dict[str, Any]:
        """The 纪实 by id and title."""
        return {"id": obj.record_id, "name": obj.record.title}

    @staticmethod
    def resolve_post(obj: Any) -> str:
        """The post the appointee was approved for."""
        return str(obj.post)

    @staticmethod
    def resolve_step(obj: Any) -> str:
        """The 纪实's current step (a code of ``rules.selection_flow.Step``)."""
        return str(obj.record.step)
