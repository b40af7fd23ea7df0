"""Effective-dated county policy values."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PolicyValue(models.Model):
    """One version of a county policy value: in force from ``effective_from`` until the next version.

    Rows are never edited: a change of policy is a new row with its own effective date, so a case
    decided in 2003 is checked against the value in force in 2003 (domain.md §4). Keys and their
    defaults are declared in ``ganbu.policy.keys``; a key without rows uses its default.
    """

    key = models.CharField("参数", max_length=64, db_index=True)
    value = models.CharField("值", max_length=32)
    effective_from = models.DateField("起始日期")
    note = models.CharField("依据文件或说明", max_length=300)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="设置人", on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField("设置时间", auto_now_add=True)

    class Meta:
        verbose_name = "政策参数"
        verbose_name_plural = "政策参数"
        ordering = ["key", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["key", "effective_from"], name="policy_one_value_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.key}={self.value}（自 {self.effective_from:%Y-%m-%d}）"


class CalendarDay(models.Model):
    """An administrator's entry in the working-day calendar: a holiday, an adjusted working day, or a removal.

    The official arrangement comes from ``chinesecalendar`` (2004 to its last published year); these
    entries add the years it lacks (the seed's 2000–2003, next year before the package is updated)
    and correct local exceptions. A year with any entry counts as covered, so the administrator
    enters a missing year completely (``ganbu.rules.calendar_adapter``).
    """

    HOLIDAY = "holiday"
    WORKDAY = "workday"
    REMOVE = "remove"
    KINDS = [(HOLIDAY, "放假"), (WORKDAY, "调休上班"), (REMOVE, "取消官方安排")]

    day = models.DateField("日期", unique=True)
    kind = models.CharField("类别", max_length=10, choices=KINDS)
    note = models.CharField("说明（依据）", max_length=200)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="设置人", on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField("设置时间", auto_now_add=True)

    class Meta:
        verbose_name = "工作日历调整"
        verbose_name_plural = "工作日历调整"
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.get_kind_display()}"
