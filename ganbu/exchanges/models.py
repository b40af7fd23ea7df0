"""Exchanges (交流) and rotation plans (交流轮岗方案).

Rows are written only by ``ganbu.exchanges.services`` (each with an audit event); reads go through
``ganbu.exchanges.selectors`` (``Cap.ALLOCATION_VIEW``, scoped to the user's units and cadres).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from .choices import KEEPS_POST, ExchangeDirection, ExchangeKind, PlanStatus


class RotationPlan(models.Model):
    """A batch of moves planned together, checked, discussed and carried out in one step.

    - ``status`` (:class:`PlanStatus`): 草拟中 while moves are added; 已讨论 once the meeting that
      discussed it is recorded (``discussed_on``, ``meeting``); 已实施 when carried out as the
      appointment ``document`` (``carried_out_on`` = the day the moves take effect); 已撤回.
    - ``planned_on``: the day the moves are planned to take effect; the checks read the teams and
      tenures as they stand on that day.
    """

    title = models.CharField("方案名称", max_length=200)
    status = models.CharField(
        "状态", max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT, db_index=True
    )
    planned_on = models.DateField("拟交流日期")
    note = models.TextField("说明", blank=True)
    discussed_on = models.DateField("讨论日期", null=True, blank=True)
    meeting = models.CharField("讨论会议", max_length=200, blank=True)
    carried_out_on = models.DateField("实施日期", null=True, blank=True)
    document = models.ForeignKey(
        "registry.AppointmentDocument",
        verbose_name="任免文件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rotation_plans",
    )
    withdrawn_reason = models.CharField("撤回原因", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "交流轮岗方案"
        verbose_name_plural = "交流轮岗方案"
        ordering = ["-planned_on", "-id"]

    def __str__(self) -> str:
        return self.title


class PlanMove(models.Model):
    """One move of a plan: a cadre from a post (or none) to a post (or none), and how (调任/转任/轮岗).

    ``from_post`` is the post the cadre leaves (by default their current leadership post when the
    move is added; ``None`` for a cadre coming from outside the registry's leadership posts);
    ``to_post`` the post they take. ``reason`` states why a move before the minimum tenure is made (ROT-02's
    exceptions, avoidance); with it, the minimum-tenure check is a notice, not a refusal.
    """

    plan = models.ForeignKey(
        RotationPlan, verbose_name="方案", on_delete=models.CASCADE, related_name="moves"
    )
    cadre = models.ForeignKey(
        "registry.Cadre", verbose_name="干部", on_delete=models.PROTECT, related_name="plan_moves"
    )
    from_post = models.ForeignKey(
        "registry.Post",
        verbose_name="原任职务",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_post = models.ForeignKey(
        "registry.Post", verbose_name="拟任职务", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("交流方式", max_length=20, choices=ExchangeKind.choices)
    reason = models.CharField("提前交流理由", max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField("序号", default=0)

    class Meta:
        verbose_name = "方案交流事项"
        verbose_name_plural = "方案交流事项"
        ordering = ["plan", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "cadre"], name="exchanges_move_once_per_plan"),
        ]

    def __str__(self) -> str:
        return f"{self.cadre.name}：{self.from_post or '—'} → {self.to_post}"


class ExchangeRecord(models.Model):
    """One exchange of one cadre, as the cadre-allocation office records it.

    - ``kind`` (:class:`ExchangeKind`) and ``direction`` (:class:`ExchangeDirection`).
    - ``from_unit``/``from_post``: where the cadre comes from; ``to_unit``/``to_post``: where they go.
      For 挂职 and 党外干部挂任 ``to_unit`` is the host unit and ``host_post_title`` the host post as
      named in the decision (局长助理, 校长助理 …), ``to_post`` only if that post is in the registry;
      the cadre keeps their own post.
    - ``start_on``; ``planned_end_on`` (a 挂职's term ends the day before it: the day they return);
      ``ended_on`` once it actually ended.
    - ``document``: the appointment document that changed the tenures (调任/转任/轮岗), or ``None``
      for a 挂职; ``decision_number``: the 挂职 decision's number when no appointment document is
      issued; ``plan``: the rotation plan it was carried out by, if any.
    """

    cadre = models.ForeignKey(
        "registry.Cadre", verbose_name="干部", on_delete=models.PROTECT, related_name="exchange_records"
    )
    kind = models.CharField("交流方式", max_length=20, choices=ExchangeKind.choices, db_index=True)
    direction = models.CharField("交流方向", max_length=24, choices=ExchangeDirection.choices)
    from_unit = models.ForeignKey(
        "registry.Unit", verbose_name="原单位", on_delete=models.PROTECT, related_name="+"
    )
    from_post = models.ForeignKey(
        "registry.Post",
        verbose_name="原职务",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_unit = models.ForeignKey(
        "registry.Unit", verbose_name="交流到单位", on_delete=models.PROTECT, related_name="+"
    )
    to_post = models.ForeignKey(
        "registry.Post",
        verbose_name="新任职务",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    host_post_title = models.CharField("挂职职务", max_length=100, blank=True)
    start_on = models.DateField("开始日期", db_index=True)
    planned_end_on = models.DateField("挂职期满日期", null=True, blank=True)
    ended_on = models.DateField("结束日期", null=True, blank=True)
    document = models.ForeignKey(
        "registry.AppointmentDocument",
        verbose_name="任免文件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exchange_records",
    )
    decision_number = models.CharField("决定文号", max_length=60, blank=True)
    plan = models.ForeignKey(
        RotationPlan,
        verbose_name="交流轮岗方案",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
    )
    note = models.CharField("备注", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "干部交流记录"
        verbose_name_plural = "干部交流记录"
        ordering = ["-start_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end_on__isnull=True) | Q(planned_end_on__gt=models.F("start_on")),
                name="exchanges_term_after_start",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("start_on")),
                name="exchanges_end_not_before_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre.name} {self.get_kind_display()}（{self.start_on:%Y-%m-%d}）"

    @property
    def keeps_post(self) -> bool:
        """Whether this is a 挂职 (the cadre keeps their own post)."""
        return self.kind in KEEPS_POST
