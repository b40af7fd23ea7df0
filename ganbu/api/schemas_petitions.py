"""Request and response schemas of the petitions API (信访举报), in the conventions of ``schemas``:
strict inputs (unknown fields refused, texts bounded, dates 1900–2100), codes in outputs.

Class names start with ``Petition`` so no other API schema class has the same name.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import AfterValidator, StringConstraints

from ganbu.petitions.choices import Channel, Conclusion, IntakeBody

from .schemas import Date, Id, InputSchema, Ref, Text50, Text100, Text200, Text2000, _no_nul

if TYPE_CHECKING:
    ChannelCode = str
    StaffChannelCode = str
    BodyCode = str
    ConclusionCode = str
else:
    ChannelCode = Literal[tuple(Channel.values)]
    StaffChannelCode = Literal[tuple(c for c in Channel.values if c != Channel.ONLINE)]
    BodyCode = Literal[tuple(IntakeBody.values)]
    ConclusionCode = Literal[tuple(Conclusion.values)]

PetitionText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000), AfterValidator(_no_nul)
]


# ---------------------------------------------------------------- inputs


class PetitionPublicIn(InputSchema):
    """What a member of the public sends; ``anonymous`` drops the name and contact before saving."""

    intake_body: BodyCode = Field(IntakeBody.ORGANIZATION.value, description="受理机关：组织部或纪委监委")
    about: Text200 = Field(description="反映对象（姓名、单位、职务）")
    content: PetitionText = Field(description="反映内容（10 至 5000 字）")
    anonymous: bool = False
    name: Text50 = ""
    contact: Text100 = ""


class PetitionIntakeIn(InputSchema):
    """A letter, call or visit recorded by staff (the case belongs to the recorder's body)."""

    channel: StaffChannelCode = Field(description="来源方式：来信、来电、来访")
    received_on: Date = Field(description="受理日期（不晚于今天）")
    about: Text200 = Field(description="反映对象")
    content: PetitionText = Field(description="反映内容")
    anonymous: bool = False
    name: Text50 = ""
    contact: Text100 = ""


class PetitionAssignIn(InputSchema):
    """The staff member to handle the case."""

    assignee_id: Id = Field(description="承办人（用户 id）：县纪委监委或组织部干部科的工作人员")


class PetitionCadresIn(InputSchema):
    """The registry cadres the case concerns (replaces the list)."""

    cadre_ids: list[Id] = Field(max_length=50, description="涉及干部 id")


class PetitionVerifyIn(InputSchema):
    """What the verification found (internal)."""

    notes: PetitionText = Field(description="核查情况")


class PetitionConcludeIn(InputSchema):
    """The conclusion; a 谈话提醒 or 诫勉 also needs the cadre, the day and the talkers."""

    conclusion: ConclusionCode = Field(description="办理结果")
    reply: PetitionText = Field(description="办理结论（答复反映人，凭查询码可见）")
    referred_to: Text100 = Field("", description="移送单位（移送处理时必填）")
    cadre_id: Id | None = Field(None, description="谈话对象（本件涉及的干部之一）")
    held_on: Date | None = Field(None, description="谈话或诫勉日期")
    talkers: Text200 = Field("", description="谈话人")
    issue: Text2000 = Field("", description="谈话事由（留空用办理结论）")
    months: int | None = Field(None, ge=1, le=60, description="诫勉影响期月数（留空按本县规定）")


# ---------------------------------------------------------------- outputs


class PetitionReceiptOut(Schema):
    """The tracking code, returned once: the system cannot show it again."""

    tracking_code: str
    status: str
    status_label: str
    due_on: dt.date


class PetitionTrackOut(Schema):
    """Where a petition stands, for whoever holds its code (no content, no sender, no cadres)."""

    channel: str
    channel_label: str
    intake_body: str
    intake_body_label: str
    received_on: dt.date
    due_on: dt.date
    status: str
    status_label: str
    conclusion: str
    conclusion_label: str
    referred_to: str
    reply: str
    concluded_on: dt.date | None

    @staticmethod
    def resolve_channel_label(obj: Any) -> str:
        return str(obj.get_channel_display())

    @staticmethod
    def resolve_intake_body_label(obj: Any) -> str:
        return str(obj.get_intake_body_display())

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_conclusion_label(obj: Any) -> str:
        return str(obj.get_conclusion_display()) if obj.conclusion else ""


class PetitionOut(PetitionTrackOut):
    """A petition as its staff see it in a list."""

    id: int
    tracking_code: str
    about: str
    anonymous: bool
    assignee: Ref | None
    talk_id: int | None

    @staticmethod
    def resolve_assignee(obj: Any) -> dict[str, Any] | None:
        user = obj.assignee
        return None if user is None else {"id": user.pk, "name": str(user)}


class PetitionDetailOut(PetitionOut):
    """One petition with what was sent, by whom (unless anonymous), its cadres and verification."""

    content: str
    name: str
    contact: str
    cadres: list[Ref]
    verification_notes: str

    @staticmethod
    def resolve_cadres(obj: Any) -> list[dict[str, Any]]:
        return [{"id": c.pk, "name": c.name} for c in obj.cadres.all()]
