"""Users with a role and a data scope (干部管理权限), and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import AbstractUser
from django.db import models

from .choices import Role


class User(AbstractUser):
    """A person who logs in. ``role`` decides what they may do, the scope fields what they may see.

    Scope: ``scope_unit`` limits the user to that unit's subtree (empty means the whole county);
    ``scope_authorities`` limits them to cadres of those management authorities (empty means all).
    A cadre using self-service is linked to their own record through ``cadre``.
    """

    role = models.CharField("角色", max_length=32, choices=Role.choices, default=Role.ORG_OFFICER)
    display_name = models.CharField("姓名", max_length=50, blank=True)
    scope_unit = models.ForeignKey(
        "registry.Unit",
        verbose_name="管理范围（单位）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="为空表示全县。",
    )
    scope_authorities = models.JSONField(
        "管理范围（干部管理权限）", default=list, blank=True, help_text="为空表示不限。"
    )
    cadre = models.OneToOneField(
        "registry.Cadre",
        verbose_name="本人干部档案",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user_account",
    )

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.display_name or self.username


class ApiToken(models.Model):
    """A bearer token for the REST API. Only the SHA-256 of the key is stored; the key is shown once."""

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=100)
    prefix = models.CharField("前缀", max_length=8, db_index=True)
    key_hash = models.CharField("密钥哈希", max_length=64, unique=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    @staticmethod
    def hash_key(key: str) -> str:
        """The stored form of a key."""
        return hashlib.sha256(key.encode("ascii", "ignore")).hexdigest()

    @staticmethod
    def new_key() -> str:
        """A fresh random key, ``gb_`` followed by 40 URL-safe characters."""
        return "gb_" + secrets.token_urlsafe(30)


# The login security records of django-axes under Chinese names. Proxies, not copies: axes keeps
# writing its own tables; these only give the administrator's admin pages (``accounts.admin``)
# Chinese titles, since axes ships no Chinese translation ("AXES / Access attempts").


class LoginAttempt(AccessAttempt):  # type: ignore[misc]  # axes ships no type stubs
    """Failed logins counted per username and address; at the failure limit the login is locked."""

    class Meta:
        proxy = True
        verbose_name = "登录失败计数"
        verbose_name_plural = "登录失败计数（锁定）"

    def __str__(self) -> str:
        who = f"{self.username or '（无用户名）'} 自 {self.ip_address or '未知地址'}"
        return f"{who} 连续登录失败 {self.failures_since_start} 次"


class LoginLog(AccessLog):  # type: ignore[misc]
    """Successful logins and logouts, with address and browser."""

    class Meta:
        proxy = True
        verbose_name = "登录记录"
        verbose_name_plural = "登录记录"

    def __str__(self) -> str:
        return f"{self.username or '（无用户名）'} 自 {self.ip_address or '未知地址'} 登录"


class LoginFailure(AccessFailureLog):  # type: ignore[misc]
    """Each failed login, and whether it locked the account."""

    class Meta:
        proxy = True
        verbose_name = "登录失败记录"
        verbose_name_plural = "登录失败记录"

    def __str__(self) -> str:
        return f"{self.username or '（无用户名）'} 自 {self.ip_address or '未知地址'} 登录失败"
