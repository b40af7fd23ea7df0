"""Writing jobs: queue, claim, run (dispatching on the kind), expire, retry, confirm, cancel.

The job row is bookkeeping written outside the kinds' transactions (docs/decisions/0009 and 0012): the
kind's own service writes the data in durable transactions and audits it. ``job_enqueue`` is what an
upload's request does; ``job_claim`` and ``job_run`` are the worker's (``ganbu.jobs.worker``);
``job_confirm`` is the uploader's 确认导入 on the preview page, which queues the apply step.
docs/decisions/0013-import-jobs.md.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Callable
from typing import Any

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ganbu.accounts.models import User
from ganbu.core.errors import ServiceError

from . import kinds
from .choices import JobStatus
from .models import ImportJob
from .progress import Superseded, Tracker, listed
from .selectors import MSG_NO_JOB, job_interrupted, stale_after

logger = logging.getLogger("ganbu.jobs")

KEEP_FILES = dt.timedelta(days=7)
"""How long the file of an interrupted job, or of a preview nobody confirmed, is kept."""

MSG_DUPLICATE_SUBMIT = "这次上传已经提交过，请勿重复提交；如需重新导入，请刷新页面后再上传。"
MSG_NOT_RETRYABLE = "这次导入没有中断，不能重试；如需重新导入，请上传文件。"
MSG_FILE_GONE = "这次导入的文件已不再保存，请重新上传。"
MSG_NOT_PREVIEWED = "这次导入不在等待确认的状态（可能已经确认、取消或作废），不能再确认。"
MSG_CANCELLED = "已取消，没有写入任何内容。"
MSG_PREVIEW_EXPIRED = "预览后 7 天内没有确认，已作废，没有写入任何内容；如需导入，请重新上传。"


def new_key() -> str:
    """A fresh random key for an upload form (32 hex digits)."""
    return secrets.token_hex(16)


def job_enqueue(
    *,
    actor: User,
    kind: str,
    data: bytes,
    filename: str = "",
    key: str | None = None,
    params: dict[str, Any] | None = None,
    campaign: Any = None,
    stage: str = "",
    check: Callable[[bytes], None] | None = None,
) -> ImportJob:
    """Queue an upload for the worker; the upload's request does no more.

    ``check`` is the kind's envelope check (cheap, no parsing: sizes, counts, an archive's directory);
    a file failing it gives a ``failed`` job with the message at once. Otherwise the job is ``queued``
    with the file in ``data`` and the upload's options in ``params``. A key already used refuses the
    upload (``MSG_DUPLICATE_SUBMIT``): a form is submitted once.
    """
    if kinds.get(kind) is None:
        raise ServiceError(kinds.MSG_UNKNOWN_KIND)
    fields: dict[str, Any] = {"status": JobStatus.QUEUED, "data": data}
    if check is not None:
        try:
            check(data)
        except ServiceError as exc:
            fields = {"status": JobStatus.FAILED, "errors": listed(exc.messages)}
    try:
        # A savepoint if the caller is in a transaction: the refusal leaves it usable.
        with transaction.atomic():
            return ImportJob.objects.create(
                kind=kind,
                campaign=campaign,
                stage=stage,
                params=params or {},
                key=key or new_key(),
                filename=filename[:200],
                created_by=actor,
                queued_at=timezone.now(),
                **fields,
            )
    except IntegrityError:
        raise ServiceError(MSG_DUPLICATE_SUBMIT) from None


def job_claim(job_id: int | None = None) -> ImportJob | None:
    """Take the oldest queued job (or ``job_id``) for this process: ``reading``, one more attempt.

    On PostgreSQL the candidate is read ``FOR UPDATE SKIP LOCKED`` so that several workers never
    wait on one another; on every database the claim itself is a conditional update (``queued`` →
    ``reading``), so two workers can never both take a job. ``None`` when there is nothing to do.
    """
    now = timezone.now()
    with transaction.atomic():
        queued = ImportJob.objects.select_for_update(skip_locked=True).filter(status=JobStatus.QUEUED)
        if job_id is not None:
            queued = queued.filter(pk=job_id)
        candidate = queued.order_by("queued_at", "id").values_list("pk", flat=True).first()
        if candidate is None:
            return None
        claimed = ImportJob.objects.filter(pk=candidate, status=JobStatus.QUEUED).update(
            status=JobStatus.READING,
            attempts=F("attempts") + 1,
            heartbeat_at=now,
            updated_at=now,
            done=0,
            total=0,
        )
    return ImportJob.objects.get(pk=candidate) if claimed else None


def job_run(job: ImportJob) -> ImportJob:
    """Run a claimed job: its kind's preview step (unconfirmed, when the kind has one), else its apply step.

    The preview's JSON is stored and the job waits at ``previewed``; the apply step's count (and
    report) end the job ``done``. A ``ServiceError`` ends it ``failed`` with the Chinese messages and
    nothing written. An unexpected exception marks the job failed with the kind's generic message and
    is re-raised (logged by the worker). A job taken over meanwhile (``Superseded``) is left to its
    new attempt.
    """
    kind = kinds.get(job.kind)
    tracker = Tracker(job)
    try:
        if kind is None:
            raise ServiceError(kinds.MSG_UNKNOWN_KIND)
        if kind.preview is not None and job.confirmed_at is None:
            preview = kind.preview(job, tracker)
            tracker.previewed(preview)
            return job
        imported = kind.apply(job, tracker)
    except Superseded:
        logger.warning("导入 %s 已由另一次处理接手，本次处理停止", job.pk)
        return job
    except ServiceError as exc:
        tracker.fail(exc.messages)
        return job
    except Exception:
        try:
            tracker.fail([kind.internal_message if kind is not None else kinds.MSG_INTERNAL])
        except (DatabaseError, Superseded):  # the database itself failed: the original error is raised
            logger.exception("无法记录导入失败")
        raise
    finally:
        tracker.close()
    tracker.finish(imported)
    return job


def job_run_now(job: ImportJob) -> ImportJob:
    """Claim and run one queued job at once in this process (tests and scripts); the job."""
    claimed = job_claim(job.pk) if job.status == JobStatus.QUEUED else None
    return job_run(claimed) if claimed is not None else job


def jobs_expire(now: dt.datetime | None = None) -> int:
    """Mark running jobs without a heartbeat for ``stale_after()`` failed and interrupted; how many.

    Their worker died: its transaction was rolled back, so nothing was written, and the file is
    kept for a retry. Run by the worker before each claim. Files of jobs finished more than
    ``KEEP_FILES`` ago (an interrupted job nobody retried) are dropped at the same time, and a
    preview nobody confirmed within ``KEEP_FILES`` is void.
    """
    now = now or timezone.now()
    cutoff = now - stale_after()
    stale = ImportJob.objects.filter(status__in=(JobStatus.READING, JobStatus.WRITING)).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, updated_at__lt=cutoff)
    )
    count = 0
    for name in set(stale.values_list("kind", flat=True)):
        count += stale.filter(kind=name).update(
            status=JobStatus.FAILED,
            interrupted=True,
            errors=[kinds.interrupted_message(name)],
            updated_at=now,
        )
    ImportJob.objects.filter(status=JobStatus.PREVIEWED, updated_at__lt=now - KEEP_FILES).update(
        status=JobStatus.FAILED, errors=[MSG_PREVIEW_EXPIRED], data=b"", updated_at=now
    )
    ImportJob.objects.filter(
        status__in=(JobStatus.DONE, JobStatus.FAILED), updated_at__lt=now - KEEP_FILES
    ).exclude(data=b"").update(data=b"")
    return count


def _own(actor: User, job_id: int, jobs: QuerySet[ImportJob] | None) -> ImportJob:
    """The actor's own job ``job_id`` (within ``jobs`` when given), locked; 404 otherwise."""
    base = jobs if jobs is not None else ImportJob.objects.all()
    job = base.select_for_update().filter(pk=job_id, created_by=actor).first()
    if job is None:
        raise Http404(MSG_NO_JOB)
    return job


