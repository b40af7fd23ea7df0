"""Reads for user management: the user list, login locks, and finding a cadre's record by ID number.

Only the system administrator manages users (``Cap.USERS_MANAGE``); for anyone else these return
nothing, like every selector outside a user's scope.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from ganbu.core.access import Cap, has_cap
from ganbu.registry.models import Cadre
from ganbu.rules.idcard import IdNumberError, parse_id_number

from .models import User


@dataclass(frozen=True)
class UserFilter:
    """What the user list is filtered by: name or username, role, enabled or disabled."""

    q: str = ""
    role: str = ""
    active: bool | None = None


def user_list(*, actor: User, filters: UserFilter | None = None) -> QuerySet[User]:
    """Users by username, with their scope unit and own record loaded (one query per page)."""
    if not has_cap(actor, Cap.USERS_MANAGE):
        return User.objects.none()
    filters = filters or UserFilter()
    qs = User.objects.select_related("scope_unit", "cadre").order_by("username", "pk")
    if filters.q:
        qs = qs.filter(Q(username__icontains=filters.q) | Q(display_name__icontains=filters.q))
    if filters.role:
        qs = qs.filter(role=filters.role)
    if filters.active is not None:
        qs = qs.filter(is_active=filters.active)
    return qs


def user_get(*, actor: User, pk: int) -> User | None:
    """One user for the administrator, or ``None`` (also for anyone else)."""
    return user_list(actor=actor).filter(pk=pk).first()


def locked_usernames(usernames: Iterable[str]) -> set[str]:
    """Which of these usernames are locked by repeated wrong passwords (django-axes), in one query.

    A lock lasts the cool-off time (``AXES_COOLOFF_TIME``) from the last failure; an older count
    no longer locks, although axes deletes it only at that user's next attempt.
    """
    from axes.helpers import get_cool_off
    from axes.models import AccessAttempt

    names = [n for n in usernames if n]
    if not names:
        return set()
    qs = AccessAttempt.objects.filter(
        username__in=names, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    )
    cool_off = get_cool_off()
    if cool_off is not None:
        qs = qs.filter(attempt_time__gte=timezone.now() - cool_off)
    rows = qs.values_list("username", flat=True)
    return {name for name in rows if name is not None}


def cadre_by_id_number(*, actor: User, id_number: str) -> Cadre | None:
    """The cadre whose record bears this identity number, for linking a self-service account.

    The administrator has no registry access, so the record is found only by the number the
    cadre themselves gives (from their request for an account), never by browsing or by name.
    """
    if not has_cap(actor, Cap.USERS_MANAGE):
        return None
    try:
        value = parse_id_number(id_number).value
    except IdNumberError:
        return None
    return Cadre.objects.filter(id_number=value).first()
