"""Flat query counts: every page of the web UI and every GET of the API asks the database as many
times for a small county as for one several times its size.

The pages are the rows of the access matrix (``tests/access/matrix.txt``): every GET route and API
read has a row there (``tests/access/test_access_matrix.py`` fails on a route without one), with the
scene object that fills its arguments. So a new page is measured here as soon as it has its row;
there is no second list to keep. Each row is requested as the role that sees most of it: the
county-wide organization-department officer when the matrix gives them a page (200), otherwise the
first role that gets one (the system administrator for the admin site, a judge for the judging
pages, the self-service cadre for 我的档案 …), otherwise the officer (a refusal must be flat too).

The demo county is loaded at two sizes (``SIZES``: about 300 and 900 cadres, with every workflow),
the scene of the access matrix built on each, and every row requested twice (the first warms the
caches); the second request's queries are counted. The counts of the two sizes must be equal. A
count that grows with the data is an N+1 (a query per row shown): fix the page, or, when it belongs
to someone else's work in progress, list it in ``KNOWN_GROWTH`` (marked ``xfail(strict=True)`` so
that the fix makes it fail until the entry is removed). A page whose count legitimately depends on
the data goes in ``EXEMPT`` with the reason. The failure message lists the queries that differ.

Only query counts are asserted, never time (speed is measured by ``make bench``).
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.access.conftest import _build_scene
from tests.access.test_access_matrix import (
    Row,
    _api_request,
    _url,
    all_routes,
    api_routes,
    matrix,
    web_routes,
)

pytestmark = pytest.mark.django_db

#: The two demo scales compared (``ganbu demo --scale``): about 300 and 900 cadres.
SIZES = ("0.1", "0.3")

#: Who requests a row: the first of these whose matrix cell is 200 (the officer sees most).
PREFERENCE = ("offc", "lead", "admn", "audt", "unit", "othr", "appl", "self", "judg", "cmte", "supv", "anon")

#: Rows (``key [fixture]``) whose query count depends on the data by design, with the reason.
EXEMPT: dict[str, str] = {}

#: Rows whose count grows with the data (an N+1) in a page being fixed elsewhere: expected to fail,
#: strictly, so the fix shows up here. Each with what grows.
KNOWN_GROWTH: dict[str, str] = {}


def row_id(row: Row) -> str:
    """How a row is named in the test ids and the lists above."""
    return f"{row.key} [{row.fixture}]"


def pages() -> list[Row]:
    """The matrix rows that answer a GET: web pages (G, GP) and API reads."""
    return [r for r in matrix() if r.methods in ("G", "GP") or r.key.startswith("GET ")]


def requester(row: Row) -> str:
    """The role a row is requested as (see ``PREFERENCE``)."""
    for role in PREFERENCE:
        if row.cells[role].partition("/")[0] == "200":
            return role
    return "offc"


@dataclass(frozen=True)
class Measured:
    """One row's second request at one size: its status, its query count and the SQL it ran."""

    status: int
    queries: int
    sql: tuple[str, ...]


def _measure(scene: Any) -> dict[str, Measured]:
    """Request every page row twice as its requester; count the queries of the second request."""
    routes = all_routes()
    web: dict[str, Client] = {}
    results: dict[str, Measured] = {}
    for row in pages():
        route = routes.get(row.key)
        if route is None or row.fixture not in scene.args:
            continue  # the access matrix's own tests report these
        role = requester(row)
        if role not in web:
            web[role] = Client(raise_request_exception=False)
            if role in scene.users:
                web[role].force_login(scene.users[role])
        client = web[role]
        url = _url(route, scene.args[row.fixture])
        headers = {"Authorization": f"Bearer {scene.tokens[role]}"} if role in scene.tokens else {}

        def get(client: Client = client, route: Any = route, url: str = url, headers: Any = headers) -> Any:
            if route.method:
                return _api_request(client, route, url, headers, "")
            return client.get(url)

        get()  # warm-up: the caches (content types, policy table, templates)
        with CaptureQueriesContext(connection) as captured:
            response = get()
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)  # a streamed file queries as it is read
        results[row_id(row)] = Measured(
            response.status_code, len(captured), tuple(q["sql"] for q in captured.captured_queries)
        )
        if role in scene.users and "_auth_user_id" not in client.session:
            client.force_login(scene.users[role])  # a page that signs out (none should on GET)
    return results


