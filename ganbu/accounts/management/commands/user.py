"""``ganbu user``: create, list, set passwords of and disable users from the command line."""

from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ganbu.accounts import services
from ganbu.accounts.choices import Role
from ganbu.accounts.models import User
from ganbu.core.errors import ServiceError
from ganbu.registry.models import Cadre, Unit


def _errors(exc: ServiceError) -> str:
    if hasattr(exc, "error_dict"):
        return "；".join(f"{k}: {'，'.join(v)}" for k, v in exc.message_dict.items())
    return "；".join(exc.messages)


class Command(BaseCommand):
    """User management; every change goes through ``accounts.services`` and the audit trail."""

    help = (
        "用户管理：create（新建）、list（列出）、passwd（设置密码）、email（提醒邮件地址）、"
        "disable/enable（停用/启用）。"
    )

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="新建用户")
        create.add_argument("--username", required=True)
        create.add_argument("--role", required=True, choices=Role.values)
        create.add_argument("--display-name", default="")
        create.add_argument("--scope-unit", default="", help="管理范围：单位名称或编号（为空表示全县）")
        create.add_argument("--authority", action="append", default=[], help="管理范围：干部管理权限，可重复")
        create.add_argument("--cadre", type=int, help="干部本人账号关联的干部编号")
        create.add_argument("--password", help="不填则交互输入")
        sub.add_parser("list", help="列出用户")
        passwd = sub.add_parser("passwd", help="设置密码")
        passwd.add_argument("username")
        passwd.add_argument("--password", help="不填则交互输入")
        email = sub.add_parser("email", help="设置提醒邮件地址（空字符串为清除）")
        email.add_argument("username")
        email.add_argument("address")
        for name, text in (("disable", "停用用户"), ("enable", "启用用户")):
            p = sub.add_parser(name, help=text)
            p.add_argument("username")
            p.add_argument("--reason", default="")

    def handle(self, *args: Any, action: str, **opts: Any) -> None:
        try:
            getattr(self, f"_{action}")(**opts)
        except ServiceError as exc:
            raise CommandError(_errors(exc)) from None

    def _password(self, given: str | None) -> str:
        if given:
            return given
        first = getpass.getpass("密码：")
        if first != getpass.getpass("再次输入密码："):
            raise CommandError("两次输入的密码不一致。")
        return first

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户「{username}」不存在。")
        return user

    def _create(self, **o: Any) -> None:
        unit_id = None
        if o["scope_unit"]:
            key = o["scope_unit"]
            unit = (
                Unit.objects.filter(pk=int(key)).first()
                if key.isdigit()
                else Unit.objects.filter(name=key).first()
            )
            if unit is None:
                raise CommandError(f"单位「{key}」不存在。")
            unit_id = unit.pk
        if o["cadre"] is not None and not Cadre.objects.filter(pk=o["cadre"]).exists():
            raise CommandError(f"干部编号 {o['cadre']} 不存在。")
        user = services.user_create(
            actor=None,
            username=o["username"],
            role=o["role"],
            password=self._password(o["password"]),
            display_name=o["display_name"],
            scope_unit_id=unit_id,
            scope_authorities=o["authority"],
            cadre_id=o["cadre"],
        )
        self.stdout.write(self.style.SUCCESS(f"已创建用户 {user.username}（{user.get_role_display()}）。"))

    def _list(self, **o: Any) -> None:
        for u in User.objects.select_related("scope_unit").order_by("username"):
            scope = u.scope_unit.name if u.scope_unit else "全县"
            state = "" if u.is_active else "（已停用）"
            self.stdout.write(f"{u.username:<16} {u.get_role_display():<16} {scope}{state}")

    def _passwd(self, **o: Any) -> None:
        user = services.user_set_password(
            actor=None, user=self._user(o["username"]), password=self._password(o["password"])
        )
        self.stdout.write(self.style.SUCCESS(f"已设置 {user.username} 的密码。"))

    def _email(self, **o: Any) -> None:
        user = services.user_set_email(actor=None, user=self._user(o["username"]), email=o["address"])
        self.stdout.write(
            self.style.SUCCESS(f"已设置 {user.username} 的提醒邮件地址：{user.email or '（无）'}。")
        )

    def _disable(self, **o: Any) -> None:
        services.user_set_active(actor=None, user=self._user(o["username"]), active=False, reason=o["reason"])
        self.stdout.write(self.style.SUCCESS(f"已停用 {o['username']}。"))

    def _enable(self, **o: Any) -> None:
        services.user_set_active(actor=None, user=self._user(o["username"]), active=True, reason=o["reason"])
        self.stdout.write(self.style.SUCCESS(f"已启用 {o['username']}。"))
