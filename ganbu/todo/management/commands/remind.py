"""``ganbu remind``: turn every user's to-do items into notifications (and e-mails), once each."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ganbu.todo.services import reminders_send


class Command(BaseCommand):
    """Run daily (cron or a systemd timer), after ``ganbu refresh``; safe to run any number of times."""

    help = "把每位用户的待办事项生成站内提醒（已配置邮件服务器时同时发送邮件）；重复运行不会重复提醒。"

    def add_arguments(self, parser: Any) -> None:
        """``--on`` (the day to check) and ``--no-email``."""
        parser.add_argument("--on", help="以该日期为准（YYYY-MM-DD，默认今天）")
        parser.add_argument("--no-email", action="store_true", help="只生成站内提醒，不发送邮件")

    def handle(self, *args: Any, on: str | None, no_email: bool, **options: Any) -> None:
        """Run the reminders and print every notification created and what happened to e-mail."""
        try:
            day = dt.date.fromisoformat(on) if on else timezone.localdate()
        except ValueError:
            raise CommandError(f"日期格式应为 YYYY-MM-DD：{on}") from None
        report = reminders_send(actor=None, on=day, email=not no_email)
        self.stdout.write(
            f"按 {day:%Y-%m-%d} 检查了 {report.users} 名用户的待办事项（共 {report.items} 项），"
            f"新建提醒 {len(report.created)} 条{'：' if report.created else '。'}"
        )
        for row in report.created:
            user = row.user
            who = f"{user.username}（{user.display_name}）" if user.display_name else user.username
            self.stdout.write(f"  {who} 【{row.title}】{row.text}")
        if report.email_skipped:
            self.stdout.write(f"邮件：{report.email_skipped}")
        else:
            self.stdout.write(f"邮件：已发送 {report.emailed} 封，失败 {report.email_failed} 封。")
            if report.failed_users:
                names = "、".join(report.failed_users)
                self.stderr.write(f"以下用户的邮件发送失败，下次运行时将重试：{names}")
