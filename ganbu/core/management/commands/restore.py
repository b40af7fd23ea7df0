"""``ganbu restore FILE [--yes]``: put a backup back, then prove it was put back whole.

Why the checks after restoring: a restore that silently lost rows, or restored an audit trail
that no longer verifies, is worse than none. The command compares every table's row count and the
audit chain's head with the backup's manifest, verifies the chain, and exits 1 if anything differs.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from ganbu.core.backup import Manifest, RestoreReport, backup_restore
from ganbu.core.errors import ServiceError


class Command(BaseCommand):
    """Restore a backup written by ``ganbu backup`` into the configured database."""

    # No system checks: they import every view and the API, which a backup never uses, and a
    # backup must still run when an unrelated part of the code is broken.
    requires_system_checks: list[str] = []
    help = (
        "从 ganbu backup 生成的备份文件恢复数据库和上传的文件（覆盖现有数据），"
        "然后核对各表行数、审计链头并校验审计链。恢复前请停止 ganbu serve。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """The backup file and ``--yes``."""
        parser.add_argument("file", help="备份文件（ganbu-backup-….tar.gz）。")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="不再询问，直接恢复（供脚本使用）。不加时需在终端输入 yes 确认。",
        )

    def handle(self, *args: Any, file: str, yes: bool, **options: Any) -> None:
        """Check, confirm, restore, compare and report."""
        self.stdout.write(f"正在检查备份文件 {file} ……")

        def confirm(manifest: Manifest, warnings: list[str]) -> bool:
            self.stdout.write(f"备份文件完好：{manifest.describe()}。")
            for warning in warnings:
                self.stdout.write(self.style.WARNING(f"注意：{warning}"))
            target = connection.settings_dict.get("NAME")
            self.stdout.write(f"恢复将用这份备份覆盖数据库 {target} 中的全部数据和上传的文件。")
            if yes:
                return True
            self.stdout.write("确认恢复请输入 yes：", ending="")
            self.stdout.flush()
            answer = sys.stdin.readline()
            return answer.strip().lower() == "yes"

        try:
            report = backup_restore(actor=None, path=Path(file), confirm=confirm)
        except ServiceError as exc:
            raise CommandError("；".join(exc.messages)) from None
        self._summary(report)
        if not report.ok:
            raise CommandError("恢复后的数据与备份清单不符，或审计链校验未通过（见上）。", returncode=1)

    def _summary(self, report: RestoreReport) -> None:
        """The Chinese summary: rows, audit head, chain, migrations, uploaded files."""
        manifest, state = report.manifest, report.state
        tables, rows = len(state.row_counts), sum(state.row_counts.values())
        if not report.count_mismatches:
            self.stdout.write(f"数据表：{tables} 张，共 {rows} 行，各表行数与备份清单一致。")
        else:
            self.stdout.write(
                self.style.ERROR(f"数据表：{len(report.count_mismatches)} 张的行数与备份清单不符：")
            )
            for table, expected, actual in report.count_mismatches:
                shown_expected = "无此表" if expected is None else f"{expected} 行"
                shown_actual = "无此表" if actual is None else f"{actual} 行"
                self.stdout.write(f"  {table}：备份中 {shown_expected}，恢复后 {shown_actual}")
        if report.head_matches:
            self.stdout.write(
                f"审计链头：第 {state.head_seq} 号事件，哈希 {state.head_hash}，与备份清单一致。"
            )
        else:
            self.stdout.write(
                self.style.ERROR(
                    f"审计链头与备份清单不符：备份中为第 {manifest.head_seq} 号事件（{manifest.head_hash}），"
                    f"恢复后为第 {state.head_seq} 号事件（{state.head_hash}）。"
                )
            )
        if report.migrated:
            self.stdout.write("备份来自较早版本的 ganbu，已执行本程序新增的数据库迁移。")
        chain = report.chain
        if chain.ok:
            self.stdout.write(f"审计链完整：已逐条校验 {chain.checked} 条事件。")
        else:
            assert chain.problem is not None
            self.stdout.write(
                self.style.ERROR(
                    f"审计链校验未通过（断点：第 {chain.problem.seq} 号事件）：{chain.problem.message}"
                )
            )
        if report.media_restored is None:
            self.stdout.write("上传的文件：备份中没有（或本机不在磁盘上存放上传的文件），未作改动。")
        else:
            self.stdout.write(f"上传的文件：已恢复 {report.media_restored} 个。")
            if report.media_set_aside is not None:
                self.stdout.write(f"  恢复前的上传文件已移至 {report.media_set_aside}，确认无误后可删除。")
        for warning in report.later_warnings:
            self.stdout.write(self.style.WARNING(f"注意：{warning}"))
        if report.checkpoints_set_aside is not None:
            self.stdout.write(
                f"审计检查点：有 {report.checkpoints_dropped} 个检查点晚于这份备份"
                "（它们记录的事件已随恢复撤销），"
                f"原检查点文件已移至 {report.checkpoints_set_aside} 保存；"
                "此前的检查点仍在原位置，恢复的链已与之核对。"
            )
        if report.checkpoint_line:
            self.stdout.write(f"已写入新的审计检查点：{report.checkpoint_line}")
        if report.restore_event_seq is not None:
            self.stdout.write(
                self.style.SUCCESS(
                    f"恢复完成，已记入审计日志（第 {report.restore_event_seq} 号事件「从备份恢复数据」）。"
                )
            )
