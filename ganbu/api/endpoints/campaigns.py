"""Competitive selection campaigns (竞争性选拔): every staff operation through ``ganbu.campaigns.services``.

Each operation reads the campaign through ``selectors.campaign_get`` (a campaign outside the
caller's scope is a 404, the same as a missing one), reads the objects the body names through
scoped selectors (an id the caller may not see, or a post or application of another campaign, is a
422 on that field), calls one service and returns what it produced. A refusal is a 422 with the
service's Chinese message, exactly as on the web pages. The lists paginate in the database.
"""

# No ``from __future__ import annotations``: ``@paginated`` wraps the views, and ninja must see the
# ``Query[...]`` parameters as real types.
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja.params import functions as param
from ninja.responses import Status

from ganbu.accounts.models import User
from ganbu.campaigns import selectors, services
from ganbu.campaigns.choices import CampaignKind, CampaignStatus
from ganbu.campaigns.models import Application, Campaign, CampaignPost, InterviewPanel
from ganbu.core.errors import ServiceError
from ganbu.core.inputs import MSG_DATE_BEFORE_BIRTH
from ganbu.registry import selectors as registry_selectors
from ganbu.registry.models import Cadre, Unit
from ganbu.rules import campaign as rules
from ganbu.rules.inputs import RuleInputError

from ..common import READ_ERRORS, WRITE_ERRORS, actor, referenced
from ..pagination import paginated
from ..schemas import MAX_ID
from ..schemas_campaigns import (
    AdvanceIn,
    AdvanceOut,
    ApplicationDetailOut,
    ApplicationIn,
    ApplicationOut,
    ApplicationQuery,
    ApplicationWithdrawIn,
    BallotScoresIn,
    BulkIn,
    CampaignDayIn,
    CampaignIn,
    CampaignOut,
    CampaignSummaryOut,
    CountOut,
    DecideIn,
    HandOverOut,
    PanelIn,
    PanelOut,
    PostAddIn,
    RankingOut,
    ReservePoolOut,
    ReviewIn,
    ScoreIn,
    ScoreOut,
    ScoresImportIn,
    StatisticsOut,
    StatisticsQuery,
)

router = Router(tags=["竞争性选拔"])

CampaignId = param.Path(..., ge=1, le=MAX_ID, description="选拔 id")
ApplicationId = param.Path(..., ge=1, le=MAX_ID, description="报名 id")
PanelId = param.Path(..., ge=1, le=MAX_ID, description="考官组 id")
StageKey = param.Path(..., min_length=1, max_length=40, description="环节代码，如 written、interview")
MSG_UNIT = "单位不存在或不在您的管理范围内。"
MSG_POST = "职位不存在或不在您的管理范围内。"
MSG_CADRE = "干部不存在或不在您的管理范围内。"
MSG_CAMPAIGN_POST = "该职位不是本次选拔的职位。"
MSG_APPLICATION = "该报名不属于本次选拔。"
MSG_JUDGE = "考官须为在用的面试考官账号。"
MSG_BALLOT = "请选择一次您可查看的、已计票的民主测评。"
MSG_NO_DATA = "请填写在册干部（cadre_id）或报名人员信息（applicant）之一。"
# Service errors name the page's fields; the API's inputs name the ids.
ALIASES = {
    "first_choice": "first_choice_id",
    "second_choice": "second_choice_id",
    "applications": "application_ids",
    "judges": "judge_ids",
    "exclude": "exclude_ids",
    "scope_units": "scope_unit_ids",
    "ballot": "ballot_id",
}
APPLICANT_FIELDS = {"id_number", "name", "gender", "political_status"}


def _call(fn: Callable[..., Any], aliases: Mapping[str, str] = ALIASES, **kwargs: Any) -> Any:
    """Call a service; its field errors are renamed to the API's input names."""
    try:
        return fn(**kwargs)
    except ServiceError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ServiceError({aliases.get(k, k): v for k, v in exc.message_dict.items()}) from None


def _campaign(user: User, campaign_id: int) -> Campaign:
    """A campaign the caller may see (404 otherwise)."""
    return selectors.campaign_get(user=user, campaign_id=campaign_id)


