"""The staff pages of competitive selection campaigns (竞争性选拔: 公开选拔、竞争上岗、联合公选).

One campaign has one page per part of its work — the announcement and posts, the applications, the
qualification review, the scores, the stages, the interview panels, the ranking and the statistics
— and each shows only the forms the campaign's status allows to those who run it. Every form posts
to a view that parses it, calls one service and redirects; a refusal re-renders the page with the
service's Chinese messages on that form, status 400, and nothing written. A campaign outside the
user's scope does not exist for them (404).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ganbu.campaigns import portal_selectors, selectors, services
from ganbu.campaigns.choices import ApplicationStatus, CampaignKind, CampaignStatus, Outcome
from ganbu.campaigns.models import Application, Campaign, CampaignPost
from ganbu.core.access import Cap, can_edit_unit, has_cap, require_cap
from ganbu.core.errors import ServiceError
from ganbu.core.inputs import MSG_DATE_BEFORE_BIRTH
from ganbu.registry import selectors as registry_selectors
from ganbu.registry.choices import Education, PoliticalStatus, Rank
from ganbu.rules import campaign as rules
from ganbu.rules.inputs import RuleInputError

from ..forms_campaigns import (
    AdvanceForm,
    ApplicationForm,
    BallotScoresForm,
    BulkFilterForm,
    BulkForm,
    CampaignForm,
    DecideForm,
    ExceptionForm,
    OnForm,
    PanelForm,
    PostAddForm,
    ReviewForm,
    ScoreForm,
    StageFormSet,
    WithdrawForm,
    stage_rows,
)
from ..forms_common import MSG_CADRE_NOT_VISIBLE, add_service_error
from ..forms_identity import IdentityResolveForm
from .cadres import picker_text
from .org_common import AuthedRequest, int_param, page_of

MSG_POST_NOT_VISIBLE = "职位不存在或不在您的管理范围内。"
MSG_NOT_THIS_CAMPAIGN = "该报名不属于本次选拔。"
SCORES_IMPORT_PATH = "/campaigns/{pk}/scores/import/"

# status → the move that comes next: (action, button)
NEXT_MOVE: dict[str, tuple[str, str]] = {
    CampaignStatus.DRAFT: ("open", "发布公告、开始报名"),
    CampaignStatus.REGISTRATION: ("close_registration", "截止报名、开始资格审查"),
    CampaignStatus.REVIEW: ("start_scoring", "结束资格审查、开始考试"),
    CampaignStatus.SCORING: ("rank", "计算综合成绩、排名并分配职位"),
    CampaignStatus.RANKED: ("publish", "公布结果"),
    CampaignStatus.PUBLISHED: ("close", "结束本次选拔"),
}
MOVES: dict[str, tuple[Callable[..., Any], str]] = {
    "open": (services.campaign_open, "公告已发布，开始报名。"),
    "close_registration": (services.campaign_close_registration, "报名已截止，开始资格审查。"),
    "start_scoring": (services.campaign_start_scoring, "资格审查结束，开始考试与测评。"),
    "rank": (services.campaign_rank, "已计算综合成绩并排名，按志愿分配了职位。"),
    "publish": (services.campaign_publish, "结果已公布。"),
    "close": (services.campaign_close, "本次选拔已结束。"),
}
TABS = [
    ("detail", "概况", "web:campaign-detail"),
    ("applications", "报名", "web:campaign-applications"),
    ("review", "资格审查", "web:campaign-review"),
    ("scores", "成绩", "web:campaign-scores"),
    ("stages", "考试环节", "web:campaign-stages"),
    ("panels", "面试考官组", "web:campaign-panels"),
    ("ranking", "排名与结果", "web:campaign-ranking"),
    ("statistics", "统计", "web:campaign-statistics"),
]


def _campaign(request: AuthedRequest, pk: int) -> Campaign:
    """A campaign in the user's scope, or 404 (also for roles that neither run nor oversee campaigns)."""
    if not (has_cap(request.user, Cap.CAMPAIGN_MANAGE) or has_cap(request.user, Cap.SELECTION_VIEW)):
        raise Http404("页面不存在或无权访问。")
    return selectors.campaign_get(user=request.user, campaign_id=pk)


def _manages(request: AuthedRequest, campaign: Campaign) -> bool:
    """Whether the user runs this campaign (the services check it again)."""
    return has_cap(request.user, Cap.CAMPAIGN_MANAGE) and can_edit_unit(request.user, campaign.unit)


def _managed(request: AuthedRequest, pk: int) -> Campaign:
    """A campaign the user runs; for anyone else the entry pages do not exist (404)."""
    campaign = _campaign(request, pk)
    if not _manages(request, campaign):
        raise Http404("页面不存在或无权访问。")
    return campaign


def _post_choices(campaign: Campaign) -> list[tuple[int, str]]:
    """The campaign's posts as choices (id of the campaign post, its name and places)."""
    return [(cp.pk, f"{cp.post}（{cp.places} 名）") for cp in selectors.campaign_posts(campaign)]


def _campaign_post(campaign: Campaign, pk: int | None) -> CampaignPost | None:
    """A post of this campaign by id (``None`` if not one of them)."""
    if pk is None:
        return None
    return next((cp for cp in selectors.campaign_posts(campaign) if cp.pk == pk), None)


