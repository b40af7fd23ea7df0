"""County policy values and the working-day calendar in force, with history; the administrator edits them."""

from __future__ import annotations

import datetime as dt

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
from ..forms_policy import CalendarDayForm, CalendarYearForm, PolicyForm
from .org_common import AuthedRequest


@login_required
@require_http_methods(["GET", "POST"])
def policy_list(request: AuthedRequest) -> HttpResponse:
    """Every policy value in force today, its basis and versions; the set form for administrators."""
    can_manage = has_cap(request.user, Cap.POLICY_MANAGE)
    if not can_manage:
        require_cap(request.user, Cap.REGISTRY_VIEW)
    posted = request.method == "POST"
    which = request.POST.get("form", "policy") if posted else ""
    form = PolicyForm(request.POST if which == "policy" else None) if can_manage else None
    day_form = (
        CalendarDayForm(request.POST if which == "calendar" else None, prefix="cal") if can_manage else None
    )
    if posted and not can_manage:
        require_cap(request.user, Cap.POLICY_MANAGE)
    if posted and which == "calendar" and day_form is not None and day_form.is_valid():
        d = day_form.cleaned_data
        try:
            services.calendar_day_set(actor=request.user, day=d["day"], kind=d["kind"], note=d["note"])
        except ValidationError as exc:
            add_service_error(day_form, exc)
        else:
            messages.success(request, f"已调整工作日历：{d['day']:%Y-%m-%d}。")
            return redirect("web:policy-list")
    if posted and which == "calendar_delete" and can_manage:
        try:
            services.calendar_day_delete(
                actor=request.user, day=dt.date.fromisoformat(request.POST.get("day", ""))
            )
        except (ValidationError, ValueError) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", ["日期格式不正确。"])))
        else:
            messages.success(request, "已删除该日期的调整，恢复官方安排。")
        return redirect("web:policy-list")
    year_form = CalendarYearForm(request.POST if which == "calendar_year" else None, prefix="year")
    if posted and which == "calendar_year" and can_manage and year_form.is_valid():
        y = year_form.cleaned_data
        try:
            services.calendar_year_complete(actor=request.user, year=y["year"], note=y["note"])
        except ValidationError as exc:
            add_service_error(year_form, exc)
        else:
            messages.success(
                request, f"已确认 {y['year']} 年工作日历录入完整，该年的工作日自此按录入的安排计算。"
            )
            return redirect("web:policy-list")
    if posted and which == "calendar_year_reopen" and can_manage:
        try:
            year = int(request.POST.get("year", ""))
            services.calendar_year_reopen(
                actor=request.user, year=year, reason=request.POST.get("reason", "")
            )
        except (ValidationError, ValueError) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", ["年份不正确。"])))
        else:
            messages.success(request, f"已撤销 {year} 年工作日历的完整确认；涉及该年的工作日暂不能计算。")
        return redirect("web:policy-list")
    if posted and which == "policy" and form is not None and form.is_valid():
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
            "default_shown": display_value(row.key, row.key.default),
            "versions": [(v, display_value(row.key, v.value)) for v in row.versions],
        }
        for row in selectors.policy_table(today)
    ]
    first, last = selectors.calendar_official_years()
    invalid = (
        (form is not None and form.errors)
        or (day_form is not None and day_form.errors)
        or (which == "calendar_year" and year_form.errors)
    )
    return render(
        request,
        "web/policy/policy_list.html",
        {
            "rows": rows,
            "form": form,
            "day_form": day_form,
            "entries": selectors.calendar_entries(),
            "years": selectors.calendar_years(),
            "year_form": year_form if can_manage else None,
            "year_posted": year_form.data.get("year-year") if which == "calendar_year" else None,
            "official": (first, last),
            "today": today,
        },
        status=400 if invalid else 200,
    )
