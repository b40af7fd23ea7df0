"""Self-service correction requests (信息更正): review by officers, status for the cadre who asked."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from ganbu.core.access import Cap, has_cap
from ganbu.registry import selectors, services
from ganbu.registry.models import Cadre

from ..forms_org import ReviewForm
from .org_common import AuthedRequest, page_of

STATUS_FILTERS = {"pending": "待审核", "all": "全部"}


def field_label(name: str) -> str:
    """The Chinese name of a cadre field (the request stores the identifier)."""
    try:
        return str(getattr(Cadre._meta.get_field(name), "verbose_name", name))
    except FieldDoesNotExist:
        return name


@login_required
@require_GET
def correction_list(request: AuthedRequest) -> HttpResponse:
    """Reviewers: the requests in their scope (pending by default); a cadre: their own requests."""
    user = request.user
    reviewer = has_cap(user, Cap.CORRECTION_REVIEW)
    if not reviewer and not has_cap(user, Cap.SELF_SERVICE):
        raise Http404("页面不存在或无权访问。")
    status = request.GET.get("status", "pending") if reviewer else "all"
    if status not in STATUS_FILTERS:
        status = "pending"
    qs = selectors.correction_list(user=user, pending_only=status == "pending").select_related("reviewed_by")
    page, query = page_of(request, qs.order_by("-submitted_at", "-id"))
    for row in page:
        row.field_label = field_label(row.field_name)
    return render(
        request,
        "web/org/correction_list.html",
        {
            "page": page,
            "query": query,
            "reviewer": reviewer,
            "status": status,
            "status_filters": STATUS_FILTERS,
        },
    )


@login_required
@require_POST
def correction_review(request: AuthedRequest, pk: int) -> HttpResponse:
    """Approve (apply to the record) or reject one request in the reviewer's scope."""
    user = request.user
    if not has_cap(user, Cap.CORRECTION_REVIEW):
        raise Http404("页面不存在或无权访问。")
    correction = selectors.correction_list(user=user, pending_only=False).filter(pk=pk).first()
    if correction is None:
        raise Http404("更正申请不存在或不在您的管理范围内。")
    form = ReviewForm(request.POST)
    back = reverse("web:correction-list")
    if not form.is_valid():
        messages.error(request, "请选择采纳或不采纳，审核意见不超过 300 字。")
        return redirect(back)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services.correction_review(
            actor=user, request=correction, approve=approve, note=form.cleaned_data["note"]
        )
    except ValidationError as exc:
        messages.error(request, f"{correction.cadre.name}的更正申请未能处理：{'；'.join(exc.messages)}")
    else:
        label = field_label(correction.field_name)
        if approve:
            messages.success(
                request,
                f"已采纳：{correction.cadre.name}的「{label}」已更正为「{correction.proposed_value}」。",
            )
        else:
            messages.success(request, f"已不采纳{correction.cadre.name}关于「{label}」的更正申请。")
    return redirect(back)
