"""Request and response schemas of the training API (教育培训), in the conventions of ``schemas``:
strict inputs (unknown fields refused, texts bounded, dates 1900–2100), codes in outputs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from ninja import Field, Schema

from ganbu.training.choices import (
    ClassStatus,
    EnrollmentStatus,
    Mode,
    Organizer,
    Purpose,
    Result,
    TargetGroup,
)

from .schemas import Date, Id, InputSchema, Name200, Ref, Text2000

if TYPE_CHECKING:
    TargetGroupCode = str
    PurposeCode = str
    OrganizerCode = str
    ModeCode = str
    ResultCode = str
else:
    TargetGroupCode = Literal[tuple(TargetGroup.values)]
    PurposeCode = Literal[tuple(Purpose.values)]
    OrganizerCode = Literal[tuple(Organizer.values)]
    ModeCode = Literal[tuple(Mode.values)]
    ResultCode = Literal[tuple(Result.values)]


class TrainingProgramIn(InputSchema):
    """One line of the year's training plan."""

    title: Name200 = Field(description="培训项目名称")
    year: int = Field(ge=2000, le=2100, description="年度")
    target_group: TargetGroupCode = Field(description="培训对象")
    purpose: PurposeCode = Field(description="培训类别：轮训、任职培训、专题培训")
    organizer: OrganizerCode = Field(description="主办单位")
    mode: ModeCode = Field(description="培训方式：脱产、网络、在职")
    note: Text2000 = ""


class TrainingProgramOut(Schema):
    """A program of the plan."""

    id: int
    title: str
    year: int
    target_group: str
    purpose: str
    organizer: str
    mode: str
    note: str
    label: str

    @staticmethod
    def resolve_label(obj: Any) -> str:
        """对象 · 类别 · 主办 · 方式 in Chinese."""
        return (
            f"{TargetGroup(obj.target_group).label} · {Purpose(obj.purpose).label} · "
            f"{Organizer(obj.organizer).label} · {Mode(obj.mode).label}"
        )


class TrainingClassIn(InputSchema):
    """A class of a program."""

    title: Name200 = Field(description="班次名称")
    start_date: Date = Field(description="开班日期")
    end_date: Date = Field(description="结业日期（最后一天）")
    total_hours: Decimal = Field(gt=0, le=2000, max_digits=5, decimal_places=1, description="总学时")
    capacity: int = Field(ge=1, le=2000, description="计划人数")
    place: str = Field("", max_length=200, description="培训地点")


class TrainingClassOut(Schema):
    """A class with its days, hours, capacity and status; ``absence_limit`` is 1/7 of its hours (TRN-04)."""

    id: int
    program_id: int
    title: str
    start_date: dt.date
    end_date: dt.date
    days: int
    total_hours: Decimal
    capacity: int
    place: str
    status: str
    status_label: str
    closed_on: dt.date | None
    absence_limit: str

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        """The status in Chinese."""
        return str(ClassStatus(obj.status).label)

    @staticmethod
    def resolve_absence_limit(obj: Any) -> str:
        """The most leave allowed, as a fraction of hours written exactly (e.g. 10, 40/7)."""
        from fractions import Fraction

        return str(Fraction(obj.total_hours) / 7)


class TrainingEnrollIn(InputSchema):
    """Cadres to enrol (all or none)."""

    cadre_ids: list[Id] = Field(min_length=1, max_length=2000, description="干部 id 列表")


class TrainingEnrollmentOut(Schema):
    """A trainee: status, leave, result, hours credited, certificate. ``rule`` is TRN-04 when withdrawn."""

    id: int
    class_id: int
    cadre: Ref
    unit: Ref
    status: str
    status_label: str
    absence_hours: Decimal
    withdrawn_reason: str
    rule: str
    result: str
    score: Decimal | None
    hours_credited: Decimal
    certificate_no: str

    @staticmethod
    def resolve_class_id(obj: Any) -> int:
        """The class's id."""
        return int(obj.training_class_id)

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        """The status in Chinese."""
        return str(EnrollmentStatus(obj.status).label)

    @staticmethod
    def resolve_rule(obj: Any) -> str:
        """The rule that withdrew the trainee, if any."""
        return "TRN-04" if obj.status == EnrollmentStatus.WITHDRAWN else ""


class TrainingAttendanceIn(InputSchema):
    """A trainee's leave so far."""

    absence_hours: Decimal = Field(ge=0, le=2000, max_digits=5, decimal_places=1, description="累计请假学时")


class TrainingResultIn(InputSchema):
    """One trainee's result when the class closes."""

    enrollment_id: Id
    result: ResultCode = Field(description="优秀、合格、不合格、未参训")
    score: Decimal | None = Field(None, ge=0, le=100, max_digits=4, decimal_places=1)


class TrainingCloseIn(InputSchema):
    """Close a class; trainees without a result are 合格."""

    closed_on: Date
    results: list[TrainingResultIn] = Field(default_factory=list, max_length=2000)


class TrainingCoverageOut(Schema):
    """The county's cycle (TRN-07) for the caller's scope: totals, share and the window."""

    on: dt.date
    cycle_years: int
    first: dt.date
    total: int
    trained: int
    untrained: int
    share: str
    rule: str = "TRN-07"


class TrainingNotTrainedOut(Schema):
    """A serving cadre not trained within the cycle, with the end of their last class."""

    id: int
    name: str
    unit: Ref
    rank: str
    last_trained: dt.date | None


class TrainingHoursOut(Schema):
    """One cadre's hours in a year and in the five years to the check day against their quota."""

    cadre: Ref
    year: int
    level: str
    rule: str
    year_days: int
    year_hours: str
    five_days: int
    five_hours: str
    online_hours: str
    short: bool
    shortfall: str


class TrainingAppointmentDueOut(Schema):
    """A promoted cadre without appointment training (TRN-03/06)."""

    cadre: Ref
    rank: str
    promoted_on: dt.date
    due_on: dt.date
    overdue: bool
    rule: str = "TRN-03"
