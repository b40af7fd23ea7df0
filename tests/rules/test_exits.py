"""Pure rules of the exits: age boundaries, the reach date under a policy change, the statutory
retirement date and early grounds, the resignation bar, demotion order and the case table."""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.rules.exits import (
    CASE_TRANSITIONS,
    MSG_RESIGNATION_BLOCKED_GENERIC,
    AgeThresholds,
    CaseStep,
    EarlyRetirementGround,
    ExitKind,
    ProceedingFacts,
    ProceedingKind,
    check_case_step,
    check_demotion,
    check_early_exit,
    check_holds_leadership,
    check_resignation,
    check_retirement,
    early_exit_reach_date,
)

D = dt.date
DEFAULT = [AgeThresholds(start=dt.date.min, men=55, women=50)]


def early(birth, gender, on, men=55, women=50):
    return check_early_exit(
        name="甲", birth=birth, gender=gender, on=on, men_age=men, women_age=women, policy_source="默认值"
    )


@pytest.mark.parametrize(
    ("gender", "birth", "on", "ok"),
    [
        ("M", D(1970, 6, 15), D(2025, 6, 15), True),  # the birthday itself
        ("M", D(1970, 6, 15), D(2025, 6, 14), False),  # the day before
        ("F", D(1975, 6, 15), D(2025, 6, 15), True),  # a woman at 50
        ("M", D(1975, 6, 15), D(2025, 6, 15), False),  # a man at 50
        ("F", D(1976, 2, 29), D(2026, 2, 28), False),  # 29 Feb: reached on 1 March in a common year
        ("F", D(1976, 2, 29), D(2026, 3, 1), True),
    ],
)
def test_early_exit_age_is_reached_on_the_birthday(gender, birth, on, ok):
    verdict = early(birth, gender, on)
    assert verdict.ok is ok
    if not ok:
        [reason] = verdict.reasons
        assert reason.rule == "RET-06"
        assert "尚未达到本县离岗退养年龄" in reason.message and "默认值" in reason.citation


def test_early_exit_message_names_the_birthday_and_the_age():
    [reason] = early(D(1970, 6, 15), "M", D(2025, 6, 14)).reasons
    assert "2025年6月15日年满55周岁" in reason.message and "1970年6月15日出生" in reason.message


def test_leadership_is_needed_only_by_the_kinds_that_step_down():
    refused = check_holds_leadership(name="甲", kind=ExitKind.REMOVAL, on=D(2025, 1, 1), leadership_posts=[])
    assert not refused.ok and "未担任领导职务" in refused.reasons[0].message
    assert check_holds_leadership(
        name="甲", kind=ExitKind.RETIREMENT, on=D(2025, 1, 1), leadership_posts=[]
    ).ok
    assert check_holds_leadership(name="甲", kind=ExitKind.DEMOTION, on=D(2025, 1, 1), leadership_posts=[]).ok


# ---------------------------------------------------------------- reach dates in a year


def test_reach_date_is_the_birthday_in_the_year_and_none_for_those_due_earlier():
    assert early_exit_reach_date(D(1970, 3, 10), "M", 2025, DEFAULT) == D(2025, 3, 10)
    assert early_exit_reach_date(D(1969, 9, 10), "M", 2025, DEFAULT) is None  # due in 2024
    assert early_exit_reach_date(D(1971, 1, 1), "M", 2025, DEFAULT) is None  # due in 2026
    assert early_exit_reach_date(D(1975, 12, 31), "F", 2025, DEFAULT) == D(2025, 12, 31)


def test_a_raise_during_the_year_postpones_those_born_after_it():
    raised = [*DEFAULT, AgeThresholds(start=D(2025, 7, 1), men=56, women=50)]
    assert early_exit_reach_date(D(1970, 3, 10), "M", 2025, raised) == D(2025, 3, 10)
    assert early_exit_reach_date(D(1970, 9, 10), "M", 2025, raised) is None
    assert early_exit_reach_date(D(1970, 9, 10), "M", 2026, raised) == D(2026, 9, 10)
    assert early_exit_reach_date(D(1975, 9, 10), "F", 2025, raised) == D(2025, 9, 10)