def _campaign_post(campaign: Campaign, field: str, pk: int | None) -> CampaignPost | None:
    """A post of this campaign named in the body, or a 422 on ``field``."""
    if pk is None:
        return None
    found = next((cp for cp in selectors.campaign_posts(campaign) if cp.pk == pk), None)
    if found is None:
        raise ServiceError({field: [MSG_CAMPAIGN_POST]})
    return found


def _application(campaign: Campaign, application_id: int, field: str | None = None) -> Application:
    """An application of this campaign: from the URL a 404, from the body a 422 on ``field``."""
    fetch = partial(selectors.application_get, campaign=campaign, application_id=application_id)
    return fetch() if field is None else referenced(field, MSG_APPLICATION, fetch)


def _unit(user: User, field: str, unit_id: int) -> Unit:
    """A unit in scope named in the body, or a 422."""
    return referenced(
        field, MSG_UNIT, partial(registry_selectors.unit_get_for_user, user=user, unit_id=unit_id)
    )


def _cadre(user: User, field: str, cadre_id: int) -> Cadre:
    """A cadre in scope named in the body, or a 422."""
    return referenced(
        field, MSG_CADRE, partial(registry_selectors.cadre_get_for_user, user=user, cadre_id=cadre_id)
    )


def _out(campaign: Campaign) -> dict[str, Any]:
    """The campaign as the API shows it (a fixed number of queries)."""
    campaign = Campaign.objects.select_related("unit").get(pk=campaign.pk)
    return {
        "id": campaign.pk,
        "kind": campaign.kind,
        "kind_label": CampaignKind(campaign.kind).label,
        "title": campaign.title,
        "unit_id": campaign.unit_id,
        "status": campaign.status,
        "status_label": CampaignStatus(campaign.status).label,
        "announcement": campaign.announcement,
        "registration_start": campaign.registration_start,
        "registration_end": campaign.registration_end,
        "cutoff": campaign.cutoff,
        "eligibility": campaign.eligibility,
        "conditions": list(services.spec_of(campaign).describe(campaign.cutoff)),
        "stages": campaign.stages,
        "plan": list(services.plan_of(campaign).describe()),
        "allow_second_choice": campaign.allow_second_choice,
        "reserve_top_n": campaign.reserve_top_n,
        "reserve_level": campaign.reserve_level,
        "scope_unit_ids": list(campaign.scope_units.values_list("pk", flat=True)),
        "posts": [
            {
                "id": cp.pk,
                "post_id": cp.post_id,
                "name": str(cp.post),
                "places": cp.places,
                "applications": getattr(cp, "first_count", 0),
                "qualified": getattr(cp, "qualified_count", 0),
            }
            for cp in selectors.campaign_posts(campaign)
        ],
        "counts": selectors.application_counts(campaign),
    }


def _application_out(application: Application) -> Application:
    """An application re-read with what its detail shows (the scores attached)."""
    fresh = selectors.application_get(campaign=application.campaign, application_id=application.pk)
    fresh.score_rows = selectors.application_scores(fresh)  # type: ignore[attr-defined]
    return fresh


def _ranking_out(campaign: Campaign) -> dict[str, Any]:
    """The stored ranking with the allocation's notes (``selectors.ranked_applications``), in order."""
    summary = selectors.ranking_summary(campaign)
    entries = [
        {
            "application_id": a.pk,
            "name": a.applicant.name,
            "place": a.place,
            "note": a.place_note,
            "total": a.total,
            "assigned_post_id": a.assigned_post_id,
            "placement": a.placement_note,
            "outcome": a.outcome,
        }
        for a in selectors.ranked_applications(campaign)
    ]
    return {
        "entries": entries,
        "tie_rules": list(summary.tie_rules_text),
        "method": summary.method,
        "notes": list(summary.notes),
        "citation": summary.citation if entries else "",
    }


def _pool_out(pool: rules.ReservePool) -> dict[str, Any]:
    """A reserve pool as the API shows it."""
    return {
        "summary": pool.summary,
        "entries": [
            {"application_id": int(e.key), "name": e.entry.display, "place": e.place} for e in pool.entries
        ],
        "citation": pool.citation,
    }


