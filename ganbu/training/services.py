"""Training services: the only code that writes programs, classes, enrollments, attendance and results.

Each public service is keyword-only, takes the acting user, runs in one durable transaction,
checks ``Cap.TRAINING_MANAGE`` (and the cadres' scope) inside it and writes an audit event. Errors
are ``ServiceError`` with Chinese messages naming the rule and the failing fact; a refusal writes
nothing (an enrollment batch, an attendance import and a class's results are all or none).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db import transaction

from ganbu.accounts.models import User
from ganbu.core.access import Cap, cadres_for, has_cap
from ganbu.core.audit import audit_record, model_snapshot
from ganbu.core.errors import ServiceError
from ganbu.registry.choices import CadreStatus
from ganbu.rules import training as rules
from ganbu.rules.citations import plain
from ganbu.rules.workdays import cn_date

from .choices import ClassStatus, EnrollmentStatus, Mode, Organizer, Purpose, Result, TargetGroup
from .models import Enrollment, TrainingClass, TrainingProgram

MSG_NO_CAP = "只有组织部干部教育科（干部科）工作人员可以安排培训。"
MSG_TITLE = "请填写名称。"
MSG_YEAR = "年度应在2000年至2100年之间。"
MSG_CHOICE = "{label}「{value}」不正确。"
MSG_DATES = "结业日期不能早于开班日期。"
MSG_CLASS_YEAR = "开班日期{date}不在培训项目的年度（{year}年）内。"
MSG_HOURS = "总学时应为大于0、不超过2000的数，最多一位小数。"
MSG_CAPACITY = "计划人数应为1至2000之间的整数。"
MSG_CLOSED = "班次「{title}」已于{date}结业，不能再更改。"
MSG_NONE = "请选择参训干部。"
MSG_OUT_OF_SCOPE = "所选干部中有{count}人不存在或不在您的管理范围内，没有报名任何人。"
MSG_NOT_SERVING = "{name}不是在职干部（{status}），不能参加培训。"
MSG_DUPLICATE = "{name}已在班次「{title}」中，不能重复报名。"
MSG_CAPACITY_FULL = (
    "班次「{title}」计划{capacity}人，已报名{taken}人，再报名{asked}人将超过计划人数，没有报名任何人。"
)
MSG_ABSENCE = "请假学时应为0至班次总学时（{total}）之间的数，最多一位小数。"
MSG_NOT_ENROLLED = "{name}的状态是“{status}”，只能为在学学员登记请假。"
MSG_ENROLLMENT_CLASS = "{name}不是班次「{title}」的学员。"
MSG_RESULT = "{name}的结业成绩「{value}」不正确。"
MSG_SCORE = "{name}的考试成绩应为0至100之间的数，最多一位小数。"
MSG_CLOSE_EARLY = "班次「{title}」{date}结束，结业登记日期不能早于结束日期。"

ONE_PLACE = Decimal("0.1")


def _fail(message: str | list[str], field: str | None = None) -> ServiceError:
    if field:
        return ServiceError({field: message if isinstance(message, list) else [message]})
    return ServiceError(message)


def _require_manage(actor: User) -> None:
    if not has_cap(actor, Cap.TRAINING_MANAGE):
        raise _fail(MSG_NO_CAP)


def _choice(value: str, choices: type, label: str, field: str) -> str:
    if value not in choices.values:  # type: ignore[attr-defined]
        raise _fail(MSG_CHOICE.format(label=label, value=value), field)
    return value


def _hours(value: object, *, maximum: Decimal, message: str, field: str) -> Decimal:
    """A Decimal with at most one decimal place in [0, maximum]; anything else refused with ``message``."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise _fail(message, field)
    number = Decimal(value)
    if not number.is_finite() or number < 0 or number > maximum or number != number.quantize(ONE_PLACE):
        raise _fail(message, field)
    return number


def _audit(
    actor: User, target: object, before: dict[str, object] | None = None, *, event: str, **extra: object
) -> None:
    after = model_snapshot(target) | extra  # type: ignore[arg-type]
    cadre_id = getattr(target, "cadre_id", None)
    unit_id = getattr(target, "unit_id", None)
    audit_record(
        actor=actor,
        event_type=event,
        target=target,  # type: ignore[arg-type]
        before=before,
        after=after,
        cadre_id=cadre_id,
        unit_id=unit_id,
    )