def test_a_cut_during_the_year_makes_older_leaders_due_on_the_day_it_comes_into_force():
    cut = [*DEFAULT, AgeThresholds(start=D(2025, 7, 1), men=54, women=50)]
    assert early_exit_reach_date(D(1971, 3, 10), "M", 2025, cut) == D(2025, 7, 1)
    assert early_exit_reach_date(D(1971, 9, 10), "M", 2025, cut) == D(2025, 9, 10)


def test_reach_date_needs_the_version_in_force_at_the_end_of_the_previous_year():
    with pytest.raises(ValueError, match="上一年年底"):
        early_exit_reach_date(
            D(1970, 3, 10), "M", 2025, [AgeThresholds(start=D(2025, 1, 1), men=55, women=50)]
        )


# ---------------------------------------------------------------- retirement


def retire(birth, gender, on, *, work_start=None, ground=None, evidence=""):
    return check_retirement(
        name="乙",
        birth=birth,
        gender=gender,
        on=on,
        work_start=work_start,
        ground=ground,
        ground_evidence=evidence,
    )


@pytest.mark.parametrize(
    ("gender", "birth", "statutory"),
    [
        ("M", D(1964, 12, 15), D(2024, 12, 15)),  # before the reform: 60
        ("M", D(1965, 1, 15), D(2025, 2, 15)),  # first cohort: 60 and 1 month
        ("M", D(1965, 1, 31), D(2025, 2, 28)),  # the case: February, the month's last day
        ("M", D(1965, 5, 15), D(2025, 7, 15)),  # second group: 60 and 2 months
        ("M", D(1976, 9, 1), D(2039, 9, 1)),  # the cap: 63
        ("F", D(1969, 12, 20), D(2024, 12, 20)),  # women cadres before the reform: 55
        ("F", D(1970, 1, 31), D(2025, 2, 28)),  # 55y1m from 31 Jan: February per the table
        ("F", D(1981, 9, 1), D(2039, 9, 1)),  # the cap: 58
    ],
)
def test_retirement_is_allowed_in_the_statutory_month_and_refused_the_day_before_it(gender, birth, statutory):
    first = statutory.replace(day=1)
    assert retire(birth, gender, statutory).ok
    assert retire(birth, gender, first).ok  # the table gives a month: any day of it
    verdict = retire(birth, gender, first - dt.timedelta(days=1))
    assert not verdict.ok
    [reason] = verdict.reasons
    assert (
        reason.rule == "RET-01"
        and f"早于法定退休时间（{statutory.year}年{statutory.month}月）" in reason.message
    )
    assert f"{statutory.year}年{statutory.month}月{statutory.day}日年满" in reason.message


def test_early_retirement_grounds_are_checked_against_the_work_years():
    birth, on = D(1966, 6, 1), D(2025, 6, 1)  # statutory date 2026-11-01 (60y5m): < 5 years away
    service, near = EarlyRetirementGround.SERVICE_30, EarlyRetirementGround.NEAR_AGE_20
    assert retire(birth, "M", on, work_start=D(1995, 6, 1), ground=service).ok  # 30 years on the day
    short = retire(birth, "M", on, work_start=D(1995, 6, 2), ground=service)
    assert not short.ok
    assert short.reasons[0].message.endswith(
        "工作年限为 29 年，未满三十年，不符合「工作年限满三十年（第九十三条第一项）」。"
    )
    assert retire(birth, "M", on, work_start=D(2005, 6, 1), ground=near).ok  # 20 years on the day
    assert not retire(birth, "M", on, work_start=D(2005, 6, 2), ground=near).ok


def test_near_age_ground_needs_fewer_than_five_years_to_the_statutory_date():
    birth = D(1970, 6, 1)  # man: 60y + delay; far from retirement in 2025
    verdict = retire(
        birth, "M", D(2025, 6, 1), work_start=D(1990, 1, 1), ground=EarlyRetirementGround.NEAR_AGE_20
    )
    assert not verdict.ok and "距法定退休日期不少于五年" in verdict.reasons[0].message


