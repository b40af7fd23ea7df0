"""空缺职位: the posts in the user's scope that nobody holds today, with their quota and since when.

Reached from the 干部 menu and from the 动议 form of a 选拔任用纪实, where the officer needs to
know which posts can be filled. Read-only: one selector, paginated in the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ganbu.core.access import Cap, require_cap, units_for
from ganbu.registry import selectors
from ganbu.registry.choices import Rank
from ganbu.registry.models import Unit

from ..forms_common import StyledForm
from .org_common import AuthedRequest, page_of


class VacancyFilterForm(StyledForm):
    """The filter bar: a unit (with the units under it) and a 职级; a GET form."""

    compact = True

    unit = forms.TypedChoiceField(label="单位（含下级）", required=False, coerce=int, empty_value=None)
    rank = forms.ChoiceField(label="职级", required=False, choices=[("", "全部"), *Rank.choices])

    def __init__(self, *args: Any, units: Iterable[Unit] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = {u.pk: u for u in units}
        base = min((u.depth for u in self.units.values()), default=0)
        field = self.fields["unit"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "全部单位")] + [
            (u.pk, "　" * (u.depth - base) + u.name) for u in self.units.values()
        ]

    def chosen(self) -> tuple[Unit | None, str]:
        """The unit and 职级 to filter by; an invalid choice is shown on the form and ignored."""
        if not self.is_bound or not self.is_valid():
            data = getattr(self, "cleaned_data", {})
        else:
            data = self.cleaned_data
        unit_id = data.get("unit")
        return (self.units.get(unit_id) if unit_id else None), data.get("rank") or ""


@login_required
@require_GET
def vacant_posts(request: AuthedRequest) -> HttpResponse:
    """The vacant posts in scope, filtered by unit and 职级, one page at a time.

    A fixed number of queries whatever the number of posts: the units for the filter, the count
    and one page of posts with their last tenure's end, set-up date and quota computed in SQL.
    """
    user = request.user
    require_cap(user, Cap.REGISTRY_VIEW)
    units = list(units_for(user).order_by("path").only("id", "name", "depth", "path"))
    form = VacancyFilterForm(request.GET or None, units=units)
    unit, rank = form.chosen()
    today = timezone.localdate()
    page, query = page_of(request, selectors.vacant_posts(user=user, unit=unit, rank=rank, on=today))
    return render(
        request,
        "web/org/vacancies.html",
        {"form": form, "page": page, "query": query, "today": today, "filtered": bool(unit or rank)},
    )
