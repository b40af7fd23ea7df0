"""``manage.py token create|list|revoke``: API tokens for integrations.

    manage.py token create --user USERNAME --name 用途     # prints the key once
    manage.py token list [--user USERNAME] [--all]
    manage.py token revoke --prefix gb_AbCdE [--user USERNAME] [--reason 事由]

Creating and revoking go through ``ganbu.accounts.services`` (audited, recorded as 「系统」:
whoever runs commands on the server already controls it).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ganbu.accounts.models import ApiToken, User
from ganbu.accounts.services import api_token_create, api_token_revoke
from ganbu.core.errors import ServiceError


def _service_error_text(exc: ServiceError) -> str:
    """A ServiceError's messages on one line."""
    return "；".join(str(m) for m in exc.messages)


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


class Command(BaseCommand):
    """Create, list and revoke REST API tokens."""

    help = "管理 REST API 令牌：create（生成，只显示一次）、list（列出）、revoke（吊销）。"

    def add_arguments(self, parser: CommandParser) -> None:
        """Subcommands create, list and revoke."""
        sub = parser.add_subparsers(dest="action", required=True, title="操作")
        create = sub.add_parser("create", help="为用户生成令牌（密钥只显示这一次）")
        create.add_argument("--user", required=True, help="用户名")
        create.add_argument("--name", required=True, help="用途，例如「人事系统对接」")
        listing = sub.add_parser("list", help="列出令牌（只显示前缀，不显示密钥）")
        listing.add_argument("--user", help="只列出该用户的令牌")
        listing.add_argument("--all", action="store_true", help="包括已吊销的令牌")
        revoke = sub.add_parser("revoke", help="按前缀吊销令牌")
        revoke.add_argument("--prefix", required=True, help="令牌前缀（token list 中显示的前 8 个字符）")
        revoke.add_argument("--user", help="用户名（前缀重复时用于区分）")
        revoke.add_argument("--reason", default="", help="吊销事由（记入审计日志）")

    def handle(self, *args: Any, **options: Any) -> None:
        """Dispatch to the subcommand."""
        action = options["action"]
        if action == "create":
            self._create(options["user"], options["name"])
        elif action == "list":
            self._list(options.get("user"), options["all"])
        else:
            self._revoke(options["prefix"], options.get("user"), options["reason"])

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户「{username}」不存在。")
        return user

    def _create(self, username: str, name: str) -> None:
        user = self._user(username)
        try:
            token, key = api_token_create(actor=None, user=user, name=name)
        except ServiceError as exc:
            raise CommandError(_service_error_text(exc)) from None
        self.stdout.write(f"已为用户 {user.username} 生成令牌「{token.name}」（前缀 {token.prefix}）。")
        self.stdout.write("密钥只显示这一次，请立即妥善保存：")
        self.stdout.write(key)
        self.stdout.write("使用方法：在请求头中加入 Authorization: Bearer <密钥>")

    def _list(self, username: str | None, include_revoked: bool) -> None:
        tokens = ApiToken.objects.select_related("user").order_by("user__username", "created_at")
        if username:
            tokens = tokens.filter(user=self._user(username))
        if not include_revoked:
            tokens = tokens.filter(revoked_at__isnull=True)
        rows = list(tokens)
        if not rows:
            self.stdout.write("没有令牌。")
            return
        self.stdout.write("前缀\t用户\t用途\t创建时间\t最近使用\t状态")
        for t in rows:
            state = f"已吊销（{_when(t.revoked_at)}）" if t.revoked_at else "有效"
            self.stdout.write(
                f"{t.prefix}\t{t.user.username}\t{t.name}\t{_when(t.created_at)}\t{_when(t.last_used_at)}\t{state}"
            )

    def _revoke(self, prefix: str, username: str | None, reason: str) -> None:
        tokens = ApiToken.objects.select_related("user").filter(
            prefix=prefix.strip(), revoked_at__isnull=True
        )
        if username:
            tokens = tokens.filter(user=self._user(username))
        matches = list(tokens[:10])
        if not matches:
            raise CommandError(f"没有前缀为「{prefix}」的有效令牌。")
        if len(matches) > 1:
            owners = "、".join(f"{t.user.username}（{t.name}）" for t in matches)
            raise CommandError(f"前缀「{prefix}」对应多个令牌：{owners}。请用 --user 指定用户。")
        try:
            token = api_token_revoke(actor=None, token=matches[0], reason=reason)
        except ServiceError as exc:
            raise CommandError(_service_error_text(exc)) from None
        self.stdout.write(f"已吊销用户 {token.user.username} 的令牌「{token.name}」（前缀 {token.prefix}）。")