# ---------------------------------------------------------------- programs and classes


@transaction.atomic(durable=True)
def program_create(
    *,
    actor: User,
    title: str,
    year: int,
    target_group: str,
    purpose: str,
    organizer: str,
    mode: str,
    note: str = "",
) -> TrainingProgram:
    """Add one line to the year's training plan."""
    _require_manage(actor)
    if not title.strip():
        raise _fail(MSG_TITLE, "title")
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise _fail(MSG_YEAR, "year")
    program = TrainingProgram.objects.create(
        title=title.strip()[:200],
        year=year,
        target_group=_choice(target_group, TargetGroup, "培训对象", "target_group"),
        purpose=_choice(purpose, Purpose, "培训类别", "purpose"),
        organizer=_choice(organizer, Organizer, "主办单位", "organizer"),
        mode=_choice(mode, Mode, "培训方式", "mode"),
        note=note.strip(),
        created_by=actor,
    )
    _audit(actor, program, event="training.program_created")
    return program


@transaction.atomic(durable=True)
def class_create(
    *,
    actor: User,
    program: TrainingProgram,
    title: str,
    start_date: dt.date,
    end_date: dt.date,
    total_hours: Decimal | int,
    capacity: int,
    place: str = "",
) -> TrainingClass:
    """Open a class of a program; its days are counted from the dates (both ends included)."""
    _require_manage(actor)
    if not title.strip():
        raise _fail(MSG_TITLE, "title")
    if not isinstance(start_date, dt.date) or not isinstance(end_date, dt.date) or end_date < start_date:
        raise _fail(MSG_DATES, "end_date")
    if start_date.year != program.year:
        raise _fail(MSG_CLASS_YEAR.format(date=cn_date(start_date), year=program.year), "start_date")
    hours = _hours(total_hours, maximum=Decimal(2000), message=MSG_HOURS, field="total_hours")
    if hours == 0:
        raise _fail(MSG_HOURS, "total_hours")
    if isinstance(capacity, bool) or not isinstance(capacity, int) or not 1 <= capacity <= 2000:
        raise _fail(MSG_CAPACITY, "capacity")
    klass = TrainingClass.objects.create(
        program=program,
        title=title.strip()[:200],
        start_date=start_date,
        end_date=end_date,
        days=(end_date - start_date).days + 1,
        total_hours=hours,
        capacity=capacity,
        place=place.strip()[:200],
        created_by=actor,
    )
    _audit(actor, klass, event="training.class_created")
    return klass


def _locked_open_class(klass: TrainingClass) -> TrainingClass:
    """The class, locked (enrollment and closing race), refused once closed."""
    locked = TrainingClass.objects.select_for_update().get(pk=klass.pk)
    if locked.status == ClassStatus.CLOSED:
        closed = cn_date(locked.closed_on) if locked.closed_on else ""
        raise _fail(MSG_CLOSED.format(title=locked.title, date=closed))
    return locked


# ---------------------------------------------------------------- enrollment


@transaction.atomic(durable=True)
def enroll(*, actor: User, training_class: TrainingClass, cadre_ids: Sequence[int]) -> list[Enrollment]:
    """Enroll cadres (from the registry, a list of ids or a filtered roster) in an open class.

    All or none: refused when any cadre is out of the actor's scope or not in service, already in
    the class, or when the class would exceed its capacity.
    """
    _require_manage(actor)
    klass = _locked_open_class(training_class)
    ids = list(dict.fromkeys(int(i) for i in cadre_ids))
    if not ids:
        raise _fail(MSG_NONE, "cadres")
    cadres = list(cadres_for(actor).filter(pk__in=ids).order_by("id"))
    if len(cadres) != len(ids):
        raise _fail(MSG_OUT_OF_SCOPE.format(count=len(ids) - len(cadres)), "cadres")
    problems = [
        MSG_NOT_SERVING.format(name=c.name, status=c.get_status_display())
        for c in cadres
        if c.status != CadreStatus.SERVING
    ]
    taken_ids = set(klass.enrollments.filter(cadre_id__in=ids).values_list("cadre_id", flat=True))
    problems += [MSG_DUPLICATE.format(name=c.name, title=klass.title) for c in cadres if c.pk in taken_ids]
    if problems:
        raise _fail(problems, "cadres")
    taken = klass.enrollments.count()
    if taken + len(cadres) > klass.capacity:
        raise _fail(
            MSG_CAPACITY_FULL.format(
                title=klass.title, capacity=klass.capacity, taken=taken, asked=len(cadres)
            ),
            "cadres",
        )
    made = Enrollment.objects.bulk_create(
        [Enrollment(training_class=klass, cadre=c, unit_id=c.unit_id, enrolled_by=actor) for c in cadres]
    )
    # One event for the batch, naming every trainee (a class of 300 is one 报名 decision, not 300).
    _audit(actor, klass, event="training.enrolled", trainees=[c.pk for c in cadres])
    return made


