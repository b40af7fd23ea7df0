"""Request and response schemas of the assessment API (考核), in the conventions of ``schemas``:
strict inputs (unknown fields refused, texts bounded, dates 1900–2100), codes in outputs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from ninja import Field, Schema

from ganbu.assessment.models import RoundKind, RoundSubject, TeamGrade
from ganbu.registry.choices import AssessmentGrade
from ganbu.rules.assessment import BlockerKind

from .schemas import Date, Id, InputSchema, Ref, Text200, Text2000

if TYPE_CHECKING:
    RoundKindCode = str
    RoundSubjectCode = str
    GradeCode = str
    TeamGradeCode = str
    BlockerCode = str
else:
    RoundKindCode = Literal[tuple(RoundKind.values)]
    RoundSubjectCode = Literal[tuple(RoundSubject.values)]
    GradeCode = Literal[("", *AssessmentGrade.values)]
    TeamGradeCode = Literal[("", *TeamGrade.values)]
    BlockerCode = Literal[("", *(k.value for k in BlockerKind))]

Score = Field(None, ge=0, le=100)


# ---------------------------------------------------------------- inputs


class AssessmentRoundIn(InputSchema):
    """A new round of a unit's cadres or leadership team."""

    unit_id: Id = Field(description="单位 id")
    year: int = Field(ge=1950, le=2100, description="考核年度")
    held_on: Date = Field(description="考核日期")
    kind: RoundKindCode = Field(
        "annual", description="考核方式：annual 年度、regular 平时、special 专项、term 任期"
    )
    subject: RoundSubjectCode = Field(
        "cadres", description="考核对象：cadres 单位干部、team 领导班子和领导干部"
    )
    title: Text200 = Field("", description="名称，留空则按单位、年度和方式命名")
    note: Text2000 = ""


class AssessmentEntriesIn(InputSchema):
    """Cadres to add (ids), or ``fill``: everyone the round assesses."""

    cadre_ids: list[Id] = Field(default_factory=list, max_length=500, description="干部 id")
    fill: bool = Field(False, description="添加本单位全部在职干部（领导班子考核：现任领导班子成员）")


class AssessmentEntryIn(InputSchema):
    """An entry's parts 德能勤绩廉 (0–100), 实绩, grades, dismissal blocker and 评语 (replaces all)."""

    morality: int | None = Score
    ability: int | None = Score
    diligence: int | None = Score
    performance: int | None = Score
    integrity: int | None = Score
    achievement_text: Text2000 = ""
    achievement_score: Decimal | None = Field(None, ge=0, le=100, max_digits=5, decimal_places=1)
    proposed_grade: GradeCode = ""
    final_grade: GradeCode = ""
    blocker_kind: BlockerCode = Field("", description="公务员法第八十九条不得辞退的情形")
    blocker_start: Date | None = None
    blocker_until: Date | None = None
    blocker_basis: Text200 = ""
    note: Text2000 = ""


class AssessmentBallotIn(InputSchema):
    """The round's 民主测评: a new one in draft (no ``ballot_id``) or an existing one attached."""

    ballot_id: Id | None = Field(None, description="关联已有的民主测评；留空则新建")


class AssessmentCloseIn(InputSchema):
    """Fix the round's grades."""

    closed_on: Date = Field(description="确定等次日期")
    higher_ceiling_approved: bool = Field(False, description="经批准提高优秀比例")
    approval_note: Text200 = Field("", description="批准依据")
    team_grade: TeamGradeCode = Field("", description="领导班子等次（仅领导班子考核）")


class AssessmentHandleIn(InputSchema):
    """How a consequence was handled."""

    handled_on: Date
    note: Text200 = Field(description="办理情况")
    exit_record_id: Id | None = Field(None, description="办理该事项的退出记录（如降职）")


# ---------------------------------------------------------------- outputs


class AssessmentRoundOut(Schema):
    """A round as listed."""

    id: int
    title: str
    year: int
    kind: str
    subject: str
    unit: Ref
    held_on: dt.date
    status: str
    ballot_id: int | None
    team_grade: str
    higher_ceiling_approved: bool
    closed_on: dt.date | None


class AssessmentEntryOut(Schema):
    """One cadre of a round."""

    id: int
    cadre: Ref
    morality: int | None
    ability: int | None
    diligence: int | None
    performance: int | None
    integrity: int | None
    achievement_text: str
    achievement_score: Decimal | None
    proposed_grade: str
    final_grade: str
    blocker_kind: str
    blocker_start: dt.date | None
    blocker_until: dt.date | None
    blocker_basis: str
    constraint: str
    note: str


class AssessmentConsequenceOut(Schema):
    """What a closed round's grade leads to: the rule, its reasons and citation, how it was handled."""

    id: int
    round_id: int
    cadre: Ref
    kind: str
    kind_label: str
    rule: str
    message: str
    citation: str
    status: str
    handled_on: dt.date | None
    handled_note: str
    exit_record_id: int | None

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        """The consequence in Chinese."""
        return str(obj.get_kind_display())


class AssessmentRoundDetailOut(AssessmentRoundOut):
    """A round with its entries and consequences."""

    entries: list[AssessmentEntryOut]
    consequences: list[AssessmentConsequenceOut]

    @staticmethod
    def resolve_entries(obj: Any) -> Any:
        """The entries the endpoint loaded (one query)."""
        return obj.entries_list

    @staticmethod
    def resolve_consequences(obj: Any) -> Any:
        """The consequences the endpoint loaded (one query)."""
        return obj.consequences_list
