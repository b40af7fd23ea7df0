"""The official calendar adapter (``ganbu.rules.calendar_adapter``) over ``chinesecalendar``."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest

from ganbu.rules.calendar_adapter import CHINESECALENDAR_VERSION, official_calendar, official_years
from ganbu.rules.workdays import CalendarNotCovered

D = dt.date
OFFICIAL = official_calendar()


def test_pinned_version_is_the_one_installed() -> None:
    # The coverage years below are those of this version: re-check them when upgrading.
    assert chinese_calendar.__version__ == CHINESECALENDAR_VERSION


def test_official_years_are_2004_to_2026() -> None:
    assert official_years() == frozenset(range(2004, 2027))
    assert OFFICIAL.years == frozenset(range(2004, 2027))


def test_national_day_2025() -> None:
    assert all(not OFFICIAL.is_workday(D(2025, 10, d)) for d in range(1, 9))
    assert OFFICIAL.is_workday(D(2025, 9, 28))  # Sunday, worked
    assert OFFICIAL.is_workday(D(2025, 10, 11))  # Saturday, worked
    assert OFFICIAL.workdays_between(D(2025, 9, 28), D(2025, 10, 9)) == 4
    assert OFFICIAL.workdays_between(D(2025, 9, 28), D(2025, 10, 10)) == 5


def test_agrees_with_the_package_on_every_covered_day() -> None:
    day, end = D(2004, 1, 1), D(2026, 12, 31)
    while day <= end:
        assert OFFICIAL.is_workday(day) is chinese_calendar.is_workday(day), day
        day += dt.timedelta(days=1)


@pytest.mark.parametrize("day", [D(2003, 12, 31), D(2027, 1, 4), D(2000, 6, 1)])
def test_years_outside_the_tables_are_not_covered(day: dt.date) -> None:
    with pytest.raises(CalendarNotCovered) as info:
        OFFICIAL.is_workday(day)
    assert info.value.year == day.year
    assert f"{day.year} 年" in str(info.value)


def test_an_admin_entry_alone_does_not_cover_its_year() -> None:
    # One 2027 holiday must not make the whole of 2027 count as known: the Spring Festival would be
    # counted as working days. The year is covered only once declared complete (covered_years).
    cal = official_calendar(overrides_holidays=[D(2027, 1, 1)])
    assert 2027 not in cal.years
    with pytest.raises(CalendarNotCovered) as info:
        cal.workdays_between(D(2027, 2, 3), D(2027, 2, 10))
    assert info.value.year == 2027
    assert cal.is_workday(D(2026, 12, 31))  # the official years are untouched


def test_entries_count_once_their_year_is_declared_complete() -> None:
    cal = official_calendar(
        overrides_holidays=[D(2027, 1, 1)], overrides_workdays=[D(2027, 1, 2)], covered_years=[2027]
    )
    assert not cal.is_workday(D(2027, 1, 1))
    assert cal.is_workday(D(2027, 1, 2))  # a Saturday worked
    assert cal.is_workday(D(2027, 1, 4))
    assert 2027 in cal.years
    assert 2028 not in cal.years


def test_covered_years_without_entries() -> None:
    cal = official_calendar(covered_years=[2003])
    assert cal.is_workday(D(2003, 10, 1))  # nothing entered: a plain Wednesday
    with pytest.raises(CalendarNotCovered):
        cal.is_workday(D(2002, 10, 1))


def test_overrides_win_over_the_official_table() -> None:
    cal = official_calendar(overrides_holidays=[D(2025, 9, 28)], overrides_workdays=[D(2025, 10, 8)])
    assert not cal.is_workday(D(2025, 9, 28))
    assert cal.is_workday(D(2025, 10, 8))


def test_removals_fall_back_to_the_weekday_rule() -> None:
    cal = official_calendar(removals=[D(2025, 10, 8), D(2025, 9, 28)])
    assert cal.is_workday(D(2025, 10, 8))  # a Wednesday
    assert not cal.is_workday(D(2025, 9, 28))  # a Sunday
    assert not cal.is_workday(D(2025, 10, 7))  # untouched


def test_an_override_cannot_be_both() -> None:
    with pytest.raises(ValueError, match="2025年10月8日"):
        official_calendar(overrides_holidays=[D(2025, 10, 8)], overrides_workdays=[D(2025, 10, 8)])
