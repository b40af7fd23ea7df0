"""Exact scores (``ganbu.rules.campaign_scoring``): rounding, trimmed means, interview panels."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from ganbu.rules.campaign_scoring import (
    Criterion,
    panel_score,
    percent_text,
    round_half_up,
    score_text,
    to_exact,
    trimmed_mean,
)

SHEET = (
    Criterion("analysis", "综合分析", 40),
    Criterion("speech", "语言表达", 30),
    Criterion("manner", "举止仪表", 30),
)


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Fraction(84085, 1000), 2, "84.09"),
        (Fraction(1, 8), 2, "0.13"),
        (Fraction(5, 2), 0, "3"),
        (Fraction(-5, 2), 0, "-3"),
        (Fraction(1, 3), 2, "0.33"),
        (Fraction(2, 3), 2, "0.67"),
        (Fraction(259, 9), 1, "28.8"),
        (Decimal("84.1"), 2, "84.10"),
        (Fraction(-1, 1000), 2, "0.00"),
        (10**30 + Fraction(1, 2), 0, str(10**30 + 1)),
    ],
)
def test_round_half_up_is_exact(value: Fraction, places: int, expected: str) -> None:
    assert str(round_half_up(value, places)) == expected


def test_round_half_up_refuses_negative_places() -> None:
    with pytest.raises(ValueError, match="不能为负数"):
        round_half_up(Fraction(1), -1)


def test_to_exact_refuses_floats_and_booleans_and_infinities() -> None:
    assert to_exact(Decimal("85.5")) == Fraction(171, 2)
    for bad in (85.5, True, "85", Decimal("NaN"), Decimal("Infinity")):
        with pytest.raises(ValueError):
            to_exact(bad, "笔试成绩")


def test_score_and_percent_text() -> None:
    assert score_text(Decimal("85.50")) == "85.50"
    assert score_text(Fraction(171, 2)) == "85.5"
    assert score_text(Fraction(254, 3)) == "约84.67"
    assert percent_text(Fraction(1, 2)) == "50%"
    assert percent_text(Fraction(1, 3)) == "约33.33%"


# ---------------------------------------------------------------- trimmed mean


def test_trimmed_mean_drops_one_high_and_one_low_and_stays_exact() -> None:
    assert trimmed_mean([70, 84, 85, 85, 99]) == Fraction(254, 3)
    assert trimmed_mean([Decimal("80.5"), 90, 100]) == 90
    assert trimmed_mean([80, 90], drop_high=0, drop_low=0) == 85
    assert trimmed_mean([50, 60, 70, 80, 90], drop_high=2, drop_low=0) == 60


def test_trimmed_mean_refuses_too_few_scores_saying_how_many_are_needed() -> None:
    with pytest.raises(ValueError, match=r"有效评分 2 个.*至少需要 3 个评分"):
        trimmed_mean([80, 90])
    with pytest.raises(ValueError, match="至少需要 5 个评分"):
        trimmed_mean([1, 2, 3, 4], drop_high=2, drop_low=2)
    with pytest.raises(ValueError, match="不能为负数"):
        trimmed_mean([1, 2, 3], drop_high=-1)


def test_trimmed_mean_refuses_floats() -> None:
    with pytest.raises(ValueError, match="不接受浮点数"):
        trimmed_mean([80, 90.5, 100])  # type: ignore[list-item]


# ---------------------------------------------------------------- panels


def sheet(analysis: int | Decimal, speech: int | Decimal, manner: int | Decimal) -> dict[str, int | Decimal]:
    return {"analysis": analysis, "speech": speech, "manner": manner}


def test_panel_score_sums_each_judge_then_trims_across_judges() -> None:
    sheets = {
        "1号": sheet(30, 25, 25),  # 80
        "2号": sheet(38, 28, 26),  # 92 highest
        "3号": sheet(32, 26, 26),  # 84
        "4号": sheet(30, 20, 20),  # 70 lowest
        "5号": sheet(33, 25, Decimal("27.5")),  # 85.5
    }
    result = panel_score(sheets, SHEET)
    assert dict(result.judge_totals) == {"1号": 80, "2号": 92, "3号": 84, "4号": 70, "5号": Fraction(171, 2)}
    assert result.dropped_high == ("2号",)
    assert result.dropped_low == ("4号",)
    assert result.exact == Fraction(80 + 84 + Fraction(171, 2), 3)
    assert result.score == Decimal("83.17")
    assert result.full_mark == 100
    assert result.explanation == (
        "评委 5 人，去掉最高分 1 个（评委“2号” 92 分），去掉最低分 1 个（评委“4号” 70 分），"
        "其余 3 人平均 约83.17 分，计 83.17 分（满分 100 分）。"
    )
    assert "UNCONFIRMED" in result.citation


def test_panel_score_does_not_depend_on_the_order_of_judges() -> None:
    sheets = {str(j): sheet(20 + j, 20, 20) for j in range(1, 8)}
    backwards = dict(reversed(list(sheets.items())))
    assert panel_score(sheets, SHEET) == panel_score(backwards, SHEET)
    assert panel_score(sheets, SHEET) == panel_score(sheets, tuple(reversed(SHEET)))


def test_criterion_weights_multiply_the_scores() -> None:
    criteria = (Criterion("a", "要素甲", 10, weight=2), Criterion("b", "要素乙", 10))
    result = panel_score({"x": {"a": 10, "b": 5}}, criteria, drop_high=0, drop_low=0)
    assert result.exact == 25
    assert result.full_mark == 30


@pytest.mark.parametrize(
    ("sheets", "message"),
    [
        ({"3号": sheet(30, 31, 20)}, "评委“3号”对“语言表达”打分 31，超过该项满分 30 分。"),
        ({"3号": sheet(30, -1, 20)}, "评委“3号”对“语言表达”打分 -1，不能为负数。"),
        ({"3号": {"analysis": 30, "speech": 20}}, "评委“3号”未对“举止仪表”打分。"),
        ({"3号": {**sheet(30, 20, 20), "luck": 5}}, "评委“3号”的评分表有未定义的评分要素：luck。"),
        ({"3号": sheet(30, 20, 20.5)}, "不接受浮点数"),  # type: ignore[arg-type]
    ],
)
def test_bad_sheets_are_refused_naming_judge_and_criterion(
    sheets: dict[str, dict[str, int]], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        panel_score(sheets, SHEET, drop_high=0, drop_low=0)


def test_too_few_judges_for_the_trimming_is_refused() -> None:
    with pytest.raises(ValueError, match=r"面试评委 2 人：.*至少需要 3 个评分"):
        panel_score({"1": sheet(1, 1, 1), "2": sheet(2, 2, 2)}, SHEET)


def test_bad_criteria_are_refused() -> None:
    with pytest.raises(ValueError, match="满分须大于 0"):
        Criterion("a", "要素", 0)
    with pytest.raises(ValueError, match="权重须大于 0"):
        Criterion("a", "要素", 10, weight=0)
    with pytest.raises(ValueError, match="评分要素代码重复：a"):
        panel_score({}, (Criterion("a", "甲", 10), Criterion("a", "乙", 10)))
    with pytest.raises(ValueError, match="至少有一个评分要素"):
        panel_score({}, ())
