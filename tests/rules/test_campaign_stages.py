"""Stage plans (``ganbu.rules.campaign_stages``): defaults, validation, JSON, exact weighted totals."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction

import pytest

from ganbu.rules.campaign_stages import (
    CampaignKind,
    Stage,
    StageKind,
    StagePlan,
    check_pass_mark,
    default_plan,
    weighted_total,
)

OPEN = default_plan(CampaignKind.OPEN_SELECTION)
COMPETITION = default_plan(CampaignKind.COMPETITION)
JOINT = default_plan(CampaignKind.JOINT)
WR, IV, EV, X = StageKind.WRITTEN_EXAM, StageKind.INTERVIEW, StageKind.EVALUATION, StageKind.INSPECTION


def test_open_selection_default_is_the_seeds_four_stages_50_50_with_1_3_and_2_1() -> None:
    assert [s.label for s in OPEN.stages] == ["笔试", "面试", "民主测评", "组织考察"]
    assert [s.kind for s in OPEN.stages] == [WR, IV, EV, X]
    assert [s.weight for s in OPEN.scored_stages] == [Fraction(1, 2), Fraction(1, 2)]
    assert [s.cut_ratio for s in OPEN.stages] == [3, 2, None, None]
    assert not OPEN.stage("evaluation").scored and not OPEN.stage("inspection").scored


def test_competition_default_weights_are_30_40_30() -> None:
    assert [(s.key, s.weight) for s in COMPETITION.scored_stages] == [
        ("written", Fraction(3, 10)),
        ("interview", Fraction(2, 5)),
        ("evaluation", Fraction(3, 10)),
    ]
    assert COMPETITION.stages[-1].kind is X


def test_joint_selection_default_starts_with_the_external_exam() -> None:
    assert JOINT.stages[0].kind is StageKind.EXTERNAL_EXAM
    assert sum(s.weight for s in JOINT.scored_stages) == 1


@pytest.mark.parametrize("plan", [OPEN, COMPETITION, JOINT])
def test_every_default_marks_its_numbers_as_unconfirmed_local_practice(plan: StagePlan) -> None:
    assert "MODE-09，UNCONFIRMED" in plan.citation
    assert "地方做法" in plan.citation


def test_describe_lists_weights_and_ratios_in_chinese() -> None:
    assert OPEN.describe() == (
        "1. 笔试，成绩占总成绩的 50%，按职位数与人选 1:3 的比例确定进入面试的人选（名次并列的均进入）。",
        "2. 面试，成绩占总成绩的 50%，按职位数与人选 1:2 的比例确定进入民主测评的人选（名次并列的均进入）。",
        "3. 民主测评，不计入总成绩。",
        "4. 组织考察，不计入总成绩。",
    )


@pytest.mark.parametrize("plan", [OPEN, COMPETITION, JOINT])
def test_plan_json_round_trips_exactly_through_json_text(plan: StagePlan) -> None:
    data = plan.to_json()
    again = StagePlan.from_json(json.loads(json.dumps(data, ensure_ascii=False)))
    assert again == plan
    assert again.to_json() == data


def test_plan_json_keeps_weights_as_exact_strings() -> None:
    data = COMPETITION.to_json()
    stages = data["stages"]
    assert isinstance(stages, list)
    assert [s["weight"] for s in stages] == ["3/10", "2/5", "3/10", "0"]
    edited = json.loads(json.dumps(data))
    edited["stages"][0]["weight"] = "0.3"  # a decimal string is exact too
    assert StagePlan.from_json(edited) == COMPETITION


def _stage(key: str, kind: StageKind = WR, weight: str = "0", **kw: object) -> dict[str, object]:
    return {"key": key, "label": key, "kind": kind.value, "weight": weight, "scored": weight != "0", **kw}


@pytest.mark.parametrize(
    ("stages", "message"),
    [
        ([], "考试环节不能为空"),
        ([_stage("w", WR, "1/2"), _stage("i", IV, "2/5")], r"权重之和应为 100%，实为 90%（w 50%、i 40%）"),
        ([_stage("w", WR, "1"), _stage("w", IV)], "环节代码重复：w"),
        ([_stage("x", X), _stage("w", WR, "1")], "组织考察须为最后一个环节"),
        ([_stage("w", WR, "1", cut_ratio="3")], "最后一个环节“w”之后没有下一环节"),
        ([_stage("w", WR, "1", cut_ratio="1/2"), _stage("i", IV)], "每个职位至少 1 人"),
        (
            [_stage("w", WR, "1/2", cut_ratio="2"), _stage("i", IV, "1/2", cut_ratio="3"), _stage("x", X)],
            "后一环节的比例不能更宽",
        ),
        ([_stage("w", WR)], "至少须有一个环节的成绩计入总成绩"),
        ([{**_stage("w", WR, "1"), "weight": 0.5}], "不接受|应为整数或字符串形式的精确数值"),
        ([{**_stage("w", WR, "1"), "weight": "half"}], "不是有效的数值"),
        ([{**_stage("w", WR, "1"), "scored": False}], "不计入总成绩，权重应为 0"),
        ([{**_stage("w", WR, "1"), "pass_mark": "120"}], "合格分数线 120 应在 0 至满分 100 之间"),
        ([{**_stage("w", WR, "1"), "kind": "essay"}], "类型“essay”无效"),
        ([{**_stage("w", WR, "1"), "colour": "red"}], "未知字段：colour"),
        ([{**_stage("WR", WR, "1")}], "环节代码“WR”无效"),
    ],
)
def test_bad_plans_are_refused_in_chinese(stages: list[dict[str, object]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        StagePlan.from_json({"version": 1, "kind": "open_selection", "stages": stages})


def test_bad_plan_envelopes_are_refused() -> None:
    with pytest.raises(ValueError, match="版本"):
        StagePlan.from_json({**OPEN.to_json(), "version": 9})
    with pytest.raises(ValueError, match="选拔类别“lottery”无效"):
        StagePlan.from_json({**OPEN.to_json(), "kind": "lottery"})
    with pytest.raises(ValueError, match="“stages”应为列表"):
        StagePlan.from_json({"kind": "open_selection", "stages": "written"})


def test_a_scored_stage_needs_a_weight() -> None:
    with pytest.raises(ValueError, match="计入总成绩，权重须大于 0"):
        Stage("w", "笔试", WR, scored=True)


# ---------------------------------------------------------------- totals


def test_total_is_exact_and_rounded_once_half_up() -> None:
    # (82.5 + 85.67) / 2 = 84.085 exactly: half-up gives 84.09 (banker's rounding would give 84.08).
    total = weighted_total({"written": Decimal("82.5"), "interview": Decimal("85.67")}, OPEN)
    assert total.exact == Fraction(84085, 1000)
    assert total.value == Decimal("84.09")
    assert total.formula == "笔试 82.5×50% + 面试 85.67×50% = 84.09"


def test_competition_total_weights_three_stages() -> None:
    total = weighted_total({"written": 80, "interview": Decimal("90.5"), "evaluation": 85}, COMPETITION)
    assert total.exact == Fraction(80 * 3, 10) + Fraction(905, 10) * Fraction(2, 5) + Fraction(85 * 3, 10)
    assert total.value == Decimal("85.70")


def test_unscored_stage_scores_are_ignored_and_one_stage_alone_gives_the_score_itself() -> None:
    assert weighted_total({"written": 80, "interview": 90, "evaluation": 10}, OPEN).value == Decimal("85.00")
    assert weighted_total({"written": Decimal("82.5")}, OPEN, through="written").value == Decimal("82.50")


def test_a_stage_out_of_150_is_converted_to_the_100_point_scale() -> None:
    plan = StagePlan(
        CampaignKind.OPEN_SELECTION,
        (
            Stage("written", "笔试", WR, Fraction(1, 2), scored=True, full_mark=Fraction(150)),
            Stage("interview", "面试", IV, Fraction(1, 2), scored=True),
        ),
    )
    total = weighted_total({"written": 120, "interview": 90}, plan)
    assert total.value == Decimal("85.00")
    assert "笔试 120÷150×100×50%" in total.formula


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ({"written": 80}, "缺少“面试”成绩"),
        ({"written": 80, "interview": 90, "essay": 1}, "未定义的环节：essay"),
        ({"written": 101, "interview": 90}, "“笔试”成绩 101 分应在 0 至满分 100 分之间"),
        ({"written": 80, "interview": -1}, "“面试”成绩 -1 分应在 0"),
        ({"written": 80.0, "interview": 90}, "不接受浮点数"),
    ],
)
def test_bad_scores_are_refused(scores: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        weighted_total(scores, OPEN)  # type: ignore[arg-type]


def test_through_must_name_a_stage_with_a_scored_stage_at_or_before_it() -> None:
    with pytest.raises(ValueError, match="没有环节“essay”"):
        weighted_total({}, OPEN, through="essay")
    plan = StagePlan(
        CampaignKind.COMPETITION,
        (Stage("evaluation", "民主测评", EV), Stage("written", "笔试", WR, Fraction(1), scored=True)),
    )
    with pytest.raises(ValueError, match="“民主测评”及以前没有计入总成绩的环节"):
        weighted_total({}, plan, through="evaluation")


def test_pass_mark_is_reached_when_equal() -> None:
    plan = StagePlan(
        CampaignKind.OPEN_SELECTION,
        (Stage("written", "笔试", WR, Fraction(1), scored=True, pass_mark=Fraction(60)),),
    )
    assert check_pass_mark(plan, "written", 60).ok
    below = check_pass_mark(plan, "written", Decimal("59.5"))
    assert not below.ok
    assert below.reasons[0].rule == "CAMPAIGN-PASS-MARK"
    assert below.reasons[0].message == "笔试成绩 59.5 分，低于本次选拔规定的合格分数线 60 分。"
    assert "UNCONFIRMED" in below.reasons[0].citation
    assert check_pass_mark(OPEN, "written", 0).ok  # no pass mark set
