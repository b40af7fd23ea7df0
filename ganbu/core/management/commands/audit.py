"""``ganbu audit verify`` and ``ganbu audit tail``: check and read the hash-chained audit trail.

Why a command as well as the web page: an auditor (or a cron job) can check the chain on the
server without a browser, and the exit status tells a script whether it is intact.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ganbu.core.audit import audit_verify
from ganbu.core.models import AuditEvent


class Command(BaseCommand):
    """Verify the audit chain (exit status 1 when broken) or print the newest events."""

    help = "审计日志：verify 校验哈希链是否完整；tail 显示最新的审计事件。"

    def add_arguments(self, parser: CommandParser) -> None:
        """Two subcommands: ``verify`` and ``tail [-n N]``."""
        sub = parser.add_subparsers(dest="action", metavar="{verify,tail}", required=True)
        sub.add_parser("verify", help="逐条校验审计链，报告第一个断点。")
        tail = sub.add_parser("tail", help="显示最新的审计事件。")
        tail.add_argument("-n", "--number", type=int, default=20, help="显示条数（默认 20）。")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        """Dispatch to the chosen subcommand."""
        if action == "verify":
            self._verify()
        else:
            self._tail(options["number"])

    def _verify(self) -> None:
        """Walk the chain; print the count and head hash, or name the first broken link and fail."""
        report = audit_verify()
        if report.problem is None:
            self.stdout.write(
                self.style.SUCCESS(
                    f"审计链完整：已逐条校验 {report.checked} 条事件，链头序号 {report.head_seq}，"
                    f"链头哈希 {report.head_hash}。"
                )
            )
            return
        # CommandError with returncode 1: manage.py prints the message to stderr and exits 1.
        raise CommandError(
            f"审计链校验未通过（断点：第 {report.problem.seq} 号事件）：{report.problem.message}"
            f"（此前已校验 {report.checked} 条事件。）",
            returncode=1,
        )

    def _tail(self, number: int) -> None:
        """Print the newest ``number`` events, newest first, one per line."""
        if number < 1:
            raise CommandError("显示条数必须是正整数。")
        events = list(AuditEvent.objects.order_by("-seq")[:number])
        if not events:
            self.stdout.write("审计日志中还没有事件。")
            return
        for event in events:
            when = timezone.localtime(event.event_time).strftime("%Y-%m-%d %H:%M:%S")
            reason = f"  事由：{event.reason}" if event.reason else ""
            self.stdout.write(
                f"#{event.seq}  {when}  {event.actor_name}  {event.event_type}  {event.target_repr}{reason}"
            )
