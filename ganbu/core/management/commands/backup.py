"""``ganbu backup [--output PATH]``: one file with the database, the uploaded files and a manifest.

Why a command: backups run from cron on the server, and the exit status tells the script whether
the backup was written. What the file holds and how it is checked: ``ganbu.core.backup``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ganbu.core.backup import backup_create
from ganbu.core.errors import ServiceError


class Command(BaseCommand):
    """Write a backup file (default ``GANBU_DATA_DIR/backups/ganbu-backup-日期-时间.tar.gz``)."""

    # No system checks: they import every view and the API, which a backup never uses, and a
    # backup must still run when an unrelated part of the code is broken.
    requires_system_checks: list[str] = []
    help = (
        "备份数据库（PostgreSQL 用 pg_dump，SQLite 用在线备份）和上传的文件，连同清单（各表行数、"
        "审计链头、数据库结构版本）和 SHA-256 校验和写成一个文件。运行中的系统也可以备份。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """``--output PATH``: a file name, or a directory to put the dated file in."""
        parser.add_argument(
            "--output",
            "-o",
            default=None,
            help="备份文件路径，或存放备份的目录（默认 GANBU_DATA_DIR/backups/）。不会覆盖已有文件。",
        )

    def handle(self, *args: Any, output: str | None, **options: Any) -> None:
        """Write the backup and print what it holds."""
        self.stdout.write("正在备份……")
        try:
            result = backup_create(actor=None, output=Path(output) if output else None)
        except ServiceError as exc:
            raise CommandError("；".join(exc.messages)) from None
        manifest = result.manifest
        size_mb = result.size / (1024 * 1024)
        self.stdout.write(self.style.SUCCESS(f"备份完成：{result.path}（{size_mb:.1f} MB）"))
        self.stdout.write(f"  {manifest.describe()}。")
        if manifest.media_stored:
            self.stdout.write(f"  上传的文件：{manifest.data['media']['count']} 个。")
        else:
            self.stdout.write("  上传的文件不在本机磁盘上（另有存储），未包含在备份中。")
        self.stdout.write(f"  SHA-256：{result.sha256}（另存于 {result.path.name}.sha256）")
        if not result.audited:
            self.stdout.write(
                self.style.WARNING(
                    "  数据库有尚未执行的迁移，本次备份没有写入审计事件（运行 ganbu migrate 后恢复正常）。"
                )
            )
        self.stdout.write("  备份文件含全部人事数据，请妥善保管，存放在应用用户无法写入的地方。")
