"""Assessment rounds (考核), their entries per cadre and the consequences a closed round leaves.

Rows are written only by ``ganbu.assessment.services`` (each change with an audit event); reads go
through ``ganbu.assessment.selectors`` (scoped to the user's units). The year's grade itself is not
stored twice: closing an annual round writes it into the registry's ``Assessment`` (the 任免审批表's
年度考核 row); ``RoundEntry.final_grade`` is the grade the round decided, kept with its parts.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ganbu.registry.choices import AssessmentGrade
from ganbu.rules.assessment import BlockerKind


class RoundKind(models.TextChoices):
    """The four ways of assessment (《党政领导干部考核工作条例》(2019) 第二条, rules.md EVAL-07)."""

    ANNUAL = "annual", "年度考核"
    REGULAR = "regular", "平时考核"
    SPECIAL = "special", "专项考核"
    TERM = "term", "任期考核"


class RoundSubject(models.TextChoices):
    """Whom a round assesses: the unit's cadres one by one, or its leadership team as well."""

    CADRES = "cadres", "单位干部"
    TEAM = "team", "领导班子和领导干部"


class RoundStatus(models.TextChoices):
    """Open while entries are graded; closed once the grades are fixed (and, annual, recorded)."""

    OPEN = "open", "进行中"
    CLOSED = "closed", "已完成"


class TeamGrade(models.TextChoices):
    """A leadership team's grade. Not in rules.md: the four grades of 《党政领导干部考核工作条例》
    (2019) 第三十二条 as commonly quoted (UNCONFIRMED); recorded, no rule checks it."""

    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    AVERAGE = "average", "一般"
    POOR = "poor", "较差"


class ConsequenceKind(models.TextChoices):
    """What a closed round's grade leads to (rules.md EVAL-02, EVAL-03/04, EVAL-12)."""

    DEMOTION = "demotion", "降低一个职务或职级层次任职"
    DISMISSAL = "dismissal", "辞退"
    GRADE_STEP = "grade_step", "晋升一个级别"


class ConsequenceStatus(models.TextChoices):
    """Open until an officer records how it was handled."""

    OPEN = "open", "待办理"
    HANDLED = "handled", "已办理"


BLOCKER_CHOICES = [(k.value, k.label) for k in BlockerKind]
GRADE_CHOICES = AssessmentGrade.choices