def _panel_out(panel: InterviewPanel) -> dict[str, Any]:
    """A panel with its judges and progress."""
    return {
        "id": panel.pk,
        "stage": panel.stage,
        "name": panel.name,
        "judge_ids": [j.pk for j in panel.judges.all()],
        "criteria": panel.criteria,
        "drop_high": panel.drop_high,
        "drop_low": panel.drop_low,
        "locked": panel.locked,
        "candidates": getattr(panel, "candidates_count", 0),
        "sheets": getattr(panel, "sheets_count", 0),
    }


# ---------------------------------------------------------------- campaigns


@router.get(
    "/campaigns",
    response=list[CampaignSummaryOut],
    summary="竞争性选拔列表",
    operation_id="campaign_list",
)
@paginated
def campaign_list(request: HttpRequest) -> Any:
    """The caller's campaigns, newest first, with posts and applications counted."""
    return selectors.campaign_list(user=actor(request))


@router.post(
    "/campaigns",
    response={201: CampaignOut, **WRITE_ERRORS},
    summary="新建竞争性选拔（草稿）",
    operation_id="campaign_create",
)
def campaign_create(request: HttpRequest, payload: CampaignIn) -> Any:
    """``services.campaign_create``: the announcement, timetable, eligibility rules and stage plan."""
    user = actor(request)
    campaign = _call(
        services.campaign_create,
        actor=user,
        kind=payload.kind,
        title=payload.title,
        unit=_unit(user, "unit_id", payload.unit_id),
        announcement=payload.announcement,
        registration_start=payload.registration_start,
        registration_end=payload.registration_end,
        cutoff=payload.cutoff,
        eligibility=payload.eligibility,
        stages=payload.stages,
        allow_second_choice=payload.allow_second_choice,
        reserve_top_n=payload.reserve_top_n,
        reserve_level=payload.reserve_level,
        scope_units=[_unit(user, "scope_unit_ids", pk) for pk in payload.scope_unit_ids],
    )
    return Status(201, _out(campaign))


@router.get(
    "/campaigns/{campaign_id}",
    response={200: CampaignOut, **READ_ERRORS},
    summary="竞争性选拔详情（公告、报名条件、考试环节、职位）",
    operation_id="campaign_get",
)
def campaign_get(request: HttpRequest, campaign_id: int = CampaignId) -> Any:
    """One campaign with its conditions and plan as data and in words."""
    return _out(_campaign(actor(request), campaign_id))


@router.post(
    "/campaigns/{campaign_id}/posts",
    response={201: CampaignOut, **WRITE_ERRORS},
    summary="列出选拔职位（职数内）",
    operation_id="campaign_post_add",
)
def campaign_post_add(request: HttpRequest, payload: PostAddIn, campaign_id: int = CampaignId) -> Any:
    """``services.campaign_post_add``."""
    user = actor(request)
    campaign = _campaign(user, campaign_id)
    post = referenced(
        "post_id", MSG_POST, partial(registry_selectors.post_get_for_user, user=user, post_id=payload.post_id)
    )
    _call(services.campaign_post_add, actor=user, campaign=campaign, post=post, places=payload.places)
    return Status(201, _out(campaign))


def _move(service: Callable[..., Any], summary: str, path: str, operation_id: str) -> None:
    """Register one life-cycle move: POST, no body, the campaign as it now stands."""

    def move(request: HttpRequest, campaign_id: int = CampaignId) -> Any:
        user = actor(request)
        campaign = _campaign(user, campaign_id)
        _call(service, actor=user, campaign=campaign)
        return _out(campaign)

    move.__doc__ = f"``services.{service.__name__}``."
    move.__name__ = operation_id
    router.post(
        f"/campaigns/{{campaign_id}}/{path}",
        response={200: CampaignOut, **WRITE_ERRORS},
        summary=summary,
        operation_id=operation_id,
    )(move)


