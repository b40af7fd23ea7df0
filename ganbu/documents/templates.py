"""Fill a department's own Word template with docxtpl.

A department may keep its familiar letterhead and wording by uploading a .docx in which fields are written
as Jinja placeholders: ``{{ name }}``, ``{% for c in candidates %}…{% endfor %}``. Templates come from
users, so they are rendered in Jinja's sandbox (no access to Python internals), every value is XML-escaped
(a ``&`` or ``<`` in a name would otherwise corrupt the document), and an unknown field is an error rather
than a silent blank: a misspelt ``{{ nmae }}`` must not print a notice with the name missing.

Every problem with a template is reported as :class:`TemplateError` with a message in Chinese that can be
shown to the person who uploaded it.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Mapping
from typing import IO, Any, TypeAlias

import jinja2
from docx import Document as open_docx
from docxtpl import DocxTemplate
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

TemplateSource: TypeAlias = bytes | str | os.PathLike[str] | IO[bytes]
"""A template as its bytes, a path to a .docx file, or an open binary file (e.g. an upload)."""

_UNDEFINED = re.compile(r"^'(?P<name>[^']+)' is undefined$")


class TemplateError(Exception):
    """A Word template that cannot be used; ``str(error)`` is a Chinese message for the user."""


def render_docx_template(template: TemplateSource, context: Mapping[str, Any]) -> bytes:
    """Fill ``template`` with ``context`` and return the resulting .docx bytes.

    Raises :class:`TemplateError` if the template is not a valid .docx, has a Jinja syntax error, or uses a
    field that ``context`` does not provide. A path that cannot be read raises :class:`OSError` as usual.
    """
    data = _read(template)
    _check_docx(data)
    doc = DocxTemplate(io.BytesIO(data))
    try:
        doc.render(dict(context), jinja_env=_environment())
    except jinja2.TemplateSyntaxError as exc:
        raise _syntax_error(exc) from exc
    except jinja2.UndefinedError as exc:
        match = _UNDEFINED.match(exc.message or "")
        if match:
            raise TemplateError(f"模板格式不正确：模板使用了未知字段「{match['name']}」") from exc
        raise TemplateError(f"模板格式不正确：模板使用了不存在的字段或属性（{exc.message}）") from exc
    except SecurityError as exc:
        raise TemplateError(f"模板格式不正确：模板中含有不允许的操作（{exc}）") from exc
    except jinja2.TemplateError as exc:
        raise TemplateError(f"模板格式不正确：{exc}") from exc
    except Exception as exc:
        # The template is user content: a filter applied to the wrong kind of value, a tag that cuts a
        # Word paragraph in two so the result is no longer valid XML... all are the template's fault.
        raise TemplateError(f"模板格式不正确：填写模板时出错（{exc}）") from exc
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def template_fields(template: TemplateSource) -> set[str]:
    """The names of the fields ``template`` uses, in its body, headers and footers.

    Only top-level names are listed: ``{{ cadre.name }}`` gives ``cadre``, and a loop variable such as
    ``c`` in ``{% for c in candidates %}`` is not a field. Raises :class:`TemplateError` like
    :func:`render_docx_template`.
    """
    data = _read(template)
    _check_docx(data)
    try:
        names = DocxTemplate(io.BytesIO(data)).get_undeclared_template_variables(jinja_env=_environment())
    except jinja2.TemplateSyntaxError as exc:
        raise _syntax_error(exc) from exc
    return set(names)


def _environment() -> SandboxedEnvironment:
    """A sandboxed Jinja environment that escapes values for XML and refuses unknown names."""
    return SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=True)


def _read(template: TemplateSource) -> bytes:
    """The bytes of ``template``; docxtpl reads a template more than once, so it is held in memory."""
    if isinstance(template, bytes):
        return template
    if isinstance(template, str | os.PathLike):
        with open(template, "rb") as handle:
            return handle.read()
    return template.read()


def _check_docx(data: bytes) -> None:
    """Raise :class:`TemplateError` unless ``data`` opens as a Word document."""
    try:
        open_docx(io.BytesIO(data))
    except Exception as exc:
        # python-docx signals a bad file in many ways (BadZipFile, KeyError, ValueError, XMLSyntaxError):
        # a .doc, an .xlsx or a damaged upload are all simply "not a .docx" to the user.
        raise TemplateError(
            "模板格式不正确：不是有效的 Word 文档（.docx），请用 Word 或 WPS 另存为 .docx 后重新上传"
        ) from exc


def _syntax_error(exc: jinja2.TemplateSyntaxError) -> TemplateError:
    """A :class:`TemplateError` for a Jinja syntax error, quoting the paragraph around it when known."""
    # docxtpl attaches the text of the paragraphs around the error (one paragraph per line, the fourth
    # being the culprit unless the error is near the top).
    context = [line.strip() for line in getattr(exc, "docx_context", ())]
    culprit = ""
    if context and exc.lineno is not None:
        index = min(exc.lineno - 1, 3)
        if 0 <= index < len(context):
            culprit = context[index]
    where = f"，出错位置：「{culprit}」" if culprit else ""
    return TemplateError(f"模板格式不正确：模板标记有语法错误（{exc.message}）{where}")
