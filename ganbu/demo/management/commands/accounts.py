"""``ganbu accounts``: list the demo accounts, their roles and scope, and whether to change passwords."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.core.management.base import BaseCommand

from ganbu.demo.accounts import DEMO_PASSWORD, demo_accounts_status


def _width(text: str) -> int:
    """Display width in a terminal: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    """Pad to a display width."""
    return text + " " * max(0, width - _width(text))


class Command(BaseCommand):
    """Print the demo accounts table; the password shows only while it is still the demo one."""

    help = "列出演示账号（用户名、角色、管理范围）及仍在使用的演示密码。"

    def handle(self, *args: Any, **options: Any) -> None:
        """Print the table and, while demo passwords remain, the warning."""
        rows = demo_accounts_status()
        table = [("用户名", "角色", "姓名/部门", "管理范围", "密码")]
        for row in rows:
            if not row.exists:
                password = "（账号不存在）"
            elif row.has_demo_password:
                password = DEMO_PASSWORD
            else:
                password = "（已修改）"
            table.append((row.username, row.role_label, row.display_name, row.scope_text, password))
        widths = [max(_width(r[i]) for r in table) + 2 for i in range(len(table[0]))]
        self.stdout.write("演示账号：")
        for n, cells in enumerate(table):
            line = "  " + "".join(_pad(c, w) for c, w in zip(cells, widths, strict=True)).rstrip()
            self.stdout.write(self.style.MIGRATE_HEADING(line) if n == 0 else line)
        if any(r.has_demo_password for r in rows):
            self.stdout.write(
                self.style.WARNING(
                    f"演示密码 {DEMO_PASSWORD} 人人皆知：录入真实数据前，"
                    "请用 ganbu user passwd 用户名 修改密码，或停用不需要的演示账号。"
                )
            )
