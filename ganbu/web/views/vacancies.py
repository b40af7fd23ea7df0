"""空缺职位: the posts in the user's scope that nobody holds today, with their quota and since when.

Reached from the 干部 menu and from the 动议 form of a 选拔任用纪实, where the officer needs to
know which posts can be filled. Read-only: one selector, paginated in the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ganbu.core.access import Cap, require_cap
from ganbu.registry import selectors
from ganbu.registry.choices import Rank
from ganbu.registry.models import Unit

from ..exports import DAY, Column, form_filters, wants_xlsx, xlsx_response
from ..forms_common import StyledForm
from ..forms_people import UnitPickerField
from .org_common import AuthedRequest, page_of


class VacancyFilterForm(StyledForm):
    """The filter bar: a unit (with the units under it) and a 职级; a GET form."""

    compact = True

    unit = UnitPickerField(label="单位（含下级）", required=False, coerce=int, empty_value=None)
    rank = forms.ChoiceField(label="职级", required=False, choices=[("", "全部"), *Rank.choices])

    def __init__(self, *args: Any, units: Iterable[Unit] = (), **kwargs: Any) -> None:
        """``units``: the few units the select renders (``selectors.unit_picker_options``); the
        others are found by the picker's search. A unit not among them is refused, and ignored."""
        super().__init__(*args, **kwargs)
        self.units = {u.pk: u for u in units}
        field = self.fields["unit"]
        assert isinstance(field, UnitPickerField)
        field.set_units(self.units.values())

    def chosen(self) -> tuple[Unit | None, str]:
        """The unit and 职级 to filter by; an invalid choice is shown on the form and ignored."""
        if not self.is_bound or not self.is_valid():
            data = getattr(self, "cleaned_data", {})
        else:
            data = self.cleaned_data
        unit_id = data.get("unit")
        return (self.units.get(unit_id) if unit_id else None), data.get("rank") or ""


def _quota(post: Any) -> Any:
    if not post.counts_toward_quota:
        return "不占职数"
    return "未核定" if post.quota_number is None else post.quota_number


def _since(post: Any) -> Any:
    return post.last_end or (timezone.localtime(post.created_at).date() if post.created_at else None)


def _since_why(post: Any) -> str:
    if post.last_end:
        return "前任离任"
    return "设立，未曾任职" if post.created_at else "未曾任职（设立日期未登记）"


VACANCY_COLUMNS = [
    Column("单位", lambda p: p.unit.name),
    Column("职位", lambda p: p.title),
    Column("职位类别", lambda p: p.get_kind_display()),
    Column("职级", lambda p: p.get_rank_display()),
    Column("核定职数", _quota),
    Column("在任", lambda p: p.quota_filled if p.counts_toward_quota else None),
    Column("空缺起始", _since, DAY),
    Column("空缺起始说明", _since_why),
]


@login_required
@require_GET
def vacant_posts(request: AuthedRequest) -> HttpResponse | FileResponse:
    """The vacant posts in scope, filtered by unit and 职级, one page at a time.

    A fixed number of queries whatever the number of posts and units: a few units for the filter
    (the top two levels and the chosen unit's surroundings), the capped count and one page of
    posts with their last tenure's end, set-up date and quota computed in SQL.
    ``?export=xlsx``: every vacant post the filters select, in one spreadsheet.
    """
    user = request.user
    require_cap(user, Cap.REGISTRY_VIEW)
    # A few units for the select, not every unit in scope: rendering 8,000 options was nearly all
    # of the page's time at province size (issue 13).
    units = selectors.unit_picker_options(user=user, chosen=request.GET.get("unit"))
    form = VacancyFilterForm(request.GET or None, units=units)
    unit, rank = form.chosen()
    today = timezone.localdate()
    posts = selectors.vacant_posts(user=user, unit=unit, rank=rank, on=today)
    if wants_xlsx(request):
        return xlsx_response(
            title="空缺职位", columns=VACANCY_COLUMNS, rows=posts.iterator(), filters=form_filters(form)
        )
    page, query = page_of(request, posts)
    return render(
        request,
        "web/org/vacancies.html",
        {"form": form, "page": page, "query": query, "today": today, "filtered": bool(unit or rank)},
    )
