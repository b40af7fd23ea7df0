"""The admin site at /admin/: the login security records, for the system administrator only.

Why so little: the web UI keeps the administrator out of the registry (no registry capability,
domain.md §3), and the Django admin knows nothing of data scope or sensitive parts, so any
personal record registered here would be a side door around both (issue 10). Users are managed in
the web UI (「用户管理」) through audited services; what is left for the admin is who tried to log
in, from where, and which logins are locked. Every page is read-only: a lock is lifted in
「用户管理」, which records who lifted it.

This site replaces ``django.contrib.admin.site`` at /admin/ (``config/urls.py``), so models that
other installed apps register on the default site (axes, auth groups) are never served.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.admin import AdminSite
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from ganbu.core.access import Cap, has_cap
from ganbu.core.admin_base import ReadOnlyAdmin

from .models import LoginAttempt, LoginFailure, LoginLog


class GanbuAdminSite(AdminSite):
    """The administrator's admin site, in Chinese, entered by role rather than by the staff flag."""

    site_header = "干部工作管理系统 · 登录安全"
    site_title = "干部工作管理系统"
    index_title = "登录安全记录"
    site_url = "/"
    enable_nav_sidebar = False
    index_template = "accounts/admin/index.html"
    app_index_template = "accounts/admin/index.html"

    def has_permission(self, request: HttpRequest) -> bool:
        """Only the system administrator role; a staff or superuser flag on another role opens nothing."""
        return has_cap(request.user, Cap.USERS_MANAGE)

    def password_change(  # type: ignore[override]  # a redirect, not Django's form page
        self, request: HttpRequest, extra_context: Any = None
    ) -> HttpResponse:
        """One's own password is changed on the web UI's 「修改密码」 page, through the audited service."""
        return redirect("web:my-password")


admin_site = GanbuAdminSite(name="admin")


def _local(moment: dt.datetime) -> str:
    """A stored (UTC) moment in local time, to the second."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")


class _LoginRecordAdmin(ReadOnlyAdmin):
    """Columns shared by the three login records, with Chinese headings (axes has none)."""

    date_hierarchy = None
    search_fields = ("username", "ip_address")
    list_per_page = 50

    @admin.display(description="时间", ordering="attempt_time")
    def when(self, obj: Any) -> str:
        return _local(obj.attempt_time)

    @admin.display(description="用户名", ordering="username")
    def account(self, obj: Any) -> str:
        return str(obj.username or "")

    @admin.display(description="IP 地址")
    def address(self, obj: Any) -> str:
        return str(obj.ip_address or "")

    @admin.display(description="浏览器")
    def browser(self, obj: Any) -> str:
        return str(obj.user_agent)

    @admin.display(description="访问路径")
    def path(self, obj: Any) -> str:
        return str(obj.path_info)


@admin.register(LoginAttempt, site=admin_site)
class LoginAttemptAdmin(_LoginRecordAdmin):
    """Failed logins counted per username and address, and whether the login is locked."""

    list_display = ("when", "account", "address", "failures", "state", "browser")
    fields = ("when", "account", "address", "failures", "state", "browser", "path")
    readonly_fields = fields

    @admin.display(description="连续失败次数", ordering="failures_since_start")
    def failures(self, obj: LoginAttempt) -> int:
        return int(obj.failures_since_start)

    @admin.display(description="状态")
    def state(self, obj: LoginAttempt) -> str:
        limit = settings.AXES_FAILURE_LIMIT
        if obj.failures_since_start >= limit:
            return "已锁定（可在「用户管理」中解除）"
        return f"未锁定，还可尝试 {limit - obj.failures_since_start} 次"


@admin.register(LoginLog, site=admin_site)
class LoginLogAdmin(_LoginRecordAdmin):
    """Successful logins and when the session ended."""

    list_display = ("when", "account", "address", "logout", "browser")
    fields = ("when", "account", "address", "logout", "browser", "path")
    readonly_fields = fields

    @admin.display(description="退出时间", ordering="logout_time")
    def logout(self, obj: LoginLog) -> str:
        return _local(obj.logout_time) if obj.logout_time else "—"


@admin.register(LoginFailure, site=admin_site)
class LoginFailureAdmin(_LoginRecordAdmin):
    """Each failed login, and whether it locked the account."""

    list_display = ("when", "account", "address", "locked", "browser")
    fields = ("when", "account", "address", "locked", "browser", "path")
    readonly_fields = fields

    @admin.display(description="导致锁定", boolean=True)
    def locked(self, obj: LoginFailure) -> bool:
        return bool(obj.locked_out)
