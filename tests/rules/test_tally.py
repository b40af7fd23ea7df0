"""Ballot tallying (``ganbu.rules.tally``): pure, no Django, no database."""

from __future__ import annotations

import math
import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ganbu.rules.tally import (
    CommitteeChoice,
    EvaluationSheet,
    Grade,
    RecommendationSheet,
    check_paper_return,
    differential_ratio_ok,
    majority_required,
    quorum_required,
    tally_committee_item,
    tally_evaluation,
    tally_recommendation,
)

A, D, H = CommitteeChoice.AGREE, CommitteeChoice.DISAGREE, CommitteeChoice.DEFER
EX, CO, BA, IN = Grade.EXCELLENT, Grade.COMPETENT, Grade.BASIC, Grade.INCOMPETENT


def ballot(agree: int, disagree: int = 0, defer: int = 0) -> list[CommitteeChoice]:
    """A list of committee choices with the given counts."""
    return [A] * agree + [D] * disagree + [H] * defer


# ---------------------------------------------------------------- 票决: quorum and majority


@pytest.mark.parametrize(
    ("members", "quorum", "majority"),
    [(7, 5, 4), (8, 6, 5), (9, 6, 5), (11, 8, 6), (13, 9, 7), (1, 1, 1), (3, 2, 2)],
)
def test_quorum_and_majority_thresholds(members: int, quorum: int, majority: int) -> None:
    assert quorum_required(members) == quorum
    assert majority_required(members) == majority


def test_eleven_members_seven_present_is_no_quorum_eight_is() -> None:
    no = tally_committee_item(members=11, present=7, choices=ballot(7))
    assert not no.quorum_met
    assert not no.passed  # 7 agree would be a majority, but there is no quorum
    assert "至少 8 人" in no.reasons[0].message
    yes = tally_committee_item(members=11, present=8, choices=ballot(6, 2))
    assert yes.quorum_met
    assert yes.passed


def test_majority_counts_members_not_those_present() -> None:
    # 5 of 8 present is a majority of those present, but not of the 11 who should attend.
    fail = tally_committee_item(members=11, present=8, choices=ballot(5, 3))
    assert fail.quorum_met
    assert not fail.passed
    assert "至少 6 票" in fail.reasons[1].message
    assert tally_committee_item(members=11, present=11, choices=ballot(5, 6)).passed is False
    assert tally_committee_item(members=11, present=8, choices=ballot(6, 1, 1)).passed is True


@pytest.mark.parametrize("members", [7, 9, 11, 13])
def test_every_attendance_and_agree_count_matches_the_definition(members: int) -> None:
    for present in range(members + 1):
        for agree in range(present + 1):
            r = tally_committee_item(members=members, present=present, choices=ballot(agree))
            quorum = 3 * present >= 2 * members
            assert r.quorum_met is quorum, (members, present)
            assert r.passed is (quorum and 2 * agree > members), (members, present, agree)
            assert r.not_voted == present - agree


def test_counts_defer_disagree_and_not_voted() -> None:
    r = tally_committee_item(members=9, present=8, choices=ballot(4, 2, 1))
    assert (r.agree, r.disagree, r.defer, r.not_voted) == (4, 2, 1, 1)
    assert not r.passed
    assert [x.rule for x in r.reasons] == ["DEC-01", "DEC-02"]
    assert "缓议 1 票" in r.reasons[1].message
    assert "条例" in r.reasons[0].citation


def test_plain_strings_are_accepted_as_choices() -> None:
    r = tally_committee_item(members=7, present=5, choices=["agree"] * 4)  # type: ignore[list-item]
    assert r.agree == 4
    assert r.passed


@pytest.mark.parametrize(
    ("members", "present", "n_choices"),
    [(0, 0, 0), (5, 6, 0), (5, -1, 0), (5, 3, 4)],
)
def test_impossible_counts_raise(members: int, present: int, n_choices: int) -> None:
    with pytest.raises(ValueError):
        tally_committee_item(members=members, present=present, choices=ballot(n_choices))


def test_unknown_choice_raises_in_chinese() -> None:
    with pytest.raises(ValueError, match="同意、不同意或缓议"):
        tally_committee_item(members=7, present=5, choices=["yes"])  # type: ignore[list-item]


