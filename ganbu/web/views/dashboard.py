"""The home page: the user's to-do list, what their role can do, and for registry roles the team at a
glance."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ganbu.core.access import Cap, has_cap
from ganbu.registry import selectors, structure
from ganbu.todo import selectors as todo_selectors

from .cadres import AuthedRequest

#: Items shown per to-do group on the home page; the to-do page shows them all.
DASHBOARD_TODO_LIMIT = 5


def _bars(rows: list[tuple[str, int]], total: int) -> list[dict[str, Any]]:
    """Rows with their share of ``total`` in percent, for the CSS bar charts (no chart library)."""
    return [
        {"label": label, "count": count, "percent": round(100 * count / total, 1) if total else 0.0}
        for label, count in rows
    ]


@login_required
@require_GET
def dashboard(request: AuthedRequest) -> HttpResponse:
    """Role-aware dashboard.

    First the user's to-do groups (``ganbu.todo.selectors.todo_items``: counts and the first items
    with links, a fixed number of queries). Registry roles see head counts and the age, education
    and gender structure of the serving cadres in their scope and quick
    links; a cadre sees a link to their own record; the auditor a link to the audit trail.

    The structure comes from the summary the database keeps beside the registry
    (``registry.structure``: two queries over a few hundred rows per unit, not a scan of every
    cadre in scope), so the page costs the same at 3,000 cadres and at 500,000.
    """
    user = request.user
    # Applicants and interview judges have one page each; after login (and from 「首页」) they land there.
    if has_cap(user, Cap.APPLICANT_PORTAL):
        return redirect("web:my-applications")
    if has_cap(user, Cap.CAMPAIGN_JUDGE):
        return redirect("web:judging-panels")
    context: dict[str, Any] = {
        "registry": has_cap(user, Cap.REGISTRY_VIEW),
        "can_edit": has_cap(user, Cap.REGISTRY_EDIT),
        "reviewer": has_cap(user, Cap.CORRECTION_REVIEW),
        "self_service": has_cap(user, Cap.SELF_SERVICE),
        "auditor": has_cap(user, Cap.AUDIT_VIEW),
    }
    groups = todo_selectors.todo_items(user, timezone.localdate(), limit=DASHBOARD_TODO_LIMIT)
    context["todo_groups"] = groups
    context["todo_total"] = todo_selectors.todo_total(groups)
    context["todo_empty_titles"] = todo_selectors.empty_titles(groups)
    if context["registry"]:
        summary = structure.structure_for(user=user)
        context["summary"] = summary
        context["structure"] = [
            ("年龄结构", _bars(summary.by_age, summary.serving)),
            # 「未填写」 only when some records lack an education, so a complete registry shows none.
            (
                "学历结构",
                _bars([r for r in summary.by_education if r[0] != "未填写" or r[1]], summary.serving),
            ),
            ("性别结构", _bars(summary.by_gender, summary.serving)),
        ]
    if context["reviewer"] or context["self_service"]:
        context["pending_corrections"] = selectors.correction_list(user=user, pending_only=True).count()
    if context["self_service"]:
        context["has_record"] = user.cadre_id is not None
    return render(request, "web/dashboard.html", context)
