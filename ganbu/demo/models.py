"""The demo's own bookkeeping: whether a load of 示例县 started and whether it finished."""

from __future__ import annotations

from django.db import models


class DemoLoad(models.Model):
    """One run of ``ganbu demo``: written (committed) before anything is loaded, finished at the end.

    A row without ``finished_at`` while the database holds cadres is a load that was killed half-way
    (the registry is one transaction, the workflows after it are committed step by step): ``ganbu
    demo`` then reloads the demo cleanly when the database holds only demo data, or says how to start
    clean. ``audit_seq_before`` is the audit chain's length when the load started: 0 means the demo
    was loaded into an empty database, one condition for clearing it. Not a record of the county.
    """

    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    scale = models.FloatField("规模")
    seed = models.IntegerField("随机种子")
    audit_seq_before = models.PositiveBigIntegerField("开始时的审计事件数")

    class Meta:
        verbose_name = "示例数据载入"
        verbose_name_plural = "示例数据载入"
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return (
            f"示例数据载入 {self.started_at:%Y-%m-%d %H:%M}（{'已完成' if self.finished_at else '未完成'}）"
        )
