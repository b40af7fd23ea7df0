"""信访举报: letters, calls, visits and online reports about cadres, from intake to conclusion.

Rows are written only by ``ganbu.petitions.services`` (each change with an audit event); reads go
through ``ganbu.petitions.selectors``, which show a case only to its intake body's staff and its
assignee (docs/petitions.md, 谁能看到).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .choices import Channel, Conclusion, IntakeBody, PetitionStatus


class Petition(models.Model):
    """One petition or report (信访举报) and how it was handled.

    Sent on the public desk (channel 网上, ``recorded_by`` empty) or recorded by staff for a letter,
    call or visit. The sender holds ``tracking_code`` and, with it, sees the status and, once
    concluded, ``reply`` on the public tracking page — never the content, the notes or the cadres.
    ``name`` and ``contact`` are empty when the sender chose to stay anonymous; nothing else about
    the sender (no address, no IP) is kept. ``about`` is the person and unit as the sender wrote
    them; ``cadres`` are the registry cadres staff identified. ``due_on`` is 60 days after
    ``received_on`` (《信访工作条例》(2022)). A 谈话提醒 or 诫勉 conclusion links the resulting
    ``talk`` (ganbu.talks), which for a 诫勉 carries the registry sanction and its period.
    """

    tracking_code = models.CharField("查询码", max_length=20, unique=True)
    channel = models.CharField("来源方式", max_length=20, choices=Channel.choices)
    intake_body = models.CharField("受理机关", max_length=20, choices=IntakeBody.choices, db_index=True)
    anonymous = models.BooleanField("匿名", default=False)
    name = models.CharField("反映人姓名", max_length=50, blank=True)
    contact = models.CharField("联系方式", max_length=100, blank=True)
    about = models.CharField("反映对象", max_length=200)
    content = models.TextField("反映内容")
    cadres = models.ManyToManyField(
        "registry.Cadre", verbose_name="涉及干部", blank=True, related_name="petitions"
    )
    received_on = models.DateField("受理日期")
    due_on = models.DateField("办理期限", db_index=True)
    status = models.CharField(
        "状态", max_length=20, choices=PetitionStatus.choices, default=PetitionStatus.RECEIVED, db_index=True
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="petitions_assigned",
    )
    assigned_on = models.DateField("交办日期", null=True, blank=True)
    verification_notes = models.TextField("核查情况", blank=True)
    conclusion = models.CharField("办理结果", max_length=20, choices=Conclusion.choices, blank=True)
    referred_to = models.CharField("移送单位", max_length=100, blank=True)
    reply = models.TextField("答复意见", blank=True)
    talk = models.ForeignKey(
        "talks.Talk",
        verbose_name="谈话或诫勉",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="petitions",
    )
    concluded_on = models.DateField("办结日期", null=True, blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="办结人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "信访举报"
        verbose_name_plural = "信访举报"
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"信访举报 {self.received_on:%Y-%m-%d}（{self.get_channel_display()}）"

    @property
    def is_open(self) -> bool:
        """Whether the petition still waits for its conclusion."""
        return self.status != PetitionStatus.CONCLUDED
