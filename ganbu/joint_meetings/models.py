"""The joint meeting of the supervising bodies (联席会议) and what it records.

Rows are written only by ``ganbu.joint_meetings.services`` (each change with an audit event); reads go
through ``ganbu.joint_meetings.selectors`` (capability and data scope). A meeting is planned, then held
(with its attendees), then its minutes are settled; after that only the follow-up items change.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from .choices import AgendaSource, Body, FollowUpStatus, MeetingStatus


class JointMeeting(models.Model):
    """One meeting of the county's supervising bodies (纪检, 监察, 信访, 审计, 公安, 检察, 法院, 组织部).

    ``held_on`` is the planned day while ``status`` is planned and the day it met afterwards;
    ``period_start``–``period_end`` is the half-year whose cases it reviews. ``minutes`` is the text of
    the 会议纪要 (its summary of what was agreed), settled with ``minutes_on``; the Word minutes are the
    ``joint_meeting_minutes`` kind of ``ganbu.doctemplates``.
    """

    title = models.CharField("会议名称", max_length=200)
    held_on = models.DateField("会议日期", db_index=True)
    period_start = models.DateField("通报期间起")
    period_end = models.DateField("通报期间止")
    venue = models.CharField("会议地点", max_length=200, blank=True)
    chair = models.CharField("主持人", max_length=100, blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED, db_index=True
    )
    minutes = models.TextField("会议纪要正文", blank=True)
    minutes_on = models.DateField("纪要定稿日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "联席会议"
        verbose_name_plural = "联席会议"
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="joint_meeting_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        """Whether members, agenda and findings may still change (minutes not yet settled)."""
        return self.status != MeetingStatus.MINUTED


class MeetingMember(models.Model):
    """One attendee of a meeting: the body they come from, their name and post."""

    meeting = models.ForeignKey(
        JointMeeting, verbose_name="会议", on_delete=models.CASCADE, related_name="members"
    )
    body = models.CharField("成员单位", max_length=20, choices=Body.choices)
    name = models.CharField("姓名", max_length=50)
    post = models.CharField("职务", max_length=100)

    class Meta:
        verbose_name = "参会人员"
        verbose_name_plural = "参会人员"
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return f"{self.get_body_display()} {self.name}"


class AgendaItem(models.Model):
    """One item the meeting hears: an open case of another app (named by ``source`` and ``source_id``,
    its title copied when drawn so the minutes keep what was heard) or a topic typed by the officer."""

    meeting = models.ForeignKey(
        JointMeeting, verbose_name="会议", on_delete=models.CASCADE, related_name="agenda"
    )
    source = models.CharField("来源", max_length=20, choices=AgendaSource.choices, default=AgendaSource.FREE)
    source_id = models.PositiveBigIntegerField("来源编号", null=True, blank=True)
    title = models.CharField("议题", max_length=300)
    detail = models.TextField("情况", blank=True)
    cadre = models.ForeignKey(
        "registry.Cadre",
        verbose_name="涉及干部",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "议题"
        verbose_name_plural = "议题"
        ordering = ["meeting", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "source", "source_id"],
                condition=Q(source_id__isnull=False),
                name="joint_meeting_case_once_per_meeting",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Finding(models.Model):
    """What the meeting found about one cadre and the measure it agreed (处理意见)."""

    meeting = models.ForeignKey(
        JointMeeting, verbose_name="会议", on_delete=models.CASCADE, related_name="findings"
    )
    cadre = models.ForeignKey(
        "registry.Cadre", verbose_name="干部", on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField("情况")
    measure = models.TextField("处理意见")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "干部情况"
        verbose_name_plural = "干部情况"
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return f"{self.cadre.name}：{self.measure}"


class FollowUp(models.Model):
    """A task the meeting assigned: to a user of the system (``owner``) or to a body by name
    (``owner_body``), due on ``due_on``; open until reported done with ``done_on`` and a note."""

    meeting = models.ForeignKey(
        JointMeeting, verbose_name="会议", on_delete=models.CASCADE, related_name="follow_ups"
    )
    task = models.CharField("事项", max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="joint_meeting_follow_ups",
    )
    owner_body = models.CharField("责任单位", max_length=100, blank=True)
    due_on = models.DateField("完成时限", db_index=True)
    status = models.CharField(
        "状态", max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN, db_index=True
    )
    done_on = models.DateField("办结日期", null=True, blank=True)
    result = models.CharField("办理结果", max_length=500, blank=True)

    class Meta:
        verbose_name = "督办事项"
        verbose_name_plural = "督办事项"
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=False) | ~Q(owner_body=""),
                name="joint_meeting_follow_up_has_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.task

    @property
    def owner_text(self) -> str:
        """Who answers for it: the user's name, the body, or both."""
        parts = [self.owner_body] if self.owner_body else []
        if self.owner is not None:
            parts.append(self.owner.display_name or self.owner.get_username())
        return "、".join(parts)
