"""At login, note in the session whether the user has a second factor (read by ``SecondFactorMiddleware``).

Noting it once per login saves every later request a database query; a phone bound or reset during
the session is written to the session by the page that did it (``ganbu.web.views.auth``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from .selectors import has_second_factor

#: Session key: "device" when the user has an authenticator, "none" when not.
SECOND_FACTOR_SESSION_KEY = "ganbu_second_factor"


def note_second_factor(request: HttpRequest, *, enrolled: bool) -> None:
    """Record in the session whether the logged-in user has an authenticator."""
    request.session[SECOND_FACTOR_SESSION_KEY] = "device" if enrolled else "none"


@receiver(user_logged_in, dispatch_uid="ganbu.accounts.second_factor_at_login")
def _second_factor_at_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        note_second_factor(request, enrolled=has_second_factor(user))
