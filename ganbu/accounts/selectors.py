"""Reads for user management: the user list, login locks, and finding a cadre's record by ID number.

Only the system administrator manages users (``Cap.USERS_MANAGE``); for anyone else these return
nothing, like every selector outside a user's scope.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet, Sum
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

    Locked means: from some address the username reached the per-address limit, or from all
    addresses together the per-username limit (``ganbu.accounts.lockout``). A lock lasts the
    cool-off time (``AXES_COOLOFF_TIME``) from the last failure; an older count no longer locks,
    although axes deletes it only at that user's next attempt.
    """
    from axes.helpers import get_cool_off
    from axes.models import AccessAttempt

    from .lockout import limit_for

    names = [n for n in usernames if n]
    if not names:
        return set()
    qs = AccessAttempt.objects.filter(username__in=names)
    cool_off = get_cool_off()
    if cool_off is not None:
        qs = qs.filter(attempt_time__gte=timezone.now() - cool_off)
    per_address = limit_for(["username", "ip_address"])
    per_username = limit_for(["username"])
    totals: dict[str, int] = {}
    locked: set[str] = set()
    rows = qs.values("username", "ip_address").annotate(n=Sum("failures_since_start"))
    for row in rows:
        name = row["username"]
        if name is None:
            continue
        totals[name] = totals.get(name, 0) + row["n"]
        if row["n"] >= per_address:
            locked.add(name)
    return locked | {name for name, total in totals.items() if total >= per_username}


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


@dataclass(frozen=True)
class SecondFactor:
    """A user's two-step login: whether an authenticator is bound, since when, recovery codes left."""

    enrolled: bool
    since: dt.datetime | None = None
    recovery_codes_left: int = 0


def second_factor(user: User) -> SecondFactor:
    """The state of ``user``'s two-step login (for their own page and the administrator's user page)."""
    from django_otp.plugins.otp_static.models import StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        return SecondFactor(enrolled=False)
    left = StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
    return SecondFactor(enrolled=True, since=device.created_at, recovery_codes_left=left)


def second_factor_required(user: User) -> bool:
    """Whether ``user``'s role must use two-step login (``GANBU_REQUIRE_2FA_ROLES``)."""
    from django.conf import settings

    return user.role in settings.GANBU_REQUIRE_2FA_ROLES


def has_second_factor(user: User) -> bool:
    """Whether ``user`` has a confirmed authenticator (one query)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())
