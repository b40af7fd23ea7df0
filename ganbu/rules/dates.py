"""Age and period arithmetic used throughout cadre work.

Ages are 周岁 (full years): the convention of the 公务员法 and of every age threshold in the
county's policy (离岗退养 at 55/50 周岁). A person born on 29 February has their birthday on
1 March in common years, the usual reading of 周岁 in Chinese personnel practice.
"""

from __future__ import annotations

import datetime as dt

from . import inputs


def age_on(birth: dt.date, on: dt.date) -> int:
    """Age in full years (周岁) on the date ``on``; raises ``ValueError`` if ``on`` is before birth."""
    inputs.day(birth, "出生日期")
    inputs.day(on, "计算日期")
    if on < birth:
        raise inputs.RuleInputError("计算日期早于出生日期。")
    years = on.year - birth.year
    # Compare (month, day); a 29 Feb birthday counts as reached on 1 Mar in a common year.
    birthday = (birth.month, birth.day)
    if birthday == (2, 29) and not _is_leap(on.year):
        birthday = (3, 1)
    if (on.month, on.day) < birthday:
        years -= 1
    return years


def birth_range_for_age(
    age_min: int | None, age_max: int | None, on: dt.date
) -> tuple[dt.date | None, dt.date | None]:
    """Birth dates (earliest, latest) of people whose age on ``on`` lies in [age_min, age_max].

    Lets a database filter by age with an index on the birth date instead of computing ages.
    Ages are whole numbers from 0 to 150; ``age_min`` above ``age_max`` gives an empty range.
    """
    inputs.optional_whole(age_min, "年龄下限", maximum=150)
    inputs.optional_whole(age_max, "年龄上限", maximum=150)
    inputs.day(on, "计算日期")
    latest = _years_before(on, age_min) if age_min is not None else None
    earliest = None
    if age_max is not None:
        earliest = _years_before(on, age_max + 1) + dt.timedelta(days=1)
    return earliest, latest


def _years_before(on: dt.date, years: int) -> dt.date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 Feb → 28 Feb of a common year keeps age_on consistent
        return on.replace(year=on.year - years, day=28)


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end`` (0 if end is not after start)."""
    inputs.day(start, "开始日期")
    inputs.day(end, "结束日期")
    if end <= start:
        return 0
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day:
        months -= 1
    return max(months, 0)


def format_month(value: dt.date | None) -> str:
    """``YYYY.MM`` as printed on the 任免审批表 (lrmx.md §4), or an empty string."""
    inputs.optional_day(value, "日期")
    return f"{value.year}.{value.month:02d}" if value else ""
