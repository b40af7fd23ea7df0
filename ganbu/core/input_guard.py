"""One input-cleaning rule for every request (issue 11, item 6): ``InputGuardMiddleware``.

Before any view runs, the address, every query parameter, every form field and every string of a
JSON body is checked against the rules of ``ganbu.core.inputs``: no control characters anywhere,
and a value in the address or a JSON body written as a date lies between 1900 and 2100 (form
fields' dates are their forms' to check, with the error next to the field). A request that breaks
them is refused whole, before a view can pass the value to the database or to date arithmetic:
a Chinese page (400) for the web UI; for the API its input-error body (422, ``{"detail": …,
"errors": {"parameter": [...]}}``), as for its other input errors. Uploaded files are not
inspected here; their readers check them.

Why one middleware rather than a check in each view: the 500s came from parameters nobody thought
of validating (a search box, a step filter, a picker's term), and a new page gets the rule without
anyone remembering it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from .inputs import MSG_CONTROL_CHARS, MSG_DATE_RANGE, has_control_chars, out_of_range_date

logger = logging.getLogger("ganbu.security")

API_PREFIX = "/api/"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
ALL_FIELDS = "__all__"
# The API's summary of an input error (ganbu.api.errors.MSG_INVALID_INPUT; the core cannot import the API).
MSG_INVALID_INPUT = "提交的数据有误，请按提示修改。"
# Beyond this depth a JSON body is not walked (the API's schemas are flat); ninja refuses it.
MAX_JSON_DEPTH = 32


def _json_strings(value: Any, path: str = "", depth: int = 0) -> Iterator[tuple[str, str, bool]]:
    """(dotted path, string, whether the date rule applies) for each key and string of a JSON document."""
    if depth > MAX_JSON_DEPTH:
        return
    if isinstance(value, str):
        yield path or ALL_FIELDS, value, True
    elif isinstance(value, dict):
        for key, item in value.items():
            inner = f"{path}.{key}" if path else str(key)
            yield path or ALL_FIELDS, str(key), False
            yield from _json_strings(item, inner, depth + 1)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _json_strings(item, f"{path}.{i}" if path else str(i), depth + 1)


def _declared_length(request: HttpRequest) -> int:
    """The body's length as the client declared it (0 when absent or not a number)."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _request_values(request: HttpRequest) -> Iterator[tuple[str, str, bool]]:
    """(field, text, whether the date rule applies) for the path, the query, form fields and JSON strings.

    ``field`` names the parameter (or the JSON field's dotted path) for the API's error body. The
    date rule applies to values in the address and JSON bodies, not to form fields: a page's form
    checks its own dates and shows the error next to the field, keeping what the user typed, where
    refusing the whole request would lose it.
    """
    yield ALL_FIELDS, request.path, False
    for segment in request.path.split("/"):
        yield ALL_FIELDS, segment, True
    for key, values in request.GET.lists():
        yield ALL_FIELDS, key, False
        for value in values:
            yield key, value, True
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    content_type = request.content_type or ""
    if (
        content_type == "multipart/form-data"
        and _declared_length(request) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    ):
        # An upload this large is refused by its view before the body is read (a registration's
        # 413 page); parsing it here would read it first. Its text fields still meet Django's
        # form fields, which refuse NUL themselves (ProhibitNullCharactersValidator).
        return
    if content_type in FORM_TYPES:
        for key, values in request.POST.lists():
            yield ALL_FIELDS, key, False
            for value in values:
                yield key, value, False
    elif content_type == "application/json" or content_type.endswith("+json"):
        try:
            document = json.loads(request.body)
        except (ValueError, RecursionError, RequestDataTooBig):
            return  # not JSON, too deep or too big: the API answers that itself
        yield from _json_strings(document)


def _refusal(request: HttpRequest, field: str, message: str) -> HttpResponse:
    """The API's 422 body (the parameter or field at fault, as for its other input errors) or a page."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse(
            {"detail": MSG_INVALID_INPUT, "errors": {field: [message]}},
            status=422,
            json_dumps_params={"ensure_ascii": False},
        )
    return render(request, "web/error.html", {"title": "请求无法处理", "message": message}, status=400)


class InputGuardMiddleware:
    """Refuses a request whose address, query, form fields or JSON strings break the input rules."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for field, value, dated in _request_values(request):
            if has_control_chars(value):
                logger.info("refused a request with control characters: %r", request.path[:200])
                return _refusal(request, field, MSG_CONTROL_CHARS)
            if dated and out_of_range_date(value):
                return _refusal(request, field, f"日期「{value.strip()[:20]}」超出范围：{MSG_DATE_RANGE}")
        return self.get_response(request)
