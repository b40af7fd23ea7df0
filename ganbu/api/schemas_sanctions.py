"""Request and response schemas of the sanctions API (处分, 诫勉, 组织处理), in the conventions of
``schemas``: strict inputs (unknown fields refused, texts bounded, dates 1900–2100), codes in outputs."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from ninja import Field, Schema

from ganbu.policy.selectors import work_calendar
from ganbu.registry.sanction_selectors import state_of
from ganbu.rules.workdays import WorkCalendar

from .schemas import Date, Id, InputSchema, Name100, Ref, Text100, Text200

if TYPE_CHECKING:
    SanctionTypeCode = str
    GovernmentKindCode = str
    MeasureCode = str
    StatusCode = str
else:
    from typing import Literal

    from ganbu.registry.choices import OrganizationalMeasure, SanctionType
    from ganbu.registry.sanction_selectors import STATUS_CHOICES
    from ganbu.rules.sanction_effects import GOVERNMENT_KINDS

    SanctionTypeCode = Literal[tuple(SanctionType.values)]
    GovernmentKindCode = Literal[tuple(k.value for k in GOVERNMENT_KINDS)]
    MeasureCode = Literal[("", *OrganizationalMeasure.values)]
    StatusCode = Literal[tuple(code for code, _ in STATUS_CHOICES)]


# ---------------------------------------------------------------- inputs


class SanctionIn(InputSchema):
    """A sanction (政务处分, 党纪处分, 诫勉, 组织处理) of one cadre; its period is computed."""

    cadre_id: Id
    sanction_type: SanctionTypeCode | None = Field(
        None, description="处分种类；几个违法行为同时处理时可不填，执行其中最重的"
    )
    name: Text100 = Field("", description="名称，留空则为处分种类")
    decided_on: Date = Field(description="决定日期（处分期自该日起算）")
    approving_body: Name100 = Field(description="批准机关")
    reason: Text200 = Field("", description="事由")
    effective_until: Date | None = Field(
        None, description="影响期最后一天；一般不填，由系统依规计算；诫勉、其他组织处理按决定填写"
    )
    period_override_reason: Text200 = Field("", description="所填影响期与依规计算的不同时必填")
    combined_kinds: list[GovernmentKindCode] = Field(
        [], max_length=20, description="几个违法行为同时处理时，各自应给予的政务处分（至少两项）"
    )
    combined_months: int | None = Field(
        None, ge=1, le=48, description="多个相同处分合并时确定的处分期月数（一个处分期以上、各期之和以下）"
    )
    organizational_measure: MeasureCode = Field(
        "", description="组织处理方式：removal 免职、demotion 降职、other 其他"
    )
    known_on: Date | None = Field(None, description="知道处理决定之日（复核、申诉期限由此起算）")


class SanctionFollowupIn(InputSchema):
    """A sanction's later dates (DISC-16) and a new violation in its period (DISC-04); only the
    fields sent change."""

    known_on: Date | None = None
    review_received_on: Date | None = Field(None, description="接到复核申请书之日")
    review_decision_received_on: Date | None = Field(None, description="接到复核决定之日")
    appeal_accepted_on: Date | None = Field(None, description="受理申诉之日")
    new_violation_pending: bool | None = Field(None, description="处分期内又有应受处分的违法行为，尚待处理")
    reason: Text200 = Field("", description="说明（记入审计日志）")


# ---------------------------------------------------------------- outputs


class SanctionDeadlineOut(Schema):
    """One 复核/申诉 time limit (DISC-16)."""

    what: str
    last: dt.date
    running: bool
    rule: str
    citation: str


class SanctionStateOut(Schema):
    """A sanction on today's date: status (DISC-04), effects (DISC-03), deadlines (DISC-16)."""

    status: str = Field(
        description="in_force / ending_soon / expired / permanent / pending / combined / not_yet / open_end"
    )
    status_label: str
    period_text: str
    effects_text: str
    expiry_text: str
    basis: str
    rules: list[str]
    deadlines: list[SanctionDeadlineOut]
    note: str


def _calendar(request: HttpRequest) -> WorkCalendar:
    """The work calendar, read once per request (every row's deadlines use it)."""
    cached: WorkCalendar | None = getattr(request, "_ganbu_work_calendar", None)
    if cached is None:
        cached = work_calendar()
        request._ganbu_work_calendar = cached  # type: ignore[attr-defined]
    return cached


class SanctionOut(Schema):
    """A recorded sanction with its computed period, status, effects and deadlines."""

    id: int
    cadre: Ref
    name: str
    sanction_type: str
    sanction_type_label: str
    decided_on: dt.date
    approving_body: str
    reason: str
    effective_until: dt.date | None
    period_override_reason: str
    period_basis: str
    combined_kinds: list[str]
    combined_months: int | None
    combined_with_id: int | None
    organizational_measure: str
    known_on: dt.date | None
    review_received_on: dt.date | None
    review_decision_received_on: dt.date | None
    appeal_accepted_on: dt.date | None
    new_violation_pending: bool
    state: SanctionStateOut

    @staticmethod
    def resolve_sanction_type_label(obj: Any) -> str:
        """The kind in Chinese."""
        return str(obj.get_sanction_type_display()) if obj.sanction_type else ""

    @staticmethod
    def resolve_combined_kinds(obj: Any) -> list[str]:
        """The kinds of the violations decided together, as codes."""
        return [k for k in obj.combined_kinds.split(",") if k]

    @staticmethod
    def resolve_state(obj: Any, context: Any) -> dict[str, Any]:
        """The state on today's date, computed from the row (no stored status)."""
        from django.utils import timezone

        request = context["request"]
        state = state_of(obj, timezone.localdate(), _calendar(request))
        return {
            "status": state.status.value,
            "status_label": state.status_label,
            "period_text": state.period_text,
            "effects_text": state.effects_text,
            "expiry_text": state.expiry_text,
            "basis": state.basis,
            "rules": list(state.rules),
            "deadlines": [
                {"what": d.what, "last": d.last, "running": d.running, "rule": d.rule, "citation": d.citation}
                for d in state.deadlines
            ],
            "note": state.note,
        }
