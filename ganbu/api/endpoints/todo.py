"""The to-do list and the caller's notifications (待办事项与提醒).

The to-do groups are computed on each request from the data, scoped to the caller exactly as on
the home page; notifications are the caller's own (another user's is a 404, like a missing one).
No ``from __future__ import annotations`` here: ``@paginated`` rebuilds the signature and needs the
parameter types as objects, not strings.
"""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.params import functions as param

from ganbu.todo import selectors, services

from ..common import READ_ERRORS, WRITE_ERRORS, actor
from ..pagination import MAX_LIMIT, paginated
from ..schemas import MAX_ID, Date

router = Router(tags=["待办事项与提醒"])


class TodoItemOut(Schema):
    """One thing to do: its text, the page to do it on, the date it is due, whether it is overdue."""

    key: str = Field(description="事项标识（与提醒的 key 相同）")
    text: str
    link: str = Field(description="系统内的页面路径")
    due_on: dt.date | None
    overdue: bool


class TodoGroupOut(Schema):
    """One kind of to-do: how many, and the first ``limit`` of them, soonest first."""

    kind: str
    title: str
    count: int
    note: str = Field(description="计算方式的说明（如工作日历未覆盖该年份时按自然日计算）")
    overdue_label: str = Field(description="逾期事项的标注（到龄类为「已到龄」）")
    items: list[TodoItemOut]


class TodoQuery(Schema):
    """The day (default today) and how many items per group."""

    on: Date | None = None
    limit: int = Field(selectors.ITEM_LIMIT, ge=1, le=MAX_LIMIT, description="每类最多列出的条数")


class NotificationOut(Schema):
    """A reminder of the caller's: what it is about, when it was created, read and e-mailed."""

    id: int
    kind: str
    key: str
    title: str
    text: str
    link: str
    due_on: dt.date | None
    created_at: dt.datetime
    read_at: dt.datetime | None
    emailed_at: dt.datetime | None


class NotificationQuery(Schema):
    """``unread=true``: only the unread ones."""

    unread: bool = False


@router.get(
    "/todo",
    response={200: list[TodoGroupOut], **READ_ERRORS},
    summary="我的待办事项（按数据即时计算）",
    operation_id="todo_list",
)
def todo_list(request: HttpRequest, filters: Query[TodoQuery]) -> Any:
    """The caller's to-do groups on ``on`` (default today), each with its count and first items."""
    day = filters.on or timezone.localdate()
    return selectors.todo_items(actor(request), day, limit=filters.limit)


@router.get(
    "/notifications",
    response=list[NotificationOut],
    summary="我的提醒",
    operation_id="notification_list",
)
@paginated
def notification_list(request: HttpRequest, filters: Query[NotificationQuery]) -> Any:
    """The caller's notifications, unread first, then newest first."""
    return selectors.notification_list(user=actor(request), unread_only=filters.unread)


@router.post(
    "/notifications/{notification_id}/read",
    response={200: NotificationOut, **WRITE_ERRORS},
    summary="将提醒标为已读",
    operation_id="notification_read",
)
def notification_read(
    request: HttpRequest, notification_id: int = param.Path(..., ge=1, le=MAX_ID, description="提醒 id")
) -> Any:
    """Mark one of the caller's notifications read (reading it again changes nothing)."""
    user = actor(request)
    notification = selectors.notification_get(user=user, notification_id=notification_id)
    return services.notification_read(actor=user, notification=notification)
