"""The count-based tallies (``tally_*_counts``) give exactly what the per-sheet tallies give.

A big ballot is counted from aggregated counts (one entry per item, category and answer) instead
of one object per sheet; these properties hold the two ways of counting to the same result, field
by field, Fractions included.
"""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ganbu.rules.inputs import RuleInputError
from ganbu.rules.tally import (
    CommitteeChoice,
    EvaluationSheet,
    Grade,
    RecommendationSheet,
    tally_committee_counts,
    tally_committee_item,
    tally_evaluation,
    tally_evaluation_counts,
    tally_recommendation,
    tally_recommendation_counts,
)

CATEGORIES = st.sampled_from(["", "领导班子成员", "中层干部", "一般干部"])
NAMES = st.sampled_from(["甲", "乙", "丙", "丁", "另推", " ", ""])


@settings(max_examples=150, deadline=None)
@given(
    choices=st.lists(st.sampled_from(list(CommitteeChoice)), max_size=12),
    extra_present=st.integers(0, 3),
    extra_members=st.integers(0, 5),
)
def test_committee_counts_equal_the_list(choices, extra_present, extra_members) -> None:
    present = len(choices) + extra_present
    members = max(1, present + extra_members)
    by_list = tally_committee_item(members=members, present=present, choices=choices)
    by_counts = tally_committee_counts(members=members, present=present, counts=Counter(choices))
    assert by_counts == by_list


@settings(max_examples=200, deadline=None)
@given(
    sheets=st.lists(st.tuples(st.sampled_from(list(Grade)), CATEGORIES), max_size=40),
    weighted=st.booleans(),
    floor=st.sampled_from([None, Fraction(2, 3)]),
    threshold=st.sampled_from([Fraction(3, 10), Fraction(1, 3)]),
)
def test_evaluation_counts_equal_the_sheets(sheets, weighted, floor, threshold) -> None:
    weights = (
        {"": 1, "领导班子成员": Fraction(3, 7), "中层干部": 2, "一般干部": Fraction(1, 2)}
        if weighted
        else None
    )
    listed = [EvaluationSheet(grade=g, category=c) for g, c in sheets]
    by_category: dict[str, Counter[Grade]] = {}
    for g, c in sheets:
        by_category.setdefault(c, Counter())[g] += 1
    by_list = tally_evaluation(sheets=listed, threshold=threshold, weights=weights, approval_floor=floor)
    by_counts = tally_evaluation_counts(
        by_category=by_category, threshold=threshold, weights=weights, approval_floor=floor
    )
    assert by_counts == by_list
    assert [type(v) for v in by_counts.shares.values()] == [Fraction] * 4


def test_evaluation_counts_ignore_empty_categories_and_refuse_unknown_grades() -> None:
    with_empty = tally_evaluation_counts(by_category={"甲": {Grade.EXCELLENT: 2}, "乙": {Grade.BASIC: 0}})
    assert list(with_empty.by_category) == ["甲"]
    with pytest.raises(RuleInputError):
        tally_evaluation_counts(by_category={"甲": {"outstanding": 1}})  # type: ignore[dict-item]
    with pytest.raises(ValueError):
        tally_evaluation_counts(by_category={"甲": {Grade.BASIC: -1}})


@settings(max_examples=200, deadline=None)
@given(sheets=st.lists(st.tuples(st.lists(NAMES, max_size=4), CATEGORIES), max_size=30))
def test_recommendation_counts_equal_the_sheets(sheets) -> None:
    listed = [RecommendationSheet(choices=tuple(names), category=c) for names, c in sheets]
    grouped = Counter(listed)
    reference = ["甲", "乙", "丙"]
    by_list = tally_recommendation(sheets=listed, reference=reference, posts=1, max_choices=2)
    by_counts = tally_recommendation_counts(
        sheets=list(grouped.items()), reference=reference, posts=1, max_choices=2
    )
    assert by_counts == by_list
