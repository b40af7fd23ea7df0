"""Cadre pages: the list with filters, the record laid out as the 任免审批表, its forms and the picker.

Views parse, call a selector or a service, and render. Pages about one cadre are 404 for cadres
outside the user's scope (``selectors.cadre_get_for_user``); editing pages are 404 too for users
who may not edit that cadre (``can_edit_cadre``), exactly like a cadre that does not exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from ganbu.accounts.models import User
from ganbu.core.access import Cap, can_edit_cadre, can_see_sensitive, has_cap, require_cap
from ganbu.registry import selectors, services
from ganbu.registry.choices import RewardSanctionKind
from ganbu.registry.models import Cadre
from ganbu.registry.sanction_selectors import sees_sanctions, states_of
from ganbu.registry.selectors import CadreRecord
from ganbu.rules.dates import age_on, format_month

from ..exports import wants_xlsx
from ..forms_common import StyledForm, add_service_error
from ..forms_people import (
    FAMILY_POLITICAL_STATUSES,
    FAMILY_RELATIONS,
    AssessmentForm,
    CadreForm,
    CadreUpdateForm,
    FamilyMemberForm,
    ReserveForm,
    ResumeEntryForm,
    RewardSanctionForm,
)
from . import roster_export
from .org_common import page_of
from .roster_query import filtered_cadres, is_filtered

MSG_NOT_FOUND = "干部不存在或不在您的管理范围内。"
PICKER_LIMIT = 20

# Sortable columns of the list: column key → (ascending sort, descending sort or None).
SORT_COLUMNS: dict[str, tuple[str, str | None]] = {
    "name": ("name", "-name"),
    "age": ("age", "-age"),
    "unit": ("unit", None),
    "rank": ("rank", None),
}


class AuthedRequest(HttpRequest):
    """A request behind ``login_required``: its user is a real ``User``, never anonymous."""

    user: User


# ---------------------------------------------------------------- the list


def _sort_links(current: str) -> dict[str, dict[str, str]]:
    """For each sortable column: the ``sort`` value its header links to and the arrow to show."""
    links = {}
    for column, (asc, desc) in SORT_COLUMNS.items():
        if current == asc and desc:
            links[column] = {"sort": desc, "arrow": "bi-caret-up-fill"}
        elif current == desc:
            links[column] = {"sort": asc, "arrow": "bi-caret-down-fill"}
        else:
            links[column] = {"sort": asc, "arrow": "bi-caret-up-fill" if current == asc else ""}
    return links


def _age(birth: dt.date, on: dt.date) -> int | None:
    """Age on a date, or None for a birth date after it (bad data must not break a page)."""
    try:
        return age_on(birth, on)
    except ValueError:
        return None


@login_required
@require_GET
def cadre_list(request: AuthedRequest) -> HttpResponse | FileResponse:
    """The cadre register (干部名册): filters in the query string, sorted and paginated in the database.

    ``?export=xlsx``: the whole filtered list as a spreadsheet in the chosen columns (``roster_export``).

    A fixed number of queries whatever the number of cadres and however deep the page: the unit
    select (one query), one page of cadres with their unit joined, read by keyset after the
    pager's cursor (``org_common.page_of``), and on the page reached without a cursor the capped
    count; every column is a field of ``Cadre``.
    """
    user = request.user
    form, filters, cadres = filtered_cadres(request)
    if wants_xlsx(request):
        return roster_export.export(request, form, filters.age_on, cadres)
    age_on_date = filters.age_on or timezone.localdate()
    page, _query = page_of(request, cadres)
    rows = [{"cadre": c, "age": _age(c.birth_date, age_on_date)} for c in page]
    filtered = is_filtered(request, form)
    return render(
        request,
        "web/people/cadre_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "sort": filters.sort,
            "sort_links": _sort_links(filters.sort),
            "age_on": age_on_date,
            "filtered": filtered,
            "can_create": has_cap(user, Cap.REGISTRY_EDIT),
            **roster_export.chooser_context(request),
        },
    )


# ---------------------------------------------------------------- the record page


def _resume_dates(entry: Any) -> str:
    """The dates of a 简历 line as printed: ``YYYY.MM--YYYY.MM``, no end while current (lrmx.md §5)."""
    return f"{format_month(entry.start_date)}--{format_month(entry.end_date)}"


def _reward_text(item: Any) -> str:
    """One 奖惩 item as the form prints it: date, approving body, name."""
    text = f"{format_month(item.decided_on)} 经{item.approving_body}批准，{item.name}"
    if item.kind == RewardSanctionKind.SANCTION and item.effective_until:
        text += f"（影响期至 {item.effective_until:%Y.%m.%d}）"
    elif item.kind == RewardSanctionKind.SANCTION and item.impact_period and item.impact_period.permanent:
        text += "（影响不因期满解除）"
    return text


def _reward_rows(record: CadreRecord, on: dt.date) -> list[dict[str, Any]]:
    """Each 奖惩 row with, for a sanction, its state on ``on`` (DISC-03/04/05/16), computed on read."""
    sanctions = [r for r in record.rewards_sanctions if r.kind == RewardSanctionKind.SANCTION]
    states = {r.pk: state for r, state in states_of(sanctions, on)} if sanctions else {}
    return [{"r": r, "state": states.get(r.pk)} for r in record.rewards_sanctions]


def record_context(record: CadreRecord, *, can_edit: bool, on: dt.date | None = None) -> dict[str, Any]:
    """Template context for the record page: the record plus the texts the 任免审批表 prints."""
    on = on or timezone.localdate()
    cadre = record.cadre
    assessments = sorted(record.assessments, key=lambda a: a.year)
    return {
        "record": record,
        "cadre": cadre,
        "age": _age(cadre.birth_date, on),
        "age_on": on,
        "work_start": format_month(cadre.work_start_date),
        "resume_lines": [{"dates": _resume_dates(e), "text": e.text} for e in record.resume],
        "rewards_text": [_reward_text(r) for r in record.rewards_sanctions],
        "reward_rows": _reward_rows(record, on),
        "assessment_text": "；".join(f"{a.year}年度考核{a.get_grade_display()}" for a in assessments),
        "family": [
            {"member": m, "age": _age(m.birth_date, on) if m.birth_date else None} for m in record.family
        ],
        "current_tenures": [t for t in record.career if t.is_current],
        "can_edit": can_edit,
    }


@login_required
@require_GET
def cadre_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One cadre's record laid out as the 任免审批表, with tabs for the full history (printable)."""
    user = request.user
    require_cap(user, Cap.REGISTRY_VIEW)
    record = selectors.cadre_record(user=user, cadre_id=pk)
    context = record_context(record, can_edit=can_edit_cadre(user, record.cadre))
    context["sanction_links"] = sees_sanctions(user)
    return render(request, "web/people/cadre_detail.html", context)


