"""Who may open what: every route and API operation, as every role, against ``matrix.txt``.

The routes come from the URL configuration (``get_resolver()`` walked recursively: the web UI, the
public pages, the voting page, the admin site, the API's own pages) and the operations from the
OpenAPI document; each needs a row in ``matrix.txt`` (how to read and add one is explained at the
top of that file and in docs/contributing.md). A route or operation without a row fails
:func:`test_every_route_and_operation_has_a_row`, which names the line to add.

Each role then makes the requests of every row (``test_role_gets_what_the_matrix_says``): a GET whose
outcome must be the cell's; a POST (an API write: its method, with a body valid for the schema) for
a role the cell refuses, which must be refused and write nothing (no audit event, no row in any
table); an allowed write is not sent (the flows' own tests make those).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern

from tests.access.conftest import ROLES

pytestmark = pytest.mark.django_db

MATRIX = Path(__file__).with_name("matrix.txt")
#: Outcomes that refuse a request: sent to the login page, unauthenticated, forbidden, not found,
#: method not allowed, refused by the service (API).
REFUSED = frozenset({"L", "401", "403", "404", "405", "R"})
#: Route names of the API's own pages (the schema, the docs, the root); its operations come from the schema.
API_PAGES = frozenset({"api:openapi-json", "api:openapi-view", "api:api-root"})
API_PREFIX = "/api/v1"
WRITE_METHODS = ("post", "put", "patch", "delete")


# ---------------------------------------------------------------- the routes and operations


@dataclass(frozen=True)
class Route:
    """A web route (``key`` is ``namespace:name``, or the pattern when it has no name) or an API operation."""

    key: str
    pattern: (
        str  # the full pattern ("cadres/<int:pk>/") or the operation's path ("/api/v1/cadres/{cadre_id}")
    )
    params: tuple[str, ...]
    reverse_name: str | None = None
    method: str | None = None  # API operations only
    operation: dict[str, Any] | None = None


def _params(pattern: Any) -> list[str]:
    if isinstance(pattern, RoutePattern):
        return list(pattern.converters)
    return list(pattern.regex.groupindex)


def _walk(
    patterns: list[Any], prefix: str, namespace: str | None, params: list[str]
) -> Iterator[tuple[str, str | None, list[str], str | None]]:
    for p in patterns:
        here = [*params, *_params(p.pattern)]
        if isinstance(p, URLResolver):
            ns = p.namespace if p.namespace else namespace
            if namespace and p.namespace:
                ns = f"{namespace}:{p.namespace}"
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns, here)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.name, here, namespace


@cache
def web_routes() -> dict[str, Route]:
    """Every URL pattern outside the API's operations, keyed ``namespace:name`` (or by pattern)."""
    routes: dict[str, Route] = {}
    for pattern, name, params, namespace in _walk(get_resolver().url_patterns, "", None, []):
        full_name = f"{namespace}:{name}" if name and namespace else name
        if pattern.startswith(API_PREFIX.strip("/") + "/") and full_name not in API_PAGES:
            continue  # an API operation: checked through the OpenAPI document
        key = full_name or pattern
        if key in routes:  # the same name twice (ninja's methods of one path): one row
            continue
        routes[key] = Route(key=key, pattern=pattern, params=tuple(params), reverse_name=full_name)
    return routes


@cache
def openapi() -> dict[str, Any]:
    """The OpenAPI document the API serves at /api/v1/openapi.json."""
    from ganbu.api.urls import api

    return json.loads(json.dumps(api.get_openapi_schema(path_prefix=API_PREFIX + "/"), default=str))


@cache
def api_routes() -> dict[str, Route]:
    """Every API operation, keyed ``METHOD /api/v1/path``."""
    routes: dict[str, Route] = {}
    for path, operations in openapi()["paths"].items():
        for method, operation in operations.items():
            key = f"{method.upper()} {path}"
            params = tuple(p["name"] for p in operation.get("parameters", []) if p["in"] == "path")
            routes[key] = Route(key=key, pattern=path, params=params, method=method, operation=operation)
    return routes


def all_routes() -> dict[str, Route]:
    return {**web_routes(), **api_routes()}


# ---------------------------------------------------------------- the expectation file


@dataclass(frozen=True)
class Row:
    """One line of ``matrix.txt``: a route, the scene object of its arguments, its methods, the cells."""

    key: str
    fixture: str
    methods: str
    cells: dict[str, str]
    line: int


LINE = re.compile(r"^(?P<key>(?:GET|POST|PUT|PATCH|DELETE) \S+|\S+)\s+(?P<rest>.*)$")


@cache
def matrix() -> list[Row]:
    """The rows of ``matrix.txt`` (``#`` starts a comment)."""
    rows: list[Row] = []
    for number, raw in enumerate(MATRIX.read_text(encoding="utf-8").splitlines(), 1):
        text = raw.split("#", 1)[0].strip()
        if not text:
            continue
        m = LINE.match(text)
        assert m, f"matrix.txt:{number}: cannot read {raw!r}"
        fields = m["rest"].split()
        assert len(fields) == 2 + len(ROLES), (
            f"matrix.txt:{number}: expected the fixture, the methods and {len(ROLES)} cells "
            f"({' '.join(ROLES)}), found {len(fields)} fields"
        )
        fixture, methods, *cells = fields
        assert methods in ("G", "GP", "P", "-"), f"matrix.txt:{number}: methods must be G, GP, P or - (API)"
        rows.append(Row(m["key"], fixture, methods, dict(zip(ROLES, cells, strict=True)), number))
    return rows


