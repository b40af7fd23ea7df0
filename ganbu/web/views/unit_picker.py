"""The unit picker's search (``web:picker-units``): units in the user's scope matching a name.

Unit selects render only a few units (``forms_people.UnitPickerField``); ``ganbu/unit-picker.js``
asks here for the others as the officer types. Scoped like every registry read: a unit officer
finds only the units of their own subtree.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from ganbu.core.access import Cap, require_cap
from ganbu.registry import selectors

from ..forms_users import unit_label
from .org_common import AuthedRequest

PICKER_LIMIT = 20


@login_required
@require_GET
def picker_units(request: AuthedRequest) -> JsonResponse:
    """``?q=`` part of a unit's name or short name: at most 20 units in scope, in tree order.

    Answers like the other pickers::

        {"results": [{"id": 7, "text": "办公室（县财政局）", "name": "办公室"}]}
    """
    require_cap(request.user, Cap.REGISTRY_VIEW)
    units = selectors.unit_search(user=request.user, term=request.GET.get("q", ""), limit=PICKER_LIMIT)
    results = [{"id": u.pk, "text": unit_label(u), "name": u.name} for u in units]
    return JsonResponse({"results": results}, json_dumps_params={"ensure_ascii": False})