@transaction.atomic(durable=True)
def job_retry(*, actor: User, job_id: int, jobs: QuerySet[ImportJob] | None = None) -> ImportJob:
    """Queue an interrupted job of the actor's again, with the same file (and confirmation, if any).

    Only the uploader's own job (404 otherwise), and only one that was interrupted
    (``job_interrupted``) and still has its file; a job refused for its content needs a corrected
    file, not a retry. The kind's ``before_retry`` may refuse it or audit it.
    """
    job = _own(actor, job_id, jobs)
    if not job_interrupted(job):
        raise ServiceError(MSG_NOT_RETRYABLE)
    if not job.data:
        raise ServiceError(MSG_FILE_GONE)
    kind = kinds.get(job.kind)
    if kind is None:
        raise ServiceError(kinds.MSG_UNKNOWN_KIND)
    if kind.before_retry is not None:
        kind.before_retry(job, actor)
    return _requeue(job, interrupted=False)


def _requeue(job: ImportJob, **fields: Any) -> ImportJob:
    """Put ``job`` back in the queue from the start (no errors, no progress), setting ``fields`` too."""
    now = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.QUEUED,
        errors=[],
        done=0,
        total=0,
        queued_at=now,
        heartbeat_at=None,
        updated_at=now,
        **fields,
    )
    job.refresh_from_db()
    return job


@transaction.atomic(durable=True)
def job_confirm(
    *,
    actor: User,
    job_id: int,
    choices: dict[str, Any] | None = None,
    jobs: QuerySet[ImportJob] | None = None,
) -> ImportJob:
    """The uploader confirms a previewed job with their choices: it is queued again for the apply step.

    Only the uploader may confirm (anyone else: 404, the job does not exist for them), only a job
    waiting at ``previewed``, and only with choices the kind's ``clean_choices`` accepts against the
    stored preview. Who confirmed, when, and what they chose stay on the job.
    """
    job = _own(actor, job_id, jobs)
    if job.status != JobStatus.PREVIEWED:
        raise ServiceError(MSG_NOT_PREVIEWED)
    kind = kinds.get(job.kind)
    if kind is None:
        raise ServiceError(kinds.MSG_UNKNOWN_KIND)
    cleaned = (
        kind.clean_choices(job, choices or {}) if kind.clean_choices is not None else dict(choices or {})
    )
    return _requeue(job, confirmed_by=actor, confirmed_at=timezone.now(), choices=cleaned)


@transaction.atomic(durable=True)
def job_cancel(*, actor: User, job_id: int, jobs: QuerySet[ImportJob] | None = None) -> ImportJob:
    """The uploader drops a previewed job: ``failed`` (cancelled), nothing written, the file dropped."""
    job = _own(actor, job_id, jobs)
    if job.status != JobStatus.PREVIEWED:
        raise ServiceError(MSG_NOT_PREVIEWED)
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED, errors=[MSG_CANCELLED], data=b"", updated_at=timezone.now()
    )
    job.refresh_from_db()
    return job
