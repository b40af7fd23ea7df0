"""Two-step login enforced on every request (issue 11, item 9): ``SecondFactorMiddleware``.

A user who has bound an authenticator app, or whose role must use one (``GANBU_REQUIRE_2FA_ROLES``),
is logged in by the password page but reaches nothing until the second step is done: web pages
redirect to the code page (or, without an authenticator yet, to the page that binds one), the API
answers 401 to such a session. Only those two pages, logging out, and static files stay open.

Why a middleware rather than a decorator on views: every page, the API's session access and the
admin site are covered, including pages added later. API tokens are not affected: a request that
authenticates with ``Authorization: Bearer`` carries no session user.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse

from ganbu.accounts.selectors import has_second_factor
from ganbu.accounts.signals import SECOND_FACTOR_SESSION_KEY, note_second_factor

MSG_API_SECOND_FACTOR = "请先在网页上完成两步验证（输入验证器中的验证码）后再使用该会话访问接口。"
OPEN_PREFIXES = ("/static/", "/media/")


class SecondFactorMiddleware:
    """Confines a session that has the password but not yet the code to the two-step pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        state = request.session.get(SECOND_FACTOR_SESSION_KEY)
        if state is None:  # a session from before two-step login existed
            note_second_factor(request, enrolled=has_second_factor(user))
            state = request.session[SECOND_FACTOR_SESSION_KEY]
        required = user.role in settings.GANBU_REQUIRE_2FA_ROLES
        if state != "device" and not required:
            return self.get_response(request)
        if user.is_verified():
            return self.get_response(request)
        target = reverse("web:otp-verify" if state == "device" else "web:otp-setup")
        if request.path in (target, reverse("web:logout")) or request.path.startswith(OPEN_PREFIXES):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": MSG_API_SECOND_FACTOR}, status=401, json_dumps_params={"ensure_ascii": False}
            )
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return HttpResponseRedirect(f"{target}?{query}" if query else target)
