"""Interview panels: the judges' sheets and the locked result."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db import transaction

from ganbu.accounts.models import User
from ganbu.core.access import Cap, has_cap
from ganbu.core.audit import audit_record
from ganbu.core.errors import ServiceError
from ganbu.rules import campaign as rules
from ganbu.rules.campaign_scoring import score_text

from ..choices import ApplicationStatus, CampaignStatus
from ..models import (
    Application,
    Campaign,
    InterviewPanel,
    PanelSheet,
)
from .common import MSG_STATUS, _fail, _locked, _require_manage
from .scores import _reached, _scorable, _stage, _store_score, parse_score

# ---------------------------------------------------------------- interview panels


@transaction.atomic(durable=True)
def panel_create(
    *,
    actor: User,
    campaign: Campaign,
    stage: str,
    name: str,
    judges: Sequence[User],
    criteria: Sequence[Mapping[str, Any]],
    applications: Sequence[Application],
    drop_high: int = 1,
    drop_low: int = 1,
) -> InterviewPanel:
    """Set up an interview panel: judges, the criteria with their maxima, the trimming, the candidates."""
    campaign = _locked(campaign)
    _require_manage(actor, campaign)
    spec = _stage(campaign, stage)
    if campaign.status != CampaignStatus.SCORING:
        raise _fail(MSG_STATUS.format(status=CampaignStatus(campaign.status).label, action="组建考官组"))
    try:
        parsed = [
            rules.Criterion(
                key=str(c["key"]), label=str(c["label"]), maximum=parse_score(c["maximum"], what="满分")
            )
            for c in criteria
        ]
    except (KeyError, ValueError, ServiceError) as exc:
        raise _fail(f"评分要素格式不正确：{exc}", "criteria") from None
    total = sum((rules.to_exact(c.maximum) * rules.to_exact(c.weight) for c in parsed), Fraction(0))
    if total != spec.full_mark:
        raise _fail(
            f"评分要素满分合计 {score_text(total)}，应等于{spec.label}满分 {score_text(spec.full_mark)}。"
        )
    _scorable(spec)
    if not spec.scored:
        raise _fail(f"{spec.label}不计入成绩，不设考官组。", "stage")
    not_judges = [str(j) for j in judges if not has_cap(j, Cap.CAMPAIGN_JUDGE)]
    if not_judges:
        raise _fail(f"考官须使用面试考官账号：{'、'.join(not_judges)}不是面试考官。", "judges")
    if len(judges) < drop_high + drop_low + 1:
        raise _fail(
            f"考官 {len(judges)} 人，去掉最高分 {drop_high} 个、最低分 {drop_low} 个后没有分数可用。",
            "judges",
        )
    # Re-read: the caller's objects may predate the last cut, and the panel must follow the database.
    fresh = list(Application.objects.filter(pk__in=[a.pk for a in applications]))
    if len(fresh) != len({a.pk for a in applications}) or any(
        a.campaign_id != campaign.pk
        or a.status != ApplicationStatus.QUALIFIED
        or not _reached(campaign, a, spec)
        for a in fresh
    ):
        raise _fail(f"面试对象须为本次选拔中进入{spec.label}的人员。", "applications")
    panel = InterviewPanel.objects.create(
        campaign=campaign,
        stage=spec.key,
        name=name.strip() or f"{spec.label}考官组",
        criteria=[{"key": c.key, "label": c.label, "maximum": str(c.maximum)} for c in parsed],
        drop_high=drop_high,
        drop_low=drop_low,
    )
    panel.judges.set(judges)
    panel.applications.set(fresh)
    audit_record(
        actor=actor,
        event_type="campaign.panel_created",
        target=campaign,
        after={"panel_id": panel.pk, "judges": len(judges), "candidates": len(applications)},
        unit_id=campaign.unit_id,
    )
    return panel


def panel_criteria(panel: InterviewPanel) -> list[rules.Criterion]:
    """The panel's criteria as the rules take them."""
    return [
        rules.Criterion(key=c["key"], label=c["label"], maximum=Decimal(c["maximum"])) for c in panel.criteria
    ]


