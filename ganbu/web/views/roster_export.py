"""The roster's (花名册) export (.xlsx or .csv) with the columns the user chooses, and saved column sets.

The columns come from ``?col=`` (repeated, in the order chosen), or else from one of the user's
saved sets (``?set=<id>``: another user's set is 404), or else the columns the page shows. The
rows are the roster's, filtered exactly like the page (``roster_query.filtered_cadres``), every
page, streamed: the whole registry is written in a fixed number of queries (one more per chunk of
2,000 cadres for 近三年年度考核) and flat memory, the file going out as the rows are read
(``roster_columns.export_stream``: on PostgreSQL the database writes the cells). ``?export=xlsx``
or ``?export=csv``.

Saving a set is two steps so that the filter form stays a plain GET form: its 保存为列组合 button
opens ``column_set_save`` with the checked columns in the query string, which asks for a name
and saves by POST. Deleting is a POST on the set.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from ganbu.accounts.models import User
from ganbu.core.access import Cap, require_cap
from ganbu.registry import roster_columns, selectors, services
from ganbu.registry.models import RosterColumnSet
from ganbu.registry.roster_columns import RosterColumn

from ..exports import XLSX, download, export_format, form_filters, notes_line
from ..forms_people import CadreFilterForm
from .org_common import AuthedRequest, int_param

TITLE = "干部名册"
BATCH_URLS = {"lrmx": "web:lrmx-export-batch", "print": "web:appointment-form-batch"}
"""The batch downloads other parts of the system add to the roster; a button only once its page exists."""


def _user(request: HttpRequest) -> User:
    """The signed-in user of a page behind ``login_required``."""
    return cast(User, request.user)


def chosen(request: HttpRequest) -> tuple[list[RosterColumn], RosterColumnSet | None]:
    """The columns asked for and the saved set they came from (if they came from one).

    ``col=`` wins over ``set=``: the page's chooser, once a set is loaded, sends both.
    """
    user = _user(request)
    keys = request.GET.getlist("col")
    column_set = None
    set_id = int_param(request, "set")
    if set_id is not None:
        column_set = selectors.roster_column_set_get(user=user, column_set_id=set_id)
    if not keys and column_set is not None:
        keys = list(column_set.columns)
    columns = roster_columns.chosen_columns(user, keys)
    return columns or roster_columns.chosen_columns(user, roster_columns.DEFAULT_KEYS), column_set


def export(request: HttpRequest, form: CadreFilterForm, age_on: dt.date | None, cadres: Any) -> FileResponse:
    """The filtered roster as .xlsx or .csv in the chosen columns (``cadres`` is the page's queryset)."""
    columns, column_set = chosen(request)
    on = age_on or timezone.localdate()
    filters = form_filters(form, skip=("age_on",))
    extra = f"年龄计算日期：{on:%Y-%m-%d}"
    if column_set is not None:
        extra += f"　列组合：{column_set.name}"
    fmt = export_format(request) or XLSX
    notes = notes_line(TITLE, filters, on=timezone.localdate(), extra=extra)
    chunks = roster_columns.export_stream(cadres, columns, on=on, fmt=fmt, title=TITLE, notes=notes)
    return download(chunks, title=TITLE, fmt=fmt)


def _url_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def chooser_context(request: HttpRequest) -> dict[str, Any]:
    """Template context for the column chooser, the saved sets and the batch buttons."""
    user = _user(request)
    columns, column_set = chosen(request)
    keys = [c.key for c in columns]
    offered = roster_columns.columns_for(user)
    ordered = columns + [c for c in offered if c.key not in keys]
    params = request.GET.copy()
    for name in ("page", "cursor", "export", "col", "set", "cadre", "format"):
        params.pop(name, None)
    return {
        "column_choices": [{"column": c, "checked": c.key in keys} for c in ordered],
        "column_sets": list(selectors.roster_column_sets(user=user)),
        "column_set": column_set,
        "filter_params": [(name, value) for name in params for value in params.getlist(name)],
        "batch_urls": {key: _url_or_none(name) for key, name in BATCH_URLS.items()},
    }


@login_required
@require_http_methods(["GET", "POST"])
def column_set_save(request: AuthedRequest) -> HttpResponse:
    """Name and save the checked columns as a set (GET: the columns from the roster; POST: save)."""
    require_cap(request.user, Cap.REGISTRY_VIEW)
    data = request.POST if request.method == "POST" else request.GET
    columns = roster_columns.chosen_columns(request.user, data.getlist("col"))
    name = data.get("set_name", "").strip()[:100]
    error = ""
    if request.method == "POST":
        try:
            column_set = services.roster_column_set_save(
                actor=request.user, name=name, columns=[c.key for c in columns]
            )
        except ValidationError as exc:
            error = "；".join(exc.messages)
        else:
            messages.success(request, f"列组合「{column_set.name}」已保存。")
            return redirect(f"{reverse('web:cadre-list')}?set={column_set.pk}")
    return render(
        request,
        "web/people/column_set_form.html",
        {"columns": columns, "name": name, "error": error, "column_sets": _names(request)},
    )


def _names(request: HttpRequest) -> list[str]:
    return list(selectors.roster_column_sets(user=_user(request)).values_list("name", flat=True))


@login_required
@require_POST
def column_set_delete(request: AuthedRequest) -> HttpResponse:
    """Delete one of the user's saved sets (``set`` in the form; another user's, or none, is 404)."""
    require_cap(request.user, Cap.REGISTRY_VIEW)
    set_id = request.POST.get("set", "")
    if not set_id.isdigit() or len(set_id) > 18:
        raise Http404("列组合不存在或不是您保存的。")
    column_set = selectors.roster_column_set_get(user=request.user, column_set_id=int(set_id))
    services.roster_column_set_delete(actor=request.user, column_set_id=column_set.pk)
    messages.success(request, f"列组合「{column_set.name}」已删除。")
    return redirect("web:cadre-list")
