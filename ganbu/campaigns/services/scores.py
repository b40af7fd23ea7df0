"""Scores: starting the exams, single scores, the score import, evaluation scores from a ballot."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from django.db import transaction

from ganbu.accounts.models import User
from ganbu.core.access import can_edit_unit
from ganbu.core.audit import audit_record
from ganbu.core.errors import ServiceError
from ganbu.rules import campaign as rules
from ganbu.rules.campaign_scoring import score_text

from ..choices import ApplicationStatus, CampaignStatus
from ..models import (
    Application,
    Campaign,
    StageScore,
)
from .common import MSG_STATUS, _fail, _locked, _require_manage, plan_of

# ---------------------------------------------------------------- scores


def parse_score(value: Any, *, what: str = "成绩") -> Decimal:
    """A score as typed or imported: a number with at most two decimals, 0 or more (never a float)."""
    if isinstance(value, float):
        value = repr(value)
    try:
        score = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise _fail(f"{what}“{value}”不是数字。") from None
    if not score.is_finite() or score < 0 or score.as_tuple().exponent < -2:  # type: ignore[operator]
        raise _fail(f"{what}“{value}”应为不小于 0、最多两位小数的数字。")
    return score


def _reached(campaign: Campaign, application: Application, stage: rules.Stage) -> bool:
    """Whether the applicant has reached ``stage`` (stands at it or at a later one)."""
    keys = [s.key for s in plan_of(campaign).stages]
    return bool(application.stage_reached) and keys.index(application.stage_reached) >= keys.index(stage.key)


def _scorable(stage: rules.Stage) -> None:
    """组织考察 is no score: it is the inspection of the appointment procedure."""
    if stage.kind == rules.StageKind.INSPECTION:
        raise _fail(f"{stage.label}不计分。", "stage")


def _stage(campaign: Campaign, key: str) -> rules.Stage:
    """A stage of the campaign's plan, or a refusal naming the stages there are."""
    plan = plan_of(campaign)
    try:
        return plan.stage(key)
    except (KeyError, ValueError):
        names = "、".join(f"{s.label}（{s.key}）" for s in plan.stages)
        raise _fail(f"本次选拔没有“{key}”环节，环节为：{names}。", "stage") from None


def _store_score(
    application: Application, stage: rules.Stage, score: Decimal, absent: bool, source: str
) -> None:
    """Write one stage score, refusing one above the stage's full mark."""
    if score > Decimal(stage.full_mark.numerator) / Decimal(stage.full_mark.denominator):
        raise _fail(f"{stage.label}成绩 {score} 超过满分 {score_text(stage.full_mark)}。")
    StageScore.objects.update_or_create(
        application=application,
        stage=stage.key,
        defaults={"score": score, "absent": absent, "source": source},
    )


@transaction.atomic(durable=True)
def stage_score_set(
    *, actor: User, application: Application, stage: str, score: Any, absent: bool = False
) -> StageScore:
    """Enter one score by hand (a correction or a small campaign)."""
    campaign = _locked(application.campaign)
    _require_manage(actor, campaign)
    if campaign.status != CampaignStatus.SCORING:
        raise _fail(MSG_STATUS.format(status=CampaignStatus(campaign.status).label, action="录入成绩"))
    spec = _stage(campaign, stage)
    _scorable(spec)
    if application.status != ApplicationStatus.QUALIFIED or not _reached(campaign, application, spec):
        raise _fail(f"只有资格审查通过且进入{spec.label}的人员才能录入{spec.label}成绩。")
    value = Decimal(0) if absent else parse_score(score, what=spec.label)
    _store_score(application, spec, value, absent, f"手工录入（{actor}）")
    audit_record(
        actor=actor,
        event_type="campaign.score_set",
        target=campaign,
        after={"application_id": application.pk, "stage": stage, "absent": absent},
        unit_id=campaign.unit_id,
    )
    return StageScore.objects.get(application=application, stage=stage)


@dataclass(frozen=True)
class ScoreRow:
    """One imported row: who (ID number or ticket), the score text, absent or not, the row number."""

    line: int
    who: str
    score: str
    absent: bool = False


# Rows per statement of an import: small enough for SQLite's variable limit and a moving progress bar.
SCORE_BATCH = 200