@transaction.atomic(durable=True)
def panel_sheet_submit(
    *, actor: User, panel: InterviewPanel, application: Application, scores: Mapping[str, Any]
) -> PanelSheet:
    """A judge's scores for one candidate; changeable until the panel is locked, never after."""
    panel = InterviewPanel.objects.select_for_update().select_related("campaign").get(pk=panel.pk)
    if not panel.judges.filter(pk=actor.pk).exists():
        raise _fail("您不是该考官组的考官。")
    if panel.campaign.status != CampaignStatus.SCORING:
        raise _fail(MSG_STATUS.format(status=CampaignStatus(panel.campaign.status).label, action="评分"))
    if panel.locked:
        raise _fail("考官组已锁定评分，不能再修改。")
    if not panel.applications.filter(pk=application.pk).exists():
        raise _fail("该考生不在本考官组。")
    criteria = panel_criteria(panel)
    clean: dict[str, str] = {}
    for c in criteria:
        if c.key not in scores or str(scores[c.key]).strip() == "":
            raise _fail(f"请为“{c.label}”打分。", c.key)
        value = parse_score(scores[c.key], what=c.label)
        if rules.to_exact(value) > rules.to_exact(c.maximum):
            raise _fail(f"“{c.label}”最高 {score_text(c.maximum)} 分，所打 {value} 分超过上限。", c.key)
        clean[c.key] = str(value)
    sheet, created = PanelSheet.objects.update_or_create(
        panel=panel, judge=actor, application=application, defaults={"scores": clean}
    )
    # Who scored whom and when, never the scores: a judge's marks stay theirs until the lock.
    audit_record(
        actor=actor,
        event_type="campaign.sheet_submitted",
        target=panel.campaign,
        after={"panel_id": panel.pk, "application_id": application.pk, "new": created},
        unit_id=panel.campaign.unit_id,
    )
    return sheet


@transaction.atomic(durable=True)
def panel_lock(*, actor: User, panel: InterviewPanel) -> int:
    """Lock the panel once every judge has scored every candidate; store each trimmed-mean score."""
    panel = InterviewPanel.objects.select_for_update().select_related("campaign__unit").get(pk=panel.pk)
    campaign = panel.campaign
    _require_manage(actor, campaign)
    if panel.locked:
        raise _fail("考官组已经锁定。")
    judges = list(panel.judges.all())
    applications = list(
        panel.applications.exclude(status=ApplicationStatus.WITHDRAWN).select_related("applicant")
    )
    sheets: dict[int, dict[str, dict[str, str]]] = {}
    for sheet in PanelSheet.objects.filter(panel=panel).select_related("judge"):
        sheets.setdefault(sheet.application_id, {})[sheet.judge.username] = sheet.scores
    missing = [
        f"{a.applicant.name}：{j}"
        for a in applications
        for j in judges
        if j.username not in sheets.get(a.pk, {})
    ]
    if missing:
        raise _fail("以下评分尚未提交：" + "、".join(missing[:20]) + ("等。" if len(missing) > 20 else "。"))
    stage = _stage(campaign, panel.stage)
    criteria = panel_criteria(panel)
    for application in applications:
        try:
            result = rules.panel_score(
                {judge: {k: Decimal(v) for k, v in s.items()} for judge, s in sheets[application.pk].items()},
                criteria,
                drop_high=panel.drop_high,
                drop_low=panel.drop_low,
            )
        except ValueError as exc:
            raise _fail(f"{application.applicant.name}：{exc}") from None
        _store_score(application, stage, result.score, False, panel.name[:100])
    panel.locked = True
    panel.save(update_fields=["locked"])
    audit_record(
        actor=actor,
        event_type="campaign.panel_locked",
        target=campaign,
        after={"panel_id": panel.pk, "scores": len(applications)},
        unit_id=campaign.unit_id,
    )
    return len(applications)
