"""Schemathesis against /api/v1/openapi.json: no server error, and every response matches the schema.

Every operation of the OpenAPI document is called with requests generated from its schema (path and
query parameters, JSON and multipart bodies), once as an organization department officer with
county-wide scope (an API token made through the token service, as ``ganbu token create`` makes
it) and once with no credentials. The data is the demo county (tests/access/conftest.py), so generated
ids often name real cadres, ballots and campaigns. The budget is fixed (``MAX_EXAMPLES`` an
operation and caller) and the generation derandomized, so each run makes the same requests.

The requests go through the WSGI application (``schemathesis.openapi.from_wsgi``), inside the
test's transaction: whatever the officer's generated writes change is rolled back after each
operation.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import ServerError
from schemathesis.openapi.checks import JsonSchemaError
from schemathesis.specs.openapi.checks import response_schema_conformance

pytestmark = pytest.mark.django_db

#: Generated requests per operation and caller. 142 operations × 2 callers × this stays within
#: about two minutes on SQLite.
MAX_EXAMPLES = 8
CHECKS = [not_a_server_error, response_schema_conformance]
FUZZ = settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,  # the same requests on every run (and no example database on disk)
    deadline=None,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module")
def wsgi_app(access_scene):
    """The project's WSGI application, its requests kept on the test's database connection.

    Django closes an unusable connection when a request starts and finishes, and one inside a
    transaction counts as such; its test client turns that off, and so does this fixture, or the
    first request would end the test's transaction (PostgreSQL).
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def api_schema(wsgi_app):
    """The OpenAPI document as the API serves it, its requests sent to the WSGI application."""
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)


def _operations() -> list[tuple[str, str]]:
    """(method, path) of every operation of the document (read once, to name the tests)."""
    from ganbu.api.urls import api

    document = api.get_openapi_schema(path_prefix="/api/v1/")
    return [(method.upper(), path) for path, ops in document["paths"].items() for method in ops]


OPERATIONS = _operations()


def _fuzz(api_schema: Any, method: str, path: str, headers: dict[str, str]) -> None:
    """``MAX_EXAMPLES`` generated requests to one operation, each checked."""
    operation = api_schema[path][method]

    @FUZZ
    @given(case=operation.as_strategy())
    def run(case: Any) -> None:
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    run()


# Not schemathesis's pytest loader (its lazy schema does not run under pytest 9): the operations
# are parametrized here and each runs its own Hypothesis test.
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_officer_gets_no_server_error_and_schema_conform_answers(api_schema, access_scene, method, path):
    """As an org_officer with county scope (bearer token)."""
    scene = access_scene
    _fuzz(api_schema, method, path, {"Authorization": f"Bearer {scene.tokens['offc']}"})


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_anonymous_caller_gets_no_server_error_and_schema_conform_answers(api_schema, method, path):
    """With no credentials: the public operations answer, the others refuse (401), never a 5xx."""
    _fuzz(api_schema, method, path, {})


def _answering(status: str, body: bytes) -> Any:
    """A WSGI application answering every request with ``status`` and a JSON ``body``."""

    def app(environ: Any, start_response: Any) -> list[bytes]:
        start_response(status, [("Content-Type", "application/json")])
        return [body]

    return app


def test_the_fuzz_fails_on_a_server_error(wsgi_app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    schema.app = _answering("500 Internal Server Error", b'{"detail": "boom"}')
    with pytest.raises(BaseExceptionGroup) as raised:
        _fuzz(schema, "GET", "/api/v1/public/notices", {})
    assert raised.group_contains(ServerError)


def test_the_fuzz_fails_on_an_answer_the_schema_does_not_describe(wsgi_app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    schema.app = _answering("200 OK", b'{"items": "not a list", "count": "many"}')
    with pytest.raises(BaseExceptionGroup) as raised:
        _fuzz(schema, "GET", "/api/v1/public/notices", {})
    assert raised.group_contains(JsonSchemaError)
