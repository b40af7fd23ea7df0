"""County policy values: the values in force with their history; administrators record new versions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from ganbu.core.access import Cap, has_cap, require_cap
from ganbu.policy import selectors, services
from ganbu.policy.keys import display_value

from ..forms_common import add_service_error
from ..forms_policy import PolicyForm
from .org_common import AuthedRequest


@login_required
@require_http_methods(["GET", "POST"])
def policy_list(request: AuthedRequest) -> HttpResponse:
    """Every policy value in force today, its basis and versions; the set form for administrators."""
    can_manage = has_cap(request.user, Cap.POLICY_MANAGE)
    if not can_manage:
        require_cap(request.user, Cap.REGISTRY_VIEW)
    form = PolicyForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        if form is None:
            require_cap(request.user, Cap.POLICY_MANAGE)
        elif form.is_valid():
            data = form.cleaned_data
            try:
                row = services.policy_set(
                    actor=request.user,
                    key=data["key"],
                    value=data["value"],
                    effective_from=data["effective_from"],
                    note=data["note"],
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, f"已记录新版本，自 {row.effective_from:%Y-%m-%d} 起执行。")
                return redirect("web:policy-list")
    today = timezone.localdate()
    rows = [
        {
            "row": row,
            "shown": display_value(row.key, row.current.text),
            "versions": [(v, display_value(row.key, v.value)) for v in row.versions],
        }
        for row in selectors.policy_table(today)
    ]
    return render(request, "web/policy/policy_list.html", {"rows": rows, "form": form, "today": today})
