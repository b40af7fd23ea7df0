"""``manage.py voting_purge``: vacuum the voting tables and verify no dead row version is left.

The count does this itself; this command is for deployments whose application account may not
vacuum the tables (it is not their owner): the database owner runs it after a count, and every
counted ballot still waiting is stamped when the vacuum verifies clean
(docs/decisions/0011-sealed-ballots.md).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ganbu.voting.services import dead_versions_purge_pending


class Command(BaseCommand):
    """Vacuum the sealed-sheet, participation, credential and sheet tables and report what is left."""

    help = "清除投票数据表中已删除或已更新行的旧版本（PostgreSQL VACUUM），并核实无残留。"

    def handle(self, *args: Any, **options: Any) -> None:
        """Run the vacuum; fail (exit status 1) when it could not be verified clean."""
        outcome = dead_versions_purge_pending(actor=None)
        if outcome is None:
            self.stdout.write("当前数据库不是 PostgreSQL，无需清理旧版本（选票在计票前一直加密保存）。")
            return
        if outcome.ok:
            self.stdout.write(self.style.SUCCESS(f"已清理 {outcome.tables} 张投票数据表，核实无旧版本残留。"))
            return
        if outcome.skipped:
            raise CommandError(
                f"以下数据表未能清理（当前数据库账号不是表的所有者）：{'、'.join(outcome.skipped)}。"
                "请以数据库所有者账号运行本命令。"
            )
        raise CommandError(
            f"仍有 {outcome.remaining} 个旧版本暂不能清除（有其他长时间运行的数据库事务），"
            "请稍后再运行本命令。"
        )
