"""Authentication of API requests: a bearer token for integrations, the session for the browser."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from ganbu.accounts.services import api_token_authenticate

MSG_TOKEN_INVALID = "API 令牌无效或已被吊销。"
MSG_NOT_AUTHENTICATED = "未登录：请在请求头中提供 API 令牌（Authorization: Bearer <令牌>），或先登录系统。"
MSG_CSRF_FAILED = "CSRF 校验失败：请刷新页面后重试。"


class InvalidToken(AuthenticationError):
    """A bearer token was presented but is unknown, revoked, or belongs to a deactivated user."""

    def __init__(self) -> None:
        super().__init__(status_code=401, message=MSG_TOKEN_INVALID)


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <key>``: the key's SHA-256 is looked up among live tokens.

    A presented but bad key fails the request at once (401) rather than falling through to the
    session: a client that sends a token means to use it, and silently acting as whoever is
    logged in would hide a revoked integration.
    """

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        """Return the token's user (the API's acting user) or raise 401."""
        api_token = api_token_authenticate(key=token.strip())
        if api_token is None:
            raise InvalidToken()
        request.api_token = api_token  # type: ignore[attr-defined]
        return api_token.user


class SessionAuth(APIKeyCookie):
    """The logged-in browser session, so pages can call the API with fetch/htmx.

    Unlike ninja's ``django_auth`` it checks CSRF only once a session user is known, so a
    request with no credentials at all gets a clear 401 instead of a CSRF 403; writes made with
    the session still need the CSRF token (safe methods pass the check by definition).
    """

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=False)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        """Return the session user (active users only) after the CSRF check, or ``None``."""
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request) is not None:
            raise HttpError(403, MSG_CSRF_FAILED)
        return user


# Bearer first: a session-cookie check would otherwise demand CSRF from token clients.
AUTH = [TokenAuth(), SessionAuth()]
