"""The applicant portal (「我的报名」): an applicant's own applications, their withdrawal and attachments.

Only users with ``Cap.APPLICANT_PORTAL`` have these pages (others get 404), and only their own
applications exist for them: another applicant's application or attachment is a 404 like one
that does not exist (``ganbu.campaigns.portal_selectors``). Withdrawal goes through
``ganbu.campaigns.services.application_withdraw``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from ganbu.campaigns import portal_selectors, services
from ganbu.core.access import Cap, require_cap

from ..forms_campaign_public import WithdrawForm
from .org_common import AuthedRequest

MSG_WITHDRAWN = "已退出「{campaign}」的报名。"
MSG_NO_WITHDRAW = "本次选拔已经排名，不能在网上退出；确需退出的，请与组织部门联系。"


@login_required
@require_GET
def my_applications(request: AuthedRequest) -> HttpResponse:
    """The applicant's applications: status, review, findings, scores, place and outcome when known."""
    require_cap(request.user, Cap.APPLICANT_PORTAL)
    items = portal_selectors.portal_applications(request.user)
    # One withdrawal form per card, with its own ids, so each label points at its own field.
    rows = [(item, WithdrawForm(auto_id=f"w{item.application.pk}_%s")) for item in items]
    return render(request, "web/campaign_portal/my_applications.html", {"rows": rows})


@login_required
@require_POST
def my_application_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    """Withdraw one's own application (confirmed by a tick) while the campaign is not yet ranked."""
    require_cap(request.user, Cap.APPLICANT_PORTAL)
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
    require_cap(request.user, Cap.APPLICANT_PORTAL)
    attachment = portal_selectors.portal_attachment(
        user=request.user, application_id=pk, attachment_id=attachment_pk
    )
    response = HttpResponse(bytes(attachment.data), content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition_header(True, attachment.name) or "attachment"
    response["Cache-Control"] = "no-store"
    return response
