"""The objection desk (群众反映): what the public sent about notices in scope, and how each was resolved.

Reading needs ``Cap.SELECTION_VIEW`` and the record's unit in scope (``selectors.objections_for``);
resolving needs ``Cap.SELECTION_MANAGE`` and the service re-checks the scope. Anyone else gets 404,
exactly as for a missing objection. An open objection blocks the appointment (APPT-02), so the list
shows open ones first.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from ganbu.core.access import Cap, has_cap, require_cap
from ganbu.selection import selectors, services
from ganbu.selection.choices import ObjectionStatus
from ganbu.selection.models import Objection

from ..forms_common import add_service_error
from ..forms_public import ResolveForm
from .org_common import AuthedRequest, page_of

STATUS_FILTERS = {"all": "全部", "open": "待处理", "resolved": "已办结"}


def _listed(request: AuthedRequest, status: str) -> QuerySet[Objection]:
    """The user's objections for one filter: open ones first, then newest first."""
    if status == "open":
        qs = selectors.objections_for(request.user, open_only=True)
    else:
        qs = selectors.objections_for(request.user)
        if status == "resolved":
            qs = qs.filter(status=ObjectionStatus.RESOLVED)
    open_first = Case(
        When(status=ObjectionStatus.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return qs.select_related("notice__record__unit").order_by(open_first, "-received_at", "-id")


def _detail(
    request: AuthedRequest, objection: Objection, form: ResolveForm | None, status: int = 200
) -> HttpResponse:
    """Render one objection with its notice, its record and (for those who may) the resolve form."""
    can_resolve = has_cap(request.user, Cap.SELECTION_MANAGE) and objection.status == ObjectionStatus.OPEN
    context: dict[str, Any] = {
        "objection": objection,
        "notice": objection.notice,
        "record": objection.notice.record,
        "can_resolve": can_resolve,
        "form": form if form is not None else ResolveForm(),
    }
    return render(request, "web/objections/objection_detail.html", context, status=status)


@login_required
@require_GET
def objection_list(request: AuthedRequest) -> HttpResponse:
    """Objections on notices of records in scope, open first, filtered by status, one page at a time."""
    require_cap(request.user, Cap.SELECTION_VIEW)
    status = request.GET.get("status", "all")
    if status not in STATUS_FILTERS:
        status = "all"
    page, query = page_of(request, _listed(request, status))
    return render(
        request,
        "web/objections/objection_list.html",
        {"page": page, "query": query, "status": status, "status_filters": STATUS_FILTERS},
    )


@login_required
@require_GET
def objection_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One objection in scope: what was sent, about which notice and record, and its resolution."""
    require_cap(request.user, Cap.SELECTION_VIEW)
    return _detail(request, selectors.objection_get(user=request.user, objection_id=pk), None)


@login_required
@require_POST
def objection_resolve(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record the check and conclusion of an open objection (``services.objection_resolve``)."""
    require_cap(request.user, Cap.SELECTION_MANAGE)
    objection = selectors.objection_get(user=request.user, objection_id=pk)
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            services.objection_resolve(
                actor=request.user, objection=objection, resolution=form.cleaned_data["resolution"]
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"第 {objection.pk} 号群众反映已办结，反映人凭查询码可以看到办理结果。")
            return redirect("web:objection-detail", pk=objection.pk)
    return _detail(request, objection, form, status=400)
