"""Limit/offset pagination done in the database, with a hard maximum page size."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 200
# Offsets beyond any real table keep the SQL OFFSET inside a 64-bit integer on every backend.
MAX_OFFSET = 2**53


class Page(LimitOffsetPagination):
    """``?limit=&offset=`` → ``{"items": [...], "count": N}``; one COUNT and one page query."""

    class Input(Schema):
        """The page wanted."""

        limit: int = Field(
            getattr(settings, "GANBU_PAGE_SIZE", 50), ge=1, le=MAX_LIMIT, description="每页条数（最多 200）"
        )
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="跳过的条数")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
