"""The 选拔任用纪实 transition table (``ganbu.rules.selection_flow``) and the 差额考察 count."""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest

from ganbu.rules.selection_flow import (
    TRANSITIONS,
    FlowFlags,
    Step,
    check_candidate_count,
    check_transition,
    is_terminal,
    next_steps,
    route,
)

ALL_FLAGS = [FlowFlags(a, n, p) for a, n, p in itertools.product([False, True], repeat=3)]
S = Step

BASE = (
    S.PROPOSAL,
    S.RECOMMENDATION,
    S.CANDIDATES,
    S.PREANNOUNCEMENT,
    S.INSPECTION,
    S.OPINIONS,
    S.DEPARTMENT_MEETING,
    S.COMMITTEE_VOTE,
)


# ---------------------------------------------------------------- the table


def test_default_route() -> None:
    assert route() == (*BASE, S.PUBLIC_NOTICE, S.APPOINTMENT, S.FEEDBACK, S.PROBATION_END)


def test_announcement_comes_right_after_the_vote() -> None:
    assert route(FlowFlags(announcement=True)) == (
        *BASE,
        S.ANNOUNCEMENT,
        S.PUBLIC_NOTICE,
        S.APPOINTMENT,
        S.FEEDBACK,
        S.PROBATION_END,
    )


def test_routes_without_notice_or_probation() -> None:
    assert route(FlowFlags(public_notice=False, probation=False)) == (*BASE, S.APPOINTMENT, S.FEEDBACK)
    assert route(FlowFlags(announcement=True, public_notice=False))[-5:] == (
        S.COMMITTEE_VOTE,
        S.ANNOUNCEMENT,
        S.APPOINTMENT,
        S.FEEDBACK,
        S.PROBATION_END,
    )


@pytest.mark.parametrize("flags", ALL_FLAGS)
def test_table_is_deterministic_for_every_flag_set(flags: FlowFlags) -> None:
    steps = route(flags)
    assert len(set(steps)) == len(steps)
    assert steps[0] is S.PROPOSAL
    assert S.WITHDRAWN not in steps
    for step in Step:
        forward = [t for t in TRANSITIONS if t.source is step and t.guard(flags)]
        assert len(forward) <= 1, (step, flags)
        if forward:
            assert step in steps
    # Mandatory steps are on every route, in the statutory order (MODE-01, INSP-05, APPT-01).
    mandatory = [
        S.PROPOSAL,
        S.RECOMMENDATION,
        S.CANDIDATES,
        S.PREANNOUNCEMENT,
        S.INSPECTION,
        S.COMMITTEE_VOTE,
    ]
    assert [s for s in steps if s in mandatory] == mandatory
    assert steps.index(S.COMMITTEE_VOTE) < steps.index(S.APPOINTMENT) < steps.index(S.FEEDBACK)
    if flags.public_notice:
        assert steps.index(S.COMMITTEE_VOTE) < steps.index(S.PUBLIC_NOTICE) < steps.index(S.APPOINTMENT)


def test_every_row_cites_a_rule() -> None:
    for t in TRANSITIONS:
        assert t.rule and "（" in t.citation


def test_labels() -> None:
    assert [s.label for s in route(FlowFlags(announcement=True))] == [
        "动议",
        "民主推荐",
        "确定考察对象",
        "考察预告",
        "考察",
        "征求意见",
        "部务会",
        "常委会票决",
        "第一时间公告提醒",
        "任前公示",
        "任职",
        "任后反响",
        "试用期满",
    ]
    assert S.WITHDRAWN.label == "终止"


def test_next_steps_and_terminals() -> None:
    assert next_steps(S.PROPOSAL) == (S.RECOMMENDATION, S.WITHDRAWN)
    assert next_steps(S.COMMITTEE_VOTE, FlowFlags(announcement=True)) == (S.ANNOUNCEMENT, S.WITHDRAWN)
    assert next_steps(S.PROBATION_END) == ()
    assert next_steps(S.WITHDRAWN) == ()
    assert is_terminal(S.PROBATION_END)
    assert is_terminal(S.WITHDRAWN)
    assert not is_terminal(S.FEEDBACK)
    assert is_terminal(S.FEEDBACK, FlowFlags(probation=False))
    assert next_steps(S.FEEDBACK, FlowFlags(probation=False)) == ()


# ---------------------------------------------------------------- check_transition


@pytest.mark.parametrize("flags", ALL_FLAGS)
def test_only_the_next_step_is_allowed(flags: FlowFlags) -> None:
    steps = route(flags)
    for (i, a), (j, b) in itertools.product(enumerate(steps), repeat=2):
        assert check_transition(a, b, flags).ok is (j == i + 1), (a, b)


def test_skipping_names_the_missing_step() -> None:
    v = check_transition(S.CANDIDATES, S.INSPECTION)
    assert not v.ok
    (r,) = v.reasons
    assert r.rule == "INSP-05"
    assert r.message == "不能从“确定考察对象”直接进入“考察”，尚缺“考察预告”环节。"
    assert "PROC-02" in r.citation


def test_skipping_several_names_them_all() -> None:
    v = check_transition(S.PROPOSAL, S.INSPECTION)
    assert v.reasons[0].rule == "MODE-01"
    assert "尚缺“民主推荐”、“确定考察对象”、“考察预告”环节" in v.reasons[0].message


