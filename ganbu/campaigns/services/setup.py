"""Setting a campaign up: create it, offer posts, open and close registration."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from ganbu.accounts.models import User
from ganbu.core.access import can_edit_unit, units_for
from ganbu.core.audit import audit_record
from ganbu.registry.choices import PostKind, ReserveLevel
from ganbu.registry.models import (
    Post,
    Quota,
    Unit,
)
from ganbu.rules import campaign as rules

from ..choices import CampaignKind, CampaignStatus
from ..models import (
    Campaign,
    CampaignPost,
)
from .common import MSG_STATUS, _fail, _locked, _move, _require_manage

# ---------------------------------------------------------------- set-up


@transaction.atomic(durable=True)
def campaign_create(
    *,
    actor: User,
    kind: str,
    title: str,
    unit: Unit,
    announcement: str,
    registration_start: dt.date,
    registration_end: dt.date,
    cutoff: dt.date,
    eligibility: Mapping[str, Any],
    stages: Mapping[str, Any] | None = None,
    allow_second_choice: bool = False,
    reserve_top_n: int = 0,
    reserve_level: str = "",
    scope_units: Sequence[Unit] = (),
) -> Campaign:
    """Create a campaign in draft: its announcement, timetable, eligibility rules and stage plan.

    ``stages`` defaults to the seed's practice for the kind (``rules.default_plan``, local, MODE-09);
    both specs are validated by the rules and stored as their canonical JSON.
    """
    _require_manage(actor, unit=unit)
    if kind not in CampaignKind.values:
        raise _fail("选拔类别不正确。", "kind")
    if not title.strip() or not announcement.strip():
        raise _fail("请填写名称和公告。", "announcement")
    if registration_end < registration_start:
        raise _fail("报名截止日期早于开始日期。", "registration_end")
    try:
        # The campaign's scope units are the unit scope of its rules: one list, never two that differ.
        given = {**dict(eligibility), "unit_scope": sorted(str(u.pk) for u in scope_units)}
        spec = rules.EligibilitySpec.from_json(given)
        plan = (
            rules.StagePlan.from_json(dict(stages))
            if stages is not None
            else rules.default_plan(rules.CampaignKind(kind))
        )
    except ValueError as exc:
        raise _fail(str(exc)) from None
    if plan.kind.value != kind:
        raise _fail("考试环节方案的类别与选拔类别不一致。", "stages")
    if reserve_level and reserve_level not in ReserveLevel.values:
        raise _fail("后备干部层次不正确。", "reserve_level")
    for scope in scope_units:
        if not units_for(actor).filter(pk=scope.pk).exists():
            raise _fail("报名范围中的单位不在您的管理范围内。", "scope_units")
    campaign = Campaign.objects.create(
        kind=kind,
        title=title.strip(),
        unit=unit,
        announcement=announcement.strip(),
        registration_start=registration_start,
        registration_end=registration_end,
        cutoff=cutoff,
        eligibility=spec.to_json(),
        stages=plan.to_json(),
        allow_second_choice=allow_second_choice,
        reserve_top_n=reserve_top_n,
        reserve_level=reserve_level,
        created_by=actor,
    )
    campaign.scope_units.set(scope_units)
    audit_record(
        actor=actor,
        event_type="campaign.created",
        target=campaign,
        after={"kind": kind, "stages": [s.key for s in plan.stages]},
        unit_id=unit.pk,
    )
    return campaign


@transaction.atomic(durable=True)
def campaign_post_add(*, actor: User, campaign: Campaign, post: Post, places: int = 1) -> CampaignPost:
    """Offer a post in a draft campaign, within the unit's quota (QUAL-11).

    The post need not be vacant: in a 竞争上岗 every post is re-filled and its holder may compete
    (the seed's 96 former mid-level cadres not re-selected).
    """
    campaign = _locked(campaign)
    _require_manage(actor, campaign)
    if campaign.status != CampaignStatus.DRAFT:
        raise _fail(MSG_STATUS.format(status=CampaignStatus(campaign.status).label, action="修改选拔职位"))
    if not can_edit_unit(actor, post.unit):
        raise _fail("职位不存在或不在您的管理范围内。", "post")
    if places < 1:
        raise _fail("职数至少为 1。", "places")
    if CampaignPost.objects.filter(campaign=campaign, post=post).exists():
        raise _fail(f"职位「{post}」已在本次选拔中。", "post")
    if post.counts_toward_quota:
        quota = Quota.objects.filter(unit=post.unit, kind=post.kind).first()
        limit = quota.number if quota else 0
        offered = sum(
            cp.places
            for cp in CampaignPost.objects.filter(
                campaign=campaign, post__unit=post.unit, post__kind=post.kind
            )
        )
        if offered + places > limit:
            raise _fail(
                f"{post.unit.name}{PostKind(post.kind).label}职数 {limit} 名，本次选拔已列 {offered} 名，"
                f"再列 {places} 名将超出职数（《公务员法》第四十三条，rules.md QUAL-11）。",
                "places",
            )
    made = CampaignPost.objects.create(
        campaign=campaign, post=post, places=places, sort_order=campaign.posts.count() + 1
    )
    audit_record(
        actor=actor,
        event_type="campaign.post_added",
        target=campaign,
        after={"post": str(post), "places": places},
        unit_id=campaign.unit_id,
    )
    return made


@transaction.atomic(durable=True)
def campaign_open(*, actor: User, campaign: Campaign) -> Campaign:
    """Publish the announcement and open registration (at least one post)."""
    campaign = _locked(campaign)
    _require_manage(actor, campaign)
    if not campaign.posts.exists():
        raise _fail("请先列出选拔职位。")
    _move(
        actor=actor,
        campaign=campaign,
        to=CampaignStatus.REGISTRATION,
        after={"posts": campaign.posts.count()},
    )
    return campaign


@transaction.atomic(durable=True)
def campaign_close_registration(*, actor: User, campaign: Campaign) -> Campaign:
    """End registration and start the qualification review."""
    campaign = _locked(campaign)
    _require_manage(actor, campaign)
    _move(
        actor=actor,
        campaign=campaign,
        to=CampaignStatus.REVIEW,
        after={"applications": campaign.applications.count()},
    )
    return campaign