def test_thresholds_reject_empty_committee() -> None:
    with pytest.raises(ValueError):
        quorum_required(0)
    with pytest.raises(ValueError):
        majority_required(0)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=1, max_value=25).flatmap(
        lambda m: st.tuples(
            st.just(m),
            st.integers(min_value=0, max_value=m).flatmap(
                lambda p: st.tuples(st.just(p), st.lists(st.sampled_from(list(CommitteeChoice)), max_size=p))
            ),
        )
    ),
    st.randoms(use_true_random=False),
)
def test_committee_order_never_matters(
    case: tuple[int, tuple[int, list[CommitteeChoice]]], rnd: random.Random
) -> None:
    members, (present, choices) = case
    shuffled = list(choices)
    rnd.shuffle(shuffled)
    a = tally_committee_item(members=members, present=present, choices=choices)
    b = tally_committee_item(members=members, present=present, choices=shuffled)
    assert a == b
    assert a.agree + a.disagree + a.defer + a.not_voted == present
    assert quorum_required(members) == math.ceil(Fraction(2 * members, 3))


# ---------------------------------------------------------------- 民主测评: evaluation


def sheets_of(**per_grade: int) -> list[EvaluationSheet]:
    """Sheets with the given count per grade name (excellent=..., incompetent=...)."""
    return [EvaluationSheet(grade=Grade(g)) for g, n in per_grade.items() for _ in range(n)]


def test_three_of_ten_incompetent_is_not_above_thirty_percent() -> None:
    r = tally_evaluation(sheets=sheets_of(competent=7, incompetent=3))
    assert r.incompetent_share == Fraction(3, 10)
    assert not r.incompetent_flag
    assert "未超过" in r.reasons[-1].message
    assert "30%" in r.reasons[-1].message


def test_four_of_ten_incompetent_is_flagged() -> None:
    r = tally_evaluation(sheets=sheets_of(competent=6, incompetent=4))
    assert r.incompetent_flag
    assert r.incompetent_share == Fraction(2, 5)
    assert "超过阈值" in r.reasons[-1].message


def test_three_of_nine_is_flagged_at_thirty_percent_but_not_at_one_third() -> None:
    sheets = sheets_of(excellent=2, competent=4, incompetent=3)
    assert tally_evaluation(sheets=sheets).incompetent_flag
    assert not tally_evaluation(sheets=sheets, threshold=Fraction(1, 3)).incompetent_flag


def test_counts_approval_and_categories() -> None:
    sheets = [
        EvaluationSheet(grade=EX, category="领导班子成员"),
        EvaluationSheet(grade=CO, category="领导班子成员"),
        EvaluationSheet(grade=BA, category="一般干部"),
        EvaluationSheet(grade=CO, category="一般干部"),
    ]
    r = tally_evaluation(sheets=sheets)
    assert r.total == 4
    assert dict(r.counts) == {EX: 1, CO: 2, BA: 1, IN: 0}
    assert r.approval_share == Fraction(3, 4)
    assert dict(r.by_category["一般干部"]) == {EX: 0, CO: 1, BA: 1, IN: 0}
    assert list(r.by_category) == ["一般干部", "领导班子成员"]


def test_weighted_shares_are_exact() -> None:
    # Leaders: 2 sheets, 1 incompetent (1/2); staff: 10 sheets, 1 incompetent (1/10).
    sheets = [
        EvaluationSheet(grade=IN, category="领导班子成员"),
        EvaluationSheet(grade=CO, category="领导班子成员"),
    ]
    sheets += [EvaluationSheet(grade=IN, category="一般干部")]
    sheets += [EvaluationSheet(grade=EX, category="一般干部")] * 9
    weights = {"领导班子成员": Fraction(3, 10), "一般干部": Fraction(7, 10), "中层干部": Fraction(5)}
    r = tally_evaluation(sheets=sheets, weights=weights)
    # (3/10 * 1/2 + 7/10 * 1/10) / 1 = 15/100 + 7/100 = 11/50; the absent 中层干部 weight is ignored.
    assert r.incompetent_share == Fraction(11, 50)
    assert r.shares[EX] == Fraction(7, 10) * Fraction(9, 10)
    assert r.shares[CO] == Fraction(3, 20)
    assert sum(r.shares.values()) == 1
    assert not r.incompetent_flag
    assert r.reasons[0].rule == "EVAL-10-weights"
    # Unweighted, the same sheets give 2/12.
    assert tally_evaluation(sheets=sheets).incompetent_share == Fraction(1, 6)


