"""The campaign list, a new campaign, and one campaign's page: its posts and the moves from one
status to the next."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ganbu.campaigns import selectors, services
from ganbu.campaigns.choices import CampaignKind, CampaignStatus
from ganbu.campaigns.models import Campaign
from ganbu.core.access import Cap, has_cap, require_cap
from ganbu.core.errors import ServiceError
from ganbu.registry import selectors as registry_selectors
from ganbu.rules import campaign as rules

from ...forms_campaigns import (
    CampaignForm,
    PostAddForm,
    StageFormSet,
    stage_rows,
)
from ...forms_common import add_service_error
from ..org_common import AuthedRequest, page_of
from .common import (
    MOVES,
    MSG_POST_NOT_VISIBLE,
    NEXT_MOVE,
    _campaign,
    _manages,
    _render,
)
from .results import _ranking

# ---------------------------------------------------------------- list and create


@login_required
@require_GET
def campaign_list(request: AuthedRequest) -> HttpResponse:
    """The user's campaigns, newest first, with their posts and applications counted."""
    if not (has_cap(request.user, Cap.CAMPAIGN_MANAGE) or has_cap(request.user, Cap.SELECTION_VIEW)):
        raise Http404("页面不存在或无权访问。")
    page, query = page_of(request, selectors.campaign_list(user=request.user))
    return render(
        request,
        "web/campaigns/campaign_list.html",
        {"page": page, "query": query, "can_create": has_cap(request.user, Cap.CAMPAIGN_MANAGE)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request: AuthedRequest) -> HttpResponse:
    """A new campaign in draft: the stage table starts from the kind's default plan (``?kind=``)."""
    require_cap(request.user, Cap.CAMPAIGN_MANAGE)
    units = registry_selectors.unit_choices(user=request.user)
    kind = request.POST.get("kind") or request.GET.get("kind") or CampaignKind.OPEN_SELECTION
    if kind not in CampaignKind.values:
        kind = CampaignKind.OPEN_SELECTION
    today = timezone.localdate()
    form = CampaignForm(
        request.POST or None,
        units=units,
        initial={
            "kind": kind,
            "registration_start": today,
            "registration_end": today,
            "cutoff": today,
            "exclude_low_rating": True,
            "exclude_sanctioned": True,
            "reserve_top_n": 0,
        },
    )
    # The default plan only fills the table shown; a posted table is taken as posted.
    if request.method == "POST":
        stages = StageFormSet(request.POST, prefix="st")
    else:
        stages = StageFormSet(prefix="st", initial=stage_rows(rules.default_plan(rules.CampaignKind(kind))))
    if request.method == "POST" and form.is_valid() and stages.is_valid():
        d = form.cleaned_data
        try:
            campaign = services.campaign_create(
                actor=request.user,
                kind=d["kind"],
                title=d["title"],
                unit=d["unit"],
                announcement=d["announcement"],
                registration_start=d["registration_start"],
                registration_end=d["registration_end"],
                cutoff=d["cutoff"],
                eligibility=form.eligibility_json(),
                stages=stages.plan_json(kind=d["kind"], announcement=form.announcement_name()),
                allow_second_choice=d["allow_second_choice"],
                reserve_top_n=d["reserve_top_n"],
                reserve_level=d["reserve_level"],
                scope_units=form.scope_unit_list(),
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已建立「{campaign.title}」（草稿），请列出选拔职位后发布公告。")
            return redirect("web:campaign-detail", pk=campaign.pk)
    failed = request.method == "POST"
    return render(
        request,
        "web/campaigns/campaign_form.html",
        {"form": form, "stages": stages, "kinds": CampaignKind.choices, "kind": kind},
        status=400 if failed else 200,
    )


# ---------------------------------------------------------------- the campaign page


def _post_label(request: AuthedRequest, form: PostAddForm | None) -> str:
    """What the post picker shows for the post typed in a form shown again (empty if none or unseen)."""
    value = str(form.data.get("post", "")) if form is not None and form.is_bound else ""
    if not value.isdigit():
        return ""
    try:
        post = registry_selectors.post_get_for_user(user=request.user, post_id=int(value))
    except Http404:
        return ""
    return f"{post.unit.name} {post.title}"


def _detail(
    request: AuthedRequest,
    campaign: Campaign,
    *,
    post_form: PostAddForm | None = None,
    errors: list[str] | None = None,
) -> HttpResponse:
    """The announcement, conditions in words, the stage plan, the posts and the next move."""
    manage = _manages(request, campaign)
    if post_form is None and manage and campaign.status == CampaignStatus.DRAFT:
        post_form = PostAddForm(initial={"places": 1})
    context = {
        "posts": list(selectors.campaign_posts(campaign)),
        "counts": selectors.application_counts(campaign),
        "conditions": services.spec_of(campaign).describe(campaign.cutoff),
        "plan_lines": services.plan_of(campaign).describe(),
        "scope_units": list(campaign.scope_units.all()),
        "next_move": NEXT_MOVE.get(campaign.status) if manage else None,
        "post_form": post_form,
        "post_label": _post_label(request, post_form),
        "action_errors": errors or [],
    }
    failed = (post_form is not None and post_form.is_bound) or bool(errors)
    return _render(request, campaign, "detail", "campaign_detail.html", context, 400 if failed else 200)


@login_required
@require_GET
def campaign_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One campaign: the announcement, the conditions, the stage plan, the posts, the next move."""
    return _detail(request, _campaign(request, pk))


@login_required
@require_POST
def campaign_post_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Offer a post in a draft campaign (``services.campaign_post_add``)."""
    campaign = _campaign(request, pk)
    form = PostAddForm(request.POST)
    if form.is_valid():
        try:
            try:
                post = registry_selectors.post_get_for_user(
                    user=request.user, post_id=form.cleaned_data["post"]
                )
            except Http404:
                raise ValidationError({"post": [MSG_POST_NOT_VISIBLE]}) from None
            services.campaign_post_add(
                actor=request.user, campaign=campaign, post=post, places=form.cleaned_data["places"]
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已列出职位「{post}」。")
            return redirect("web:campaign-detail", pk=campaign.pk)
    return _detail(request, selectors.campaign_get(user=request.user, campaign_id=pk), post_form=form)


@login_required
@require_POST
def campaign_move(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    """Move the campaign along its life cycle (open, close registration, score, rank, publish, close)."""
    campaign = _campaign(request, pk)
    if action not in MOVES:
        raise Http404("页面不存在。")
    service, done = MOVES[action]
    try:
        service(actor=request.user, campaign=campaign)
    except ServiceError as exc:
        fresh = selectors.campaign_get(user=request.user, campaign_id=pk)
        if request.POST.get("page") == "ranking":
            return _ranking(request, fresh, errors=list(exc.messages))
        return _detail(request, fresh, errors=list(exc.messages))
    messages.success(request, done)
    target = "web:campaign-ranking" if action in ("rank", "publish") else "web:campaign-detail"
    return redirect(target, pk=campaign.pk)
