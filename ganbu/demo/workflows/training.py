"""The demo's training workflow (教育培训): the seed's classes of this year, through the services.

The seed county (domain.md, 二(四)) trained this year: 107 单位正职, 299 中层干部 in three classes,
41 企业党组织负责人, 62 新进班子成员, 40 with the provincial Party school (省委党校) and 43 中青年干部
(the class opening on 20 September). The demo keeps those proportions, scaled by the demo county's
serving cadres against the generator's base of 3,000 (``BASE_CADRES``; at scale 1 the sizes are close
to the seed's, smaller at the test scales), at least two a class.

Made by ``zzb`` (the department's officer) through ``ganbu.training.services``: each program and
class, enrolment from the registry by target group, some leave (one trainee of the first 中层 class
over the 1/7 cap, so withdrawn), and the classes already ended closed with results and numbered
certificates — except the last one ended, left open so the to-do "待结业的培训班次" has an item.
The 新进班子 class is 任职培训 and takes the promoted cadres whose appointment training is due,
leaving the latest of them out, so the to-do "任职培训待完成" has one. Dates are in ``today``'s
year, before ``today`` where they can be (a class that would start after ``today`` stays planned).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from ganbu.demo.generator.rows import BASE_CADRES
from ganbu.registry.choices import CadreCategory, CadreStatus, Rank
from ganbu.registry.models import Cadre
from ganbu.training import selectors, services
from ganbu.training.choices import Mode, Organizer, Purpose, Result, TargetGroup
from ganbu.training.models import TrainingClass

from .moves import _Loader


@dataclass(frozen=True)
class _Plan:
    """One program of the seed with its classes: (month, day) of the first day, days, hours, seed size."""

    title: str
    group: str
    purpose: str
    organizer: str
    classes: tuple[tuple[int, int, int, int, int], ...]


PLANS: tuple[_Plan, ...] = (
    _Plan(
        "单位正职领导干部轮训",
        TargetGroup.HEADS,
        Purpose.ROTATION,
        Organizer.COUNTY_SCHOOL,
        ((3, 10, 5, 40, 107),),
    ),
    _Plan(
        "中层干部轮训",
        TargetGroup.MIDDLE,
        Purpose.ROTATION,
        Organizer.COUNTY_SCHOOL,
        ((4, 7, 5, 35, 100), (4, 21, 5, 35, 100), (5, 5, 5, 35, 99)),
    ),
    _Plan(
        "企业党组织负责人培训",
        TargetGroup.ENTERPRISE_PARTY,
        Purpose.TOPIC,
        Organizer.ORG_DEPARTMENT,
        ((5, 19, 3, 24, 41),),
    ),
    _Plan(
        "新进班子成员任职培训",
        TargetGroup.NEW_TEAM,
        Purpose.APPOINTMENT,
        Organizer.COUNTY_SCHOOL,
        ((6, 9, 7, 56, 62),),
    ),
    _Plan(
        "科级干部进修班（省委党校）",
        TargetGroup.SECTION,
        Purpose.TOPIC,
        Organizer.PROVINCIAL_SCHOOL,
        ((7, 6, 12, 90, 40),),
    ),
    _Plan(
        "中青年干部培训班",
        TargetGroup.YOUNG,
        Purpose.ROTATION,
        Organizer.COUNTY_SCHOOL,
        ((9, 20, 30, 180, 43),),
    ),
)


def _pool(group: str, today: dt.date) -> list[int]:
    """Serving cadres the group is drawn from, by id (the demo reads the registry it generated)."""
    serving = Cadre.objects.filter(status=CadreStatus.SERVING)
    if group == TargetGroup.HEADS:
        qs = serving.filter(rank=Rank.SECTION)
    elif group == TargetGroup.MIDDLE:
        qs = serving.filter(rank__in=[Rank.MIDDLE_HEAD, Rank.MIDDLE_DEPUTY])
    elif group == TargetGroup.ENTERPRISE_PARTY:
        qs = serving.filter(category=CadreCategory.ENTERPRISE)
    elif group == TargetGroup.YOUNG:
        qs = serving.filter(birth_date__gt=dt.date(today.year - 40, 1, 1))
    else:
        qs = serving.filter(rank__in=[Rank.SECTION, Rank.DEPUTY_SECTION])
    return list(qs.order_by("id").values_list("id", flat=True))


def _within_year(today: dt.date, month: int, day: int) -> dt.date:
    return dt.date(today.year, month, day)


def _close(loader: _Loader, klass: TrainingClass) -> None:
    """Close a class: one 优秀 in ten, the rest 合格, and one trainee who never came."""
    enrolled = list(klass.enrollments.filter(status="enrolled").order_by("id").values_list("id", flat=True))
    results = {pk: services.ResultInput(Result.EXCELLENT, Decimal(95)) for pk in enrolled[::10]}
    if len(enrolled) > 3:
        results[enrolled[-1]] = services.ResultInput(Result.ABSENT)
    services.class_complete(
        actor=loader.officer, training_class=klass, results=results, closed_on=klass.end_date
    )


def demo_training(loader: _Loader) -> None:
    """Make the demo's training through the services (see the module's docstring)."""
    today = loader.today
    serving = Cadre.objects.filter(status=CadreStatus.SERVING).count()
    factor = serving / BASE_CADRES
    due = [row.cadre.pk for row in selectors.appointment_due(user=loader.officer, on=today)]
    left_due = due[-1:]  # the latest promotion keeps its appointment training due
    taken: set[int] = set(left_due)
    ended: list[TrainingClass] = []
    first_middle = True
    for plan in PLANS:
        program = services.program_create(
            actor=loader.officer,
            title=f"{today.year}年{plan.title}",
            year=today.year,
            target_group=plan.group,
            purpose=plan.purpose,
            organizer=plan.organizer,
            mode=Mode.OFF_THE_JOB,
        )
        pool = [pk for pk in _pool(plan.group, today) if pk not in taken]
        if plan.purpose == Purpose.APPOINTMENT:
            pool = [pk for pk in due if pk not in taken] + pool
        for number, (month, day, days, hours, seed_size) in enumerate(plan.classes, start=1):
            start = _within_year(today, month, day)
            end = start + dt.timedelta(days=days - 1)
            size = max(2, round(seed_size * factor))
            klass = services.class_create(
                actor=loader.officer,
                program=program,
                title=f"{today.year}年{plan.title}第{number}期"
                if len(plan.classes) > 1
                else f"{today.year}年{plan.title}",
                start_date=start,
                end_date=end,
                total_hours=Decimal(hours),
                capacity=size,
                place="省委党校" if plan.organizer == Organizer.PROVINCIAL_SCHOOL else "县委党校",
            )
            chosen = (
                pool[:size]
                if plan.purpose == Purpose.APPOINTMENT
                else sorted(loader.rng.sample(pool, min(size, len(pool))))
            )
            pool = [pk for pk in pool if pk not in set(chosen)]
            taken.update(chosen)
            if not chosen:
                continue
            made = services.enroll(actor=loader.officer, training_class=klass, cadre_ids=chosen)
            if start > today:
                continue
            # Some leave: one trainee with a day off; in the first 中层 class one over the 1/7 cap.
            services.attendance_record(
                actor=loader.officer, enrollment=made[0], absence_hours=Decimal(hours // 8)
            )
            if plan.group == TargetGroup.MIDDLE and first_middle and len(made) > 1:
                first_middle = False
                over = Decimal(hours) / 7 + Decimal(1)
                services.attendance_record(
                    actor=loader.officer, enrollment=made[1], absence_hours=over.quantize(Decimal("0.1"))
                )
            if end < today:
                ended.append(klass)
    for klass in ended[:-1]:
        _close(loader, klass)
