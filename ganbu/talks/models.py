"""Supervision talks (谈话): 廉政谈话, 提醒谈话, 函询, 诫勉 and the 纪委书记's talks with unit heads.

Rows are written only by ``ganbu.talks.services`` (each with an audit event); reads go through
``ganbu.talks.selectors`` (supervising bodies and the department only: a talk is part of the
cadre's supervision file, ``Cap.SENSITIVE_SUPERVISION``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from .choices import TalkerBody, TalkKind, TalkStatus


class Talk(models.Model):
    """One supervision talk with one cadre: who talked, when, about what, and what follows.

    Fields, for every reader (pages, API, the 谈话记录 Word document):

    - ``cadre`` and ``unit``: the person talked to and their unit when the talk was recorded
      (kept, so a later transfer does not move the talk to another unit's list).
    - ``kind`` (:class:`TalkKind`), ``status`` (:class:`TalkStatus`).
    - ``held_on``: the day of the talk; for a planned talk the day it is planned for; for a 函询
      the day the letter was sent; for a 诫勉 the decision day (the impact period's first day).
    - ``talkers``: the names of those who talked (free text, e.g. 「王某（县纪委副书记）、李某」);
      ``talker_body``: the body they came from (:class:`TalkerBody`).
    - ``issue``: what the talk is about (the matter reported, the reminder's point, the letter's
      questions, the 诫勉's grounds); ``follow_up``: what was agreed or is to be done after it.
    - ``selection_record``: the 纪实 whose appointment a 廉政谈话 precedes (only for 廉政谈话).
    - 函询 only: ``answer_due_on`` (the reply's due day), ``answer`` (the written answer) and
      ``answered_on``.
    - 诫勉 only: ``period_start`` (= decision day), ``period_months`` (the county value applied,
      DISC-08), ``period_end`` (the impact period's last day, inclusive), ``period_basis`` (the
      citation with the policy version) and ``sanction``: the registry ``RewardSanction`` row of
      kind 诫勉 created with it, whose ``effective_until`` equals ``period_end`` so the selection's
      eligibility check refuses a promotion during the period.
    """

    cadre = models.ForeignKey(
        "registry.Cadre", verbose_name="谈话对象", on_delete=models.PROTECT, related_name="talks"
    )
    unit = models.ForeignKey(
        "registry.Unit", verbose_name="所在单位", on_delete=models.PROTECT, related_name="talks"
    )
    kind = models.CharField("类别", max_length=20, choices=TalkKind.choices, db_index=True)
    status = models.CharField("状态", max_length=20, choices=TalkStatus.choices, db_index=True)
    held_on = models.DateField("谈话日期", db_index=True)
    talkers = models.CharField("谈话人", max_length=200)
    talker_body = models.CharField("谈话人所在机关", max_length=20, choices=TalkerBody.choices)
    issue = models.TextField("谈话事由")
    follow_up = models.TextField("后续要求与落实", blank=True)
    selection_record = models.ForeignKey(
        "selection.SelectionRecord",
        verbose_name="选拔任用纪实",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="integrity_talks",
    )
    answer_due_on = models.DateField("回复期限", null=True, blank=True, db_index=True)
    answer = models.TextField("书面回复", blank=True)
    answered_on = models.DateField("回复日期", null=True, blank=True)
    period_start = models.DateField("影响期起始", null=True, blank=True)
    period_months = models.PositiveSmallIntegerField("影响期月数", null=True, blank=True)
    period_end = models.DateField("影响期截止", null=True, blank=True, db_index=True)
    period_basis = models.CharField("影响期依据", max_length=400, blank=True)
    sanction = models.OneToOneField(
        "registry.RewardSanction",
        verbose_name="奖惩登记",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="talk",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "谈话"
        verbose_name_plural = "谈话"
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(selection_record__isnull=True) | Q(kind=TalkKind.INTEGRITY),
                name="talks_record_only_integrity",
            ),
            models.CheckConstraint(
                condition=Q(kind=TalkKind.ADMONISHMENT) | Q(sanction__isnull=True, period_end__isnull=True),
                name="talks_period_only_admonishment",
            ),
            models.CheckConstraint(
                condition=Q(kind=TalkKind.INQUIRY) | Q(answer_due_on__isnull=True, answered_on__isnull=True),
                name="talks_answer_only_inquiry",
            ),
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(answered_on__gte=models.F("held_on")),
                name="talks_answer_not_before_letter",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre.name} {self.get_kind_display()}（{self.held_on:%Y-%m-%d}）"
