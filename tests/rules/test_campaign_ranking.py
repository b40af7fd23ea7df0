"""Ranking, cut lists and allocation (``ganbu.rules.campaign_ranking``)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from ganbu.rules.campaign_ranking import (
    DEFAULT_TIE_RULES,
    AllocationOrder,
    RankEntry,
    Ranking,
    TieRule,
    allocate,
    cut_list,
    places_for,
    rank,
    tie_rules_for,
    tie_rules_text,
)
from ganbu.rules.campaign_stages import CampaignKind, default_plan


def entry(
    key: str, total: int | Decimal, written: int | Decimal = 0, interview: int | Decimal = 0
) -> RankEntry:
    return RankEntry(key, total, {"written": written, "interview": interview})


def ranks(ranking: Ranking) -> list[tuple[str, int]]:
    return [(e.key, e.rank) for e in ranking]


def test_higher_total_first_then_written_then_interview_then_shared_place_with_a_gap() -> None:
    ranking = rank(
        [
            entry("d", 80, 70, 90),
            entry("a", 90, 85, 95),
            entry("c", 85, 80, 90),
            entry("b", 85, 80, 90),
            entry("e", 85, 80, 91),
            entry("f", 85, 81, 10),
        ]
    )
    assert ranks(ranking) == [("a", 1), ("f", 2), ("e", 3), ("b", 4), ("c", 4), ("d", 6)]
    by_key = {e.key: e for e in ranking}
    assert by_key["f"].decided_by == "综合成绩"
    assert by_key["e"].decided_by == "笔试成绩"
    assert by_key["b"].decided_by == "面试成绩"
    assert by_key["c"].decided_by == ""
    assert by_key["e"].note == "第 3 名（综合成绩相同，按笔试成绩排序）"
    assert by_key["b"].note == "第 4 名（并列 2 人）"
    assert by_key["d"].note == "第 6 名"
    assert [e.position for e in ranking] == [1, 2, 3, 4, 5, 6]


def test_one_two_two_four() -> None:
    ranking = rank([entry("a", 90), entry("b", 80), entry("c", 80), entry("d", 70)])
    assert [e.rank for e in ranking] == [1, 2, 2, 4]
    assert ranking.places() == {"a": 1, "b": 2, "c": 2, "d": 4}
    assert ranking.rank_of("c") == 2


def test_ties_are_on_the_values_as_given_so_pass_the_published_totals() -> None:
    # 84.085 and 84.0849 both publish as 84.09: given exactly they differ, given as published they tie.
    exact = rank([entry("a", Decimal("84.085")), entry("b", Decimal("84.0849"))], ())
    assert [e.rank for e in exact] == [1, 2]
    published = rank([entry("a", Decimal("84.09")), entry("b", Decimal("84.09"))], ())
    assert [e.rank for e in published] == [1, 1]


def test_rules_text_is_explicit_and_in_chinese() -> None:
    assert tie_rules_text(DEFAULT_TIE_RULES) == (
        "1. 按综合成绩由高到低排列名次；",
        "2. 综合成绩相同的，笔试成绩高者在前；",
        "3. 笔试成绩仍相同的，面试成绩高者在前；",
        "4. 以上均相同的，名次并列，其后的名次顺延（如 1、2、2、4）。",
    )
    assert rank([]).rules_text == tie_rules_text()


def test_a_lower_first_tie_rule() -> None:
    younger_first = (TieRule("age", "年龄", higher_first=False),)
    ranking = rank([RankEntry("old", 80, {"age": 40}), RankEntry("young", 80, {"age": 30})], younger_first)
    assert ranks(ranking) == [("young", 1), ("old", 2)]
    assert ranking.rules_text[1] == "2. 综合成绩相同的，年龄低者在前；"


def test_tie_rules_for_a_plan_follow_its_scored_stages() -> None:
    assert tie_rules_for(default_plan(CampaignKind.OPEN_SELECTION)) == DEFAULT_TIE_RULES
    assert [r.key for r in tie_rules_for(default_plan(CampaignKind.COMPETITION))] == [
        "written",
        "interview",
        "evaluation",
    ]
    assert [r.label for r in tie_rules_for(default_plan(CampaignKind.JOINT))] == ["统一考试成绩", "面试成绩"]


def test_rank_refuses_duplicates_missing_tie_values_and_floats() -> None:
    with pytest.raises(ValueError, match="排名对象重复：a"):
        rank([entry("a", 1), entry("a", 2)])
    with pytest.raises(ValueError, match="“张三”缺少排名所需的面试成绩"):
        rank([RankEntry("a", 80, {"written": 80}, name="张三")])
    with pytest.raises(ValueError, match="不接受浮点数"):
        rank([RankEntry("a", 80.5)], ())  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="排名规则重复"):
        rank([], (TieRule("w", "笔试"), TieRule("w", "笔试")))


# ---------------------------------------------------------------- cut lists


def totals(*values: int) -> Ranking:
    """A ranking of entries e01, e02 … with the given totals (no tie rules)."""
    return rank([RankEntry(f"e{i:02d}", v) for i, v in enumerate(values, start=1)], ())


@pytest.mark.parametrize(
    ("posts", "ratio", "quota"),
    [(10, 3, 30), (3, Fraction(3, 2), 5), (1, 2, 2), (4, Fraction(3, 2), 6), (7, Fraction(4, 3), 10)],
)
def test_places_for_is_the_ceiling_of_posts_times_ratio(posts: int, ratio: Fraction, quota: int) -> None:
    assert places_for(posts, ratio) == quota


def test_places_for_refuses_bad_numbers() -> None:
    with pytest.raises(ValueError, match="职位数须为正整数"):
        places_for(0, 3)
    with pytest.raises(ValueError, match="每个职位至少 1 人"):
        places_for(3, Fraction(1, 2))


def test_ten_posts_at_one_to_three_take_thirty_plus_everyone_tied_at_the_30th_place() -> None:
    ranking = totals(*range(100, 71, -1), 71, 71, 70)  # places 1–29, then two tied at 30, then 32nd
    result = cut_list(ranking, 10, 3, next_stage="面试")
    assert result.quota == 30
    assert len(result.passed) == 31
    assert result.boundary_rank == 30
    assert [e.key for e in result.not_passed] == ["e32"]
    assert result.notes == ("第 30 名并列 2 人，均进入",)
    assert result.summary == (
        "职位 10 个，按 1:3 的比例应确定 30 人进入面试，实际进入 31 人：第 30 名并列 2 人，均进入。"
    )


def test_a_tie_that_starts_before_the_boundary_goes_through_whole() -> None:
    result = cut_list(totals(90, 80, 80, 80, 70), 1, 2)
    assert [e.key for e in result.passed] == ["e01", "e02", "e03", "e04"]
    assert result.notes == ("第 2 名并列 3 人，均进入",)


def test_no_tie_at_the_boundary_takes_exactly_the_quota() -> None:
    result = cut_list(totals(90, 80, 80, 70, 60), 2, Fraction(3, 2))
    assert [e.key for e in result.passed] == ["e01", "e02", "e03"]
    assert result.notes == ()
    assert result.summary == "职位 2 个，按 1:1.5 的比例应确定 3 人进入下一环节，实际进入 3 人。"


def test_fewer_candidates_than_the_quota_all_go_through_and_the_result_says_so() -> None:
    result = cut_list(totals(90, 80), 3, 3, next_stage="面试")
    assert len(result.passed) == 2
    assert result.notes == ("符合条件的 2 人不足应确定人数 9 人，全部进入面试",)


def test_a_pass_mark_removes_those_below_before_counting() -> None:
    result = cut_list(totals(90, 80, 60, 59), 1, 3, pass_mark=60)
    assert [e.key for e in result.passed] == ["e01", "e02", "e03"]
    assert [e.key for e in result.below_pass_mark] == ["e04"]
    assert result.not_passed == ()
    assert result.notes[0] == "成绩低于合格分数线 60 分的 1 人不进入下一环节"


# ---------------------------------------------------------------- allocation


def ranked(*keys: str) -> Ranking:
    """Entries in the given order with strictly falling totals."""
    return rank([RankEntry(k, 100 - i) for i, k in enumerate(keys)], ())


def test_rank_order_each_to_the_first_choice_with_a_seat_else_the_second() -> None:
    result = allocate(
        ranked("a", "b", "c", "d"),
        {"office": 1, "finance": 2},
        {
            "a": ["office", "finance"],
            "b": ["office", "finance"],
            "c": ["finance"],
            "d": ["office", "finance"],
        },
        post_labels={"office": "办公室副主任", "finance": "财政所副所长"},
    )
    assert {k: result.post_of(k) for k in "abcd"} == {
        "a": "office",
        "b": "finance",
        "c": "finance",
        "d": None,
    }
    notes = [p.note for p in result.placements]
    assert notes == [
        "第 1 名，第一志愿“办公室副主任”尚有名额，进入“办公室副主任”。",
        "第 2 名，第一志愿“办公室副主任”名额已满，按第二志愿进入“财政所副所长”。",
        "第 3 名，第一志愿“财政所副所长”尚有名额，进入“财政所副所长”。",
        "第 4 名，第一志愿“办公室副主任”、第二志愿“财政所副所长”名额均已满，未进入。",
    ]
    assert [p.choice for p in result.placements] == [1, 2, 1, 0]
    assert [p.key for p in result.unplaced] == ["d"]
    assert result.per_post == {
        "office": (result.placements[0].entry,),
        "finance": tuple(p.entry for p in result.placements[1:3]),
    }
    assert result.method.startswith("按名次由高到低依次安排")


def test_the_two_orders_differ_when_a_higher_second_choice_meets_a_lower_first_choice() -> None:
    ranking = ranked("a", "b", "c")
    choices = {"a": ["p1"], "b": ["p1", "p2"], "c": ["p2"]}
    by_rank = allocate(ranking, {"p1": 1, "p2": 1}, choices)
    by_choice = allocate(ranking, {"p1": 1, "p2": 1}, choices, order=AllocationOrder.CHOICE)
    assert [by_rank.post_of(k) for k in "abc"] == ["p1", "p2", None]
    assert [by_choice.post_of(k) for k in "abc"] == ["p1", None, "p2"]
    assert by_choice.method.startswith("志愿优先")


def test_without_second_choices_only_first_choices_count() -> None:
    result = allocate(ranked("a", "b"), {"p1": 1, "p2": 1}, {"a": ["p1"], "b": ["p1"]}, max_choices=1)
    assert [result.post_of(k) for k in "ab"] == ["p1", None]
    assert result.placements[1].note == "第 2 名，第一志愿“p1”名额已满，未进入。"
    with pytest.raises(ValueError, match="“b”填报志愿 2 个，本次最多可填报 1 个"):
        allocate(ranked("a", "b"), {"p1": 1, "p2": 1}, {"a": ["p1"], "b": ["p1", "p2"]}, max_choices=1)


def test_candidates_tied_for_the_last_seat_all_go_in_and_the_result_says_so() -> None:
    ranking = rank([RankEntry("a", 90), RankEntry("b", 80), RankEntry("c", 80), RankEntry("d", 70)], ())
    result = allocate(ranking, {"p1": 2}, {k: ["p1"] for k in "abcd"})
    assert [e.key for e in result.per_post["p1"]] == ["a", "b", "c"]
    assert result.notes == ("“p1”应确定 2 人，第 2 名并列 2 人，均进入，实际 3 人",)


def test_within_a_tie_first_choices_are_served_before_second_choices() -> None:
    ranking = rank([RankEntry("x", 90), RankEntry("a", 80), RankEntry("b", 80)], ())
    choices = {"x": ["p1"], "a": ["p1", "p2"], "b": ["p2"]}
    result = allocate(ranking, {"p1": 1, "p2": 1}, choices)
    # x fills p1; a and b share the 2nd place: b's first choice p2 comes before a's second choice p2.
    assert [result.post_of(k) for k in "xab"] == ["p1", None, "p2"]
    # Given in another order, the result is the same.
    shuffled = rank([RankEntry("b", 80), RankEntry("a", 80), RankEntry("x", 90)], ())
    assert allocate(shuffled, {"p2": 1, "p1": 1}, dict(reversed(choices.items()))) == result


def test_a_ratio_gives_each_post_a_one_to_n_list() -> None:
    result = allocate(
        ranked("a", "b", "c", "d", "e"), {"p1": 1, "p2": 1}, {k: ["p1", "p2"] for k in "abcde"}, ratio=2
    )
    assert result.seats == {"p1": 2, "p2": 2}
    assert [result.post_of(k) for k in "abcde"] == ["p1", "p1", "p2", "p2", None]


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        ({"a": []}, "“a”未填报志愿"),
        ({"a": ["p1", "p1"]}, "“a”的志愿中有重复的职位"),
        ({"a": ["p9"]}, "“a”填报的职位p9不在本次选拔职位中"),
        ({"a": ["p1"], "zz": ["p1"]}, "未参加排名，不能分配职位：zz"),
    ],
)
def test_bad_choices_are_refused(choices: dict[str, list[str]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        allocate(ranked("a"), {"p1": 1}, choices)


def test_allocation_needs_posts_with_places() -> None:
    with pytest.raises(ValueError, match="没有可分配的职位"):
        allocate(ranked("a"), {}, {"a": ["p1"]})
    with pytest.raises(ValueError, match="职位数须为正整数"):
        allocate(ranked("a"), {"p1": 0}, {"a": ["p1"]})
