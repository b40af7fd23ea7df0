"""Working days (工作日) for periods counted in working days: 任前公示不少于五个工作日 (rules.md APPT-02).

A 工作日 is a day on which organs work: Monday to Friday, except the statutory holidays and the
rest days moved by the State Council's yearly 放假安排, plus the weekend days declared working days
by that arrangement (调休上班). The arrangement is published year by year, so a calendar knows which
years it *covers*; asking about any other year raises :class:`CalendarNotCovered` instead of
silently guessing "weekday means workday".

Pure Python: :mod:`ganbu.rules.calendar_adapter` fills a :class:`WorkCalendar` from the
``chinesecalendar`` package's tables plus the administrator's own entries, covering a year the
package lacks only once the administrator has declared that year's calendar complete.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

_ONE_DAY = dt.timedelta(days=1)


def cn_date(value: dt.date) -> str:
    """A date as written in Chinese documents and messages: ``2025年9月28日``."""
    return f"{value.year}年{value.month}月{value.day}日"


class CalendarNotCovered(LookupError):
    """The calendar has no holiday arrangement for ``year``: workdays cannot be counted there.

    The message (Chinese, for the administrator) says what to do: enter that year's statutory
    holidays and adjusted working days (the State Council's 放假安排) in the calendar settings and
    declare the year complete.
    """

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            f"工作日历尚未包含 {year} 年的节假日安排，无法计算工作日。"
            f"请系统管理员按国务院办公厅公布的 {year} 年部分节假日安排，"
            "录入该年的法定节假日和调休上班日，并确认该年已录入完整后再试。"
        )


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are 工作日, for the years it covers.

    ``holidays`` are rest days that would otherwise be working days (法定节假日 and 调休放假; a
    weekend day may be listed too, harmlessly). ``adjusted_workdays`` are weekend days worked
    (调休上班). ``years`` are the years whose arrangement is known; every listed date must lie in
    one of them and no date may be both a holiday and an adjusted workday (``ValueError``).
    Use :meth:`build` to let the listed dates declare their years covered.
    """

    holidays: frozenset[dt.date] = field(default_factory=frozenset)
    adjusted_workdays: frozenset[dt.date] = field(default_factory=frozenset)
    years: frozenset[int] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        both = self.holidays & self.adjusted_workdays
        if both:
            days = "、".join(cn_date(d) for d in sorted(both))
            raise ValueError(f"以下日期不能同时是节假日和调休上班日：{days}。")
        outside = sorted(d for d in self.holidays | self.adjusted_workdays if d.year not in self.years)
        if outside:
            days = "、".join(cn_date(d) for d in outside)
            raise ValueError(f"以下日期所在年份未列为日历覆盖年份：{days}。")

    @classmethod
    def build(
        cls,
        holidays: Iterable[dt.date] = (),
        adjusted_workdays: Iterable[dt.date] = (),
        years: Iterable[int] = (),
    ) -> WorkCalendar:
        """A calendar covering ``years`` and every year in which a date is listed.

        Meant for a year's arrangement written out in full (tests, a hand-built table). The
        administrator's entries go through :func:`ganbu.rules.calendar_adapter.official_calendar`
        instead, where an entry alone never covers its year (the year must be declared complete).
        """
        h = frozenset(holidays)
        w = frozenset(adjusted_workdays)
        return cls(
            holidays=h,
            adjusted_workdays=w,
            years=frozenset(years) | {d.year for d in h | w},
        )

    def covers(self, day: dt.date) -> bool:
        """Whether the holiday arrangement (国务院办公厅 yearly 放假安排) of ``day``'s year is known."""
        return day.year in self.years

    def is_workday(self, day: dt.date) -> bool:
        """Whether ``day`` is a 工作日 (APPT-02 counts these); :class:`CalendarNotCovered` outside the years.

        An adjusted workday (调休上班) is a workday even on a weekend; a listed holiday is not, even
        on a weekday; otherwise Monday to Friday are workdays and weekends rest days.
        """
        if day.year not in self.years:
            raise CalendarNotCovered(day.year)
        if day in self.adjusted_workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def day_label(self, day: dt.date) -> str:
        """The kind of day in Chinese: 工作日、调休上班日、节假日 or 休息日 (weekend)."""
        if self.is_workday(day):
            return "调休上班日" if day.weekday() >= 5 else "工作日"
        return "节假日" if day in self.holidays else "休息日"

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Number of workdays from ``start`` to ``end``, **both days included** (APPT-02, Q).

        This is how 公示期 "自X日至Y日" is read: a notice posted from Monday to Friday of an ordinary
        week lasts 5 工作日. An empty range (``end`` before ``start``) has 0. Raises
        :class:`CalendarNotCovered` if any day of the range lies in an uncovered year.
        """
        if end < start:
            return 0
        for year in range(start.year, end.year + 1):
            if year not in self.years:
                raise CalendarNotCovered(year)
        count = 0
        day = start
        while day <= end:
            if self.is_workday(day):
                count += 1
            day += _ONE_DAY
        return count

    def add_workdays(self, start: dt.date, n: int) -> dt.date:
        """The ``n``-th workday strictly after ``start`` (before it when ``n`` is negative; APPT-02).

        ``add_workdays(d, 0)`` is ``d`` itself, whatever kind of day it is. For ``n >= 1`` the
        result is a workday and ``workdays_between(start + 1 day, result) == n``; so the ``n``-th
        workday counting ``start`` itself is ``add_workdays(start - 1 day, n)``.
        """
        step = _ONE_DAY if n >= 0 else -_ONE_DAY
        remaining = abs(n)
        day = start
        while remaining:
            day += step
            if self.is_workday(day):
                remaining -= 1
        return day
