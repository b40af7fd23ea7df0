"""Age (周岁) and period arithmetic (``ganbu.rules.dates``): pure, no Django, no database."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ganbu.rules.dates import age_on, birth_range_for_age, format_month, months_between

D = dt.date


# ---------------------------------------------------------------- age_on


def test_age_on_birthday_counts_the_new_year() -> None:
    assert age_on(D(1980, 5, 17), D(2024, 5, 17)) == 44


def test_age_on_day_before_birthday_is_one_less() -> None:
    assert age_on(D(1980, 5, 17), D(2024, 5, 16)) == 43


def test_age_on_day_of_birth_is_zero() -> None:
    assert age_on(D(1980, 5, 17), D(1980, 5, 17)) == 0


def test_age_on_before_birth_raises() -> None:
    with pytest.raises(ValueError, match="早于出生日期"):
        age_on(D(1980, 5, 17), D(1980, 5, 16))


def test_leap_day_birth_in_a_leap_year_is_on_29_february() -> None:
    assert age_on(D(2000, 2, 29), D(2024, 2, 28)) == 23
    assert age_on(D(2000, 2, 29), D(2024, 2, 29)) == 24


def test_leap_day_birth_in_a_common_year_is_on_1_march() -> None:
    assert age_on(D(2000, 2, 29), D(2023, 2, 28)) == 22
    assert age_on(D(2000, 2, 29), D(2023, 3, 1)) == 23


def test_age_threshold_of_early_exit_is_reached_on_the_birthday() -> None:
    # 离岗退养 at 55 周岁: a man born 1969-09-30 reaches it on 2024-09-30, not a day earlier.
    assert age_on(D(1969, 9, 30), D(2024, 9, 29)) == 54
    assert age_on(D(1969, 9, 30), D(2024, 9, 30)) == 55


# ---------------------------------------------------------------- birth_range_for_age


def test_birth_range_for_exact_age() -> None:
    earliest, latest = birth_range_for_age(30, 30, D(2024, 6, 1))
    assert (earliest, latest) == (D(1993, 6, 2), D(1994, 6, 1))


def test_birth_range_open_ends() -> None:
    assert birth_range_for_age(None, None, D(2024, 6, 1)) == (None, None)
    assert birth_range_for_age(40, None, D(2024, 6, 1)) == (None, D(1984, 6, 1))
    assert birth_range_for_age(None, 40, D(2024, 6, 1)) == (D(1983, 6, 2), None)


def test_birth_range_on_29_february() -> None:
    earliest, latest = birth_range_for_age(1, 1, D(2024, 2, 29))
    # Born 2023-02-28 is 1 on 2024-02-29; born 2023-03-01 is not yet 1.
    assert latest == D(2023, 2, 28)
    assert age_on(D(2023, 2, 28), D(2024, 2, 29)) == 1
    assert age_on(D(2023, 3, 1), D(2024, 2, 29)) == 0
    assert earliest is not None and age_on(earliest, D(2024, 2, 29)) == 1
    assert age_on(earliest - dt.timedelta(days=1), D(2024, 2, 29)) == 2


_dates = st.dates(min_value=D(1920, 1, 1), max_value=D(2060, 12, 31))


@settings(max_examples=500, deadline=None)
@given(
    birth=_dates,
    on=_dates,
    age_min=st.none() | st.integers(min_value=0, max_value=90),
    age_max=st.none() | st.integers(min_value=0, max_value=90),
)
def test_property_birth_range_agrees_with_age_on(
    birth: dt.date, on: dt.date, age_min: int | None, age_max: int | None
) -> None:
    assume(birth <= on)
    earliest, latest = birth_range_for_age(age_min, age_max, on)
    in_range = (earliest is None or birth >= earliest) and (latest is None or birth <= latest)
    age = age_on(birth, on)
    in_age = (age_min is None or age >= age_min) and (age_max is None or age <= age_max)
    assert in_range == in_age, (birth, on, age, earliest, latest)


@settings(max_examples=300, deadline=None)
@given(
    birth=st.sampled_from([D(1996, 2, 29), D(2000, 2, 29), D(2004, 2, 29)]),
    on=_dates,
    age=st.integers(min_value=0, max_value=60),
)
def test_property_leap_day_births_agree_with_birth_range(birth: dt.date, on: dt.date, age: int) -> None:
    # Random dates rarely hit 29 February; this makes the awkward births the norm.
    assume(birth <= on)
    earliest, latest = birth_range_for_age(age, age, on)
    assert earliest is not None and latest is not None
    assert (earliest <= birth <= latest) == (age_on(birth, on) == age)


@settings(max_examples=300, deadline=None)
@given(birth=_dates, on=_dates)
def test_property_age_is_monotonic_and_steps_by_one(birth: dt.date, on: dt.date) -> None:
    assume(birth < on)
    before = age_on(birth, on - dt.timedelta(days=1))
    assert age_on(birth, on) - before in (0, 1)


# ---------------------------------------------------------------- months and formatting


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (D(2020, 1, 15), D(2020, 1, 15), 0),
        (D(2020, 1, 15), D(2020, 2, 14), 0),
        (D(2020, 1, 15), D(2020, 2, 15), 1),
        (D(2020, 1, 15), D(2023, 1, 15), 36),
        (D(2020, 1, 31), D(2020, 3, 1), 1),
        (D(2020, 5, 1), D(2020, 1, 1), 0),
    ],
)
def test_months_between(start: dt.date, end: dt.date, months: int) -> None:
    assert months_between(start, end) == months


def test_format_month_as_on_the_appointment_form() -> None:
    assert format_month(D(1980, 5, 17)) == "1980.05"
    assert format_month(None) == ""
