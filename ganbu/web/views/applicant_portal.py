"""The applicant portal (「我的报名」): one's own applications, their withdrawal and attachments.

Applicants' logins (``Cap.APPLICANT_PORTAL``) and cadres using self-service have these pages
(others get 404); a self-service cadre also applies here from their own record (个人自荐,
``services.application_self_nominate``) to the campaigns open to them. Only their own
applications exist for them: another applicant's application or attachment is a 404 like one
that does not exist (``ganbu.campaigns.portal_selectors``). Withdrawal goes through
``ganbu.campaigns.services.application_withdraw``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from ganbu.accounts.models import User
from ganbu.campaigns import portal_selectors, selectors, services
from ganbu.campaigns.models import Campaign

from ..forms_campaign_public import NominationForm, WithdrawForm
from ..forms_common import add_service_error
from .org_common import AuthedRequest

MSG_WITHDRAWN = "已退出「{campaign}」的报名。"
MSG_NO_WITHDRAW = "本次选拔已经排名，不能在网上退出；确需退出的，请与组织部门联系。"


def _require_portal(user: User) -> None:
    """404 for anyone who has no 「我的报名」 pages."""
    if not selectors.follows_applications(user):
        raise Http404("页面不存在或无权访问。")


def _nomination_form(campaign: Campaign, data: Any = None) -> NominationForm:
    """The apply form of one campaign, with ids of its own (several forms share the page)."""
    return NominationForm(
        data,
        posts=getattr(campaign, "offered", []),
        allow_second=campaign.allow_second_choice,
        prefix=f"n{campaign.pk}",
    )


def _portal_page(
    request: AuthedRequest, *, failed: tuple[Campaign, NominationForm] | None = None
) -> HttpResponse:
    """The page: one's applications, and for a self-service cadre the campaigns open to them."""
    items = portal_selectors.portal_applications(request.user)
    # One withdrawal form per card, with its own ids, so each label points at its own field.
    rows = [(item, WithdrawForm(auto_id=f"w{item.application.pk}_%s")) for item in items]
    offers = [
        (c, failed[1] if failed and failed[0].pk == c.pk else _nomination_form(c))
        for c in selectors.nomination_campaigns(request.user, timezone.localdate())
    ]
    context = {"rows": rows, "offers": offers, "self_nominates": selectors.self_nominates(request.user)}
    status = 400 if failed else 200
    return render(request, "web/campaign_portal/my_applications.html", context, status=status)


@login_required
@require_GET
def my_applications(request: AuthedRequest) -> HttpResponse:
    """One's applications: status, review, findings, scores, place and outcome when known."""
    _require_portal(request.user)
    return _portal_page(request)


@login_required
@require_POST
def my_nomination(request: AuthedRequest, pk: int) -> HttpResponse:
    """A self-service cadre applies to an open campaign from their record (个人自荐).

    Only a campaign open to them exists here (404 otherwise); a refusal is shown on the form, with
    nothing written.
    """
    _require_portal(request.user)
    offered = {c.pk: c for c in selectors.nomination_campaigns(request.user, timezone.localdate())}
    campaign = offered.get(pk)
    if campaign is None:
        raise Http404("该选拔不在报名时间内，或不面向您所在单位。")
    form = _nomination_form(campaign, request.POST)
    if form.is_valid():
        first, second = form.chosen()
        try:
            application = services.application_self_nominate(
                actor=request.user, campaign=campaign, first_choice=first, second_choice=second
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已报名「{campaign.title}」，准考证号 {application.ticket}。")
            return redirect(f"{reverse('web:my-applications')}#application-{application.pk}")
    return _portal_page(request, failed=(campaign, form))


@login_required
@require_POST
def my_application_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    """Withdraw one's own application (confirmed by a tick) while the campaign is not yet ranked."""
    _require_portal(request.user)
    item = portal_selectors.portal_application(user=request.user, application_id=pk)
    back = f"{reverse('web:my-applications')}#application-{pk}"
    if not item.can_withdraw:
        messages.error(request, MSG_NO_WITHDRAW)
        return redirect(back)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请勾选确认后再退出。")
        return redirect(back)
    try:
        services.application_withdraw(
            actor=request.user, application=item.application, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, MSG_WITHDRAWN.format(campaign=item.application.campaign.title))
    return redirect(back)


@login_required
@require_GET
def my_attachment(request: AuthedRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """Download one of the applicant's own attachments, with the type its content was recognised as."""
    _require_portal(request.user)
    attachment = portal_selectors.portal_attachment(
        user=request.user, application_id=pk, attachment_id=attachment_pk
    )
    response = HttpResponse(bytes(attachment.data), content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition_header(True, attachment.name) or "attachment"
    response["Cache-Control"] = "no-store"
    return response