@pytest.fixture(scope="module")
def measured(django_db_setup, django_db_blocker) -> dict[str, dict[str, Measured]]:
    """Every page measured on the demo county at each of ``SIZES`` (loaded, measured, flushed)."""
    by_size: dict[str, dict[str, Measured]] = {}
    with django_db_blocker.unblock():
        for size in SIZES:
            out = io.StringIO()
            call_command("demo", "--scale", size, stdout=out)
            try:
                by_size[size] = _measure(_build_scene(out.getvalue()))
            finally:
                call_command("flush", interactive=False, verbosity=0)
                ContentType.objects.clear_cache()
    return by_size


_LITERALS = re.compile(r"'(?:[^']|'')*'|\b\d+\b")


def _shape(sql: str) -> str:
    """A query without its literals, so that the same query with other ids counts as one."""
    return re.sub(r"\s+", " ", _LITERALS.sub("?", sql))[:300]


def _difference(small: Measured, large: Measured) -> str:
    """The query shapes whose numbers differ between the sizes, most frequent first."""
    a, b = Counter(map(_shape, small.sql)), Counter(map(_shape, large.sql))
    lines = [
        f"  {a[s]:>4} → {b[s]:<4} {s}"
        for s in sorted(set(a) | set(b), key=lambda s: -abs(b[s] - a[s]))
        if a[s] != b[s]
    ]
    return "\n".join(lines[:15])


def _params() -> list[Any]:
    params = []
    for row in pages():
        name = row_id(row)
        marks = []
        if name in KNOWN_GROWTH:
            marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_GROWTH[name]))
        params.append(pytest.param(row, id=name, marks=marks))
    return params


@pytest.mark.parametrize("row", _params())
def test_query_count_does_not_grow_with_the_data(measured, row):
    """The page asks the database as many times at both sizes (no query per row shown)."""
    name = row_id(row)
    if name in EXEMPT:
        pytest.skip(EXEMPT[name])
    small_size, large_size = SIZES
    small, large = measured[small_size].get(name), measured[large_size].get(name)
    assert small is not None and large is not None, f"{name} was not requested (no route or no object)"
    assert small.status == large.status, (
        f"{name} as {requester(row)}: status {small.status} at scale {small_size}, "
        f"{large.status} at scale {large_size} (the scene object differs?)"
    )
    assert small.queries == large.queries, (
        f"{name} as {requester(row)} (status {small.status}): {small.queries} queries at demo scale "
        f"{small_size}, {large.queries} at {large_size}. A query per row shown: fetch the rows' "
        f"related data with select_related/prefetch_related or an annotation. The queries that "
        f"differ (count at {small_size} → at {large_size}):\n{_difference(small, large)}"
    )


def test_every_get_route_is_measured():
    """Every GET route and API read is a row of the access matrix, so it is measured above."""
    keys = {r.key for r in pages()}
    # A web route whose every row is POST-only (P) is no page; any other must have a G or GP row.
    post_only = {r.key for r in matrix() if r.methods == "P"}
    missing = sorted(k for k in web_routes() if k not in keys and k not in post_only)
    missing += sorted(k for k, r in api_routes().items() if r.method == "get" and k not in keys)
    assert not missing, (
        "These routes are not measured: give each its row in tests/access/matrix.txt (see the head of "
        "that file); the query-count test then requests it at two data sizes:\n" + "\n".join(missing)
    )


def test_exemptions_name_real_rows():
    """``EXEMPT`` and ``KNOWN_GROWTH`` name rows that exist, so that a stale entry is noticed."""
    names = {row_id(r) for r in pages()}
    stale = sorted((set(EXEMPT) | set(KNOWN_GROWTH)) - names)
    assert not stale, "Remove these entries from tests/perf/test_query_counts.py: " + ", ".join(stale)
