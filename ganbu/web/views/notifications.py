"""The to-do page (every item of every group) and the user's notifications (提醒): list, mark read.

A notification is its owner's only: another user's is a 404, exactly like a missing one.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from ganbu.todo import selectors, services

from ..exports import DAY, Column, wants_xlsx, xlsx_response
from .org_common import AuthedRequest, page_of

TODO_COLUMNS = [
    Column("类别", lambda gi: gi[0].title),
    Column("事项", lambda gi: gi[1].text),
    Column("期限", lambda gi: gi[1].due_on, DAY),
    Column("状态", lambda gi: gi[0].overdue_label if gi[1].overdue else ""),
]


@login_required
@require_GET
def todo_list(request: AuthedRequest) -> HttpResponse | FileResponse:
    """Every to-do item of the user's groups today (a fixed number of queries whatever their number).

    ``?export=xlsx``: the same items, one line each with its group, due date and whether overdue.
    """
    today = timezone.localdate()
    groups = selectors.todo_items(request.user, today, limit=None)
    if wants_xlsx(request):
        rows = [(group, item) for group in groups for item in group.items]
        return xlsx_response(
            title="待办事项", columns=TODO_COLUMNS, rows=rows, extra_note=f"共 {len(rows)} 项"
        )
    return render(
        request,
        "web/todo/todo_list.html",
        {
            "groups": groups,
            "total": selectors.todo_total(groups),
            "empty_titles": selectors.empty_titles(groups),
            "today": today,
        },
    )


@login_required
@require_GET
def notification_list(request: AuthedRequest) -> HttpResponse:
    """The user's notifications, unread first, one page at a time (``?unread=1``: unread only)."""
    unread_only = request.GET.get("unread") == "1"
    qs = selectors.notification_list(user=request.user, unread_only=unread_only)
    page, query = page_of(request, qs)
    return render(
        request, "web/todo/notification_list.html", {"page": page, "query": query, "unread_only": unread_only}
    )


def _next_or_list(request: AuthedRequest) -> HttpResponse:
    """Back to the page the form named (a path of this site only), or to the notification list."""
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if target.startswith("/") and not target.startswith("//") and safe:
        return redirect(target)
    return redirect("web:notification-list")


@login_required
@require_POST
def notification_read(request: AuthedRequest, pk: int) -> HttpResponse:
    """Mark one of the user's notifications read, then go to its page (``next``) or back to the list."""
    notification = selectors.notification_get(user=request.user, notification_id=pk)
    try:
        services.notification_read(actor=request.user, notification=notification)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("web:notification-list")
    return _next_or_list(request)


@login_required
@require_POST
def notification_read_all(request: AuthedRequest) -> HttpResponse:
    """Mark every unread notification of the user read."""
    try:
        count = services.notifications_read_all(actor=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已将 {count} 条提醒标为已读。" if count else "没有未读的提醒。")
    return redirect("web:notification-list")