class AssessmentRound(models.Model):
    """One assessment of a unit's cadres (or its leadership team) for a year.

    ``ballot`` is the democratic evaluation (民主测评) of the voting engine, created from the round
    or attached; its counted results feed the incompetence path of ``exits`` (EVAL-10) as any
    evaluation does. ``higher_ceiling_approved`` is the recorded approval to go above the general
    优秀 share (EVAL-06); ``team_grade`` only for a round of a leadership team.
    """

    title = models.CharField("名称", max_length=200)
    year = models.PositiveSmallIntegerField("年度", db_index=True)
    kind = models.CharField("考核方式", max_length=20, choices=RoundKind.choices, default=RoundKind.ANNUAL)
    subject = models.CharField(
        "考核对象", max_length=20, choices=RoundSubject.choices, default=RoundSubject.CADRES
    )
    unit = models.ForeignKey(
        "registry.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="assessment_rounds"
    )
    held_on = models.DateField("考核日期")
    status = models.CharField(
        "状态", max_length=20, choices=RoundStatus.choices, default=RoundStatus.OPEN, db_index=True
    )
    ballot = models.OneToOneField(
        "voting.Ballot",
        verbose_name="民主测评",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessment_round",
    )
    higher_ceiling_approved = models.BooleanField("经批准提高优秀比例", default=False)
    approval_note = models.CharField("批准依据", max_length=300, blank=True)
    team_grade = models.CharField("领导班子等次", max_length=20, choices=TeamGrade.choices, blank=True)
    note = models.TextField("说明", blank=True)
    closed_on = models.DateField("完成日期", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确定等次人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "考核"
        verbose_name_plural = "考核"
        ordering = ["-year", "-held_on", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        """Whether entries may still change."""
        return self.status == RoundStatus.OPEN


class RoundEntry(models.Model):
    """One cadre in a round: the parts 德能勤绩廉 (0–100), 实绩 (text and score), the grades.

    ``proposed_grade`` is the unit's proposal, ``final_grade`` the grade fixed by the round (both
    from the registry's grades, 不定等次 included for a year a sanction leaves ungraded). The
    dismissal blocker (公务员法 第八十九条, EVAL-04), when one holds, is recorded here so that the
    consequences of a second 不称职 name it. ``constraint`` is the sanctions' effect on the year
    (EVAL-08/09) as read when the round was closed.
    """

    round = models.ForeignKey(
        AssessmentRound, verbose_name="考核", on_delete=models.CASCADE, related_name="entries"
    )
    cadre = models.ForeignKey(
        "registry.Cadre", verbose_name="干部", on_delete=models.PROTECT, related_name="assessment_entries"
    )
    morality = models.PositiveSmallIntegerField("德", null=True, blank=True)
    ability = models.PositiveSmallIntegerField("能", null=True, blank=True)
    diligence = models.PositiveSmallIntegerField("勤", null=True, blank=True)
    performance = models.PositiveSmallIntegerField("绩", null=True, blank=True)
    integrity = models.PositiveSmallIntegerField("廉", null=True, blank=True)
    achievement_text = models.TextField("实绩（定性）", blank=True)
    achievement_score = models.DecimalField(
        "实绩（定量）", max_digits=5, decimal_places=1, null=True, blank=True
    )
    proposed_grade = models.CharField("建议等次", max_length=20, choices=GRADE_CHOICES, blank=True)
    final_grade = models.CharField("确定等次", max_length=20, choices=GRADE_CHOICES, blank=True)
    blocker_kind = models.CharField("不得辞退情形", max_length=30, choices=BLOCKER_CHOICES, blank=True)
    blocker_start = models.DateField("情形起始日期", null=True, blank=True)
    blocker_until = models.DateField("情形截止日期", null=True, blank=True)
    blocker_basis = models.CharField("情形依据", max_length=200, blank=True)
    constraint = models.CharField("处分影响", max_length=300, blank=True)
    note = models.CharField("评语", max_length=500, blank=True)

    class Meta:
        verbose_name = "考核对象"
        verbose_name_plural = "考核对象"
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "cadre"], name="assessment_entry_one_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.cadre}"


class Consequence(models.Model):
    """What a closed round's grade leads to for one cadre, open until handled.

    ``message`` and ``citation`` are the rule's reasons (the blockers of a dismissal included).
    ``exit_record`` is the demotion (or other exit) that carried it out, when the officer names it.
    """

    round = models.ForeignKey(
        AssessmentRound, verbose_name="考核", on_delete=models.CASCADE, related_name="consequences"
    )
    entry = models.ForeignKey(
        RoundEntry, verbose_name="考核对象", on_delete=models.CASCADE, related_name="consequences"
    )
    cadre = models.ForeignKey(
        "registry.Cadre",
        verbose_name="干部",
        on_delete=models.PROTECT,
        related_name="assessment_consequences",
    )
    kind = models.CharField("后果", max_length=20, choices=ConsequenceKind.choices)
    rule = models.CharField("规则", max_length=20)
    message = models.TextField("说明")
    citation = models.TextField("依据")
    status = models.CharField(
        "状态",
        max_length=20,
        choices=ConsequenceStatus.choices,
        default=ConsequenceStatus.OPEN,
        db_index=True,
    )
    handled_on = models.DateField("办理日期", null=True, blank=True)
    handled_note = models.CharField("办理情况", max_length=500, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="办理人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    exit_record = models.ForeignKey(
        "exits.ExitRecord",
        verbose_name="退出记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta:
        verbose_name = "考核结果运用"
        verbose_name_plural = "考核结果运用"
        ordering = ["status", "-round__held_on", "id"]

    def __str__(self) -> str:
        return f"{self.cadre} {self.get_kind_display()}"
