"""Exits from leadership, the proceedings that block a resignation, and the incompetence cases.

Rows are written only by ``ganbu.exits.services`` (each with its document, its status change and
an audit event); reads go through ``ganbu.exits.selectors`` (data scope, secrecy of proceedings).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from ganbu.registry.choices import Rank

from .choices import CASE_STEP_CHOICES, EXIT_KIND_CHOICES, GROUND_CHOICES, PROCEEDING_KIND_CHOICES


class ExitRecord(models.Model):
    """One way down or out (能上能下) of one cadre, with the document that carried it out.

    ``document`` is the 任免文件 issued in the same transaction; its items are the tenures ended
    (免去) and, for a reassignment or demotion, the new post (任命) and rank (确定职级). It is empty
    only when a leaving cadre (退休, 辞去公职, 离岗退养) held no post in the registry, so there was
    nothing for a document to change. ``basis`` is the rule the system checked (with the facts
    and the policy version applied) followed by the decision the officer named. The incompetence
    case an adjustment concluded is reachable as ``incompetence_case`` (its ``outcome``).
    """

    cadre = models.ForeignKey(
        "registry.Cadre", verbose_name="干部", on_delete=models.PROTECT, related_name="exit_records"
    )
    kind = models.CharField("方式", max_length=30, choices=EXIT_KIND_CHOICES, db_index=True)
    decided_on = models.DateField("决定日期")
    effective_on = models.DateField("生效日期", db_index=True)
    reason = models.TextField("事由")
    basis = models.TextField("依据", blank=True)
    document = models.ForeignKey(
        "registry.AppointmentDocument",
        verbose_name="任免文件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exit_records",
    )
    previous_rank = models.CharField("原职级", max_length=20, choices=Rank.choices, blank=True)
    new_rank = models.CharField("新职级", max_length=20, choices=Rank.choices, blank=True)
    new_post = models.ForeignKey(
        "registry.Post",
        verbose_name="新任职位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    early_ground = models.CharField("提前退休情形", max_length=30, choices=GROUND_CHOICES, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "退出领导岗位记录"
        verbose_name_plural = "退出领导岗位记录"
        ordering = ["-effective_on", "-id"]

    def __str__(self) -> str:
        return f"{self.cadre.name} {self.get_kind_display()}"


class Proceeding(models.Model):
    """An audit, discipline review (纪律审查), supervisory investigation (监察调查) or judicial procedure.

    Recorded by supervising bodies (纪委、审计) and organization-department officers. While one is
    open (``ended_on`` empty, or later than the resignation's dates) the cadre may not resign
    (DISC-14, 公务员法 第八十六条第（四）项). Only roles with ``Cap.SENSITIVE_SUPERVISION`` may
    learn that a proceeding exists (docs/exits.md, 保密).
    """

    cadre = models.ForeignKey(
        "registry.Cadre", verbose_name="干部", on_delete=models.PROTECT, related_name="proceedings"
    )
    kind = models.CharField("类别", max_length=30, choices=PROCEEDING_KIND_CHOICES)
    body = models.CharField("实施机关", max_length=100)
    started_on = models.DateField("开始日期")
    ended_on = models.DateField("结束日期", null=True, blank=True, db_index=True)
    note = models.TextField("说明", blank=True)
    end_note = models.CharField("结束说明", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="结束登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "审计或调查"
        verbose_name_plural = "审计或调查"
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="exits_proceeding_end_not_before_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre.name} {self.get_kind_display()}（{self.body}）"


class IncompetenceCase(models.Model):
    """The path 民主测评不称职票超过阈值 → 组织考察 → 调整/免职/降职 for one cadre (seed 一(三)).

    Opened from the evaluation ``BallotResult`` that flagged the cadre (``evaluation``), or by hand
    with ``start_reason``. The inspection's conclusion (``inspection_confirmed`` and the text, date
    and inspectors) moves it to ``confirmed`` or closes it as ``not_confirmed``; from ``confirmed``
    only an adjustment (``outcome``, an exit of kind removal, demotion or reassignment) closes it.
    ``step`` moves only along ``ganbu.rules.exits.CASE_TRANSITIONS``.
    """

    cadre = models.ForeignKey(
        "registry.Cadre", verbose_name="干部", on_delete=models.PROTECT, related_name="incompetence_cases"
    )
    step = models.CharField("环节", max_length=20, choices=CASE_STEP_CHOICES, default="opened", db_index=True)
    evaluation = models.OneToOneField(
        "voting.BallotResult",
        verbose_name="民主测评结果",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_on = models.DateField("启动日期")
    start_reason = models.TextField("启动理由")
    inspection_confirmed = models.BooleanField("考察认定不称职", null=True, blank=True)
    inspection_conclusion = models.TextField("考察结论", blank=True)
    inspected_on = models.DateField("考察日期", null=True, blank=True)
    inspectors = models.CharField("考察组成员", max_length=200, blank=True)
    outcome = models.OneToOneField(
        ExitRecord,
        verbose_name="调整结果",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incompetence_case",
    )
    closed_on = models.DateField("结案日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="启动人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "不称职调整程序"
        verbose_name_plural = "不称职调整程序"
        ordering = ["-opened_on", "-id"]

    def __str__(self) -> str:
        return f"{self.cadre.name} 不称职调整（{self.get_step_display()}）"

    @property
    def is_closed(self) -> bool:
        """Whether the case has ended (not confirmed, or adjusted)."""
        return self.step in ("not_confirmed", "adjusted")
