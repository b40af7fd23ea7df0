"""``ganbu serve``: serve the application with gunicorn (static files through whitenoise)."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    """Start gunicorn on the given address; migrations must already be applied."""

    help = "启动网页服务（gunicorn）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("GANBU_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("GANBU_PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("GANBU_WORKERS", "2")))

    def handle(self, *args: Any, host: str, port: int, workers: int, **options: Any) -> None:
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

        self.stdout.write(
            self.style.SUCCESS(f"干部工作管理系统已启动：http://{host}:{port}/  （Ctrl+C 停止）")
        )
        _App().run()
