"""Every route, web and API, with hostile query parameters never answers 5xx (issue 11, item 6).

The demo county (small scale) is loaded once. The web UI's routes are reached by following links
from the dashboard as the county-wide officer (``zzb``) and from the public pages without login,
one page per URL pattern, plus every pattern without arguments. Each page is then requested with
each known query parameter set to a NUL byte (``%00``), which the input rule must refuse (400), and
with each date parameter set to ``0``, ``0001-01-01``, ``9999-12-31`` and ``99999-1-1``, which must
not be a server error. Every GET operation of the API is called the same way from its OpenAPI
parameters (422 for NUL; dates bounded). A probe of the whole site found these as 500s; see
``ganbu/core/tests/test_input_guard.py`` for the rule itself.
"""

from __future__ import annotations

import io
import re
from collections import deque
from urllib.parse import parse_qsl, urldefrag, urlencode, urlsplit

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse

from ganbu.accounts.models import User

pytestmark = pytest.mark.django_db

SKIP_PREFIXES = ("/static/", "/media/", "/api/")
HREF = re.compile(r'href="([^"#]+)')
#: Query parameters the pages read (from the views; links add the ones they use).
KNOWN_PARAMS = {
    "q", "step", "stage", "status", "kind", "on", "age_on", "date_from", "date_to", "year", "unit",
    "sort", "page", "exclude", "candidate", "event_type", "cadre_id", "full", "open", "unread",
    "exception_cadre", "next", "role", "active",
}  # fmt: skip
DATE_PARAMS = ("on", "age_on", "date_from", "date_to", "year", "day")
# 1901: within the range, but before everyone's birth (ages on it cannot be computed).
BAD_DATES = ("0", "0001-01-01", "9999-12-31", "99999-1-1", "1901-01-01")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo county at a small scale with its workflows, committed once for the module."""
    with django_db_blocker.unblock():
        call_command("demo", "--scale", "0.1", stdout=io.StringIO())
        yield
        call_command("flush", interactive=False, verbosity=0)
        ContentType.objects.clear_cache()


def _pattern(path: str) -> str | None:
    if not path.startswith("/") or path.startswith(SKIP_PREFIXES) or "logout" in path:
        return None
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def _no_arg_pages() -> list[str]:
    out = []
    for top in get_resolver().url_patterns:
        if isinstance(top, URLResolver) and getattr(top, "namespace", None) == "web":
            for p in top.url_patterns:
                if (
                    isinstance(p, URLPattern)
                    and p.name
                    and not p.pattern.converters
                    and "logout" not in p.name
                ):
                    out.append(reverse(f"web:{p.name}"))
    return out


def pages(client: Client) -> tuple[dict[str, str], set[str]]:
    """One page per URL pattern (pattern → url) reachable by links, and the query parameters links use."""
    found: dict[str, str] = {}
    params: set[str] = set()
    queue = deque(["/", *_no_arg_pages()])
    seen: set[str] = set()
    while queue:
        url = queue.popleft()
        path = urlsplit(url).path
        name = _pattern(path)
        if name is None or url in seen or (name in found and found[name] != url):
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code >= 400:
            continue
        found.setdefault(name, url)
        if response.status_code in (301, 302):
            queue.append(response["Location"])
            continue
        if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
            continue
        for href in HREF.findall(response.content.decode("utf-8")):
            href = urldefrag(href.replace("&amp;", "&"))[0]
            if href.startswith("?"):
                href = path + href
            params |= {k for k, _ in parse_qsl(urlsplit(href).query)}
            queue.append(href)
    return found, params


def _with(url: str, name: str, value: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != name] + [(name, value)]
    return f"{parts.path}?{urlencode(query)}"


def _probe_pages(client: Client) -> tuple[int, list[str]]:
    found, params = pages(client)
    assert len(found) > 20, sorted(found)
    failures: list[str] = []
    sent = 0
    for url in found.values():
        for name in sorted(KNOWN_PARAMS | params):
            response = client.get(_with(url, name, "\x00"))
            sent += 1
            if response.status_code != 400:
                failures.append(f"{url} {name}=%00 → {response.status_code}")
        for name in DATE_PARAMS:
            for value in BAD_DATES:
                response = client.get(_with(url, name, value))
                sent += 1
                if response.status_code >= 500:
                    failures.append(f"{url} {name}={value} → {response.status_code}")
    return sent, failures


def test_every_page_refuses_nul_and_survives_bad_dates_as_an_officer(demo):
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username="zzb"))
    sent, failures = _probe_pages(client)
    assert sent > 2000 and not failures, "\n".join(failures[:40])


def test_every_public_page_refuses_nul_and_survives_bad_dates(demo):
    _, failures = _probe_pages(Client(raise_request_exception=False))
    assert not failures, "\n".join(failures[:40])


def test_every_api_read_refuses_nul_and_survives_bad_dates(demo):
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username="zzb"))
    schema = client.get("/api/v1/openapi.json").json()
    failures: list[str] = []
    operations = 0
    for path, item in schema["paths"].items():
        op = item.get("get")
        if op is None:
            continue
        operations += 1
        params = op.get("parameters", [])
        url = path
        for p in params:
            if p["in"] == "path":
                url = url.replace(
                    "{" + p["name"] + "}", "2024-05-01" if p["schema"].get("format") == "date" else "1"
                )
        for p in params:
            if p["in"] != "query":
                continue
            response = client.get(url, {p["name"]: "\x00"})
            if response.status_code != 422:
                failures.append(f"{url} {p['name']}=%00 → {response.status_code}")
            if p["schema"].get("format") == "date" or "date" in str(p["schema"].get("anyOf", "")):
                for value in (*BAD_DATES, "253402128000"):
                    response = client.get(url, {p["name"]: value})
                    if response.status_code >= 500:
                        failures.append(f"{url} {p['name']}={value} → {response.status_code}")
        for p in params:
            if p["in"] == "path" and p["schema"].get("format") == "date":
                for value in BAD_DATES:
                    response = client.get(path.replace("{" + p["name"] + "}", value))
                    if response.status_code >= 500:
                        failures.append(f"{path} {p['name']}={value} → {response.status_code}")
    assert operations > 30
    assert not failures, "\n".join(failures[:40])
