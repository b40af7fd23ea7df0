"""The qualification review list and the resolution of applicants' identity conflicts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from ganbu.campaigns import portal_selectors, selectors, services
from ganbu.campaigns.choices import ApplicationStatus, CampaignStatus
from ganbu.campaigns.models import Campaign
from ganbu.core.access import Cap, has_cap

from ...forms_campaigns import (
    ExceptionForm,
    ReviewForm,
)
from ...forms_common import add_service_error
from ...forms_identity import IdentityResolveForm
from ..org_common import AuthedRequest, page_of
from .common import (
    _campaign,
    _managed,
    _manages,
    _render,
)


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
