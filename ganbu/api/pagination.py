"""Cursor pagination of every API list, done in the database (decision 0014, ``ganbu.core.keyset``).

``?limit=`` rows (at most 200) after ``?cursor=``; the answer holds ``items``, the links ``next``
and ``previous`` (absolute URLs, null at either end) and ``count``, the total counted once on the
first page and capped (``count_capped``: there are more than ``count``). Following ``next``
costs one query per page however deep: walking every cadre is linear, not quadratic.

``?offset=`` is still read for clients written against the limit/offset API; it is deprecated
(an OFFSET reads and throws away every row in front of the page) and the pages it returns carry
cursors for the rest of the walk.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.errors import ValidationError
from ninja.pagination import PaginationBase

from ganbu.core import keyset

MAX_LIMIT = 200
# Offsets beyond any real table keep the SQL OFFSET inside a 64-bit integer on every backend.
MAX_OFFSET = 2**53
MSG_BAD_CURSOR = "分页游标无效或已失效（数据筛选条件变了，或游标被改动）：请去掉 cursor 从第一页重新取。"


class Page(PaginationBase):
    """``?cursor=&limit=`` → ``{"items", "count", "count_capped", "next", "previous"}``."""

    class Input(Schema):
        """The page wanted."""

        cursor: str | None = Field(
            None,
            max_length=keyset.MAX_CURSOR_LENGTH,
            description="上一页响应中 next 或 previous 链接里的游标；取第一页时不填",
        )
        limit: int = Field(
            getattr(settings, "GANBU_PAGE_SIZE", 50), ge=1, le=MAX_LIMIT, description="每页条数（最多 200）"
        )
        offset: int = Field(
            0,
            ge=0,
            le=MAX_OFFSET,
            description="（已弃用，请改用 cursor）跳过的条数；越往后越慢",
            json_schema_extra={"deprecated": True},
        )

    class Output(Schema):
        """One page and the links to its neighbours."""

        items: list[Any]
        count: int = Field(description="总条数（第一页时统计）；count_capped 为 true 时表示“超过这么多条”")
        count_capped: bool = Field(description="总数超过统计上限，count 只是下限")
        next: str | None = Field(description="下一页的链接；已是最后一页时为 null")
        previous: str | None = Field(description="上一页的链接；已是第一页时为 null")

    items_attribute = "items"

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        """The page of ``queryset`` the cursor (or the deprecated offset) points at."""
        try:
            page = keyset.paginate(
                queryset,
                size=pagination.limit,
                cursor=pagination.cursor or None,
                offset=pagination.offset or None,
            )
        except keyset.InvalidCursor:
            raise ValidationError(
                [{"loc": ("query", "cursor"), "type": "value_error", "ctx": {"error": MSG_BAD_CURSOR}}]
            ) from None
        return {
            "items": page.object_list,
            "count": page.total,
            "count_capped": page.total_capped,
            "next": _link(request, page.next_cursor),
            "previous": _link(request, page.previous_cursor),
        }


def _link(request: HttpRequest, cursor: str | None) -> str | None:
    """This request's URL with ``cursor`` in place of the paging it came with (filters kept)."""
    if cursor is None:
        return None
    query = request.GET.copy()
    query.pop("offset", None)
    query["cursor"] = cursor
    return request.build_absolute_uri(request.path) + "?" + query.urlencode()
