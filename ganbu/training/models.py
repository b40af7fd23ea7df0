"""Training (教育培训): the year's programs, their classes and each trainee's enrollment.

Rows are written only by ``ganbu.training.services`` (each with an audit event); reads go through
``ganbu.training.selectors``. A program and its classes are county-wide (the department's plan);
the trainees a user sees in a class are those in the user's scope (``cadres_for``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from .choices import ClassStatus, EnrollmentStatus, Mode, Organizer, Purpose, Result, TargetGroup


class TrainingProgram(models.Model):
    """One line of the year's training plan (年度培训计划): for whom, why, run by whom, how.

    ``year`` is the plan's year; ``target_group`` the cadres it is for; ``purpose`` 轮训 / 任职培训 /
    专题培训 (a completed 任职培训 class closes a promoted cadre's TRN-03/06 to-do); ``organizer``
    the school or office that runs it; ``mode`` 脱产 / 网络 / 在职 (only 脱产 counts toward the
    TRN-01/02 quotas, only 网络 toward TRN-05).
    """

    title = models.CharField("培训项目", max_length=200)
    year = models.PositiveSmallIntegerField("年度", db_index=True)
    target_group = models.CharField("培训对象", max_length=20, choices=TargetGroup.choices)
    purpose = models.CharField("培训类别", max_length=20, choices=Purpose.choices, db_index=True)
    organizer = models.CharField("主办单位", max_length=20, choices=Organizer.choices)
    mode = models.CharField("培训方式", max_length=20, choices=Mode.choices)
    note = models.TextField("说明", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "培训项目"
        verbose_name_plural = "培训项目"
        ordering = ["-year", "id"]

    def __str__(self) -> str:
        return f"{self.year}年 {self.title}"


class TrainingClass(models.Model):
    """One class (班次) of a program: its days (first and last, both included), hours and places.

    ``days`` is computed by the service from the dates (calendar days, both ends included), the
    unit in which the rules count a class; ``total_hours`` the class's hours (学时), against which
    leave is capped at 1/7 (TRN-04). ``closed_on`` is set when the class is closed with its results.
    """

    program = models.ForeignKey(
        TrainingProgram, verbose_name="培训项目", on_delete=models.PROTECT, related_name="classes"
    )
    title = models.CharField("班次名称", max_length=200)
    start_date = models.DateField("开班日期", db_index=True)
    end_date = models.DateField("结业日期", db_index=True)
    days = models.PositiveSmallIntegerField("天数")
    total_hours = models.DecimalField("总学时", max_digits=6, decimal_places=1)
    capacity = models.PositiveIntegerField("计划人数")
    place = models.CharField("培训地点", max_length=200, blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=ClassStatus.choices, default=ClassStatus.OPEN, db_index=True
    )
    closed_on = models.DateField("结业登记日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "培训班次"
        verbose_name_plural = "培训班次"
        ordering = ["start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="training_class_end_not_before_start"
            ),
            models.CheckConstraint(condition=Q(total_hours__gt=0), name="training_class_hours_positive"),
        ]

    def __str__(self) -> str:
        return self.title


class Enrollment(models.Model):
    """One cadre in one class: status, leave taken, result and certificate.

    ``unit`` is the cadre's unit when enrolled (kept, as a roster prints it). ``absence_hours`` is
    the leave recorded so far; above 1/7 of the class's hours the trainee is withdrawn (退学,
    TRN-04) and ``withdrawn_reason`` keeps the rule's sentence. ``hours_credited`` is set when the
    class closes: the class's hours less the leave, for a completed trainee (0 otherwise); these
    are the hours the quotas (TRN-01/02) count. ``certificate_no`` is given to those who pass.
    """

    training_class = models.ForeignKey(
        TrainingClass, verbose_name="班次", on_delete=models.PROTECT, related_name="enrollments"
    )
    cadre = models.ForeignKey(
        "registry.Cadre", verbose_name="学员", on_delete=models.PROTECT, related_name="training_enrollments"
    )
    unit = models.ForeignKey(
        "registry.Unit", verbose_name="所在单位", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        "状态",
        max_length=20,
        choices=EnrollmentStatus.choices,
        default=EnrollmentStatus.ENROLLED,
        db_index=True,
    )
    absence_hours = models.DecimalField("请假学时", max_digits=6, decimal_places=1, default=0)
    withdrawn_reason = models.CharField("退学原因", max_length=400, blank=True)
    result = models.CharField("结业成绩", max_length=20, choices=Result.choices, blank=True)
    score = models.DecimalField("考试成绩", max_digits=5, decimal_places=1, null=True, blank=True)
    hours_credited = models.DecimalField("认定学时", max_digits=6, decimal_places=1, default=0)
    certificate_no = models.CharField("结业证书编号", max_length=40, blank=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    enrolled_at = models.DateTimeField("报名时间", auto_now_add=True)

    class Meta:
        verbose_name = "参训学员"
        verbose_name_plural = "参训学员"
        ordering = ["training_class", "id"]
        constraints = [
            models.UniqueConstraint(fields=["training_class", "cadre"], name="training_enrollment_once"),
            models.UniqueConstraint(
                fields=["certificate_no"],
                condition=~Q(certificate_no=""),
                name="training_certificate_unique",
            ),
        ]
        indexes = [models.Index(fields=["cadre", "status"])]

    def __str__(self) -> str:
        return f"{self.cadre.name} {self.training_class.title}"
