"""Tallying secret ballots: the committee vote 票决, democratic evaluation 民主测评, recommendation 民主推荐.

Pure arithmetic over plain values so the voting app (and its tests) can count a ballot the same way
everywhere. Shares and thresholds are ``fractions.Fraction``: "不称职票超过30%" compares 3/10 with
3/10 exactly, which floating point cannot promise. Thresholds may be given as ``Fraction``,
``Decimal`` or ``int``; a ``float`` is refused, as are counts that are not ``int`` (``True`` is not
one member) — :mod:`ganbu.rules.inputs`. Rule IDs (``DEC-01`` ...) are the row IDs of
``docs/rules.md``; every citation carries the confidence code given there.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType

from . import inputs
from .types import Reason, Verdict

# ---------------------------------------------------------------- citations

_CITE_QUORUM = (
    "《党政领导干部选拔任用工作条例》(2019) 讨论决定章：必须有三分之二以上成员到会"
    "（rules.md DEC-01，置信度 Q；条号未见）；未达法定人数作出的任免决定无效（DEC-05，置信度 S）"
)
_CITE_MAJORITY = (
    "《党政领导干部选拔任用工作条例》(2019) 讨论决定章：以应到会成员超过半数同意形成决定"
    "（rules.md DEC-02，置信度 Q；条号未见）"
)
_CITE_GRADES = (
    "《公务员法》(2018) 第三十八条：优秀、称职、基本称职、不称职四个等次（rules.md EVAL-01，置信度 Q-law）"
)
_CITE_INCOMPETENT = (
    "县级实施办法（地方规定，非全国性条文）：测评不称职票超过一定比例的按不称职认定"
    "（rules.md EVAL-10，置信度 S；原“超过30%”为地方规定，部分县为三分之一，阈值可配置）"
)
_CITE_APPROVAL = (
    "县级实施办法（地方规定）：测评“优秀+称职”得票不足三分之二的诫勉或调整；试用期满民主评议"
    "“称职+优秀”未超过三分之二的原则上不能正式任职（rules.md EVAL-10、EVAL-11，置信度 S，下限可配置）"
)
_CITE_MEETING_QUORUM = (
    "地方实施细则：推荐会到会人数应达应到会人数三分之二以上（rules.md REC-09，置信度 S，"
    "青海省 2020 年实施细则，非全国性条文；比例可配置）"
)
_CITE_REFERENCE_LIST = (
    "《党政领导干部选拔任用工作条例》(2019) 第十八条第（二）项、第二十条：会议推荐参考人选应当差额提出"
    "（rules.md REC-04，置信度 Q）"
)
_CITE_NOT_ELECTION = (
    "《党政领导干部选拔任用工作条例》(2019) 第二十三条：防止把推荐票等同于选举票、简单以推荐票取人"
    "（rules.md REC-07，置信度 Q）"
)
_CITE_SPOILT = (
    "参照《全国人民代表大会和地方各级人民代表大会选举法》(2020) 第四十四条第二款："
    "每一选票所选的人数多于规定人数的作废"
    "（类推适用，置信度 Q-law；民主推荐的废票规定未见原文）"
)
_CITE_PAPER_RETURN = (
    "参照《全国人民代表大会和地方各级人民代表大会选举法》(2020) 第四十四条第一款："
    "所投的票数多于投票人数的无效，"
    "等于或者少于投票人数的有效（类推适用，置信度 Q-law；党内推荐、测评的同类规定未见原文）"
)
_CITE_DIFFERENTIAL = (
    "本县政策：差额考察每个职位 1.5–2 名考察对象（rules.md INSP-03，UNCONFIRMED，全国性条文未见；"
    "全国性规定仅要求换届时考察对象多于拟任职务数，INSP-02，置信度 S）"
)


def _pct(share: Fraction) -> str:
    """A share as a percentage for messages: exact when it is a whole percent, else "约" and one decimal."""
    value = share * 100
    if value.denominator == 1:
        return f"{value.numerator}%"
    return f"约{float(value):.1f}%"


# ---------------------------------------------------------------- 票决: the standing committee's vote


class CommitteeChoice(StrEnum):
    """A member's position on one item: 同意, 不同意 or 缓议 (2019条例 讨论决定章, rules.md DEC-03, Q)."""

    AGREE = "agree"
    DISAGREE = "disagree"
    DEFER = "defer"

    @property
    def label(self) -> str:
        """The Chinese label shown on the ballot and in the minutes."""
        return {"agree": "同意", "disagree": "不同意", "defer": "缓议"}[self.value]


