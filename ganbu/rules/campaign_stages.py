"""Stage plans of competitive selection campaigns: which stages, their weights, pass marks and cut ratios.

Part of :mod:`ganbu.rules.campaign` (issue #5).

The **order** of the stages follows the national texts: 公开选拔 发布公告 → 报名与资格审查 → 统一考试
（笔试、面试）→ 组织考察 (rules.md MODE-06, 《公开选拔党政领导干部工作暂行规定》(2004) 第六条, Q);
竞争上岗 报名与资格审查 → 笔试、面试 → 民主测评、组织考察 (MODE-08, S). The **numbers** — the weight
of each score, the 1:3 ratio from the written exam to the interview, the 2:1 ratio from the
interview to the inspection, any pass mark — are **local practice** (MODE-09, UNCONFIRMED: no
national text found). :func:`default_plan` gives the seed county's practice as an editable default,
and every plan carries a citation that says so.

Terms:

- ``weight`` is the share of a stage's score in the composite total (综合成绩). The weights of the
  stages whose score carries into the total (``scored``) sum to exactly 1; a stage that does not
  carry (组织考察, or a 民主测评 kept for reference) has weight 0.
- ``cut_ratio`` N means that N candidates per post go on from this stage to the next (the "1:3"
  of 笔试 → 面试, the "2:1" of 面试 → 考察); ``None`` means everyone still in goes on. The count is
  ⌈posts × N⌉ and ties at the boundary go through (:func:`ganbu.rules.campaign_ranking.cut_list`).
- ``pass_mark`` (合格分数线) is on the stage's own scale; ``full_mark`` (满分) defaults to 100.

Totals (:func:`weighted_total`) are on the 100-point scale: a stage with another full mark is
converted first (score × 100 / full mark, 折算为百分制), then weighted; everything is exact and the
result is rounded once, at the end (ROUND_HALF_UP, 2 decimals by default; see
:mod:`ganbu.rules.campaign_scoring`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from .campaign_scoring import Score, percent_text, ratio_text, round_half_up, score_text, to_exact
from .types import Reason, Verdict

PLAN_JSON_VERSION = 1

_LOCAL_NUMBERS = "rules.md MODE-09，UNCONFIRMED，全国性条文未见，系地方做法，可按本次公告修改"
CITE_OPEN_SELECTION = (
    "《公开选拔党政领导干部工作暂行规定》(2004) 第六条：发布公告、报名与资格审查、统一考试（笔试、面试）、"
    "组织考察（rules.md MODE-06，置信度 Q）；笔试、面试成绩各占 50%，按职位数 1:3 的比例确定面试人选，"
    f"按 2:1 的比例确定民主测评和考察人选（{_LOCAL_NUMBERS}）"
)
CITE_COMPETITION = (
    "《党政机关竞争上岗工作暂行规定》(2004)：报名与资格审查、笔试、面试、民主测评、组织考察"
    "（rules.md MODE-07、MODE-08，置信度 S）；笔试 30%、面试 40%、民主测评 30%，"
    f"按综合成绩 2:1 的比例确定考察人选（{_LOCAL_NUMBERS}）"
)
CITE_JOINT = (
    "全省联合公开选拔：统一考试由省级组织部门组织，成绩由其提供（种子材料；rules.md MODE-06，置信度 Q）；"
    "统一考试、面试成绩各占 50%，按 1:3 的比例确定面试人选，按 2:1 的比例确定考察人选"
    f"（{_LOCAL_NUMBERS}；以省里的方案为准）"
)
_CITE_PASS_MARK = f"本次选拔公告所定合格分数线（{_LOCAL_NUMBERS}）"

_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")


class CampaignKind(StrEnum):
    """The seed's three kinds of campaign (一(一)); values as ``ganbu.campaigns.choices.CampaignKind``."""

    OPEN_SELECTION = "open_selection"
    COMPETITION = "competition"
    JOINT = "joint"

    @property
    def label(self) -> str:
        """The kind in Chinese."""
        return {"open_selection": "公开选拔", "competition": "竞争上岗", "joint": "联合公选"}[self.value]


class StageKind(StrEnum):
    """What a stage is (MODE-06/08)."""

    WRITTEN_EXAM = "written_exam"
    INTERVIEW = "interview"
    EVALUATION = "evaluation"
    INSPECTION = "inspection"
    EXTERNAL_EXAM = "external_exam"

    @property
    def label(self) -> str:
        """The kind in Chinese."""
        return {
            "written_exam": "笔试",
            "interview": "面试",
            "evaluation": "民主测评",
            "inspection": "组织考察",
            "external_exam": "统一考试（外部成绩）",
        }[self.value]


