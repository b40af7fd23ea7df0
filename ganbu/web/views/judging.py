"""The judges' pages (「面试评分」): their panels, the candidates, and their own sheet per candidate.

Only users with ``Cap.CAMPAIGN_JUDGE`` have these pages, and only for panels they sit on (404
otherwise). A judge sees their own sheets and nothing of anyone else's; once the panel is locked
they also see the stored panel scores, never another judge's sheet
(``ganbu.campaigns.portal_selectors``). Sheets are written by ``services.panel_sheet_submit``, which
refuses a locked panel, a candidate not on it and a score above a criterion's maximum.

Made for a tablet and a keyboard: one candidate per sheet page with large number fields, the first
focused, Tab between them, Enter saves and opens the next candidate not yet scored.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from ganbu.campaigns import portal_selectors, services

from ..forms_campaign_public import SheetForm
from .org_common import AuthedRequest

MSG_SAVED = "已保存 {ticket} {name} 的评分。"
MSG_ALL_DONE = "本考官组的考生您已全部评分；考官组锁定前仍可修改。"


@login_required
@require_GET
def panel_list(request: AuthedRequest) -> HttpResponse:
    """The panels the judge sits on, with how many candidates they have scored."""
    panels = portal_selectors.judge_panels(request.user)
    return render(request, "web/judging/panel_list.html", {"panels": panels})


@login_required
@require_GET
def panel_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """A panel's candidates with the judge's own scores; the panel scores too once it is locked."""
    view = portal_selectors.judge_panel(user=request.user, panel_id=pk)
    return render(request, "web/judging/panel_detail.html", {"view": view})


@login_required
@require_http_methods(["GET", "POST"])
def sheet(request: AuthedRequest, pk: int, application_pk: int) -> HttpResponse:
    """The judge's sheet for one candidate: enter or change it until the panel is locked."""
    view = portal_selectors.judge_panel(user=request.user, panel_id=pk)
    row = view.row(application_pk)
    form = SheetForm(
        request.POST if request.method == "POST" else None,
        criteria=view.criteria,
        initial=SheetForm.initial_for(row.own),
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.panel_sheet_submit(
                    actor=request.user,
                    panel=view.panel,
                    application=portal_selectors.judge_candidate(panel=view.panel, row=row),
                    scores=form.scores(),
                )
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, MSG_SAVED.format(ticket=row.ticket, name=row.name))
                following = view.after(row.application_id)
                if following is None:
                    messages.info(request, MSG_ALL_DONE)
                    return redirect("web:judging-panel", pk=pk)
                return redirect("web:judging-sheet", pk=pk, application_pk=following.application_id)
    context = {
        "view": view,
        "row": row,
        "form": form,
        "criteria_values": zip(view.criteria, row.own_values, strict=True),
    }
    return render(request, "web/judging/sheet.html", context, status=status)
