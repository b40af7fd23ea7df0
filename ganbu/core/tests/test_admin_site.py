"""The Django admin at /admin/ shows no personal records and speaks Chinese (issue 10, items 4 and 13).

The web UI keeps an administrator out of the 干部名册 (out of scope, no registry capability); the
admin site must not be a side door to the same records. It shows only the login security records
(axes) an administrator needs, under Chinese names.
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.contrib.admin.sites import AdminSite
from django.urls import resolve

# Apps whose models hold records about people (cadres, applicants, voters, the audit trail of what
# was done to them): none of their models may be browsable in the admin, whatever the admin's scope.
PERSONAL_APPS = ("registry", "campaigns", "selection", "exits", "voting", "core", "todo")
# Account models hold the people who log in (and their tokens); managed in the web UI, audited.
PERSONAL_MODELS = ("accounts.User", "accounts.ApiToken")
# What the administrator legitimately needs in the admin: the login security records.
ALLOWED = {"accounts.LoginAttempt", "accounts.LoginLog", "accounts.LoginFailure"}

# Words Django's own admin templates may show with the Chinese translation installed: none.
ASCII_WORD = re.compile(r"[A-Za-z]{3,}")


def mounted_site() -> AdminSite:
    """The admin site served at /admin/ (whatever config.urls mounts there)."""
    site = resolve("/admin/").func.admin_site  # type: ignore[attr-defined]
    assert isinstance(site, AdminSite)
    return site


def visible_text(html: str) -> str:
    """The text of a page a person reads: without scripts, styles, tags and entities."""
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    text = re.sub(r"<[^>]+>", " ", html)
    text = re.sub(r"&[a-z]+;|&#\d+;", " ", text)
    return re.sub(r"\s+", " ", text)


def personal_models() -> list[str]:
    labels = [m._meta.label for app in PERSONAL_APPS for m in apps.get_app_config(app).get_models()]
    return [*labels, *PERSONAL_MODELS]


def test_the_admin_site_registers_no_model_with_personal_data() -> None:
    registered = {model._meta.label for model in mounted_site()._registry}
    personal = set(personal_models())
    assert "registry.Cadre" in personal and "core.AuditEvent" in personal  # the list is real
    assert registered & personal == set()
    assert registered <= ALLOWED, registered - ALLOWED


@pytest.fixture
def administrator_client(client, make_user):
    """The system administrator, as the demo creates them (staff and superuser)."""
    user = make_user("admin", username="xtgly", is_staff=True, is_superuser=True, display_name="系统管理员")
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/admin/registry/cadre/",
        "/admin/registry/tenure/",
        "/admin/registry/unit/",
        "/admin/core/auditevent/",
        "/admin/accounts/user/",
        "/admin/auth/group/",
    ],
)
def test_an_administrator_cannot_browse_personal_records_in_the_admin(
    administrator_client, tree, path
) -> None:
    from ganbu.registry.tests.factories import CadreFactory

    CadreFactory(unit=tree.finance, name="李四")
    response = administrator_client.get(path)
    assert response.status_code in (403, 404)
    assert "李四" not in response.content.decode()


def _login_records() -> None:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    common = {
        "user_agent": "Mozilla/5.0",
        "ip_address": "10.0.0.8",
        "http_accept": "*/*",
        "path_info": "/login/",
    }
    AccessAttempt.objects.create(
        username="zhangsan", get_data="", post_data="username=zhangsan", failures_since_start=5, **common
    )
    AccessLog.objects.create(username="lisi", **common)
    AccessFailureLog.objects.create(username="zhangsan", locked_out=True, **common)


def test_every_admin_page_shows_chinese_names_only(administrator_client) -> None:
    _login_records()
    pages = ["/admin/"]
    for model in mounted_site()._registry:
        opts = model._meta
        pages.append(f"/admin/{opts.app_label}/{opts.model_name}/")
        pages.append(f"/admin/{opts.app_label}/{opts.model_name}/{model._default_manager.first().pk}/change/")
    shown: dict[str, list[str]] = {}
    for page in pages:
        response = administrator_client.get(page)
        assert response.status_code == 200, page
        # Data values (user agents, paths) are what they are; labels, titles and menus must be Chinese.
        text = visible_text(response.content.decode())
        for value in ("Mozilla", "zhangsan", "lisi", "login", "xtgly"):
            text = text.replace(value, "")
        words = ASCII_WORD.findall(text)
        if words:
            shown[page] = words
    assert shown == {}
    index = visible_text(administrator_client.get("/admin/").content.decode())
    assert "登录" in index and "Axes" not in index and "Access attempts" not in index


def test_only_the_administrator_role_enters_the_admin(client, make_user) -> None:
    # A staff flag on another role (set by hand in the database) opens nothing: the role decides.
    officer = make_user("org_officer", is_staff=True, is_superuser=True)
    client.force_login(officer)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
