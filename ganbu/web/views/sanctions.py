"""处分 pages: the county register of sanctions and 诫勉, and one sanction with its state and follow-up.

For the roles that read discipline files (``Cap.SENSITIVE_SUPERVISION``: the department's officers
and leaders, the supervising bodies); for anyone else the pages do not exist (404). Status,
effects and deadlines are computed when read (``ganbu.registry.sanction_status``). Recording a
sanction stays on the cadre's page (``web:cadre-reward-add``); the follow-up dates (送达, 复核,
申诉) and a new violation are recorded here by those who may edit the cadre.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from ganbu.registry import sanction_selectors as selectors
from ganbu.registry import selectors as registry_selectors
from ganbu.registry.services import sanction_followup_update
from ganbu.registry.services.sanctions import may_record_sanction

from ..forms_common import add_service_error
from ..forms_people import SanctionFilterForm, SanctionFollowupForm
from .org_common import AuthedRequest, page_of

MSG_NO_PAGE = "页面不存在或无权访问。"


def _require_reader(request: AuthedRequest) -> None:
    if not selectors.sees_sanctions(request.user):
        raise Http404(MSG_NO_PAGE)


@login_required
@require_GET
def sanction_list(request: AuthedRequest) -> HttpResponse:
    """The county register: sanctions and 诫勉 of cadres in scope, filtered by status, unit, kind and
    name, paginated in the database, each with its period, status and effects on today."""
    _require_reader(request)
    user = request.user
    on = timezone.localdate()
    units = registry_selectors.unit_picker_options(user=user, chosen=request.GET.get("unit"))
    form = SanctionFilterForm(request.GET or None, units=units)
    if form.is_bound:
        form.is_valid()
    qs = selectors.sanction_register(user=user, on=on, filters=form.to_filter())
    page, query = page_of(request, qs)
    rows = selectors.states_of(list(page.object_list), on)
    return render(
        request,
        "web/sanctions/list.html",
        {"form": form, "page": page, "query": query, "rows": rows, "on": on},
    )


@login_required
@require_http_methods(["GET", "POST"])
def sanction_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One sanction: period, status, effects, expiry, basis, deadlines; the follow-up form for
    those who may edit the cadre (a refusal re-renders it with the Chinese message, nothing written)."""
    _require_reader(request)
    user = request.user
    row = selectors.sanction_get(user=user, sanction_id=pk)
    can_edit = may_record_sanction(user, row.cadre)
    initial = {
        f: getattr(row, f)
        for f in (
            "known_on",
            "review_received_on",
            "review_decision_received_on",
            "appeal_accepted_on",
            "new_violation_pending",
        )
    }
    form = SanctionFollowupForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not can_edit:
            raise Http404(MSG_NO_PAGE)
        if form.is_valid():
            data = dict(form.cleaned_data)
            reason = data.pop("reason")
            try:
                sanction_followup_update(actor=user, sanction=row, data=data, reason=reason)
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, "已保存。")
                return redirect("web:sanction-detail", pk=row.pk)
    on = timezone.localdate()
    ((_, state),) = selectors.states_of([row], on)
    newer = getattr(row, "combined_by", None) if getattr(row, "is_combined", False) else None
    return render(
        request,
        "web/sanctions/detail.html",
        {"r": row, "state": state, "form": form, "can_edit": can_edit, "newer": newer, "on": on},
    )
