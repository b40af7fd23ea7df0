"""The roster's (花名册) filters read from the query string, in one place.

The cadre list page, its Excel export, the batch .lrmx zip and the batch 任免审批表 all act on "the
cadres the user sees with these filters": they call ``filtered_cadres`` so that a link carrying the
page's query string selects exactly the same cadres everywhere, scoped to the user.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from ganbu.accounts.models import User
from ganbu.core.access import Cap, require_cap
from ganbu.registry import selectors
from ganbu.registry.models import Cadre
from ganbu.registry.selectors import CadreFilter

from ..forms_people import CadreFilterForm

FILTER_NAMES_NOT_SHOWN = ("sort", "age_on")
"""Fields of the filter form that do not narrow the list (sorting, the age's reference date)."""


def filtered_cadres(request: HttpRequest) -> tuple[CadreFilterForm, CadreFilter, QuerySet[Cadre]]:
    """The filter form (bound to the query string), the filter it gives, and the cadres it selects.

    404 for a user without the registry. Invalid fields are shown by the form and ignored; the
    valid ones still filter. The queryset is scoped to the user, sorted, not paginated, with the
    unit joined; unknown query parameters (``page``, ``export``, ``cadre`` …) are ignored.
    """
    user = request.user
    if not isinstance(user, User):
        raise Http404("页面不存在或无权访问。")
    require_cap(user, Cap.REGISTRY_VIEW)
    units = selectors.unit_picker_options(user=user, chosen=request.GET.get("unit"))
    form = CadreFilterForm(request.GET or None, units=units)
    filters = CadreFilter()
    if form.is_bound:
        form.is_valid()
        filters = form.to_filter()
    return form, filters, selectors.cadre_list(user=user, filters=filters)


def is_filtered(request: HttpRequest, form: CadreFilterForm) -> bool:
    """Whether any filter that narrows the list is given in the query string."""
    return any(request.GET.get(name) for name in form.fields if name not in FILTER_NAMES_NOT_SHOWN)