_move(services.campaign_open, "发布公告、开始报名", "open", "campaign_open")
_move(
    services.campaign_close_registration,
    "截止报名、开始资格审查",
    "close-registration",
    "campaign_close_registration",
)
_move(
    services.campaign_start_scoring, "结束资格审查、开始考试与测评", "start-scoring", "campaign_start_scoring"
)
_move(services.campaign_publish, "公布结果", "publish", "campaign_publish")
_move(services.campaign_close, "结束本次选拔", "close", "campaign_close")


# ---------------------------------------------------------------- applications


@router.get(
    "/campaigns/{campaign_id}/applications",
    response=list[ApplicationOut],
    summary="报名列表（按状态、职位、环节、单位筛选）",
    operation_id="campaign_applications",
)
@paginated
def application_list(
    request: HttpRequest, filters: Query[ApplicationQuery], campaign_id: int = CampaignId
) -> Any:
    """The applications, filtered (``unit_id``: the applicants of a unit and those under it)."""
    user = actor(request)
    return selectors.application_list(
        user=user,
        campaign=_campaign(user, campaign_id),
        status=filters.status,
        post_id=filters.post_id,
        q=filters.q,
        stage=filters.stage,
        unit_id=filters.unit_id,
    )


@router.post(
    "/campaigns/{campaign_id}/applications",
    response={201: ApplicationDetailOut, **WRITE_ERRORS},
    summary="登记报名（在册干部或社会报名人员）",
    operation_id="campaign_application_enter",
)
def application_enter(request: HttpRequest, payload: ApplicationIn, campaign_id: int = CampaignId) -> Any:
    """``services.application_enter``: the eligibility findings come back with the application."""
    user = actor(request)
    campaign = _campaign(user, campaign_id)
    if (payload.cadre_id is None) == (payload.applicant is None):
        raise ServiceError({"cadre_id": [MSG_NO_DATA]})
    first = _campaign_post(campaign, "first_choice_id", payload.first_choice_id)
    second = _campaign_post(campaign, "second_choice_id", payload.second_choice_id)
    data = None
    if payload.applicant is not None:
        data = services.ApplicantData(**payload.applicant.dict())
    aliases = {**ALIASES, **{f: f"applicant.{f}" for f in APPLICANT_FIELDS}} if data else ALIASES
    application = _call(
        services.application_enter,
        aliases,
        actor=user,
        campaign=campaign,
        first_choice=first,
        second_choice=second,
        cadre=_cadre(user, "cadre_id", payload.cadre_id) if payload.cadre_id else None,
        data=data,
    )
    return Status(201, _application_out(application))


@router.post(
    "/campaigns/{campaign_id}/applications/bulk",
    response={201: CountOut, **WRITE_ERRORS},
    summary="批量登记报名（在册干部，全部或全不）",
    operation_id="campaign_applications_bulk",
)
def applications_bulk(request: HttpRequest, payload: BulkIn, campaign_id: int = CampaignId) -> Any:
    """``services.applications_enter_bulk``: one row refused, nothing written, every row's error named."""
    user = actor(request)
    campaign = _campaign(user, campaign_id)
    rows = []
    for n, row in enumerate(payload.rows):
        first = _campaign_post(campaign, f"rows.{n}.first_choice_id", row.first_choice_id)
        assert first is not None
        rows.append(
            (
                _cadre(user, f"rows.{n}.cadre_id", row.cadre_id),
                first,
                _campaign_post(campaign, f"rows.{n}.second_choice_id", row.second_choice_id),
            )
        )
    count = _call(services.applications_enter_bulk, actor=user, campaign=campaign, rows=rows)
    return Status(201, {"count": count})


@router.get(
    "/campaigns/{campaign_id}/applications/{application_id}",
    response={200: ApplicationDetailOut, **READ_ERRORS},
    summary="报名详情（资格条件核对、审查、成绩）",
    operation_id="campaign_application",
)
def application_get(
    request: HttpRequest, campaign_id: int = CampaignId, application_id: int = ApplicationId
) -> Any:
    """One application with its findings and scores."""
    campaign = _campaign(actor(request), campaign_id)
    return _application_out(_application(campaign, application_id))