@dataclass(frozen=True)
class Stage:
    """One stage of a campaign (see the module docstring for the meaning of each number).

    ``key`` is a stable code (lower-case letters, digits, ``_``) used for stored scores and tie
    rules; ``label`` the Chinese name shown. Raises ``ValueError`` (Chinese) for a bad key or
    label, a negative weight, a scored stage without weight or an unscored one with weight, a
    cut ratio below 1, a non-positive full mark or a pass mark outside ``[0, full_mark]``.
    """

    key: str
    label: str
    kind: StageKind
    weight: Fraction = Fraction(0)
    scored: bool = False
    pass_mark: Fraction | None = None
    cut_ratio: Fraction | None = None
    full_mark: Fraction = Fraction(100)

    def __post_init__(self) -> None:
        """Validate the numbers of one stage."""
        if not _KEY.fullmatch(self.key):
            raise ValueError(
                f"环节代码“{self.key}”无效：应以小写字母开头，只含小写字母、数字和下划线，不超过 40 个字符。"
            )
        if not self.label.strip():
            raise ValueError(f"环节“{self.key}”须有中文名称。")
        name = f"环节“{self.label}”"
        for attr in ("weight", "full_mark", "pass_mark", "cut_ratio"):
            value = getattr(self, attr)
            if value is not None:
                object.__setattr__(self, attr, to_exact(value, f"{name}的{_FIELD_LABELS[attr]}"))
        if self.weight < 0:
            raise ValueError(f"{name}的权重不能为负数，实际为 {percent_text(self.weight)}。")
        if self.scored and self.weight == 0:
            raise ValueError(f"{name}计入总成绩，权重须大于 0。")
        if not self.scored and self.weight != 0:
            raise ValueError(f"{name}不计入总成绩，权重应为 0，实际为 {percent_text(self.weight)}。")
        if self.full_mark <= 0:
            raise ValueError(f"{name}的满分须大于 0，实际为 {score_text(self.full_mark)}。")
        if self.pass_mark is not None and not 0 <= self.pass_mark <= self.full_mark:
            raise ValueError(
                f"{name}的合格分数线 {score_text(self.pass_mark)} "
                f"应在 0 至满分 {score_text(self.full_mark)} 之间。"
            )
        if self.cut_ratio is not None and self.cut_ratio < 1:
            raise ValueError(
                f"{name}进入下一环节的比例 {ratio_text(self.cut_ratio)} 无效：每个职位至少 1 人。"
            )

    def to_json(self) -> dict[str, object]:
        """The stage as JSON-ready data; numbers as exact strings (``"1/2"``, ``"3"``)."""
        return {
            "key": self.key,
            "label": self.label,
            "kind": self.kind.value,
            "weight": str(self.weight),
            "scored": self.scored,
            "pass_mark": None if self.pass_mark is None else str(self.pass_mark),
            "cut_ratio": None if self.cut_ratio is None else str(self.cut_ratio),
            "full_mark": str(self.full_mark),
        }

    @classmethod
    def from_json(cls, data: object) -> Stage:
        """The stage of :meth:`to_json`'s data; ``ValueError`` (Chinese) for anything malformed."""
        if not isinstance(data, Mapping):
            raise ValueError(f"环节应为 JSON 对象，实际为 {data!r}。")
        unknown = sorted(str(k) for k in data if k not in _STAGE_FIELDS)
        if unknown:
            raise ValueError(f"环节有未知字段：{'、'.join(unknown)}。")
        for required in ("key", "label", "kind"):
            if required not in data:
                raise ValueError(f"环节缺少字段“{required}”。")
        key, label, kind = data["key"], data["label"], data["kind"]
        if not isinstance(key, str) or not isinstance(label, str):
            raise ValueError("环节的“key”和“label”应为字符串。")
        try:
            stage_kind = StageKind(kind)
        except ValueError:
            allowed = "、".join(k.value for k in StageKind)
            raise ValueError(f"环节“{label}”的类型“{kind}”无效，应为 {allowed} 之一。") from None
        scored = data.get("scored", False)
        if not isinstance(scored, bool):
            raise ValueError(f"环节“{label}”的“scored”应为 true 或 false。")
        weight = _number(data.get("weight", "0"), f"环节“{label}”的权重")
        full_mark = _number(data.get("full_mark", "100"), f"环节“{label}”的满分")
        pass_mark = _optional_number(data.get("pass_mark"), f"环节“{label}”的合格分数线")
        cut_ratio = _optional_number(data.get("cut_ratio"), f"环节“{label}”进入下一环节的比例")
        return cls(
            key=key,
            label=label,
            kind=stage_kind,
            weight=weight,
            scored=scored,
            pass_mark=pass_mark,
            cut_ratio=cut_ratio,
            full_mark=full_mark,
        )


