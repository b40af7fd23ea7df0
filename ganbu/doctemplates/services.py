"""Uploading, activating and resetting the department's Word templates: the only code that writes them.

Who may: organization-department officers (``Cap.SELECTION_MANAGE``) with county-wide scope. These are
the department's own documents, written by the officers who run the procedure, so the officers keep
their templates; the system administrator (``Cap.POLICY_MANAGE``) records county policy values but does
not write the department's documents. A template is used for every record of the county, so an officer
whose scope is one unit subtree may not change it.

An upload is checked before anything is stored: a real .docx of at most 5 MB, valid Jinja syntax, only
fields the kind provides (an unknown name is refused with the list of allowed ones), and a test fill
with the kind's example values. The checks run before the transaction (they take a moment for a large
file and need no database, and SQLite holds its write lock for the whole transaction); the write,
with its audit event, is one durable transaction. Audit events
record names and counts (file name, size, fields used), never the file itself.
"""

from __future__ import annotations

import io
import zipfile

from django.db import IntegrityError, transaction

from ganbu.accounts.models import User
from ganbu.core.audit import audit_record
from ganbu.core.errors import ServiceError
from ganbu.documents.templates import TemplateError, render_docx_template, template_fields

from .kinds import KINDS, Kind
from .models import DocumentTemplate
from .selectors import may_manage_templates

MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
# A .docx is a zip archive; a few megabytes that unpack to gigabytes are not a Word document.
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
MAX_FILENAME = 200
MAX_NOTE = 300

FILE_FIELD = "file"
MSG_NO_MANAGE = "您无权修改文书模板：文书模板全县通用，由全县范围的县委组织部干部维护。"
MSG_UNKNOWN_KIND = "没有这种文书。"
MSG_NO_FILE = "请选择要上传的模板文件（.docx）。"
MSG_TOO_LARGE = "模板文件不能超过 5 MB（所选文件 {size}）。"
MSG_UNPACKED_TOO_LARGE = "模板格式不正确：文件解压后超过 64 MB，不是正常的 Word 文档。"
MSG_UNKNOWN_FIELDS = "模板格式不正确：模板使用了{kind}不提供的字段{unknown}。{kind}可用的字段：{allowed}。"
MSG_SAMPLE_FAILED = "用示例数据试填模板失败（{error}）。请检查模板中的字段和标记。"
MSG_NOTE_TOO_LONG = "说明不能超过 300 个字符。"
MSG_NOT_FOUND = "模板不存在。"
MSG_CONCURRENT = "另一位同事刚刚更换了这种文书的模板，请刷新页面后重试。"


def _fail(message: str, field: str | None = None) -> ServiceError:
    """A ``ServiceError`` with ``message``, on ``field`` when one is named."""
    return ServiceError({field: [message]} if field else message)


def _require_manage(actor: User) -> None:
    """Refuse anyone but a county-wide organization-department officer."""
    if not may_manage_templates(actor):
        raise _fail(MSG_NO_MANAGE)


def _kind(key: str) -> Kind:
    """The registry entry of ``key``, or a refusal."""
    kind = KINDS.get(key)
    if kind is None:
        raise _fail(MSG_UNKNOWN_KIND, "kind")
    return kind