def test_appointment_before_notice_is_refused() -> None:
    v = check_transition(S.COMMITTEE_VOTE, S.APPOINTMENT)
    assert v.reasons[0].rule == "APPT-01"
    assert "尚缺“任前公示”" in v.reasons[0].message
    assert check_transition(S.COMMITTEE_VOTE, S.APPOINTMENT, FlowFlags(public_notice=False)).ok


def test_going_back_is_refused() -> None:
    v = check_transition(S.INSPECTION, S.RECOMMENDATION)
    assert v.reasons[0].rule == "PROC-02"
    assert v.reasons[0].message == (
        "不能从“考察”回到“民主推荐”：“民主推荐”须在“考察”之前完成，下一环节应为“征求意见”。"
    )
    assert "重复" in check_transition(S.INSPECTION, S.INSPECTION).reasons[0].message


def test_step_not_on_this_route() -> None:
    v = check_transition(S.COMMITTEE_VOTE, S.ANNOUNCEMENT)
    assert not v.ok
    assert "不包含“第一时间公告提醒”" in v.reasons[0].message
    assert "应为“任前公示”" in v.reasons[0].message
    inconsistent = check_transition(S.ANNOUNCEMENT, S.PUBLIC_NOTICE)
    assert not inconsistent.ok
    assert "记录有误" in inconsistent.reasons[0].message


def test_withdrawal_needs_a_reason() -> None:
    assert not check_transition(S.INSPECTION, S.WITHDRAWN).ok
    assert "终止理由" in check_transition(S.INSPECTION, S.WITHDRAWN, reason=" ").reasons[0].message
    assert check_transition(S.INSPECTION, S.WITHDRAWN, reason="考察发现问题").ok
    assert check_transition(S.PUBLIC_NOTICE, S.WITHDRAWN, reason="公示期间收到反映，经核实影响任用").ok


@pytest.mark.parametrize("flags", ALL_FLAGS)
def test_withdrawal_from_any_non_terminal_step(flags: FlowFlags) -> None:
    for step in route(flags):
        assert check_transition(step, S.WITHDRAWN, flags, reason="理由").ok is not is_terminal(step, flags)


def test_nothing_follows_a_terminal_step() -> None:
    v = check_transition(S.WITHDRAWN, S.RECOMMENDATION, reason="x")
    assert not v.ok
    assert "最后环节" in v.reasons[0].message
    assert not check_transition(S.PROBATION_END, S.WITHDRAWN, reason="x").ok


# ---------------------------------------------------------------- 差额考察 (INSP-02/03)


@pytest.mark.parametrize(
    ("posts", "candidates", "ok"),
    [
        (1, 2, True),
        (1, 3, False),  # 3 more than... ratio 3 > 2
        (2, 3, True),
        (2, 4, True),
        (2, 5, False),  # 3 more
        (3, 4, False),  # ratio 1.33 < 1.5
        (3, 5, True),
        (3, 6, False),  # 3 more
        (4, 6, True),
        (4, 5, False),
    ],
)
def test_candidate_count_defaults(posts: int, candidates: int, ok: bool) -> None:
    assert check_candidate_count(posts, candidates).ok is ok


def test_ratio_failure_reuses_the_tally_message() -> None:
    v = check_candidate_count(3, 4)
    assert [r.rule for r in v.reasons] == ["INSP-03"]
    assert "差额比例 约1.33:1，低于下限" in v.reasons[0].message
    assert "UNCONFIRMED" in v.reasons[0].citation


def test_too_many_extra() -> None:
    v = check_candidate_count(2, 5)
    assert "多出 3 名" in v.reasons[0].message
    assert "高于上限" in v.reasons[1].message


def test_no_count_fits_both_defaults_for_five_posts() -> None:
    for candidates in range(5, 12):
        v = check_candidate_count(5, candidates, single_candidate_reason="")
        assert not v.ok
    assert any("调整本县差额考察参数" in r.message for r in check_candidate_count(5, 7).reasons)
    assert check_candidate_count(5, 7, min_ratio=None).ok


def test_bounds_can_be_switched_off_or_changed() -> None:
    assert check_candidate_count(1, 3, max_ratio=None).ok
    assert check_candidate_count(1, 4, max_ratio=None, max_extra=None).ok
    assert not check_candidate_count(1, 4, max_ratio=None).ok
    assert check_candidate_count(2, 3, min_ratio=1.5, max_ratio=2).ok  # floats accepted
    assert not check_candidate_count(2, 3, min_ratio=Fraction(8, 5)).ok
    assert check_candidate_count(3, 4, min_ratio=None, max_ratio=None).ok


def test_equal_count_needs_a_reason_and_never_at_a_general_election() -> None:
    bare = check_candidate_count(1, 1)
    assert not bare.ok
    assert bare.reasons[0].rule == "INSP-02"
    assert "须记录意见集中等理由" in bare.reasons[0].message
    with_reason = check_candidate_count(1, 1, single_candidate_reason="民主推荐意见集中")
    assert with_reason.ok
    assert "理由：民主推荐意见集中" in with_reason.reasons[0].message
    election = check_candidate_count(1, 1, single_candidate_reason="意见集中", general_election=True)
    assert not election.ok
    assert "换届" in election.reasons[0].message


def test_fewer_candidates_than_posts() -> None:
    v = check_candidate_count(2, 1, single_candidate_reason="x")
    assert not v.ok
    assert "少于拟任职位" in v.reasons[0].message


def test_impossible_counts_raise() -> None:
    with pytest.raises(ValueError):
        check_candidate_count(0, 2)
    with pytest.raises(ValueError):
        check_candidate_count(1, -1)
