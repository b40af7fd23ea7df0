"""年度考核: the 优秀 quota, the effect of sanctions on a year's grade, and what the grades lead to.

Rules (rules.md §I; confidence codes as there):

- EVAL-01 (《公务员法》第三十八条, Q-law): the four grades are :class:`~ganbu.rules.tally.Grade`,
  re-exported here; ``None`` stands for a year assessed without a grade (不确定等次, the registry's
  ``ungraded``).
- EVAL-06 (S): the 优秀 quota of the regulation in force on the day of the round — 1994
  《国家公务员考核暂行规定》一般 10%、最多 15%; 2007《公务员考核规定（试行）》15% / 20%; 2020
  《公务员考核规定》20%, 经批准 25%. The switch dates are UNCONFIRMED (:data:`EXCELLENT_QUOTA_RULES`).
- EVAL-08 (组通字〔1998〕19号, Q) and EVAL-09 (the current list, S): what a sanction or an
  organisational measure does to the grade of the year it is decided in and, for the heavier
  ones, the following years; several at once → the heaviest; an open case → no grade until it
  is closed.
- EVAL-02 / EVAL-03 / EVAL-04 (《公务员法》第五十条、第八十八条、第八十九条, Q-law): one 不称职 →
  demotion by one level; two consecutive → dismissal (辞退), unless a blocker holds on the day.
- EVAL-12 (《公务员职务、职级与级别管理规定》, S): 累计五年称职以上 → one 级别 step.

Not here: EVAL-05 (last year's grade blocks inspection) is INSP-01 in :mod:`ganbu.rules.eligibility`;
EVAL-10 (the 民主测评 shares) is in :mod:`ganbu.rules.tally` and the inspection path in
:mod:`ganbu.rules.exits`; EVAL-07's list of "不得优秀" situations is UNCONFIRMED and not encoded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from . import inputs
from .sanctions import SanctionType
from .tally import Grade
from .types import Reason, Verdict
from .workdays import cn_date

#: 称职以上: the grades that count toward a 级别 step (EVAL-12).
COMPETENT_OR_ABOVE = frozenset({Grade.EXCELLENT, Grade.COMPETENT})

#: The registry's stored code for 不定等次 (``registry.choices.AssessmentGrade.UNGRADED``), read as ``None``.
UNGRADED_CODE = "ungraded"


def _grade_text(grade: Grade | None) -> str:
    return "不确定等次" if grade is None else grade.label


def _grades(grades: Mapping[int, Grade | None]) -> dict[int, Grade | None]:
    """The history: year → grade (``None`` or ``"ungraded"``: 不确定等次); a missing year: no record."""
    out: dict[int, Grade | None] = {}
    for year, grade in grades.items():
        inputs.whole(year, "考核年度", minimum=1949, maximum=2200)
        try:
            out[year] = None if grade is None or grade == UNGRADED_CODE else Grade(grade)
        except ValueError as exc:
            raise inputs.RuleInputError(
                f"{year}年度的考核等次只能是优秀、称职、基本称职或不称职：{exc}"
            ) from exc
    return out


# ---------------------------------------------------------------- EVAL-06 优秀比例

# rules.md gives the three versions by year only. The days below are the reported 印发 dates
# (人事部 1994-03-08; 中组部、人事部 2007-01-04; 中组部 2020-12-28), UNCONFIRMED against the
# official texts: a round held on or after a day falls under that version. Pass other versions
# to change them.
_QUOTA_1994 = dt.date(1994, 3, 8)
_QUOTA_2007 = dt.date(2007, 1, 4)
_QUOTA_2020 = dt.date(2020, 12, 28)


@dataclass(frozen=True)
class ExcellentQuotaRule:
    """One version of the 优秀 quota, for rounds held in [effective_from, effective_until).

    ``general`` is the share 优秀 may take as a rule (一般); ``maximum`` the ceiling that may be
    reached only as ``above_general`` says (经批准 in 2020; the 1994 and 2007 texts say "最多" with
    no procedure, read as needing the same recorded approval, as APPT-03's "一般" needs a reason).
    """

    name: str
    citation: str
    general: Fraction
    maximum: Fraction
    above_general: str
    effective_from: dt.date
    effective_until: dt.date | None

    def in_force_on(self, day: dt.date) -> bool:
        """Whether a round held on ``day`` falls under this version."""
        return self.effective_from <= day and (self.effective_until is None or day < self.effective_until)


_DATES_NOTE = "施行日期未见原文、按印发日期计，UNCONFIRMED"
EXCELLENT_QUOTA_RULES: tuple[ExcellentQuotaRule, ...] = (
    ExcellentQuotaRule(
        name="1994年《国家公务员考核暂行规定》",
        citation=(
            "《国家公务员考核暂行规定》(1994) 第六条：优秀等次人数一般掌握在本部门国家公务员总数的"
            f"百分之十以内，最多不超过百分之十五（rules.md EVAL-06，置信度 S；{_DATES_NOTE}）"
        ),
        general=Fraction(1, 10),
        maximum=Fraction(15, 100),
        above_general="超过一般比例须经批准",
        effective_from=_QUOTA_1994,
        effective_until=_QUOTA_2007,
    ),
    ExcellentQuotaRule(
        name="2007年《公务员考核规定（试行）》",
        citation=(
            "《公务员考核规定（试行）》(2007)：优秀等次人数一般掌握在参加年度考核人数的百分之十五以内，"
            f"最多不超过百分之二十（rules.md EVAL-06，置信度 S；{_DATES_NOTE}）"
        ),
        general=Fraction(15, 100),
        maximum=Fraction(1, 5),
        above_general="超过一般比例须经批准",
        effective_from=_QUOTA_2007,
        effective_until=_QUOTA_2020,
    ),
    ExcellentQuotaRule(
        name="2020年《公务员考核规定》",
        citation=(
            "《公务员考核规定》(2020)：优秀等次人数一般不超过参加年度考核人数的百分之二十，"
            f"特殊情况经批准最高不超过百分之二十五（rules.md EVAL-06，置信度 S；{_DATES_NOTE}）"
        ),
        general=Fraction(1, 5),
        maximum=Fraction(1, 4),
        above_general="特殊情况经批准",
        effective_from=_QUOTA_2020,
        effective_until=None,
    ),
)


def excellent_quota_rule_on(
    on: dt.date, versions: Sequence[ExcellentQuotaRule] = EXCELLENT_QUOTA_RULES
) -> ExcellentQuotaRule:
    """The 优秀 quota in force for a round held on ``on`` (EVAL-06, S; switch dates UNCONFIRMED).

    Raises :class:`~ganbu.rules.inputs.RuleInputError` when no version, or more than one, covers it.
    """
    inputs.day(on, "考核日期")
    found = [v for v in versions if v.in_force_on(on)]
    if len(found) != 1:
        raise inputs.RuleInputError(
            f"{cn_date(on)}进行的年度考核没有唯一适用的优秀比例规定（找到 {len(found)} 个）。"
        )
    return found[0]


@dataclass(frozen=True)
class ExcellentQuota:
    """The 优秀 quota of one round: ``general`` and ``maximum`` are numbers of people."""

    rule: ExcellentQuotaRule
    assessed: int
    general: int
    maximum: int


def excellent_quota(
    assessed: int, on: dt.date, versions: Sequence[ExcellentQuotaRule] = EXCELLENT_QUOTA_RULES
) -> ExcellentQuota:
    """How many of ``assessed`` people may be graded 优秀 in a round held on ``on`` (EVAL-06, S).

    **Rounded down.** The texts say the 优秀 are "不超过" a share of those assessed; a number of
    people k is within it exactly when k ≤ share × assessed, i.e. k ≤ ⌊share × assessed⌋ — no
    rounding is chosen, the floor *is* the share (10 people at 20% → 2; 7 people → 1, since 2 of
    7 is 28.6%; 4 people → 0). Local rules that round up for small units, or pool them, are not
    national text: a county that pools passes the pooled numbers.
    """
    inputs.whole(assessed, "参加考核人数", minimum=1)
    rule = excellent_quota_rule_on(on, versions)
    general = assessed * rule.general.numerator // rule.general.denominator
    maximum = assessed * rule.maximum.numerator // rule.maximum.denominator
    return ExcellentQuota(rule=rule, assessed=assessed, general=general, maximum=maximum)


def _pct(share: Fraction) -> str:
    value = share * 100
    return f"{value.numerator}%" if value.denominator == 1 else f"{float(value):.1f}%"


def check_excellent_quota(
    *,
    assessed: int,
    excellent: int,
    on: dt.date,
    higher_ceiling_approved: bool = False,
    versions: Sequence[ExcellentQuotaRule] = EXCELLENT_QUOTA_RULES,
) -> Verdict:
    """May ``excellent`` of ``assessed`` people be graded 优秀 in a round held on ``on``? (EVAL-06, S)

    Within the general share → passes. Above it and within the maximum → passes only with
    ``higher_ceiling_approved`` (the approval on record). Above the maximum → refused. The verdict
    always carries one reason naming the version, the share, the number of people and the count.
    ``assessed`` is 参加年度考核的人数 as the texts count it (the round's people, graded or not).
    """
    quota = excellent_quota(assessed, on, versions)
    inputs.whole(excellent, "优秀人数")
    inputs.flag(higher_ceiling_approved, "是否经批准提高优秀比例")
    if excellent > assessed:
        raise inputs.RuleInputError(f"优秀人数（{excellent}）不能多于参加考核人数（{assessed}）。")
    rule = quota.rule
    head = (
        f"参加考核 {assessed} 人，拟定优秀 {excellent} 人；按{rule.name}，"
        f"优秀等次一般不超过{_pct(rule.general)}（{quota.general} 人）"
    )
    ceiling = f"最多不超过{_pct(rule.maximum)}（{quota.maximum} 人）"

    def reason(message: str) -> Reason:
        return Reason(rule="EVAL-06", citation=rule.citation, message=message)

    if excellent <= quota.general:
        return Verdict(ok=True, reasons=(reason(f"{head}，未超过。"),))
    if excellent > quota.maximum:
        over = excellent - quota.maximum
        return Verdict.failed(reason(f"{head}、{ceiling}，超过最高比例 {over} 人，不得确定。"))
    if higher_ceiling_approved:
        return Verdict(ok=True, reasons=(reason(f"{head}，超过一般比例，已经批准，{ceiling}，未超过。"),))
    over = excellent - quota.general
    return Verdict.failed(reason(f"{head}，超过 {over} 人；{rule.above_general}，{ceiling}，尚未批准。"))


# ---------------------------------------------------------------- EVAL-08 / EVAL-09 处分对当年等次的影响


class GradeConstraint(StrEnum):
    """What a sanction, a measure or an open case does to a year's grade, lightest first."""

    NONE = "none"
    NOT_EXCELLENT = "not_excellent"
    UNGRADED = "ungraded"
    INCOMPETENT = "incompetent"
    DEFERRED = "deferred"
    NOT_ASSESSED = "not_assessed"

    @property
    def label(self) -> str:
        """The constraint in the officer's words."""
        return _CONSTRAINT_LABELS[self]

    @property
    def weight(self) -> int:
        """Heavier wins when several apply (同时受多种处理处分的，按影响较重者确定).

        不称职 is heavier than 不确定等次 (it demotes and counts toward dismissal); an open case
        defers every grade (立案期间不确定等次), and 开除 ends the assessment altogether.
        """
        return list(GradeConstraint).index(self)

    def allows(self, grade: Grade | None) -> bool:
        """Whether ``grade`` (``None``: 不确定等次) may be given under this constraint."""
        if self is GradeConstraint.NONE:
            return True
        if self is GradeConstraint.NOT_EXCELLENT:
            return grade is not Grade.EXCELLENT
        if self is GradeConstraint.INCOMPETENT:
            return grade is Grade.INCOMPETENT
        return grade is None


_CONSTRAINT_LABELS = {
    GradeConstraint.NONE: "按考核结果确定等次",
    GradeConstraint.NOT_EXCELLENT: "不得确定为优秀等次",
    GradeConstraint.UNGRADED: "不确定等次",
    GradeConstraint.INCOMPETENT: "确定为不称职等次",
    GradeConstraint.DEFERRED: "立案期间不确定等次，结案后再定",
    GradeConstraint.NOT_ASSESSED: "解除人事关系，不再参加年度考核",
}


class MappingVersion(StrEnum):
    """Which mapping of sanctions to grades applies: chosen by the caller, not by date.

    ``RULES_1998``: 组通字〔1998〕19号 (EVAL-08, Q) — party sanctions only; 严重警告 depends on whether
    the fault concerned the cadre's duties. ``CURRENT``: the current list (EVAL-08 as later changed
    and EVAL-09, S) — party and government sanctions and organisational measures. rules.md dates
    the current list only by its 2024/25 compilation, so no switch date is encoded: the service
    picks (for the seed county's records of the ~2003 era, ``RULES_1998``).
    """

    RULES_1998 = "1998"
    CURRENT = "current"


class OrganizationalMeasure(StrEnum):
    """The 组织处理 the current list (EVAL-09) distinguishes; ``SanctionType.ORGANIZATIONAL`` needs one."""

    ADJUSTMENT = "adjustment"
    ORDERED_RESIGNATION = "ordered_resignation"
    REMOVAL = "removal"
    DEMOTION = "demotion"

    @property
    def label(self) -> str:
        """The measure as the decision names it."""
        return {
            "adjustment": "调整职务",
            "ordered_resignation": "责令辞职",
            "removal": "免职",
            "demotion": "降职",
        }[self.value]


@dataclass(frozen=True)
class SanctionFact:
    """A sanction or measure as the assessment reads it.

    ``measure``: for ``SanctionType.ORGANIZATIONAL``, which one. ``duty_related``: for 党内严重警告
    under ``RULES_1998``, whether the fault concerned the cadre's duties (与职务行为有关).
    """

    kind: SanctionType
    decided_on: dt.date
    measure: OrganizationalMeasure | None = None
    duty_related: bool | None = None


@dataclass(frozen=True)
class Investigation:
    """立案审查调查: opened on ``opened_on``, closed on ``closed_on`` (``None`` while open).

    ``outcome``: the sanctions given at closure (empty: 不予或者免予处分); list them among the
    sanctions as well, with their decision days, for their own effects.
    """

    opened_on: dt.date
    closed_on: dt.date | None = None
    outcome: tuple[SanctionType, ...] = ()


@dataclass(frozen=True)
class GradeEffect:
    """One cause's effect on a year: the constraint and its reason (rule, citation, message)."""

    constraint: GradeConstraint
    reason: Reason


@dataclass(frozen=True)
class YearConstraint:
    """The constraint on one year's grade: the heaviest of ``effects`` (heaviest first).

    ``unmapped``: sanctions the chosen mapping does not cover, for the officer to weigh.
    """

    year: int
    constraint: GradeConstraint
    effects: tuple[GradeEffect, ...]
    unmapped: tuple[str, ...]

    def allows(self, grade: Grade | None) -> bool:
        """Whether ``grade`` (``None``: 不确定等次) may be given for the year."""
        return self.constraint.allows(grade)


_C = GradeConstraint
_ZT98 = (
    "中央纪委、中央组织部、人事部《关于受党纪处分的党政机关工作人员年度考核有关问题的意见》"
    "(组通字〔1998〕19号)"
)
_NOW = "受处理处分公务员年度考核的现行规定"
# The source of an entry: (rule, the regulation's name, the confidence code).
_SOURCES = {"1998": ("EVAL-08", _ZT98, "Q"), "party": ("EVAL-08", _NOW, "S"), "gov": ("EVAL-09", _NOW, "S")}
_U, _I = _C.UNGRADED, _C.INCOMPETENT

# kind → (constraint of the decision year, of the second year, …; the source's words)
_Entry = tuple[tuple[GradeConstraint, ...], str]
_PARTY: dict[SanctionType, _Entry] = {
    SanctionType.PARTY_WARNING: ((_C.NOT_EXCELLENT,), "受党内警告处分的当年，不得确定为优秀等次"),
    SanctionType.PARTY_POST_REMOVAL: ((_I,), "受撤销党内职务处分的当年，确定为不称职"),
    SanctionType.PARTY_PROBATION_ONE_YEAR: (
        (_I, _U),
        "受留党察看处分的当年，确定为不称职；留党察看一年的，第二年只写评语、不确定等次",
    ),
    SanctionType.PARTY_PROBATION_TWO_YEARS: (
        (_I, _U, _U),
        "受留党察看处分的当年，确定为不称职；留党察看二年的，第二年、第三年只写评语、不确定等次",
    ),
    SanctionType.PARTY_EXPULSION: (
        (_I, _U, _U),
        "受开除党籍处分的当年，确定为不称职；第二年、第三年只写评语、不确定等次",
    ),
}
_SERIOUS_1998: dict[bool, _Entry] = {
    True: ((_I,), "因与职务行为有关的错误受党内严重警告处分的当年，确定为不称职"),
    False: ((_U,), "因其他错误受党内严重警告处分的当年，只写评语不确定等次"),
}
_GOV: dict[SanctionType, _Entry] = {
    SanctionType.WARNING: ((_C.NOT_EXCELLENT,), "受警告处分的当年，不得确定为优秀等次"),
    SanctionType.DEMERIT: ((_U,), "受记过处分的当年，只写评语，不确定等次"),
    SanctionType.MAJOR_DEMERIT: ((_U, _U), "受记大过处分的当年及第二年，不确定等次"),
    SanctionType.DEMOTION: ((_U, _U), "受降级处分的当年及第二年，不确定等次"),
    SanctionType.DISMISSAL: ((_U, _U), "受撤职处分的当年及第二年，不确定等次"),
    SanctionType.EXPULSION: ((_C.NOT_ASSESSED,), "受开除处分的，解除人事关系"),
}
_MEASURES: dict[OrganizationalMeasure, _Entry] = {
    OrganizationalMeasure.ADJUSTMENT: ((_C.NOT_EXCELLENT,), "被调整职务的当年，不得确定为优秀等次"),
    OrganizationalMeasure.ORDERED_RESIGNATION: ((_U,), "被责令辞职的当年，只写评语，不确定等次"),
    OrganizationalMeasure.REMOVAL: ((_U,), "被免职的当年，只写评语，不确定等次"),
    OrganizationalMeasure.DEMOTION: ((_U,), "被降职的当年，只写评语，不确定等次"),
}
_SERIOUS_NOW: _Entry = ((_U,), "受党内严重警告处分的当年，只写评语，不确定等次")
# After a case closed with no sanction the years it kept open are graded afterwards (补定); under
# the current list also after a warning ("不予（免予）处分、或者给予（政务）警告、党内警告处分的，
# 可按照规定补定等次"), and after anything heavier those years stay without a grade.
_REGRADE_CURRENT = frozenset({SanctionType.WARNING, SanctionType.PARTY_WARNING})
_ORDINALS = ("当年", "第二年", "第三年")
#: Years after the decision's in which an uncovered sanction is reported (the longest list effect: 3 years).
_UNMAPPED_YEARS = 3


def _reason(key: str, words: str, message: str) -> Reason:
    rule, name, confidence = _SOURCES[key]
    return Reason(
        rule=rule, citation=f"{name}：{words}（rules.md {rule}，置信度 {confidence}）", message=message
    )


def _entry(fact: SanctionFact, version: MappingVersion) -> tuple[str, _Entry] | str:
    """The mapping entry for one sanction and its source key, or why there is none (in Chinese)."""
    if version is MappingVersion.RULES_1998:
        if fact.kind is SanctionType.PARTY_SERIOUS_WARNING:
            if fact.duty_related is None:
                raise inputs.RuleInputError(
                    f"{cn_date(fact.decided_on)}受党内严重警告：按组通字〔1998〕19号，"
                    "须写明是否因与职务行为有关的错误受处分。"
                )
            return "1998", _SERIOUS_1998[inputs.flag(fact.duty_related, "是否与职务行为有关")]
        if fact.kind in _PARTY:
            return "1998", _PARTY[fact.kind]
        return "组通字〔1998〕19号只规定党纪处分"
    if fact.kind is SanctionType.ORGANIZATIONAL:
        if fact.measure is None:
            return "未写明组织处理方式（调整职务、责令辞职、免职或降职）"
        return "gov", _MEASURES[OrganizationalMeasure(fact.measure)]
    if fact.kind is SanctionType.PARTY_SERIOUS_WARNING:
        return "party", _SERIOUS_NOW
    if fact.kind in _PARTY:
        return "party", _PARTY[fact.kind]
    if fact.kind in _GOV:
        return "gov", _GOV[fact.kind]
    return "现行清单未列此项"


def _sanction_effect(fact: SanctionFact, year: int, version: MappingVersion) -> GradeEffect | str | None:
    """The effect of one sanction on ``year``, a note that the mapping does not cover it, or nothing."""
    offset = year - fact.decided_on.year
    if offset < 0:
        return None
    what = f"{cn_date(fact.decided_on)}受{fact.kind.label}"
    if fact.kind is SanctionType.ORGANIZATIONAL and fact.measure is not None:
        what = f"{cn_date(fact.decided_on)}被{OrganizationalMeasure(fact.measure).label}"
    found = _entry(fact, version)
    if isinstance(found, str):
        return f"{what}：{found}，对{year}年度等次的影响须人工确定。" if offset < _UNMAPPED_YEARS else None
    key, (constraints, words) = found
    if offset >= len(constraints):
        return None
    constraint = constraints[offset]
    return GradeEffect(
        constraint, _reason(key, words, f"{year}年度为{what}的{_ORDINALS[offset]}，{constraint.label}。")
    )


def _investigation_effect(
    case: Investigation, year: int, as_of: dt.date, version: MappingVersion
) -> GradeEffect | None:
    """An open case defers the grade; a closed one leaves its years ungraded after a heavier sanction."""
    inputs.day(case.opened_on, "立案日期")
    inputs.optional_day(case.closed_on, "结案日期")
    if case.opened_on.year > year or case.opened_on > as_of:
        return None
    key = "1998" if version is MappingVersion.RULES_1998 else "party"
    opened = f"{cn_date(case.opened_on)}立案审查"
    if case.closed_on is None or as_of < case.closed_on:
        words = "被立案审查尚未结案的，参加年度考核，不确定等次；结案后按规定补定"
        message = f"{opened}，至{cn_date(as_of)}尚未结案，{year}年度{_C.DEFERRED.label}。"
        return GradeEffect(_C.DEFERRED, _reason(key, words, message))
    if year >= case.closed_on.year or version is MappingVersion.RULES_1998:
        return None  # the outcome's own sanctions decide the year of closure and after
    heavier = [SanctionType(k) for k in case.outcome if SanctionType(k) not in _REGRADE_CURRENT]
    if not heavier:
        return None
    words = "跨年度结案，不予（免予）处分或者给予警告、党内警告处分的，可按照规定补定等次"
    message = (
        f"{opened}、{cn_date(case.closed_on)}结案，给予{heavier[0].label}处分，"
        f"立案期间的{year}年度不补定等次。"
    )
    return GradeEffect(_C.UNGRADED, _reason(key, words, message))


def year_grade_constraint(
    year: int,
    *,
    sanctions: Sequence[SanctionFact] = (),
    investigations: Sequence[Investigation] = (),
    as_of: dt.date,
    version: MappingVersion = MappingVersion.CURRENT,
) -> YearConstraint:
    """The constraint on ``year``'s grade from sanctions, measures and cases (EVAL-08 Q, EVAL-09 S).

    A sanction acts on the year it is decided in ("当年") and, for the heavier kinds, the next one
    or two. Several at once → the heaviest (同时受党纪处分、政务处分或组织处理的，按影响较重者确定;
    under 1998 only party sanctions are covered, which is what its rule 7 asks). A case open on
    ``as_of`` (the day the grade is fixed) that was opened by the end of ``year`` defers the
    grade (立案期间不确定等次); call again after closure to 补定. Under the current list a case
    closed in a later year with a sanction heavier than a warning leaves its earlier years
    ungraded (S). Sanctions the version does not cover (诫勉, 其他处分; under 1998 every
    government sanction and measure) are listed in ``unmapped`` for the officer.
    """
    inputs.whole(year, "考核年度", minimum=1949, maximum=2200)
    inputs.day(as_of, "定等次日期")
    version = MappingVersion(version)
    effects: list[GradeEffect] = []
    unmapped: list[str] = []
    for fact in sanctions:
        inputs.day(fact.decided_on, "处分决定日期")
        fact = SanctionFact(SanctionType(fact.kind), fact.decided_on, fact.measure, fact.duty_related)
        found = _sanction_effect(fact, year, version)
        if isinstance(found, GradeEffect):
            effects.append(found)
        elif found is not None:
            unmapped.append(found)
    for case in investigations:
        case_effect = _investigation_effect(case, year, as_of, version)
        if case_effect is not None:
            effects.append(case_effect)
    effects.sort(key=lambda e: (-e.constraint.weight, e.reason.message))
    constraint = effects[0].constraint if effects else GradeConstraint.NONE
    return YearConstraint(year=year, constraint=constraint, effects=tuple(effects), unmapped=tuple(unmapped))


def check_year_grade(constraint: YearConstraint, grade: Grade | None) -> Verdict:
    """Refuse a grade the year's constraint does not allow, with the governing effect's reason."""
    grade = None if grade is None else Grade(grade)
    if constraint.allows(grade):
        return Verdict.passed()
    governing = constraint.effects[0].reason
    message = f"{constraint.year}年度拟定为{_grade_text(grade)}；{governing.message}"
    return Verdict.failed(Reason(rule=governing.rule, citation=governing.citation, message=message))


# ---------------------------------------------------------------- EVAL-02 / 03 / 04 不称职的后果

_GWY = "《中华人民共和国公务员法》(2018) "
_CITE_EVAL_02 = (
    f"{_GWY}第五十条：年度考核被确定为不称职的，按照规定程序降低一个职务或者职级层次任职"
    "（rules.md EVAL-02，置信度 Q-law）"
)
_CITE_EVAL_03 = (
    f"{_GWY}第八十八条第（一）项：在年度考核中，连续两年被确定为不称职的，予以辞退"
    "（rules.md EVAL-03，置信度 Q-law）"
)
_CITE_EVAL_04 = f"{_GWY}第八十九条：有下列情形之一的，不得辞退（rules.md EVAL-04，置信度 Q-law）"


class BlockerKind(StrEnum):
    """The situations of 公务员法 第八十九条 in which a civil servant may not be dismissed (EVAL-04)."""

    WORK_INJURY = "work_injury"
    MEDICAL_PERIOD = "medical_period"
    PREGNANCY = "pregnancy"
    MATERNITY_LEAVE = "maternity_leave"
    NURSING = "nursing"
    OTHER_STATUTORY = "other_statutory"

    @property
    def label(self) -> str:
        """The situation in the statute's words."""
        return {
            "work_injury": "因公致残，被确认丧失或者部分丧失工作能力",
            "medical_period": "患病或者负伤，在规定的医疗期内",
            "pregnancy": "女性公务员在孕期内",
            "maternity_leave": "女性公务员在产假期内",
            "nursing": "女性公务员在哺乳期内",
            "other_statutory": "有法律、行政法规规定的其他不得辞退的情形",
        }[self.value]


@dataclass(frozen=True)
class DismissalBlocker:
    """A blocker held from ``start`` to ``until`` (its **last** day; ``None``: still holds).

    ``basis`` names the law for ``OTHER_STATUTORY`` (required there).
    """

    kind: BlockerKind
    start: dt.date
    until: dt.date | None = None
    basis: str = ""

    def holds_on(self, day: dt.date) -> bool:
        """Whether the blocker holds on ``day`` (both ends included)."""
        return self.start <= day and (self.until is None or day <= self.until)


@dataclass(frozen=True)
class Consequences:
    """What ``year``'s grade leads to: ``dismiss`` (辞退 may proceed), ``demote`` (the demotion path).

    Dismissal supersedes demotion; when a blocker stops it (``dismissal_blocked``), the demotion of
    第五十条 stands. ``reasons`` explain each, with the blocker named.
    """

    year: int
    demote: bool
    dismiss: bool
    dismissal_blocked: bool
    reasons: tuple[Reason, ...]


def grade_consequences(
    grades: Mapping[int, Grade | None],
    year: int,
    *,
    decided_on: dt.date,
    blockers: Sequence[DismissalBlocker] = (),
) -> Consequences:
    """The consequences of ``year``'s grade in a cadre's history (EVAL-02/03/04, Q-law).

    不称职 → demotion by one level (公务员法 第五十条; the path is :func:`ganbu.rules.exits.check_demotion`).
    不称职 in ``year`` and ``year − 1`` → 辞退 (第八十八条(一)); a year without a grade, or not
    recorded, breaks the run. 辞退 is blocked by any situation of 第八十九条 holding on
    ``decided_on`` (the day the dismissal would be decided).
    """
    history = _grades(grades)
    inputs.whole(year, "考核年度", minimum=1949, maximum=2200)
    inputs.day(decided_on, "决定日期")
    if history.get(year) is not Grade.INCOMPETENT:
        return Consequences(year, demote=False, dismiss=False, dismissal_blocked=False, reasons=())
    demotion = Reason(
        rule="EVAL-02",
        citation=_CITE_EVAL_02,
        message=f"{year}年度考核被确定为不称职，按照规定程序降低一个职务或者职级层次任职。",
    )
    if history.get(year - 1) is not Grade.INCOMPETENT:
        return Consequences(year, demote=True, dismiss=False, dismissal_blocked=False, reasons=(demotion,))
    dismissal = Reason(
        rule="EVAL-03",
        citation=_CITE_EVAL_03,
        message=f"{year - 1}年度、{year}年度考核连续两年被确定为不称职，应予辞退。",
    )
    held: list[Reason] = []
    for blocker in blockers:
        kind = BlockerKind(blocker.kind)
        inputs.day(blocker.start, "起始日期")
        inputs.optional_day(blocker.until, "截止日期")
        if kind is BlockerKind.OTHER_STATUTORY and not blocker.basis.strip():
            raise inputs.RuleInputError("“法律、行政法规规定的其他不得辞退的情形”须写明依据。")
        if not blocker.holds_on(decided_on):
            continue
        span = f"自{cn_date(blocker.start)}" + (f"至{cn_date(blocker.until)}" if blocker.until else "起")
        basis = f"{blocker.basis.strip()}；" if blocker.basis.strip() else ""
        held.append(
            Reason(
                rule="EVAL-04",
                citation=_CITE_EVAL_04,
                message=f"{cn_date(decided_on)}，{kind.label}（{basis}{span}），不得辞退。",
            )
        )
    if held:
        return Consequences(
            year, demote=True, dismiss=False, dismissal_blocked=True, reasons=(demotion, dismissal, *held)
        )
    return Consequences(year, demote=False, dismiss=True, dismissal_blocked=False, reasons=(dismissal,))


# ---------------------------------------------------------------- EVAL-12 级别晋升

#: 累计五年称职以上 (EVAL-12, S).
GRADE_STEP_YEARS = 5
_CITE_EVAL_12 = (
    "《公务员职务、职级与级别管理规定》(2019)：公务员年度考核累计五年均为称职以上等次的，"
    "可以在所任职务职级对应的级别范围内晋升一个级别（rules.md EVAL-12，置信度 S）"
)


def check_grade_step(grades: Mapping[int, Grade | None], *, since_year: int, through_year: int) -> Verdict:
    """Has the cadre 累计五年称职以上 since the last 级别 step? (EVAL-12, S)

    Counted: the years from ``since_year`` (the first assessment year after the last step — the
    year the current 级别 took effect for a step on 1 January) to ``through_year``, both included,
    graded 优秀 or 称职. Other years (基本称职, 不称职, 不确定等次, none recorded) do not count and do
    not reset the count (累计, not 连续). Whether the step fits the post's 级别 range, and DISC-03
    (no step during a sanction period), are checked elsewhere. The verdict carries the years counted.
    """
    history = _grades(grades)
    inputs.whole(since_year, "起算年度", minimum=1949, maximum=2200)
    inputs.whole(through_year, "截至年度", minimum=1949, maximum=2200)
    if through_year < since_year:
        raise inputs.RuleInputError(f"截至年度（{through_year}）不能早于起算年度（{since_year}）。")
    counted = [y for y in range(since_year, through_year + 1) if history.get(y) in COMPETENT_OR_ABOVE]
    listed = "、".join(str(y) for y in counted) or "无"
    head = f"自{since_year}年度至{through_year}年度，称职以上 {len(counted)} 年（{listed}）"
    if len(counted) >= GRADE_STEP_YEARS:
        reached = counted[GRADE_STEP_YEARS - 1]
        message = f"{head}，于{reached}年度累计满五年，可在对应级别范围内晋升一个级别。"
        return Verdict(ok=True, reasons=(Reason(rule="EVAL-12", citation=_CITE_EVAL_12, message=message),))
    message = f"{head}，累计不满五年，还差 {GRADE_STEP_YEARS - len(counted)} 年。"
    return Verdict.failed(Reason(rule="EVAL-12", citation=_CITE_EVAL_12, message=message))
