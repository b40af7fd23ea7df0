"""Request and response schemas of the economic-audit API (经济责任审计), in the conventions of
``schemas``: strict inputs (unknown fields refused, texts bounded, dates 1900–2100), codes in
outputs with their Chinese labels beside them."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal

from ninja import Field, Schema

from ganbu.economic_audits.choices import IN_TERM
from ganbu.economic_audits.services import DEFAULT_AUDIT_BODY
from ganbu.rules.audit import Commissioner, Move

from .schemas import Date, Id, InputSchema, Name100, Ref, Text2000

if TYPE_CHECKING:
    AuditTriggerCode = str
    CommissionerCode = str
else:
    AuditTriggerCode = Literal[(*(m.value for m in Move), IN_TERM)]
    CommissionerCode = Literal[tuple(c.value for c in Commissioner if c is not Commissioner.OTHER)]


# ---------------------------------------------------------------- inputs


class EconomicAuditIn(InputSchema):
    """A new audit of a unit-leading tenure in scope (registered 待委托)."""

    tenure_id: Id = Field(description="任职记录 id（审计对象的现任领导职务）")
    trigger: AuditTriggerCode = Field(
        description="审计类型：离任（调任、转任、轮岗、免职、辞职、退休、任期届满）或任中"
    )
    term_start: Date = Field(description="审计期间起")
    term_end: Date = Field(description="审计期间止；按该日施行的规定认定审计对象")
    trigger_note: Name100 = Field(description="审计事由")
    presiding_since: Date | None = Field(None, description="副职主持工作起始日期")


class EconomicAuditCommissionIn(InputSchema):
    """委托: by the department or the 纪委, to the audit body, with the report day asked for."""

    commissioned_on: Date
    commissioned_by: CommissionerCode = Field(
        description="委托机关：organization 组织人事部门，discipline 纪检监察机关"
    )
    audit_body: Name100 = DEFAULT_AUDIT_BODY
    report_due_on: Date = Field(description="要求完成日期")


class EconomicAuditNoticeIn(InputSchema):
    """审计通知书送达 (at least three days before the audit starts)."""

    served_on: Date


class EconomicAuditStartIn(InputSchema):
    """实施审计."""

    started_on: Date


class EconomicAuditReportIn(InputSchema):
    """审计报告 with its findings (ends the audit's proceeding)."""

    reported_on: Date
    report_number: Name100 = Field(description="审计报告文号")
    findings: Text2000 = Field(description="审计发现的主要问题和评价")


class EconomicAuditFollowUpIn(InputSchema):
    """A rectification item."""

    description: Name100 = Field(description="整改事项")
    owner: Name100 = Field(description="责任单位或责任人")
    due_on: Date


class EconomicAuditFollowUpDoneIn(InputSchema):
    """A rectification item of this audit done."""

    item_id: Id
    done_on: Date
    result: Text2000


class EconomicAuditCloseIn(InputSchema):
    """整改完成 (every item done)."""

    closed_on: Date
    summary: Text2000


# ---------------------------------------------------------------- outputs


class EconomicAuditFollowUpOut(Schema):
    """A rectification item."""

    id: int
    description: str
    owner: str
    due_on: dt.date
    done_on: dt.date | None
    result: str


class EconomicAuditOut(Schema):
    """An audit: subject, trigger, term, status and dates."""

    id: int
    cadre: Ref
    post: str
    unit: Ref
    role: str
    regulation: str
    subject_basis: str
    trigger: str
    trigger_label: str
    trigger_note: str
    term_start: dt.date
    term_end: dt.date
    status: str
    status_label: str
    commissioned_by: str
    commissioned_on: dt.date | None
    audit_body: str
    report_due_on: dt.date | None
    notice_served_on: dt.date | None
    started_on: dt.date | None
    reported_on: dt.date | None
    report_number: str
    findings: str
    closed_on: dt.date | None
    follow_up_summary: str
    proceeding_id: int | None
    selection_record_id: int | None

    @staticmethod
    def resolve_post(obj: Any) -> str:
        """The post audited, with its unit."""
        return str(obj.post)

    @staticmethod
    def resolve_trigger_label(obj: Any) -> str:
        """The trigger in Chinese."""
        return str(obj.get_trigger_display())

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        """The status in Chinese."""
        return str(obj.get_status_display())


class EconomicAuditDetailOut(EconomicAuditOut):
    """An audit with its rectification items."""

    follow_ups: list[EconomicAuditFollowUpOut]

    @staticmethod
    def resolve_follow_ups(obj: Any) -> list[Any]:
        """The items, by due date."""
        return list(obj.follow_ups.order_by("due_on", "id"))


class EconomicAuditTriggerOut(Schema):
    """A head in scope who needs an audit (先审后离 before a move, or the in-term plan)."""

    tenure_id: int
    cadre: Ref
    post: str
    trigger: str
    trigger_label: str
    reasons: list[str]
    due_on: dt.date | None
    to_commission: bool
    engagement_id: int | None
    selection_record_id: int | None
