"""Working-day calendar (``ganbu.rules.workdays``): pure, no Django, no database."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ganbu.rules.workdays import CalendarNotCovered, WorkCalendar, cn_date

D = dt.date
ONE = dt.timedelta(days=1)

# 2025 National Day + Mid-Autumn: 1–8 October off, Sunday 28 September and Saturday 11 October worked.
NATIONAL_DAY_2025 = WorkCalendar.build(
    holidays=[D(2025, 10, d) for d in range(1, 9)],
    adjusted_workdays=[D(2025, 9, 28), D(2025, 10, 11)],
)
PLAIN_2025 = WorkCalendar(years=frozenset({2025}))


def test_cn_date() -> None:
    assert cn_date(D(2025, 9, 28)) == "2025年9月28日"
    assert cn_date(D(2003, 1, 5)) == "2003年1月5日"


@pytest.mark.parametrize(
    ("day", "workday", "label"),
    [
        (D(2025, 9, 26), True, "工作日"),  # Friday
        (D(2025, 9, 27), False, "休息日"),  # Saturday
        (D(2025, 9, 28), True, "调休上班日"),  # Sunday, worked
        (D(2025, 9, 30), True, "工作日"),
        (D(2025, 10, 1), False, "节假日"),  # Wednesday, holiday
        (D(2025, 10, 8), False, "节假日"),
        (D(2025, 10, 9), True, "工作日"),
        (D(2025, 10, 11), True, "调休上班日"),  # Saturday, worked
        (D(2025, 10, 12), False, "休息日"),  # Sunday
    ],
)
def test_is_workday_and_label(day: dt.date, workday: bool, label: str) -> None:
    assert NATIONAL_DAY_2025.is_workday(day) is workday
    assert NATIONAL_DAY_2025.day_label(day) == label


def test_uncovered_year_raises_naming_the_year() -> None:
    with pytest.raises(CalendarNotCovered, match="2024 年") as info:
        NATIONAL_DAY_2025.is_workday(D(2024, 12, 31))
    assert info.value.year == 2024
    assert "录入" in str(info.value)
    assert isinstance(info.value, LookupError)


def test_covers() -> None:
    assert NATIONAL_DAY_2025.covers(D(2025, 1, 1))
    assert not NATIONAL_DAY_2025.covers(D(2026, 1, 1))
    assert not WorkCalendar().covers(D(2025, 1, 1))


def test_build_declares_the_years_of_listed_dates_and_given_years() -> None:
    cal = WorkCalendar.build(holidays=[D(2003, 10, 1)], years=[2004])
    assert cal.years == frozenset({2003, 2004})
    assert not cal.is_workday(D(2003, 10, 1))
    assert cal.is_workday(D(2004, 10, 1))  # a Friday, nothing listed for 2004


def test_a_date_cannot_be_holiday_and_workday() -> None:
    with pytest.raises(ValueError, match="同时"):
        WorkCalendar.build(holidays=[D(2025, 9, 28)], adjusted_workdays=[D(2025, 9, 28)])


def test_listed_dates_must_lie_in_covered_years() -> None:
    with pytest.raises(ValueError, match="2026年1月1日"):
        WorkCalendar(holidays=frozenset({D(2026, 1, 1)}), years=frozenset({2025}))


def test_workdays_between_counts_both_ends() -> None:
    assert PLAIN_2025.workdays_between(D(2025, 3, 3), D(2025, 3, 7)) == 5  # Monday to Friday
    assert PLAIN_2025.workdays_between(D(2025, 3, 3), D(2025, 3, 3)) == 1
    assert PLAIN_2025.workdays_between(D(2025, 3, 8), D(2025, 3, 9)) == 0  # a weekend
    assert PLAIN_2025.workdays_between(D(2025, 3, 7), D(2025, 3, 3)) == 0  # empty range


def test_workdays_across_national_day_2025() -> None:
    cal = NATIONAL_DAY_2025
    assert cal.workdays_between(D(2025, 9, 28), D(2025, 10, 9)) == 4
    assert cal.workdays_between(D(2025, 9, 28), D(2025, 10, 10)) == 5
    assert cal.workdays_between(D(2025, 10, 1), D(2025, 10, 8)) == 0


def test_workdays_between_refuses_a_range_reaching_an_uncovered_year() -> None:
    with pytest.raises(CalendarNotCovered) as info:
        NATIONAL_DAY_2025.workdays_between(D(2025, 12, 31), D(2026, 1, 2))
    assert info.value.year == 2026
    # An empty range asks nothing of the calendar.
    assert NATIONAL_DAY_2025.workdays_between(D(2026, 1, 2), D(2025, 12, 31)) == 0


def test_add_workdays() -> None:
    cal = NATIONAL_DAY_2025
    assert cal.add_workdays(D(2025, 9, 27), 1) == D(2025, 9, 28)
    assert cal.add_workdays(D(2025, 9, 30), 1) == D(2025, 10, 9)
    assert cal.add_workdays(D(2025, 9, 27), 5) == D(2025, 10, 10)
    assert cal.add_workdays(D(2025, 10, 10), 1) == D(2025, 10, 11)  # the adjusted Saturday
    assert cal.add_workdays(D(2025, 10, 4), 0) == D(2025, 10, 4)
    assert cal.add_workdays(D(2025, 10, 9), -1) == D(2025, 9, 30)
    assert cal.add_workdays(D(2025, 9, 29), -1) == D(2025, 9, 28)


def test_add_workdays_raises_when_it_walks_out_of_the_covered_years() -> None:
    with pytest.raises(CalendarNotCovered):
        NATIONAL_DAY_2025.add_workdays(D(2025, 12, 30), 5)


days_2025 = st.dates(min_value=D(2025, 1, 1), max_value=D(2025, 11, 30))


@settings(max_examples=80, deadline=None)
@given(days_2025, st.integers(min_value=1, max_value=20))
def test_add_workdays_lands_on_the_nth_workday(start: dt.date, n: int) -> None:
    cal = NATIONAL_DAY_2025
    end = cal.add_workdays(start, n)
    assert cal.is_workday(end)
    assert cal.workdays_between(start + ONE, end) == n
    assert cal.workdays_between(start + ONE, end - ONE) == n - 1
    if cal.is_workday(start):
        assert cal.add_workdays(end, -n) == start


@settings(max_examples=80, deadline=None)
@given(days_2025, st.integers(min_value=0, max_value=15), st.integers(min_value=0, max_value=15))
def test_workdays_between_is_additive(start: dt.date, a: int, b: int) -> None:
    cal = NATIONAL_DAY_2025
    mid = start + dt.timedelta(days=a)
    end = mid + dt.timedelta(days=b)
    assert cal.workdays_between(start, end) == cal.workdays_between(start, mid) + cal.workdays_between(
        mid + ONE, end
    )


@settings(max_examples=50, deadline=None)
@given(days_2025)
def test_any_plain_week_has_five_workdays(start: dt.date) -> None:
    assert PLAIN_2025.workdays_between(start, start + dt.timedelta(days=6)) == 5
