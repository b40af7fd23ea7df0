"""Reads: the kinds and their templates, template files, and documents filled in from their sources.

The templates page and its files are for those who may change templates
(``services.may_manage_templates``); anyone else gets a 404. A document is for those who may see the
object it is made from, read through the scope of the app that owns it (``sources.SOURCES``): a selection
record's documents for staff who may see the procedure (``Cap.SELECTION_VIEW``) and the record in their
scope, the minutes of a joint meeting for county-wide supervision staff. An object outside the scope is a
404 exactly like a missing one.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from django.db.models import Model
from django.http import Http404

from ganbu.accounts.models import User
from ganbu.core.access import Cap, has_cap
from ganbu.core.downloads import CONTENT_TYPES
from ganbu.core.errors import ServiceError
from ganbu.documents.pdf import configured_font_path, render_pdf
from ganbu.documents.templates import TemplateError, render_docx_template
from ganbu.selection.models import SelectionRecord

from . import defaults
from .convert import ConversionError, docx_to_pdf, soffice_path
from .fallback import BUILTIN_NOTE, CONVERSION_FAILED_NOTE
from .kinds import KINDS, Kind
from .models import DocumentTemplate
from .sources import SOURCE_RECORD, SOURCES

logger = logging.getLogger(__name__)

FORMATS = ("docx", "pdf")
PDF_LIBREOFFICE = "libreoffice"
PDF_BUILTIN = "builtin-layout"
MSG_NOT_FOUND = "页面不存在或无权访问。"
MSG_TEMPLATE_BROKEN = (
    "当前使用的{kind}模板无法填写：{error}。请修改模板后重新上传，或在「文书模板」页面恢复默认模板。"
)


@dataclass(frozen=True)
class KindOverview:
    """A kind of document with the template in use (``None``: the default) and every upload, newest first."""

    kind: Kind
    active: DocumentTemplate | None
    uploads: list[DocumentTemplate]


class RenderedDocument(NamedTuple):
    """A document ready to download.

    ``pdf_layout`` says how a PDF was made: :data:`PDF_LIBREOFFICE` (the filled template converted) or
    :data:`PDF_BUILTIN` (the built-in layout); it is empty for a .docx.
    """

    body: bytes
    filename: str
    content_type: str
    pdf_layout: str


def may_manage_templates(user: User) -> bool:
    """Whether ``user`` may change the county's document templates: a county-wide department officer.

    ``Cap.SELECTION_MANAGE`` is the officers' (they write these documents); a template serves every
    record of the county, so an officer limited to a unit subtree or to some authorities may not.
    """
    return has_cap(user, Cap.SELECTION_MANAGE) and user.scope_unit_id is None and not user.scope_authorities


def _require_templates(user: User) -> None:
    """404 unless ``user`` may change templates."""
    if not may_manage_templates(user):
        raise Http404(MSG_NOT_FOUND)


def _kind_or_404(key: str) -> Kind:
    """The registry entry of ``key``, or 404."""
    kind = KINDS.get(key)
    if kind is None:
        raise Http404(MSG_NOT_FOUND)
    return kind


def template_overview(*, user: User) -> list[KindOverview]:
    """Every kind, in registry order, with its template in use and its uploads (two queries at most)."""
    _require_templates(user)
    rows = list(
        DocumentTemplate.objects.defer("data")
        .select_related("uploaded_by")
        .order_by("kind", "-uploaded_at", "-id")
    )
    out = []
    for key, kind in KINDS.items():
        uploads = [row for row in rows if row.kind == key]
        active = next((row for row in uploads if row.is_active), None)
        out.append(KindOverview(kind=kind, active=active, uploads=uploads))
    return out


def kind_overview(*, user: User, kind: str) -> KindOverview:
    """One kind with its template in use and its uploads, or 404 for an unknown kind."""
    spec = _kind_or_404(kind)
    return next(o for o in template_overview(user=user) if o.kind.key == spec.key)


@functools.cache
def default_template(kind: str) -> bytes:
    """The default .docx of ``kind``, generated with python-docx the first time it is asked for."""
    spec = _kind_or_404(kind)
    return defaults.template_bytes(spec.default(), letterhead=spec.letterhead)


def _template_in_use(kind: Kind) -> bytes:
    """The bytes of the template of ``kind`` in use: the active upload, else the default."""
    row = DocumentTemplate.objects.filter(kind=kind.key, is_active=True).only("data").first()
    return bytes(row.data) if row is not None else default_template(kind.key)


def template_file(*, user: User, kind: str, which: str) -> tuple[bytes, str]:
    """A template to edit in Word: ``which`` is ``"default"`` or ``"current"`` (the one in use).

    Returns the bytes and a file name; 404 for an unknown kind or choice, or for a user who may not
    change templates.
    """
    _require_templates(user)
    spec = _kind_or_404(kind)
    if which == "default":
        return default_template(spec.key), f"{spec.label}-默认模板.docx"
    if which == "current":
        return _template_in_use(spec), f"{spec.label}-当前模板.docx"
    raise Http404(MSG_NOT_FOUND)


def upload_get(*, user: User, template_id: int) -> DocumentTemplate:
    """One uploaded template with its bytes, or 404."""
    _require_templates(user)
    row = DocumentTemplate.objects.filter(pk=template_id).first()
    if row is None:
        raise Http404(MSG_NOT_FOUND)
    return row


def pdf_layout() -> str:
    """How PDFs are made here: :data:`PDF_LIBREOFFICE` when it is installed, else :data:`PDF_BUILTIN`."""
    return PDF_LIBREOFFICE if soffice_path() else PDF_BUILTIN


def document_source(*, user: User, kind: str, source_id: int) -> tuple[Kind, Model]:
    """The kind ``kind`` and the object ``source_id`` of its source, read through the user's scope.

    404 for an unknown kind, or an object missing or outside what the user may see (``sources.SOURCES``).
    """
    spec = _kind_or_404(kind)
    obj = SOURCES[spec.source].fetch(user, source_id)
    if obj is None:
        raise Http404(MSG_NOT_FOUND)
    return spec, obj


def render_document(
    *, user: User, kind: str, source_id: int, fmt: str, candidate_id: int | None = None
) -> RenderedDocument:
    """The document ``kind`` made from object ``source_id`` of its source, as ``fmt`` ("docx" or "pdf").

    The .docx is the template in use (the department's upload, or the default) filled with the object's
    fields. The PDF is that .docx converted by LibreOffice when it is installed; otherwise, or if the
    conversion fails, the kind's built-in layout drawn by ``ganbu.documents.pdf``, with a note at the foot
    of every page. ``candidate_id`` limits a per-candidate kind (the inspection outline) to one candidate.

    404 for an unknown kind or format, an object the user may not see (read again through their scope,
    so the document shows the rows as they are now), or a candidate not of this record;
    ``context.DocumentNotReady`` (a ``ServiceError``) before the document's step; ``ServiceError`` when
    the department's template cannot be filled.
    """
    if fmt not in FORMATS:
        raise Http404(MSG_NOT_FOUND)
    spec, obj = document_source(user=user, kind=kind, source_id=source_id)
    if candidate_id is not None and not spec.per_candidate:
        raise Http404(MSG_NOT_FOUND)
    ctx = spec.build(obj, candidate_id)
    name = f"{spec.label}-{obj.pk}"
    if candidate_id is not None:
        name += f"-{ctx['candidates'][0]['name']}"
    if fmt == "docx":
        return RenderedDocument(_fill(spec, ctx), f"{name}.docx", CONTENT_TYPES["docx"], "")
    note = BUILTIN_NOTE
    soffice = soffice_path()
    if soffice is not None:
        try:
            pdf = docx_to_pdf(_fill(spec, ctx), soffice=soffice)
        except ConversionError as exc:
            logger.warning("PDF 改用内置版式：%s", exc)
            note = CONVERSION_FAILED_NOTE
        else:
            return RenderedDocument(pdf, f"{name}.pdf", CONTENT_TYPES["pdf"], PDF_LIBREOFFICE)
    document = replace(spec.fallback(ctx), footer=note)
    body = render_pdf(document, font_path=configured_font_path())
    return RenderedDocument(body, f"{name}.pdf", CONTENT_TYPES["pdf"], PDF_BUILTIN)


def render_record_document(
    *, user: User, record: SelectionRecord, kind: str, fmt: str, candidate_id: int | None = None
) -> RenderedDocument:
    """The document ``kind`` of a selection record (:func:`render_document` for the kinds made from one).

    404 for a user without ``Cap.SELECTION_VIEW``, a record outside their scope, or a kind that is not
    made from a selection record.
    """
    spec = _kind_or_404(kind)
    if spec.source != SOURCE_RECORD:
        raise Http404(MSG_NOT_FOUND)
    return render_document(user=user, kind=kind, source_id=record.pk, fmt=fmt, candidate_id=candidate_id)


def _fill(kind: Kind, ctx: dict[str, Any]) -> bytes:
    """The template of ``kind`` in use filled with ``ctx``; a template that cannot be filled is refused."""
    try:
        return render_docx_template(_template_in_use(kind), ctx)
    except TemplateError as exc:
        raise ServiceError(MSG_TEMPLATE_BROKEN.format(kind=kind.label, error=str(exc).rstrip("。"))) from None
