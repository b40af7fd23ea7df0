"""The scores of each stage, the advance from one stage to the next, and the interview panels."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from ganbu.campaigns import selectors, services
from ganbu.campaigns.choices import CampaignStatus
from ganbu.campaigns.models import Campaign
from ganbu.core.errors import ServiceError
from ganbu.rules import campaign as rules

from ...forms_campaigns import (
    AdvanceForm,
    BallotScoresForm,
    PanelForm,
    ScoreForm,
)
from ...forms_common import add_service_error
from ..org_common import AuthedRequest, page_of
from .common import (
    MSG_NOT_THIS_CAMPAIGN,
    SCORES_IMPORT_PATH,
    _campaign,
    _manages,
    _render,
)

# ---------------------------------------------------------------- scores


def _scores_page(
    request: AuthedRequest,
    campaign: Campaign,
    stage_key: str,
    *,
    failed: ScoreForm | None = None,
    failed_name: str = "",
    ballot_form: BallotScoresForm | None = None,
) -> HttpResponse:
    """A stage's roster with each score and a manual score form per row (and 民主测评 from a ballot)."""
    plan = services.plan_of(campaign)
    stages = [s for s in plan.stages if s.kind is not rules.StageKind.INSPECTION]
    stage = next((s for s in stages if s.key == stage_key), stages[0] if stages else None)
    manage = _manages(request, campaign) and campaign.status == CampaignStatus.SCORING
    page, query, rows = None, "", []
    if stage is not None:
        page, query = page_of(request, selectors.stage_roster(campaign, stage.key))
        for a in page:
            own = getattr(a, "stage_scores", [])
            score = own[0] if own else None
            form = None
            if manage:
                form = ScoreForm(
                    auto_id=f"s{a.pk}_%s",
                    initial={
                        "application": a.pk,
                        "stage": stage.key,
                        "score": "" if score is None or score.absent else f"{score.score}",
                        "absent": bool(score and score.absent),
                    },
                )
            rows.append({"application": a, "score": score, "form": form})
        if manage and stage.kind is rules.StageKind.EVALUATION and ballot_form is None:
            ballot_form = BallotScoresForm(
                prefix="bl", initial={"stage": stage.key}, ballots=selectors.evaluation_ballots(request.user)
            )
    lines = dict(zip([s.key for s in plan.stages], plan.describe(), strict=True))
    context = {
        "stages": stages,
        "stage": stage,
        "stage_line": lines.get(stage.key, "") if stage is not None else "",
        "page": page,
        "query": query,
        "rows": rows,
        "failed": failed,
        "failed_name": failed_name,
        "ballot_form": ballot_form if manage else None,
        "import_url": SCORES_IMPORT_PATH.format(pk=campaign.pk),
        "manage_scores": manage,
    }
    status = 400 if failed is not None or (ballot_form is not None and ballot_form.is_bound) else 200
    return _render(request, campaign, "scores", "scores.html", context, status)


@login_required
@require_GET
def scores(request: AuthedRequest, pk: int) -> HttpResponse:
    """The scores of one stage (``?stage=``), with the link to the Excel import."""
    campaign = _campaign(request, pk)
    return _scores_page(request, campaign, request.GET.get("stage", "")[:40])