def _template_line(route: Route) -> str:
    fixture = "-" if not route.params else "<object>"
    methods = "-" if route.method else "G|GP|P"
    return f"{route.key}  {fixture}  {methods}  " + "  ".join("?" for _ in ROLES)


def test_every_route_and_operation_has_a_row():
    """A new route or operation fails here until its row says who may reach it."""
    routes = all_routes()
    keys = {row.key for row in matrix()}
    missing = [routes[k] for k in routes if k not in keys]
    stale = sorted(keys - set(routes))
    message = []
    if missing:
        message.append(
            "These routes have no row in tests/access/matrix.txt. Add one line each (see the head of "
            "the file): pick the scene object of its arguments (tests/access/conftest.py, Scene.args), its "
            "methods, and for every role what the route must answer. Cells of '?' make the test "
            "print what each role gets now; check each is what the route should allow before "
            "writing it down.\n" + "\n".join(_template_line(r) for r in missing)
        )
    if stale:
        message.append("These rows of matrix.txt name no route or operation any more:\n" + "\n".join(stale))
    assert not message, "\n\n".join(message)


def test_matrix_rows_are_well_formed(access_scene):
    """Each row's fixture exists and gives its route's arguments; web rows say their methods."""
    scene = access_scene
    routes = all_routes()
    problems = []
    seen: set[tuple[str, str]] = set()
    for row in matrix():
        if (row.key, row.fixture) in seen:
            problems.append(f"matrix.txt:{row.line}: {row.key} {row.fixture} appears twice")
        seen.add((row.key, row.fixture))
        route = routes.get(row.key)
        if route is None:
            continue
        if row.fixture not in scene.args:
            problems.append(f"matrix.txt:{row.line}: no scene object {row.fixture!r}")
            continue
        lacking = [p for p in route.params if p not in scene.args[row.fixture]]
        if lacking:
            problems.append(f"matrix.txt:{row.line}: {row.fixture!r} gives no {', '.join(lacking)}")
        if (route.method is None) == (row.methods == "-"):
            problems.append(f"matrix.txt:{row.line}: methods are G, GP or P for pages and - for operations")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- making the requests


def _url(route: Route, args: dict[str, Any]) -> str:
    kwargs = {p: args[p] for p in route.params}
    if route.method:
        return re.sub(r"\{(\w+)\}", lambda m: str(kwargs[m.group(1)]), route.pattern)
    if route.reverse_name:
        return reverse(route.reverse_name, kwargs=kwargs)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), route.pattern)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs[m.group(1)]), path)
    return "/" + path.replace("^", "").replace("$", "")


LOGIN_PATHS = ("/login/", "/admin/login/")
#: How the services word a refusal of the caller (``MSG_NO_MANAGE`` and the like): no right, out of
#: scope, not this role, only someone else may.
PERMISSION = re.compile(r"无权|不在您的管理范围|角色不能|只有.{1,20}(可以|才能|能)|须由")


def outcome(response: Any, *, api_write: bool = False) -> str:
    """A response as a cell: its status, ``L`` for a redirect to a login page, ``R`` for an API write
    the service refused (422 whose message says the caller may not)."""
    if response.status_code in (301, 302, 303) and urlsplit(response["Location"]).path in LOGIN_PATHS:
        return "L"
    if api_write and response.status_code == 422 and PERMISSION.search(_text(response)):
        return "R"
    return str(response.status_code)


def _text(response: Any) -> str:
    """A JSON answer's text with its escapes read (the API escapes non-ASCII)."""
    try:
        return json.dumps(json.loads(response.content), ensure_ascii=False)
    except ValueError:
        return response.content.decode("utf-8", errors="replace")


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = openapi()["components"]["schemas"][name]
    return schema


def example(schema: dict[str, Any], name: str = "", code: str = "") -> Any:
    """A value the schema accepts, the same every time (the voter's code for a field named ``code``)."""
    schema = _resolve(schema)
    for combinator in ("anyOf", "oneOf"):
        if combinator in schema:
            options = [o for o in schema[combinator] if _resolve(o).get("type") != "null"]
            return example(options[0], name, code)
    if "allOf" in schema:
        return example(schema["allOf"][0], name, code)
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema and schema["default"] is not None:
        return schema["default"]
    kind = schema.get("type", "object")
    if kind == "object":
        properties = schema.get("properties", {})
        return {p: example(properties[p], p, code) for p in schema.get("required", []) if p in properties}
    if kind == "array":
        return [example(schema.get("items", {}), name, code) for _ in range(schema.get("minItems", 0))]
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), 1)
    if kind == "number":
        return max(float(schema.get("minimum", 1)), 1.0)
    if kind == "boolean":
        return False
    if schema.get("format") == "date":
        return dt.date.today().isoformat()  # noqa: DTZ011 - the site's day
    if schema.get("format") == "date-time":
        return "2026-01-05T09:00:00+08:00"
    if schema.get("format") == "binary":
        return SimpleUploadedFile("文件.xlsx", b"PK\x03\x04", content_type="application/octet-stream")
    if name == "code" and code:
        return code
    return "测" * max(int(schema.get("minLength", 1)), 1)


