"""Template context shared by every page: the navigation a role may use."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ganbu.core.access import Cap, has_cap


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Capabilities of the current user, for showing only the menus they may use."""
    user = getattr(request, "user", None)
    return {"caps": {cap.name.lower(): has_cap(user, cap) for cap in Cap}}
