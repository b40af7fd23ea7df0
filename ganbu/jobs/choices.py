"""Where a background job stands (``ImportJob.status``)."""

from django.db import models


class JobStatus(models.TextChoices):
    """Queued for the worker, reading (or previewing), waiting for confirmation, writing, done, failed.

    A kind with a preview step goes queued → reading → previewed (the user looks and confirms) →
    queued → reading/writing → done; a kind without one (the score import) goes straight from
    reading to writing. ``failed`` covers a refused file, an interrupted worker and a cancelled
    preview; nothing was written in any of them.
    """

    QUEUED = "queued", "等待处理"
    READING = "reading", "正在读取文件"
    PREVIEWED = "previewed", "等待确认"
    WRITING = "writing", "正在核对并写入"
    DONE = "done", "已导入"
    FAILED = "failed", "未导入"


RUNNING = (JobStatus.READING, JobStatus.WRITING)
"""The statuses of a job a worker holds (it beats the heartbeat)."""
ACTIVE = (JobStatus.QUEUED, JobStatus.READING, JobStatus.WRITING)
"""The statuses of a job not yet finished nor waiting for the user (the page keeps polling)."""
