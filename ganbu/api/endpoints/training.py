"""教育培训: the year's programs and classes, enrolment, leave with the 1/7 cap (TRN-04), closing a
class with results and certificates, the county's cycle (TRN-07), a cadre's hours against the quotas
(TRN-01/02) and training record, appointment training due (TRN-03/06).

Every operation calls ``ganbu.training.services`` or ``ganbu.training.selectors``. A service's
refusal is a 422 with its Chinese message; a class, an enrollment or a cadre out of scope is a 404;
the operations do not exist (404) for roles without ``Cap.TRAINING_VIEW``, and writes need
``Cap.TRAINING_MANAGE`` (a reader's write is refused by the service, 422).
"""

from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router
from ninja.params import functions as param
from ninja.responses import Status

from ganbu.accounts.models import User
from ganbu.registry.choices import Rank
from ganbu.training import selectors, services

from ..common import READ_ERRORS, WRITE_ERRORS, actor
from ..pagination import paginated
from ..schemas import MAX_ID
from ..schemas_training import (
    TrainingAppointmentDueOut,
    TrainingAttendanceIn,
    TrainingClassIn,
    TrainingClassOut,
    TrainingCloseIn,
    TrainingCoverageOut,
    TrainingEnrollIn,
    TrainingEnrollmentOut,
    TrainingHoursOut,
    TrainingNotTrainedOut,
    TrainingProgramIn,
    TrainingProgramOut,
)

router = Router(tags=["教育培训"])

MSG_NOT_FOUND = "页面不存在或无权访问。"

ProgramId = param.Path(..., ge=1, le=MAX_ID, description="培训项目 id")
ClassId = param.Path(..., ge=1, le=MAX_ID, description="班次 id")
EnrollmentId = param.Path(..., ge=1, le=MAX_ID, description="学员报名 id")
CadreId = param.Path(..., ge=1, le=MAX_ID, description="干部 id")
YearFilter = param.Query(None, ge=2000, le=2100, description="年度（默认今年）")
UnitFilter = param.Query(None, ge=1, le=MAX_ID, description="单位 id（含下级）")
RankFilter = param.Query(None, description="职级代码")


def _require(user: User) -> None:
    if not selectors.sees_training(user):
        raise Http404(MSG_NOT_FOUND)


def _rank(rank: str | None) -> str:
    return rank if rank in Rank.values else ""


@router.get(
    "/training/programs",
    response={200: list[TrainingProgramOut], **READ_ERRORS},
    summary="年度培训计划（培训项目）",
    operation_id="training_program_list",
)
def program_list(request: HttpRequest, year: int | None = YearFilter) -> Any:
    """The year's programs (this year by default)."""
    user = actor(request)
    _require(user)
    return selectors.programs_of_year(user=user, year=year or timezone.localdate().year)


@router.post(
    "/training/programs",
    response={201: TrainingProgramOut, **WRITE_ERRORS},
    summary="登记培训项目",
    operation_id="training_program_create",
)
def program_create(request: HttpRequest, payload: TrainingProgramIn) -> Any:
    """Add a program to a year's plan (``services.program_create``)."""
    user = actor(request)
    _require(user)
    return Status(201, services.program_create(actor=user, **payload.dict()))


@router.post(
    "/training/programs/{program_id}/classes",
    response={201: TrainingClassOut, **WRITE_ERRORS},
    summary="开设培训班次",
    operation_id="training_class_create",
)
def class_create(request: HttpRequest, payload: TrainingClassIn, program_id: int = ProgramId) -> Any:
    """Open a class of a program (``services.class_create``)."""
    user = actor(request)
    _require(user)
    program = selectors.program_get(user=user, program_id=program_id)
    return Status(201, services.class_create(actor=user, program=program, **payload.dict()))


@router.get(
    "/training/classes/{class_id}",
    response={200: TrainingClassOut, **READ_ERRORS},
    summary="培训班次详情",
    operation_id="training_class_get",
)
def class_get(request: HttpRequest, class_id: int = ClassId) -> Any:
    """One class."""
    user = actor(request)
    return selectors.class_get(user=user, class_id=class_id)


@router.get(
    "/training/classes/{class_id}/enrollments",
    response={200: list[TrainingEnrollmentOut], **READ_ERRORS},
    summary="班次学员（本人管理范围内）",
    operation_id="training_enrollment_list",
)
@paginated
def enrollment_list(request: HttpRequest, class_id: int = ClassId) -> Any:
    """The class's trainees in the caller's scope."""
    user = actor(request)
    klass = selectors.class_get(user=user, class_id=class_id)
    return selectors.class_roster(user=user, training_class=klass)


@router.post(
    "/training/classes/{class_id}/enrollments",
    response={201: list[TrainingEnrollmentOut], **WRITE_ERRORS},
    summary="报名参训（全部成功或全部不报名）",
    operation_id="training_enroll",
)
def enroll(request: HttpRequest, payload: TrainingEnrollIn, class_id: int = ClassId) -> Any:
    """Enrol cadres in an open class: refused over capacity, for a duplicate or a cadre out of scope."""
    user = actor(request)
    klass = selectors.class_get(user=user, class_id=class_id)
    made = services.enroll(actor=user, training_class=klass, cadre_ids=payload.cadre_ids)
    return Status(
        201, list(selectors.class_roster(user=user, training_class=klass).filter(pk__in=[e.pk for e in made]))
    )


