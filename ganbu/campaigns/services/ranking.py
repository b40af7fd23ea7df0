"""Ranking, cut lists and outcomes: advancing stages, the ranking, the decision, publication,
the reserve, closing and the hand-over."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction

from ganbu.accounts.models import User
from ganbu.core.audit import audit_record
from ganbu.registry.models import (
    Cadre,
    ReserveMembership,
)
from ganbu.registry.services import reserve_add_within
from ganbu.rules import campaign as rules
from ganbu.rules.campaign_scoring import ratio_text

from ..choices import ApplicationStatus, CampaignStatus, Outcome
from ..models import (
    Application,
    Campaign,
    CampaignPost,
    StageScore,
)
from ..selectors import reserve_candidates
from .common import MSG_STATUS, _fail, _locked, _move, _require_manage, plan_of
from .scores import _stage

# ---------------------------------------------------------------- ranking, cut lists, outcomes


# What ``campaign_rank`` writes on each application, and how an unranked one looks.
RANKING_FIELDS = ["total", "place", "position", "place_note", "assigned_post", "placement_note"]
UNRANKED: dict[str, Any] = {
    "total": None,
    "place": None,
    "position": None,
    "place_note": "",
    "assigned_post": None,
    "placement_note": "",
}


def _ranking(campaign: Campaign, through: str | None = None) -> tuple[rules.Ranking, dict[str, Application]]:
    """Rank the qualified applications still in the running on the total so far (or overall)."""
    plan = plan_of(campaign)
    apps = {
        str(a.pk): a
        for a in campaign.applications.filter(status=ApplicationStatus.QUALIFIED).select_related("applicant")
    }
    scores: dict[int, dict[str, Decimal]] = {}
    for s in StageScore.objects.filter(application__campaign=campaign):
        scores.setdefault(s.application_id, {})[s.stage] = s.score
    upto = [s.key for s in plan.scored_stages]
    if through is not None:
        keys = [s.key for s in plan.stages]
        cut = keys.index(through)
        upto = [s.key for s in plan.scored_stages if keys.index(s.key) <= cut]
    entries = []
    for key, application in apps.items():
        own = scores.get(application.pk, {})
        if any(stage not in own for stage in upto):
            continue  # not (yet) scored in every stage up to here: out of this ranking
        total = rules.weighted_total(own, plan, through=through)
        entries.append(
            rules.RankEntry(key=key, total=total.value, tie_values=dict(own), name=application.applicant.name)
        )
    # Tie-break only on the stages counted so far: later stages have no scores yet.
    tie_rules = tuple(r for r in rules.tie_rules_for(plan) if r.key in upto)
    return rules.rank(entries, tie_rules), apps


def _cut_per_post(
    campaign: Campaign,
    campaign_posts: list[CampaignPost],
    ranking: rules.Ranking,
    reached: Mapping[str, Application],
    spec: rules.Stage,
    following: rules.Stage,
) -> tuple[list[str], str]:
    """Several posts: the ratio applies per post (按职位 1:N), by the applicants' choices.

    Those below the stage's pass mark are removed first; ``rules.allocate`` then gives each post
    ⌈places × N⌉ seats in rank order, first choice then second (ties at a post's line kept).
    """
    assert spec.cut_ratio is not None
    mark = spec.pass_mark
    below = [e for e in ranking.entries if mark is not None and rules.to_exact(e.entry.total) < mark]
    eligible = rules.rank([e.entry for e in ranking.entries if e not in below], ranking.tie_rules)
    choices = {
        e.key: tuple(
            str(p) for p in (reached[e.key].first_choice_id, reached[e.key].second_choice_id) if p is not None
        )
        for e in eligible.entries
    }
    allocation = rules.allocate(
        eligible,
        {str(cp.pk): cp.places for cp in campaign_posts},
        choices,
        ratio=spec.cut_ratio,
        max_choices=2 if campaign.allow_second_choice else 1,
        post_labels={str(cp.pk): str(cp.post) for cp in campaign_posts},
    )
    passed = sorted(p.key for p in allocation.placements if p.post is not None)
    notes = "；".join(allocation.notes)
    summary = (
        f"按各职位 {ratio_text(spec.cut_ratio)} 的比例，{len(passed)} 人进入{following.label}"
        + (f"；成绩低于合格分数线的 {len(below)} 人不进入" if below else "")
        + (f"；{notes}" if notes else "")
        + "。"
    )
    return passed, summary


@dataclass(frozen=True)
class Advance:
    """Who went on from a stage: the cut list (a stage with a ratio), or everyone not excluded."""

    stage: str
    next_stage: str
    passed: int
    summary: str
    cut: rules.CutList | None


@transaction.atomic(durable=True)
def stage_advance(
    *, actor: User, campaign: Campaign, stage: str, exclude: Sequence[Application] = (), reason: str = ""
) -> Advance:
    """Let the candidates through from ``stage`` to the next one.

    A stage with a cut ratio (笔试 → 面试 1:3 …) lets through ⌈posts × ratio⌉ by the total so far,
    plus everyone tied at the line, after removing those below its pass mark. A stage without one
    (民主测评 before 组织考察) lets everyone through except those ``exclude`` names, with ``reason``.
    """
    campaign = _locked(campaign)
    _require_manage(actor, campaign)
    if campaign.status != CampaignStatus.SCORING:
        raise _fail(
            MSG_STATUS.format(status=CampaignStatus(campaign.status).label, action="确定进入下一环节人选")
        )
    plan = plan_of(campaign)
    spec = _stage(campaign, stage)
    following = plan.next_stage(stage)
    if following is None:
        raise _fail(f"{spec.label}是最后一个环节。", "stage")
    reached = {
        str(a.pk): a
        for a in campaign.applications.filter(
            status=ApplicationStatus.QUALIFIED, stage_reached=spec.key
        ).select_related("applicant")
    }
    if campaign.applications.filter(stage_reached=following.key).exists():
        raise _fail(f"已经确定了进入{following.label}的人选，不能再次确定。")
    if not reached:
        raise _fail(f"没有处在{spec.label}环节的人员。")
    cut: rules.CutList | None = None
    if spec.cut_ratio is None:
        excluded = {str(a.pk) for a in exclude}
        if excluded - set(reached):
            raise _fail(f"不进入{following.label}的人员须是处在{spec.label}环节的人员。", "exclude")
        if excluded and not reason.strip():
            raise _fail("请写明不进入下一环节的理由。", "reason")
        passed = [k for k in reached if k not in excluded]
        names = "、".join(reached[k].applicant.name for k in sorted(excluded))
        summary = f"{spec.label}后 {len(passed)} 人进入{following.label}" + (
            f"；{names}不进入（{reason.strip()}）。" if excluded else "。"
        )
    else:
        if exclude:
            raise _fail(f"{spec.label}按比例确定进入{following.label}的人选，不能另行排除。", "exclude")
        ranking, _ = _ranking(campaign, through=stage if spec.scored else None)
        ranked = {e.key for e in ranking.entries}
        unscored = [a for k, a in reached.items() if k not in ranked]
        if unscored:
            raise _fail(f"尚有 {len(unscored)} 人没有{spec.label}成绩（缺考的请登记缺考）。")
        ranking = rules.rank([e.entry for e in ranking.entries if e.key in reached], ranking.tie_rules)
        campaign_posts = list(campaign.posts.select_related("post__unit"))
        if len(campaign_posts) == 1:
            cut = rules.cut_list(
                ranking,
                campaign_posts[0].places,
                spec.cut_ratio,
                pass_mark=spec.pass_mark,
                next_stage=following.label,
            )
            passed = sorted(cut.passed_keys)
            summary = cut.summary
        else:
            passed, summary = _cut_per_post(campaign, campaign_posts, ranking, reached, spec, following)
    Application.objects.filter(pk__in=[int(k) for k in passed]).update(stage_reached=following.key)
    audit_record(
        actor=actor,
        event_type="campaign.stage_advanced",
        target=campaign,
        after={"stage": stage, "next": following.key, "passed": len(passed)},
        reason=summary,
        unit_id=campaign.unit_id,
    )
    return Advance(stage=stage, next_stage=following.key, passed=len(passed), summary=summary, cut=cut)


@transaction.atomic(durable=True)
def campaign_rank(*, actor: User, campaign: Campaign) -> rules.Allocation:
    """Rank on the composite total, allocate by choices, and store totals, places and proposed posts.

    Those who reached the last scored stage with every score are ranked; the allocation (rank
    order, first choice then second, ``rules.allocate``) proposes who is to be inspected and
    appointed to which post. People then decide (``campaign_decide``).
    """
    campaign = _locked(campaign)
    _require_manage(actor, campaign)
    plan = plan_of(campaign)
    final = plan.stages[-1].key
    ranking, apps = _ranking(campaign)
    if not ranking.entries:
        raise _fail("没有完成全部计分环节的人员，无法排名。")
    # Everyone with every score is ranked (the reserve pool reads the whole ranking); only those who
    # reached the last stage are allocated to posts.
    finalists = rules.rank(
        [e.entry for e in ranking.entries if apps[e.key].stage_reached == final], ranking.tie_rules
    )
    if not finalists.entries:
        raise _fail(f"没有进入{plan.stages[-1].label}环节的人员，无法分配职位。")
    posts = {str(cp.pk): cp.places for cp in campaign.posts.all()}
    choices = {
        e.key: tuple(
            str(p) for p in (apps[e.key].first_choice_id, apps[e.key].second_choice_id) if p is not None
        )
        for e in finalists.entries
    }
    allocation = rules.allocate(
        finalists,
        posts,
        choices,
        max_choices=2 if campaign.allow_second_choice else 1,
        post_labels={str(cp.pk): str(cp.post) for cp in campaign.posts.select_related("post__unit")},
    )
    Application.objects.filter(campaign=campaign).update(**UNRANKED)
    placements = {p.key: p for p in allocation.placements}
    changed = []
    for ranked in ranking.entries:
        a = apps[ranked.key]
        a.total = Decimal(str(ranked.entry.total))
        a.place, a.position, a.place_note = ranked.rank, ranked.position, ranked.note
        placement = placements.get(ranked.key)
        a.assigned_post_id = int(placement.post) if placement and placement.post else None
        a.placement_note = placement.note if placement else ""
        changed.append(a)
    Application.objects.bulk_update(changed, RANKING_FIELDS, batch_size=500)
    campaign.allocation_method, campaign.allocation_notes = allocation.method, list(allocation.notes)
    campaign.save(update_fields=["allocation_method", "allocation_notes"])
    _move(actor=actor, campaign=campaign, to=CampaignStatus.RANKED, after={"ranked": len(ranking.entries)})
    return allocation


@transaction.atomic(durable=True)
def campaign_decide(*, actor: User, campaign: Campaign, appointed: Sequence[Application]) -> int:
    """Record who is to be appointed (after inspection and the committee's decision), at most the places.

    Everyone else ranked is 未入选. The appointees keep the post the allocation proposed.
    """
    campaign = _locked(campaign)
    _require_manage(actor, campaign)
    if campaign.status != CampaignStatus.RANKED:
        raise _fail(MSG_STATUS.format(status=CampaignStatus(campaign.status).label, action="确定任用人选"))
    ids = {a.pk for a in appointed}
    chosen = list(campaign.applications.filter(pk__in=ids, status=ApplicationStatus.QUALIFIED))
    if len(chosen) != len(ids) or any(a.place is None or a.assigned_post_id is None for a in chosen):
        raise _fail("任用人选须是已排名并已分配职位的人员。")
    per_post: dict[int, int] = {}
    for a in chosen:
        assert a.assigned_post_id is not None
        per_post[a.assigned_post_id] = per_post.get(a.assigned_post_id, 0) + 1
    for cp in campaign.posts.select_related("post"):
        if per_post.get(cp.pk, 0) > cp.places:
            raise _fail(f"职位「{cp.post}」职数 {cp.places} 名，拟任用 {per_post[cp.pk]} 人，超过职数。")
    campaign.applications.exclude(status=ApplicationStatus.WITHDRAWN).update(outcome=Outcome.NOT_SELECTED)
    campaign.applications.filter(pk__in=ids).update(outcome=Outcome.APPOINTED)
    audit_record(
        actor=actor,
        event_type="campaign.decided",
        target=campaign,
        after={"appointed": len(ids)},
        unit_id=campaign.unit_id,
    )
    return len(ids)


@transaction.atomic(durable=True)
def campaign_publish(*, actor: User, campaign: Campaign) -> Campaign:
    """Publish the results: the public result page lists the appointees; each applicant sees their own."""
    campaign = _locked(campaign)
    _require_manage(actor, campaign)
    if not campaign.applications.filter(outcome=Outcome.APPOINTED).exists():
        raise _fail("尚未确定任用人选。")
    _move(actor=actor, campaign=campaign, to=CampaignStatus.PUBLISHED)
    return campaign


@transaction.atomic(durable=True)
def campaign_reserve(*, actor: User, campaign: Campaign, on: dt.date) -> rules.ReservePool:
    """Put the unappointed among the top ``reserve_top_n`` into the reserve pool, the campaign as source.

    Only registry cadres can join (an outside applicant has no cadre record yet; the result says so).
    """
    campaign = _locked(campaign)
    _require_manage(actor, campaign)
    if campaign.status not in (CampaignStatus.PUBLISHED, CampaignStatus.CLOSED):
        raise _fail(MSG_STATUS.format(status=CampaignStatus(campaign.status).label, action="列入后备干部"))
    if campaign.reserve_top_n < 1 or not campaign.reserve_level:
        raise _fail("本次选拔未规定进入后备干部的名次线和层次。")
    # The ranking campaign_rank stored (scores cannot change once ranked): what the page previews.
    found = reserve_candidates(campaign)
    if found is None:
        raise _fail("本次选拔尚未排名。")
    pool, apps = found
    added = 0
    for entry in pool.entries:
        applicant = apps[entry.key].applicant
        if (
            applicant.cadre_id is None
            or ReserveMembership.objects.filter(cadre_id=applicant.cadre_id, end_date__isnull=True).exists()
        ):
            continue  # no cadre record, or already in the pool (running this twice adds nobody twice)
        reserve_add_within(
            actor=actor,
            cadre=Cadre.objects.get(pk=applicant.cadre_id),
            level=campaign.reserve_level,
            source=f"{campaign.title}（{entry.place}）"[:100],
            start_date=on,
        )
        added += 1
    audit_record(
        actor=actor,
        event_type="campaign.reserve_added",
        target=campaign,
        after={"pool": len(pool.entries), "added": added},
        reason=pool.summary,
        unit_id=campaign.unit_id,
    )
    return pool


@transaction.atomic(durable=True)
def campaign_close(*, actor: User, campaign: Campaign) -> Campaign:
    """Close the campaign: nothing changes after this."""
    campaign = _locked(campaign)
    _require_manage(actor, campaign)
    _move(actor=actor, campaign=campaign, to=CampaignStatus.CLOSED)
    return campaign


@transaction.atomic(durable=True)
def campaign_hand_over(*, actor: User, campaign: Campaign, on: dt.date) -> Any:
    """Pass the inspection candidates into the appointment procedure: one 纪实 for the campaign's posts.

    The record opens at 动议, its 民主推荐 step records that the campaign produced the candidates
    (MODE-03), and the candidates are set per post — the finalists placed at each post by the
    ratio into 组织考察 — with every eligibility and avoidance check of the procedure. Only for
    vacant posts (an appointment by the committee); a 竞争上岗 of mid-level posts is decided by
    ``campaign_decide`` alone. Outside applicants need a cadre record first.
    """
    from ganbu.selection import services as selection

    campaign = _locked(campaign)
    _require_manage(actor, campaign)
    if campaign.status != CampaignStatus.RANKED:
        raise _fail(MSG_STATUS.format(status=CampaignStatus(campaign.status).label, action="转入组织考察"))
    plan = plan_of(campaign)
    final = plan.stages[-1]
    # The ratio into the last stage (面试 → 组织考察 2:1): the seats per post for the 差额 inspection.
    into_final = next((s.cut_ratio for s in reversed(plan.stages[:-1]) if s.cut_ratio), None)
    ranking, apps = _ranking(campaign)
    finalists = rules.rank(
        [e.entry for e in ranking.entries if apps[e.key].stage_reached == final.key], ranking.tie_rules
    )
    outside = [
        apps[e.key].applicant.name for e in finalists.entries if apps[e.key].applicant.cadre_id is None
    ]
    if outside:
        raise _fail(f"以下人员尚无干部档案，须先建档才能组织考察：{'、'.join(outside)}。")
    campaign_posts = list(campaign.posts.select_related("post__unit"))
    allocation = rules.allocate(
        finalists,
        {str(cp.pk): cp.places for cp in campaign_posts},
        {
            e.key: tuple(
                str(p) for p in (apps[e.key].first_choice_id, apps[e.key].second_choice_id) if p is not None
            )
            for e in finalists.entries
        },
        ratio=into_final or 1,
        max_choices=2 if campaign.allow_second_choice else 1,
    )
    by_post = {str(cp.pk): cp for cp in campaign_posts}
    posts = [cp.post for cp in campaign_posts if allocation.per_post.get(str(cp.pk))]
    record = selection.selection_propose_within(
        actor=actor,
        unit=campaign.unit,
        title=f"{campaign.title}（组织考察）",
        reason=f"{campaign.title}产生考察人选，按程序组织考察。",
        proposer="县委组织部",
        proposed_on=on,
        posts=posts,
    )
    selection.recommendation_complete_within(actor=actor, record=record, on=on, produced_by=campaign.title)
    cadres = Cadre.objects.in_bulk([apps[e.key].applicant.cadre_id or 0 for e in finalists.entries])
    choices = [
        selection.Choice(cadre=cadres[apps[entry.key].applicant.cadre_id or 0], post=by_post[post_key].post)
        for post_key, entries in allocation.per_post.items()
        for entry in entries
    ]
    selection.candidates_set_within(
        actor=actor,
        record=record,
        choices=choices,
        on=on,
        differential_reason=f"按{campaign.title}规定的比例差额产生考察对象",
    )
    audit_record(
        actor=actor,
        event_type="campaign.handed_over",
        target=campaign,
        after={"record_id": record.pk, "candidates": len(choices)},
        unit_id=campaign.unit_id,
    )
    record.refresh_from_db()
    return record


@transaction.atomic(durable=True)
def campaign_reopen_scoring(*, actor: User, campaign: Campaign, reason: str) -> Campaign:
    """Back from 已排名 to 考试与测评 to correct a score; the ranking and the allocation are cleared."""
    campaign = _locked(campaign)
    _require_manage(actor, campaign)
    if not reason.strip():
        raise _fail("请写明重新计分的理由。", "reason")
    campaign.applications.update(**UNRANKED, outcome=Outcome.PENDING)
    campaign.allocation_method, campaign.allocation_notes = "", []
    campaign.save(update_fields=["allocation_method", "allocation_notes"])
    campaign.applications.filter(status=ApplicationStatus.WITHDRAWN).update(outcome=Outcome.WITHDRAWN)
    _move(actor=actor, campaign=campaign, to=CampaignStatus.SCORING, after={"reason": reason.strip()})
    return campaign