@dataclass(frozen=True)
class CommitteeItemResult:
    """The count of one item (one person, one post) at a 党委（党组）meeting deciding appointments.

    ``members`` is 应到会成员 after recusals for this item (DEC-06), ``present`` 实到. ``passed``
    needs the quorum (DEC-01: 三分之二以上成员到会) and more 同意 than half of ``members`` — of those
    who should attend, not of those present (DEC-02, 2019条例 讨论决定章, Q).
    """

    members: int
    present: int
    agree: int
    disagree: int
    defer: int
    not_voted: int
    quorum_met: bool
    passed: bool
    reasons: tuple[Reason, ...]


def quorum_required(members: int) -> int:
    """The smallest attendance meeting 三分之二以上成员到会 (2019条例 讨论决定章, rules.md DEC-01, Q).

    "以上" includes the number itself, so it is ⌈2/3 × members⌉: 8 of 11, 6 of 9, 5 of 7.
    """
    members = inputs.whole(members, "应到会成员数", minimum=1)
    return -(-2 * members // 3)


def majority_required(members: int) -> int:
    """The smallest 同意 count exceeding half of 应到会成员 (2019条例 讨论决定章, rules.md DEC-02, Q).

    "超过半数" is strict: 6 of 11, 5 of 9, 4 of 8.
    """
    members = inputs.whole(members, "应到会成员数", minimum=1)
    return members // 2 + 1


def tally_committee_item(
    *, members: int, present: int, choices: Sequence[CommitteeChoice]
) -> CommitteeItemResult:
    """Count one item of a committee vote 票决 and decide it (2019条例 讨论决定章, DEC-01/02/05).

    ``choices`` holds one position per member who expressed one; present members without one are
    ``not_voted``. Without quorum nothing passes (DEC-05: such a decision is void, S). Raises
    ``ValueError`` with a Chinese message on impossible counts.
    """
    members = inputs.whole(members, "应到会成员数", minimum=1)
    present = inputs.whole(present, "实到人数")
    if present > members:
        raise inputs.RuleInputError(f"实到人数 {present} 必须在 0 到应到会成员数 {members} 之间。")
    try:
        counts = Counter(CommitteeChoice(c) for c in choices)
    except ValueError as exc:
        raise inputs.RuleInputError(f"表态只能是同意、不同意或缓议：{exc}") from exc
    return tally_committee_counts(members=members, present=present, counts=counts)


def tally_committee_counts(
    *, members: int, present: int, counts: Mapping[CommitteeChoice, int]
) -> CommitteeItemResult:
    """``tally_committee_item`` from the number of each position instead of one entry per member.

    For a count that aggregated its sheets already (a database ``GROUP BY``, a paper count);
    the result is the same as for a list holding each position that many times.
    """
    members = inputs.whole(members, "应到会成员数", minimum=1)
    present = inputs.whole(present, "实到人数")
    if present > members:
        raise inputs.RuleInputError(f"实到人数 {present} 必须在 0 到应到会成员数 {members} 之间。")
    try:
        by_choice = {CommitteeChoice(c): n for c, n in counts.items()}
    except ValueError as exc:
        raise inputs.RuleInputError(f"表态只能是同意、不同意或缓议：{exc}") from exc
    by_choice = {c: inputs.whole(n, "表态票数") for c, n in by_choice.items()}
    expressed = sum(by_choice.values())
    if expressed > present:
        raise inputs.RuleInputError(f"表态人数 {expressed} 多于实到人数 {present}。")
    agree = by_choice.get(CommitteeChoice.AGREE, 0)
    disagree = by_choice.get(CommitteeChoice.DISAGREE, 0)
    defer = by_choice.get(CommitteeChoice.DEFER, 0)
    not_voted = present - expressed

    q_needed = quorum_required(members)
    quorum_met = present >= q_needed
    m_needed = majority_required(members)
    passed = quorum_met and agree >= m_needed

    quorum_message = (
        f"应到会成员 {members} 人，实到 {present} 人；"
        f"须不少于应到会成员的三分之二，即至少 {q_needed} 人到会："
        + ("到会人数符合要求。" if quorum_met else "到会人数不足，不能作出任免决定，作出的决定无效。")
    )
    tally = f"同意 {agree} 票、不同意 {disagree} 票、缓议 {defer} 票、未表态 {not_voted} 人"
    if not quorum_met:
        outcome = "因到会人数不足，未形成决定。"
    elif passed:
        outcome = "通过。"
    else:
        outcome = "未通过。"
    majority_message = (
        f"{tally}；须超过应到会成员（{members} 人，而非实到人数）半数同意，"
        f"即至少 {m_needed} 票同意：{outcome}"
    )
    return CommitteeItemResult(
        members=members,
        present=present,
        agree=agree,
        disagree=disagree,
        defer=defer,
        not_voted=not_voted,
        quorum_met=quorum_met,
        passed=passed,
        reasons=(
            Reason(rule="DEC-01", citation=_CITE_QUORUM, message=quorum_message),
            Reason(rule="DEC-02", citation=_CITE_MAJORITY, message=majority_message),
        ),
    )


# ---------------------------------------------------------------- 民主测评: democratic evaluation


class Grade(StrEnum):
    """The four evaluation grades (《公务员法》(2018) 第三十八条, rules.md EVAL-01, Q-law)."""

    EXCELLENT = "excellent"
    COMPETENT = "competent"
    BASIC = "basic"
    INCOMPETENT = "incompetent"

    @property
    def label(self) -> str:
        """The Chinese label: 优秀, 称职, 基本称职, 不称职."""
        return {
            "excellent": "优秀",
            "competent": "称职",
            "basic": "基本称职",
            "incompetent": "不称职",
        }[self.value]


@dataclass(frozen=True)
class EvaluationSheet:
    """One 民主测评 sheet: the grade given (公务员法 第三十八条, EVAL-01) and the voter's category.

    ``category`` is the voter category (领导班子成员, 中层干部, 一般干部 ...) used for weighting.
    """

    grade: Grade
    category: str = ""


@dataclass(frozen=True)
class EvaluationResult:
    """The count of a 民主测评 (EVAL-01 grades; EVAL-10 不称职 share, a local rule, S).

    ``shares`` are weighted by voter category when weights were given, else counts/total;
    ``incompetent_flag`` is set when the 不称职 share is strictly above the threshold ("超过").
    """

    total: int
    counts: Mapping[Grade, int]
    shares: Mapping[Grade, Fraction]
    by_category: Mapping[str, Mapping[Grade, int]]
    incompetent_share: Fraction
    incompetent_flag: bool
    approval_share: Fraction
    reasons: tuple[Reason, ...]
    approval_flag: bool = False


def tally_evaluation(
    *,
    sheets: Sequence[EvaluationSheet],
    threshold: inputs.Exact = Fraction(3, 10),
    weights: Mapping[str, inputs.Exact] | None = None,
    approval_floor: inputs.Exact | None = None,
) -> EvaluationResult:
    """Count 民主测评 sheets and flag a 不称职 share above ``threshold`` (EVAL-01 Q-law; EVAL-10 local, S).

    With ``approval_floor`` (e.g. 2/3, EVAL-10/EVAL-11, local, S) ``approval_flag`` is set when the
    优秀+称职 share is strictly below it ("不足三分之二").

    The default 30% is the ~2003 source's local rule; county plans seen use 1/3, so the caller
    passes the threshold its own implementing rule sets. With ``weights`` (per voter category) a
    grade's share is Σ w_c·count_c/total_c ÷ Σ w_c over the categories that returned sheets, so
    a large category cannot drown a small one; a category with sheets but no weight is an error.
    No sheets gives all zeros and no flag.
    """
    threshold = inputs.share(threshold, "不称职票比例阈值")
    if approval_floor is not None:
        approval_floor = inputs.share(approval_floor, "“优秀+称职”比例下限")
    try:
        grades = [Grade(s.grade) for s in sheets]
    except ValueError as exc:
        raise inputs.RuleInputError(f"测评等次只能是优秀、称职、基本称职或不称职：{exc}") from exc
    per_category: dict[str, Counter[Grade]] = {}
    for sheet, grade in zip(sheets, grades, strict=True):
        per_category.setdefault(sheet.category, Counter())[grade] += 1
    return tally_evaluation_counts(
        by_category=per_category, threshold=threshold, weights=weights, approval_floor=approval_floor
    )


def tally_evaluation_counts(
    *,
    by_category: Mapping[str, Mapping[Grade, int]],
    threshold: inputs.Exact = Fraction(3, 10),
    weights: Mapping[str, inputs.Exact] | None = None,
    approval_floor: inputs.Exact | None = None,
) -> EvaluationResult:
    """``tally_evaluation`` from the number of sheets of each grade per voter category.

    For a count that aggregated its sheets already (a database ``GROUP BY``, a paper count): the
    result is the same as for a list of sheets holding each (category, grade) that many times. A
    category with no sheet counts nowhere, as in ``tally_evaluation``.
    """
    threshold = inputs.share(threshold, "不称职票比例阈值")
    if approval_floor is not None:
        approval_floor = inputs.share(approval_floor, "“优秀+称职”比例下限")
    per_category: dict[str, Counter[Grade]] = {}
    for category, counted in by_category.items():
        try:
            pairs = [(Grade(g), n) for g, n in counted.items()]
        except ValueError as exc:
            raise inputs.RuleInputError(f"测评等次只能是优秀、称职、基本称职或不称职：{exc}") from exc
        grade_counts: Counter[Grade] = Counter()
        for grade, n in pairs:
            grade_counts[grade] += inputs.whole(n, "测评票数")
        if grade_counts.total():
            per_category[category] = grade_counts
    sizes = {c: per_category[c].total() for c in per_category}
    total = sum(sizes.values())
    counts: Mapping[Grade, int] = MappingProxyType(
        {g: sum(per_category[c][g] for c in per_category) for g in Grade}
    )
    by_category = MappingProxyType(
        {c: MappingProxyType({g: per_category[c][g] for g in Grade}) for c in sorted(per_category)}
    )

    reasons: list[Reason] = []
    shares: dict[Grade, Fraction]
    if total == 0:
        shares = {g: Fraction(0) for g in Grade}
    elif weights is None:
        shares = {g: Fraction(counts[g], total) for g in Grade}
    else:
        missing = sorted(c for c in per_category if c not in weights)
        if missing:
            names = "、".join(c or "（未分类）" for c in missing)
            raise inputs.RuleInputError(f"以下测评人类别没有设定权重：{names}。")
        used = {
            c: inputs.exact(weights[c], f"测评人类别“{c or '（未分类）'}”的权重", minimum=None)
            for c in per_category
        }
        if any(w < 0 for w in used.values()):
            raise inputs.RuleInputError("测评人类别权重不能为负数。")
        weight_sum = sum(used.values(), Fraction(0))
        if weight_sum == 0:
            raise inputs.RuleInputError("参加测评的各类别权重之和不能为零。")
        shares = {
            g: sum(
                (used[c] * Fraction(by_category[c][g], sizes[c]) for c in per_category),
                Fraction(0),
            )
            / weight_sum
            for g in Grade
        }
        parts = "、".join(f"{c or '（未分类）'} {used[c]}" for c in sorted(per_category))
        reasons.append(
            Reason(
                rule="EVAL-10-weights",
                citation=_CITE_INCOMPETENT,
                message=f"按测评人类别加权计算各等次比例，权重：{parts}。",
            )
        )

    incompetent_share = shares[Grade.INCOMPETENT]
    incompetent_flag = total > 0 and incompetent_share > threshold
    approval_share = shares[Grade.EXCELLENT] + shares[Grade.COMPETENT]
    approval_flag = total > 0 and approval_floor is not None and approval_share < approval_floor

    if total == 0:
        reasons.append(Reason(rule="EVAL-01", citation=_CITE_GRADES, message="没有收到测评票，不计算比例。"))
    else:
        reasons.append(
            Reason(
                rule="EVAL-01",
                citation=_CITE_GRADES,
                message=(
                    f"共 {total} 票："
                    + "、".join(f"{g.label} {counts[g]} 票" for g in Grade)
                    + f"；优秀和称职合计占{_pct(approval_share)}。"
                ),
            )
        )
        verdict = "超过" if incompetent_flag else "未超过"
        reasons.append(
            Reason(
                rule="EVAL-10",
                citation=_CITE_INCOMPETENT,
                message=(
                    f"不称职 {counts[Grade.INCOMPETENT]} 票，占{_pct(incompetent_share)}，"
                    f"{verdict}阈值 {_pct(threshold)}。"
                ),
            )
        )
        if approval_floor is not None:
            side = "不足" if approval_flag else "达到"
            reasons.append(
                Reason(
                    rule="EVAL-10-approval",
                    citation=_CITE_APPROVAL,
                    message=f"优秀和称职合计占{_pct(approval_share)}，{side}下限 {_pct(approval_floor)}。",
                )
            )

    return EvaluationResult(
        total=total,
        counts=counts,
        shares=MappingProxyType(shares),
        by_category=by_category,
        incompetent_share=incompetent_share,
        incompetent_flag=incompetent_flag,
        approval_share=approval_share,
        reasons=tuple(reasons),
        approval_flag=approval_flag,
    )


# ---------------------------------------------------------------- 民主推荐: democratic recommendation


@dataclass(frozen=True)
class RecommendationSheet:
    """One 会议推荐 sheet for ONE post (2019条例 第十八至二十条, REC-02, Q).

    ``choices`` are the names (or candidate keys) chosen; a key not in the reference list is a
    write-in (另行推荐). ``category`` is the voter category.
    """

    choices: tuple[str, ...]
    category: str = ""


@dataclass(frozen=True)
class RecommendationResult:
    """The count of a 会议推荐 (REC-04 差额参考人选, Q; REC-07 votes are a reference only, Q).

    A sheet naming more than ``max_choices`` keys, a key twice, or a blank key is a spoilt sheet
    废票 and counts nowhere. ``ranking`` orders every key by votes (desc) then key (asc) for a
    stable display; it is not a decision (REC-07).
    """

    total_sheets: int
    valid_sheets: int
    invalid_sheets: int
    votes: Mapping[str, int]
    by_category: Mapping[str, Mapping[str, int]]
    ranking: tuple[tuple[str, int], ...]
    write_ins: frozenset[str]
    reasons: tuple[Reason, ...]


def tally_recommendation(
    *,
    sheets: Sequence[RecommendationSheet],
    reference: Sequence[str],
    posts: int,
    max_choices: int,
) -> RecommendationResult:
    """Count 会议推荐 sheets for one post (2019条例 第十八(二)、二十、二十三条; REC-04, REC-07, Q).

    The reference list must hold more names than posts (差额提出, REC-04), else ``ValueError``.
    ``votes`` lists every reference key (zeros included) and every write-in that got a vote.
    Spoilt sheets follow 选举法 第四十四条第二款 by analogy (Q-law; no party text seen).
    """
    return tally_recommendation_counts(
        sheets=[(sheet, 1) for sheet in sheets], reference=reference, posts=posts, max_choices=max_choices
    )


def tally_recommendation_counts(
    *,
    sheets: Sequence[tuple[RecommendationSheet, int]],
    reference: Sequence[str],
    posts: int,
    max_choices: int,
) -> RecommendationResult:
    """``tally_recommendation`` from (sheet, how many identical sheets) pairs.

    For a count that aggregated its sheets already (a database ``GROUP BY`` on category and
    choices): the result is the same as for the list holding each sheet that many times.
    """
    posts = inputs.whole(posts, "推荐职位数", minimum=1)
    max_choices = inputs.whole(max_choices, "每张推荐票可推荐人数", minimum=1)
    for key in reference:
        inputs.text(key, "参考人选")
    if len(set(reference)) != len(reference):
        raise inputs.RuleInputError("参考人选名单中有重复人选。")
    if len(reference) <= posts:
        raise inputs.RuleInputError(
            f"会议推荐参考人选应当差额提出：参考人选 {len(reference)} 人，须多于职位数 {posts} 个。"
        )

    too_many = 0
    duplicated = 0
    blank = 0
    votes: Counter[str] = Counter()
    per_category: dict[str, Counter[str]] = {}
    valid = 0
    returned = 0
    for sheet, n in sheets:
        n = inputs.whole(n, "推荐票张数")
        if n == 0:
            continue
        returned += n
        choices = tuple(sheet.choices)
        if len(choices) > max_choices:
            too_many += n
            continue
        if len(set(choices)) != len(choices):
            duplicated += n
            continue
        if any(not c.strip() for c in choices):
            blank += n
            continue
        valid += n
        category = per_category.setdefault(sheet.category, Counter())
        for choice in choices:
            votes[choice] += n
            category[choice] += n
        # A category whose valid sheets are all blank still appears, with zeros.

    keys = sorted(set(reference) | {k for k, n in votes.items() if n > 0})
    ref_set = set(reference)
    write_ins = frozenset(k for k in keys if k not in ref_set)
    ranking = tuple(sorted(((k, votes[k]) for k in keys), key=lambda kv: (-kv[1], kv[0])))
    invalid = too_many + duplicated + blank

    reasons = [
        Reason(
            rule="REC-04",
            citation=_CITE_REFERENCE_LIST,
            message=f"参考人选 {len(reference)} 人，职位 {posts} 个，差额提出。",
        ),
        Reason(
            rule="REC-SPOILT",
            citation=_CITE_SPOILT,
            message=(
                f"共收回推荐票 {returned} 张，有效 {valid} 张，废票 {invalid} 张"
                f"（推荐人数超过 {max_choices} 人 {too_many} 张、同一人选重复 {duplicated} 张、"
                f"含空白人选 {blank} 张）。"
            ),
        ),
    ]
    if write_ins:
        reasons.append(
            Reason(
                rule="REC-WRITE-IN",
                citation=_CITE_REFERENCE_LIST,
                message=f"参考人选以外另行推荐 {len(write_ins)} 人：{'、'.join(sorted(write_ins))}。",
            )
        )
    reasons.append(
        Reason(
            rule="REC-07",
            citation=_CITE_NOT_ELECTION,
            message="推荐得票只作为选人用人的重要参考，排序不等于选举结果，不得简单以票取人。",
        )
    )
    return RecommendationResult(
        total_sheets=returned,
        valid_sheets=valid,
        invalid_sheets=invalid,
        votes=MappingProxyType({k: votes[k] for k in keys}),
        by_category=MappingProxyType(
            {c: MappingProxyType({k: per_category[c][k] for k in keys}) for c in sorted(per_category)}
        ),
        ranking=ranking,
        write_ins=write_ins,
        reasons=tuple(reasons),
    )


# ---------------------------------------------------------------- ballot papers and ratios


def check_paper_return(*, issued: int, returned: int) -> Verdict:
    """Void a ballot when more papers come back than were issued (选举法 第四十四条 by analogy, Q-law).

    Equal or fewer returned papers are fine; the vote is then counted on the papers returned.
    """
    issued = inputs.whole(issued, "发出票数")
    returned = inputs.whole(returned, "收回票数")
    if returned > issued:
        return Verdict.failed(
            Reason(
                rule="BALLOT-RETURN",
                citation=_CITE_PAPER_RETURN,
                message=f"收回票数 {returned} 张多于发出票数 {issued} 张，本次投票无效，应当重新投票。",
            )
        )
    return Verdict.passed()


def check_meeting_quorum(*, expected: int, present: int, quorum: inputs.Exact = Fraction(2, 3)) -> Verdict:
    """A recommendation or evaluation meeting needs ``present ≥ quorum × expected`` (REC-09, local, S).

    Exact at the boundary: with 2/3 and 9 expected, 6 present is enough and 5 is not.
    """
    expected = inputs.whole(expected, "应到人数", minimum=1)
    present = inputs.whole(present, "实到人数")
    quorum = inputs.share(quorum, "到会人数比例下限")
    if present > expected:
        raise inputs.RuleInputError(f"实到人数应在 0 到应到人数 {expected} 之间，实际为 {present}。")
    if present >= quorum * expected:
        return Verdict.passed()
    return Verdict.failed(
        Reason(
            rule="REC-09",
            citation=_CITE_MEETING_QUORUM,
            message=(
                f"应到 {expected} 人，实到 {present} 人，不足应到人数的{_pct(quorum)}"
                f"（至少须 {math.ceil(quorum * expected)} 人），本次会议推荐（测评）无效。"
            ),
        )
    )


def check_cast_within_present(*, present: int, cast: int) -> Verdict:
    """More ballots cast than voters present voids the vote, as for paper (选举法 第四十四条 by analogy)."""
    present = inputs.whole(present, "实到人数")
    cast = inputs.whole(cast, "投票数")
    if cast > present:
        return Verdict.failed(
            Reason(
                rule="BALLOT-RETURN",
                citation=_CITE_PAPER_RETURN,
                message=f"投票 {cast} 张多于实到人数 {present} 人，本次投票无效，应当重新投票。",
            )
        )
    return Verdict.passed()


def differential_ratio_ok(
    *,
    candidates: int,
    posts: int,
    low: inputs.Exact = Fraction(3, 2),
    high: inputs.Exact = Fraction(2),
) -> Verdict:
    """Check the 差额考察 ratio candidates:posts lies in [low, high] (county policy; INSP-03 UNCONFIRMED).

    Bounds are inclusive: 3 candidates for 2 posts (1.5) and 4 for 2 (2) both pass. The national
    text seen only asks for more candidates than posts at 换届 (INSP-02, S).
    """
    posts = inputs.whole(posts, "职位数", minimum=1)
    candidates = inputs.whole(candidates, "考察对象人数")
    low = inputs.exact(low, "差额比例下限")
    high = inputs.exact(high, "差额比例上限")
    if low > high:
        raise inputs.RuleInputError(f"差额比例下限 {low} 不能大于上限 {high}。")
    ratio = Fraction(candidates, posts)
    if low <= ratio <= high:
        return Verdict.passed()
    side = "低于下限" if ratio < low else "高于上限"
    return Verdict.failed(
        Reason(
            rule="INSP-03",
            citation=_CITE_DIFFERENTIAL,
            message=(
                f"考察对象 {candidates} 人、职位 {posts} 个，差额比例 {_ratio(ratio)}:1，"
                f"{side}（应在 {_ratio(low)}:1 至 {_ratio(high)}:1 之间）。"
            ),
        )
    )


def _ratio(value: Fraction) -> str:
    """A ratio for messages: an integer or up to two decimals (1.5, 2, 约1.33)."""
    if value.denominator == 1:
        return str(value.numerator)
    if (value * 100).denominator == 1:
        return f"{float(value):g}"
    return f"约{float(value):.2f}"