@router.post(
    "/training/enrollments/{enrollment_id}/attendance",
    response={200: TrainingEnrollmentOut, **WRITE_ERRORS},
    summary="登记请假学时（超过总学时七分之一的退学）",
    operation_id="training_attendance_record",
)
def attendance(request: HttpRequest, payload: TrainingAttendanceIn, enrollment_id: int = EnrollmentId) -> Any:
    """Record a trainee's leave so far (``services.attendance_record``)."""
    user = actor(request)
    enrollment = selectors.enrollment_get(user=user, enrollment_id=enrollment_id)
    services.attendance_record(actor=user, enrollment=enrollment, absence_hours=payload.absence_hours)
    return selectors.enrollment_get(user=user, enrollment_id=enrollment_id)


@router.post(
    "/training/classes/{class_id}/close",
    response={200: TrainingClassOut, **WRITE_ERRORS},
    summary="登记结业（成绩与结业证书）",
    operation_id="training_class_close",
)
def class_close(request: HttpRequest, payload: TrainingCloseIn, class_id: int = ClassId) -> Any:
    """Close a class with results (``services.class_complete``)."""
    user = actor(request)
    klass = selectors.class_get(user=user, class_id=class_id)
    results = {r.enrollment_id: services.ResultInput(r.result, r.score) for r in payload.results}
    services.class_complete(actor=user, training_class=klass, results=results, closed_on=payload.closed_on)
    return selectors.class_get(user=user, class_id=class_id)


@router.get(
    "/training/coverage",
    response={200: TrainingCoverageOut, **READ_ERRORS},
    summary="在职干部轮训覆盖情况",
    operation_id="training_coverage",
)
def coverage(request: HttpRequest, unit_id: int | None = UnitFilter, rank: str | None = RankFilter) -> Any:
    """The share of serving cadres in scope trained within the county's cycle (TRN-07)."""
    user = actor(request)
    found = selectors.coverage(user=user, on=timezone.localdate(), unit_id=unit_id, rank=_rank(rank))
    return {
        "on": found.on,
        "cycle_years": found.cycle_years,
        "first": found.first,
        "total": found.total,
        "trained": found.trained,
        "untrained": found.untrained,
        "share": str(found.share),
    }


@router.get(
    "/training/coverage/not-trained",
    response={200: list[TrainingNotTrainedOut], **READ_ERRORS},
    summary="轮训周期内尚未培训的在职干部",
    operation_id="training_not_trained",
)
@paginated
def not_trained(request: HttpRequest, unit_id: int | None = UnitFilter, rank: str | None = RankFilter) -> Any:
    """Serving cadres in scope not trained within the cycle, in name order."""
    user = actor(request)
    return selectors.not_trained(user=user, on=timezone.localdate(), unit_id=unit_id, rank=_rank(rank))


@router.get(
    "/training/cadres/{cadre_id}/hours",
    response={200: TrainingHoursOut, **READ_ERRORS},
    summary="干部培训学时（年度与五年）",
    operation_id="training_cadre_hours",
)
def cadre_hours(request: HttpRequest, cadre_id: int = CadreId, year: int | None = YearFilter) -> Any:
    """One cadre's hours against the quota of their level (TRN-01 or TRN-02)."""
    user = actor(request)
    today = timezone.localdate()
    found = year or today.year
    cadre = selectors.cadre_in_scope(user=user, cadre_id=cadre_id)
    (row,) = selectors.hours_rows([cadre], year=found, today=today)
    return {
        "cadre": cadre,
        "year": found,
        "level": row.level.value,
        "rule": "TRN-01" if row.level.value == "county" else "TRN-02",
        "year_days": row.year_days,
        "year_hours": row.year_hours_text,
        "five_days": row.five_days,
        "five_hours": row.five_hours_text,
        "online_hours": row.online_hours_text,
        "short": row.short,
        "shortfall": row.shortfall,
    }


@router.get(
    "/training/cadres/{cadre_id}/record",
    response={200: list[TrainingEnrollmentOut], **READ_ERRORS},
    summary="干部培训档案",
    operation_id="training_cadre_record",
)
def cadre_record(request: HttpRequest, cadre_id: int = CadreId) -> Any:
    """Every class of the cadre, newest first."""
    user = actor(request)
    return selectors.cadre_record(user=user, cadre_id=cadre_id)


@router.get(
    "/training/appointment-due",
    response={200: list[TrainingAppointmentDueOut], **READ_ERRORS},
    summary="待完成的任职培训",
    operation_id="training_appointment_due",
)
def appointment_due(request: HttpRequest) -> Any:
    """Promoted cadres whose appointment training is due or overdue (TRN-03/06)."""
    user = actor(request)
    return [
        {
            "cadre": row.cadre,
            "rank": row.rank,
            "promoted_on": row.promoted_on,
            "due_on": row.due_on,
            "overdue": row.overdue,
        }
        for row in selectors.appointment_due(user=user, on=timezone.localdate())
    ]
