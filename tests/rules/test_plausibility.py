"""Plausibility of a cadre's dates (``ganbu.rules.plausibility``): each refusal names field and fact."""

from __future__ import annotations

import datetime as dt

from ganbu.rules.plausibility import (
    MAXIMUM_AGE,
    MINIMUM_PARTY_AGE,
    MINIMUM_RESUME_AGE,
    MINIMUM_WORKING_AGE,
    PersonDates,
    Precision,
    age_at,
    check_appointment,
    check_assessment_year,
    check_decision,
    check_person,
    check_relative_birth,
    check_resume_entry,
)

D = dt.date
TODAY = D(2026, 11, 1)


def fields(problems):
    return [p.field for p in problems]


def test_thresholds_are_the_laws():
    assert (MINIMUM_WORKING_AGE, MINIMUM_PARTY_AGE, MINIMUM_RESUME_AGE, MAXIMUM_AGE) == (16, 18, 14, 120)


def test_a_plausible_record_passes():
    person = PersonDates(birth=D(1985, 3, 12), work_start=D(2007, 7, 1), party_join=D(2006, 6, 1))
    assert check_person(person, today=TODAY) == []


def test_a_future_birth_date_is_refused_by_name():
    """The issue's case: 2030-01-01 was saved and counted under 35岁及以下."""
    problems = check_person(PersonDates(birth=D(2030, 1, 1)), today=TODAY)
    assert [(p.field, p.message) for p in problems] == [
        ("birth_date", "出生日期 2030年1月1日 晚于今天（2026年11月1日），出生日期不能是将来的日期。")
    ]


def test_a_cadre_aged_eleven_is_refused():
    problems = check_person(PersonDates(birth=D(2015, 3, 1)), today=TODAY)
    assert fields(problems) == ["birth_date"]
    assert problems[0].message == (
        "出生日期 2015年3月1日 表示今天年仅 11 周岁，未满 16 周岁："
        "《中华人民共和国劳动法》第十五条禁止招用未满十六周岁的未成年人，不能登记为干部。"
    )


def test_birth_age_boundary_is_the_sixteenth_birthday():
    assert check_person(PersonDates(birth=D(2010, 11, 1)), today=TODAY) == []
    assert fields(check_person(PersonDates(birth=D(2010, 11, 2)), today=TODAY)) == ["birth_date"]


def test_a_birth_more_than_120_years_ago_is_a_typing_error():
    assert fields(check_person(PersonDates(birth=D(1085, 3, 12)), today=TODAY)) == ["birth_date"]
    assert check_person(PersonDates(birth=D(1906, 11, 1)), today=TODAY) == []


def test_work_start_before_birth_is_refused():
    """The issue's case: 参加工作 in 1970 for someone born in 1985."""
    problems = check_person(PersonDates(birth=D(1985, 3, 12), work_start=D(1970, 1, 1)), today=TODAY)
    assert [(p.field, p.message) for p in problems] == [
        ("work_start_date", "参加工作时间 1970年1月 早于出生日期 1985年3月12日。")
    ]


def test_work_start_under_sixteen_is_refused_naming_the_law():
    problems = check_person(PersonDates(birth=D(1985, 3, 12), work_start=D(2000, 9, 1)), today=TODAY)
    assert fields(problems) == ["work_start_date"]
    assert problems[0].message == (
        "参加工作时间 2000年9月 时年仅 15 周岁（出生日期 1985年3月12日），未满 16 周岁："
        "《中华人民共和国劳动法》第十五条禁止招用未满十六周岁的未成年人。"
    )


def test_month_dates_reach_the_age_within_the_month():
    """Born 12 March 1985: work from 2001.03 is plausible (16 within that month), 2001.02 is not."""
    birth = D(1985, 3, 12)
    assert check_person(PersonDates(birth=birth, work_start=D(2001, 3, 1)), today=TODAY) == []
    assert fields(check_person(PersonDates(birth=birth, work_start=D(2001, 2, 1)), today=TODAY)) == [
        "work_start_date"
    ]
    assert age_at(birth, D(2001, 3, 1), Precision.MONTH) == 16
    assert age_at(birth, D(2001, 3, 1)) == 15


