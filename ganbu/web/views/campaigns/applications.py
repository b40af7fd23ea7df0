"""The applications of a campaign: the list, one entered by hand or in bulk, one application's page
and its actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ganbu.campaigns import selectors, services
from ganbu.campaigns.choices import ApplicationStatus, CampaignStatus, Outcome
from ganbu.campaigns.models import Application, Campaign
from ganbu.core.access import Cap, has_cap
from ganbu.registry import selectors as registry_selectors
from ganbu.registry.choices import Education, PoliticalStatus, Rank

from ...forms_campaigns import (
    ApplicationForm,
    BulkFilterForm,
    BulkForm,
    ExceptionForm,
    ReviewForm,
    WithdrawForm,
)
from ...forms_common import MSG_CADRE_NOT_VISIBLE, add_service_error
from ..cadres import picker_text
from ..org_common import AuthedRequest, int_param, page_of
from .common import (
    _campaign,
    _campaign_post,
    _managed,
    _manages,
    _post_choices,
    _render,
)

# ---------------------------------------------------------------- applications


@login_required
@require_GET
def application_list(request: AuthedRequest, pk: int) -> HttpResponse:
    """The applications, filtered by status, post, stage, a word and the applicant's unit; one page."""
    campaign = _campaign(request, pk)
    status = request.GET.get("status", "")
    stage = request.GET.get("stage", "")[:40]
    q = request.GET.get("q", "")[:50]
    post_id, unit_id = int_param(request, "post"), int_param(request, "unit")
    posts = list(selectors.campaign_posts(campaign))
    qs = selectors.application_rows(
        user=request.user,
        campaign=campaign,
        status=status if status in ApplicationStatus.values else "",
        post_id=post_id,
        q=q,
        stage=stage,
        unit_id=unit_id,
    )
    page, query = page_of(request, qs)
    selectors.attach_posts(page, posts)
    context = {
        "page": page,
        "query": query,
        "filters": {"status": status, "stage": stage, "q": q, "post": post_id, "unit": unit_id},
        "statuses": ApplicationStatus.choices,
        "posts": [(cp.pk, f"{cp.post}（{cp.places} 名）") for cp in posts],
        "units": selectors.unit_filter_choices(user=request.user, chosen=unit_id),
        "counts": selectors.application_counts(campaign),
        "stage_labels": {s.key: s.label for s in services.plan_of(campaign).stages},
    }
    return _render(request, campaign, "applications", "application_list.html", context)


def _application_form(
    request: AuthedRequest, campaign: Campaign, form: ApplicationForm, status: int
) -> HttpResponse:
    """The enter-one page (with the chosen cadre's name for the picker when shown again)."""
    label = ""
    cadre_id = form.data.get("cadre") if form.is_bound else None
    if cadre_id and str(cadre_id).isdigit():
        try:
            cadre = registry_selectors.cadre_get_for_user(user=request.user, cadre_id=int(cadre_id))
            label = picker_text(cadre)
        except Http404:
            label = ""
    context = {"form": form, "cadre_label": label}
    return _render(request, campaign, "applications", "application_form.html", context, status)


