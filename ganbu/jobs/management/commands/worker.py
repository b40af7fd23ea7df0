"""``ganbu worker``: the background worker that runs queued import jobs (``ganbu serve`` starts one)."""

from __future__ import annotations

import fcntl
import os
import signal
import threading
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from ganbu.jobs import worker

MSG_ALREADY_RUNNING = (
    "已有一个后台处理程序在使用这个 SQLite 数据库（{lock}）。SQLite 只允许一个后台处理程序；"
    "需要多个时请使用 PostgreSQL。"
)


def _watch_parent(parent: int, stop: threading.Event) -> None:
    """Set ``stop`` once the parent process ``parent`` is gone (the worker is then re-parented)."""
    while not stop.wait(2.0):
        if os.getppid() != parent:
            stop.set()


class Command(BaseCommand):
    """Run queued jobs until stopped (SIGTERM or Ctrl+C finish the job in hand first), or once."""

    help = "启动后台处理程序：处理排队的导入任务（成绩、干部信息、任免审批表；ganbu serve 会自动启动一个）。"

    def add_arguments(self, parser: CommandParser) -> None:
        """``--once``, ``--poll`` and ``--exit-with-parent``."""
        parser.add_argument("--once", action="store_true", help="处理完当前排队的任务后退出。")
        parser.add_argument(
            "--poll", type=float, default=1.0, help="队列为空时每隔几秒查看一次（默认 1 秒）。"
        )
        parser.add_argument(
            "--exit-with-parent",
            type=int,
            default=0,
            metavar="PID",
            help="该进程结束后随之停止（ganbu serve 启动时使用）。",
        )

    def handle(self, *args: Any, once: bool, poll: float, exit_with_parent: int = 0, **options: Any) -> None:
        """Hold the single-worker lock on SQLite, then run."""
        lock = self._sqlite_lock()
        try:
            if once:
                jobs = worker.run_pending()
                self.stdout.write(f"已处理 {len(jobs)} 个任务。")
                return
            stop = threading.Event()

            def finish(signum: int, frame: Any) -> None:
                stop.set()

            signal.signal(signal.SIGTERM, finish)
            signal.signal(signal.SIGINT, finish)
            if exit_with_parent:
                threading.Thread(target=_watch_parent, args=(exit_with_parent, stop), daemon=True).start()
            self.stdout.write("后台处理程序已启动。")
            self.stdout.flush()
            worker.run_forever(stop, poll=poll)
            self.stdout.write("后台处理程序已停止。")
        finally:
            if lock is not None:
                lock.close()

    def _sqlite_lock(self) -> Any:
        """On SQLite, an exclusive lock on a file next to the database: one worker per database."""
        if connection.vendor != "sqlite":
            return None
        name = str(settings.DATABASES["default"]["NAME"])
        if not name or ":memory:" in name or "mode=memory" in name:
            return None  # an in-memory database (tests) lives in one process: nothing to share
        path = Path(f"{name}.worker.lock")
        handle = path.open("a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise CommandError(MSG_ALREADY_RUNNING.format(lock=path)) from None
        return handle