@router.post(
    "/campaigns/{campaign_id}/applications/{application_id}/review",
    response={200: ApplicationDetailOut, **WRITE_ERRORS},
    summary="资格审查（通过、不通过，或组织部领导批准破格入围）",
    operation_id="campaign_application_review",
)
def application_review(
    request: HttpRequest,
    payload: ReviewIn,
    campaign_id: int = CampaignId,
    application_id: int = ApplicationId,
) -> Any:
    """``services.application_review``; an application with findings passes only as an exception."""
    user = actor(request)
    application = _application(_campaign(user, campaign_id), application_id)
    _call(
        services.application_review,
        actor=user,
        application=application,
        passed=payload.passed,
        note=payload.note,
        exceptional=payload.exceptional,
    )
    return _application_out(application)


@router.post(
    "/campaigns/{campaign_id}/applications/{application_id}/withdraw",
    response={200: ApplicationDetailOut, **WRITE_ERRORS},
    summary="登记退出选拔",
    operation_id="campaign_application_withdraw",
)
def application_withdraw(
    request: HttpRequest,
    payload: ApplicationWithdrawIn,
    campaign_id: int = CampaignId,
    application_id: int = ApplicationId,
) -> Any:
    """``services.application_withdraw`` (through staff)."""
    user = actor(request)
    application = _application(_campaign(user, campaign_id), application_id)
    _call(services.application_withdraw, actor=user, application=application, reason=payload.reason)
    return _application_out(application)


# ---------------------------------------------------------------- scores and stages


@router.put(
    "/campaigns/{campaign_id}/applications/{application_id}/scores/{stage}",
    response={200: ScoreOut, **WRITE_ERRORS},
    summary="录入或更正一项成绩",
    operation_id="campaign_score_set",
)
def score_set(
    request: HttpRequest,
    payload: ScoreIn,
    campaign_id: int = CampaignId,
    application_id: int = ApplicationId,
    stage: str = StageKey,
) -> Any:
    """``services.stage_score_set``: a decimal with at most two places, not above the full mark."""
    user = actor(request)
    application = _application(_campaign(user, campaign_id), application_id)
    return _call(
        services.stage_score_set,
        actor=user,
        application=application,
        stage=stage,
        score=payload.score,
        absent=payload.absent,
    )


@router.post(
    "/campaigns/{campaign_id}/stages/{stage}/scores",
    response={201: CountOut, **WRITE_ERRORS},
    summary="导入一个环节的成绩（全部或全不，逐行说明错误）",
    operation_id="campaign_scores_import",
)
def scores_import(
    request: HttpRequest, payload: ScoresImportIn, campaign_id: int = CampaignId, stage: str = StageKey
) -> Any:
    """``services.stage_scores_import``; row n of the body is row n in the messages."""
    user = actor(request)
    rows = [
        services.ScoreRow(line=n, who=r.who, score=r.score, absent=r.absent)
        for n, r in enumerate(payload.rows, start=1)
    ]
    count = _call(
        services.stage_scores_import,
        actor=user,
        campaign=_campaign(user, campaign_id),
        stage=stage,
        rows=rows,
        source=payload.source,
    )
    return Status(201, {"count": count})


@router.post(
    "/campaigns/{campaign_id}/stages/{stage}/scores-from-ballot",
    response={201: CountOut, **WRITE_ERRORS},
    summary="从已计票的民主测评折算环节成绩",
    operation_id="campaign_scores_from_ballot",
)
def scores_from_ballot(
    request: HttpRequest, payload: BallotScoresIn, campaign_id: int = CampaignId, stage: str = StageKey
) -> Any:
    """``services.evaluation_scores_from_ballot``."""
    user = actor(request)
    campaign = _campaign(user, campaign_id)
    ballot = selectors.evaluation_ballots(user).filter(pk=payload.ballot_id).first()
    if ballot is None:
        raise ServiceError({"ballot_id": [MSG_BALLOT]})
    count = _call(
        services.evaluation_scores_from_ballot, actor=user, campaign=campaign, stage=stage, ballot=ballot
    )
    return Status(201, {"count": count})


