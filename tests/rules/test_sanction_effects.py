"""处分的合并、影响、解除与申诉期限 (``ganbu.rules.sanction_effects``): each rule at its boundaries.

DISC-03, DISC-04, DISC-05, DISC-08, DISC-09 and DISC-16.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ganbu.rules.citations import plain
from ganbu.rules.inputs import RuleInputError
from ganbu.rules.sanction_effects import (
    MAX_COMBINED_MONTHS,
    Promotion,
    add_during_period,
    appeal_deadline,
    appeal_decision_due,
    blocked_promotions,
    choose_period,
    combine_violations,
    expiry,
    in_force_on,
    policy_period,
    review_deadline,
    review_decision_due,
    sanction_period,
)
from ganbu.rules.sanctions import SanctionType as T
from ganbu.rules.sanctions import period_last_day
from ganbu.rules.workdays import WorkCalendar

D = dt.date
ONE = dt.timedelta(days=1)


# --- DISC-05: several violations -------------------------------------------------------------------


def test_different_kinds_execute_the_heaviest_with_its_own_period():
    c = combine_violations([T.WARNING, T.MAJOR_DEMERIT, T.DEMERIT], D(2024, 3, 15))
    assert c.kind is T.MAJOR_DEMERIT and not c.has_choice
    assert (c.min_months, c.max_months) == (18, 18)
    period = choose_period(c)
    assert period.last == D(2025, 9, 14) and period.rule == "DISC-05"
    assert "第十五条" in period.citation


def test_identical_kinds_give_a_range_from_one_period_to_their_sum():
    c = combine_violations([T.DEMERIT, T.DEMERIT], D(2024, 3, 15))
    assert (c.min_months, c.max_months, c.count) == (12, 24, 2) and c.has_choice
    for months in (12, 18, 24):
        assert choose_period(c, months).last == period_last_day(D(2024, 3, 15), months)
    for months in (11, 25):
        with pytest.raises(RuleInputError, match="12个月以上、24个月以下"):
            choose_period(c, months)
    with pytest.raises(RuleInputError, match="请填写"):
        choose_period(c)


def test_the_48_month_cap():
    """Three 降级 (72 months) are capped at 48; 48 passes, 49 is refused (DISC-05)."""
    c = combine_violations([T.DEMOTION] * 3, D(2024, 1, 10))
    assert (c.min_months, c.max_months) == (24, MAX_COMBINED_MONTHS)
    assert choose_period(c, 48).last == D(2028, 1, 9)
    with pytest.raises(RuleInputError, match="48个月"):
        choose_period(c, 49)
    # Below the cap the sum stands: 记大过 ×2 = 36; ×3 = 54 → 48.
    assert combine_violations([T.MAJOR_DEMERIT] * 2, D(2024, 1, 10)).max_months == 36
    assert combine_violations([T.MAJOR_DEMERIT] * 3, D(2024, 1, 10)).max_months == 48


def test_two_dismissals_combine_because_below_includes_itself():
    """ "撤职以下" counts 撤职 itself (以下包括本数): two 撤职 → 24 to 48 months."""
    c = combine_violations([T.DISMISSAL, T.DISMISSAL], D(2024, 1, 10))
    assert (c.min_months, c.max_months) == (24, 48)


def test_heaviest_repeated_among_mixed_kinds_absorbs_the_lighter():
    c = combine_violations([T.DEMERIT, T.WARNING, T.DEMERIT], D(2024, 1, 10))
    assert (c.kind, c.min_months, c.max_months) == (T.DEMERIT, 12, 24)


def test_expulsion_among_violations_has_no_period():
    c = combine_violations([T.DEMERIT, T.EXPULSION], D(2024, 1, 10))
    assert c.kind is T.EXPULSION and c.min_months is None
    assert choose_period(c).permanent
    with pytest.raises(RuleInputError):
        choose_period(c, 12)


def test_party_kinds_and_empty_lists_are_refused():
    with pytest.raises(RuleInputError, match="不是政务处分"):
        combine_violations([T.PARTY_WARNING], D(2024, 1, 10))
    with pytest.raises(RuleInputError):
        combine_violations([], D(2024, 1, 10))
    with pytest.raises(RuleInputError):
        choose_period(combine_violations([T.DEMERIT] * 2, D(2024, 1, 10)), True)  # type: ignore[arg-type]


# --- DISC-05: a new sanction during a running period -----------------------------------------------


@pytest.mark.parametrize(
    ("new_day", "expected_first"),
    [
        (D(2024, 9, 13), D(2024, 9, 13)),  # one day before the old period's last day
        (D(2024, 9, 14), D(2024, 9, 14)),  # on its last day
    ],
)
def test_new_sanction_near_the_end_adds_the_unexecuted_days(new_day, expected_first):
    old = sanction_period(T.WARNING, D(2024, 3, 15))  # last day 2024-09-14
    assert old.last == D(2024, 9, 14)
    combined = add_during_period(old, T.DEMERIT, new_day)
    # The unexecuted days (to 9-14), then 12 months from 9-15.
    assert (combined.first, combined.last) == (expected_first, D(2025, 9, 14))
    assert combined.kind is T.DEMERIT and combined.rule == "DISC-05"
    assert "第十条" in combined.citation


def test_new_sanction_the_day_after_is_not_a_combination():
    old = sanction_period(T.WARNING, D(2024, 3, 15))
    with pytest.raises(RuleInputError, match="不在原处分期"):
        add_during_period(old, T.DEMERIT, D(2024, 9, 15))
    # On its own it ends the same day the combination would have.
    assert sanction_period(T.DEMERIT, D(2024, 9, 15)).last == D(2025, 9, 14)


def test_new_sanction_early_in_the_period_adds_the_whole_remainder():
    old = sanction_period(T.MAJOR_DEMERIT, D(2024, 1, 10))  # to 2025-07-09
    combined = add_during_period(old, T.WARNING, D(2024, 2, 1))
    assert combined.last == D(2026, 1, 9)  # 6 months after 2025-07-10
    assert combined.kind is T.MAJOR_DEMERIT  # the heavier kind decides the effects


def test_new_sanction_is_capped_at_48_months_from_its_decision():
    old = choose_period(combine_violations([T.DISMISSAL] * 2, D(2024, 1, 10)), 48)  # to 2028-01-09
    combined = add_during_period(old, T.DISMISSAL, D(2024, 1, 11))
    assert combined.last == period_last_day(D(2024, 1, 11), 48) == D(2028, 1, 10)


def test_new_expulsion_ends_the_period_question():
    old = sanction_period(T.DEMERIT, D(2024, 1, 10))
    assert add_during_period(old, T.EXPULSION, D(2024, 5, 1)).permanent
    with pytest.raises(RuleInputError, match="不设处分期"):
        add_during_period(sanction_period(T.EXPULSION, D(2024, 1, 10)), T.WARNING, D(2024, 5, 1))


@given(
    st.dates(min_value=D(2000, 1, 1), max_value=D(2080, 12, 31)),
    st.sampled_from([T.WARNING, T.DEMERIT, T.MAJOR_DEMERIT, T.DEMOTION, T.DISMISSAL]),
    st.sampled_from([T.WARNING, T.DEMERIT, T.MAJOR_DEMERIT, T.DEMOTION, T.DISMISSAL]),
    st.integers(min_value=0, max_value=800),
)
def test_a_combined_period_covers_both_and_never_exceeds_48_months(start, old_kind, new_kind, offset):
    old = sanction_period(old_kind, start)
    assert old.last is not None
    new_day = min(start + dt.timedelta(days=offset), old.last)
    combined = add_during_period(old, new_kind, new_day)
    assert combined.last is not None
    assert combined.last >= old.last
    assert combined.last >= sanction_period(new_kind, new_day).last  # type: ignore[operator]
    assert combined.last <= period_last_day(new_day, MAX_COMBINED_MONTHS)


# --- DISC-03: effects -------------------------------------------------------------------------------


def test_warning_blocks_promotions_but_not_the_salary_step_on_its_first_and_last_day():
    period = sanction_period(T.WARNING, D(2024, 3, 15))
    for day in (D(2024, 3, 15), D(2024, 9, 14)):
        effects = blocked_promotions(period, day)
        assert effects.blocks(Promotion.POST) and effects.blocks(Promotion.GRADE)
        assert not effects.blocks(Promotion.SALARY_STEP)
        assert not effects.verdict.ok
        assert "2024年9月14日" in effects.reasons[0].message
        assert effects.reasons[0].rule == "DISC-03"
    for day in (D(2024, 3, 14), D(2024, 9, 15)):
        assert blocked_promotions(period, day).blocked == ()
        assert blocked_promotions(period, day).verdict.ok


def test_demerit_and_heavier_block_the_salary_step():
    for kind in (T.DEMERIT, T.MAJOR_DEMERIT, T.DEMOTION, T.DISMISSAL):
        effects = blocked_promotions(sanction_period(kind, D(2024, 3, 15)), D(2024, 3, 15))
        assert effects.blocks(Promotion.SALARY_STEP), kind
        assert "工资档次" in effects.reasons[0].message


def test_dismissal_lowers_post_rank_and_grade():
    period = sanction_period(T.DISMISSAL, D(2024, 3, 15))
    assert set(blocked_promotions(period, D(2024, 4, 1)).lowered) == {
        Promotion.POST,
        Promotion.RANK,
        Promotion.GRADE,
    }
    assert blocked_promotions(sanction_period(T.DEMOTION, D(2024, 3, 15)), D(2024, 4, 1)).lowered == ()


def test_expulsion_blocks_everything_for_good():
    effects = blocked_promotions(sanction_period(T.EXPULSION, D(2020, 1, 1)), D(2040, 1, 1))
    assert set(effects.blocked) == set(Promotion) and effects.reasons[0].rule == "DISC-01"


def test_the_citation_reads_plainly_for_officers():
    reason = blocked_promotions(sanction_period(T.DEMERIT, D(2024, 3, 15)), D(2024, 4, 1)).reasons[0]
    assert "rules.md DISC-03" in reason.citation
    assert "DISC" not in plain(reason.citation) and "第十九条" in plain(reason.citation)


# --- DISC-04: expiry ---------------------------------------------------------------------------------


def test_in_force_the_last_day_and_lifted_the_next():
    period = sanction_period(T.DEMERIT, D(2024, 3, 15))  # to 2025-03-14
    assert not in_force_on(period, D(2024, 3, 14))
    assert in_force_on(period, D(2024, 3, 15)) and in_force_on(period, D(2025, 3, 14))
    assert not in_force_on(period, D(2025, 3, 15))
    result = expiry(period, new_violation=False)
    assert result.lifted_on == D(2025, 3, 15) and result.not_restored == ()


def test_a_new_violation_keeps_it_in_force_after_the_last_day():
    period = sanction_period(T.DEMERIT, D(2024, 3, 15))
    assert in_force_on(period, D(2025, 3, 15), new_violation=True)
    assert expiry(period, new_violation=True).lifted_on is None


def test_lifting_demotion_or_dismissal_does_not_restore():
    demotion = expiry(sanction_period(T.DEMOTION, D(2024, 3, 15)), new_violation=False)
    assert demotion.not_restored == (Promotion.GRADE,) and "不恢复原级别" in demotion.message
    dismissal = expiry(sanction_period(T.DISMISSAL, D(2024, 3, 15)), new_violation=False)
    assert set(dismissal.not_restored) == {Promotion.POST, Promotion.RANK, Promotion.GRADE}
    assert dismissal.lifted_on == D(2026, 3, 15)


def test_expulsion_is_never_lifted_and_new_violation_must_be_stated_as_a_flag():
    expelled = sanction_period(T.EXPULSION, D(2020, 1, 1))
    assert expiry(expelled, new_violation=False).lifted_on is None
    assert in_force_on(expelled, D(2090, 1, 1))
    with pytest.raises(RuleInputError):
        expiry(sanction_period(T.WARNING, D(2024, 1, 1)), new_violation=0)  # type: ignore[arg-type]


# --- DISC-16: appeal deadlines ------------------------------------------------------------------------


def test_review_within_30_days_of_knowing():
    deadline = review_deadline(D(2024, 3, 1))
    assert deadline.last == D(2024, 3, 31)
    assert deadline.check(D(2024, 3, 30)).ok and deadline.check(D(2024, 3, 31)).ok
    late = deadline.check(D(2024, 4, 1))
    assert not late.ok and "已超过1日" in late.reasons[0].message
    assert late.reasons[0].rule == "DISC-16" and "第九十五条" in late.reasons[0].citation


def test_appeal_after_review_is_15_days_and_direct_appeal_30():
    assert appeal_deadline(review_decision_received_on=D(2024, 4, 10)).last == D(2024, 4, 25)
    assert appeal_deadline(known_on=D(2024, 3, 1)).last == D(2024, 3, 31)
    with pytest.raises(RuleInputError, match="二者填其一"):
        appeal_deadline()
    with pytest.raises(RuleInputError):
        appeal_deadline(known_on=D(2024, 3, 1), review_decision_received_on=D(2024, 4, 10))


def test_decision_deadlines_and_the_extension_cap():
    assert review_decision_due(D(2024, 3, 1)).last == D(2024, 3, 31)
    assert appeal_decision_due(D(2024, 3, 1)).last == D(2024, 4, 30)
    assert appeal_decision_due(D(2024, 3, 1), extension_days=30).last == D(2024, 5, 30)
    with pytest.raises(RuleInputError, match="不能大于 30"):
        appeal_decision_due(D(2024, 3, 1), extension_days=31)


def test_a_deadline_on_a_rest_day_moves_to_the_next_workday_with_a_calendar():
    calendar = WorkCalendar.build(
        holidays=[D(2024, 4, 4), D(2024, 4, 5)], adjusted_workdays=[D(2024, 4, 7)], years=[2024]
    )
    # 3-5 + 30 = 4-4 (清明, holiday), 4-5 holiday, 4-6 Saturday, 4-7 调休上班.
    assert review_deadline(D(2024, 3, 5)).last == D(2024, 4, 4)
    assert review_deadline(D(2024, 3, 5), calendar=calendar).last == D(2024, 4, 7)


# --- DISC-08 / DISC-09: county policy periods ------------------------------------------------------------


def test_admonishment_period_comes_from_the_county_value():
    period = policy_period(T.ADMONISHMENT, D(2024, 3, 15), months=6)
    assert period.last == D(2024, 9, 14) and period.rule == "DISC-08"
    assert "本县规定" in period.citation and "UNCONFIRMED" in period.citation
    assert period.runs_on(D(2024, 9, 14)) and not period.runs_on(D(2024, 9, 15))
    organizational = policy_period(T.ORGANIZATIONAL, D(2024, 3, 15), months=12)
    assert organizational.rule == "DISC-09" and organizational.last == D(2025, 3, 14)


def test_policy_period_needs_a_whole_number_and_the_right_kind():
    with pytest.raises(TypeError):
        policy_period(T.ADMONISHMENT, D(2024, 3, 15))  # type: ignore[call-arg]
    with pytest.raises(RuleInputError):
        policy_period(T.ADMONISHMENT, D(2024, 3, 15), months=0)
    with pytest.raises(RuleInputError, match="处分条例"):
        policy_period(T.WARNING, D(2024, 3, 15), months=6)
