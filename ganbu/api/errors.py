"""Exception handlers: every failure becomes a JSON body with a Chinese message, never a stack trace.

Shapes:

* 401 / 403 / 404 / 400: ``{"detail": "中文消息"}``
* 422: ``{"detail": "中文概述", "errors": {"field": ["中文消息", ...]}}`` for both service refusals
  (``ServiceError``) and malformed input (pydantic validation); nested fields are dotted
  (``items.0.cadre_id``) and errors not tied to a field are under ``"__all__"``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from ganbu.core.errors import ServiceError
from ganbu.voting.services import CredentialUsedError

from .auth import MSG_NOT_AUTHENTICATED, InvalidToken

logger = logging.getLogger("ganbu.api")

MSG_NOT_FOUND = "对象不存在或不在您的管理范围内。"
MSG_INVALID_INPUT = "提交的数据有误，请按提示修改。"
MSG_SERVICE_REFUSED = "操作未能完成。"
MSG_BAD_BODY = "请求体不是有效的 JSON。"
MSG_CREDENTIAL_USED = "该投票码已经使用过，不能重复投票。"
MSG_SERVER_ERROR = "服务器内部错误，请联系系统管理员（请提供响应头中的 X-Request-ID）。"

# Service errors name model fields; the API's inputs name the ids of related objects.
FIELD_ALIASES = {"unit": "unit_id", "post": "post_id", "cadre": "cadre_id", "parent": "parent_id"}

# Chinese wording per pydantic error type; ``{…}`` placeholders come from the error's ``ctx``.
PYDANTIC_MESSAGES = {
    "missing": "此项为必填项。",
    "extra_forbidden": "不认识的字段。",
    "string_type": "应为文本。",
    "string_too_short": "至少需要 {min_length} 个字符。",
    "string_too_long": "不能超过 {max_length} 个字符。",
    "string_pattern_mismatch": "格式不正确。",
    "int_type": "应为整数。",
    "int_parsing": "应为整数。",
    "int_from_float": "应为整数。",
    "float_parsing": "应为数字。",
    "bool_type": "应为 true 或 false。",
    "bool_parsing": "应为 true 或 false。",
    "greater_than": "必须大于 {gt}。",
    "greater_than_equal": "不能小于 {ge}。",
    "less_than": "必须小于 {lt}。",
    "less_than_equal": "不能大于 {le}。",
    "date_type": "应为日期（YYYY-MM-DD）。",
    "date_parsing": "应为日期（YYYY-MM-DD）。",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）。",
    "date_from_datetime_inexact": "应为日期（YYYY-MM-DD），不含时间。",
    "datetime_parsing": "应为日期时间（ISO 8601）。",
    "enum": "无效的选项，可选值：{expected}。",
    "literal_error": "无效的选项，可选值：{expected}。",
    "list_type": "应为列表。",
    "too_short": "至少需要 {min_length} 项。",
    "too_long": "最多 {max_length} 项。",
    "dict_type": "应为对象。",
    "model_type": "应为对象。",
    "model_attributes_type": "应为对象。",
    "json_invalid": MSG_BAD_BODY,
    "json_type": MSG_BAD_BODY,
    "union_tag_invalid": "无效的选项。",
}
MSG_PYDANTIC_FALLBACK = "输入无效。"


def pydantic_message(error: Mapping[str, Any]) -> str:
    """The Chinese message for one pydantic error dict (``type``, ``ctx``, ``msg``)."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "value_error" and ctx.get("error") is not None:
        # Our own validators raise ValueError with a Chinese message: show it as is.
        return str(ctx["error"])
    template = PYDANTIC_MESSAGES.get(kind)
    if template is None:
        return MSG_PYDANTIC_FALLBACK
    try:
        return template.format(**{k: _ctx_text(v) for k, v in ctx.items()})
    except (KeyError, IndexError, ValueError):
        return template.split("{", 1)[0].rstrip("：，") + "。" if "{" in template else template


def _ctx_text(value: Any) -> str:
    return str(value).replace("'", "")


