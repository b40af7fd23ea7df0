"""Scores of a competitive selection (公开选拔、竞争上岗): exact numbers, trimmed means, interview panels.

Part of :mod:`ganbu.rules.campaign` (issue #5); see that module for the whole picture.

**Numbers are exact.** A score is an ``int``, a ``decimal.Decimal`` exactly as typed on the score
sheet (``Decimal("85.5")``) or a ``fractions.Fraction``; floats are refused with a ``ValueError``
(a float cannot hold 85.1 and a place can turn on the last digit). Every computation is done in
``Fraction``, so a trimmed mean of 84, 85, 85 is 254/3 and not 84.66666….

**Rounding happens once per published figure.** :func:`round_half_up` rounds half away from zero
(``ROUND_HALF_UP``, 四舍五入, the convention of score notices) to a stated number of decimals:

- an interview panel's score (:func:`panel_score`) is rounded once, to ``places`` (default 2), when
  it is published; the exact value is kept next to it;
- the composite total (:func:`ganbu.rules.campaign_stages.weighted_total`) is computed exactly from
  the stage scores *as recorded* and rounded once at the end, never in between.

Record the published (rounded) stage score, so that anyone can recompute the total from the
published figures and get the same number.

Scoring rules (trimming, panel size, criteria) are local practice: no national text fixes them
(rules.md MODE-09, UNCONFIRMED).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

Score = int | Decimal | Fraction
"""An exact score: ``int``, ``Decimal`` or ``Fraction`` (never ``float``)."""

_CITE_PANEL = (
    "面试评分办法（地方做法）：各评委按评分要素打分，去掉最高分和最低分后取平均分"
    "（rules.md MODE-09，UNCONFIRMED，全国性条文未见；去掉的个数可配置）"
)


def to_exact(value: object, what: str = "分数") -> Fraction:
    """``value`` as an exact ``Fraction``; ``ValueError`` (Chinese, naming ``what``) for floats and the like.

    Accepts ``int`` (not ``bool``), finite ``Decimal`` and ``Fraction``.
    """
    if isinstance(value, bool) or not isinstance(value, int | Decimal | Fraction):
        raise ValueError(
            f"{what}须为整数、Decimal 或 Fraction 等精确数值（不接受浮点数），实际为 {value!r}。"
        )
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"{what}须为有限数值，实际为 {value}。")
    return Fraction(value)


def round_half_up(value: Fraction | Decimal | int, places: int = 2) -> Decimal:
    """``value`` rounded to ``places`` decimals, half away from zero (ROUND_HALF_UP, 四舍五入), exactly.

    The result always shows ``places`` decimals (``Decimal("84.10")``); no intermediate float or
    context precision is involved, so 84.085 becomes 84.09 and 2/3 becomes 0.67.
    """
    if places < 0:
        raise ValueError(f"保留的小数位数不能为负数，实际为 {places}。")
    exact = to_exact(value, "数值")
    scaled = abs(exact) * 10**places
    digits = math.floor(scaled + Fraction(1, 2))
    sign = "-" if exact < 0 and digits else ""
    return Decimal(f"{sign}{digits}e-{places}")


def score_text(value: Score) -> str:
    """A score for messages: ``85``, ``85.50`` (a Decimal as typed), ``约84.67`` (a repeating Fraction)."""
    if isinstance(value, Decimal):
        return f"{value:f}"
    exact = to_exact(value)
    if exact.denominator == 1:
        return str(exact.numerator)
    for places in range(1, 5):
        if (exact * 10**places).denominator == 1:
            return f"{round_half_up(exact, places):f}"
    return f"约{round_half_up(exact, 2):f}"


def percent_text(share: Fraction) -> str:
    """A share as a percentage: ``50%``, ``33.5%``, ``约33.33%``."""
    value = share * 100
    if value.denominator == 1:
        return f"{value.numerator}%"
    if (value * 100).denominator == 1:
        return f"{score_text(value)}%"
    return f"约{round_half_up(value, 2):f}%"


def ratio_text(ratio: Fraction) -> str:
    """A number of candidates per post as the ``1:N`` of score notices: ``1:3``, ``1:1.5``."""
    return f"1:{score_text(ratio)}"


# ---------------------------------------------------------------- trimmed mean


def trimmed_mean(scores: Iterable[Score], drop_high: int = 1, drop_low: int = 1) -> Fraction:
    """The mean after dropping the ``drop_high`` highest and ``drop_low`` lowest scores (去掉最高分、最低分).

    Exact: returns a ``Fraction`` (round it with :func:`round_half_up` when publishing). Equal
    scores are interchangeable, so which of two equal highest scores is dropped does not matter.
    Raises ``ValueError`` (Chinese) for negative drop counts, a float score, and fewer than
    ``drop_high + drop_low + 1`` scores (at least one must remain). Local practice (MODE-09,
    UNCONFIRMED).
    """
    if drop_high < 0 or drop_low < 0:
        raise ValueError(f"去掉的最高分、最低分个数不能为负数，实际为 {drop_high}、{drop_low}。")
    values = sorted(to_exact(s, "评分") for s in scores)
    needed = drop_high + drop_low + 1
    if len(values) < needed:
        raise ValueError(
            f"有效评分 {len(values)} 个，去掉 {drop_high} 个最高分和 {drop_low} 个最低分后须至少余 1 个，"
            f"至少需要 {needed} 个评分。"
        )
    kept = values[drop_low : len(values) - drop_high]
    return sum(kept, Fraction(0)) / len(kept)


# ---------------------------------------------------------------- interview panels


@dataclass(frozen=True)
class Criterion:
    """One 评分要素 of an interview sheet: ``maximum`` points (满分), counted with ``weight`` (default 1).

    A judge's total is the sum over criteria of ``weight × score``; with the usual sheets
    (综合分析 20 分, 语言表达 15 分 …) the maxima already carry the weighting and ``weight`` stays 1.
    """

    key: str
    label: str
    maximum: Score
    weight: Score = 1

    def __post_init__(self) -> None:
        """Refuse an empty key, a non-positive maximum or weight."""
        if not self.key.strip():
            raise ValueError("评分要素须有代码。")
        if to_exact(self.maximum, f"评分要素“{self.label}”的满分") <= 0:
            raise ValueError(f"评分要素“{self.label}”的满分须大于 0，实际为 {score_text(self.maximum)}。")
        if to_exact(self.weight, f"评分要素“{self.label}”的权重") <= 0:
            raise ValueError(f"评分要素“{self.label}”的权重须大于 0，实际为 {score_text(self.weight)}。")


@dataclass(frozen=True)
class PanelScore:
    """The result of :func:`panel_score`.

    ``judge_totals``: (judge, total) sorted by judge; ``dropped_high`` / ``dropped_low``: the judges
    whose totals were dropped (among equal totals, the one with the greater / smaller judge key —
    the value is the same either way); ``exact``: the trimmed mean; ``score``: it rounded to
    ``places`` decimals, ROUND_HALF_UP (the published score); ``full_mark``: the sheet's total;
    ``explanation``: one Chinese sentence for the score notice.
    """

    judge_totals: tuple[tuple[str, Fraction], ...]
    dropped_high: tuple[str, ...]
    dropped_low: tuple[str, ...]
    exact: Fraction
    score: Decimal
    full_mark: Fraction
    explanation: str
    citation: str = _CITE_PANEL


def panel_score(
    sheets: Mapping[str, Mapping[str, Score]],
    criteria: Sequence[Criterion],
    *,
    drop_high: int = 1,
    drop_low: int = 1,
    places: int = 2,
) -> PanelScore:
    """An interview panel's score for one candidate: per-judge totals, then their trimmed mean.

    ``sheets`` maps each judge to their sheet (criterion key → score). Each judge's total is the
    sum of ``weight × score`` over ``criteria``; the published score is the :func:`trimmed_mean` of
    the totals, rounded once to ``places`` decimals (ROUND_HALF_UP). The result does not depend
    on the order of judges or criteria.

    Raises ``ValueError`` (Chinese, naming the judge and the criterion) for a sheet that misses a
    criterion or scores an unknown one, a negative score, a score above the criterion's maximum,
    duplicate criterion keys, a float, or too few judges for the trimming. Local practice
    (MODE-09, UNCONFIRMED).
    """
    keys = [c.key for c in criteria]
    if not keys:
        raise ValueError("评分表须至少有一个评分要素。")
    if len(set(keys)) != len(keys):
        raise ValueError(
            "评分要素代码重复：" + "、".join(sorted({k for k in keys if keys.count(k) > 1})) + "。"
        )
    by_key = {c.key: c for c in criteria}
    totals: dict[str, Fraction] = {}
    for judge in sorted(sheets):
        sheet = sheets[judge]
        unknown = sorted(set(sheet) - set(by_key))
        if unknown:
            raise ValueError(f"评委“{judge}”的评分表有未定义的评分要素：{'、'.join(unknown)}。")
        total = Fraction(0)
        for c in criteria:
            if c.key not in sheet:
                raise ValueError(f"评委“{judge}”未对“{c.label}”打分。")
            given = sheet[c.key]
            value = to_exact(given, f"评委“{judge}”对“{c.label}”的打分")
            if value < 0:
                raise ValueError(f"评委“{judge}”对“{c.label}”打分 {score_text(given)}，不能为负数。")
            if value > to_exact(c.maximum):
                raise ValueError(
                    f"评委“{judge}”对“{c.label}”打分 {score_text(given)}，"
                    f"超过该项满分 {score_text(c.maximum)} 分。"
                )
            total += to_exact(c.weight) * value
        totals[judge] = total
    try:
        exact = trimmed_mean(totals.values(), drop_high=drop_high, drop_low=drop_low)
    except ValueError as exc:
        raise ValueError(f"面试评委 {len(totals)} 人：{exc}") from None
    ordered = sorted(totals, key=lambda j: (totals[j], j))
    low = tuple(ordered[:drop_low])
    high = tuple(reversed(ordered[len(ordered) - drop_high :])) if drop_high else ()
    score = round_half_up(exact, places)
    full_mark = sum((to_exact(c.weight) * to_exact(c.maximum) for c in criteria), Fraction(0))
    parts = [f"评委 {len(totals)} 人"]
    if high:
        parts.append(f"去掉最高分 {len(high)} 个（" + "、".join(_judge(j, totals) for j in high) + "）")
    if low:
        parts.append(f"去掉最低分 {len(low)} 个（" + "、".join(_judge(j, totals) for j in low) + "）")
    kept = len(totals) - len(high) - len(low)
    explanation = (
        "，".join(parts)
        + f"，其余 {kept} 人平均 {score_text(exact)} 分，计 {score:f} 分（满分 {score_text(full_mark)} 分）。"
    )
    return PanelScore(
        judge_totals=tuple(sorted(totals.items())),
        dropped_high=high,
        dropped_low=low,
        exact=exact,
        score=score,
        full_mark=full_mark,
        explanation=explanation,
    )


def _judge(judge: str, totals: Mapping[str, Fraction]) -> str:
    return f"评委“{judge}” {score_text(totals[judge])} 分"
