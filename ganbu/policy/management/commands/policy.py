"""``ganbu policy``: list the county policy values in force, record a new version."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ganbu.accounts.models import User
from ganbu.core.errors import ServiceError
from ganbu.policy import selectors, services
from ganbu.policy.keys import display_value


def _errors(exc: ServiceError) -> str:
    """A service error as one line."""
    if hasattr(exc, "error_dict"):
        return "；".join("，".join(v) for v in exc.message_dict.values())
    return "；".join(exc.messages)


class Command(BaseCommand):
    """Policy values from the command line; a change goes through ``policy.services`` (audited)."""

    help = "本县政策参数：list（列出现行值）、set（记录新版本）。"

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        show = sub.add_parser("list", help="列出各参数在某日有效的值")
        show.add_argument("--on", type=dt.date.fromisoformat, help="日期 YYYY-MM-DD，默认今天")
        put = sub.add_parser("set", help="记录新版本")
        put.add_argument("key")
        put.add_argument("value")
        put.add_argument("--from", dest="effective_from", required=True, type=dt.date.fromisoformat)
        put.add_argument("--note", required=True, help="依据文件或说明")
        put.add_argument("--user", required=True, help="执行人（系统管理员）用户名")

    def handle(self, *args: Any, action: str, **opts: Any) -> None:
        if action == "list":
            day = opts.get("on") or timezone.localdate()
            for row in selectors.policy_table(day):
                since = (
                    f"{row.current.effective_from:%Y-%m-%d} 起" if row.current.effective_from else "默认值"
                )
                shown = display_value(row.key, row.current.text)
                self.stdout.write(f"{row.key.key:34} {shown:16} {since}  {row.key.label}")
            return
        actor = User.objects.filter(username=opts["user"], is_active=True).first()
        if actor is None:
            raise CommandError(f"用户「{opts['user']}」不存在或已停用。")
        try:
            version = services.policy_set(
                actor=actor,
                key=opts["key"],
                value=opts["value"],
                effective_from=opts["effective_from"],
                note=opts["note"],
            )
        except ServiceError as exc:
            raise CommandError(_errors(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"已记录：{version}"))
