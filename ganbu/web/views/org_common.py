"""Small helpers shared by the organisation views (units, documents, corrections, audit trail)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

from ganbu.accounts.models import User


class AuthedRequest(HttpRequest):
    """A request behind ``login_required``: its user is a real ``User``, never anonymous."""

    user: User


def int_param(request: HttpRequest, name: str) -> int | None:
    """A positive id from the query string, or None when absent or malformed (never a 500)."""
    value = request.GET.get(name, "")
    if value.isdigit() and len(value) <= 18 and int(value) > 0:
        return int(value)
    return None


def page_of(request: HttpRequest, qs: QuerySet[Any]) -> tuple[Page[Any], str]:
    """One page of a queryset (LIMIT/OFFSET in the database) and the query string without ``page``.

    The second value lets page links keep the filters.
    """
    paginator = Paginator(qs, settings.GANBU_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()
