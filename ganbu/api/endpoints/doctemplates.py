"""Document templates (文书模板) and documents (.docx or .pdf): a selection record's, and any kind's by the
object it is made from (``GET /filled/{kind}/{source_id}``: a joint meeting's minutes …).

Templates are listed and changed by county-wide department officers (``ganbu.doctemplates``); the list is
a 404 for anyone else, and a change by anyone else is the service's refusal (422). A record's document is
for staff who may see the record; one whose step has not happened yet is a 422 with the Chinese reason.
A PDF says in the ``X-Ganbu-Pdf`` header whether LibreOffice converted the filled template
(``libreoffice``) or the built-in layout was used (``builtin-layout``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import Http404, HttpRequest
from ninja import File, Form, Query, Router, Schema, UploadedFile
from ninja.params import functions as param
from ninja.responses import Status
from pydantic import Field as PydanticField

from ganbu.core.errors import ServiceError
from ganbu.doctemplates import selectors, services
from ganbu.doctemplates.kinds import KINDS, Field
from ganbu.doctemplates.models import DocumentTemplate
from ganbu.doctemplates.responses import rendered_response
from ganbu.selection import selectors as selection_selectors

from ..common import READ_ERRORS, WRITE_ERRORS, actor
from ..schemas import MAX_ID

router = Router(tags=["文书模板"])

RecordId = param.Path(..., ge=1, le=MAX_ID, description="选拔任用纪实 id")
KindPath = param.Path(
    ..., description="文书种类：" + "、".join(f"{k}（{v.label}）" for k, v in KINDS.items())
)


class FieldOut(Schema):
    """A field a template may use; a list of records has ``items``."""

    name: str
    label: str
    type: str
    example: str
    items: list[FieldOut] = []


FieldOut.model_rebuild()


class TemplateOut(Schema):
    """An uploaded template (without the file)."""

    id: int
    kind: str
    filename: str
    size: int
    fields: list[str]
    note: str
    uploaded_by: str
    uploaded_at: dt.datetime
    is_active: bool


class KindOut(Schema):
    """A kind of document, its fields, the template in use (``null``: the default) and every upload."""

    kind: str
    label: str
    description: str
    ready_when: str
    per_candidate: bool
    source: str
    fields: list[FieldOut]
    active: TemplateOut | None
    uploads: list[TemplateOut]


class DocTemplatesOut(Schema):
    """How PDFs are made on this server, and every kind of document."""

    pdf_layout: Literal["libreoffice", "builtin-layout"]
    kinds: list[KindOut]


class DocumentQuery(Schema):
    """Which file to produce; ``candidate`` limits the inspection outline to one candidate."""

    format: Literal["docx", "pdf"] = "docx"
    candidate: int | None = PydanticField(None, ge=1, le=MAX_ID)


def _field_out(f: Field) -> dict[str, Any]:
    """A field for the schema."""
    example = f.example if isinstance(f.example, str) else "、".join(f.example)
    return {
        "name": f.name,
        "label": f.label,
        "type": f.type_label,
        "example": example,
        "items": [_field_out(i) for i in f.items],
    }


def _template_out(t: DocumentTemplate) -> dict[str, Any]:
    """An upload for the schema."""
    return {
        "id": t.pk,
        "kind": t.kind,
        "filename": t.filename,
        "size": t.size,
        "fields": list(t.fields),
        "note": t.note,
        "uploaded_by": t.uploaded_by.display_name or t.uploaded_by.get_username(),
        "uploaded_at": t.uploaded_at,
        "is_active": t.is_active,
    }


def _kind_out(o: selectors.KindOverview) -> dict[str, Any]:
    """A kind with its templates for the schema."""
    return {
        "kind": o.kind.key.value,
        "label": o.kind.label,
        "description": o.kind.description,
        "ready_when": o.kind.ready_when,
        "per_candidate": o.kind.per_candidate,
        "source": o.kind.source,
        "fields": [_field_out(f) for f in o.kind.fields],
        "active": _template_out(o.active) if o.active else None,
        "uploads": [_template_out(u) for u in o.uploads],
    }


@router.get(
    "/doc-templates",
    response={200: DocTemplatesOut, **READ_ERRORS},
    summary="文书种类、可用字段和正在使用的模板",
    operation_id="doc_template_list",
)
def doc_template_list(request: HttpRequest) -> Any:
    """Every kind with its fields and templates, for county-wide department officers (404 otherwise)."""
    overview = selectors.template_overview(user=actor(request))
    return {"pdf_layout": selectors.pdf_layout(), "kinds": [_kind_out(o) for o in overview]}


@router.post(
    "/doc-templates/{kind}",
    response={201: TemplateOut, **WRITE_ERRORS},
    summary="上传并启用文书模板（multipart/form-data：file 为 .docx，note 为说明）",
    operation_id="doc_template_upload",
)
def doc_template_upload(
    request: HttpRequest, file: File[UploadedFile], note: Form[str] = "", kind: str = KindPath
) -> Any:
    """Upload a .docx template of ``kind`` and put it in use; a refused template is a 422 on ``file``."""
    if kind not in KINDS:
        raise Http404
    if (file.size or 0) > services.MAX_TEMPLATE_BYTES:
        size = f"{(file.size or 0) / 1024 / 1024:.1f} MB"
        raise ServiceError({services.FILE_FIELD: [services.MSG_TOO_LARGE.format(size=size)]})
    template = services.template_upload(
        actor=actor(request), kind=kind, data=file.read(), filename=file.name or "", note=note
    )
    return Status(201, _template_out(template))


@router.post(
    "/doc-templates/{kind}/reset",
    response={200: KindOut, **WRITE_ERRORS},
    summary="文书模板恢复默认",
    operation_id="doc_template_reset",
)
def doc_template_reset(request: HttpRequest, kind: str = KindPath) -> Any:
    """Stop using the uploaded template of ``kind``; the default is used from now on."""
    if kind not in KINDS:
        raise Http404
    user = actor(request)
    services.template_reset(actor=user, kind=kind)
    return _kind_out(selectors.kind_overview(user=user, kind=kind))


@router.get(
    "/selection/records/{record_id}/documents/{kind}",
    response={200: None, **READ_ERRORS},
    summary="纪实的文书（考察预告、任前公示公告、任职通知、考察材料提纲、讨论决定任免名单；.docx 或 .pdf）",
    operation_id="selection_record_document",
)
def selection_record_document(
    request: HttpRequest, query: Query[DocumentQuery], record_id: int = RecordId, kind: str = KindPath
) -> Any:
    """The document ``kind`` of a record in scope, filled from the template in use."""
    user = actor(request)
    record = selection_selectors.record_get(user=user, record_id=record_id)
    document = selectors.render_record_document(
        user=user, record=record, kind=kind, fmt=query.format, candidate_id=query.candidate
    )
    return rendered_response(document)


SourceId = param.Path(..., ge=1, le=MAX_ID, description="文书所依据对象的 id（如联席会议 id）")


class SourceDocumentQuery(Schema):
    """Which file to produce from a document's source object."""

    format: Literal["docx", "pdf"] = "docx"


@router.get(
    "/filled/{kind}/{source_id}",
    response={200: None, **READ_ERRORS},
    summary="按依据对象生成的文书（如联席会议的会议纪要；.docx 或 .pdf）",
    operation_id="filled_document",
)
def filled_document(
    request: HttpRequest, query: Query[SourceDocumentQuery], kind: str = KindPath, source_id: int = SourceId
) -> Any:
    """The document ``kind`` made from object ``source_id`` of its source (the kind's ``source`` in
    ``GET /doc-templates``), read through the caller's scope; 422 with the reason before its step."""
    document = selectors.render_document(
        user=actor(request), kind=kind, source_id=source_id, fmt=query.format
    )
    return rendered_response(document)
