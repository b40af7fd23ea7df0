"""Notifications (提醒) and the reminder runs that create them.

The to-do list itself is not stored: ``ganbu.todo.selectors.todo_items`` computes it from the data
each time. What is stored is that a user was told about an item: one ``Notification`` per user and
item identity (``key``), however often ``ganbu remind`` runs, and whether it was read and e-mailed.
Rows are written only by ``ganbu.todo.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ReminderRun(models.Model):
    """One run of ``ganbu remind``: the day it checked, who ran it (empty: the scheduled job), counts.

    The run's audit event points at this row; each notification it created points back at it, so
    ``created`` is exact even if two runs overlap (the unique key lets only one of them insert).
    """

    on = models.DateField("检查日期")
    started_at = models.DateTimeField("运行时间", auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="运行人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    users = models.PositiveIntegerField("检查用户数", default=0)
    items = models.PositiveIntegerField("待办事项数", default=0)
    created = models.PositiveIntegerField("新建提醒数", default=0)

    class Meta:
        verbose_name = "提醒运行记录"
        verbose_name_plural = "提醒运行记录"
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"待办提醒（{self.on:%Y-%m-%d}）"


class Notification(models.Model):
    """A reminder shown to one user in the system (and e-mailed where configured).

    ``key`` is the item's stable identity, e.g. ``probation-end:12:2025-09-23``: the same item gives
    the same key on every run, and the unique constraint on (user, key) makes a reminder exist once.
    A key carries the date it is about, so a changed date (a probation extended, a notice
    republished) is a new reminder. ``kind`` is the to-do group (``TodoGroup.kind``), ``title`` its
    Chinese name, ``link`` a path inside the system. ``emailed_at`` is set only after the mail
    server accepted the message.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField("类别", max_length=40)
    key = models.CharField("事项标识", max_length=200)
    title = models.CharField("标题", max_length=100)
    text = models.CharField("内容", max_length=500)
    link = models.CharField("链接", max_length=300, blank=True)
    due_on = models.DateField("期限", null=True, blank=True)
    run = models.ForeignKey(
        ReminderRun,
        verbose_name="提醒运行记录",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "提醒"
        verbose_name_plural = "提醒"
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="todo_notification_once")]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"{self.title}：{self.text}"[:200]