@login_required
@require_GET
def cadre_photo(request: AuthedRequest, pk: int) -> FileResponse:
    """The cadre's photo, only to users who may see the cadre (photos are never public media)."""
    cadre = selectors.cadre_get_for_user(user=request.user, cadre_id=pk)
    if not cadre.photo:
        raise Http404("没有照片。")
    try:
        handle = cadre.photo.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("没有照片。") from None
    response = FileResponse(handle)
    response["Cache-Control"] = "private, max-age=300"
    return response


# ---------------------------------------------------------------- create and edit


def _editable_cadre(request: AuthedRequest, pk: int) -> Cadre:
    """A cadre the user may see and edit, or 404 (an editing page a user may not use does not exist)."""
    cadre = selectors.cadre_get_for_user(user=request.user, cadre_id=pk)
    if not can_edit_cadre(request.user, cadre):
        raise Http404(MSG_NOT_FOUND)
    return cadre


def _detail_url(cadre: Cadre, tab: str = "") -> str:
    url = reverse("web:cadre-detail", args=[cadre.pk])
    # "#family", not the pane's id "#tab-family": a fragment naming an element would make the
    # browser jump to and focus it; the page's script opens the tab instead.
    return f"{url}#{tab}" if tab else url


@login_required
@require_http_methods(["GET", "POST"])
def cadre_create(request: AuthedRequest) -> HttpResponse:
    """Register a new cadre (``services.cadre_create``); errors re-render the form, nothing written."""
    user = request.user
    require_cap(user, Cap.REGISTRY_EDIT)
    unit_id = request.GET.get("unit", "")
    initial = {"unit": int(unit_id) if unit_id.isdigit() else user.scope_unit_id}
    form = CadreForm(request.POST or None, request.FILES or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            cadre = services.cadre_create(actor=user, data=form.cadre_data())
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已为 {cadre.name} 建立干部档案。")
            return redirect(_detail_url(cadre))
    return render(request, "web/people/cadre_form.html", {"form": form, "cadre": None})


@login_required
@require_http_methods(["GET", "POST"])
def cadre_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Edit a cadre's record (``services.cadre_update``): one audit event with the changed fields."""
    user = request.user
    cadre = _editable_cadre(request, pk)
    form = CadreUpdateForm(
        request.POST or None,
        request.FILES or None,
        user=user,
        show_id=can_see_sensitive(user, cadre, Cap.SENSITIVE_ID),
        photo_url=reverse("web:cadre-photo", args=[cadre.pk]) if cadre.photo else "",
        initial=CadreUpdateForm.initial_for(cadre),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cadre_data(changed_only=True)
        data.pop("reason", None)
        if not data:
            messages.info(request, "没有修改任何内容。")
            return redirect(_detail_url(cadre))
        try:
            cadre = services.cadre_update(
                actor=user, cadre=cadre, data=data, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "干部信息已保存。")
            return redirect(_detail_url(cadre))
    return render(request, "web/people/cadre_form.html", {"form": form, "cadre": cadre})


# ---------------------------------------------------------------- parts of the record


def _part_page(
    request: AuthedRequest,
    *,
    cadre: Cadre,
    form: StyledForm,
    title: str,
    tab: str,
    save: Callable[[], Any],
    done: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """GET shows the form; a valid POST calls ``save`` (one service) and returns to the record's tab.

    A ``ServiceError`` goes back onto the form, re-rendered with status 200; nothing is written.
    """
    if request.method == "POST" and form.is_valid():
        try:
            save()
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, done)
            return redirect(_detail_url(cadre, tab))
    context = {"cadre": cadre, "form": form, "title": title, "back": _detail_url(cadre, tab), **(extra or {})}
    return render(request, "web/people/part_form.html", context)


def _family_extra(form: FamilyMemberForm) -> dict[str, Any]:
    return {
        "datalists": {
            "family-relations": FAMILY_RELATIONS,
            "family-political-statuses": FAMILY_POLITICAL_STATUSES,
        },
        "picker_labels": {"related_cadre": form.related_label},
    }


@login_required
@require_http_methods(["GET", "POST"])
def family_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Add a line to 家庭主要成员及重要社会关系."""
    cadre = _editable_cadre(request, pk)
    form = FamilyMemberForm(request.POST or None, user=request.user)
    return _part_page(
        request,
        cadre=cadre,
        form=form,
        title="添加家庭成员或社会关系",
        tab="family",
        save=lambda: services.family_member_save(actor=request.user, cadre=cadre, data=form.member_data()),
        done="家庭成员已添加。",
        extra=_family_extra(form),
    )


def _family_member(request: AuthedRequest, cadre: Cadre, member_pk: int) -> Any:
    """One family member of a cadre the user may edit, or 404 (families are sensitive data)."""
    members = selectors.cadre_family_for_user(user=request.user, cadre_id=cadre.pk)
    member = next((m for m in members if m.pk == member_pk), None)
    if member is None:
        raise Http404(MSG_NOT_FOUND)
    return member


@login_required
@require_http_methods(["GET", "POST"])
def family_edit(request: AuthedRequest, pk: int, member_pk: int) -> HttpResponse:
    """Change a family member or social relation."""
    cadre = _editable_cadre(request, pk)
    member = _family_member(request, cadre, member_pk)
    form = FamilyMemberForm(
        request.POST or None, user=request.user, initial=FamilyMemberForm.initial_for(member)
    )
    if not form.is_bound and member.related_cadre_id:
        related = member.related_cadre
        form.related_label = f"{related.name}（{related.unit.name}）" if related else ""
    return _part_page(
        request,
        cadre=cadre,
        form=form,
        title=f"修改家庭成员：{member.relation} {member.name}",
        tab="family",
        save=lambda: services.family_member_save(
            actor=request.user, cadre=cadre, member=member, data=form.member_data()
        ),
        done="家庭成员已修改。",
        extra=_family_extra(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def family_delete(request: AuthedRequest, pk: int, member_pk: int) -> HttpResponse:
    """Confirm (GET) and delete (POST) a family member entry."""
    cadre = _editable_cadre(request, pk)
    member = _family_member(request, cadre, member_pk)
    if request.method == "POST":
        try:
            services.family_member_delete(actor=request.user, member=member)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"已删除家庭成员 {member.relation} {member.name}。")
        return redirect(_detail_url(cadre, "family"))
    return render(
        request,
        "web/people/confirm_delete.html",
        {
            "cadre": cadre,
            "what": f"家庭成员「{member.relation} {member.name}」",
            "back": _detail_url(cadre, "family"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def resume_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Add a line to the 简历."""
    cadre = _editable_cadre(request, pk)
    form = ResumeEntryForm(request.POST or None)
    return _part_page(
        request,
        cadre=cadre,
        form=form,
        title="添加简历",
        tab="resume",
        save=lambda: services.resume_entry_save(actor=request.user, cadre=cadre, data=form.entry_data()),
        done="简历已添加。",
    )


@login_required
@require_http_methods(["GET", "POST"])
def resume_delete(request: AuthedRequest, pk: int, entry_pk: int) -> HttpResponse:
    """Confirm (GET) and delete (POST) a line of the 简历."""
    cadre = _editable_cadre(request, pk)
    record = selectors.cadre_record(user=request.user, cadre_id=cadre.pk)
    entry = next((e for e in record.resume if e.pk == entry_pk), None)
    if entry is None:
        raise Http404(MSG_NOT_FOUND)
    if request.method == "POST":
        try:
            services.resume_entry_delete(actor=request.user, entry=entry)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, "简历已删除。")
        return redirect(_detail_url(cadre, "resume"))
    return render(
        request,
        "web/people/confirm_delete.html",
        {
            "cadre": cadre,
            "what": f"简历「{_resume_dates(entry)} {entry.text}」",
            "back": _detail_url(cadre, "resume"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record an annual assessment result (one per year)."""
    cadre = _editable_cadre(request, pk)
    form = AssessmentForm(request.POST or None)
    return _part_page(
        request,
        cadre=cadre,
        form=form,
        title="登记年度考核结果",
        tab="assessments",
        save=lambda: services.assessment_record(
            actor=request.user,
            cadre=cadre,
            year=form.cleaned_data["year"],
            grade=form.cleaned_data["grade"],
            note=form.cleaned_data["note"],
        ),
        done="年度考核结果已登记。",
    )


@login_required
@require_http_methods(["GET", "POST"])
def reward_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record a reward, or a sanction for roles that see supervision records."""
    cadre = _editable_cadre(request, pk)
    allow = can_see_sensitive(request.user, cadre, Cap.SENSITIVE_SUPERVISION)
    form = RewardSanctionForm(request.POST or None, allow_sanction=allow)
    return _part_page(
        request,
        cadre=cadre,
        form=form,
        title="登记奖励" if not allow else "登记奖惩",
        tab="rewards",
        save=lambda: services.reward_sanction_record(actor=request.user, cadre=cadre, data=form.cleaned_data),
        done="奖惩情况已登记。",
    )


@login_required
@require_http_methods(["GET", "POST"])
def reserve_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Put the cadre into the reserve pool (后备干部)."""
    cadre = _editable_cadre(request, pk)
    form = ReserveForm(request.POST or None, initial={"start_date": timezone.localdate()})
    return _part_page(
        request,
        cadre=cadre,
        form=form,
        title="列入后备干部",
        tab="reserve",
        save=lambda: services.reserve_add(actor=request.user, cadre=cadre, **form.cleaned_data),
        done="已列入后备干部库。",
    )


# ---------------------------------------------------------------- person picker


def picker_text(cadre: Cadre) -> str:
    """``张三（县财政局 副局长）``: name, unit and current post, to tell namesakes apart."""
    unit = cadre.unit.name
    post = cadre.current_post_text
    if post.startswith(unit):
        post = post[len(unit) :]
    return f"{cadre.name}（{unit} {post}）" if post else f"{cadre.name}（{unit}）"


@login_required
@require_GET
def picker_cadres(request: AuthedRequest) -> JsonResponse:
    """Type-ahead search for cadres: ``?q=`` a name or pinyin initials, at most 20, in scope.

    ``?exclude=<id>`` leaves one cadre out (the family form: a relative is never the cadre).
    Contract (the document form and ``static/ganbu/picker.js`` rely on it)::

        {"results": [{"id": 12, "text": "张三（县财政局 副局长）", "name": "张三", "unit": "县财政局"}]}
    """
    require_cap(request.user, Cap.REGISTRY_VIEW)
    term = request.GET.get("q", "")[:50]
    exclude = request.GET.get("exclude", "")
    # One more than needed, so dropping the excluded cadre still leaves a full list.
    cadres = selectors.cadre_search(user=request.user, term=term, limit=PICKER_LIMIT + 1)
    cadres = [c for c in cadres if str(c.pk) != exclude][:PICKER_LIMIT]
    results = [{"id": c.pk, "text": picker_text(c), "name": c.name, "unit": c.unit.name} for c in cadres]
    return JsonResponse({"results": results}, json_dumps_params={"ensure_ascii": False})
