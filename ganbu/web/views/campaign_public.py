"""Public campaign pages (no login): open campaigns and their announcements, registration, published results.

Like the notice pages, they keep nothing about a visitor: no session write, no message in the
cookie store; the confirmation is rendered once, in the POST response that registered. A
registration creates the applicant's own login, with which they follow their application in the
portal (``views.applicant_portal``); it does not sign them in, so the public pages stay sessionless.

The rate limit reads only ``REMOTE_ADDR`` (see ``views.public`` and docs/public-pages.md on
reverse proxies). A request body larger than five full attachments plus the form is refused before
it is read (413), so an oversized upload costs neither memory nor disk.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from ganbu.accounts.models import User
from ganbu.campaigns import portal, portal_selectors, selectors
from ganbu.campaigns.models import Applicant, Campaign
from ganbu.core.access import Cap, has_cap
from ganbu.selection.services import ThrottledError

from ..forms_campaign_public import RegistrationForm
from ..forms_common import add_service_error
from .org_common import page_of
from .public import client_address

RETRY_AFTER_SECONDS = int(portal.THROTTLE_WINDOW.total_seconds())
# Five attachments at their limit and the form's text: anything larger cannot be a valid registration.
MAX_BODY_BYTES = portal.MAX_ATTACHMENTS * portal.MAX_ATTACHMENT_BYTES + 1024 * 1024
MSG_TOO_LARGE = (
    f"上传的文件总大小超过限制（最多 {portal.MAX_ATTACHMENTS} 个文件，每个不超过 "
    f"{portal.MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB），请重新选择后再提交。"
)
TEMPLATE_FORM = "web/campaign_public/register.html"


def _gone(request: HttpRequest) -> HttpResponse:
    """The friendly 404 for a campaign that is not (or no longer) open, or not published."""
    return render(request, "web/campaign_public/gone.html", status=404)


def _body_size(request: HttpRequest) -> int:
    """The declared size of the request body (0 when absent or malformed, as Django reads it)."""
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def _limits() -> dict[str, int]:
    """The numbers the privacy note states, from the service's constants."""
    return {"throttle_max": portal.THROTTLE_MAX}


def _signed_in_applicant(request: HttpRequest) -> User | None:
    """The visitor's applicant login when they are signed in with one (they then need no new account)."""
    user = request.user
    return user if isinstance(user, User) and has_cap(user, Cap.APPLICANT_PORTAL) else None


@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    """Campaigns open for registration today, the closing date first, paginated in the database."""
    page, query = page_of(request, selectors.open_campaigns(timezone.localdate()).select_related("unit"))
    return render(request, "web/campaign_public/campaign_list.html", {"page": page, "query": query})


@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An open campaign's announcement, posts and places, conditions and stages in words."""
    try:
        campaign = portal_selectors.public_campaign(campaign_id=pk, on=timezone.localdate())
    except Http404:
        return _gone(request)
    return render(
        request,
        "web/campaign_public/campaign_detail.html",
        {"a": portal_selectors.announcement_of(campaign)},
    )


def _form(
    request: HttpRequest, campaign: Campaign, applicant_user: User | None, **kwargs: Any
) -> RegistrationForm:
    """The registration form of ``campaign``, bound to the POST when there is one."""
    own = Applicant.objects.filter(user=applicant_user).first() if applicant_user else None
    return RegistrationForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        posts=portal_selectors.campaign_posts(campaign),
        allow_second_choice=campaign.allow_second_choice,
        new_account=applicant_user is None,
        initial=RegistrationForm.initial_from(own),
        **kwargs,
    )


def _check(request: HttpRequest, campaign: Campaign, applicant_user: User | None) -> HttpResponse:
    """「核对报名条件」: the findings for the facts typed so far, written nowhere.

    From htmx, only the findings fragment; without JavaScript, the whole form page again (whose
    file field the browser has emptied, which the page says).
    """
    check = _form(request, campaign, applicant_user, check_only=True)
    findings = None
    if check.is_valid():
        findings = portal.eligibility_preview(campaign=campaign, data=check.applicant_data())
    context = {"check": check, "findings": findings, "checked": True}
    if request.headers.get("HX-Request"):
        return render(request, "web/campaign_public/_check.html", context)
    form = _form(request, campaign, applicant_user)
    return render(
        request,
        TEMPLATE_FORM,
        {
            "a": portal_selectors.announcement_of(campaign),
            "form": form,
            "files_dropped": True,
            **context,
            **_limits(),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def campaign_register(request: HttpRequest, pk: int) -> HttpResponse:
    """The registration form; a valid one registers and shows the confirmation with the findings, once.

    Bad input re-renders with the Chinese messages (400) and writes nothing; over the rate limit
    the service's message with 429 and ``Retry-After``; a body too large for any valid form 413.
    """
    try:
        campaign = portal_selectors.public_campaign(campaign_id=pk, on=timezone.localdate())
    except Http404:
        return _gone(request)
    applicant_user = _signed_in_applicant(request)
    announcement = portal_selectors.announcement_of(campaign)
    if request.method == "POST" and _body_size(request) > MAX_BODY_BYTES:
        form = RegistrationForm(
            posts=announcement.posts,
            allow_second_choice=campaign.allow_second_choice,
            new_account=applicant_user is None,
        )
        context = {"a": announcement, "form": form, "too_large": MSG_TOO_LARGE, **_limits()}
        return render(request, TEMPLATE_FORM, context, status=413)
    if request.method == "POST" and request.POST.get("action") == "check":
        return _check(request, campaign, applicant_user)
    form = _form(request, campaign, applicant_user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            first, second = form.choices()
            try:
                application = portal.applicant_register(
                    campaign=campaign,
                    data=form.applicant_data(),
                    first_choice=first,
                    second_choice=second,
                    account=form.account(),
                    user=applicant_user,
                    uploads=form.uploads(),
                    source=client_address(request),
                )
            except ThrottledError as exc:
                add_service_error(form, exc)
                status = 429
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                return render(
                    request,
                    "web/campaign_public/register_done.html",
                    {
                        "campaign": campaign,
                        "application": application,
                        "username": application.applicant.user.get_username()
                        if application.applicant.user
                        else "",
                        "new_account": applicant_user is None,
                        "attachments": list(application.attachments.values_list("name", flat=True)),
                    },
                )
    response = render(request, TEMPLATE_FORM, {"a": announcement, "form": form, **_limits()}, status=status)
    if status == 429:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@require_GET
def result_list(request: HttpRequest) -> HttpResponse:
    """Campaigns whose results are published, newest first (titles only; the names are one click on)."""
    page, query = page_of(request, selectors.published_campaigns().select_related("unit"))
    return render(request, "web/campaign_public/result_list.html", {"page": page, "query": query})


@require_GET
def result_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A published result: the appointees' names and posts, and nothing else about anyone."""
    try:
        result = portal_selectors.published_result(campaign_id=pk)
    except Http404:
        return _gone(request)
    return render(request, "web/campaign_public/result_detail.html", {"result": result})
