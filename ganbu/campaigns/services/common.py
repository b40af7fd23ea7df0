"""Shared pieces of the campaign services: messages, the permission and status guards, the plan."""

from __future__ import annotations

from typing import Any

from ganbu.accounts.models import User
from ganbu.core.access import Cap, can_edit_unit, has_cap
from ganbu.core.audit import audit_record
from ganbu.core.errors import ServiceError
from ganbu.registry.choices import Rank
from ganbu.registry.models import (
    Unit,
)
from ganbu.rules import campaign as rules
from ganbu.rules.eligibility import Education, Level

from ..choices import CAMPAIGN_TRANSITIONS, CampaignStatus
from ..models import (
    Campaign,
)

MSG_NO_MANAGE = "您无权办理该选拔。"
MSG_STATUS = "选拔当前状态为「{status}」，不能{action}。"
MSG_NOT_OPEN = "不在报名时间内（{start} 至 {end}）。"
MAX_ATTACHMENT = 5 * 1024 * 1024

RANK_LEVEL: dict[str, Level] = {
    Rank.SECTION: Level.SECTION_CHIEF,
    Rank.DEPUTY_SECTION: Level.SECTION_DEPUTY,
    Rank.MIDDLE_HEAD: Level.CLERK_1,
    Rank.MIDDLE_DEPUTY: Level.CLERK_1,
    Rank.STAFF: Level.CLERK_1,
}
EDUCATION_LEVEL: dict[str, Education] = {
    "postgraduate": Education.POSTGRADUATE,
    "university": Education.BACHELOR,
    "college": Education.JUNIOR_COLLEGE,
    "technical": Education.HIGH_SCHOOL,
    "high_school": Education.HIGH_SCHOOL,
}


def _fail(message: str, field: str | None = None) -> ServiceError:
    """A ``ServiceError`` with ``message``, attached to ``field`` when one is named."""
    return ServiceError({field: [message]} if field else message)


def _require_manage(actor: User, campaign: Campaign | None = None, unit: Unit | None = None) -> None:
    """Organization officers (and unit officers for their own unit's 竞争上岗) run campaigns in scope."""
    target = unit if unit is not None else campaign.unit if campaign is not None else None
    if target is None or not has_cap(actor, Cap.CAMPAIGN_MANAGE) or not can_edit_unit(actor, target):
        raise _fail(MSG_NO_MANAGE)


def _locked(campaign: Campaign) -> Campaign:
    """The campaign re-read under a row lock: reviews, imports and the ranking must not interleave."""
    return Campaign.objects.select_for_update().select_related("unit").get(pk=campaign.pk)


def plan_of(campaign: Campaign) -> rules.StagePlan:
    """The campaign's stage plan."""
    return rules.StagePlan.from_json(campaign.stages)


def spec_of(campaign: Campaign) -> rules.EligibilitySpec:
    """The campaign's eligibility rules."""
    return rules.EligibilitySpec.from_json(campaign.eligibility)


def _move(*, actor: User, campaign: Campaign, to: str, after: dict[str, Any] | None = None) -> None:
    """Move the campaign along its life cycle if the table allows it, audited."""
    current = campaign.status
    if to not in CAMPAIGN_TRANSITIONS[current]:
        raise _fail(f"选拔不能从「{CampaignStatus(current).label}」变为「{CampaignStatus(to).label}」。")
    campaign.status = to
    campaign.save(update_fields=["status"])
    audit_record(
        actor=actor,
        event_type="campaign.status_changed",
        target=campaign,
        before={"status": current},
        after={"status": to, **(after or {})},
        unit_id=campaign.unit_id,
    )
