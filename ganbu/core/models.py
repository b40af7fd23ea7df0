"""The append-only, hash-chained audit trail."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Refuses bulk updates and deletes, which would bypass ``AuditEvent.save``/``delete``."""

    def update(self, **kwargs: Any) -> int:
        raise RuntimeError("审计事件只能追加，不能修改。")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise RuntimeError("审计事件不能删除。")


class AuditEvent(models.Model):
    """One business event written by a service: who did what to which record, and why.

    Rows are append-only: ``save`` refuses updates and ``delete`` refuses outright, and on the
    database a trigger refuses UPDATE, DELETE and TRUNCATE (PostgreSQL; UPDATE on SQLite). Each
    row carries ``seq`` (1, 2, 3 … with no gaps), the previous row's hash and its own hash over its
    content, keyed with the audit key outside the database, so ``ganbu audit verify`` detects an
    edited, a deleted or a reordered row even if the hashes were recomputed. The newest ``seq``
    and hash are also kept in ``AuditChainHead``, and signed checkpoints outside the database
    catch the deletion of the newest rows. Ballot content never enters this table.
    """

    seq = models.PositiveBigIntegerField("序号", unique=True)
    event_time = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField("操作人姓名", max_length=150)
    event_type = models.CharField("事件类型", max_length=64, db_index=True)
    target_type = models.CharField("对象类型", max_length=64)
    target_id = models.CharField("对象编号", max_length=64)
    target_repr = models.CharField("对象", max_length=200)
    cadre_id = models.BigIntegerField("相关干部", null=True, blank=True, db_index=True)
    unit_id = models.BigIntegerField("相关单位", null=True, blank=True, db_index=True)
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)
    reason = models.TextField("事由", blank=True)
    request_id = models.CharField("请求编号", max_length=64, blank=True)
    prev_hash = models.CharField("前一条哈希", max_length=64)
    hash = models.CharField("哈希", max_length=64)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "审计事件"
        verbose_name_plural = "审计事件"
        ordering = ["-seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.event_type} {self.target_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise RuntimeError("审计事件只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError("审计事件不能删除。")


class AuditChainHead(models.Model):
    """The single row holding the newest ``seq`` and hash of the audit chain.

    Services lock it (``select_for_update``) while appending, which serialises appends across
    processes on PostgreSQL; on SQLite the write transaction already serialises them.
    ``keyed_from`` is the first seq hashed with the audit key (``None`` until the first keyed
    append); it only tells ``audit_record`` whether to write the anchor event, verification never
    trusts it (see ``core.audit``).
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
    keyed_from = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = "审计链头"
        verbose_name_plural = "审计链头"

    def __str__(self) -> str:
        return f"审计链头 #{self.seq}"