def _render(
    request: AuthedRequest,
    campaign: Campaign,
    tab: str,
    template: str,
    context: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    """Render one of the campaign's pages with the header, the tabs and what the user may do."""
    plan = services.plan_of(campaign)
    base = {
        "campaign": campaign,
        "tab": tab,
        "tabs": [(key, label, reverse(name, args=[campaign.pk])) for key, label, name in TABS],
        "can_manage": _manages(request, campaign),
        "can_approve": has_cap(request.user, Cap.SELECTION_APPROVE),
        "plan": plan,
        "Status": CampaignStatus,
    }
    return render(request, f"web/campaigns/{template}", {**base, **context}, status=status)


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
    qs = selectors.application_list(
        user=request.user,
        campaign=campaign,
        status=status if status in ApplicationStatus.values else "",
        post_id=post_id,
        q=q,
        stage=stage,
        unit_id=unit_id,
    )
    page, query = page_of(request, qs)
    context = {
        "page": page,
        "query": query,
        "filters": {"status": status, "stage": stage, "q": q, "post": post_id, "unit": unit_id},
        "statuses": ApplicationStatus.choices,
        "posts": _post_choices(campaign),
        "units": list(registry_selectors.unit_choices(user=request.user)),
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


def _mask(id_number: str) -> str:
    """An ID number for those without ``Cap.SENSITIVE_ID``: the region and the last four only."""
    return f"{id_number[:6]}{'*' * max(len(id_number) - 10, 0)}{id_number[-4:]}"


def _conflict_rows(
    request: AuthedRequest, campaign: Campaign, bound: IdentityResolveForm | None = None
) -> list[dict[str, Any]]:
    """The campaign's identity conflicts, each with its settle form for those who run the campaign."""
    manage = _manages(request, campaign) and campaign.status != CampaignStatus.CLOSED
    sees_id = has_cap(request.user, Cap.SENSITIVE_ID)
    rows = []
    for n, conflict in enumerate(portal_selectors.identity_conflicts(campaign)):
        form = None
        if manage:
            ids = {c.applicant.pk for c in conflict.claims}
            if bound is not None and bound.data.get("keep", "").isdigit() and int(bound.data["keep"]) in ids:
                form = bound
            else:
                form = IdentityResolveForm(claims=conflict.claims, auto_id=f"ic{n}_%s")
        rows.append(
            {
                "id_number": conflict.id_number if sees_id else _mask(conflict.id_number),
                "claims": conflict.claims,
                "form": form,
            }
        )
    return rows


def _review_page(
    request: AuthedRequest, campaign: Campaign, *, bound: IdentityResolveForm | None = None
) -> HttpResponse:
    """资格审查: the identity conflicts, then each application with its findings and the review forms."""
    status = request.GET.get("status", ApplicationStatus.SUBMITTED)
    qs = selectors.application_list(
        user=request.user, campaign=campaign, status=status if status in ApplicationStatus.values else ""
    )
    page, query = page_of(request, qs)
    open_ = campaign.status == CampaignStatus.REVIEW
    manage = _manages(request, campaign) and open_
    approve = open_ and has_cap(request.user, Cap.SELECTION_APPROVE)
    conflicts = _conflict_rows(request, campaign, bound)
    contested = {c.application.pk for row in conflicts for c in row["claims"] if c.application}
    rows = []
    for a in page:
        active = a.status != ApplicationStatus.WITHDRAWN
        rows.append(
            {
                "application": a,
                "conflict": a.pk in contested,
                "review": ReviewForm(prefix="rv", auto_id=f"r{a.pk}_%s") if manage and active else None,
                "exception": ExceptionForm(prefix="ex", auto_id=f"x{a.pk}_%s")
                if approve and active and a.findings
                else None,
            }
        )
    context = {
        "page": page,
        "rows": rows,
        "conflicts": conflicts,
        "query": query,
        "status": status,
        "statuses": ApplicationStatus.choices,
        "counts": selectors.application_counts(campaign),
        "return_query": request.GET.urlencode(),
    }
    return _render(request, campaign, "review", "review_list.html", context, 400 if bound else 200)


@login_required
@require_GET
def review_list(request: AuthedRequest, pk: int) -> HttpResponse:
    """资格审查: each application with its findings (rule and message) and the pass / reject form."""
    return _review_page(request, _campaign(request, pk))


@login_required
@require_POST
def identity_resolve(request: AuthedRequest, pk: int) -> HttpResponse:
    """核定身份: settle one identity conflict of the campaign (those who run it; 404 for others)."""
    campaign = _managed(request, pk)
    claims = [c for row in portal_selectors.identity_conflicts(campaign) for c in row.claims]
    form = IdentityResolveForm(request.POST, claims=claims)
    if form.is_valid():
        chosen = form.chosen()
        try:
            rejected = services.identity_conflict_resolve(
                actor=request.user,
                campaign=campaign,
                keep=chosen.applicant,
                basis=form.cleaned_data["basis"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                f"已认定{chosen.applicant.name}为该身份证号本人；"
                f"本次选拔中其他 {rejected} 份报名改为资格审查不通过。",
            )
            return redirect("web:campaign-review", pk=campaign.pk)
    return _review_page(request, campaign, bound=form)


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
    page = Paginator(selectors.ranked_applications(campaign), settings.GANBU_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
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
