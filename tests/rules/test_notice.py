"""任前公示 period (``ganbu.rules.notice``): effective-dated, counted in workdays or calendar days."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ganbu.rules.calendar_adapter import official_calendar
from ganbu.rules.notice import (
    NOTICE_RULES,
    RULE_2014_IN_FORCE,
    NoticeRule,
    PeriodUnit,
    check_notice_period,
    exceeds_general_maximum,
    notice_end_for,
    notice_rule_on,
)
from ganbu.rules.workdays import CalendarNotCovered, WorkCalendar

D = dt.date
ONE = dt.timedelta(days=1)

OFFICIAL = official_calendar()
HAND_BUILT = WorkCalendar.build(
    holidays=[D(2025, 10, d) for d in range(1, 9)],
    adjusted_workdays=[D(2025, 9, 28), D(2025, 10, 11)],
)
DECIDED = D(2025, 9, 26)


@pytest.fixture(params=["official", "hand_built"])
def calendar(request: pytest.FixtureRequest) -> WorkCalendar:
    return OFFICIAL if request.param == "official" else HAND_BUILT


# ---------------------------------------------------------------- which version


@pytest.mark.parametrize(
    ("decided_on", "rule"),
    [
        (D(2002, 7, 1), "APPT-03"),
        (D(2014, 1, 13), "APPT-03"),
        (D(2014, 1, 14), "APPT-02"),
        (D(2019, 3, 17), "APPT-02"),
        (D(2025, 9, 26), "APPT-02"),
    ],
)
def test_version_in_force_on_the_decision_date(decided_on: dt.date, rule: str) -> None:
    assert notice_rule_on(decided_on).rule == rule
    assert D(2014, 1, 14) == RULE_2014_IN_FORCE


def test_versions_must_not_overlap_or_leave_gaps() -> None:
    overlapping = (*NOTICE_RULES, NOTICE_RULES[1])
    with pytest.raises(ValueError, match="找到 2 个"):
        notice_rule_on(D(2020, 1, 1), overlapping)
    with pytest.raises(ValueError, match="找到 0 个"):
        notice_rule_on(D(2020, 1, 1), NOTICE_RULES[:1])


# ---------------------------------------------------------------- the 5-workday rule across National Day 2025


def test_four_workdays_across_national_day_fail(calendar: WorkCalendar) -> None:
    v = check_notice_period(D(2025, 9, 28), D(2025, 10, 9), calendar, DECIDED)
    assert not v.ok
    (reason,) = v.reasons
    assert reason.rule == "APPT-02"
    assert "公示期自2025年9月28日至2025年10月9日，仅 4 个工作日，少于规定的 5 个工作日" in reason.message
    assert "2014年、2019年" in reason.message  # names the version
    assert "第四十二条" in reason.citation
    assert "置信度 Q" in reason.citation


def test_five_workdays_across_national_day_pass(calendar: WorkCalendar) -> None:
    v = check_notice_period(D(2025, 9, 28), D(2025, 10, 10), calendar, DECIDED)
    assert v.ok
    (reason,) = v.reasons  # an explanation for the 纪实, not an objection
    assert reason.rule == "APPT-02"
    assert "共 5 个工作日" in reason.message
    assert "符合规定" in reason.message


def test_a_week_of_holiday_adds_nothing(calendar: WorkCalendar) -> None:
    v = check_notice_period(D(2025, 9, 29), D(2025, 10, 10), calendar, DECIDED)
    assert not v.ok
    assert "仅 4 个工作日" in v.reasons[0].message


def test_notice_end_for_across_national_day(calendar: WorkCalendar) -> None:
    assert notice_end_for(D(2025, 9, 28), calendar, DECIDED) == D(2025, 10, 10)
    assert notice_end_for(D(2025, 9, 27), calendar, DECIDED) == D(2025, 10, 10)  # posted on a Saturday
    # Posted on the holiday: 9, 10, 11 (Saturday worked), 13, 14 October.
    assert notice_end_for(D(2025, 10, 1), calendar, DECIDED) == D(2025, 10, 14)


def test_ordinary_week() -> None:
    assert check_notice_period(D(2025, 3, 3), D(2025, 3, 7), OFFICIAL, D(2025, 3, 1)).ok
    v = check_notice_period(D(2025, 3, 3), D(2025, 3, 6), OFFICIAL, D(2025, 3, 1))
    assert not v.ok
    assert "仅 4 个工作日" in v.reasons[0].message


def test_workday_rule_needs_a_calendar() -> None:
    with pytest.raises(ValueError, match="工作日历"):
        check_notice_period(D(2025, 3, 3), D(2025, 3, 7), None, D(2025, 3, 1))
    with pytest.raises(ValueError, match="工作日历"):
        notice_end_for(D(2025, 3, 3), None, D(2025, 3, 1))


def test_uncovered_year_is_not_guessed() -> None:
    with pytest.raises(CalendarNotCovered) as info:
        check_notice_period(D(2027, 3, 1), D(2027, 3, 5), OFFICIAL, D(2027, 2, 26))
    assert info.value.year == 2027
    with pytest.raises(CalendarNotCovered):
        notice_end_for(D(2027, 3, 1), OFFICIAL, D(2027, 2, 26))


# ---------------------------------------------------------------- the 2000 rule: 7–15 calendar days


@pytest.mark.parametrize(
    ("days", "ok"),
    [(6, False), (7, True), (10, True), (15, True), (16, False)],
)
def test_old_rule_boundaries(days: int, ok: bool) -> None:
    start = D(2002, 10, 1)  # no calendar needed, and 2002 is not covered by one
    v = check_notice_period(start, start + dt.timedelta(days=days - 1), None, D(2002, 9, 30))
    assert v.ok is ok
    assert v.reasons[0].rule == "APPT-03"
    assert f"{days} 天" in v.reasons[0].message
    assert "7—15天" in v.reasons[0].message
    assert "置信度 S" in v.reasons[0].citation


def test_old_rule_messages() -> None:
    short = check_notice_period(D(2002, 10, 1), D(2002, 10, 6), None, D(2002, 9, 30))
    assert "仅 6 天，少于规定的 7 天" in short.reasons[0].message
    long = check_notice_period(D(2002, 10, 1), D(2002, 10, 16), None, D(2002, 9, 30))
    assert "超过一般规定的 15 天" in long.reasons[0].message and "须写明理由" in long.reasons[0].message


# ---------------------------------------------------------------- "一般 7—15 天": longer, with a reason


@pytest.mark.parametrize("days", [16, 30])
def test_old_rule_allows_a_longer_notice_with_a_recorded_reason(days: int) -> None:
    start = D(2002, 10, 1)
    end = start + dt.timedelta(days=days - 1)
    refused = check_notice_period(start, end, None, D(2002, 9, 30))
    assert not refused.ok
    assert "超过一般规定的 15 天" in refused.reasons[0].message and "须写明理由" in refused.reasons[0].message
    blank = check_notice_period(start, end, None, D(2002, 9, 30), over_maximum_reason="  ")
    assert not blank.ok
    allowed = check_notice_period(
        start, end, None, D(2002, 9, 30), over_maximum_reason="跨国庆长假，延长公示"
    )
    assert allowed.ok
    (reason,) = allowed.reasons
    assert reason.rule == "APPT-03"
    assert f"共 {days} 天" in reason.message and "超过一般规定的 15 天" in reason.message
    assert "理由：跨国庆长假，延长公示" in reason.message
    assert exceeds_general_maximum(start, end, None, D(2002, 9, 30))


def test_a_reason_does_not_shorten_or_excuse_anything_else() -> None:
    start = D(2002, 10, 1)
    short = check_notice_period(start, D(2002, 10, 6), None, D(2002, 9, 30), over_maximum_reason="时间紧")
    assert not short.ok and "少于规定的 7 天" in short.reasons[0].message
    early = check_notice_period(start, D(2002, 10, 20), None, D(2002, 10, 2), over_maximum_reason="延长")
    assert not early.ok and [r.rule for r in early.reasons] == ["APPT-01"]
    within = check_notice_period(start, D(2002, 10, 15), None, D(2002, 9, 30), over_maximum_reason="无关")
    assert within.ok and "理由" not in within.reasons[0].message  # nothing to explain: not recorded
    assert not exceeds_general_maximum(start, D(2002, 10, 15), None, D(2002, 9, 30))


def test_the_workday_rule_has_no_maximum_to_exceed() -> None:
    long = check_notice_period(D(2025, 3, 3), D(2025, 4, 30), OFFICIAL, D(2025, 3, 1))
    assert long.ok and "理由" not in long.reasons[0].message
    assert not exceeds_general_maximum(D(2025, 3, 3), D(2025, 4, 30), OFFICIAL, D(2025, 3, 1))


def test_version_switch_day() -> None:
    # The same 5-calendar-day notice: too short before the 2014 条例, fine after (5 workdays).
    start, end = D(2014, 1, 20), D(2014, 1, 24)
    before = check_notice_period(start, end, OFFICIAL, D(2014, 1, 13))
    after = check_notice_period(start, end, OFFICIAL, D(2014, 1, 14))
    assert not before.ok
    assert before.reasons[0].rule == "APPT-03"
    assert after.ok
    assert notice_end_for(start, None, D(2014, 1, 13)) == D(2014, 1, 26)


# ---------------------------------------------------------------- order and sanity (APPT-01)


def test_notice_before_the_decision_fails() -> None:
    v = check_notice_period(D(2025, 3, 3), D(2025, 3, 7), OFFICIAL, D(2025, 3, 4))
    assert not v.ok
    assert [r.rule for r in v.reasons] == ["APPT-01"]
    assert "早于2025年3月4日" in v.reasons[0].message


def test_notice_on_the_decision_day_is_allowed() -> None:
    assert check_notice_period(D(2025, 3, 3), D(2025, 3, 7), OFFICIAL, D(2025, 3, 3)).ok


def test_end_before_start_fails() -> None:
    v = check_notice_period(D(2025, 3, 7), D(2025, 3, 3), OFFICIAL, D(2025, 3, 1))
    assert not v.ok
    assert "早于开始日期" in v.reasons[0].message


def test_custom_version_parameters() -> None:
    seven = (
        NoticeRule(
            rule="LOCAL",
            name="本县规定",
            citation="本县",
            unit=PeriodUnit.WORKDAYS,
            minimum=7,
            maximum=None,
            effective_from=None,
            effective_until=None,
        ),
    )
    assert not check_notice_period(D(2025, 3, 3), D(2025, 3, 7), OFFICIAL, D(2025, 3, 1), seven).ok
    assert notice_end_for(D(2025, 3, 3), OFFICIAL, D(2025, 3, 1), seven) == D(2025, 3, 11)


# ---------------------------------------------------------------- properties


@settings(max_examples=80, deadline=None)
@given(st.dates(min_value=D(2014, 2, 1), max_value=D(2026, 12, 1)))
def test_earliest_end_is_exactly_the_boundary(start: dt.date) -> None:
    decided = start
    end = notice_end_for(start, OFFICIAL, decided)
    assert check_notice_period(start, end, OFFICIAL, decided).ok
    assert not check_notice_period(start, end - ONE, OFFICIAL, decided).ok
    assert check_notice_period(start, end + ONE, OFFICIAL, decided).ok  # no upper bound


@settings(max_examples=40, deadline=None)
@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2013, 12, 1)))
def test_old_rule_earliest_end_is_the_boundary(start: dt.date) -> None:
    end = notice_end_for(start, None, start)
    assert end == start + dt.timedelta(days=6)
    assert check_notice_period(start, end, None, start).ok
    assert not check_notice_period(start, end - ONE, None, start).ok
