"""Content Security Policy without inline scripts (issue 11, item 9).

Every response carries a policy whose ``script-src`` is ``'self'`` alone, and no page the demo
accounts can reach holds code the policy would block or that it exists to forbid: an inline
``<script>`` (a ``<script type="application/json">`` data block is allowed, it never runs), an
``on…=`` event handler, htmx's evaluated attributes (``hx-on``, ``hx-vars``, ``js:`` values), a
``javascript:`` URL, or a ``<style>`` element. The pages are checked by the one walk of the demo
county in ``test_words_users_see`` (every link as every demo role, plus the pages no link reaches),
with the checker of ``page_checks``; this module checks the templates' sources and the header.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path

from ganbu.core.csp import HEADER

# ``demo`` is the walk's module fixture (the demo county, loaded once here too).
from ganbu.web.tests.page_checks import inline_code

pytestmark = pytest.mark.django_db

STATIC_JS = Path(__file__).resolve().parents[1] / "static" / "ganbu"


def _directives(policy: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


# ---------------------------------------------------------------- (a) no inline code on any page


def test_the_check_finds_inline_code():
    """The checker flags each kind of inline code and lets data blocks and external scripts pass."""
    data_block = '<script type="application/json" id="d">{}</script>'
    assert inline_code('<script src="/static/a.js"></script>' + data_block) == []
    assert inline_code('<a href="/x/">x</a><form action="/y/"></form><div hx-vals=\'{"a": 1}\'></div>') == []
    found = inline_code(
        '<script>alert(1)</script><style>p{}</style><button onclick="go()">'
        '<a href=" Java\tScript:go()">x</a><div hx-on:click="go()" hx-vars="a:go()"></div>'
        '<div hx-vals="js:{a: go()}"></div><script type="text/javascript">go()</script>'
    )
    assert len(found) == 8, found


def test_no_template_has_inline_code():
    """The template sources too: pages the walk cannot open (shown once after a POST, such as the
    voting-code and key-share slips) are held to the same rule."""
    root = Path(__file__).resolve().parents[2]
    found = {
        str(template.relative_to(root)): inline_code(template.read_text(encoding="utf-8"))
        for template in root.glob("*/templates/**/*.html")
    }
    assert len(found) > 100
    assert not {name: notes for name, notes in found.items() if notes}


def test_htmx_is_told_not_to_evaluate_code_nor_inject_styles(client, officer):
    """htmx evaluates ``hx-on``/``js:`` only with ``allowEval`` and injects an indicator ``<style>``
    unless ``includeIndicatorStyles`` is off; the pages switch both off in ``<meta name="htmx-config">``."""
    client.force_login(officer)
    html = client.get("/").content.decode()
    meta = re.search(r'<meta name="htmx-config" content=\'([^\']*)\'>', html)
    assert meta, "no htmx-config meta"
    config = json.loads(meta.group(1))
    assert config["allowEval"] is False and config["includeIndicatorStyles"] is False
    assert config["allowScriptTags"] is False


def test_our_scripts_do_not_evaluate_strings():
    """``script-src 'self'`` without ``'unsafe-eval'``: no eval, no Function constructor, no string timers."""
    sources = {p.name: p.read_text(encoding="utf-8") for p in STATIC_JS.glob("*.js")}
    assert sources
    pattern = re.compile(r"\beval\s*\(|new\s+Function\s*\(|set(?:Timeout|Interval)\s*\(\s*[\"'`]")
    offenders = {name: pattern.findall(text) for name, text in sources.items() if pattern.search(text)}
    assert not offenders, offenders


# ---------------------------------------------------------------- (b) the header on every response

EXPECTED = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a server error")


urlpatterns = [path("boom/", _boom)]


def _assert_strict(response: HttpResponse) -> None:
    assert HEADER in response, f"{response.status_code} without {HEADER}"
    directives = _directives(response[HEADER])
    for name, sources in EXPECTED.items():
        assert directives.get(name) == sources, (name, response[HEADER])
    assert directives["script-src"] == ["'self'"]
    # Only style="" attributes may be inline (see SECURE_CSP); nothing may be evaluated.
    sources = [s for name, v in directives.items() if name != "style-src-attr" for s in v]
    assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources
    assert directives.get("style-src-attr", ["'unsafe-inline'"]) == ["'unsafe-inline'"]


def test_pages_api_static_files_and_refusals_carry_the_policy(client, officer):
    _assert_strict(client.get("/login/"))
    _assert_strict(client.get("/public/"))
    _assert_strict(client.get("/"))  # a redirect to the login page
    _assert_strict(client.get("/api/v1/todo"))  # 401
    _assert_strict(client.get("/no-such-page/"))  # 404
    _assert_strict(client.get("/static/ganbu/app.css"))
    refused = Client(enforce_csrf_checks=True).post("/login/", {"username": "x", "password": "y"})
    assert refused.status_code == 403
    _assert_strict(refused)
    client.force_login(officer)
    _assert_strict(client.get("/"))
    _assert_strict(client.get("/api/v1/todo"))
    _assert_strict(client.get("/api/v1/openapi.json"))


@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_carries_the_policy():
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    _assert_strict(response)
