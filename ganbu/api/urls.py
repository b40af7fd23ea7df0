"""The REST API (django-ninja) mounted at /api/v1/.

Every operation requires a bearer token (``ganbu token create``) or a logged-in session,
and reads and writes through the registry's selectors and services, so the API enforces exactly
the data scope and rules of the web UI. The OpenAPI schema is at ``/api/v1/openapi.json``.
"""

from __future__ import annotations

from django.apps import apps
from ninja import NinjaAPI

from . import errors
from .auth import AUTH
from .endpoints import (
    cadres,
    campaign_excel,
    campaigns,
    doctemplates,
    documents,
    exits,
    policy,
    public,
    selection,
    tenures,
    todo,
    units,
    voting,
)

# The interactive docs page loads Swagger UI from ninja's own static files when the "ninja" app
# is installed; otherwise it would fetch it from a CDN, which an intranet must never do.
_DOCS_URL = "/docs" if apps.is_installed("ninja") else None

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
