"""The REST API (django-ninja) mounted at /api/v1/.

Every operation requires a bearer token (``ganbu token create``) or a logged-in session,
and reads and writes through the registry's selectors and services, so the API enforces exactly
the data scope and rules of the web UI. The OpenAPI schema is at ``/api/v1/openapi.json``, the
interactive docs at ``/api/v1/docs``; in production both need a login or a token
(``GANBU_API_DOCS_LOGIN_REQUIRED``), since the schema maps every operation an attacker could try.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI

from ganbu.accounts.services import api_token_authenticate

from . import errors
from .auth import AUTH
from .endpoints import (
    assessment,
    cadres,
    campaign_excel,
    campaigns,
    doctemplates,
    documents,
    economic_audits,
    exchanges,
    exits,
    joint_meetings,
    petitions,
    policy,
    public,
    rotation,
    sanctions,
    selection,
    talks,
    team_structure,
    tenures,
    todo,
    training,
    units,
    voting,
)

# The interactive docs page loads Swagger UI from ninja's own static files when the "ninja" app
# is installed; otherwise it would fetch it from a CDN, which an intranet must never do.
_DOCS_URL = "/docs" if apps.is_installed("ninja") else None

MSG_DOCS_LOGIN = "接口文档仅供已登录用户查看：请先登录系统，或在请求头中提供 API 令牌。"


def docs_access(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The docs and the schema for a logged-in user or a valid bearer token, when the setting asks.

    Anonymous: the docs page redirects to the login page, the schema answers 401 (a program reads it).
    Read per request, so tests and deployments switch it without re-importing the API.
    """

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.GANBU_API_DOCS_LOGIN_REQUIRED:
            return view(request, *args, **kwargs)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return view(request, *args, **kwargs)
        scheme, _, key = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and api_token_authenticate(key=key.strip()) is not None:
            return view(request, *args, **kwargs)
        if request.path.endswith(".json"):
            return JsonResponse(
                {"detail": MSG_DOCS_LOGIN}, status=401, json_dumps_params={"ensure_ascii": False}
            )
        return redirect_to_login(request.get_full_path())

    return wrapped


api = NinjaAPI(
    title="干部工作管理系统 API",
    version="1",
    description=(
        "干部、单位、职位、任职与任免文件的接口。认证：请求头 `Authorization: Bearer <令牌>`，"
        "令牌由系统管理员在服务器上用命令 `ganbu token create --user 用户名 --name 用途` 生成"
        "（密钥只显示这一次；`ganbu token list` 查看、`ganbu token revoke --prefix 前缀` 吊销），"
        "令牌的数据范围与该用户相同；或浏览器登录会话（写操作须带 CSRF 令牌）。"
        "数据范围与网页界面一致：不在管理范围内的对象与不存在的对象一样返回 404。"
    ),
    urls_namespace="api",
    auth=AUTH,
    docs_url=_DOCS_URL,
    docs_decorator=docs_access,
)
errors.install(api)
api.add_router("", units.router)
api.add_router("", cadres.router)
api.add_router("", tenures.router)
api.add_router("", documents.router)
api.add_router("", voting.router)
api.add_router("", policy.router)
api.add_router("", selection.router)
api.add_router("", exits.router)
api.add_router("", doctemplates.router)
api.add_router("", public.router)
api.add_router("", todo.router)
api.add_router("", campaigns.router)
api.add_router("", campaign_excel.router)
api.add_router("", assessment.router)
api.add_router("", talks.router)
api.add_router("", training.router)
api.add_router("", exchanges.router)
api.add_router("", team_structure.router)
api.add_router("", rotation.router)
api.add_router("", petitions.router)
api.add_router("", joint_meetings.router)
api.add_router("", economic_audits.router)
api.add_router("", sanctions.router)
