"""Economic-responsibility audits (经济责任审计) of unit heads and their follow-up items.

Rows are written only by ``ganbu.economic_audits.services`` (each change with an audit event);
reads go through ``ganbu.economic_audits.selectors`` (scoped to the user's units).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from .choices import COMMISSIONER_CHOICES, REGULATION_CHOICES, ROLE_CHOICES, TRIGGER_CHOICES, Status


class AuditEngagement(models.Model):
    """One economic-responsibility audit of one cadre's tenure in one leading post.

    The subject (``cadre``, ``post`` and its ``unit``, ``role``, ``presiding_since``) was checked
    against AUD-01/AUD-04 under ``regulation`` (the one in force on ``term_end``, or on the day of
    creation for an in-term audit) and the answer kept in ``subject_basis``. ``trigger`` is the move
    ahead (离任: ``ganbu.rules.audit.Move``, AUD-02) or the in-term plan (AUD-05); a selection
    record that triggered it is ``selection_record``. ``tenure`` is the registry tenure audited
    when the post was held in the registry.

    From the commission on, the audit **is** the ``proceeding`` (an ``exits.Proceeding`` of kind
    audit, one-to-one): opened on ``commissioned_on`` by the audit body, closed on ``reported_on``,
    so while it is open a resignation is refused (DISC-14). Dates: commissioned, notice served
    (AUD-03: at least three days before ``started_on``), started, reported; ``report_due_on`` is
    the day the commission asked the report for (the overdue to-do). ``closed_on`` and
    ``follow_up_summary`` record that the rectification (整改) is done.
    """

    cadre = models.ForeignKey(
        "registry.Cadre", verbose_name="审计对象", on_delete=models.PROTECT, related_name="economic_audits"
    )
    post = models.ForeignKey(
        "registry.Post", verbose_name="所任职务", on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "registry.Unit", verbose_name="所在单位", on_delete=models.PROTECT, related_name="+"
    )
    tenure = models.ForeignKey(
        "registry.Tenure",
        verbose_name="任职记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    role = models.CharField("正副职", max_length=20, choices=ROLE_CHOICES)
    presiding_since = models.DateField("主持工作起始日期", null=True, blank=True)
    regulation = models.CharField("适用规定", max_length=10, choices=REGULATION_CHOICES)
    subject_basis = models.TextField("审计对象认定")
    term_start = models.DateField("审计期间起")
    term_end = models.DateField("审计期间止")
    trigger = models.CharField("审计类型", max_length=20, choices=TRIGGER_CHOICES, db_index=True)
    trigger_note = models.CharField("审计事由", max_length=300)
    selection_record = models.ForeignKey(
        "selection.SelectionRecord",
        verbose_name="选拔任用纪实",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.TO_COMMISSION, db_index=True
    )
    commissioned_by = models.CharField("委托机关", max_length=20, choices=COMMISSIONER_CHOICES, blank=True)
    commissioned_on = models.DateField("委托日期", null=True, blank=True)
    audit_body = models.CharField("审计机关", max_length=100, blank=True)
    report_due_on = models.DateField("要求完成日期", null=True, blank=True, db_index=True)
    notice_served_on = models.DateField("审计通知书送达日期", null=True, blank=True)
    started_on = models.DateField("实施审计日期", null=True, blank=True)
    reported_on = models.DateField("审计报告日期", null=True, blank=True)
    report_number = models.CharField("审计报告文号", max_length=100, blank=True)
    findings = models.TextField("审计发现的主要问题和评价", blank=True)
    closed_on = models.DateField("整改完成日期", null=True, blank=True)
    follow_up_summary = models.TextField("整改情况", blank=True)
    proceeding = models.OneToOneField(
        "exits.Proceeding",
        verbose_name="审计程序",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="economic_audit",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "经济责任审计"
        verbose_name_plural = "经济责任审计"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__gte=models.F("term_start")), name="economic_audit_term_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre.name}（{self.post}）经济责任审计"

    @property
    def is_pending(self) -> bool:
        """Whether the report is not yet in (to commission, commissioned or in progress)."""
        return self.status in (Status.TO_COMMISSION, Status.COMMISSIONED, Status.IN_PROGRESS)


class FollowUpItem(models.Model):
    """One rectification item (整改事项) from an audit's findings: who does it, by when, and the result."""

    engagement = models.ForeignKey(
        AuditEngagement, verbose_name="经济责任审计", on_delete=models.CASCADE, related_name="follow_ups"
    )
    description = models.CharField("整改事项", max_length=300)
    owner = models.CharField("责任单位或责任人", max_length=100)
    due_on = models.DateField("整改期限")
    done_on = models.DateField("完成日期", null=True, blank=True)
    result = models.TextField("整改结果", blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "审计整改事项"
        verbose_name_plural = "审计整改事项"
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.description
