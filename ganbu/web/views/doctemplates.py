"""文书模板: the kinds of document with their fields and templates, and documents to download.

The templates page is for county-wide department officers (``selectors.may_manage_templates``); for
anyone else it does not exist (404). A record's document is for staff who may see the record
(``Cap.SELECTION_VIEW``, scope by ``record_get``); a document whose step has not happened yet is a page
saying so (409), not an empty file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET, require_POST

from ganbu.core.errors import ServiceError
from ganbu.doctemplates import selectors, services
from ganbu.doctemplates.kinds import Field
from ganbu.doctemplates.responses import file_response, rendered_response
from ganbu.doctemplates.sources import SOURCES
from ganbu.selection import selectors as selection_selectors

from ..forms_common import add_service_error
from ..forms_doctemplates import TemplateUploadForm
from .org_common import AuthedRequest, int_param

# A field name inside a field's description (「item 事项、done_on 完成日期」): shown as code, like the
# names in the field column, so the editor sees it is something to type in the template.
_FIELD_NAME = re.compile(r"(?<![\w.&#;])[a-z][a-z0-9]*(?:_[a-z0-9]+)*(?![\w])")


def _label_html(label: str) -> SafeString:
    """A field's description, escaped, with the field names it mentions marked as code."""
    return mark_safe(_FIELD_NAME.sub(lambda m: f"<code>{m.group(0)}</code>", escape(label)))


@dataclass(frozen=True)
class FieldRow:
    """One line of a kind's field table: nested fields are indented under their list."""

    depth: int
    field: Field
    parent: str
    example: str

    @property
    def label_html(self) -> SafeString:
        """The field's description with the field names it mentions marked as code."""
        return _label_html(self.field.label)


def field_rows(fields: tuple[Field, ...], depth: int = 0, parent: str = "") -> Iterator[FieldRow]:
    """Every field and, under each list, the fields of its records."""
    for f in fields:
        example = f.example if isinstance(f.example, str) else "、".join(f.example)
        yield FieldRow(depth=depth, field=f, parent=parent, example=example)
        if f.items:
            yield from field_rows(f.items, depth + 1, f.name)


def _require_manage(request: AuthedRequest) -> None:
    """404 unless the user may change templates: the page does not exist for anyone else."""
    if not selectors.may_manage_templates(request.user):
        raise Http404("页面不存在或无权访问。")


def _page(request: AuthedRequest, forms: dict[str, TemplateUploadForm] | None = None) -> HttpResponse:
    """The templates page, with a bound upload form for the kind just refused (if any)."""
    forms = forms or {}
    kinds = [
        {
            "overview": o,
            "fields": list(field_rows(o.kind.fields)),
            "form": forms.get(o.kind.key) or TemplateUploadForm(prefix=o.kind.key),
        }
        for o in selectors.template_overview(user=request.user)
    ]
    layout = selectors.pdf_layout()
    return render(
        request,
        "web/doctemplates/template_list.html",
        {"kinds": kinds, "libreoffice": layout == selectors.PDF_LIBREOFFICE},
    )


@login_required
@require_GET
def template_list(request: AuthedRequest) -> HttpResponse:
    """Every kind of document: what it is, when it can be made, its fields, the template in use."""
    return _page(request)


@login_required
@require_POST
def template_upload(request: AuthedRequest, kind: str) -> HttpResponse:
    """Upload a new template of ``kind`` and put it in use; refusals show next to the file field."""
    _require_manage(request)
    overview = selectors.kind_overview(user=request.user, kind=kind)
    form = TemplateUploadForm(request.POST, request.FILES, prefix=kind)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            template = services.template_upload(
                actor=request.user,
                kind=kind,
                data=upload.read(),
                filename=upload.name or "",
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已上传并启用{overview.kind.label}模板「{template.filename}」。")
            return redirect("web:doctemplate-list")
    return _page(request, {kind: form})


@login_required
@require_POST
def template_reset(request: AuthedRequest, kind: str) -> HttpResponse:
    """Go back to the default template of ``kind``."""
    _require_manage(request)
    overview = selectors.kind_overview(user=request.user, kind=kind)
    try:
        previous = services.template_reset(actor=request.user, kind=kind)
    except ServiceError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        if previous is None:
            messages.info(request, f"{overview.kind.label}已在使用默认模板。")
        else:
            messages.success(request, f"{overview.kind.label}已恢复使用默认模板。")
    return redirect("web:doctemplate-list")


@login_required
@require_POST
def template_activate(request: AuthedRequest, pk: int) -> HttpResponse:
    """Put an earlier upload back in use (checked again against the kind's fields)."""
    _require_manage(request)
    upload = selectors.upload_get(user=request.user, template_id=pk)
    try:
        services.template_activate(actor=request.user, template_id=upload.pk)
    except ServiceError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已启用{upload.get_kind_display()}模板「{upload.filename}」。")
    return redirect("web:doctemplate-list")


@login_required
@require_GET
def template_file(request: AuthedRequest, kind: str, which: str) -> HttpResponse:
    """The default template or the one in use, as .docx to edit in Word."""
    body, filename = selectors.template_file(user=request.user, kind=kind, which=which)
    return file_response(body, filename)


@login_required
@require_GET
def upload_file(request: AuthedRequest, pk: int) -> HttpResponse:
    """An uploaded template as it was uploaded."""
    upload = selectors.upload_get(user=request.user, template_id=pk)
    return file_response(bytes(upload.data), upload.filename)


@login_required
@require_GET
def record_document(request: AuthedRequest, record_id: int, kind: str, fmt: str) -> HttpResponse:
    """A document of a selection record as .docx or .pdf; ``?candidate=<id>`` for one person's outline."""
    record = selection_selectors.record_get(user=request.user, record_id=record_id)
    candidate_id = int_param(request, "candidate")
    if candidate_id is None and "candidate" in request.GET:
        raise Http404("页面不存在。")
    try:
        document = selectors.render_record_document(
            user=request.user, record=record, kind=kind, fmt=fmt, candidate_id=candidate_id
        )
    except ServiceError as exc:
        return render(
            request,
            "web/doctemplates/unavailable.html",
            {
                "messages_list": exc.messages,
                "what": f"纪实：{record.title}（{record.get_step_display()}）",
                "back": reverse("web:selection-detail", args=[record.pk]),
                "back_label": "返回纪实",
            },
            status=409,
        )
    return rendered_response(document)


@login_required
@require_GET
def document(request: AuthedRequest, kind: str, source_id: int, fmt: str) -> HttpResponse:
    """A document of any kind made from its source object (a joint meeting's minutes …), .docx or .pdf.

    The object is read through the scope of the app that owns it; one the user may not see is a 404.
    A document whose step has not happened yet is a page saying so (409) with a link back to the object.
    """
    spec, obj = selectors.document_source(user=request.user, kind=kind, source_id=source_id)
    try:
        rendered = selectors.render_document(user=request.user, kind=kind, source_id=source_id, fmt=fmt)
    except ServiceError as exc:
        source = SOURCES[spec.source]
        return render(
            request,
            "web/doctemplates/unavailable.html",
            {
                "messages_list": exc.messages,
                "what": f"{source.label}：{obj}",
                "back": source.back(obj),
                "back_label": f"返回{source.label}",
            },
            status=409,
        )
    return rendered_response(rendered)
