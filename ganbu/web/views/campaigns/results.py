"""The ranking, the decision, the reserve pool, the hand-over to the appointment procedure, and the
statistics."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from ganbu.campaigns import selectors, services
from ganbu.campaigns.choices import CampaignStatus, Outcome
from ganbu.campaigns.models import Application, Campaign
from ganbu.core.inputs import MSG_DATE_BEFORE_BIRTH
from ganbu.rules.inputs import RuleInputError

from ...forms_campaigns import (
    DecideForm,
    OnForm,
)
from ...forms_common import add_service_error
from ..org_common import AuthedRequest, page_of
from .common import (
    NEXT_MOVE,
    _campaign,
    _manages,
    _render,
)

# ---------------------------------------------------------------- ranking, decision, reserve


def _decide_choices(campaign: Campaign) -> tuple[list[tuple[int, str]], list[Application]]:
    """Those the allocation proposed for a post, in rank order, labelled with the post; and themselves.

    Only they can be appointed (``services.campaign_decide`` refuses anyone without a proposed post),
    so the form stays as long as the posts' places, however many were ranked.
    """
    allocated = selectors.allocated_applications(campaign)
    choices = [
        (a.pk, f"{a.place_note} {a.applicant.name} → {a.assigned_post.post}")
        for a in allocated
        if a.assigned_post is not None
    ]
    return choices, allocated


def _ranking(
    request: AuthedRequest,
    campaign: Campaign,
    *,
    decide_form: DecideForm | None = None,
    reserve_form: OnForm | None = None,
    hand_over_form: OnForm | None = None,
    errors: list[str] | None = None,
) -> HttpResponse:
    """The ranking with each person's placement, the tie rules, the decision, publication, the reserve.

    The ranking is the one ``campaign_rank`` stored: the page is a page of it in the database.
    """
    manage = _manages(request, campaign)
    page, _query = page_of(request, selectors.ranked_applications(campaign))
    ranked = page.paginator.count > 0
    ranking_open = manage and campaign.status == CampaignStatus.RANKED
    if decide_form is None and ranking_open:
        choices, allocated = _decide_choices(campaign)
        if allocated:
            decided = [a.pk for a in allocated if a.outcome == Outcome.APPOINTED]
            initial = {"appointed": decided or [a.pk for a in allocated]}
            decide_form = DecideForm(candidates=choices, initial=initial)
    if hand_over_form is None and ranking_open and ranked:
        hand_over_form = OnForm(prefix="ho", label="动议日期", initial={"on": timezone.localdate()})
    # The pool follows the decision: shown once the results are published.
    published = campaign.status in (CampaignStatus.PUBLISHED, CampaignStatus.CLOSED)
    pool = selectors.reserve_preview(campaign) if published else None
    reserve_open = manage and pool is not None
    if reserve_form is None and reserve_open:
        reserve_form = OnForm(prefix="rs", label="列入日期", initial={"on": timezone.localdate()})
    summary = selectors.ranking_summary(campaign)
    context = {
        "ranked": ranked,
        "summary": summary,
        "page": page,
        "query": "",
        "tie_rules": summary.tie_rules_text,
        "decide_form": decide_form,
        "hand_over_form": hand_over_form,
        "reserve_form": reserve_form if reserve_open else None,
        "pool": pool,
        "next_move": NEXT_MOVE.get(campaign.status) if manage else None,
        "action_errors": errors or [],
    }
    bound = (decide_form, reserve_form, hand_over_form)
    failed = bool(errors) or any(f is not None and f.is_bound for f in bound)
    return _render(request, campaign, "ranking", "ranking.html", context, 400 if failed else 200)


@login_required
@require_GET
def ranking(request: AuthedRequest, pk: int) -> HttpResponse:
    """The ranking and allocation (after ``campaign_rank``), the decision and the reserve pool."""
    return _ranking(request, _campaign(request, pk))


@login_required
@require_POST
def decide(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record the appointees among those allocated, at most the places (``services.campaign_decide``)."""
    campaign = _campaign(request, pk)
    choices, allocated = _decide_choices(campaign)
    form = DecideForm(request.POST, candidates=choices)
    if form.is_valid():
        by_pk = {a.pk: a for a in allocated}
        try:
            n = services.campaign_decide(
                actor=request.user,
                campaign=campaign,
                appointed=[by_pk[int(pk)] for pk in form.cleaned_data["appointed"]],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已确定拟任用人选 {n} 人。")
            return redirect("web:campaign-ranking", pk=campaign.pk)
    return _ranking(request, selectors.campaign_get(user=request.user, campaign_id=pk), decide_form=form)


@login_required
@require_POST
def reserve(request: AuthedRequest, pk: int) -> HttpResponse:
    """Put the unappointed of the top ranks into the reserve pool (``services.campaign_reserve``)."""
    campaign = _campaign(request, pk)
    form = OnForm(request.POST, prefix="rs", label="列入日期")
    if form.is_valid():
        try:
            on = form.cleaned_data["on"]
            pool = services.campaign_reserve(actor=request.user, campaign=campaign, on=on)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, pool.summary)
            return redirect("web:campaign-ranking", pk=campaign.pk)
    return _ranking(request, selectors.campaign_get(user=request.user, campaign_id=pk), reserve_form=form)


@login_required
@require_POST
def hand_over(request: AuthedRequest, pk: int) -> HttpResponse:
    """Pass the finalists into the appointment procedure (``services.campaign_hand_over``): one 纪实."""
    campaign = _campaign(request, pk)
    form = OnForm(request.POST, prefix="ho", label="动议日期")
    if form.is_valid():
        try:
            record = services.campaign_hand_over(
                actor=request.user, campaign=campaign, on=form.cleaned_data["on"]
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已建立选拔任用纪实「{record.title}」并确定考察对象。")
            return redirect("web:selection-detail", pk=record.pk)
    return _ranking(request, selectors.campaign_get(user=request.user, campaign_id=pk), hand_over_form=form)


# ---------------------------------------------------------------- statistics


@login_required
@require_GET
def statistics(request: AuthedRequest, pk: int) -> HttpResponse:
    """The report's figures (``selectors.campaign_statistics``) on a day, and the per-post ratios."""
    campaign = _campaign(request, pk)
    form = OnForm(
        request.GET if "on" in request.GET else None, label="年龄计算至", initial={"on": timezone.localdate()}
    )
    on = form.cleaned_data["on"] if form.is_bound and form.is_valid() else timezone.localdate()
    posts = list(selectors.campaign_posts(campaign))
    try:
        stats = selectors.campaign_statistics(campaign, on) if posts else None
    except RuleInputError:  # a day before an applicant was born: no age on it
        form.add_error("on", MSG_DATE_BEFORE_BIRTH)
        on = timezone.localdate()
        stats = selectors.campaign_statistics(campaign, on)
    labels = {str(cp.pk): str(cp.post) for cp in posts}
    per_post = [(labels.get(p.post_key, p.post_key), p) for p in stats.per_post] if stats else []
    context = {"form": form, "stats": stats, "per_post": per_post, "on": on}
    return _render(request, campaign, "statistics", "statistics.html", context, 400 if form.errors else 200)