def enroll_roster(
    *, actor: User, training_class: TrainingClass, unit_id: int | None, ranks: Sequence[str] = ()
) -> list[Enrollment]:
    """Enroll every serving cadre of a filtered roster (a unit subtree and/or ranks) not yet in the class."""
    from ganbu.registry.models import Unit

    qs = cadres_for(actor).filter(status=CadreStatus.SERVING)
    if unit_id is not None:
        unit = Unit.objects.filter(pk=unit_id).first()
        qs = qs.filter(unit__path__startswith=unit.path) if unit is not None else qs.none()
    if ranks:
        qs = qs.filter(rank__in=list(ranks))
    ids = list(qs.exclude(training_enrollments__training_class=training_class).values_list("id", flat=True))
    return enroll(actor=actor, training_class=training_class, cadre_ids=ids)


# ---------------------------------------------------------------- attendance (TRN-04)


def _attendance_within(
    actor: User, klass: TrainingClass, enrollment: Enrollment, absence: object
) -> Enrollment:
    """Record one trainee's leave; above 1/7 of the class's hours the trainee is withdrawn (TRN-04)."""
    name = enrollment.cadre.name
    if enrollment.training_class_id != klass.pk:
        raise _fail(MSG_ENROLLMENT_CLASS.format(name=name, title=klass.title), "absence_hours")
    if enrollment.status != EnrollmentStatus.ENROLLED:
        raise _fail(
            MSG_NOT_ENROLLED.format(name=name, status=enrollment.get_status_display()), "absence_hours"
        )
    hours = _hours(
        absence,
        maximum=klass.total_hours,
        message=MSG_ABSENCE.format(total=klass.total_hours.normalize()),
        field="absence_hours",
    )
    before = model_snapshot(enrollment)
    enrollment.absence_hours = hours
    verdict = rules.check_absence(Fraction(klass.total_hours), Fraction(hours))
    withdrawn = not verdict.ok
    if withdrawn:
        reason = verdict.reasons[0]
        enrollment.status = EnrollmentStatus.WITHDRAWN
        enrollment.withdrawn_reason = f"{reason.message}（{plain(reason.citation)}）"[:400]
    enrollment.save(update_fields=["absence_hours", "status", "withdrawn_reason"])
    limit = str(rules.absence_limit(Fraction(klass.total_hours)))
    if withdrawn:
        _audit(actor, enrollment, before, event="training.withdrawn", absence_limit=limit)
    else:
        _audit(actor, enrollment, before, event="training.attendance_recorded", absence_limit=limit)
    return enrollment


@transaction.atomic(durable=True)
def attendance_record(*, actor: User, enrollment: Enrollment, absence_hours: Decimal | int) -> Enrollment:
    """Record a trainee's leave so far (学时); above 1/7 of the class hours ⇒ 退学, with the rule's words."""
    _require_manage(actor)
    if not cadres_for(actor).filter(pk=enrollment.cadre_id).exists():
        raise _fail(MSG_OUT_OF_SCOPE.format(count=1))
    klass = _locked_open_class(enrollment.training_class)
    locked = Enrollment.objects.select_for_update().select_related("cadre").get(pk=enrollment.pk)
    return _attendance_within(actor, klass, locked, absence_hours)


