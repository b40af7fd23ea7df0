"""Statutory retirement and 离岗退养 (``ganbu.rules.retirement``)."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ganbu.rules.dates import age_on
from ganbu.rules.retirement import (
    REFORM_IN_FORCE,
    Gender,
    RetirementCategory,
    RetirementMonth,
    add_age,
    check_early_retirement,
    early_exit_date,
    early_exit_due,
    parse_gender,
    retirement_category,
    retirement_due,
    statutory_retirement_age,
    statutory_retirement_date,
    statutory_retirement_month,
)

D = dt.date
ONE = dt.timedelta(days=1)
M, F55, F50, F60 = (
    RetirementCategory.MALE,
    RetirementCategory.FEMALE_55,
    RetirementCategory.FEMALE_50,
    RetirementCategory.FEMALE_DIVISION_60,
)


@pytest.mark.parametrize(
    ("category", "born", "age"),
    [
        # men: 60, +1 month per 4 birth months from January 1965, up to 63
        (M, D(1964, 12, 31), (60, 0)),
        (M, D(1965, 1, 1), (60, 1)),
        (M, D(1965, 4, 30), (60, 1)),
        (M, D(1965, 5, 1), (60, 2)),
        (M, D(1965, 8, 15), (60, 2)),
        (M, D(1965, 9, 1), (60, 3)),
        (M, D(1968, 12, 1), (61, 0)),
        (M, D(1976, 8, 31), (62, 11)),
        (M, D(1976, 9, 1), (63, 0)),
        (M, D(1976, 12, 1), (63, 0)),
        (M, D(1985, 6, 1), (63, 0)),
        # women (original 55): from January 1970, up to 58
        (F55, D(1969, 12, 31), (55, 0)),
        (F55, D(1970, 1, 1), (55, 1)),
        (F55, D(1970, 5, 1), (55, 2)),
        (F55, D(1981, 8, 1), (57, 11)),
        (F55, D(1981, 9, 1), (58, 0)),
        (F55, D(1990, 1, 1), (58, 0)),
        # women (original 50): +1 month per 2 birth months from January 1975, up to 55
        (F50, D(1974, 12, 31), (50, 0)),
        (F50, D(1975, 1, 1), (50, 1)),
        (F50, D(1975, 2, 28), (50, 1)),
        (F50, D(1975, 3, 1), (50, 2)),
        (F50, D(1984, 10, 1), (54, 11)),
        (F50, D(1984, 11, 1), (55, 0)),
        (F50, D(1995, 1, 1), (55, 0)),
        # 县处级 women: 60
        (F60, D(1970, 1, 1), (60, 0)),
    ],
)
def test_gradual_schedule(category: RetirementCategory, born: dt.date, age: tuple[int, int]) -> None:
    assert statutory_retirement_age(born, category) == age


def test_law_before_2025_has_the_original_ages() -> None:
    born = D(1970, 6, 1)
    assert statutory_retirement_age(born, M, as_of=D(2024, 12, 31)) == (60, 0)
    assert statutory_retirement_age(born, M, as_of=REFORM_IN_FORCE) == (61, 5)  # 65 months after 1965-01
    assert statutory_retirement_age(born, F55, as_of=D(2003, 1, 1)) == (55, 0)
    assert statutory_retirement_age(born, F50, as_of=D(2003, 1, 1)) == (50, 0)


def test_first_cohort_retires_in_2025() -> None:
    assert statutory_retirement_date(D(1965, 1, 15), M) == D(2025, 2, 15)
    assert statutory_retirement_date(D(1964, 12, 15), M) == D(2024, 12, 15)
    assert statutory_retirement_date(D(1970, 1, 10), F55) == D(2025, 2, 10)
    assert statutory_retirement_date(D(1975, 1, 10), F50) == D(2025, 2, 10)


# The official 对照表 (人力资源社会保障部, 附件《男职工延迟法定退休年龄对照表》《原法定退休年龄五十五周岁的
# 女职工…》《原法定退休年龄五十周岁的女职工…》): birth month → age after the reform → 退休时间 (a month).
OFFICIAL_TABLE = [
    (M, (1965, 1), (60, 1), (2025, 2)),
    (M, (1965, 4), (60, 1), (2025, 5)),
    (M, (1965, 5), (60, 2), (2025, 7)),
    (M, (1965, 8), (60, 2), (2025, 10)),
    (M, (1965, 9), (60, 3), (2025, 12)),
    (M, (1965, 12), (60, 3), (2026, 3)),
    (M, (1966, 1), (60, 4), (2026, 5)),
    (M, (1970, 12), (61, 6), (2032, 6)),
    (M, (1976, 8), (62, 11), (2039, 7)),
    (M, (1976, 9), (63, 0), (2039, 9)),
    (F55, (1970, 1), (55, 1), (2025, 2)),
    (F55, (1970, 5), (55, 2), (2025, 7)),
    (F55, (1981, 8), (57, 11), (2039, 7)),
    (F55, (1981, 9), (58, 0), (2039, 9)),
    (F50, (1975, 1), (50, 1), (2025, 2)),
    (F50, (1975, 2), (50, 1), (2025, 3)),
    (F50, (1975, 3), (50, 2), (2025, 5)),
    (F50, (1984, 10), (54, 11), (2039, 9)),
    (F50, (1984, 11), (55, 0), (2039, 11)),
]


@pytest.mark.parametrize(("category", "born", "age", "month"), OFFICIAL_TABLE)
@pytest.mark.parametrize("day", [1, 15, 28, 29, 30, 31])
def test_every_birth_day_of_a_month_retires_in_the_month_of_the_official_table(
    category: RetirementCategory,
    born: tuple[int, int],
    age: tuple[int, int],
    month: tuple[int, int],
    day: int,
) -> None:
    if day > calendar.monthrange(*born)[1]:
        pytest.skip("no such birth date")
    birth = D(*born, day)
    assert statutory_retirement_age(birth, category) == age
    assert statutory_retirement_month(birth, category) == RetirementMonth(*month)
    reached = statutory_retirement_date(birth, category)
    assert (reached.year, reached.month) == month
    assert reached.day == min(day, calendar.monthrange(*month)[1])


def test_a_man_born_on_31_january_1965_retires_in_february_2025() -> None:
    # The case: 60 years 1 month from 31 January; February has no 31st.
    born = D(1965, 1, 31)
    assert statutory_retirement_month(born, M).label == "2025年2月"
    assert statutory_retirement_date(born, M) == D(2025, 2, 28)
    assert retirement_due(born, M, D(2025, 2, 1))
    assert not retirement_due(born, M, D(2025, 1, 31))


@pytest.mark.parametrize(
    ("category", "birth", "reached"),
    [
        (M, D(1965, 7, 31), D(2025, 9, 30)),  # 60y2m: September has 30 days
        (M, D(1965, 11, 30), D(2026, 2, 28)),  # 60y3m: February 2026
        (M, D(1967, 6, 30), D(2028, 2, 29)),  # 60y8m: February of a leap year has a 29th
        (F55, D(1970, 1, 31), D(2025, 2, 28)),
        (F55, D(1970, 1, 29), D(2025, 2, 28)),
        (F50, D(1975, 9, 30), D(2026, 2, 28)),  # 50y5m
        # 29 February births: the table goes by birth month, so February, not 1 March.
        (F50, D(1972, 2, 29), D(2022, 2, 28)),  # born before the women-50 schedule
        (M, D(1964, 2, 29), D(2024, 2, 29)),
        (M, D(1980, 2, 29), D(2043, 2, 28)),  # capped at 63
        (F55, D(1984, 2, 29), D(2042, 2, 28)),  # capped at 58
    ],
)
def test_births_on_the_29th_to_31st_stay_in_the_official_month(
    category: RetirementCategory, birth: dt.date, reached: dt.date
) -> None:
    assert statutory_retirement_date(birth, category) == reached
    month = statutory_retirement_month(birth, category)
    assert (month.year, month.month) == (reached.year, reached.month)
    assert retirement_due(birth, category, month.first_day)
    assert not retirement_due(birth, category, month.first_day - ONE)


def test_retirement_is_due_from_the_first_day_of_the_month() -> None:
    born = D(1965, 3, 15)  # 60y1m: April 2025 per the table
    assert retirement_due(born, M, D(2025, 4, 1))
    assert retirement_due(born, M, D(2025, 4, 15))
    assert not retirement_due(born, M, D(2025, 3, 31))


def test_retirement_due_before_the_reform_used_the_old_age() -> None:
    # Checked in 2003 under the law then: a man born 1943-05-01 was due on 2003-05-01.
    assert retirement_due(D(1943, 5, 1), M, D(2003, 5, 1))
    assert not retirement_due(D(1943, 5, 1), M, D(2003, 4, 30))


def test_categories() -> None:
    assert retirement_category("男") is M
    assert retirement_category("女") is F55
    assert retirement_category(Gender.FEMALE, original_female_age=50) is F50
    assert retirement_category("女", county_division_level=True) is F60
    assert retirement_category("男", county_division_level=True) is M
    with pytest.raises(ValueError, match="五十"):
        retirement_category("女", original_female_age=60)
    assert "县处级" in F60.label


@pytest.mark.parametrize(
    ("text", "gender"), [("男", Gender.MALE), (" 女 ", Gender.FEMALE), ("Female", Gender.FEMALE)]
)
def test_parse_gender(text: str, gender: Gender) -> None:
    assert parse_gender(text) is gender
    assert parse_gender(gender) is gender


def test_parse_gender_rejects_other_values() -> None:
    with pytest.raises(ValueError, match="男"):
        parse_gender("未知")


# ---------------------------------------------------------------- 离岗退养 (RET-06, local)


def test_early_exit_on_the_birthday_not_the_day_before() -> None:
    assert early_exit_due(D(1948, 7, 1), "男", D(2003, 7, 1))
    assert not early_exit_due(D(1948, 7, 1), "男", D(2003, 6, 30))
    assert early_exit_due(D(1953, 7, 1), "女", D(2003, 7, 1))
    assert not early_exit_due(D(1953, 7, 1), "女", D(2003, 6, 30))
    assert early_exit_date(D(1953, 7, 1), Gender.FEMALE) == D(2003, 7, 1)


def test_early_exit_29_february() -> None:
    born = D(1952, 2, 29)
    assert early_exit_date(born, "女") == D(2002, 3, 1)
    assert not early_exit_due(born, "女", D(2002, 2, 28))
    assert early_exit_due(born, "女", D(2002, 3, 1))
    assert early_exit_date(D(1948, 2, 29), "男") == D(2003, 3, 1)


def test_early_exit_ages_are_parameters() -> None:
    assert not early_exit_due(D(1948, 7, 1), "男", D(2003, 7, 1), men_age=56)
    assert early_exit_due(D(1953, 7, 1), "女", D(2005, 7, 1), women_age=52)


def test_early_retirement_conditions() -> None:
    # 30 years of work: possible whatever the age.
    assert check_early_retirement(D(1975, 1, 1), M, D(1995, 1, 1), D(2025, 1, 1)).ok
    assert not check_early_retirement(D(1975, 1, 1), M, D(1995, 1, 2), D(2025, 1, 1)).ok
    # 20 years and less than 5 years to go: man born 1970-06-01 retires 2031-11-01 (61y5m).
    assert statutory_retirement_date(D(1970, 6, 1), M) == D(2031, 11, 1)
    assert check_early_retirement(D(1970, 6, 1), M, D(2000, 1, 1), D(2026, 11, 2)).ok
    assert not check_early_retirement(D(1970, 6, 1), M, D(2000, 1, 1), D(2026, 11, 1)).ok  # exactly 5 years
    assert not check_early_retirement(D(1970, 6, 1), M, D(2007, 1, 1), D(2026, 11, 2)).ok  # < 20 years
    # Judged under the law in force on the day: in 2020 the same man's age was still 60.
    assert check_early_retirement(D(1965, 6, 1), M, D(2000, 1, 1), D(2020, 8, 1)).ok


def test_early_exit_at_55_is_no_retirement_under_national_law() -> None:
    # The seed's typical case: a 55-year-old man with 25 years of work in 2003.
    v = check_early_retirement(D(1948, 7, 1), M, D(1978, 7, 1), D(2003, 7, 1))
    assert early_exit_due(D(1948, 7, 1), "男", D(2003, 7, 1))
    assert not v.ok
    assert v.reasons[0].rule == "RET-02"
    assert "工作年限满 25 年" in v.reasons[0].message
    assert "第九十三条" in v.reasons[0].citation


# ---------------------------------------------------------------- properties


@settings(max_examples=150, deadline=None)
@given(st.dates(min_value=D(1940, 1, 1), max_value=D(2000, 12, 31)), st.integers(min_value=1, max_value=70))
def test_add_age_agrees_with_age_on(born: dt.date, years: int) -> None:
    reached = add_age(born, years)
    assert age_on(born, reached) == years
    assert age_on(born, reached - ONE) == years - 1


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from([M, F55, F50]),
    st.dates(min_value=D(1955, 1, 1), max_value=D(1995, 12, 31)),
    st.dates(min_value=D(1955, 1, 1), max_value=D(1995, 12, 31)),
)
def test_schedule_is_monotonic_and_capped(category: RetirementCategory, a: dt.date, b: dt.date) -> None:
    early, late = sorted((a, b))
    ya, ma = statutory_retirement_age(early, category)
    yb, mb = statutory_retirement_age(late, category)
    assert ya * 12 + ma <= yb * 12 + mb
    low, high = {M: (60, 63), F55: (55, 58), F50: (50, 55)}[category]
    assert low * 12 <= yb * 12 + mb <= high * 12
    assert statutory_retirement_date(early, category) <= statutory_retirement_date(late, category)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([M, F55, F50, F60]), st.dates(min_value=D(1940, 1, 1), max_value=D(2000, 12, 31)))
def test_the_retirement_month_is_the_birth_month_plus_the_age(
    category: RetirementCategory, born: dt.date
) -> None:
    years, months = statutory_retirement_age(born, category)
    expected = born.year * 12 + born.month - 1 + years * 12 + months
    month = statutory_retirement_month(born, category)
    assert month.year * 12 + month.month - 1 == expected
    reached = statutory_retirement_date(born, category)
    assert month.first_day <= reached <= month.last_day
    assert retirement_due(born, category, month.first_day) or month.first_day < REFORM_IN_FORCE