def test_grounds_that_cannot_be_computed_need_evidence_and_a_missing_work_start_is_named():
    birth, on = D(1970, 6, 1), D(2025, 6, 1)
    assert not retire(birth, "M", on, ground=EarlyRetirementGround.INCAPACITY).ok
    assert retire(
        birth, "M", on, ground=EarlyRetirementGround.INCAPACITY, evidence="市劳动能力鉴定委员会鉴定"
    ).ok
    missing = retire(birth, "M", on, ground=EarlyRetirementGround.SERVICE_30)
    assert "未登记参加工作时间" in missing.reasons[0].message


# ---------------------------------------------------------------- resignation


AUDIT = ProceedingFacts(kind=ProceedingKind.AUDIT, body="县审计局", started_on=D(2025, 3, 1), ended_on=None)


MAY_1 = D(2025, 5, 1)


def resign(proceedings, decided=MAY_1, effective=MAY_1, disclose=True):
    return check_resignation(
        name="丙",
        kind=ExitKind.RESIGNATION_ENTIRE,
        decided_on=decided,
        effective_on=effective,
        proceedings=proceedings,
        disclose=disclose,
    )


def test_resignation_is_refused_while_a_proceeding_is_open_and_names_it_to_those_who_may_know():
    [reason] = resign([AUDIT]).reasons
    assert reason.rule == "DISC-14" and "第八十六条" in reason.citation
    assert "自2025年3月1日起接受县审计局的审计（尚未结束）" in reason.message
    [generic] = resign([AUDIT], disclose=False).reasons
    assert generic.message == MSG_RESIGNATION_BLOCKED_GENERIC
    assert "县审计局" not in generic.message


def test_a_proceeding_blocks_only_between_its_start_and_its_end():
    ended = ProceedingFacts(
        kind=ProceedingKind.AUDIT, body="县审计局", started_on=D(2025, 3, 1), ended_on=D(2025, 5, 1)
    )
    assert resign([ended]).ok  # decided on the day it ended
    assert not resign([ended], decided=D(2025, 4, 30)).ok
    later = ProceedingFacts(
        kind=ProceedingKind.DISCIPLINE_REVIEW, body="县纪委", started_on=D(2025, 5, 10), ended_on=None
    )
    assert resign([later], effective=D(2025, 5, 9)).ok
    assert not resign([later], effective=D(2025, 5, 10)).ok  # opened before the resignation took effect


# ---------------------------------------------------------------- demotion and the case table


def test_demotion_must_lower_the_rank():
    assert check_demotion(
        name="丁", current_rank="正科级", current_index=0, new_rank="副科级", new_index=1
    ).ok
    same = check_demotion(name="丁", current_rank="副科级", current_index=1, new_rank="副科级", new_index=1)
    assert not same.ok and "并未降低" in same.reasons[0].message and same.reasons[0].rule == "EVAL-02"
    assert not check_demotion(
        name="丁", current_rank="副科级", current_index=1, new_rank="正科级", new_index=0
    ).ok


def test_case_steps_cannot_be_skipped_and_closed_cases_stay_closed():
    assert check_case_step(CaseStep.OPENED, CaseStep.CONFIRMED).ok
    assert check_case_step(CaseStep.OPENED, CaseStep.NOT_CONFIRMED).ok
    assert check_case_step(CaseStep.CONFIRMED, CaseStep.ADJUSTED).ok
    skipped = check_case_step(CaseStep.OPENED, CaseStep.ADJUSTED)
    assert not skipped.ok and "须先完成组织考察并认定不称职" in skipped.reasons[0].message
    for closed in (CaseStep.NOT_CONFIRMED, CaseStep.ADJUSTED):
        assert CASE_TRANSITIONS[closed] == frozenset()
        assert all(not check_case_step(closed, target).ok for target in CaseStep)