@transaction.atomic(durable=True)
def stage_scores_import(
    *,
    actor: User,
    campaign: Campaign,
    stage: str,
    rows: Sequence[ScoreRow],
    source: str,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Import a stage's scores (笔试 from Excel, an external exam): all rows or none.

    Each row names the applicant by ID number or ticket; every problem is reported with its row
    number (unknown person, not in this stage, a duplicate, not a number, above the full mark) and
    nothing is written when any row fails. ``progress(n)`` is told the number of rows written after
    each batch (inside the transaction: nothing is visible to others until all are committed).
    """
    campaign = _locked(campaign)
    _require_manage(actor, campaign)
    if campaign.status != CampaignStatus.SCORING:
        raise _fail(MSG_STATUS.format(status=CampaignStatus(campaign.status).label, action="导入成绩"))
    spec = _stage(campaign, stage)
    _scorable(spec)
    if not rows:
        raise _fail("文件中没有成绩。")
    applications = list(campaign.applications.select_related("applicant"))
    by_key: dict[str, Application] = {}
    for a in applications:
        # An ID number on two applications (an identity conflict, settled) names the one that passed.
        if a.status == ApplicationStatus.QUALIFIED or a.applicant.id_number not in by_key:
            by_key[a.applicant.id_number] = a
        if a.ticket:
            by_key[a.ticket] = a
    errors: list[str] = []
    seen: dict[int, int] = {}
    ready: list[tuple[Application, Decimal, bool]] = []
    full = Decimal(spec.full_mark.numerator) / Decimal(spec.full_mark.denominator)
    for row in rows:
        who = row.who.strip().upper()
        application = by_key.get(who)
        if application is None:
            errors.append(f"第 {row.line} 行：身份证号或准考证号“{row.who}”不是本次选拔的报名人员。")
            continue
        if application.status != ApplicationStatus.QUALIFIED or not _reached(campaign, application, spec):
            errors.append(
                f"第 {row.line} 行：{application.applicant.name}未通过资格审查或未进入{spec.label}。"
            )
            continue
        if application.pk in seen:
            errors.append(
                f"第 {row.line} 行：{application.applicant.name}与第 {seen[application.pk]} 行重复。"
            )
            continue
        seen[application.pk] = row.line
        if row.absent and row.score.strip():
            errors.append(f"第 {row.line} 行：{application.applicant.name}同时填写了成绩和缺考，请只填一项。")
            continue
        if row.absent:
            ready.append((application, Decimal(0), True))
            continue
        try:
            value = parse_score(row.score, what=spec.label)
        except ServiceError as exc:
            errors.append(f"第 {row.line} 行：{'；'.join(exc.messages)}")
            continue
        if value > full:
            errors.append(
                f"第 {row.line} 行：{spec.label}成绩 {value} 超过满分 {score_text(spec.full_mark)}。"
            )
            continue
        ready.append((application, value, False))
    if errors:
        raise ServiceError(errors)
    # One statement per batch, replacing earlier scores of the stage (a re-import corrects them).
    for start in range(0, len(ready), SCORE_BATCH):
        StageScore.objects.bulk_create(
            [
                StageScore(application=a, stage=spec.key, score=value, absent=absent, source=source[:100])
                for a, value, absent in ready[start : start + SCORE_BATCH]
            ],
            update_conflicts=True,
            unique_fields=["application", "stage"],
            update_fields=["score", "absent", "source"],
        )
        if progress is not None:
            progress(min(start + SCORE_BATCH, len(ready)))
    audit_record(
        actor=actor,
        event_type="campaign.scores_imported",
        target=campaign,
        after={"stage": stage, "rows": len(ready)},
        reason=source[:300],
        unit_id=campaign.unit_id,
    )
    return len(ready)


# The conversion of a 民主测评 result into a stage score: the share of each grade times its points.
# Local practice, stated in the campaign's announcement (rules.md MODE-09, UNCONFIRMED).
EVALUATION_POINTS = {"excellent": 100, "competent": 80, "basic": 60, "incompetent": 0}
CITE_EVALUATION_POINTS = (
    "本次选拔公告所定民主测评折算办法：优秀 100 分、称职 80 分、基本称职 60 分、不称职 0 分，"
    "按各等次得票比例加权（地方做法，rules.md MODE-09，UNCONFIRMED）"
)


@transaction.atomic(durable=True)
def evaluation_scores_from_ballot(*, actor: User, campaign: Campaign, stage: str, ballot: Any) -> int:
    """Take a 民主测评 stage's scores from a counted evaluation ballot of the voting app.

    Each applicant in the stage who is a registry cadre must have an item in the ballot; the score
    is Σ share × points (``EVALUATION_POINTS``), exact, rounded once to two decimals.
    """
    from ganbu.voting.choices import BallotKind, BallotStatus
    from ganbu.voting.models import Ballot, BallotResult

    campaign = _locked(campaign)
    ballot = Ballot.objects.select_related("unit").get(pk=ballot.pk)
    _require_manage(actor, campaign)
    if campaign.status != CampaignStatus.SCORING:
        raise _fail(
            MSG_STATUS.format(status=CampaignStatus(campaign.status).label, action="导入民主测评结果")
        )
    spec = _stage(campaign, stage)
    if ballot.kind != BallotKind.EVALUATION or ballot.status not in (
        BallotStatus.TALLIED,
        BallotStatus.PUBLISHED,
    ):
        raise _fail("请选择一次已计票的民主测评。", "ballot")
    if not can_edit_unit(actor, ballot.unit):
        raise _fail("投票不存在或不在您的管理范围内。", "ballot")
    results = {
        r.item.cadre_id: r.data for r in BallotResult.objects.filter(ballot=ballot).select_related("item")
    }
    in_stage = list(
        campaign.applications.filter(
            status=ApplicationStatus.QUALIFIED, stage_reached=spec.key
        ).select_related("applicant")
    )
    missing = [a.applicant.name for a in in_stage if a.applicant.cadre_id not in results]
    if missing:
        raise _fail(f"该民主测评没有以下人员的测评事项：{'、'.join(missing[:20])}。")
    for application in in_stage:
        data = results[application.applicant.cadre_id]
        if data.get("void") or not data.get("total"):
            raise _fail(f"{application.applicant.name}的民主测评无效或无有效票，不能折算成绩。")
        exact = sum(
            (Fraction(share) * EVALUATION_POINTS[grade] for grade, share in data.get("shares", {}).items()),
            Fraction(0),
        )
        _store_score(
            application, spec, rules.round_half_up(exact, 2), False, f"民主测评（投票编号 {ballot.pk}）"
        )
    audit_record(
        actor=actor,
        event_type="campaign.scores_imported",
        target=campaign,
        after={"stage": stage, "rows": len(in_stage), "ballot_id": ballot.pk},
        reason=CITE_EVALUATION_POINTS,
        unit_id=campaign.unit_id,
    )
    return len(in_stage)