def test_weights_are_normalised_over_present_categories() -> None:
    sheets = [EvaluationSheet(grade=IN, category="甲"), EvaluationSheet(grade=CO, category="乙")]
    r = tally_evaluation(sheets=sheets, weights={"甲": Fraction(1), "乙": Fraction(3)})
    assert r.incompetent_share == Fraction(1, 4)


def test_missing_or_bad_weights_raise() -> None:
    sheets = [EvaluationSheet(grade=IN, category="甲"), EvaluationSheet(grade=CO, category="乙")]
    with pytest.raises(ValueError, match="乙"):
        tally_evaluation(sheets=sheets, weights={"甲": Fraction(1)})
    with pytest.raises(ValueError):
        tally_evaluation(sheets=sheets, weights={"甲": Fraction(0), "乙": Fraction(0)})
    with pytest.raises(ValueError):
        tally_evaluation(sheets=sheets, weights={"甲": Fraction(-1), "乙": Fraction(2)})
    with pytest.raises(ValueError):
        tally_evaluation(sheets=sheets, threshold=Fraction(3, 2))


def test_no_sheets_gives_zeros_and_no_flag() -> None:
    r = tally_evaluation(sheets=[], threshold=Fraction(0))
    assert r.total == 0
    assert all(v == 0 for v in r.counts.values()) and set(r.counts) == set(Grade)
    assert all(v == 0 for v in r.shares.values())
    assert not r.incompetent_flag
    assert r.approval_share == 0
    assert dict(r.by_category) == {}