_FIELD_LABELS = {
    "weight": "权重",
    "full_mark": "满分",
    "pass_mark": "合格分数线",
    "cut_ratio": "进入下一环节的比例",
}
_STAGE_FIELDS = frozenset({"key", "label", "kind", "weight", "scored", "pass_mark", "cut_ratio", "full_mark"})


def _number(value: object, what: str) -> Fraction:
    """An exact number from JSON: an integer or a string such as ``"1/2"``, ``"0.3"``; never a float."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f'{what}应为整数或字符串形式的精确数值（如 "3/10"、"0.3"），实际为 {value!r}。')
    if isinstance(value, int):
        return Fraction(value)
    try:
        return Fraction(value.strip())
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"{what}“{value}”不是有效的数值。") from None


def _optional_number(value: object, what: str) -> Fraction | None:
    return None if value is None else _number(value, what)


@dataclass(frozen=True)
class StagePlan:
    """The stages of one campaign, in order, with the citation of where their numbers come from.

    Validated on construction (``ValueError``, Chinese): at least one stage; unique keys; at least
    one scored stage and the scored weights summing to exactly 1; 组织考察 at most once and last
    (MODE-06/08: inspection follows the exams); no cut ratio on the last stage; each cut ratio no
    larger than an earlier one (a later cut can only narrow the field).
    """

    kind: CampaignKind
    stages: tuple[Stage, ...]
    citation: str = ""

    def __post_init__(self) -> None:
        """Validate the plan as a whole."""
        object.__setattr__(self, "stages", tuple(self.stages))
        if not self.stages:
            raise ValueError("考试环节不能为空。")
        keys = [s.key for s in self.stages]
        duplicated = sorted({k for k in keys if keys.count(k) > 1})
        if duplicated:
            raise ValueError(f"环节代码重复：{'、'.join(duplicated)}。")
        scored = self.scored_stages
        if not scored:
            raise ValueError("至少须有一个环节的成绩计入总成绩。")
        total = sum((s.weight for s in scored), Fraction(0))
        if total != 1:
            parts = "、".join(f"{s.label} {percent_text(s.weight)}" for s in scored)
            raise ValueError(f"计入总成绩的环节权重之和应为 100%，实为 {percent_text(total)}（{parts}）。")
        inspections = [i for i, s in enumerate(self.stages) if s.kind is StageKind.INSPECTION]
        if len(inspections) > 1:
            raise ValueError("组织考察环节只能有一个。")
        if inspections and inspections[0] != len(self.stages) - 1:
            raise ValueError("组织考察须为最后一个环节（考察在考试之后，rules.md MODE-06、MODE-08）。")
        last = self.stages[-1]
        if last.cut_ratio is not None:
            raise ValueError(f"最后一个环节“{last.label}”之后没有下一环节，不能设置进入下一环节的比例。")
        previous: Stage | None = None
        for s in self.stages:
            if s.cut_ratio is None:
                continue
            if previous is not None and previous.cut_ratio is not None and s.cut_ratio > previous.cut_ratio:
                raise ValueError(
                    f"环节“{s.label}”的比例 {ratio_text(s.cut_ratio)} 大于此前环节“{previous.label}”的 "
                    f"{ratio_text(previous.cut_ratio)}，后一环节的比例不能更宽。"
                )
            previous = s

    @property
    def scored_stages(self) -> tuple[Stage, ...]:
        """The stages whose score carries into the total, in plan order."""
        return tuple(s for s in self.stages if s.scored)

    def stage(self, key: str) -> Stage:
        """The stage with ``key``; ``KeyError`` if there is none."""
        for s in self.stages:
            if s.key == key:
                return s
        raise KeyError(key)

    def next_stage(self, key: str) -> Stage | None:
        """The stage after ``key`` (``None`` after the last)."""
        index = [s.key for s in self.stages].index(key)
        return self.stages[index + 1] if index + 1 < len(self.stages) else None

    def describe(self) -> tuple[str, ...]:
        """The plan in Chinese, one line per stage, for the announcement and the 纪实."""
        lines = []
        for number, s in enumerate(self.stages, start=1):
            parts = [f"{number}. {s.label}"]
            if s.scored:
                parts.append(f"成绩占总成绩的 {percent_text(s.weight)}")
            else:
                parts.append("不计入总成绩")
            if s.full_mark != 100:
                parts.append(f"满分 {score_text(s.full_mark)} 分，折算为百分制")
            if s.pass_mark is not None:
                parts.append(f"合格分数线 {score_text(s.pass_mark)} 分")
            following = self.next_stage(s.key)
            if s.cut_ratio is not None and following is not None:
                parts.append(
                    f"按职位数与人选 {ratio_text(s.cut_ratio)} 的比例确定进入{following.label}的人选"
                    "（名次并列的均进入）"
                )
            lines.append("，".join(parts) + "。")
        return tuple(lines)

    def to_json(self) -> dict[str, object]:
        """The plan as JSON-ready data (what ``Campaign.stages`` stores); round-trips exactly."""
        return {
            "version": PLAN_JSON_VERSION,
            "kind": self.kind.value,
            "stages": [s.to_json() for s in self.stages],
            "citation": self.citation,
        }

    @classmethod
    def from_json(cls, data: object) -> StagePlan:
        """The plan of :meth:`to_json`'s data, validated; ``ValueError`` (Chinese) for anything malformed."""
        if not isinstance(data, Mapping):
            raise ValueError(f"考试环节方案应为 JSON 对象，实际为 {data!r}。")
        unknown = sorted(str(k) for k in data if k not in ("version", "kind", "stages", "citation"))
        if unknown:
            raise ValueError(f"考试环节方案有未知字段：{'、'.join(unknown)}。")
        version = data.get("version", PLAN_JSON_VERSION)
        if version != PLAN_JSON_VERSION or isinstance(version, bool):
            raise ValueError(f"考试环节方案的版本“{version}”无法识别（应为 {PLAN_JSON_VERSION}）。")
        raw_kind = data.get("kind")
        try:
            kind = CampaignKind(raw_kind if isinstance(raw_kind, str) else "")
        except ValueError:
            allowed = "、".join(k.value for k in CampaignKind)
            raise ValueError(f"选拔类别“{raw_kind}”无效，应为 {allowed} 之一。") from None
        stages = data.get("stages")
        if not isinstance(stages, list):
            raise ValueError("考试环节方案的“stages”应为列表。")
        citation = data.get("citation", "")
        if not isinstance(citation, str):
            raise ValueError("考试环节方案的“citation”应为字符串。")
        return cls(kind=kind, stages=tuple(Stage.from_json(s) for s in stages), citation=citation)


