"""任期与交流 pages: the rotation due list (who must or should move, why and since when) and the
leadership terms ending soon; each with filters and the list export (.xlsx / .csv).

Views parse the query string, call one ``ganbu.rotation.selectors`` function and render. The pages
exist for roles with ``Cap.ALLOCATION_VIEW`` (officers and leaders county-wide, unit officers their
subtree); for every other role they are 404. GET only: these are readings.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ganbu.accounts.models import User
from ganbu.registry import selectors as registry_selectors
from ganbu.rotation import selectors
from ganbu.rotation.selectors import RANK_CHOICES, DueRow, TermRow
from ganbu.rules.rotation import Urgency

from ..exports import DAY, Column, form_filters, wants_xlsx, xlsx_response
from ..forms_common import StyledForm
from ..forms_people import UnitPickerField
from .org_common import AuthedRequest

MSG_NO_PAGE = "页面不存在或无权访问。"
MONTH_CHOICES = [("3", "3 个月内"), ("6", "6 个月内"), ("12", "12 个月内")]


def _require(request: AuthedRequest) -> None:
    if not selectors.sees_rotation(request.user):
        raise Http404(MSG_NO_PAGE)


class _UnitForm(StyledForm):
    """A filter bar with the on-demand unit picker."""

    compact = True

    unit = UnitPickerField(label="单位（含下级）", required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, UnitPickerField)
        unit.set_units(registry_selectors.unit_picker_options(user=user, chosen=self.data.get("unit")))
        unit.widget.attrs["id"] = "f-unit"


class DueFilterForm(_UnitForm):
    """The due list's filters: unit (with the units under it), rank of the current post, urgency."""

    rank = forms.ChoiceField(label="职级", required=False, choices=[("", "全部"), *RANK_CHOICES])
    urgency = forms.ChoiceField(
        label="紧迫程度", required=False, choices=[("", "全部"), *((u.value, u.label) for u in Urgency)]
    )


class TermFilterForm(_UnitForm):
    """The terms list's filters: unit and how far ahead."""

    months = forms.ChoiceField(label="届满时间", required=False, choices=MONTH_CHOICES)


def _reasons_text(row: DueRow) -> str:
    return "；".join(f"{r.urgency.label}：{r.message}（依据：{r.citation}）" for r in row.reasons)


DUE_COLUMNS = [
    Column("姓名", lambda r: r.name, width=10),
    Column("现任职务", lambda r: r.posts, width=30),
    Column("职级", lambda r: r.rank, width=8),
    Column("紧迫程度", lambda r: r.urgency.label, width=10),
    Column("应交流之日", lambda r: r.since, DAY, width=12),
    Column("原因和依据", _reasons_text, width=80),
]

TERM_COLUMNS = [
    Column("姓名", lambda r: r.name, width=10),
    Column("单位", lambda r: r.unit_name, width=20),
    Column("职务", lambda r: r.post, width=16),
    Column("任期", lambda r: f"第{r.term_number}个任期", width=10),
    Column("任期起始", lambda r: r.term_start, DAY, width=12),
    Column("届满日期", lambda r: r.full_on, DAY, width=12),
]


@login_required
@require_GET
def due_list(request: AuthedRequest) -> HttpResponse | FileResponse:
    """Cadres in scope who must or should rotate today, with every reason, its regulation and the day
    it became due; filtered by unit, rank and urgency; exported with the same filters."""
    _require(request)
    today = timezone.localdate()
    form = DueFilterForm(request.GET, user=request.user)
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    rows = selectors.rotation_due(
        user=request.user,
        today=today,
        unit_id=data.get("unit"),
        rank=data.get("rank") or "",
        urgency=data.get("urgency") or "",
    )
    if wants_xlsx(request):
        return xlsx_response(
            title="应交流干部名单", columns=DUE_COLUMNS, rows=rows, filters=form_filters(form)
        )
    page = Paginator(rows, settings.GANBU_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "rotation/due.html",
        {
            "page": page,
            "form": form,
            "today": today,
            "must": sum(1 for r in rows if r.urgency is Urgency.MUST),
        },
    )


@login_required
@require_GET
def term_list(request: AuthedRequest) -> HttpResponse | FileResponse:
    """Leadership terms in scope full within 3, 6 or 12 months (five-year terms counted from the
    start of each continuous service in a post), soonest first; exported with the same filters."""
    _require(request)
    today = timezone.localdate()
    form = TermFilterForm(request.GET, user=request.user)
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    months = int(data.get("months") or 3)
    rows: list[TermRow] = selectors.terms_ending(
        user=request.user, today=today, months=months, unit_id=data.get("unit")
    )
    if wants_xlsx(request):
        return xlsx_response(
            title="任期届满名单", columns=TERM_COLUMNS, rows=rows, filters=form_filters(form)
        )
    page = Paginator(rows, settings.GANBU_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "rotation/terms.html", {"page": page, "form": form, "today": today, "months": months}
    )