@login_required
@require_POST
def score_set(request: AuthedRequest, pk: int) -> HttpResponse:
    """One score by hand (``services.stage_score_set``)."""
    campaign = _campaign(request, pk)
    form = ScoreForm(request.POST)
    name = ""
    stage_key = ""
    if form.is_valid():
        d = form.cleaned_data
        stage_key = d["stage"]
        try:
            try:
                application = selectors.application_get(campaign=campaign, application_id=d["application"])
            except Http404:
                raise ValidationError(MSG_NOT_THIS_CAMPAIGN) from None
            name = application.applicant.name
            services.stage_score_set(
                actor=request.user,
                application=application,
                stage=d["stage"],
                score=d["score"],
                absent=d["absent"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已录入{name}的成绩。")
            url = reverse("web:campaign-scores", args=[campaign.pk])
            page = request.POST.get("page", "")
            query = urlencode({"stage": stage_key, "page": page if page.isdigit() else "1"})
            return redirect(f"{url}?{query}")
    fresh = selectors.campaign_get(user=request.user, campaign_id=pk)
    stage_key = stage_key or request.POST.get("stage", "")[:40]
    return _scores_page(request, fresh, stage_key, failed=form, failed_name=name)


@login_required
@require_POST
def scores_from_ballot(request: AuthedRequest, pk: int) -> HttpResponse:
    """A 民主测评 stage's scores from a counted ballot (``services.evaluation_scores_from_ballot``)."""
    campaign = _campaign(request, pk)
    form = BallotScoresForm(request.POST, prefix="bl", ballots=selectors.evaluation_ballots(request.user))
    if form.is_valid():
        d = form.cleaned_data
        try:
            n = services.evaluation_scores_from_ballot(
                actor=request.user, campaign=campaign, stage=d["stage"], ballot=d["ballot"]
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已从民主测评折算 {n} 人的成绩。")
            url = reverse("web:campaign-scores", args=[campaign.pk])
            return redirect(f"{url}?{urlencode({'stage': d['stage']})}")
    fresh = selectors.campaign_get(user=request.user, campaign_id=pk)
    return _scores_page(request, fresh, request.POST.get("bl-stage", ""), ballot_form=form)


# ---------------------------------------------------------------- stages


def _stages_page(
    request: AuthedRequest, campaign: Campaign, *, failed: AdvanceForm | None = None
) -> HttpResponse:
    """The stage plan with how many stand at each stage and the form that lets them through."""
    plan = services.plan_of(campaign)
    counts = selectors.stage_counts(campaign)
    manage = _manages(request, campaign) and campaign.status == CampaignStatus.SCORING
    keys = [s.key for s in plan.stages]
    rows = []
    for n, (line, s) in enumerate(zip(plan.describe(), plan.stages, strict=True)):
        following = plan.next_stage(s.key)
        # Someone stands further on: this stage's cut is made (those left here did not go on).
        done = any(counts[k] for k in keys[n + 1 :])
        form = None
        if manage and following is not None and counts[s.key] and not done:
            if failed is not None and failed.data.get("stage") == s.key:
                form = failed
            elif s.cut_ratio is None:
                candidates = [(a.pk, a.applicant.name) for a in selectors.stage_applications(campaign, s.key)]
                form = AdvanceForm(initial={"stage": s.key}, candidates=candidates)
            else:
                form = AdvanceForm(initial={"stage": s.key})
        rows.append(
            {"stage": s, "line": line, "count": counts[s.key], "next": following, "form": form, "done": done}
        )
    context = {"rows": rows, "citation": plan.citation}
    return _render(request, campaign, "stages", "stages.html", context, 400 if failed is not None else 200)


@login_required
@require_GET
def stages(request: AuthedRequest, pk: int) -> HttpResponse:
    """The stages and who stands where."""
    return _stages_page(request, _campaign(request, pk))


@login_required
@require_POST
def stage_advance(request: AuthedRequest, pk: int) -> HttpResponse:
    """Let the candidates through from a stage (``services.stage_advance``); the cut list is shown after."""
    campaign = _campaign(request, pk)
    key = request.POST.get("stage", "")[:40]
    plan = services.plan_of(campaign)
    spec = next((s for s in plan.stages if s.key == key), None)
    in_stage = list(selectors.stage_applications(campaign, key)) if spec and spec.cut_ratio is None else []
    form = AdvanceForm(request.POST, candidates=[(a.pk, a.applicant.name) for a in in_stage])
    if form.is_valid():
        excluded = set(form.cleaned_data.get("exclude") or [])
        try:
            advance = services.stage_advance(
                actor=request.user,
                campaign=campaign,
                stage=key,
                exclude=[a for a in in_stage if a.pk in excluded],
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, advance.summary)
            for note in advance.cut.notes if advance.cut is not None else ():
                if note not in advance.summary:  # the cut list's sentence usually carries its notes
                    messages.info(request, f"{note}。")
            return redirect("web:campaign-stages", pk=campaign.pk)
    return _stages_page(request, selectors.campaign_get(user=request.user, campaign_id=pk), failed=form)


# ---------------------------------------------------------------- interview panels


def _panel_stage(campaign: Campaign, key: str) -> str:
    """The stage a new panel is for: ``key`` if it is one, else the first interview (or first) stage."""
    plan = services.plan_of(campaign)
    keys = [s.key for s in plan.stages if s.kind is not rules.StageKind.INSPECTION]
    if key in keys:
        return key
    interviews = [s.key for s in plan.stages if s.kind is rules.StageKind.INTERVIEW]
    return interviews[0] if interviews else keys[0]


def _panel_form(request: AuthedRequest, campaign: Campaign, stage: str, data: Any = None) -> PanelForm:
    """The new-panel form for ``stage``: candidates are those standing at it, all ticked."""
    plan = services.plan_of(campaign)
    return PanelForm(
        data,
        prefix="pn",
        stages=[(s.key, s.label) for s in plan.stages if s.kind is not rules.StageKind.INSPECTION],
        judges=selectors.judge_users(),
        candidates=[
            (a.pk, f"{a.applicant.name}（{a.ticket}）") for a in selectors.stage_applications(campaign, stage)
        ],
        initial={
            "stage": stage,
            "drop_high": 1,
            "drop_low": 1,
            "crit_label_1": "综合分析",
            "crit_max_1": 30,
            "crit_label_2": "言语表达",
            "crit_max_2": 20,
            "crit_label_3": "应变能力",
            "crit_max_3": 20,
            "crit_label_4": "岗位匹配",
            "crit_max_4": 30,
        },
    )


def _panels_page(
    request: AuthedRequest,
    campaign: Campaign,
    stage: str,
    *,
    form: PanelForm | None = None,
    errors: list[str] | None = None,
) -> HttpResponse:
    """The panels with their progress and lock buttons, and the new-panel form."""
    manage = _manages(request, campaign) and campaign.status == CampaignStatus.SCORING
    panels = selectors.panels_of(campaign)
    labels = {s.key: s.label for s in services.plan_of(campaign).stages}
    rows = [
        {
            "panel": p,
            "stage_label": labels.get(p.stage, p.stage),
            "judges": list(p.judges.all()),
            "needed": getattr(p, "candidates_count", 0) * len(p.judges.all()),
        }
        for p in panels
    ]
    plan = services.plan_of(campaign)
    context = {
        "rows": rows,
        "form": form if form is not None else _panel_form(request, campaign, stage) if manage else None,
        "panel_stage": stage,
        "stage_choices": [(s.key, s.label) for s in plan.stages if s.kind is not rules.StageKind.INSPECTION],
        "manage_panels": manage,
        "action_errors": errors or [],
    }
    failed = (form is not None and form.is_bound) or bool(errors)
    return _render(request, campaign, "panels", "panels.html", context, 400 if failed else 200)


@login_required
@require_GET
def panels(request: AuthedRequest, pk: int) -> HttpResponse:
    """The interview panels; the new-panel form is for ``?stage=`` (default: the interview)."""
    campaign = _campaign(request, pk)
    return _panels_page(request, campaign, _panel_stage(campaign, request.GET.get("stage", "")))


@login_required
@require_POST
def panel_create(request: AuthedRequest, pk: int) -> HttpResponse:
    """Set up an interview panel (``services.panel_create``)."""
    campaign = _campaign(request, pk)
    stage = _panel_stage(campaign, request.POST.get("pn-stage", ""))
    form = _panel_form(request, campaign, stage, request.POST)
    if form.is_valid():
        d = form.cleaned_data
        chosen = set(d["candidates"])
        try:
            panel = services.panel_create(
                actor=request.user,
                campaign=campaign,
                stage=d["stage"],
                name=d["name"],
                judges=list(d["judges"]),
                criteria=form.criteria(),
                applications=[a for a in selectors.stage_applications(campaign, stage) if a.pk in chosen],
                drop_high=d["drop_high"],
                drop_low=d["drop_low"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已组建「{panel.name}」，考官可登录评分。")
            return redirect("web:campaign-panels", pk=campaign.pk)
    return _panels_page(request, selectors.campaign_get(user=request.user, campaign_id=pk), stage, form=form)


@login_required
@require_POST
def panel_lock(request: AuthedRequest, pk: int, panel_id: int) -> HttpResponse:
    """Lock a panel once every sheet is in: the trimmed means become the stage's scores."""
    campaign = _campaign(request, pk)
    panel = selectors.panel_get(campaign=campaign, panel_id=panel_id)
    try:
        n = services.panel_lock(actor=request.user, panel=panel)
    except ServiceError as exc:
        fresh = selectors.campaign_get(user=request.user, campaign_id=pk)
        return _panels_page(request, fresh, _panel_stage(fresh, panel.stage), errors=list(exc.messages))
    messages.success(request, f"「{panel.name}」已锁定，{n} 人的面试成绩已计入。")
    return redirect("web:campaign-panels", pk=campaign.pk)
