"""Template context shared by every page: the navigation a role may use, and the unread reminders."""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from ganbu.core.access import Cap, has_cap
from ganbu.todo.selectors import unread_count


def _unread(user: Any) -> int:
    """The navbar's unread count; 0 if the database fails, so that the error page itself still renders."""
    try:
        return unread_count(user)
    except DatabaseError:
        return 0


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Capabilities of the current user, for showing only the menus they may use."""
    user = getattr(request, "user", None)
    return {
        "caps": {cap.name.lower(): has_cap(user, cap) for cap in Cap},
        # Counted only when a page shows it (the navbar), at most once per page: one query.
        "unread_notifications": SimpleLazyObject(lambda: _unread(user)),
    }
