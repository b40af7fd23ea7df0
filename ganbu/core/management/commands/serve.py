"""``ganbu serve``: serve the application with gunicorn (static files through whitenoise), and run the
background worker next to it (``ganbu worker``: Excel imports), so that one command starts everything.

The worker is a child process of its own, restarted if it dies; Ctrl+C or SIGTERM stop gunicorn, then
the worker (it finishes the job in hand, or is killed after ``WORKER_STOP_SECONDS``: that job then
shows as interrupted and can be retried). ``--no-worker`` leaves it out, for a deployment that runs
``ganbu worker`` as a service of its own (docs/decisions/0012-background-jobs.md).
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

logger = logging.getLogger("ganbu.serve")

WORKER_STOP_SECONDS = 20
WORKER_RESTART_SECONDS = 5.0


class WorkerProcess:
    """``ganbu worker`` as a child process, restarted after ``WORKER_RESTART_SECONDS`` if it exits.

    The child gets a session of its own (a terminal's Ctrl+C reaches gunicorn only; the worker is
    stopped after it) and ``--exit-with-parent``, so it stops if this process is killed outright.
    """

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self.stopping = threading.Event()
        self.watcher = threading.Thread(target=self._watch, name="worker-watch", daemon=True)

    def _spawn(self) -> None:
        """Start the worker."""
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ganbu.cli", "worker", "--exit-with-parent", str(os.getpid())],
            start_new_session=True,
        )

    def _watch(self) -> None:
        """Restart the worker when it exits, until stopping."""
        while not self.stopping.wait(1.0):
            if self.process is not None and self.process.poll() is not None:
                logger.warning(
                    "后台处理程序已退出（%s），%s 秒后重新启动",
                    self.process.returncode,
                    WORKER_RESTART_SECONDS,
                )
                if self.stopping.wait(WORKER_RESTART_SECONDS):
                    return
                self._spawn()

    def start(self) -> None:
        """Start the worker and its watcher."""
        self._spawn()
        self.watcher.start()

    def stop(self) -> None:
        """Stop the worker: SIGTERM (it finishes the job in hand), SIGKILL after ``WORKER_STOP_SECONDS``."""
        self.stopping.set()
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(WORKER_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Command(BaseCommand):
    """Start gunicorn on the given address, and the background worker; migrations must be applied."""

    help = "启动网页服务（gunicorn）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("GANBU_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("GANBU_PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("GANBU_WORKERS", "2")))
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="不启动后台处理程序（另行以 ganbu worker 运行时使用）。",
        )

    def handle(
        self, *args: Any, host: str, port: int, workers: int, no_worker: bool = False, **options: Any
    ) -> None:
        from gunicorn.app.base import BaseApplication

        from config.wsgi import application

        settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
        call_command("collectstatic", interactive=False, verbosity=0)
        bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"

        class _App(BaseApplication):  # type: ignore[misc]
            def load_config(self) -> None:
                self.cfg.set("bind", bind)
                self.cfg.set("workers", workers)
                self.cfg.set("accesslog", "-")
                # No client address in the access log: a logged address and time would tie a public
                # objection (anonymous by choice) to its sender. The proxy decides what it logs.
                self.cfg.set("access_log_format", '%(t)s "%(r)s" %(s)s %(b)s %(M)sms')
                self.cfg.set("timeout", 120)

            def load(self) -> Any:
                return application

        background = None if no_worker else WorkerProcess()
        if background is not None:
            background.start()
        self.stdout.write(
            self.style.SUCCESS(f"干部工作管理系统已启动：http://{host}:{port}/  （Ctrl+C 停止）")
        )
        try:
            _App().run()
        finally:
            if background is not None:
                background.stop()
