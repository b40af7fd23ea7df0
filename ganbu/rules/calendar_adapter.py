"""The official holiday arrangement, from the ``chinesecalendar`` package, as a :class:`WorkCalendar`.

The only module of :mod:`ganbu.rules` that imports a third-party package. ``chinesecalendar``
1.11.0 (pinned in requirements.txt) transcribes the State Council's yearly 部分节假日安排 for
**2004 to 2026**; :func:`official_years` reports the years of the installed version. Years before
2004 (the seed's 2000–2003) and after the last published arrangement are not covered: an
administrator enters their days (``overrides_*``) and then declares the year complete
(``covered_years``); until then workday counts there raise
:class:`~ganbu.rules.workdays.CalendarNotCovered`. An entry alone never covers its year: one 2027
holiday entered must not make the 2027 Spring Festival count as working days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import chinese_calendar

from .workdays import WorkCalendar, cn_date

#: The version whose tables this module was written and tested against.
CHINESECALENDAR_VERSION = "1.11.0"


def _dates(table: object) -> frozenset[dt.date]:
    """The ``datetime.date`` keys of one of the package's tables."""
    if not isinstance(table, dict):
        raise TypeError("chinesecalendar 的节假日表格式不符合预期。")
    return frozenset(d for d in table if isinstance(d, dt.date))


def official_years() -> frozenset[int]:
    """The years whose arrangement the installed ``chinesecalendar`` transcribes (2004–2026 in 1.11.0)."""
    return frozenset(d.year for d in _dates(chinese_calendar.holidays))


def official_calendar(
    overrides_holidays: Iterable[dt.date] = (),
    overrides_workdays: Iterable[dt.date] = (),
    removals: Iterable[dt.date] = (),
    covered_years: Iterable[int] = (),
) -> WorkCalendar:
    """The official 放假安排 (via ``chinesecalendar``) corrected by the administrator's entries.

    - ``overrides_holidays``: extra rest days (a local holiday, a correction); they win over the
      official table, so a date the table lists as 调休上班 becomes a rest day.
    - ``overrides_workdays``: extra adjusted working days (调休上班), winning likewise.
    - ``removals``: official entries to drop, so the date falls back to the weekday rule.
    - ``covered_years``: years outside the official tables that the administrator has declared
      complete (every 放假 and 调休上班 day of the year entered).

    The calendar covers the official years and ``covered_years`` only. Entries dated in any other
    year are left out: a year is known only as a whole, so an entry there counts for nothing until
    its year is declared complete, and counting a day of it raises ``CalendarNotCovered``. A date
    both overridden as holiday and as workday raises ``ValueError``.
    """
    extra_h = frozenset(overrides_holidays)
    extra_w = frozenset(overrides_workdays)
    clash = extra_h & extra_w
    if clash:
        days = "、".join(cn_date(d) for d in sorted(clash))
        raise ValueError(f"以下日期同时被录入为节假日和调休上班日：{days}。")
    years = official_years() | frozenset(covered_years)
    removed = frozenset(removals)
    holidays = (_dates(chinese_calendar.holidays) - removed - extra_w) | extra_h
    workdays = (_dates(chinese_calendar.workdays) - removed - extra_h) | extra_w
    return WorkCalendar(
        holidays=frozenset(d for d in holidays if d.year in years),
        adjusted_workdays=frozenset(d for d in workdays if d.year in years),
        years=years,
    )
