"""``ganbu audit verify|checkpoint|key|tail``: check, anchor and read the hash-chained audit trail.

Why a command as well as the web page: an auditor (or a cron job) can check the chain on the
server without a browser, and the exit status tells a script whether it is intact. ``checkpoint``
appends a signed line (seq, head hash, time, HMAC) to a file outside the database and prints it,
so that deleting the newest events is detected by ``verify`` later (docs/decisions/0003-audit-chain.md).
``tail`` is the operator's quick look on the server; it hides what the audit page hides from a
role without the sensitive capabilities (the targets and reasons of sensitive events), since its
output ends up in terminals, cron mails and logs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ganbu.core.audit import (
    ChainBrokenError,
    ChainReport,
    audit_checkpoint,
    audit_key_fingerprint,
    audit_verify,
    create_key_file,
)
from ganbu.core.audit_display import masked_summary
from ganbu.core.models import AuditEvent

MSG_NO_CHECKPOINT_FILE = "没有配置检查点文件（GANBU_AUDIT_CHECKPOINT_FILE）：请用 --file 指定。"


def broken(report: ChainReport) -> str:
    """The message of a chain that does not verify, as the command prints it."""
    problem = report.problem
    assert problem is not None
    where = f"（断点：第 {problem.seq} 号事件）" if problem.seq is not None else ""
    return f"审计链校验未通过{where}：{problem.message}（此前已校验 {report.checked} 条事件。）"


class Command(BaseCommand):
    """Verify the chain (exit 1 when broken), write a checkpoint, make a key, or print the newest events."""

    help = (
        "审计日志：verify 校验哈希链（及检查点）；checkpoint 写入签名检查点；"
        "key 新建或查看审计密钥；tail 显示最新的审计事件。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """Subcommands ``verify [--checkpoints F]``, ``checkpoint [--file F]``, ``key``, ``tail [-n N]``."""
        sub = parser.add_subparsers(dest="action", metavar="{verify,checkpoint,key,tail}", required=True)
        verify = sub.add_parser("verify", help="逐条校验审计链，并与检查点核对，报告第一个断点。")
        verify.add_argument(
            "--checkpoints",
            metavar="FILE",
            help="检查点文件（默认：GANBU_AUDIT_CHECKPOINT_FILE，存在时）。",
        )
        checkpoint = sub.add_parser(
            "checkpoint", help="校验后把链头（序号、哈希、时间、签名）追加到检查点文件。"
        )
        checkpoint.add_argument(
            "--file", metavar="FILE", help="检查点文件（默认：GANBU_AUDIT_CHECKPOINT_FILE）。"
        )
        key = sub.add_parser("key", help="显示审计密钥文件及其指纹；--create 新建密钥文件。")
        key.add_argument("--create", metavar="FILE", help="在此路径新建密钥文件（已存在则不覆盖）。")
        tail = sub.add_parser("tail", help="显示最新的审计事件。")
        tail.add_argument("-n", "--number", type=int, default=20, help="显示条数（默认 20）。")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        """Dispatch to the chosen subcommand."""
        if action == "verify":
            self._verify(options.get("checkpoints"))
        elif action == "checkpoint":
            self._checkpoint(options.get("file"))
        elif action == "key":
            self._key(options.get("create"))
        else:
            self._tail(options["number"])

    def _verify(self, checkpoints: str | None) -> None:
        """Walk the chain; print the count and head hash, or name the first broken link and fail."""
        report = audit_verify(checkpoints=Path(checkpoints)) if checkpoints is not None else audit_verify()
        if report.problem is not None:
            # CommandError with returncode 1: manage.py prints the message to stderr and exits 1.
            raise CommandError(broken(report), returncode=1)
        marks = (
            f"并与 {report.checkpoints} 个检查点核对一致（{report.checkpoint_file}）"
            if report.checkpoint_file
            else "未与检查点核对（没有检查点文件）"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"审计链完整：已逐条校验 {report.checked} 条事件，{marks}。链头序号 {report.head_seq}，"
                f"链头哈希 {report.head_hash}。"
            )
        )

    def _checkpoint(self, file: str | None) -> None:
        """Append a signed checkpoint of the verified head and print its line."""
        configured = getattr(settings, "AUDIT_CHECKPOINT_FILE", None)
        chosen = file if file is not None else configured
        if chosen is None:
            raise CommandError(MSG_NO_CHECKPOINT_FILE)
        path = Path(chosen)
        try:
            line = audit_checkpoint(path)
        except ChainBrokenError as exc:
            raise CommandError(broken(exc.report) + "未写入检查点。", returncode=1) from exc
        self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(f"已写入检查点文件 {path}。请把上面这一行另行保存在本服务器之外。")
        )

    def _key(self, create: str | None) -> None:
        """Create a key file, or show which key file is in use and its fingerprint (never the key)."""
        if create is not None:
            path = Path(create)
            if not create_key_file(path):
                raise CommandError(f"密钥文件 {path} 已存在，未覆盖。")
            self.stdout.write(self.style.SUCCESS(f"已新建审计密钥文件 {path}（仅文件所有者可读）。"))
            return
        fingerprint = audit_key_fingerprint()
        self.stdout.write(f"审计密钥文件：{settings.AUDIT_KEY_FILE}；指纹：{fingerprint}")

    def _tail(self, number: int) -> None:
        """Print the newest ``number`` events, newest first, one per line (sensitive ones masked)."""
        if number < 1:
            raise CommandError("显示条数必须是正整数。")
        events = list(AuditEvent.objects.order_by("-seq")[:number])
        if not events:
            self.stdout.write("审计日志中还没有事件。")
            return
        for event in events:
            when = timezone.localtime(event.event_time).strftime("%Y-%m-%d %H:%M:%S")
            target, reason = masked_summary(event)
            reason = f"  事由：{reason}" if reason else ""
            self.stdout.write(
                f"#{event.seq}  {when}  {event.actor_name}  {event.event_type}  {target}{reason}"
            )
