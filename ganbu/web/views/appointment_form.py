"""Downloads of the printable 干部任免审批表 (.docx / .pdf): one cadre's, or a batch in one file.

The form is built from the same record the ``.lrmx`` files carry
(``ganbu.interop.selectors.records_for_cadres``, scoped to the user, with the family, ID number and
sanctions left out for readers who may not see them) and rendered by
``ganbu.documents.appointment_form``. When printed for a 纪实 (``record=<id>``), 拟任职务, 拟免职务,
任免理由 and 呈报单位 come from it.

- ``web:appointment-form`` — one cadre: ``?format=docx|pdf[&record=<纪实 id>]``;
- ``web:appointment-form-batch`` — one file for many: ``record=<纪实 id>`` (its 考察对象, after a cover
  list), or repeated ``cadre=<id>``, or else the roster's filters (the same query string as the roster
  page; no filter is the whole roster), at most :data:`BATCH_LIMIT` forms.

Capability: the registry (as for the cadre page); a cadre outside the user's scope is 404, as is a 纪实
the user may not see or a cadre who is not among its candidates.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from ganbu.core.access import Cap, require_cap
from ganbu.documents import appointment_form as forms
from ganbu.interop.lrmx.record import Record
from ganbu.interop.selectors import records_for_cadres
from ganbu.registry import selectors as registry_selectors
from ganbu.selection import selectors as selection_selectors
from ganbu.selection.models import SelectionRecord

from .cadres import AuthedRequest
from .roster_query import filtered_cadres

BATCH_LIMIT = 100
"""The most forms one batch prints: a committee's papers are tens of forms, not the whole county."""

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}

MSG_FORMAT = "不支持的文件格式：请选择 Word（docx）或 PDF。"
MSG_NONE_FOUND = "没有可打印的干部。"
MSG_TOO_MANY = "一次最多打印 {limit} 份任免审批表，当前选中 {count} 人，请缩小范围后分批打印。"
MSG_BAD_ID = "干部编号不正确。"
MSG_NO_CANDIDATES = "该纪实还没有考察对象，没有可打印的任免审批表。"


class _Refused(Exception):
    """A request that cannot be printed, with the Chinese sentence that says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _refusal(request: AuthedRequest, message: str) -> HttpResponse:
    """The page that says why nothing was printed (400)."""
    return render(request, "web/error.html", {"title": "无法打印任免审批表", "message": message}, status=400)


def _format(request: AuthedRequest) -> str:
    """The file format asked for: ``pdf`` when none is given."""
    value = request.GET.get("format", "pdf").strip().lower() or "pdf"
    if value not in CONTENT_TYPES:
        raise _Refused(MSG_FORMAT)
    return value


def _id(value: str | None) -> int | None:
    """A positive id from the query string, ``None`` when absent; refused when not a number."""
    if value is None or not value.strip():
        return None
    try:
        number = int(value.strip())
    except ValueError:
        raise _Refused(MSG_BAD_ID) from None
    if number <= 0 or number > 2**63 - 1:
        raise _Refused(MSG_BAD_ID)
    return number


def _selection(request: AuthedRequest) -> SelectionRecord | None:
    """The 纪实 named by ``record=``, or ``None``; 404 for one the user may not see."""
    record_id = _id(request.GET.get("record"))
    if record_id is None:
        return None
    require_cap(request.user, Cap.SELECTION_VIEW)
    return selection_selectors.record_get(user=request.user, record_id=record_id)


def _candidate_ids(selection: SelectionRecord) -> list[int]:
    """The 纪实's candidates (考察对象) in their order, each cadre once."""
    ids: list[int] = []
    for cadre_id in selection.candidates.order_by("sort_order", "id").values_list("cadre_id", flat=True):
        if cadre_id not in ids:
            ids.append(cadre_id)
    return ids


def _download(data: bytes, filename: str, fmt: str) -> HttpResponse:
    """The file as an attachment with its Chinese name (RFC 5987 ``filename*``)."""
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["Cache-Control"] = "private, no-store"
    return response


def _render(records: list[Record], fmt: str, *, today: dt.date, cover: bool = False) -> bytes:
    """One form, or a batch in one file."""
    if len(records) == 1 and not cover:
        if fmt == "docx":
            return forms.render_docx(records[0], today=today)
        return forms.render_pdf(records[0], today=today)
    if fmt == "docx":
        return forms.render_batch_docx(records, today=today, cover=cover)
    return forms.render_batch_pdf(records, today=today, cover=cover)


def _file_name(stem: str) -> str:
    """A file name without characters a file system refuses."""
    cleaned = "".join("_" if ch in '\\/:*?"<>|\r\n\t' else ch for ch in stem).strip() or "干部任免审批表"
    return cleaned[:80]


@login_required
@require_GET
def appointment_form(request: AuthedRequest, pk: int) -> HttpResponse:
    """One cadre's 任免审批表 as .docx or .pdf; for a 纪实 when ``record=`` names one."""
    user = request.user
    require_cap(user, Cap.REGISTRY_VIEW)
    cadre = registry_selectors.cadre_get_for_user(user=user, cadre_id=pk)
    try:
        fmt = _format(request)
        selection = _selection(request)
    except _Refused as refused:
        return _refusal(request, refused.message)
    if selection is not None and cadre.pk not in _candidate_ids(selection):
        raise Http404("该干部不是这份纪实的考察对象。")
    records = records_for_cadres(user=user, cadres=[cadre.pk], selection_record=selection)
    if not records:
        raise Http404("干部不存在或不在您的管理范围内。")
    data = _render(records, fmt, today=timezone.localdate())
    return _download(data, _file_name(f"干部任免审批表_{cadre.name}") + f".{fmt}", fmt)


@login_required
@require_GET
def appointment_form_batch(request: AuthedRequest) -> HttpResponse:
    """Many 任免审批表 in one file: a 纪实's candidates, the ticked cadres, or the filtered roster."""
    user = request.user
    require_cap(user, Cap.REGISTRY_VIEW)
    try:
        fmt = _format(request)
        selection = _selection(request)
        if selection is not None:
            ids = _candidate_ids(selection)
            if not ids:
                raise _Refused(MSG_NO_CANDIDATES)
            stem = f"{selection.title}_干部任免审批表"
        else:
            ids = [i for i in (_id(v) for v in request.GET.getlist("cadre")) if i is not None]
            ids = list(dict.fromkeys(ids))
            if not ids:
                # None ticked: every cadre the roster shows with these filters (all of them with none),
                # as the roster page's batch buttons promise.
                _form, _filters, cadres = filtered_cadres(request)
                ids = list(cadres.values_list("pk", flat=True)[: BATCH_LIMIT + 1])
                if len(ids) > BATCH_LIMIT:
                    raise _Refused(MSG_TOO_MANY.format(limit=BATCH_LIMIT, count=cadres.count()))
            stem = f"干部任免审批表（{len(ids)}人）"
        if len(ids) > BATCH_LIMIT:
            raise _Refused(MSG_TOO_MANY.format(limit=BATCH_LIMIT, count=len(ids)))
    except _Refused as refused:
        return _refusal(request, refused.message)
    records = records_for_cadres(user=user, cadres=ids, selection_record=selection)
    if len(records) != len(ids):
        # A cadre named by id that the user may not see: as for one cadre, it does not exist.
        raise Http404("干部不存在或不在您的管理范围内。")
    if not records:
        return _refusal(request, MSG_NONE_FOUND)
    cover = selection is not None or request.GET.get("cover") == "1"
    data = _render(records, fmt, today=timezone.localdate(), cover=cover)
    return _download(data, _file_name(stem) + f".{fmt}", fmt)