@router.post(
    "/campaigns/{campaign_id}/stages/{stage}/advance",
    response={200: AdvanceOut, **WRITE_ERRORS},
    summary="确定进入下一环节的人选（按比例，名次并列的均进入）",
    operation_id="campaign_stage_advance",
)
def stage_advance(
    request: HttpRequest, payload: AdvanceIn, campaign_id: int = CampaignId, stage: str = StageKey
) -> Any:
    """``services.stage_advance``: the cut list's sentence and notes come back."""
    user = actor(request)
    campaign = _campaign(user, campaign_id)
    exclude = [_application(campaign, pk, "exclude_ids") for pk in payload.exclude_ids]
    advance = _call(
        services.stage_advance,
        actor=user,
        campaign=campaign,
        stage=stage,
        exclude=exclude,
        reason=payload.reason,
    )
    return {
        "stage": advance.stage,
        "next_stage": advance.next_stage,
        "passed": advance.passed,
        "summary": advance.summary,
        "notes": list(advance.cut.notes) if advance.cut is not None else [],
    }


# ---------------------------------------------------------------- interview panels


@router.get(
    "/campaigns/{campaign_id}/panels",
    response={200: list[PanelOut], **READ_ERRORS},
    summary="面试考官组",
    operation_id="campaign_panels",
)
def panel_list(request: HttpRequest, campaign_id: int = CampaignId) -> Any:
    """The campaign's panels with their judges and how many sheets are in."""
    return [_panel_out(p) for p in selectors.panels_of(_campaign(actor(request), campaign_id))]


@router.post(
    "/campaigns/{campaign_id}/panels",
    response={201: PanelOut, **WRITE_ERRORS},
    summary="组建面试考官组",
    operation_id="campaign_panel_create",
)
def panel_create(request: HttpRequest, payload: PanelIn, campaign_id: int = CampaignId) -> Any:
    """``services.panel_create``: judges of the judge role, criteria summing to the stage's full mark."""
    user = actor(request)
    campaign = _campaign(user, campaign_id)
    judges = list(selectors.judge_users().filter(pk__in=payload.judge_ids))
    if len(judges) != len(set(payload.judge_ids)):
        raise ServiceError({"judge_ids": [MSG_JUDGE]})
    applications = [_application(campaign, pk, "application_ids") for pk in payload.application_ids]
    panel = _call(
        services.panel_create,
        actor=user,
        campaign=campaign,
        stage=payload.stage,
        name=payload.name,
        judges=judges,
        criteria=[c.dict() for c in payload.criteria],
        applications=applications,
        drop_high=payload.drop_high,
        drop_low=payload.drop_low,
    )
    made = next(p for p in selectors.panels_of(campaign) if p.pk == panel.pk)
    return Status(201, _panel_out(made))


@router.post(
    "/campaigns/{campaign_id}/panels/{panel_id}/lock",
    response={200: PanelOut, **WRITE_ERRORS},
    summary="锁定考官组并计算面试成绩（去掉最高分、最低分后取平均）",
    operation_id="campaign_panel_lock",
)
def panel_lock(request: HttpRequest, campaign_id: int = CampaignId, panel_id: int = PanelId) -> Any:
    """``services.panel_lock``: refused while a judge's sheet is missing."""
    user = actor(request)
    campaign = _campaign(user, campaign_id)
    panel = selectors.panel_get(campaign=campaign, panel_id=panel_id)
    _call(services.panel_lock, actor=user, panel=panel)
    return _panel_out(next(p for p in selectors.panels_of(campaign) if p.pk == panel.pk))


# ---------------------------------------------------------------- ranking and outcome


@router.post(
    "/campaigns/{campaign_id}/rank",
    response={200: RankingOut, **WRITE_ERRORS},
    summary="计算综合成绩、排名并按志愿分配职位",
    operation_id="campaign_rank",
)
def campaign_rank(request: HttpRequest, campaign_id: int = CampaignId) -> Any:
    """``services.campaign_rank``; the ranking comes back with each placement's reason."""
    user = actor(request)
    campaign = _campaign(user, campaign_id)
    _call(services.campaign_rank, actor=user, campaign=campaign)
    campaign.refresh_from_db()  # the service wrote the allocation's method and notes on its own copy
    return _ranking_out(campaign)


