"""Small helpers shared by the list views: the authed request, id parameters and the page of a list."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest

from ganbu.accounts.models import User
from ganbu.core import keyset


class AuthedRequest(HttpRequest):
    """A request behind ``login_required``: its user is a real ``User``, never anonymous."""

    user: User


def int_param(request: HttpRequest, name: str) -> int | None:
    """A positive id from the query string, or None when absent or malformed (never a 500)."""
    value = request.GET.get(name, "")
    if value.isdigit() and len(value) <= 18 and int(value) > 0:
        return int(value)
    return None


def page_of(request: HttpRequest, qs: QuerySet[Any]) -> tuple[keyset.Page, str]:
    """One page of a queryset by keyset (``ganbu.core.keyset``) and the query string without paging.

    ``?cursor=`` comes from the pager's links; ``?page=N`` (old links, bookmarks, the forms that
    return to the page they came from) is still read, by OFFSET. A cursor that this list did not
    hand out (altered, or left over after the filters changed) shows the first page, as a bad
    page number always did. The second value lets other links keep the filters.
    """
    size = settings.GANBU_PAGE_SIZE
    number = request.GET.get("page", "")
    page_number = int(number) if number.isdigit() and len(number) <= 9 else None
    cursor = request.GET.get("cursor") or None
    try:
        page = keyset.paginate(qs, size=size, cursor=cursor, page_number=page_number)
    except keyset.InvalidCursor:
        page = keyset.paginate(qs, size=size)
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("cursor", None)
    return page, params.urlencode()
