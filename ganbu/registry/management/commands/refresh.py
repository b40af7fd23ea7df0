"""``ganbu refresh``: bring current posts, ranks and units up to date as dated items take effect."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ganbu.registry.services import cadre_refresh_derived


class Command(BaseCommand):
    """Run daily (cron or a systemd timer); safe to run any number of times."""

    help = "按生效日期更新干部的现任职务、职级和所在单位（建议每天运行一次）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--on", help="以该日期为准（YYYY-MM-DD，默认今天）")
        parser.add_argument("--days", type=int, default=31, help="回看天数（默认 31 天）")

    def handle(self, *args: Any, on: str | None, days: int, **options: Any) -> None:
        try:
            day = dt.date.fromisoformat(on) if on else timezone.localdate()
        except ValueError:
            raise CommandError(f"日期格式应为 YYYY-MM-DD：{on}") from None
        if days < 1:
            raise CommandError("回看天数至少为 1。")
        changed = cadre_refresh_derived(actor=None, on=day, since=day - dt.timedelta(days=days))
        names = "、".join(c.name for c in changed[:20]) + ("等" if len(changed) > 20 else "")
        detail = f"：{names}" if changed else "。"
        self.stdout.write(f"已按 {day:%Y-%m-%d} 更新 {len(changed)} 名干部的现任职务/职级{detail}")