def default_plan(kind: CampaignKind) -> StagePlan:
    """The seed county's practice for ``kind``, as an editable default (numbers: MODE-09, UNCONFIRMED, local).

    - 公开选拔 (the women-only selection of Aug 2002): 笔试 50% → (1:3) → 面试 50% → (2:1) →
      民主测评 (for reference, not in the total) → 组织考察.
    - 竞争上岗 (the 12 towns and 59 units): 笔试 30% → 面试 40% → 民主测评 30% → (2:1) → 组织考察.
    - 联合公选 (the provincial joint selection): 统一考试 (score supplied by the province) 50% →
      (1:3) → 面试 50% → (2:1) → 组织考察.
    """
    half, three, two = Fraction(1, 2), Fraction(3), Fraction(2)
    inspection = Stage("inspection", "组织考察", StageKind.INSPECTION)
    if kind is CampaignKind.OPEN_SELECTION:
        stages: Sequence[Stage] = (
            Stage("written", "笔试", StageKind.WRITTEN_EXAM, half, scored=True, cut_ratio=three),
            Stage("interview", "面试", StageKind.INTERVIEW, half, scored=True, cut_ratio=two),
            Stage("evaluation", "民主测评", StageKind.EVALUATION),
            inspection,
        )
        citation = CITE_OPEN_SELECTION
    elif kind is CampaignKind.COMPETITION:
        stages = (
            Stage("written", "笔试", StageKind.WRITTEN_EXAM, Fraction(3, 10), scored=True),
            Stage("interview", "面试", StageKind.INTERVIEW, Fraction(2, 5), scored=True),
            Stage(
                "evaluation", "民主测评", StageKind.EVALUATION, Fraction(3, 10), scored=True, cut_ratio=two
            ),
            inspection,
        )
        citation = CITE_COMPETITION
    else:
        stages = (
            Stage("external", "统一考试", StageKind.EXTERNAL_EXAM, half, scored=True, cut_ratio=three),
            Stage("interview", "面试", StageKind.INTERVIEW, half, scored=True, cut_ratio=two),
            inspection,
        )
        citation = CITE_JOINT
    return StagePlan(kind=kind, stages=tuple(stages), citation=citation)


