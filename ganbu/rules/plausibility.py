"""Plausibility of the dates of a cadre's record (出生、参加工作、入党、简历、任职、职级、奖惩、考核).

A typed date is refused when it cannot be true: a past fact dated in the future, or a fact dated
at an age at which the law does not allow it. Every check names the field and the fact in
Chinese, with the law and article that makes the age a limit.

The ages (named constants below, each with its basis):

- :data:`MINIMUM_WORKING_AGE` 16: 《中华人民共和国劳动法》第十五条 "禁止用人单位招用未满十六周岁的未成年人"
  (the same age as 《禁止使用童工规定》第二条). No one works, holds a post or a rank, is
  rewarded or sanctioned as a working person, or is a cadre at all, before it.
- :data:`MINIMUM_PARTY_AGE` 18: 《中国共产党章程》第一条 "年满十八岁的……先进分子……可以申请加入中国共产党".
- :data:`MINIMUM_RESUME_AGE` 14: the 简历 starts with study at a 大中专 school or with work (lrmx.md
  §5, the form's own convention). Nine-year compulsory schooling from age six (《义务教育法》第十一条)
  ends at fifteen; fourteen leaves a year for the shorter school systems of older cohorts. A
  judgement of plausibility, not a statutory age.
- :data:`MAXIMUM_AGE` 120: a birth date further back is a typing error (1085 for 1985), not a
  person; no one is known to have lived past 122.

Months. 参加工作时间, 入党时间 and the 简历 are recorded to the month (the form prints ``YYYY.MM``;
the stored date is the 1st). Such a date is "not in the future" while its month has begun, and
an age is reached "in that month" if the birthday falls within it: the day is unknown, so the
check gives the person the benefit of the doubt.

A tenure or a rank (任职、职级) is dated by the appointment document and may take effect later than
today (任职 "自某月某日起"), so it is not refused for being in the future; it is refused before
the working age and before 参加工作时间 (a post is work).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from .dates import age_on
from .workdays import cn_date

#: 《中华人民共和国劳动法》第十五条: no one may be employed before the age of sixteen.
MINIMUM_WORKING_AGE = 16
#: 《中国共产党章程》第一条: from the age of eighteen one may apply to join the Party.
MINIMUM_PARTY_AGE = 18
#: The 简历 starts with 大中专 study or work (lrmx.md §5); a county judgement, see the module doc.
MINIMUM_RESUME_AGE = 14
#: Older than anyone has lived: a typing error.
MAXIMUM_AGE = 120

#: Why an age limit holds, as the refusal says it.
WORK_BASIS = "《中华人民共和国劳动法》第十五条禁止招用未满十六周岁的未成年人"
PARTY_BASIS = "《中国共产党章程》第一条规定年满十八岁方可申请入党"
RESUME_BASIS = "简历自进入大中专院校学习或参加工作时填起"


class Precision(StrEnum):
    """How precisely a date was recorded: to the day, or to the month (stored as its 1st)."""

    DAY = "day"
    MONTH = "month"


@dataclass(frozen=True)
class DateProblem:
    """A refused date: the record field it belongs to and the Chinese sentence naming the fact."""

    field: str
    message: str


@dataclass(frozen=True)
class PersonDates:
    """The dates of a cadre that the other dates of the record are checked against.

    ``work_start`` and ``party_join`` are month dates (the 1st of the month), ``None`` if unknown.
    """

    birth: dt.date
    work_start: dt.date | None = None
    party_join: dt.date | None = None


def show(value: dt.date, precision: Precision = Precision.DAY) -> str:
    """A date as a message prints it: ``2030年1月1日``, or ``1998年7月`` for a month date."""
    if precision is Precision.MONTH:
        return f"{value.year}年{value.month}月"
    return cn_date(value)


def _latest_day(value: dt.date, precision: Precision) -> dt.date:
    """The latest day the recorded date may stand for (a month date: its month's last day)."""
    if precision is Precision.MONTH:
        return value.replace(day=calendar.monthrange(value.year, value.month)[1])
    return value


def age_at(birth: dt.date, value: dt.date, precision: Precision = Precision.DAY) -> int | None:
    """Full years (周岁) on ``value`` (at the end of its month for a month date); ``None`` before birth."""
    latest = _latest_day(value, precision)
    return age_on(birth, latest) if latest >= birth else None


def _in_future(value: dt.date, today: dt.date, precision: Precision) -> bool:
    if precision is Precision.MONTH:
        return (value.year, value.month) > (today.year, today.month)
    return value > today


def check_not_future(
    *, field: str, label: str, value: dt.date, today: dt.date, precision: Precision = Precision.DAY
) -> list[DateProblem]:
    """A past fact (born, started work, joined the Party, was decided) cannot be dated after today."""
    if _in_future(value, today, precision):
        return [
            DateProblem(
                field,
                f"{label} {show(value, precision)} 晚于今天（{cn_date(today)}），{label}不能是将来的日期。",
            )
        ]
    return []


def check_min_age(
    *,
    field: str,
    label: str,
    value: dt.date,
    birth: dt.date,
    minimum: int,
    basis: str,
    precision: Precision = Precision.DAY,
) -> list[DateProblem]:
    """The fact dated ``value`` needs the person to be ``minimum`` 周岁 by then (``basis`` says why)."""
    age = age_at(birth, value, precision)
    if age is None:
        return [DateProblem(field, f"{label} {show(value, precision)} 早于出生日期 {cn_date(birth)}。")]
    if age < minimum:
        return [
            DateProblem(
                field,
                f"{label} {show(value, precision)} 时年仅 {age} 周岁（出生日期 {cn_date(birth)}），"
                f"未满 {minimum} 周岁：{basis}。",
            )
        ]
    return []


def check_person(person: PersonDates, *, today: dt.date) -> list[DateProblem]:
    """The cadre's own dates: born, started work and joined the Party in the past, at a lawful age.

    - 出生日期 not after today, not more than :data:`MAXIMUM_AGE` years ago, and the cadre at least
      :data:`MINIMUM_WORKING_AGE` today (《劳动法》第十五条: a cadre works).
    - 参加工作时间 not in the future, at :data:`MINIMUM_WORKING_AGE` or later (《劳动法》第十五条).
    - 入党时间 not in the future, at :data:`MINIMUM_PARTY_AGE` or later (《中国共产党章程》第一条).
    """
    problems = check_not_future(field="birth_date", label="出生日期", value=person.birth, today=today)
    if problems:
        return problems
    age = age_on(person.birth, today)
    if age > MAXIMUM_AGE:
        problems.append(
            DateProblem(
                "birth_date",
                f"出生日期 {cn_date(person.birth)} 表示今年已 {age} 周岁，超过 {MAXIMUM_AGE} 周岁，"
                "请核对出生年份。",
            )
        )
    elif age < MINIMUM_WORKING_AGE:
        problems.append(
            DateProblem(
                "birth_date",
                f"出生日期 {cn_date(person.birth)} 表示今天年仅 {age} 周岁，未满 {MINIMUM_WORKING_AGE} 周岁："
                f"{WORK_BASIS}，不能登记为干部。",
            )
        )
    for field, label, value, minimum, basis in (
        ("work_start_date", "参加工作时间", person.work_start, MINIMUM_WORKING_AGE, WORK_BASIS),
        ("party_join_date", "入党时间", person.party_join, MINIMUM_PARTY_AGE, PARTY_BASIS),
    ):
        if value is None:
            continue
        found = check_not_future(
            field=field, label=label, value=value, today=today, precision=Precision.MONTH
        )
        found = found or check_min_age(
            field=field,
            label=label,
            value=value,
            birth=person.birth,
            minimum=minimum,
            basis=basis,
            precision=Precision.MONTH,
        )
        problems += found
    return problems


def check_resume_entry(
    person: PersonDates, *, start: dt.date, end: dt.date | None, today: dt.date
) -> list[DateProblem]:
    """A line of the 简历 (month dates): begun and ended in the past, begun at a plausible age.

    An entry still running has no end ("至今"); an end in the future is refused because the 简历
    records what happened (an entry that is still running is left open). The earliest line is at
    :data:`MINIMUM_RESUME_AGE` (大中专 study; see the module doc).
    """
    problems = check_not_future(
        field="start_date", label="起始年月", value=start, today=today, precision=Precision.MONTH
    )
    problems = problems or check_min_age(
        field="start_date",
        label="起始年月",
        value=start,
        birth=person.birth,
        minimum=MINIMUM_RESUME_AGE,
        basis=RESUME_BASIS,
        precision=Precision.MONTH,
    )
    if end is not None and _in_future(end, today, Precision.MONTH):
        problems.append(
            DateProblem(
                "end_date",
                f"终止年月 {show(end, Precision.MONTH)} 晚于今天（{cn_date(today)}）；"
                "仍在进行的经历请将终止年月留空。",
            )
        )
    return problems


def check_appointment(
    person: PersonDates, *, field: str, label: str, on: dt.date, work_field: str | None = None
) -> list[DateProblem]:
    """A tenure or a rank taking effect on ``on``: at the working age and not before 参加工作时间.

    ``label`` names the fact, e.g. ``任职「县财政局副局长」的生效日期``. Not checked against today:
    an appointment may take effect on a later day (任职 "自某月某日起"). A problem with the work
    start is reported under ``work_field`` (default ``field``): when the record's 参加工作时间 is
    being changed, that is the field at fault.
    """
    problems = check_min_age(
        field=field, label=label, value=on, birth=person.birth, minimum=MINIMUM_WORKING_AGE, basis=WORK_BASIS
    )
    if problems:
        return problems
    start = person.work_start
    if start is not None and (on.year, on.month) < (start.year, start.month):
        problems.append(
            DateProblem(
                work_field or field,
                f"{label} {cn_date(on)} 早于参加工作时间 {show(start, Precision.MONTH)}："
                "任职和职级不能早于参加工作。",
            )
        )
    return problems


def check_decision(
    person: PersonDates, *, field: str, label: str, on: dt.date, today: dt.date
) -> list[DateProblem]:
    """A decision about the person (a reward, a sanction, entry into the reserve pool): made in the
    past, and at the working age (《劳动法》第十五条: these are decisions about a working person)."""
    problems = check_not_future(field=field, label=label, value=on, today=today)
    return problems or check_min_age(
        field=field, label=label, value=on, birth=person.birth, minimum=MINIMUM_WORKING_AGE, basis=WORK_BASIS
    )


def check_assessment_year(person: PersonDates, *, year: int, today: dt.date) -> list[DateProblem]:
    """An annual assessment (年度考核) is of a year that has begun, in which the cadre was working."""
    if year > today.year:
        return [
            DateProblem("year", f"{year}年度尚未开始（今天是{cn_date(today)}），不能登记该年度的考核结果。")
        ]
    start = person.work_start
    if start is not None and year < start.year:
        return [
            DateProblem(
                "year",
                f"{year}年度早于参加工作时间 {show(start, Precision.MONTH)}，参加工作前没有年度考核。",
            )
        ]
    return []


def check_relative_birth(*, value: dt.date, today: dt.date) -> list[DateProblem]:
    """A family member's 出生年月 (a month date) is not in the future."""
    return check_not_future(
        field="birth_date", label="出生年月", value=value, today=today, precision=Precision.MONTH
    )