@login_required
@require_http_methods(["GET", "POST"])
def application_new(request: AuthedRequest, pk: int) -> HttpResponse:
    """Enter one application: a registry cadre picked by name, or an outside applicant's facts."""
    campaign = _managed(request, pk)
    form = ApplicationForm(
        request.POST or None, posts=_post_choices(campaign), second_choice=campaign.allow_second_choice
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            cadre = None
            if d.get("cadre"):
                try:
                    cadre = registry_selectors.cadre_get_for_user(user=request.user, cadre_id=d["cadre"])
                except Http404:
                    raise ValidationError({"cadre": [MSG_CADRE_NOT_VISIBLE]}) from None
            first = _campaign_post(campaign, d["first_choice"])
            if first is None:
                raise ValidationError({"first_choice": ["请选择本次选拔的职位。"]})
            application = services.application_enter(
                actor=request.user,
                campaign=campaign,
                first_choice=first,
                second_choice=_campaign_post(campaign, d.get("second_choice")),
                cadre=cadre,
                data=form.applicant_data(),
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            found = f"，资格条件核对有 {len(application.findings)} 项提示" if application.findings else ""
            name, ticket = application.applicant.name, application.ticket
            messages.success(request, f"已登记{name}的报名（准考证号 {ticket}）{found}。")
            return redirect("web:campaign-application", pk=campaign.pk, application_id=application.pk)
    return _application_form(request, campaign, form, 400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def application_bulk(request: AuthedRequest, pk: int) -> HttpResponse:
    """Bulk entry: the serving cadres of a unit (below a rank), chosen from the list, one post each."""
    campaign = _managed(request, pk)
    posts = _post_choices(campaign)
    source = request.POST if request.method == "POST" else request.GET
    units = registry_selectors.unit_choices(user=request.user)
    filters = BulkFilterForm(source if "unit" in source else None, units=units, posts=posts)
    form: BulkForm | None = None
    cadres: list[Any] = []
    if filters.is_bound and filters.is_valid():
        f = filters.cleaned_data
        cadres = selectors.bulk_cadres(
            user=request.user, campaign=campaign, unit_id=f["unit"].pk, below_rank=f["below_rank"]
        )
        form = BulkForm(
            request.POST if request.method == "POST" else None,
            cadres=[(c.pk, picker_text(c)) for c in cadres],
            posts=posts,
            default_post=f["post"],
        )
    if request.method == "POST" and form is not None and form.is_valid():
        by_id = {c.pk: c for c in cadres}
        rows = []
        for cadre_id, post_id in form.rows():
            first = _campaign_post(campaign, post_id)
            if first is not None:
                rows.append((by_id[cadre_id], first, None))
        try:
            if not rows:
                raise ValidationError({"cadres": ["请至少选择一人。"]})
            entered = services.applications_enter_bulk(actor=request.user, campaign=campaign, rows=rows)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已批量登记报名 {entered} 人。")
            return redirect("web:campaign-applications", pk=campaign.pk)
    context = {
        "filters": filters,
        "form": form,
        "cadres": cadres,
        "limit": selectors.BULK_LIMIT,
    }
    status = 400 if request.method == "POST" else 200
    return _render(request, campaign, "applications", "application_bulk.html", context, status)


# ---------------------------------------------------------------- one application


def _application_page(
    request: AuthedRequest,
    campaign: Campaign,
    application: Application,
    forms: dict[str, Any] | None = None,
) -> HttpResponse:
    """An application: the facts, the findings with their rules, the review, the scores."""
    bound = forms or {}
    manage = _manages(request, campaign)
    active = application.status != ApplicationStatus.WITHDRAWN
    review_open = campaign.status == CampaignStatus.REVIEW and active
    shown: dict[str, Any] = {}
    if manage and review_open:
        shown["review"] = bound.get("review") or ReviewForm(prefix="rv")
    if has_cap(request.user, Cap.SELECTION_APPROVE) and review_open and application.findings:
        shown["exception"] = bound.get("exception") or ExceptionForm(prefix="ex")
    if (
        manage
        and application.status != ApplicationStatus.WITHDRAWN
        and application.outcome != Outcome.APPOINTED
        and campaign.status != CampaignStatus.CLOSED
    ):
        shown["withdraw"] = bound.get("withdraw") or WithdrawForm(prefix="wd")
    labels = {s.key: s.label for s in services.plan_of(campaign).stages}
    applicant = application.applicant
    context = {
        "application": application,
        "applicant": applicant,
        "facts": {
            "political_status": PoliticalStatus(applicant.political_status).label
            if applicant.political_status in PoliticalStatus.values
            else applicant.political_status,
            "education": Education(applicant.education).label
            if applicant.education in Education.values
            else applicant.education,
            "rank": Rank(applicant.rank).label if applicant.rank in Rank.values else applicant.rank,
        },
        "scores": [(labels.get(s.stage, s.stage), s) for s in selectors.application_scores(application)],
        "stage_label": labels.get(application.stage_reached, ""),
        "forms": shown,
    }
    status = 400 if forms else 200
    return _render(request, campaign, "applications", "application_detail.html", context, status)


@login_required
@require_GET
def application_detail(request: AuthedRequest, pk: int, application_id: int) -> HttpResponse:
    """One application of the campaign."""
    campaign = _campaign(request, pk)
    application = selectors.application_get(campaign=campaign, application_id=application_id)
    return _application_page(request, campaign, application)


def _review(request: AuthedRequest, application: Application, form: Any) -> str:
    passed = form.cleaned_data["decision"] == "pass"
    services.application_review(
        actor=request.user, application=application, passed=passed, note=form.cleaned_data["note"]
    )
    return f"{application.applicant.name}：资格审查{'通过' if passed else '不通过'}。"


def _exception(request: AuthedRequest, application: Application, form: Any) -> str:
    services.application_review(
        actor=request.user,
        application=application,
        passed=True,
        note=form.cleaned_data["note"],
        exceptional=True,
    )
    return f"{application.applicant.name}：已批准破格入围。"


def _withdraw(request: AuthedRequest, application: Application, form: Any) -> str:
    reason = form.cleaned_data["reason"]
    services.application_withdraw(actor=request.user, application=application, reason=reason)
    return f"{application.applicant.name}已退出本次选拔。"


APPLICATION_ACTIONS: dict[str, tuple[type[Any], str, Callable[[AuthedRequest, Application, Any], str]]] = {
    "review": (ReviewForm, "rv", _review),
    "exception": (ExceptionForm, "ex", _exception),
    "withdraw": (WithdrawForm, "wd", _withdraw),
}


@login_required
@require_POST
def application_action(request: AuthedRequest, pk: int, application_id: int, action: str) -> HttpResponse:
    """Review, admit as an exception, or withdraw one application; a refusal shows the service's reasons."""
    campaign = _campaign(request, pk)
    application = selectors.application_get(campaign=campaign, application_id=application_id)
    if action not in APPLICATION_ACTIONS:
        raise Http404("页面不存在。")
    form_class, prefix, handler = APPLICATION_ACTIONS[action]
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            done = handler(request, application, form)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, done)
            if request.POST.get("next") == "review":
                url = reverse("web:campaign-review", args=[campaign.pk])
                return redirect(f"{url}?{QueryDict(request.POST.get('query', '')[:500]).urlencode()}")
            return redirect("web:campaign-application", pk=campaign.pk, application_id=application.pk)
    application = selectors.application_get(campaign=campaign, application_id=application_id)
    return _application_page(request, campaign, application, {action: form})