def field_path(loc: Any) -> str:
    """``('body', 'payload', 'items', 0, 'cadre_id')`` → ``items.0.cadre_id``; query/path → the name.

    The first element says where the value came from; for bodies the second is the parameter
    name, which the client never wrote. An empty remainder means the value as a whole.
    """
    parts = list(loc or ())
    if parts and parts[0] in ("body", "form", "file"):
        parts = parts[2:]
    elif parts and parts[0] in ("query", "path", "header", "cookie"):
        parts = parts[1:]
        # A schema used as query parameters puts its own name first: drop it as well.
        if len(parts) > 1 and isinstance(parts[0], str) and parts[0] in {"filters", "params", "pagination"}:
            parts = parts[1:]
    # Members of a union add their type tag ("literal['']", "function-after[...]"): not a field.
    parts = [p for p in parts if not (isinstance(p, str) and "[" in p)]
    return ".".join(str(p) for p in parts) or NON_FIELD_ERRORS


def validation_errors(errors: Sequence[Mapping[str, Any]]) -> dict[str, list[str]]:
    """Group pydantic errors by dotted field path with Chinese messages (duplicates dropped)."""
    grouped: dict[str, list[str]] = {}
    for error in errors:
        messages = grouped.setdefault(field_path(error.get("loc")), [])
        message = pydantic_message(error)
        if message not in messages:
            messages.append(message)
    return grouped


def service_errors(exc: DjangoValidationError) -> dict[str, list[str]]:
    """A Django/Service ValidationError as ``{field: [messages]}`` with API field names."""
    if hasattr(exc, "error_dict"):
        return {FIELD_ALIASES.get(k, k): [str(m) for m in v] for k, v in exc.message_dict.items()}
    return {NON_FIELD_ERRORS: [str(m) for m in exc.messages]}


def _detail(errors: dict[str, list[str]], fallback: str) -> str:
    """One line summarising the errors: the messages themselves when there are few."""
    messages = [m for ms in errors.values() for m in ms]
    if 1 <= len(messages) <= 3:
        return "；".join(messages)
    return fallback


def _json(api: NinjaAPI, request: HttpRequest, data: dict[str, Any], status: int) -> HttpResponse:
    return api.create_response(request, data, status=status)


def install(api: NinjaAPI) -> None:
    """Register the handlers on ``api`` (replacing ninja's English defaults)."""

    @api.exception_handler(InvalidToken)
    def on_invalid_token(request: HttpRequest, exc: InvalidToken) -> HttpResponse:
        """401 for a bad bearer token."""
        response = _json(api, request, {"detail": exc.message}, 401)
        response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
        return response

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        """401 when no credentials were presented at all."""
        response = _json(api, request, {"detail": MSG_NOT_AUTHENTICATED}, 401)
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        """404 with one body for missing and out-of-scope objects alike."""
        return _json(api, request, {"detail": MSG_NOT_FOUND}, 404)

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        """ninja's own errors (unparseable body, CSRF) in Chinese."""
        message = exc.message
        if exc.status_code == 400 and message.startswith("Cannot parse request body"):
            message = MSG_BAD_BODY
        return _json(api, request, {"detail": message}, exc.status_code)

    @api.exception_handler(NinjaValidationError)
    def on_invalid_input(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        """422 for input that does not match the schema."""
        errors = validation_errors(exc.errors)
        return _json(api, request, {"detail": MSG_INVALID_INPUT, "errors": errors}, 422)

    @api.exception_handler(CredentialUsedError)
    def on_credential_used(request: HttpRequest, exc: CredentialUsedError) -> HttpResponse:
        """409 for a replayed one-time voting code: the request conflicts with the code's state."""
        return _json(api, request, {"detail": MSG_CREDENTIAL_USED}, 409)

    @api.exception_handler(DjangoValidationError)
    def on_service_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        """422 for a service's refusal (``ServiceError``) or a model validation error."""
        errors = service_errors(exc)
        fallback = MSG_SERVICE_REFUSED if isinstance(exc, ServiceError) else MSG_INVALID_INPUT
        return _json(api, request, {"detail": _detail(errors, fallback), "errors": errors}, 422)

    @api.exception_handler(Exception)
    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        """500 as JSON: the trace goes to the log (with the request id), never to the client."""
        logger.exception("API 请求处理失败：%s %s", request.method, request.path)
        return _json(api, request, {"detail": MSG_SERVER_ERROR}, 500)
