"""Login lockout keyed by account and by address (django-axes; issue 11, item 9).

Three counts of wrong passwords within the cool-off time (``AXES_COOLOFF_TIME``), each with its own
limit (``GANBU_LOCKOUT_LIMITS``):

* one username from one address (default 5): a person mistyping, or one machine guessing one account;
* one username from any address (default 20): guessing one account from many machines;
* one address for any username (default 30): one machine trying many accounts.

Why three: locking by username alone would let anyone lock any colleague out with five wrong
passwords; locking by username and address together (as before) let guessing spread over many
machines go on without end. With these limits one machine stops at 5 tries per account and 30 in
all, so it can lock no account for everyone; an account gets at most 20 guesses per half hour from
the whole network, after which it is locked until the cool-off time passes or the administrator
lifts it in 「用户管理」.

axes compares one number with one limit, so :class:`TieredLockoutHandler` reports each count scaled
to the first limit (``AXES_FAILURE_LIMIT``): a count reaches that number exactly when it reaches its
own limit.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

# The keys of GANBU_LOCKOUT_LIMITS for each entry of AXES_LOCKOUT_PARAMETERS, in that order.
_LIMIT_KEYS = {
    ("username", "ip_address"): "username_ip",
    ("username",): "username",
    ("ip_address",): "ip_address",
}


def limit_for(parameters: list[str] | tuple[str, ...] | str) -> int:
    """The failure limit of one lockout parameter combination (``["username"]`` → 20)."""
    combo = (parameters,) if isinstance(parameters, str) else tuple(sorted(parameters, reverse=True))
    key = _LIMIT_KEYS.get(combo)
    limits: dict[str, int] = settings.GANBU_LOCKOUT_LIMITS
    return int(limits[key]) if key is not None else int(settings.AXES_FAILURE_LIMIT)


class TieredLockoutHandler(AxesDatabaseHandler):  # type: ignore[misc]  # axes ships no type stubs
    """axes' database handler, with a limit per lockout parameter combination (see the module)."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """The highest count, each scaled so that its own limit maps to ``AXES_FAILURE_LIMIT``."""
        base = int(settings.AXES_FAILURE_LIMIT)
        worst = 0
        for parameters, attempts in zip(
            settings.AXES_LOCKOUT_PARAMETERS, self.get_user_attempts(request, credentials), strict=True
        ):
            failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            worst = max(worst, failures * base // limit_for(parameters))
        return worst


def client_ip(request: HttpRequest) -> str | None:
    """The browser's address: ``REMOTE_ADDR``, or behind the reverse proxy the address it appended.

    With ``GANBU_BEHIND_PROXY`` every connection comes from the proxy; nginx appends the address it
    saw to ``X-Forwarded-For`` (``proxy_add_x_forwarded_for``), so the last entry is the one no
    browser could write. Earlier entries are the browser's own claims and are ignored.
    """
    remote = request.META.get("REMOTE_ADDR")
    if not settings.GANBU_BEHIND_PROXY:
        return str(remote) if remote else None
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    candidate = forwarded[-1] if forwarded and forwarded[-1] else ""
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return str(remote) if remote else None