# ---------------------------------------------------------------- totals


@dataclass(frozen=True)
class WeightedTotal:
    """A composite total: ``exact`` (Fraction, 100-point scale), ``value`` (rounded once), the formula.

    ``parts`` are (stage key, score as given, effective weight, exact contribution) in plan order;
    ``formula`` the Chinese line for the score notice (``笔试 82.5×50% + 面试 85.67×50% = 84.09``).
    """

    exact: Fraction
    value: Decimal
    parts: tuple[tuple[str, Score, Fraction, Fraction], ...]
    formula: str


def weighted_total(
    stage_scores: Mapping[str, Score],
    plan: StagePlan,
    *,
    through: str | None = None,
    places: int = 2,
) -> WeightedTotal:
    """The composite total of one candidate: Σ weight × score over the scored stages (exact, rounded once).

    ``stage_scores`` maps stage keys to the scores as recorded (published). Each scored stage is
    converted to the 100-point scale (× 100 / full mark) and weighted; the sum is exact and is
    rounded once at the end to ``places`` decimals, ROUND_HALF_UP. Scores of unscored stages may
    be present and are ignored.

    ``through``: the total so far, over the scored stages up to and including that stage, with
    their weights rescaled to sum to 1 — the 综合成绩 on which an intermediate cut is made (after the
    written exam alone it is the written score itself).

    Raises ``ValueError`` (Chinese) for a missing score of a scored stage, a score of an unknown
    stage, a score below 0 or above the full mark, a float, or ``through`` naming no stage or
    preceding every scored stage. Weights: MODE-09, UNCONFIRMED, local.
    """
    keys = [s.key for s in plan.stages]
    unknown = sorted(set(stage_scores) - set(keys))
    if unknown:
        raise ValueError(f"成绩中有本次考试方案未定义的环节：{'、'.join(unknown)}。")
    if through is not None and through not in keys:
        raise ValueError(f"考试方案中没有环节“{through}”。")
    upto = keys.index(through) + 1 if through is not None else len(keys)
    stages = [s for s in plan.stages[:upto] if s.scored]
    if not stages:
        raise ValueError(f"环节“{plan.stage(keys[upto - 1]).label}”及以前没有计入总成绩的环节。")
    share = sum((s.weight for s in stages), Fraction(0))
    parts: list[tuple[str, Score, Fraction, Fraction]] = []
    terms: list[str] = []
    for s in stages:
        if s.key not in stage_scores:
            raise ValueError(f"缺少“{s.label}”成绩，无法计算总成绩。")
        given = stage_scores[s.key]
        value = to_exact(given, f"“{s.label}”成绩")
        if not 0 <= value <= s.full_mark:
            raise ValueError(
                f"“{s.label}”成绩 {score_text(given)} 分应在 0 至满分 {score_text(s.full_mark)} 分之间。"
            )
        weight = s.weight / share
        contribution = value * 100 / s.full_mark * weight
        parts.append((s.key, given, weight, contribution))
        scale = "" if s.full_mark == 100 else f"÷{score_text(s.full_mark)}×100"
        terms.append(f"{s.label} {score_text(given)}{scale}×{percent_text(weight)}")
    exact = sum((p[3] for p in parts), Fraction(0))
    rounded = round_half_up(exact, places)
    return WeightedTotal(
        exact=exact, value=rounded, parts=tuple(parts), formula=" + ".join(terms) + f" = {rounded:f}"
    )


def check_pass_mark(plan: StagePlan, stage_key: str, score: Score) -> Verdict:
    """Whether ``score`` reaches the stage's 合格分数线 (reached when equal); passes when the stage has none.

    The failing reason (rule ``CAMPAIGN-PASS-MARK``) names the stage, the score and the mark. The
    mark is the campaign's own (MODE-09, UNCONFIRMED, local). ``KeyError`` for an unknown stage.
    """
    stage = plan.stage(stage_key)
    if stage.pass_mark is None or to_exact(score, f"“{stage.label}”成绩") >= stage.pass_mark:
        return Verdict.passed()
    return Verdict.failed(
        Reason(
            rule="CAMPAIGN-PASS-MARK",
            citation=_CITE_PASS_MARK,
            message=(
                f"{stage.label}成绩 {score_text(score)} 分，低于本次选拔规定的合格分数线 "
                f"{score_text(stage.pass_mark)} 分。"
            ),
        )
    )
