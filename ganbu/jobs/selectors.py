"""Reading jobs: one of a user's own, a user's recent ones, and how a job stands (interrupted, percent).

A job is its uploader's own: nobody else sees it, whatever their role (the pages answer 404), and a
user who no longer holds the kind's capability does not see the kind's jobs either. The stale time and
what an interrupted job says are here because every read shows a job whose worker died as failed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from ganbu.core.access import Cap, has_cap

from . import kinds
from .choices import JobStatus
from .models import ImportJob

MSG_NO_JOB = "导入记录不存在。"


def stale_after() -> dt.timedelta:
    """How long a job may go without a heartbeat (or wait unclaimed) before it counts as interrupted.

    ``GANBU_JOB_STALE_MINUTES`` (default 3): far longer than the worker's heartbeat interval, and
    than SQLite holds its writer for the largest import (the heartbeat cannot be written meanwhile).
    """
    return dt.timedelta(minutes=float(getattr(settings, "GANBU_JOB_STALE_MINUTES", 3)))


def heartbeat_every() -> float:
    """Seconds between two heartbeats of a running job: a tenth of the stale time, at most 10 s."""
    return min(10.0, stale_after().total_seconds() / 10)


def visible_kinds(user: Any) -> list[str]:
    """The kinds whose jobs ``user`` may see (those without a capability, and those whose one they hold)."""
    return [k.name for k in kinds.all_kinds() if k.capability is None or has_cap(user, Cap(k.capability))]


def jobs_for(user: Any, *, kind: str | None = None, campaign: Any = None) -> QuerySet[ImportJob]:
    """The user's own jobs (of ``kind``, of ``campaign`` when given), the file left unloaded."""
    jobs = ImportJob.objects.filter(created_by=user).defer("data")
    if kind is not None:
        jobs = jobs.filter(kind=kind)
    if campaign is not None:
        jobs = jobs.filter(campaign=campaign)
    return jobs


def job_get(
    *, user: Any, key: str = "", job_id: int | None = None, kind: str | None = None, campaign: Any = None
) -> ImportJob:
    """One of the user's own jobs, by key or id (of ``kind`` / ``campaign`` when given); 404 otherwise."""
    jobs = jobs_for(user, kind=kind, campaign=campaign).filter(kind__in=visible_kinds(user))
    job = jobs.filter(key=key).first() if key else jobs.filter(pk=job_id).first() if job_id else None
    if job is None:
        raise Http404(MSG_NO_JOB)
    return job


def jobs_recent(
    *, user: Any, kind: str | None = None, campaign: Any = None, limit: int = 5
) -> list[ImportJob]:
    """The user's latest jobs (of ``kind`` / ``campaign`` when given, of kinds they may see), newest first."""
    jobs = jobs_for(user, kind=kind, campaign=campaign).filter(kind__in=visible_kinds(user))
    return list(jobs.order_by("-created_at", "-id")[:limit])


def job_interrupted(job: ImportJob, now: dt.datetime | None = None) -> bool:
    """Whether a job was interrupted: marked so, or running or queued with nothing happening for too long.

    A running job whose heartbeat stopped for ``stale_after()`` lost its worker (the transaction
    was rolled back: nothing was written); a queued job not claimed for as long has no worker to
    run it. Either can be queued again (``services.job_retry``). A job waiting for its uploader's
    confirmation is not interrupted: nobody is meant to be working on it.
    """
    if job.status == JobStatus.FAILED:
        return job.interrupted
    now = now or timezone.now()
    if job.status == JobStatus.QUEUED:
        return now - (job.queued_at or job.created_at) > stale_after()
    if job.status in (JobStatus.READING, JobStatus.WRITING):
        return now - (job.heartbeat_at or job.updated_at) > stale_after()
    return False


def job_message(job: ImportJob) -> str:
    """Why an interrupted job stopped: it never started (no worker), or its worker stopped."""
    kind = kinds.get(job.kind)
    if job.status == JobStatus.QUEUED:
        return kind.not_started_message if kind is not None else kinds.MSG_NOT_STARTED
    return kind.interrupted_message if kind is not None else kinds.MSG_INTERRUPTED


def job_percent(job: ImportJob) -> int:
    """How far the job's current step is, 0–100."""
    if job.status in (JobStatus.DONE, JobStatus.FAILED, JobStatus.PREVIEWED):
        return 100
    return min(100, job.done * 100 // job.total) if job.total else 0


def job_errors(job: ImportJob) -> list[str]:
    """The messages a job shows: its own, or why it stopped when it was interrupted while active."""
    if job_interrupted(job) and job.status != JobStatus.FAILED:
        return [job_message(job)]
    return list(job.errors or [])


def job_label(job: ImportJob) -> str:
    """The job's kind in Chinese (“成绩导入”, “任免审批表导入”)."""
    kind = kinds.get(job.kind)
    return kind.label if kind is not None else "导入"


def job_label_of(name: str) -> str:
    """A kind's name in Chinese."""
    kind = kinds.get(name)
    return kind.label if kind is not None else "导入"


def job_page(job: ImportJob) -> str:
    """The job's own page (its progress, preview or report), or ``""`` when its kind has none."""
    kind = kinds.get(job.kind)
    return kind.page(job) if kind is not None and kind.page is not None else ""
