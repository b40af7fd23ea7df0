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
    and correct local exceptions. An entry alone does not make its year count: a year the package
    lacks is used only once a :class:`CalendarYear` declares it complete
    (``ganbu.rules.calendar_adapter``).
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


class CalendarYear(models.Model):
    """The administrator's declaration that a year's working-day calendar is entered completely.

    Only for years outside the official tables. Until a year is declared, its :class:`CalendarDay`
    entries count for nothing and any period touching the year is refused (CalendarNotCovered):
    a single entered holiday must not make the rest of the year pass for ordinary weekdays. The
    row says who declared it, when, and on what basis (the State Council's 放假通知).
    """

    year = models.PositiveSmallIntegerField("年份", unique=True)
    note = models.CharField("依据（如国务院办公厅放假通知）", max_length=200)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="确认人", on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField("确认时间", auto_now_add=True)

    class Meta:
        verbose_name = "工作日历年度确认"
        verbose_name_plural = "工作日历年度确认"
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year} 年工作日历已录入完整"
