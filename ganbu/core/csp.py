"""Content Security Policy: one header on every response, built from ``settings.SECURE_CSP``.

Why a middleware of our own and not django-csp: the policy is a single static header with no
nonces or per-view exceptions, so a dozen lines do it without a dependency. The setting has the
name and shape of Django 6.0's built-in ``SECURE_CSP`` (directive → list of sources), so moving to
Django 6.0 means replacing this middleware with ``django.middleware.csp.ContentSecurityPolicyMiddleware``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from django.conf import settings
from django.http import HttpRequest, HttpResponse

HEADER = "Content-Security-Policy"


def build_policy(directives: Mapping[str, Sequence[str]]) -> str:
    """The header value for ``directives``: ``"default-src 'self'; img-src 'self' data:"``.

    A directive with no sources is written alone (``upgrade-insecure-requests``).
    """
    parts = []
    for name, sources in directives.items():
        parts.append(" ".join([name, *sources]))
    return "; ".join(parts)


class ContentSecurityPolicyMiddleware:
    """Sets the ``Content-Security-Policy`` header on every response, pages, API and errors alike.

    It replaces any header a view set, so no single view can loosen the site's policy. Placed near
    the top of ``MIDDLEWARE`` so that responses made by outer layers (static files, refusals) carry
    it too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Read per response (a join of a few strings) so that override_settings works in tests.
        response[HEADER] = build_policy(settings.SECURE_CSP)
        return response