@router.get(
    "/campaigns/{campaign_id}/ranking",
    response={200: RankingOut, **READ_ERRORS},
    summary="排名与职位分配（含名次并列规则）",
    operation_id="campaign_ranking",
)
def campaign_ranking(request: HttpRequest, campaign_id: int = CampaignId) -> Any:
    """The stored ranking and allocation (empty before ``campaign_rank``), with the tie rules."""
    return _ranking_out(_campaign(actor(request), campaign_id))


@router.post(
    "/campaigns/{campaign_id}/decide",
    response={200: RankingOut, **WRITE_ERRORS},
    summary="确定拟任用人选（每个职位不超过职数）",
    operation_id="campaign_decide",
)
def campaign_decide(request: HttpRequest, payload: DecideIn, campaign_id: int = CampaignId) -> Any:
    """``services.campaign_decide``: everyone else ranked becomes 未入选."""
    user = actor(request)
    campaign = _campaign(user, campaign_id)
    appointed = [_application(campaign, pk, "application_ids") for pk in payload.application_ids]
    _call(services.campaign_decide, actor=user, campaign=campaign, appointed=appointed)
    return _ranking_out(campaign)


@router.post(
    "/campaigns/{campaign_id}/reserve",
    response={200: ReservePoolOut, **WRITE_ERRORS},
    summary="名次线内未任用的在册干部列入后备干部",
    operation_id="campaign_reserve",
)
def campaign_reserve(request: HttpRequest, payload: CampaignDayIn, campaign_id: int = CampaignId) -> Any:
    """``services.campaign_reserve``."""
    user = actor(request)
    pool = _call(services.campaign_reserve, actor=user, campaign=_campaign(user, campaign_id), on=payload.on)
    return _pool_out(pool)


@router.post(
    "/campaigns/{campaign_id}/hand-over",
    response={201: HandOverOut, **WRITE_ERRORS},
    summary="转入选拔任用纪实（组织考察）",
    operation_id="campaign_hand_over",
)
def campaign_hand_over(request: HttpRequest, payload: CampaignDayIn, campaign_id: int = CampaignId) -> Any:
    """``services.campaign_hand_over``: one 纪实 whose candidates are the finalists per post."""
    user = actor(request)
    record = _call(
        services.campaign_hand_over, actor=user, campaign=_campaign(user, campaign_id), on=payload.on
    )
    return Status(201, {"record_id": record.pk, "title": record.title})


@router.get(
    "/campaigns/{campaign_id}/statistics",
    response={200: StatisticsOut, **READ_ERRORS},
    summary="选拔统计（竞争比例、任用人员年龄结构等）",
    operation_id="campaign_statistics",
)
def campaign_statistics(
    request: HttpRequest, query: Query[StatisticsQuery], campaign_id: int = CampaignId
) -> Any:
    """``selectors.campaign_statistics`` on ``on`` (default today), with the sentences of the report."""
    campaign = _campaign(actor(request), campaign_id)
    on = query.on or timezone.localdate()
    posts = list(selectors.campaign_posts(campaign))
    if not posts:
        raise ServiceError("尚未列出选拔职位，无法统计。")
    try:
        stats = selectors.campaign_statistics(campaign, on)
    except RuleInputError:  # a day before an applicant was born: no age on it
        raise ServiceError({"on": [MSG_DATE_BEFORE_BIRTH]}) from None
    names = {str(cp.pk): str(cp.post) for cp in posts}
    return {
        "on": on,
        "lines": list(stats.lines),
        "applicants": stats.applicants,
        "eligible": stats.eligible,
        "posts": stats.posts,
        "appointed": stats.appointed,
        "ratio": stats.ratio.text,
        "eligible_ratio": stats.eligible_ratio.text,
        "men": stats.men,
        "women": stats.women,
        "party": stats.party,
        "non_party": stats.non_party,
        "per_post": [
            {
                "campaign_post_id": int(p.post_key),
                "name": names.get(p.post_key, p.post_key),
                "places": p.places,
                "applicants": p.applicants,
                "eligible": p.eligible,
                "ratio": p.ratio.text,
                "eligible_ratio": p.eligible_ratio.text,
            }
            for p in stats.per_post
        ],
    }