grade_sheets = st.lists(
    st.builds(
        EvaluationSheet, grade=st.sampled_from(list(Grade)), category=st.sampled_from(["甲", "乙", "丙"])
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(grade_sheets, st.randoms(use_true_random=False), st.booleans())
def test_evaluation_order_never_matters(
    sheets: list[EvaluationSheet], rnd: random.Random, weighted: bool
) -> None:
    weights = {"甲": Fraction(1, 2), "乙": Fraction(1, 3), "丙": Fraction(1, 6)} if weighted else None
    shuffled = list(sheets)
    rnd.shuffle(shuffled)
    a = tally_evaluation(sheets=sheets, weights=weights)
    b = tally_evaluation(sheets=shuffled, weights=weights)
    assert a == b
    assert sum(a.counts.values()) == len(sheets)
    assert sum(sum(c.values()) for c in a.by_category.values()) == len(sheets)
    if sheets:
        assert sum(a.shares.values()) == 1
        assert a.incompetent_flag is (a.incompetent_share > Fraction(3, 10))
    else:
        assert sum(a.shares.values()) == 0


# ---------------------------------------------------------------- 民主推荐: recommendation

REF = ("张三", "李四", "王五")


def rec(*names: str, category: str = "") -> RecommendationSheet:
    """A recommendation sheet naming ``names``."""
    return RecommendationSheet(choices=names, category=category)


def test_counts_valid_sheets_and_ranks_with_tie_break() -> None:
    r = tally_recommendation(
        sheets=[rec("李四"), rec("张三"), rec("李四"), rec("张三"), rec("王五")],
        reference=REF,
        posts=1,
        max_choices=1,
    )
    assert (r.total_sheets, r.valid_sheets, r.invalid_sheets) == (5, 5, 0)
    assert dict(r.votes) == {"张三": 2, "李四": 2, "王五": 1}
    # Ties break on the key (code-point order), so the ranking is deterministic.
    assert r.ranking == (("张三", 2), ("李四", 2), ("王五", 1))
    assert r.write_ins == frozenset()
    assert r.reasons[-1].rule == "REC-07"


def test_too_many_names_or_duplicates_spoil_the_sheet() -> None:
    r = tally_recommendation(
        sheets=[rec("张三", "李四", "王五"), rec("张三", "张三"), rec("李四"), rec(), rec(" ")],
        reference=REF,
        posts=1,
        max_choices=2,
    )
    # An empty sheet is a valid abstention; a blank name cannot be counted.
    assert (r.total_sheets, r.valid_sheets, r.invalid_sheets) == (5, 2, 3)
    assert dict(r.votes) == {"张三": 0, "李四": 1, "王五": 0}
    spoilt = next(x for x in r.reasons if x.rule == "REC-SPOILT")
    assert "废票 3 张" in spoilt.message
    assert "超过 2 人 1 张" in spoilt.message
    assert "重复 1 张" in spoilt.message
    assert "空白人选 1 张" in spoilt.message


def test_write_ins_are_counted_and_listed() -> None:
    r = tally_recommendation(
        sheets=[rec("赵六", "张三"), rec("赵六"), rec("钱七", "赵六", "李四")],
        reference=REF,
        posts=2,
        max_choices=2,
    )
    # The third sheet names three for two choices: spoilt, so 钱七 got no valid vote.
    assert r.write_ins == frozenset({"赵六"})
    assert r.votes["赵六"] == 2
    assert "钱七" not in r.votes
    assert r.ranking[0] == ("赵六", 2)
    assert any(x.rule == "REC-WRITE-IN" and "赵六" in x.message for x in r.reasons)


def test_by_category() -> None:
    r = tally_recommendation(
        sheets=[
            rec("张三", category="领导班子成员"),
            rec("李四", category="中层干部"),
            rec("张三", category="中层干部"),
        ],
        reference=REF,
        posts=1,
        max_choices=1,
    )
    assert dict(r.by_category["中层干部"]) == {"张三": 1, "李四": 1, "王五": 0}
    assert r.by_category["领导班子成员"]["张三"] == 1


@pytest.mark.parametrize(
    ("reference", "posts", "max_choices"),
    [(("张三", "李四"), 2, 1), (("张三",), 1, 1), (REF, 1, 0), (REF, 0, 1), (("张三", "张三", "李四"), 1, 1)],
)
def test_reference_list_must_exceed_posts(reference: tuple[str, ...], posts: int, max_choices: int) -> None:
    with pytest.raises(ValueError):
        tally_recommendation(sheets=[], reference=reference, posts=posts, max_choices=max_choices)


def test_reference_list_error_is_chinese_and_names_numbers() -> None:
    with pytest.raises(ValueError, match="参考人选 2 人，须多于职位数 2 个"):
        tally_recommendation(sheets=[], reference=("张三", "李四"), posts=2, max_choices=2)


rec_sheets = st.lists(
    st.builds(
        RecommendationSheet,
        choices=st.lists(st.sampled_from(["张三", "李四", "王五", "赵六", "钱七"]), max_size=3).map(tuple),
        category=st.sampled_from(["甲", "乙"]),
    ),
    max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(rec_sheets, st.randoms(use_true_random=False))
def test_recommendation_order_never_matters(sheets: list[RecommendationSheet], rnd: random.Random) -> None:
    shuffled = list(sheets)
    rnd.shuffle(shuffled)
    a = tally_recommendation(sheets=sheets, reference=REF, posts=1, max_choices=2)
    b = tally_recommendation(sheets=shuffled, reference=REF, posts=1, max_choices=2)
    assert a == b
    assert a.valid_sheets + a.invalid_sheets == a.total_sheets == len(sheets)
    valid = [s for s in sheets if len(s.choices) <= 2 and len(set(s.choices)) == len(s.choices)]
    assert a.valid_sheets == len(valid)
    assert sum(a.votes.values()) == sum(len(s.choices) for s in valid)
    assert a.write_ins == frozenset(k for k, n in a.votes.items() if n > 0 and k not in REF)
    assert [n for _, n in a.ranking] == sorted((n for _, n in a.ranking), reverse=True)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["张三", "李四", "王五", "赵六"]), max_size=30))
def test_single_choice_votes_sum_to_valid_sheets(names: list[str]) -> None:
    r = tally_recommendation(sheets=[rec(n) for n in names], reference=REF, posts=2, max_choices=1)
    assert sum(r.votes.values()) == r.valid_sheets == len(names)


# ---------------------------------------------------------------- paper return and ratios


def test_more_papers_returned_than_issued_voids_the_ballot() -> None:
    v = check_paper_return(issued=30, returned=31)
    assert not v.ok
    assert "31" in v.reasons[0].message and "30" in v.reasons[0].message
    assert "第四十四条" in v.reasons[0].citation


