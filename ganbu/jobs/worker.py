"""The background worker: runs queued import jobs of every kind outside the web server's request workers.

``ganbu worker`` (started by ``ganbu serve`` next to gunicorn) loops: mark jobs whose worker died as
interrupted (``services.jobs_expire``), claim the oldest queued job (``services.job_claim``), run its
kind's step (``services.job_run``) while a heartbeat thread stamps the job every few seconds, then look
again after ``poll`` seconds when there was nothing to do. A file that would take minutes or a gigabyte
ties up this one process, never a request worker, and each kind's size limits bound it here too.
Moved here from ``ganbu.campaigns`` (issue 12; ``ganbu.campaigns.worker`` still names it).

Tests call ``run_pending()`` (every queued job, in this thread) instead of starting the process.
Why a worker of the project's own rather than a task library: docs/decisions/0012-background-jobs.md.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone

from . import services
from .models import ImportJob
from .selectors import heartbeat_every

logger = logging.getLogger("ganbu.jobs.worker")


class Heartbeat:
    """A thread stamping ``heartbeat_at`` of a running job until stopped, through its own connection.

    On SQLite the stamp waits while the import's own transaction holds the writer, and gives up
    after the busy timeout; the next beat tries again. The stale time is far longer than that.
    """

    def __init__(self, job: ImportJob, every: float) -> None:
        self.job_id = job.pk
        self.attempt = job.attempts
        self.every = every
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"heartbeat-{job.pk}", daemon=True)

    def _run(self) -> None:
        """Beat until stopped; a database error only skips one beat."""
        try:
            while not self.stopped.wait(self.every):
                try:
                    ImportJob.objects.filter(pk=self.job_id, attempts=self.attempt).update(
                        heartbeat_at=timezone.now()
                    )
                except DatabaseError:
                    logger.info("导入 %s 的心跳未能写入", self.job_id, exc_info=True)
        finally:
            connection.close()

    def __enter__(self) -> Heartbeat:
        # Inside a transaction of the caller's (a test's), another connection would wait on the
        # rows it holds; the worker itself never runs a job inside one.
        if not connection.in_atomic_block:
            self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        if self.thread.is_alive():
            self.thread.join()


@contextmanager
def heartbeat(job: ImportJob) -> Iterator[Heartbeat]:
    """Keep ``job`` alive while the block runs."""
    with Heartbeat(job, heartbeat_every()) as beat:
        yield beat


def run_one() -> ImportJob | None:
    """Expire dead jobs, then claim and run the oldest queued job; the job run, or ``None``."""
    services.jobs_expire()
    job = services.job_claim()
    if job is None:
        return None
    logger.info("开始处理导入 %s（%s，%s，第 %s 次）", job.pk, job.kind, job.filename, job.attempts)
    with heartbeat(job):
        try:
            services.job_run(job)
        except Exception:
            # job_run has marked the job failed; the worker goes on with the next one.
            logger.exception("导入 %s 出错", job.pk)
    job.refresh_from_db(fields=["status", "imported"])
    logger.info("导入 %s 结束：%s，导入 %s 条", job.pk, job.get_status_display(), job.imported)
    return job


def run_pending() -> list[ImportJob]:
    """Run every queued job now, in this thread (for tests and ``ganbu worker --once``)."""
    done = []
    while (job := run_one()) is not None:
        done.append(job)
    return done


def run_forever(stop: threading.Event, *, poll: float = 1.0) -> None:
    """Run jobs until ``stop`` is set (between jobs), waiting ``poll`` seconds when the queue is empty."""
    while not stop.is_set():
        close_old_connections()
        try:
            job = run_one()
        except DatabaseError:
            logger.exception("后台处理程序无法读取任务，稍后重试")
            connection.close()
            job = None
        if job is None:
            stop.wait(poll)
    connection.close()