def test_party_join_under_eighteen_is_refused_naming_the_party_constitution():
    problems = check_person(PersonDates(birth=D(1985, 3, 12), party_join=D(2003, 2, 1)), today=TODAY)
    assert fields(problems) == ["party_join_date"]
    assert "《中国共产党章程》第一条" in problems[0].message and "17 周岁" in problems[0].message
    assert check_person(PersonDates(birth=D(1985, 3, 12), party_join=D(2003, 3, 1)), today=TODAY) == []


def test_future_months_are_refused_and_this_month_is_not():
    person = PersonDates(birth=D(1985, 3, 12), work_start=D(2026, 12, 1), party_join=D(2026, 11, 1))
    problems = check_person(person, today=TODAY)
    assert [(p.field, p.message) for p in problems] == [
        (
            "work_start_date",
            "参加工作时间 2026年12月 晚于今天（2026年11月1日），参加工作时间不能是将来的日期。",
        )
    ]


def test_resume_entries():
    person = PersonDates(birth=D(1985, 3, 12))
    assert check_resume_entry(person, start=D(2003, 9, 1), end=D(2007, 7, 1), today=TODAY) == []
    assert check_resume_entry(person, start=D(1999, 3, 1), end=None, today=TODAY) == []
    young = check_resume_entry(person, start=D(1999, 2, 1), end=None, today=TODAY)
    assert fields(young) == ["start_date"] and "13 周岁" in young[0].message
    future = check_resume_entry(person, start=D(2026, 12, 1), end=None, today=TODAY)
    assert fields(future) == ["start_date"]
    ended_later = check_resume_entry(person, start=D(2020, 1, 1), end=D(2027, 1, 1), today=TODAY)
    assert fields(ended_later) == ["end_date"] and "留空" in ended_later[0].message


def test_appointments_not_before_work_start_or_sixteen():
    person = PersonDates(birth=D(1985, 3, 12), work_start=D(2007, 7, 1))
    label = "任职「县财政局副局长」的生效日期"
    assert check_appointment(person, field="effective_on", label=label, on=D(2007, 7, 1)) == []
    # Later than today is allowed: an appointment may take effect on a later day.
    assert check_appointment(person, field="effective_on", label=label, on=D(2030, 1, 1)) == []
    early = check_appointment(person, field="effective_on", label=label, on=D(2007, 6, 30))
    assert [(p.field, p.message) for p in early] == [
        (
            "effective_on",
            "任职「县财政局副局长」的生效日期 2007年6月30日 早于参加工作时间 2007年7月："
            "任职和职级不能早于参加工作。",
        )
    ]
    unknown_start = PersonDates(birth=D(1985, 3, 12))
    assert fields(check_appointment(unknown_start, field="effective_on", label=label, on=D(2001, 3, 11))) == [
        "effective_on"
    ]
    assert check_appointment(unknown_start, field="effective_on", label=label, on=D(2001, 3, 12)) == []


def test_decisions_and_assessments():
    person = PersonDates(birth=D(1985, 3, 12), work_start=D(2007, 7, 1))
    assert check_decision(person, field="decided_on", label="决定日期", on=D(2020, 1, 1), today=TODAY) == []
    assert fields(
        check_decision(person, field="decided_on", label="决定日期", on=D(2026, 11, 2), today=TODAY)
    ) == ["decided_on"]
    assert fields(
        check_decision(person, field="decided_on", label="决定日期", on=D(1999, 1, 1), today=TODAY)
    ) == ["decided_on"]
    assert check_assessment_year(person, year=2026, today=TODAY) == []
    assert check_assessment_year(person, year=2007, today=TODAY) == []
    assert "2027年度尚未开始" in check_assessment_year(person, year=2027, today=TODAY)[0].message
    assert "参加工作前" in check_assessment_year(person, year=2006, today=TODAY)[0].message


def test_relative_birth_not_in_the_future():
    assert check_relative_birth(value=D(2026, 11, 1), today=TODAY) == []
    problems = check_relative_birth(value=D(2027, 1, 1), today=TODAY)
    assert [(p.field, p.message) for p in problems] == [
        ("birth_date", "出生年月 2027年1月 晚于今天（2026年11月1日），出生年月不能是将来的日期。")
    ]