def _api_request(client: Client, route: Route, url: str, headers: dict[str, str], code: str) -> Any:
    operation = route.operation or {}
    query = {
        p["name"]: example(p.get("schema", {}), p["name"], code)
        for p in operation.get("parameters", [])
        if p["in"] == "query" and p.get("required")
    }
    if route.method == "get":
        return client.get(url, query, headers=headers)
    content = operation.get("requestBody", {}).get("content", {})
    if "multipart/form-data" in content:
        data = example(content["multipart/form-data"]["schema"], code=code)
        return getattr(client, route.method)(url + _query(query), data, headers=headers)
    body = example(content["application/json"]["schema"], code=code) if content else None
    return getattr(client, route.method)(
        url + _query(query),
        json.dumps(body) if body is not None else "",
        content_type="application/json",
        headers=headers,
    )


def _query(query: dict[str, Any]) -> str:
    from urllib.parse import urlencode

    return ("?" + urlencode(query)) if query else ""


def _counts() -> dict[str, int]:
    """Rows in every table the project owns (one query)."""
    tables = sorted(
        m._meta.db_table
        for m in apps.get_models()
        if m._meta.managed and not m._meta.proxy and m._meta.db_table != "django_session"
    )
    sql = " UNION ALL ".join(f"SELECT '{t}', COUNT(*) FROM {connection.ops.quote_name(t)}" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(cursor.fetchall())


def _audit_count() -> int:
    from ganbu.core.models import AuditEvent

    return AuditEvent.objects.count()


@pytest.mark.parametrize("role", ROLES)
def test_role_gets_what_the_matrix_says(access_scene, role):
    """Every row's GET as ``role`` answers the cell; refused writes are refused and write nothing."""
    scene = access_scene
    web = Client(raise_request_exception=False)
    api = Client(raise_request_exception=False)
    user = scene.users.get(role)
    if user is not None:
        web.force_login(user)
    headers = {"Authorization": f"Bearer {scene.tokens[role]}"} if role in scene.tokens else {}
    code = scene.codes[0] if role == "vote" else ""
    routes = all_routes()
    before = _counts()
    wrong: list[str] = []
    checked = 0

    def check(row: Row, what: str, got: str, want: str | frozenset[str]) -> None:
        nonlocal checked
        checked += 1
        ok = got in want if isinstance(want, frozenset) else got == want
        if not ok:
            shown = want if isinstance(want, str) else "refused (" + "/".join(sorted(want)) + ")"
            wrong.append(
                f"matrix.txt:{row.line} {row.key} [{row.fixture}] {what}: expected {shown}, got {got}"
            )

    def refused_post(row: Row, send: Any, want: str | frozenset[str]) -> None:
        audit = _audit_count()
        check(row, "POST" if row.methods != "-" else "write", send(), want)
        if _audit_count() != audit:
            wrong.append(
                f"matrix.txt:{row.line} {row.key} [{row.fixture}]: a refused write left an audit event"
            )
        if user is not None and "_auth_user_id" not in web.session:
            web.force_login(user)  # a refused logout or password change may have ended the session

    for row in matrix():
        route = routes.get(row.key)
        if route is None or row.fixture not in scene.args:
            continue  # reported by the tests above
        get_cell, _, post_cell = row.cells[role].partition("/")
        url = _url(route, scene.args[row.fixture])
        if route.method:  # an API operation
            request = lambda r=route, u=url: _api_request(api, r, u, headers, code)  # noqa: E731
            if route.method == "get":
                check(row, "GET", outcome(request()), get_cell)
            elif get_cell != "ok":
                refused_post(row, lambda request=request: outcome(request(), api_write=True), get_cell)
            continue
        post = lambda u=url: outcome(web.post(u, {"code": code} if code else {}))  # noqa: E731
        if row.methods == "P":
            # A POST-only route serves no GET: refused, or sent on (the admin's logout for others).
            check(row, "GET", outcome(web.get(url)), REFUSED | {"302"})
            if get_cell != "ok":
                refused_post(row, post, get_cell)
            continue
        check(row, "GET", outcome(web.get(url)), get_cell)
        if post_cell:  # GET and POST differ: "200/404" (the POST is sent unless "ok")
            if post_cell != "ok":
                refused_post(row, post, post_cell)
        elif get_cell in REFUSED:
            refused_post(row, post, REFUSED if row.methods == "G" else get_cell)
        elif row.methods == "G":
            refused_post(row, post, "405")

    after = _counts()
    changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
    assert not wrong and not changed, "\n".join(
        [*wrong, *(f"table {t}: {a} rows before, {b} after" for t, (a, b) in changed.items())]
    )
    assert checked >= len(matrix())