def _size_text(size: int) -> str:
    """A file size as 5.2 MB or 300 KB."""
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(1, size // 1024)} KB"


def check_template(kind: Kind, data: bytes) -> list[str]:
    """Check an uploaded template for ``kind``; return the sorted field names it uses, or refuse.

    Refusals are ``ServiceError`` on the ``file`` field with the Chinese reason: too large, not a .docx,
    a syntax error, fields the kind does not provide (listing the allowed ones), or a failed test fill.
    """
    if not data:
        raise _fail(MSG_NO_FILE, FILE_FIELD)
    if len(data) > MAX_TEMPLATE_BYTES:
        raise _fail(MSG_TOO_LARGE.format(size=_size_text(len(data))), FILE_FIELD)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        unpacked = 0  # not a zip at all: template_fields says so in its own words
    if unpacked > MAX_UNPACKED_BYTES:
        raise _fail(MSG_UNPACKED_TOO_LARGE, FILE_FIELD)
    try:
        used = template_fields(data)
    except TemplateError as exc:
        raise _fail(str(exc), FILE_FIELD) from None
    allowed = kind.field_names()
    unknown = sorted(used - allowed)
    if unknown:
        raise _fail(
            MSG_UNKNOWN_FIELDS.format(
                kind=kind.label,
                unknown="".join(f"「{name}」" for name in unknown),
                allowed="、".join(f.name for f in kind.fields),
            ),
            FILE_FIELD,
        )
    try:
        render_docx_template(data, kind.sample_context())
    except TemplateError as exc:
        raise _fail(MSG_SAMPLE_FAILED.format(error=str(exc)), FILE_FIELD) from None
    return sorted(used)


def _clean_filename(filename: str) -> str:
    """The file's own name without any folder a browser may send, at most 200 characters."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    name = "".join(ch for ch in name if ch.isprintable()) or "模板.docx"
    if len(name) > MAX_FILENAME:
        stem, dot, ext = name.rpartition(".")
        name = (
            f"{stem[: MAX_FILENAME - len(ext) - 1]}.{ext}" if dot and len(ext) < 10 else name[:MAX_FILENAME]
        )
    return name


def _active(kind: str) -> DocumentTemplate | None:
    """The template of ``kind`` in use, locked for the rest of the transaction."""
    return (
        DocumentTemplate.objects.select_for_update().filter(kind=kind, is_active=True).defer("data").first()
    )


def template_upload(
    *, actor: User, kind: str, data: bytes, filename: str, note: str = ""
) -> DocumentTemplate:
    """Store an uploaded .docx as the template of ``kind`` and put it in use (the previous one is kept).

    Checked by :func:`check_template` before anything is written; nothing is stored on a refusal.
    """
    _require_manage(actor)
    spec = _kind(kind)
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise _fail(MSG_NOTE_TOO_LONG, "note")
    used = check_template(spec, data)
    try:
        return _store_upload(
            actor=actor, kind=spec, data=data, filename=_clean_filename(filename), note=note, used=used
        )
    except IntegrityError:
        # Two uploads of one kind at the same moment: the other one is in use, this one is not stored.
        raise _fail(MSG_CONCURRENT) from None


@transaction.atomic(durable=True)
def _store_upload(
    *, actor: User, kind: Kind, data: bytes, filename: str, note: str, used: list[str]
) -> DocumentTemplate:
    """Write a checked upload in use, taking the previous one out of use, with its audit event."""
    _require_manage(actor)
    previous = _active(kind.key)
    if previous is not None:
        previous.is_active = False
        previous.save(update_fields=["is_active"])
    template = DocumentTemplate.objects.create(
        kind=kind.key,
        data=data,
        filename=filename,
        size=len(data),
        fields=used,
        note=note,
        uploaded_by=actor,
        is_active=True,
    )
    audit_record(
        actor=actor,
        event_type="doctemplate.uploaded",
        target=template,
        before={"active_template_id": previous.pk if previous else None},
        after={"kind": kind.key.value, "filename": filename, "size": len(data), "fields": used, "note": note},
    )
    return template


def template_activate(*, actor: User, template_id: int) -> DocumentTemplate:
    """Put an earlier upload back in use for its kind, after checking it again against the kind's fields.

    The fields a kind provides may have changed since the upload, so the same checks as an upload run
    again first. Activating the template already in use changes nothing and records nothing.
    """
    _require_manage(actor)
    template = DocumentTemplate.objects.filter(pk=template_id).first()
    if template is None:
        raise _fail(MSG_NOT_FOUND)
    if template.is_active:
        return template
    check_template(_kind(template.kind), bytes(template.data))
    try:
        return _store_activation(actor=actor, template_id=template.pk)
    except IntegrityError:
        raise _fail(MSG_CONCURRENT) from None


@transaction.atomic(durable=True)
def _store_activation(*, actor: User, template_id: int) -> DocumentTemplate:
    """Put a checked upload in use, taking the current one out of use, with its audit event."""
    _require_manage(actor)
    template = DocumentTemplate.objects.select_for_update().defer("data").get(pk=template_id)
    if template.is_active:
        return template
    previous = _active(template.kind)
    if previous is not None:
        previous.is_active = False
        previous.save(update_fields=["is_active"])
    template.is_active = True
    template.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        event_type="doctemplate.activated",
        target=template,
        before={"active_template_id": previous.pk if previous else None},
        after={"kind": template.kind, "filename": template.filename, "size": template.size},
    )
    return template


@transaction.atomic(durable=True)
def template_reset(*, actor: User, kind: str) -> DocumentTemplate | None:
    """Go back to the default template of ``kind``: the upload in use is kept but no longer used.

    Returns the template taken out of use, or ``None`` when the default was already in use (nothing is
    written then).
    """
    _require_manage(actor)
    spec = _kind(kind)
    previous = _active(spec.key)
    if previous is None:
        return None
    previous.is_active = False
    previous.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        event_type="doctemplate.reset",
        target=previous,
        before={"active_template_id": previous.pk, "filename": previous.filename},
        after={"kind": spec.key.value, "active_template_id": None},
    )
    return previous
