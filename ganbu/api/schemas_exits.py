"""Request and response schemas of the exits API (能上能下), in the conventions of ``schemas``:
strict inputs (unknown fields refused, texts bounded, dates 1900–2100), codes in outputs."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal

from ninja import Field, Schema

from ganbu.exits.services import DEFAULT_ISSUING_BODY
from ganbu.rules.exits import CASE_OUTCOMES, CaseStep, EarlyRetirementGround, ExitKind, ProceedingKind

from .schemas import (
    Date,
    DocumentItemOut,
    Id,
    InputSchema,
    Name100,
    Number60,
    OptionalRank,
    Ref,
    Text100,
    Text200,
    Text2000,
)

if TYPE_CHECKING:
    ExitKindCode = str
    ProceedingKindCode = str
    OutcomeCode = str
    GroundCode = str
    RankCode = str
else:
    from ganbu.registry.choices import Rank

    ExitKindCode = Literal[tuple(k.value for k in ExitKind)]
    ProceedingKindCode = Literal[tuple(k.value for k in ProceedingKind)]
    OutcomeCode = Literal[tuple(k.value for k in ExitKind if k in CASE_OUTCOMES)]
    GroundCode = Literal[("", *(g.value for g in EarlyRetirementGround))]
    RankCode = Literal[tuple(Rank.values)]


# ---------------------------------------------------------------- inputs


class DecisionIn(InputSchema):
    """What every exit records: the decision, its dates and the document to issue."""

    document_number: Number60 = Field(description="任免文件文号")
    document_title: Text200 = Field("", description="文件标题，留空则自动生成")
    issuing_body: Text100 = DEFAULT_ISSUING_BODY
    decided_on: Date = Field(description="决定日期（即发文日期）")
    effective_on: Date = Field(description="生效日期：现任职务自该日免去")
    reason: Text2000 = Field(description="事由")
    basis: Text2000 = Field("", description="决定依据（如常委会决定）；系统另写明所核对的规定")


class ExitIn(DecisionIn):
    """离岗退养 or 免职 of one cadre."""

    cadre_id: Id


class ReassignIn(ExitIn):
    """改任非领导职务: the new (non-leadership) post, and optionally a rank."""

    new_post_id: Id
    new_rank: OptionalRank = ""


class DemotionIn(ExitIn):
    """降职: the lower rank, and optionally the post taken up."""

    new_rank: RankCode
    new_post_id: Id | None = None


class ResignationIn(ExitIn):
    """辞职: ``entire`` = 辞去公职, otherwise 辞去领导职务."""

    entire: bool


class RetirementIn(ExitIn):
    """退休; ``early_ground`` when before the statutory date (公务员法 第九十二、九十三条)."""

    early_ground: GroundCode = ""


class ProceedingIn(InputSchema):
    """A new audit, discipline review, supervisory investigation or judicial procedure."""

    cadre_id: Id
    kind: ProceedingKindCode
    body: Name100 = Field(description="实施机关")
    started_on: Date
    note: Text2000 = ""


class ProceedingCloseIn(InputSchema):
    """The end of a proceeding."""

    ended_on: Date
    note: Text200 = ""


class CaseOpenIn(InputSchema):
    """Start an incompetence case from a flagged evaluation result, or for a cadre with a reason."""

    evaluation_id: Id | None = Field(None, description="民主测评计票结果 id")
    cadre_id: Id | None = None
    reason: Text2000 = ""
    opened_on: Date


class CaseConclusionIn(InputSchema):
    """The inspection's conclusion."""

    confirmed: bool = Field(description="是否认定不称职")
    conclusion: Text2000
    inspected_on: Date
    inspectors: Text200


class CaseAdjustmentIn(DecisionIn):
    """The adjustment concluding a confirmed case."""

    kind: OutcomeCode
    new_post_id: Id | None = None
    new_rank: OptionalRank = ""


# ---------------------------------------------------------------- outputs


class ExitOut(Schema):
    """An exit with its document."""

    id: int
    kind: str
    kind_label: str
    cadre: Ref
    unit: Ref
    decided_on: dt.date
    effective_on: dt.date
    reason: str
    basis: str
    document: Ref | None
    previous_rank: str
    new_rank: str
    new_post: Ref | None
    early_ground: str
    case_id: int | None
    created_at: dt.datetime

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        """The kind in Chinese."""
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_unit(obj: Any) -> dict[str, Any]:
        """The cadre's unit."""
        return {"id": obj.cadre.unit_id, "name": obj.cadre.unit.name}

    @staticmethod
    def resolve_document(obj: Any) -> dict[str, Any] | None:
        """The document by id and number (none when nothing needed a document)."""
        return {"id": obj.document_id, "name": obj.document.number} if obj.document_id else None

    @staticmethod
    def resolve_new_post(obj: Any) -> dict[str, Any] | None:
        """The post taken up (reassignment, demotion)."""
        return {"id": obj.new_post_id, "name": str(obj.new_post)} if obj.new_post_id else None

    @staticmethod
    def resolve_case_id(obj: Any) -> int | None:
        """The incompetence case this exit concluded, if any."""
        case = getattr(obj, "incompetence_case", None)
        return case.pk if case is not None else None


class ExitDetailOut(ExitOut):
    """An exit with the items of its document the user may see."""

    items: list[DocumentItemOut]

    @staticmethod
    def resolve_items(obj: Any) -> list[Any]:
        """The items the endpoint attached (``selectors.exit_items``)."""
        items: list[Any] = obj.visible_items
        return items


class DueEarlyExitOut(Schema):
    """A leader reaching the county's 离岗退养 age in the year."""

    cadre: Ref
    unit: Ref
    gender: str
    birth_date: dt.date
    post: str
    reaches_on: dt.date
    age: int


class DueRetirementOut(Schema):
    """A cadre reaching the statutory retirement age in the year."""

    cadre: Ref
    unit: Ref
    gender: str
    birth_date: dt.date
    status: str
    post: str
    retires_on: dt.date
    age: str
    category: str


class ProceedingOut(Schema):
    """A proceeding (shown only to roles that may see supervision records)."""

    id: int
    cadre: Ref
    kind: str
    kind_label: str
    body: str
    started_on: dt.date
    ended_on: dt.date | None
    note: str
    end_note: str

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        """The kind in Chinese."""
        return ProceedingKind(obj.kind).label


class CaseOut(Schema):
    """An incompetence case and where it stands."""

    id: int
    cadre: Ref
    step: str
    step_label: str
    evaluation_id: int | None
    opened_on: dt.date
    start_reason: str
    inspection_confirmed: bool | None
    inspection_conclusion: str
    inspected_on: dt.date | None
    inspectors: str
    outcome_id: int | None
    closed_on: dt.date | None

    @staticmethod
    def resolve_step_label(obj: Any) -> str:
        """The step in Chinese."""
        return CaseStep(obj.step).label
