"""Statutory retirement (法定退休) and the county's 离岗退养 (early exit from leadership).

- RET-01 (公务员法 第九十二条, Q-law): a civil servant who reaches the statutory age retires.
- RET-02 (公务员法 第九十三条, Q-law): voluntary early retirement needs 30 years of work, or fewer
  than 5 years to the statutory age and 20 years of work.
- RET-03 (全国人大常委会《关于实施渐进式延迟法定退休年龄的决定》, 2024-09-13, in force 2025-01-01;
  rules.md confidence **S**, the text was seen only quoted): men 60 → 63 and women whose original
  age was 55 → 58, one month later per 4 months of birth; women whose original age was 50 → 55,
  one month later per 2 months of birth.
- RET-04 (中组部、人社部 2015-03 通知, S): 正副县处级 women cadres (and women with senior titles)
  retire at 60 (may choose 55).
- RET-06 (the seed county's own rule, no national basis found): 离岗退养 of leaders at 55 (men) /
  50 (women).

Ages are 周岁 as in :mod:`ganbu.rules.dates`: an age is reached on the birthday, and a 29 February
birthday falls on 1 March in a common year (:func:`add_age`, used for 离岗退养 and probation).

Statutory retirement is reached in a **month**. The official 对照表 of the gradual schedule
(人力资源社会保障部, with the 2024 decision) lists, per birth month, the age and the 改革后退休时间
as a year and a month: a man born in January 1965 retires in February 2025, whatever his day of
birth. So the retirement month is the birth month plus the age in months
(:func:`statutory_retirement_month`); a retirement dated any day of that month is lawful
(:func:`retirement_due`). The day shown as 法定退休日期 (:func:`statutory_retirement_date`) is the
same day of the month as the birth, or the month's last day when it has no such day (31 January
1965 → 28 February 2025; 29 February → 28 February in a common year), never a day of the next
month — the same clamp as 《民法典》第二百零二条 for periods counted in months.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from . import inputs
from .dates import age_on
from .types import Reason, Verdict
from .workdays import cn_date

#: The day the 2024 decision's gradual schedule took effect (RET-03).
REFORM_IN_FORCE = dt.date(2025, 1, 1)

_CITE_RET_02 = (
    "《公务员法》(2018) 第九十三条：工作年限满三十年，或距国家规定的退休年龄不足五年且工作年限满二十年的，"
    "本人自愿提出申请，经任免机关批准，可以提前退休（rules.md RET-02，置信度 Q-law）"
)


class Gender(StrEnum):
    """性别 as recorded on the 任免审批表."""

    MALE = "male"
    FEMALE = "female"

    @property
    def label(self) -> str:
        """``男`` or ``女``."""
        return "男" if self is Gender.MALE else "女"


def parse_gender(value: str | Gender) -> Gender:
    """A :class:`Gender` from ``男``/``女``, ``male``/``female`` or a member; ``ValueError`` otherwise."""
    if isinstance(value, Gender):
        return value
    text = inputs.text(value, "性别").strip().lower()
    if text in ("男", "male", "m"):
        return Gender.MALE
    if text in ("女", "female", "f"):
        return Gender.FEMALE
    raise inputs.RuleInputError(f"无法识别的性别“{value}”，应为“男”或“女”。")


class RetirementCategory(StrEnum):
    """Which statutory retirement age applies (RET-03, RET-04)."""

    MALE = "male"
    FEMALE_55 = "female_55"
    FEMALE_50 = "female_50"
    FEMALE_DIVISION_60 = "female_division_60"

    @property
    def label(self) -> str:
        """The category in Chinese."""
        return {
            "male": "男职工",
            "female_55": "原法定退休年龄为五十五周岁的女职工（女干部）",
            "female_50": "原法定退休年龄为五十周岁的女职工",
            "female_division_60": "正副县处级女干部（六十周岁退休）",
        }[self.value]


def retirement_category(
    gender: str | Gender, *, county_division_level: bool = False, original_female_age: int = 55
) -> RetirementCategory:
    """The category of a cadre: men; women at 县处级 (RET-04, S); other women by original age.

    Women cadres (干部) originally retired at 55, women workers (工人) at 50: pass
    ``original_female_age=50`` for the latter. Raises ``ValueError`` for another original age.
    """
    inputs.flag(county_division_level, "是否正副县处级")
    inputs.whole(original_female_age, "女职工原法定退休年龄")
    if parse_gender(gender) is Gender.MALE:
        return RetirementCategory.MALE
    if county_division_level:
        return RetirementCategory.FEMALE_DIVISION_60
    if original_female_age == 55:
        return RetirementCategory.FEMALE_55
    if original_female_age == 50:
        return RetirementCategory.FEMALE_50
    raise inputs.RuleInputError(f"女职工原法定退休年龄只能是五十或五十五周岁，实际为 {original_female_age}。")


@dataclass(frozen=True)
class _Schedule:
    """A gradual schedule: ``original`` years, +1 month per ``months_per_step`` months of birth from
    ``first_cohort`` (year, month), up to ``target`` years."""

    original: int
    target: int
    first_cohort: tuple[int, int]
    months_per_step: int


_SCHEDULES: dict[RetirementCategory, _Schedule] = {
    RetirementCategory.MALE: _Schedule(60, 63, (1965, 1), 4),
    RetirementCategory.FEMALE_55: _Schedule(55, 58, (1970, 1), 4),
    RetirementCategory.FEMALE_50: _Schedule(50, 55, (1975, 1), 2),
}


def statutory_retirement_age(
    birth: dt.date, category: RetirementCategory, *, as_of: dt.date | None = None
) -> tuple[int, int]:
    """The statutory retirement age as (years, months) (RET-03 S; RET-04 S).

    The 2024 decision's 对照表 starts each schedule with the cohort whose original retirement
    month falls in January 2025: men born January 1965 (60 → 60y1m), women of original age 55
    born January 1970 (→ 55y1m), of original age 50 born January 1975 (→ 50y1m). Each later group
    of 4 (resp. 2) birth months adds a month until the cap: men born 1976-09 or later retire at
    63, women (55) born 1981-09 or later at 58, women (50) born 1984-11 or later at 55. Earlier
    cohorts keep the original age. This reading of the schedule is from the decision text as
    quoted on secondary pages (rules.md S); the official 对照表 was not seen.

    ``as_of`` before 2025-01-01 applies the law then in force (no delay), for reconstructing
    past cases. RET-04 (60 for 县处级 women) is returned unchanged: the decision's schedule for
    women never exceeds 58, and how the two interact is not researched (rules.md RET-04).
    """
    inputs.day(birth, "出生日期")
    inputs.optional_day(as_of, "适用法律的日期")
    if not isinstance(category, RetirementCategory):
        raise inputs.RuleTypeError(f"退休年龄类别必须是规定的类别之一，实际为 {category!r}。")
    if category is RetirementCategory.FEMALE_DIVISION_60:
        return (60, 0)
    schedule = _SCHEDULES[category]
    if as_of is not None and as_of < REFORM_IN_FORCE:
        return (schedule.original, 0)
    year0, month0 = schedule.first_cohort
    offset = (birth.year - year0) * 12 + (birth.month - month0)
    if offset < 0:
        return (schedule.original, 0)
    delay = min(offset // schedule.months_per_step + 1, (schedule.target - schedule.original) * 12)
    return (schedule.original + delay // 12, delay % 12)


def add_age(birth: dt.date, years: int, months: int = 0) -> dt.date:
    """The day someone born on ``birth`` reaches ``years`` years and ``months`` months (周岁; RET-03's ages).

    The same day of the month; if that month is shorter, the first day of the next month (so a
    29 February birthday is reached on 1 March in a common year, as :func:`ganbu.rules.dates.age_on`).
    Negative ``years`` count backwards (five years before a date). Statutory retirement does not
    use this overflow: see :func:`statutory_retirement_date`.
    """
    inputs.day(birth, "起算日期")
    inputs.whole(years, "周岁数", minimum=None)
    inputs.whole(months, "月数", minimum=None)
    total = birth.year * 12 + (birth.month - 1) + years * 12 + months
    year, month = divmod(total, 12)
    try:
        return dt.date(year, month + 1, birth.day)
    except ValueError:
        next_year, next_month = divmod(total + 1, 12)
        return dt.date(next_year, next_month + 1, 1)


@dataclass(frozen=True, order=True)
class RetirementMonth:
    """A calendar month, as the official 对照表 gives the 改革后退休时间 (``2025年2月``)."""

    year: int
    month: int

    @property
    def first_day(self) -> dt.date:
        """The first day of the month: the earliest lawful effective date of the retirement."""
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        """The last day of the month."""
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def label(self) -> str:
        """``2025年2月``."""
        return f"{self.year}年{self.month}月"

    def contains(self, day: dt.date) -> bool:
        """Whether ``day`` falls in this month."""
        return (day.year, day.month) == (self.year, self.month)


def statutory_retirement_month(
    birth: dt.date, category: RetirementCategory, *, as_of: dt.date | None = None
) -> RetirementMonth:
    """The month in which the statutory retirement age is reached (RET-01 Q-law; RET-03 S; RET-04 S).

    The birth month plus the age in years and months, as the official 对照表 lists it (出生时间
    1965年1月 → 60岁1个月 → 改革后退休时间 2025年2月); the day of birth plays no part. See
    :func:`statutory_retirement_age` for the schedule and ``as_of``.
    """
    years, months = statutory_retirement_age(birth, category, as_of=as_of)
    year, month = divmod(birth.year * 12 + birth.month - 1 + years * 12 + months, 12)
    return RetirementMonth(year, month + 1)


def statutory_retirement_date(
    birth: dt.date, category: RetirementCategory, *, as_of: dt.date | None = None
) -> dt.date:
    """The day the statutory retirement age is reached, always in the official month (RET-01, RET-03).

    The day of the month of the birth, or the last day of the retirement month when it has no
    such day: 1965-01-31 (60y1m) → 2025-02-28; 1972-02-29 (women, 50) → 2022-02-28. Retirement may
    take effect on any day of that month (:func:`retirement_due`); this is the day shown as
    法定退休日期 and from which "fewer than five years to the statutory age" is counted.
    """
    month = statutory_retirement_month(birth, category, as_of=as_of)
    return month.first_day.replace(day=min(birth.day, month.last_day.day))


def retirement_due(birth: dt.date, category: RetirementCategory, on: dt.date) -> bool:
    """Whether a statutory retirement may take effect on ``on`` (RET-01 Q-law, RET-03 S).

    True from the first day of the retirement month (:func:`statutory_retirement_month`) under the
    law in force on ``on``: the official table fixes the month, not the day.
    """
    inputs.day(on, "退休生效日期")
    return on >= statutory_retirement_month(birth, category, as_of=on).first_day


def check_early_retirement(
    birth: dt.date,
    category: RetirementCategory,
    work_start: dt.date,
    on: dt.date,
    *,
    full_years: int = 30,
    near_years: int = 5,
    near_work_years: int = 20,
) -> Verdict:
    """Whether voluntary early retirement is possible on ``on`` (公务员法 第九十三条, RET-02, Q-law).

    Passes with 30 years of work, or with fewer than 5 years to the statutory retirement date and
    20 years of work (years counted to the day, as 周岁). Used to show that the county's
    离岗退养 (:func:`early_exit_due`) is *not* a retirement under national law for most cadres.
    """
    inputs.day(work_start, "参加工作时间")
    inputs.day(on, "核对日期")
    inputs.whole(full_years, "提前退休所需工作年限")
    inputs.whole(near_years, "距法定退休年龄的年数")
    inputs.whole(near_work_years, "距法定退休年龄不足规定年数时所需工作年限")
    worked = age_on(work_start, on) if on >= work_start else 0
    retire_on = statutory_retirement_date(birth, category, as_of=on)
    near = on > add_age(retire_on, -near_years)
    if worked >= full_years or (near and worked >= near_work_years):
        return Verdict.passed()
    return Verdict.failed(
        Reason(
            rule="RET-02",
            citation=_CITE_RET_02,
            message=(
                f"截至{cn_date(on)}，工作年限满 {worked} 年，法定退休日期为{cn_date(retire_on)}；"
                f"既未满 {full_years} 年，也不符合距退休年龄不足 {near_years} 年且工作满 {near_work_years} 年"
                "的条件，不能提前退休。"
            ),
        )
    )


def early_exit_date(
    birth: dt.date, gender: str | Gender, *, men_age: int = 55, women_age: int = 50
) -> dt.date:
    """The day a leader reaches the county's 离岗退养 age (RET-06: local policy, no national basis).

    The age is reached **on** the birthday (周岁). Defaults are the seed county's 55 (men) and
    50 (women). See :func:`early_exit_due` for the conflict with national law. An age must be a
    whole number of years from 16 (the lawful working age, 《劳动法》第十五条) to 70: anything else
    is a typing error, and a negative age would put the date before birth.
    """
    inputs.day(birth, "出生日期")
    early_exit_age(men_age, "男")
    early_exit_age(women_age, "女")
    age = men_age if parse_gender(gender) is Gender.MALE else women_age
    return add_age(birth, age)


#: The range of a 离岗退养 age the rules accept (16 = 《劳动法》第十五条's working age; 70 is above
#: every statutory retirement age).
EARLY_EXIT_AGE_RANGE = (16, 70)


def early_exit_age(value: object, sex: str) -> int:
    """``value`` as a 离岗退养 age for men (``sex="男"``) or women, within :data:`EARLY_EXIT_AGE_RANGE`."""
    low, high = EARLY_EXIT_AGE_RANGE
    return inputs.whole(value, f"离岗退养年龄（{sex}）", minimum=low, maximum=high)


def early_exit_due(
    birth: dt.date, gender: str | Gender, on: dt.date, *, men_age: int = 55, women_age: int = 50
) -> bool:
    """Whether a leader has reached the county's 离岗退养 age on ``on`` (RET-06, local policy).

    The seed county moved every leader aged 55 (men) / 50 (women) out of leadership and managed
    them as retirees. No national basis was found, and it conflicts with 公务员法 第九十二、九十三条
    (RET-01/02): retirement comes at the statutory age, and early retirement needs 30 years of
    work or 20 years within 5 years of that age (:func:`check_early_retirement`). The system
    therefore treats it as leaving a leadership post, not as retirement, and the ages are
    parameters an administrator sets. ``True`` from the birthday on.
    """
    inputs.day(on, "核对日期")
    return on >= early_exit_date(birth, gender, men_age=men_age, women_age=women_age)