@transaction.atomic(durable=True)
def attendance_import(
    *,
    actor: User,
    training_class: TrainingClass,
    rows: Sequence[tuple[Enrollment, Decimal]],
    filename: str = "",
) -> int:
    """Record many trainees' leave from an Excel import: every row as ``attendance_record`` does, or none.

    A row over the 1/7 cap is not an error: that trainee is withdrawn, as on the page.
    """
    _require_manage(actor)
    klass = _locked_open_class(training_class)
    scope = set(cadres_for(actor).filter(pk__in=[e.cadre_id for e, _ in rows]).values_list("id", flat=True))
    problems: list[str] = []
    for enrollment, hours in rows:
        if enrollment.cadre_id not in scope:
            problems.append(f"{enrollment.cadre.name}：{MSG_OUT_OF_SCOPE.format(count=1)}")
            continue
        try:
            with transaction.atomic():
                _attendance_within(actor, klass, enrollment, hours)
        except ServiceError as exc:
            problems.extend(
                f"{enrollment.cadre.name}：{m}" if enrollment.cadre.name not in m else m for m in exc.messages
            )
    if problems:
        raise _fail(problems, "file")
    audit_record(
        actor=actor,
        event_type="training.attendance_imported",
        target=klass,
        after={"rows": len(rows), "filename": filename[:200]},
    )
    return len(rows)


# ---------------------------------------------------------------- closing a class


@dataclass(frozen=True)
class ResultInput:
    """A trainee's result when the class closes: 优秀 / 合格 / 不合格 / 未参训 and an optional score."""

    result: str
    score: Decimal | None = None


def certificate_number(klass: TrainingClass, seq: int) -> str:
    """结业证书编号: 年度 + 班次 + 序号, e.g. 「2026培字第012-003号」 (unique in the county)."""
    return f"{klass.start_date.year}培字第{klass.pk:03d}-{seq:03d}号"


@transaction.atomic(durable=True)
def class_complete(
    *,
    actor: User,
    training_class: TrainingClass,
    results: Mapping[int, ResultInput],
    closed_on: dt.date,
) -> TrainingClass:
    """Close a class: each trainee still 在学 gets a result (合格 when none is given).

    优秀/合格 ⇒ 已结业 with a numbered certificate and the class's hours less the leave credited;
    不合格 ⇒ 已结业 without a certificate, hours credited (they attended); 未参训 ⇒ no hours.
    Withdrawn trainees keep their status. ``results`` maps enrollment ids to results.
    """
    _require_manage(actor)
    klass = _locked_open_class(training_class)
    if not isinstance(closed_on, dt.date) or closed_on < klass.end_date:
        raise _fail(MSG_CLOSE_EARLY.format(title=klass.title, date=cn_date(klass.end_date)), "closed_on")
    enrollments = list(klass.enrollments.select_for_update().select_related("cadre").order_by("id"))
    known = {e.pk for e in enrollments}
    problems = [
        f"第{pk}条：{MSG_ENROLLMENT_CLASS.format(name='该学员', title=klass.title)}"
        for pk in results
        if pk not in known
    ]
    checked: dict[int, ResultInput] = {}
    for e in enrollments:
        given = results.get(e.pk, ResultInput(Result.PASSED))
        if given.result not in Result.values:
            problems.append(MSG_RESULT.format(name=e.cadre.name, value=given.result))
            continue
        if given.score is not None:
            try:
                _hours(given.score, maximum=Decimal(100), message="", field="score")
            except ServiceError:
                problems.append(MSG_SCORE.format(name=e.cadre.name))
                continue
        checked[e.pk] = given
    if problems:
        raise _fail(problems, "results")
    seq = 0
    changed: list[Enrollment] = []
    for e in enrollments:
        if e.status != EnrollmentStatus.ENROLLED:
            continue
        changed.append(e)
        given = checked[e.pk]
        e.result = given.result
        e.score = given.score
        if given.result == Result.ABSENT:
            e.status = EnrollmentStatus.ABSENT
            e.hours_credited = Decimal(0)
        else:
            e.status = EnrollmentStatus.COMPLETED
            e.hours_credited = klass.total_hours - e.absence_hours
            if given.result in (Result.EXCELLENT, Result.PASSED):
                seq += 1
                e.certificate_no = certificate_number(klass, seq)
    # Batches of 50: a CASE per row over a larger batch costs more than the round trips it saves.
    Enrollment.objects.bulk_update(
        changed, ["result", "score", "status", "hours_credited", "certificate_no"], batch_size=50
    )
    before = model_snapshot(klass)
    klass.status = ClassStatus.CLOSED
    klass.closed_on = closed_on
    klass.save(update_fields=["status", "closed_on"])
    _audit(actor, klass, before, event="training.class_closed", certificates=seq)
    return klass
