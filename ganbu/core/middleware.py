"""Request ids: every audit event written during one request carries the same id."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

_request_id: ContextVar[str] = ContextVar("ganbu_request_id", default="")


def current_request_id() -> str:
    """The id of the request being served, or '' outside a request (commands, tests)."""
    return _request_id.get()


class RequestIdMiddleware:
    """Assigns a request id (or keeps a well-formed ``X-Request-ID``) and echoes it in the response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        rid = (
            incoming
            if incoming.isascii() and incoming.isalnum() and len(incoming) <= 64
            else uuid.uuid4().hex
        )
        token = _request_id.set(rid)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = rid
        return response
