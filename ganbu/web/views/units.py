"""Unit pages: the unit tree, one unit with its posts, holders, quotas and vacancies, and their forms.

Views parse, call a selector or a service, and render. Editing pages exist only for users who may
edit the unit (``can_edit_unit``); for everyone else they are 404, like a unit outside scope.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Min
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from ganbu.core.access import Cap, can_edit_unit, has_cap, require_cap, units_for
from ganbu.registry import selectors, services
from ganbu.registry.choices import PostKind, UnitKind
from ganbu.registry.models import Unit

from ..exports import Column, wants_xlsx, xlsx_response, yes_no
from ..forms_common import add_service_error
from ..forms_org import PostForm, PostUpdateForm, QuotaForm, UnitForm, UnitUpdateForm
from .org_common import AuthedRequest, int_param, page_of

UNITS_FOUND = 20  # units a name search on the unit tree page lists (a few words narrow it further)

# Bootstrap icon per unit kind, so the tree reads at a glance.
KIND_ICONS: dict[str, str] = {
    UnitKind.COUNTY: "bi-bank",
    UnitKind.COUNTY_ORGAN: "bi-building",
    UnitKind.TOWN: "bi-house",
    UnitKind.INSTITUTION: "bi-mortarboard",
    UnitKind.ENTERPRISE: "bi-briefcase",
    UnitKind.INTERNAL: "bi-diagram-3",
}


def _editable_unit(request: AuthedRequest, pk: int) -> Unit:
    """A unit the user may see and edit, or 404 (an editing page a user may not use does not exist)."""
    require_cap(request.user, Cap.REGISTRY_EDIT)
    unit = selectors.unit_get_for_user(user=request.user, unit_id=pk)
    if not can_edit_unit(request.user, unit):
        raise Http404("单位不存在或不在您的管理范围内。")
    return unit


def _export_units(request: AuthedRequest) -> FileResponse:
    """Every unit in scope with its 职数 per post kind: quota, filled and vacancies, streamed.

    Four queries whatever the number of units: the shallowest depth (for the indent), the quotas
    and the filled posts of every unit (grouped, ``unit_quota_table``), and the units themselves,
    read in chunks while the file is sent, each with its serving count from the structure summary.
    """
    user = request.user
    table = selectors.unit_quota_table(user=user)
    kinds = [k for k in PostKind if any(k.value in row for row in table.values())]
    base = units_for(user).aggregate(base=Min("depth"))["base"] or 0

    def quota(kind: str, part: int) -> Callable[[Unit], Any]:
        def value(unit: Unit) -> Any:
            number, filled = table.get(unit.pk, {}).get(kind, (None, 0))
            if part == 0:
                return number
            if part == 1:
                return filled if (number is not None or filled) else None
            return None if number is None else number - filled

        return value

    columns = [
        Column("单位", lambda u: "　" * (u.depth - base) + u.name),
        Column("单位类型", lambda u: u.get_kind_display()),
        Column("机构级别", lambda u: u.get_level_display()),
        Column("在用", lambda u: yes_no(u.is_active)),
        Column("在职干部", lambda u: u.cadre_count),
    ]
    for kind in kinds:
        columns += [
            Column(f"{kind.label}核定职数", quota(kind.value, 0)),
            Column(f"{kind.label}在任", quota(kind.value, 1)),
            Column(f"{kind.label}空缺", quota(kind.value, 2)),
        ]
    note = "在职干部只计本单位；在任按占用职数的职位计算；空缺为负数表示超职数配备。"
    rows = selectors.unit_list(user=user).iterator(chunk_size=2000)
    return xlsx_response(title="单位与职数", columns=columns, rows=rows, extra_note=note)


@login_required
@require_GET
def unit_list(request: AuthedRequest) -> HttpResponse | FileResponse:
    """The unit tree in the user's scope with each unit's serving cadres, bounded at any size.

    A county (up to ``selectors.UNIT_TREE_WHOLE_LIMIT`` units) sees its whole tree, indented. A
    larger scope sees one unit's children at a time (``?under=``, the top of the scope without
    it), a page at a time, with the way back up and a link down to each child's own children,
    and ``?q=`` finds units by name (the first ``UNITS_FOUND``); no JavaScript needed.
    ``?export=xlsx|csv``: every unit with its 职数, filled posts and vacancies.
    """
    require_cap(request.user, Cap.REGISTRY_VIEW)
    if wants_xlsx(request):
        return _export_units(request)
    user = request.user
    tree = selectors.unit_tree(user=user, under=request.GET.get("under"))
    context: dict[str, Any] = {
        "tree": tree,
        "can_create_top": has_cap(user, Cap.REGISTRY_EDIT) and user.scope_unit_id is None,
    }
    if tree.whole:
        base = min((u.depth for u in tree.units), default=0)
        for u in tree.units:
            u.indent = u.depth - base  # type: ignore[attr-defined]
            u.icon = KIND_ICONS.get(u.kind, "bi-building")  # type: ignore[attr-defined]
        context["units"] = tree.units
    else:
        assert tree.children is not None
        # Finding one unit among thousands without paging through levels: a bounded name search.
        term = request.GET.get("q", "").strip()[:50]
        if term:
            found = selectors.unit_search(user=user, term=term, limit=UNITS_FOUND)
            context.update(term=term, found=found, units_found=UNITS_FOUND)
        page, query = page_of(request, tree.children)
        for u in page:
            u.icon = KIND_ICONS.get(u.kind, "bi-building")
        if tree.unit is not None:
            tree.unit.icon = KIND_ICONS.get(tree.unit.kind, "bi-building")  # type: ignore[attr-defined]
        context.update(page=page, query=query)
    return render(request, "web/org/unit_list.html", context)


@login_required
@require_GET
def unit_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One unit: posts with current holders, quotas with filled and vacancies, child units.

    ``?cursor=`` (or ``?page=N``): the posts' page (``org_common.page_of``, 50 a page); each post
    lists its first holders and counts the rest.
    """
    require_cap(request.user, Cap.REGISTRY_VIEW)
    user = request.user
    unit = selectors.unit_get_for_user(user=user, unit_id=pk)
    can_edit = can_edit_unit(user, unit)
    quotas = selectors.unit_quotas(user=user, unit=unit)
    # Posts a page at a time (the lists' one pager, by cursor) and a few holders per post: the
    # page is bounded whatever the unit.
    posts, _query = page_of(request, selectors.unit_posts(user=user, unit=unit))
    return render(
        request,
        "web/org/unit_detail.html",
        {
            "unit": unit,
            "posts": posts,
            "holders_shown": selectors.HOLDERS_SHOWN,
            "quotas": [{"row": q, "over": max(0, -q.vacancies)} for q in quotas],
            "quota_totals": {
                "quota": sum(q.quota for q in quotas),
                "filled": sum(q.filled for q in quotas),
                "vacancies": sum(q.vacancies for q in quotas),
            },
            "children": list(
                selectors.unit_list(user=user).filter(parent=unit).order_by("sort_order", "path")
            ),
            "can_edit": can_edit,
            "post_form": PostForm(prefix="post") if can_edit else None,
            "quota_form": QuotaForm(prefix="quota") if can_edit else None,
            "icons": KIND_ICONS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_create(request: AuthedRequest) -> HttpResponse:
    """Create a unit under ``?parent=`` (or at the top of the tree, for county-wide editors)."""
    require_cap(request.user, Cap.REGISTRY_EDIT)
    parent_id = int_param(request, "parent")
    parent = _editable_unit(request, parent_id) if parent_id else None
    if parent is None and request.user.scope_unit_id is not None:
        raise Http404("页面不存在或无权访问。")
    form = UnitForm(
        request.POST or None, initial={"kind": UnitKind.INTERNAL if parent else UnitKind.COUNTY_ORGAN}
    )
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(actor=request.user, data={**form.unit_data(), "parent": parent})
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已新建单位「{unit.name}」。")
            return redirect("web:unit-detail", pk=unit.pk)
    return render(request, "web/org/unit_form.html", {"form": form, "parent": parent, "unit": None})


@login_required
@require_http_methods(["GET", "POST"])
def unit_update(request: AuthedRequest, pk: int) -> HttpResponse:
    """Edit a unit's name, kind, level, order and whether it is in use."""
    unit = _editable_unit(request, pk)
    form = UnitUpdateForm(request.POST or None, initial=UnitUpdateForm.initial_for(unit))
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(
                actor=request.user, unit=unit, data=form.unit_data(), reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "单位信息已保存。")
            return redirect("web:unit-detail", pk=unit.pk)
    return render(request, "web/org/unit_form.html", {"form": form, "parent": unit.parent, "unit": unit})


@login_required
@require_http_methods(["GET", "POST"])
def post_create(request: AuthedRequest, pk: int) -> HttpResponse:
    """Add a post to a unit (the detail page's inline form posts here; errors show on this page)."""
    unit = _editable_unit(request, pk)
    form = PostForm(request.POST or None, prefix="post")
    if request.method == "POST" and form.is_valid():
        try:
            post = services.post_create(actor=request.user, data={**form.post_data(), "unit": unit})
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已新增职位「{post.title}」。")
            return redirect("web:unit-detail", pk=unit.pk)
    return render(request, "web/org/post_form.html", {"form": form, "unit": unit, "post": None})


@login_required
@require_http_methods(["GET", "POST"])
def post_update(request: AuthedRequest, pk: int) -> HttpResponse:
    """Edit a post's title, kind, rank and flags."""
    require_cap(request.user, Cap.REGISTRY_EDIT)
    post = selectors.post_get_for_user(user=request.user, post_id=pk)
    unit = _editable_unit(request, post.unit_id)
    form = PostUpdateForm(request.POST or None, prefix="post", initial=PostUpdateForm.initial_for(post))
    if request.method == "POST" and form.is_valid():
        try:
            services.post_update(
                actor=request.user, post=post, data=form.post_data(), reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"职位「{form.cleaned_data['title']}」已保存。")
            return redirect("web:unit-detail", pk=unit.pk)
    return render(request, "web/org/post_form.html", {"form": form, "unit": unit, "post": post})


@login_required
@require_http_methods(["GET", "POST"])
def quota_set(request: AuthedRequest, pk: int) -> HttpResponse:
    """Set the unit's quota of one post kind (errors show on this page, nothing is written)."""
    unit = _editable_unit(request, pk)
    initial = {"kind": request.GET.get("kind", "")}
    form = QuotaForm(request.POST or None, prefix="quota", initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            quota = services.quota_set(
                actor=request.user, unit=unit, kind=data["kind"], number=data["number"], reason=data["reason"]
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"{quota.get_kind_display()}职数已设为 {quota.number} 名。")
            return redirect("web:unit-detail", pk=unit.pk)
    return render(request, "web/org/quota_form.html", {"form": form, "unit": unit})
