"""Request ids (``ganbu.core.middleware``): assigned, echoed, and visible to services during the request."""

from __future__ import annotations

import re

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from ganbu.core.middleware import RequestIdMiddleware, current_request_id

HEX32 = re.compile(r"^[0-9a-f]{32}$")


def run(headers: dict[str, str] | None = None) -> tuple[HttpResponse, str]:
    """Pass one request through the middleware; the response and the id the view saw."""
    seen: list[str] = []

    def view(request):
        seen.append(current_request_id())
        return HttpResponse("ok")

    request = RequestFactory().get("/", headers=headers or {})
    response = RequestIdMiddleware(view)(request)
    return response, seen[0]


def test_a_fresh_id_is_assigned_and_echoed() -> None:
    response, seen = run()
    assert HEX32.match(seen)
    assert response["X-Request-ID"] == seen


def test_a_well_formed_incoming_id_is_kept() -> None:
    response, seen = run({"X-Request-ID": "Gateway42abc"})
    assert seen == "Gateway42abc"
    assert response["X-Request-ID"] == "Gateway42abc"


def test_a_malformed_incoming_id_is_replaced() -> None:
    for bad in ("has space", "semi;colon", "x" * 65, "<script>"):
        response, seen = run({"X-Request-ID": bad})
        assert HEX32.match(seen), bad
        assert response["X-Request-ID"] == seen


def test_each_request_gets_its_own_id_and_none_leaks_out() -> None:
    _, first = run()
    _, second = run()
    assert first != second
    assert current_request_id() == ""


def test_the_id_is_reset_when_the_view_raises() -> None:
    def view(request):
        raise RuntimeError("boom")

    request = RequestFactory().get("/")
    with pytest.raises(RuntimeError):
        RequestIdMiddleware(view)(request)
    assert current_request_id() == ""


def test_the_id_reaches_the_real_stack(client, db) -> None:
    response = client.get("/", headers={"X-Request-ID": "trace0001"})
    assert response["X-Request-ID"] == "trace0001"
