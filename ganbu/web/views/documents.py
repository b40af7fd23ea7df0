"""Appointment/removal documents (任免文件): list, detail, create, and the post picker.

Creating a document is one call to ``services.document_issue``: every item applies, or none does
and the page shows the Chinese error naming the failing item.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from ganbu.core.access import Cap, has_cap, require_cap
from ganbu.registry import selectors, services

from ..exports import DAY, MINUTE, Column, wants_xlsx, xlsx_response
from ..forms_org import DocumentForm, ItemFormSet
from .org_common import AuthedRequest, int_param, page_of

PICKER_LIMIT = 20

DOCUMENT_COLUMNS = [
    Column("文号", lambda d: d.number),
    Column("标题", lambda d: d.title),
    Column("发文日期", lambda d: d.issued_on, DAY),
    Column("发文机关", lambda d: d.issuing_body),
    Column("录入人", lambda d: str(d.created_by) if d.created_by else "系统"),
    Column("录入时间", lambda d: d.created_at, MINUTE),
    Column("备注", lambda d: d.note),
]


@login_required
@require_GET
def document_list(request: AuthedRequest) -> HttpResponse | FileResponse:
    """Documents the user may see, newest first, searchable by number or title (``?export=xlsx``)."""
    require_cap(request.user, Cap.REGISTRY_VIEW)
    q = request.GET.get("q", "").strip()[:100]
    qs = selectors.document_list(user=request.user).select_related("created_by")
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(title__icontains=q))
    if wants_xlsx(request):
        filters = [("文号或标题", q)] if q else []
        return xlsx_response(
            title="任免文件",
            columns=DOCUMENT_COLUMNS,
            rows=qs.order_by("-issued_on", "-id").iterator(),
            filters=filters,
        )
    page, query = page_of(request, qs.order_by("-issued_on", "-id"))
    return render(
        request,
        "web/org/document_list.html",
        {
            "page": page,
            "query": query,
            "q": q,
            "can_issue": has_cap(request.user, Cap.DOCUMENT_ISSUE),
        },
    )


@login_required
@require_GET
def document_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One document with the items about cadres the user may see."""
    require_cap(request.user, Cap.REGISTRY_VIEW)
    document = selectors.document_get_for_user(user=request.user, document_id=pk)
    items = selectors.document_items_for_user(user=request.user, document=document)
    return render(request, "web/org/document_detail.html", {"document": document, "items": items})


@login_required
@require_http_methods(["GET", "POST"])
def document_create(request: AuthedRequest) -> HttpResponse:
    """Record a document with its items and apply them; on any error nothing is written."""
    require_cap(request.user, Cap.DOCUMENT_ISSUE)
    user = request.user
    if request.method == "POST":
        form = DocumentForm(request.POST)
        items = ItemFormSet(request.POST, prefix="items", form_kwargs={"user": user})
        # Validate both, so that every row shows its own errors even when the header has some.
        header_ok, items_ok = form.is_valid(), items.is_valid()
        if header_ok and items_ok:
            data = form.cleaned_data
            try:
                document = services.document_issue(
                    actor=user,
                    number=data["number"],
                    title=data["title"],
                    issued_on=data["issued_on"],
                    issuing_body=data["issuing_body"],
                    note=data["note"],
                    items=items.item_inputs(default_date=data["issued_on"]),
                )
            except ValidationError as exc:
                items.add_service_error(form, exc)
            else:
                messages.success(request, f"任免文件「{document.number}」已登记，任免事项已生效。")
                return redirect("web:document-detail", pk=document.pk)
    else:
        form = DocumentForm(initial={"issued_on": timezone.localdate()})
        items = ItemFormSet(prefix="items", form_kwargs={"user": user})
    numbers = items.item_numbers() if items.is_bound else {i: i + 1 for i in range(len(items.forms))}
    for index, item in enumerate(items.forms):
        item.item_number = numbers.get(index)
    return render(request, "web/org/document_form.html", {"form": form, "items": items})


@login_required
@require_GET
def picker_posts(request: AuthedRequest) -> JsonResponse:
    """Post picker: the first posts in scope matching ``q`` (title or unit name), optionally in ``unit``.

    Answers like the cadre picker: ``{"results": [{"id", "text", "title", "unit", "holders"}]}``;
    the holders help choose the right post for a removal.
    """
    require_cap(request.user, Cap.REGISTRY_VIEW)
    posts = selectors.post_search(
        user=request.user,
        term=request.GET.get("q", "")[:50],
        unit_id=int_param(request, "unit"),
        limit=PICKER_LIMIT,
    )
    results = []
    for post in posts:
        holders = [t.cadre.name for t in post.holders]  # type: ignore[attr-defined]
        held = f"现任：{'、'.join(holders)}" if holders else "空缺"
        results.append(
            {
                "id": post.pk,
                "text": f"{post.unit.name} {post.title}（{post.get_rank_display()}，{held}）",
                "title": post.title,
                "unit": post.unit.name,
                "holders": holders,
            }
        )
    return JsonResponse({"results": results})
