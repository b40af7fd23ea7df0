"""The import job: an uploaded file waiting for the worker, its preview, the confirmation, progress, outcome.

Moved here from ``ganbu.campaigns`` (issue 12) when a second and third kind of import needed it; the
table keeps its name (``campaigns_importjob``) and its rows. docs/decisions/0013-import-jobs.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .choices import JobStatus


class ImportJob(models.Model):
    """One import of a kind (``kind``): the file for the worker, its progress, a preview, then the outcome.

    Bookkeeping, not a record of the registry or of a campaign: what a job writes is written by its
    kind's service in durable transactions, audited there. The upload's request only checks the
    file's envelope and queues the job (``queued``, the file in ``data``, the upload's options in
    ``params``); the background worker (``ganbu worker``, started by ``ganbu serve``) claims it and
    runs the kind's step, beating ``heartbeat_at`` while it works.

    A kind with a preview step stores what the import would do in ``preview`` and stops at
    ``previewed``; the uploader looks at it and confirms (``confirmed_by``/``confirmed_at``, the
    choices made on the preview page in ``choices``), which queues the job again for the apply step.
    Its per-item outcome goes to ``result``. A job whose heartbeat stops for
    ``GANBU_JOB_STALE_MINUTES`` (its worker was killed) becomes ``failed`` with ``interrupted`` set;
    the file is kept so that its uploader can queue it again. The file is dropped once the job is done
    or refused for its content.

    The job row is written outside the kind's transactions, so a page polling it sees the progress:
    while reading, in committed steps; while writing, through a second database connection where the
    database allows a second writer (PostgreSQL). ``key`` is the random identifier the upload form
    carries, so the page can poll the job before the upload's own response arrives. ``attempts``
    counts the claims by a worker: a worker writes progress only while the job is still its attempt.
    See docs/decisions/0009-excel-import.md, 0012-background-jobs.md and 0013-import-jobs.md.
    """

    kind = models.CharField("导入类型", max_length=30, default="scores")
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name="选拔",
        on_delete=models.CASCADE,
        related_name="import_jobs",
        null=True,
        blank=True,
    )
    stage = models.CharField("环节", max_length=30, blank=True, default="")
    params = models.JSONField("导入选项", default=dict, blank=True)
    key = models.CharField("提交标识", max_length=32, unique=True)
    filename = models.CharField("文件名", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="导入人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("开始时间", auto_now_add=True)
    updated_at = models.DateTimeField("最近更新", auto_now=True)
    status = models.CharField("状态", max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    total = models.PositiveIntegerField("总行数", default=0)
    done = models.PositiveIntegerField("已处理行数", default=0)
    imported = models.PositiveIntegerField("已导入条数", default=0)
    errors = models.JSONField("错误", default=list, blank=True)
    data = models.BinaryField("上传的文件", default=b"", blank=True, editable=False)
    preview = models.JSONField("预览", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    choices = models.JSONField("确认时的选择", default=dict, blank=True)
    result = models.JSONField("逐项结果", null=True, blank=True)
    queued_at = models.DateTimeField("排队时间", null=True, blank=True)
    heartbeat_at = models.DateTimeField("最近心跳", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("处理次数", default=0)
    interrupted = models.BooleanField("处理中断", default=False)

    class Meta:
        db_table = "campaigns_importjob"
        verbose_name = "导入任务"
        verbose_name_plural = "导入任务"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["campaign", "created_by", "-created_at"], name="campaigns_i_campaig_457743_idx"
            ),
            models.Index(fields=["status", "queued_at"], name="campaigns_importjob_queue"),
            models.Index(fields=["created_by", "kind", "-created_at"], name="jobs_importjob_user_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.filename or self.kind}（{self.get_status_display()}）"