@pytest.mark.parametrize(("issued", "returned"), [(30, 30), (30, 28), (0, 0)])
def test_equal_or_fewer_papers_returned_is_fine(issued: int, returned: int) -> None:
    assert check_paper_return(issued=issued, returned=returned).ok


def test_negative_paper_counts_raise() -> None:
    with pytest.raises(ValueError):
        check_paper_return(issued=-1, returned=0)
    with pytest.raises(ValueError):
        check_paper_return(issued=3, returned=-1)


@pytest.mark.parametrize(
    ("candidates", "posts", "ok"),
    [(3, 2, True), (4, 2, True), (2, 1, True), (5, 3, True), (2, 2, False), (5, 2, False), (1, 1, False)],
)
def test_differential_ratio_bounds_are_inclusive(candidates: int, posts: int, ok: bool) -> None:
    assert differential_ratio_ok(candidates=candidates, posts=posts).ok is ok


def test_differential_ratio_message_names_the_ratio() -> None:
    v = differential_ratio_ok(candidates=5, posts=2)
    assert "2.5:1" in v.reasons[0].message
    assert "高于上限" in v.reasons[0].message
    low = differential_ratio_ok(candidates=4, posts=3)
    assert "约1.33:1" in low.reasons[0].message
    assert "低于下限" in low.reasons[0].message


def test_differential_ratio_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        differential_ratio_ok(candidates=3, posts=0)
    with pytest.raises(ValueError):
        differential_ratio_ok(candidates=-1, posts=2)
    with pytest.raises(ValueError):
        differential_ratio_ok(candidates=3, posts=2, low=Fraction(2), high=Fraction(3, 2))


# -------------------------------------------- 优秀+称职 floor, meeting quorum, cast ≤ present


def test_approval_floor_is_strict_at_two_thirds():
    """6 of 9 优秀+称职 is exactly 2/3: not below the floor; 5 of 9 is below it."""
    at = tally_evaluation(
        sheets=[EvaluationSheet(CO)] * 6 + [EvaluationSheet(BA)] * 3, approval_floor=Fraction(2, 3)
    )
    assert at.approval_share == Fraction(2, 3) and not at.approval_flag
    below = tally_evaluation(
        sheets=[EvaluationSheet(CO)] * 5 + [EvaluationSheet(BA)] * 4, approval_floor=Fraction(2, 3)
    )
    assert below.approval_flag
    assert any(r.rule == "EVAL-10-approval" and "不足" in r.message for r in below.reasons)
    assert not tally_evaluation(sheets=[EvaluationSheet(BA)] * 4).approval_flag  # no floor, no flag
    with pytest.raises(ValueError):
        tally_evaluation(sheets=[], approval_floor=Fraction(3, 2))


@pytest.mark.parametrize(
    ("expected", "present", "ok"),
    [
        (9, 6, True),
        (9, 5, False),
        (10, 7, True),
        (10, 6, False),
        (30, 20, True),
        (30, 19, False),
        (1, 1, True),
    ],
)
def test_meeting_quorum_boundaries(expected, present, ok):
    from ganbu.rules.tally import check_meeting_quorum

    verdict = check_meeting_quorum(expected=expected, present=present)
    assert verdict.ok is ok
    if not ok:
        assert verdict.reasons[0].rule == "REC-09"
        assert f"应到 {expected} 人，实到 {present} 人" in verdict.reasons[0].message


@given(st.integers(1, 500), st.data())
def test_meeting_quorum_matches_the_definition(expected, data):
    from ganbu.rules.tally import check_meeting_quorum

    present = data.draw(st.integers(0, expected))
    assert check_meeting_quorum(expected=expected, present=present).ok is (3 * present >= 2 * expected)


def test_meeting_quorum_refuses_impossible_counts():
    from ganbu.rules.tally import check_meeting_quorum

    for expected, present in ((0, 0), (5, 6), (5, -1)):
        with pytest.raises(ValueError):
            check_meeting_quorum(expected=expected, present=present)


def test_more_ballots_than_voters_present_voids():
    from ganbu.rules.tally import check_cast_within_present

    assert check_cast_within_present(present=30, cast=30).ok
    assert check_cast_within_present(present=30, cast=29).ok
    verdict = check_cast_within_present(present=30, cast=31)
    assert not verdict.ok and verdict.reasons[0].rule == "BALLOT-RETURN"
