"""Request and response schemas of the exchanges API (干部交流、交流轮岗方案), in the conventions of
``schemas``: strict inputs (unknown fields refused, texts bounded, dates 1900–2100), codes in outputs.
A plan's findings carry the rule ID with the citation (the API keeps the full text)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal

from ninja import Field, Schema

from ganbu.exchanges.choices import MOVE_KINDS, ExchangeDirection, ExchangeKind, PlanStatus

from .schemas import Date, Id, InputSchema, Name200, Number60, Ref, Text50, Text100, Text200, Text2000

if TYPE_CHECKING:
    ExchangeKindCode = str
    MoveKindCode = str
    DirectionCode = str
else:
    ExchangeKindCode = Literal[tuple(ExchangeKind.values)]
    MoveKindCode = Literal[tuple(k.value for k in MOVE_KINDS)]
    DirectionCode = Literal[("", *ExchangeDirection.values)]


def _post(post: Any) -> dict[str, Any] | None:
    return None if post is None else {"id": post.pk, "name": f"{post.unit.name}{post.title}"}


class ExchangeIn(InputSchema):
    """One exchange: a move (调任、转任、轮岗) with its appointment document, or a 挂职 with host and term."""

    cadre_id: Id
    kind: ExchangeKindCode = Field(description="交流方式")
    start_on: Date = Field(description="交流（挂职）开始日期；调任、转任、轮岗为任免生效日期")
    to_post_id: Id | None = Field(
        None, description="新任职务（调任、转任、轮岗必填）；挂职职务在本县职位中的也可填"
    )
    from_post_id: Id | None = Field(None, description="原任职务；留空为干部现任领导职务")
    to_unit_id: Id | None = Field(None, description="挂职单位（挂职、党外干部挂任）")
    host_post_title: Text100 = Field("", description="挂职职务，如局长助理")
    planned_end_on: Date | None = Field(None, description="挂职期满日期")
    direction: DirectionCode = Field("", description="交流方向；留空按单位类别自动确定")
    decision_number: Text50 = Field("", description="挂职决定文号")
    document_number: Text50 = Field("", description="任免文件文号（调任、转任、轮岗必填）")
    document_title: Text200 = Field("", description="任免文件标题")
    issued_on: Date | None = Field(None, description="发文日期")
    note: Text200 = ""


class ExchangeEndIn(InputSchema):
    """The day a 挂职 ended."""

    ended_on: Date


class ExchangeOut(Schema):
    """An exchange record with its kind, direction, where from and where to, term and document."""

    id: int
    cadre: Ref
    kind: str
    kind_label: str
    direction: str
    direction_label: str
    from_unit: Ref
    from_post: Ref | None
    to_unit: Ref
    to_post: Ref | None
    host_post_title: str
    start_on: dt.date
    planned_end_on: dt.date | None
    ended_on: dt.date | None
    document_number: str
    decision_number: str
    plan_id: int | None
    note: str

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        """The kind in Chinese."""
        return str(ExchangeKind(obj.kind).label)

    @staticmethod
    def resolve_direction_label(obj: Any) -> str:
        """The direction in Chinese."""
        return str(ExchangeDirection(obj.direction).label)

    @staticmethod
    def resolve_from_post(obj: Any) -> dict[str, Any] | None:
        """The post left, by id and unit + title."""
        return _post(obj.from_post)

    @staticmethod
    def resolve_to_post(obj: Any) -> dict[str, Any] | None:
        """The post taken, by id and unit + title."""
        return _post(obj.to_post)

    @staticmethod
    def resolve_document_number(obj: Any) -> str:
        """The appointment document's number (empty for a 挂职)."""
        return str(obj.document.number) if obj.document_id else ""


class RotationPlanIn(InputSchema):
    """A new rotation plan."""

    title: Name200
    planned_on: Date = Field(description="拟交流日期（各项交流的生效日期）")
    note: Text2000 = ""


class RotationMoveIn(InputSchema):
    """A move of a plan."""

    cadre_id: Id
    to_post_id: Id
    from_post_id: Id | None = Field(None, description="原任职务；留空为干部现任领导职务")
    kind: MoveKindCode = ExchangeKind.TRANSFER.value
    reason: Text200 = Field("", description="任职未满规定年限而交流的理由")


class RotationDiscussIn(InputSchema):
    """The meeting that discussed the plan."""

    discussed_on: Date
    meeting: Name200


class RotationCarryOutIn(InputSchema):
    """The appointment document the plan is carried out by."""

    document_number: Number60
    document_title: Name200
    issued_on: Date
    effective_on: Date | None = Field(None, description="生效日期；留空为拟交流日期")
    issuing_body: Text100 = ""


class RotationWithdrawIn(InputSchema):
    """Why the plan is withdrawn."""

    reason: Name200


class RotationMoveOut(Schema):
    """A move of a plan."""

    id: int
    cadre: Ref
    from_post: Ref | None
    to_post: Ref
    kind: str
    reason: str

    @staticmethod
    def resolve_from_post(obj: Any) -> dict[str, Any] | None:
        """The post left."""
        return _post(obj.from_post)

    @staticmethod
    def resolve_to_post(obj: Any) -> dict[str, Any] | None:
        """The post taken."""
        return _post(obj.to_post)


class RotationFindingOut(Schema):
    """A check of the plan: the rule ID, its citation, the failing fact, whether it blocks."""

    rule: str
    citation: str
    message: str
    blocks: bool
    cadre_ids: list[int]
    unit_id: int | None


class RotationPlanSummaryOut(Schema):
    """A plan in the list."""

    id: int
    title: str
    status: str
    status_label: str
    planned_on: dt.date
    discussed_on: dt.date | None
    meeting: str
    carried_out_on: dt.date | None
    document_number: str
    n_moves: int

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        """The status in Chinese."""
        return str(PlanStatus(obj.status).label)

    @staticmethod
    def resolve_document_number(obj: Any) -> str:
        """The appointment document's number once carried out."""
        return str(obj.document.number) if obj.document_id else ""

    @staticmethod
    def resolve_n_moves(obj: Any) -> int:
        """How many moves (annotated by the selector, counted otherwise)."""
        return int(getattr(obj, "n_moves", None) or obj.moves.count())


class RotationPlanOut(RotationPlanSummaryOut):
    """A plan with its moves (those the user may see) and its findings."""

    note: str
    withdrawn_reason: str
    moves: list[RotationMoveOut]
    findings: list[RotationFindingOut]

    @staticmethod
    def resolve_moves(obj: Any) -> list[Any]:
        """The moves the user may see (attached by the endpoint)."""
        return list(obj.visible_moves)

    @staticmethod
    def resolve_findings(obj: Any) -> list[dict[str, Any]]:
        """The findings (attached by the endpoint)."""
        return list(obj.finding_rows)
