"""Downloads of 任免审批表 files: one cadre's ``.lrmx`` (or ``.lrm`` + ``.pic``), a roster's as a ``.zip``.

Thin: the records come from ``interop.selectors.records_for_cadres`` (scoped to the user, sensitive
parts left out for readers who may not see them), the files from ``interop.export``. See
``docs/lrmx-import.md``.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from ganbu.core.access import Cap, require_cap
from ganbu.interop.export import FORMATS, export_records
from ganbu.interop.lrmx import write_zip
from ganbu.interop.selectors import records_for_cadres

from .cadres import AuthedRequest
from .roster_query import filtered_cadres

BATCH_LIMIT = 2000
MSG_TOO_MANY = "一次最多导出 {limit} 人的任免审批表，当前选中 {count} 人，请先用筛选条件缩小范围。"
MSG_NONE = "没有可导出的干部。"
MSG_LRM_FAILED = "该干部的任免审批表无法导出为 .lrm：{message}"

_TYPES = {".lrmx": "application/xml", ".lrm": "application/octet-stream", ".zip": "application/zip"}


def _download(name: str, data: bytes) -> HttpResponse:
    ext = name[name.rfind(".") :]
    response = HttpResponse(data, content_type=_TYPES.get(ext, "application/octet-stream"))
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    response["Cache-Control"] = "private, no-store"
    return response


def _options(request: AuthedRequest) -> tuple[str, bool]:
    fmt = request.GET.get("format", "lrmx")
    return (fmt if fmt in FORMATS else "lrmx"), request.GET.get("reform") == "1"


@login_required
@require_GET
def cadre_lrmx(request: AuthedRequest, pk: int) -> HttpResponse:
    """One cadre's 任免审批表 file: ``?format=lrmx`` (default; ``&reform=1`` adds the post-2025 fields) or
    ``lrm`` (with its photo: a ``.zip`` of the ``.lrm`` and ``.pic``)."""
    require_cap(request.user, Cap.REGISTRY_VIEW)
    records = records_for_cadres(user=request.user, cadres=[pk])
    if not records:
        raise Http404("干部不存在或不在您的管理范围内。")
    fmt, reform = _options(request)
    export = export_records(records, fmt=fmt, reform=reform)
    if export.problems:
        messages.error(request, MSG_LRM_FAILED.format(message=export.problems[0].split("：", 1)[-1]))
        return redirect("web:cadre-detail", pk)
    if len(export.entries) == 1:
        return _download(*export.entries[0])
    return _download(f"{records[0].name}.zip", write_zip(export.entries))


@login_required
@require_GET
def lrmx_export_batch(request: AuthedRequest) -> HttpResponse:
    """A ``.zip`` of the 任免审批表 files of the checked cadres (repeated ``cadre=<id>``) or, none checked,
    of the roster with the filters of the query string (the roster page's own)."""
    user = request.user
    require_cap(user, Cap.REGISTRY_VIEW)
    chosen = [int(v) for v in request.GET.getlist("cadre") if v.isdigit()]
    if chosen:
        cadres: list[int] = chosen
    else:
        _form, _filters, queryset = filtered_cadres(request)
        cadres = list(queryset.values_list("pk", flat=True)[: BATCH_LIMIT + 1])
    back = reverse("web:cadre-list") + ("?" + urlencode(_roster_query(request)) if request.GET else "")
    if len(cadres) > BATCH_LIMIT:
        count = len(chosen) if chosen else "超过 " + str(BATCH_LIMIT)
        messages.error(request, MSG_TOO_MANY.format(limit=BATCH_LIMIT, count=count))
        return redirect(back)
    records = records_for_cadres(user=user, cadres=cadres)
    if not records:
        messages.error(request, MSG_NONE)
        return redirect(back)
    fmt, reform = _options(request)
    export = export_records(records, fmt=fmt, reform=reform)
    return _download(f"任免审批表（{len(records)}人）.zip", write_zip(export.with_note()))


def _roster_query(request: AuthedRequest) -> list[tuple[str, str]]:
    """The query string without this export's own parameters, to return to the same roster."""
    own = ("cadre", "format", "reform")
    return [(k, v) for k in request.GET for v in request.GET.getlist(k) if k not in own]
