"""Competitive selection campaigns (公开选拔、竞争上岗、联合公选): the pure rules (issue #5).

A campaign's conditions and stages are data it stores as JSON, so each campaign carries its own
announcement (《公告》). This module holds the eligibility check; the rest lives in sibling modules
and is re-exported here:

- :class:`EligibilitySpec`, :class:`ApplicantFacts`, :func:`check_application` (this module);
- stage plans and totals: :mod:`ganbu.rules.campaign_stages`;
- exact scores, trimmed means, interview panels: :mod:`ganbu.rules.campaign_scoring`;
- ranking, cut lists, allocation to posts: :mod:`ganbu.rules.campaign_ranking`;
- the reserve pool and the report's figures: :mod:`ganbu.rules.campaign_outcomes`.

Sources (rules.md IDs and confidence): when each kind may be used, MODE-04 (Q-off); their stages,
MODE-05/06 (Q) and MODE-07/08 (S); the exam ratios and weights, MODE-09 (**UNCONFIRMED**, local
practice only). The conditions an announcement sets (gender, age, political status, rank and years
in it, education, years of service, unit scope) are the **campaign's own** and are cited as
《公告》; the exclusions of INSP-01 (2019条例 第二十四条, Q: last year's rating 基本称职 or below; an
admonishment, organisational measure or sanction whose 影响期 runs) are the national rule and are
checked by :mod:`ganbu.rules.eligibility`'s own logic, cited there.

Boundaries (as the rest of ``ganbu.rules``):

- **Age** is 周岁 on the cut-off day (:func:`ganbu.rules.dates.age_on`): the birthday itself counts
  as reached. With ``max_age`` 35, someone whose 36th birthday is the cut-off day is out, one born
  a day later is in; with ``min_age`` 22, the 22nd birthday on the cut-off day is in.
- **Years** (in a rank, of service) are counted to the day (:func:`ganbu.rules.eligibility.served_years`):
  the anniversary on the cut-off day passes, the day before fails. Years in a rank count every
  spell at the required level or above (the current one and ``earlier_ranks``).
- **Last year** is the year before the cut-off's year (cut-off 2002-08-31 → the 2001 rating).
- A sanction is in effect from its decision day to its ``effective_until`` day, both included.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TypeVar

from .campaign_outcomes import (
    AgeSummary,
    ApplicantRecord,
    AppointeeRecord,
    CampaignStatistics,
    PostStatistics,
    Ratio,
    ReserveEntry,
    ReservePool,
    age_summary,
    campaign_statistics,
    competition_ratio,
    reserve_pool,
)
from .campaign_ranking import (
    DEFAULT_TIE_RULES,
    Allocation,
    AllocationOrder,
    CutList,
    Placed,
    Placement,
    RankedEntry,
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
from .campaign_scoring import Criterion, PanelScore, Score, panel_score, round_half_up, to_exact, trimmed_mean
from .campaign_stages import (
    CampaignKind,
    Stage,
    StageKind,
    StagePlan,
    WeightedTotal,
    check_pass_mark,
    default_plan,
    weighted_total,
)
from .dates import age_on, birth_range_for_age
from .eligibility import (
    CandidateFacts,
    CheckResult,
    Education,
    Finding,
    Level,
    Period,
    RankSpell,
    Sanction,
    Severity,
    _duration_fact,
    _rating_findings,
    _sanction_findings,
    served_years,
)
from .retirement import Gender, add_age, parse_gender
from .tally import Grade
from .types import Reason
from .workdays import cn_date

__all__ = [
    "DEFAULT_TIE_RULES",
    "SPEC_JSON_VERSION",
    "AgeSummary",
    "Allocation",
    "AllocationOrder",
    "ApplicantFacts",
    "ApplicantRecord",
    "AppointeeRecord",
    "CampaignKind",
    "CampaignStatistics",
    "CheckResult",
    "Criterion",
    "CutList",
    "EligibilitySpec",
    "PanelScore",
    "Placed",
    "Placement",
    "PoliticalStatus",
    "PostStatistics",
    "RankEntry",
    "RankedEntry",
    "Ranking",
    "Ratio",
    "ReserveEntry",
    "ReservePool",
    "Score",
    "Stage",
    "StageKind",
    "StagePlan",
    "TieRule",
    "WeightedTotal",
    "age_summary",
    "allocate",
    "campaign_statistics",
    "check_application",
    "check_pass_mark",
    "competition_ratio",
    "cut_list",
    "default_plan",
    "panel_score",
    "places_for",
    "rank",
    "reserve_pool",
    "round_half_up",
    "tie_rules_for",
    "tie_rules_text",
    "to_exact",
    "trimmed_mean",
    "weighted_total",
]

SPEC_JSON_VERSION = 1
MIN_AGE_LIMIT, MAX_AGE_LIMIT = 16, 70
MAX_YEARS = 50


class PoliticalStatus(StrEnum):
    """政治面貌 (GB/T 4762); values as ``ganbu.registry.choices.PoliticalStatus``."""

    CPC = "cpc"
    CPC_PROBATIONARY = "cpc_probationary"
    LEAGUE = "league"
    DEMOCRATIC_PARTY = "democratic_party"
    NON_PARTY = "non_party"
    MASSES = "masses"

    @property
    def label(self) -> str:
        """The status in Chinese."""
        return {
            "cpc": "中共党员",
            "cpc_probationary": "中共预备党员",
            "league": "共青团员",
            "democratic_party": "民主党派成员",
            "non_party": "无党派人士",
            "masses": "群众",
        }[self.value]

    @property
    def is_cpc(self) -> bool:
        """Whether a member of the CPC (full or probationary); everyone else counts as 党外."""
        return self in (PoliticalStatus.CPC, PoliticalStatus.CPC_PROBATIONARY)


_ORDER = {s: i for i, s in enumerate(PoliticalStatus)}


# ---------------------------------------------------------------- the spec


@dataclass(frozen=True)
class EligibilitySpec:
    """The 报名条件 of one campaign, as its announcement states them; ``None``/empty = no condition.

    - ``required_gender``: e.g. the seed's women-only selection of 2002;
    - ``max_age`` / ``min_age``: 周岁 on the cut-off day (inclusive: "35 周岁以下" is ``max_age=35``);
    - ``political_statuses``: the statuses allowed (e.g. 中共党员 and 预备党员);
    - ``min_level`` and ``min_level_years``: current rank at least ``min_level``, held (at that
      level or above) for at least that many years to the day;
    - ``min_education``: lowest 学历 allowed;
    - ``min_service_years``: years since 参加工作, to the day;
    - ``unit_scope``: unit keys whose staff may apply (竞争上岗 in one unit or system, MODE-07);
      the caller decides membership (:meth:`covers_unit` helps) and passes it in the facts;
    - ``exclude_low_rating`` / ``exclude_sanctioned``: apply INSP-01's exclusions at registration;
    - ``announcement``: the title of the announcement, cited for the campaign's own conditions.

    Validated on construction (``ValueError``, Chinese); :meth:`to_json` / :meth:`from_json`
    round-trip exactly (``from_json(s.to_json()) == s``, and the JSON of the result is equal).
    """

    required_gender: Gender | None = None
    max_age: int | None = None
    min_age: int | None = None
    political_statuses: frozenset[PoliticalStatus] = frozenset()
    min_level: Level | None = None
    min_level_years: int | None = None
    min_education: Education | None = None
    min_service_years: int | None = None
    unit_scope: frozenset[str] = frozenset()
    exclude_low_rating: bool = True
    exclude_sanctioned: bool = True
    announcement: str = "《公告》"

    def __post_init__(self) -> None:
        """Validate the numbers and sets."""
        object.__setattr__(self, "political_statuses", frozenset(self.political_statuses))
        object.__setattr__(self, "unit_scope", frozenset(self.unit_scope))
        for attr, what in (("max_age", "年龄上限"), ("min_age", "年龄下限")):
            value = getattr(self, attr)
            if value is not None and not (_is_int(value) and MIN_AGE_LIMIT <= value <= MAX_AGE_LIMIT):
                raise ValueError(
                    f"{what}应为 {MIN_AGE_LIMIT} 至 {MAX_AGE_LIMIT} 之间的整数（周岁），实际为 {value!r}。"
                )
        if self.max_age is not None and self.min_age is not None and self.min_age > self.max_age:
            raise ValueError(f"年龄下限 {self.min_age} 周岁不能高于年龄上限 {self.max_age} 周岁。")
        for attr, what in (("min_level_years", "任职年限"), ("min_service_years", "工作年限")):
            value = getattr(self, attr)
            if value is not None and not (_is_int(value) and 1 <= value <= MAX_YEARS):
                raise ValueError(
                    f"{what}应为 1 至 {MAX_YEARS} 之间的整数（年）；不作要求请留空。实际为 {value!r}。"
                )
        if self.min_level_years is not None and self.min_level is None:
            raise ValueError("设置任职年限时须同时设置最低职级。")
        for status in self.political_statuses:
            if not isinstance(status, PoliticalStatus):
                raise ValueError(f"政治面貌“{status}”无法识别。")
        for unit in self.unit_scope:
            if not isinstance(unit, str) or not unit.strip():
                raise ValueError("报名范围中的单位代码不能为空。")
        if not self.announcement.strip():
            raise ValueError("须注明报名条件所依据的公告名称。")

    def covers_unit(self, unit_key: str, ancestor_keys: Iterable[str] = ()) -> bool:
        """Whether a unit (or one of its ancestors) lies in ``unit_scope``; true when unrestricted."""
        return not self.unit_scope or bool(self.unit_scope & {unit_key, *ancestor_keys})

    def describe(self, cutoff: dt.date) -> tuple[str, ...]:
        """The conditions in Chinese, one line each, for the announcement and the registration page."""
        lines: list[str] = []
        if self.required_gender is not None:
            lines.append(f"限{self.required_gender.label}性。")
        if self.max_age is not None or self.min_age is not None:
            earliest, latest = birth_range_for_age(self.min_age, self.max_age, cutoff)
            if self.max_age is not None and self.min_age is not None and earliest and latest:
                lines.append(
                    f"截至{cn_date(cutoff)}年满 {self.min_age} 周岁、不超过 {self.max_age} 周岁"
                    f"（{cn_date(earliest)}至{cn_date(latest)}期间出生）。"
                )
            elif self.max_age is not None and earliest:
                lines.append(
                    f"截至{cn_date(cutoff)}不超过 {self.max_age} 周岁（{cn_date(earliest)}以后出生）。"
                )
            elif latest:
                lines.append(f"截至{cn_date(cutoff)}年满 {self.min_age} 周岁（{cn_date(latest)}以前出生）。")
        if self.political_statuses:
            lines.append(f"政治面貌为{_statuses(self.political_statuses)}。")
        if self.min_level is not None:
            years = (
                f"，且任{self.min_level.label}及以上职级满 {self.min_level_years} 年"
                if self.min_level_years
                else ""
            )
            lines.append(f"现任{self.min_level.label}及以上职级{years}（计算至{cn_date(cutoff)}）。")
        if self.min_education is not None:
            lines.append(f"具有{self.min_education.label}及以上学历。")
        if self.min_service_years is not None:
            lines.append(f"参加工作满 {self.min_service_years} 年（计算至{cn_date(cutoff)}）。")
        if self.unit_scope:
            lines.append("限本次选拔范围内单位的人员报名。")
        if self.exclude_low_rating:
            lines.append(f"{cutoff.year - 1}年度考核为基本称职及以下等次的，不得报名。")
        if self.exclude_sanctioned:
            lines.append("受到诫勉、组织处理或者党纪政务处分等影响期未满或者期满影响使用的，不得报名。")
        return tuple(lines)

    def to_json(self) -> dict[str, object]:
        """The spec as JSON-ready data (what ``Campaign.eligibility`` stores): codes, sorted lists."""
        return {
            "version": SPEC_JSON_VERSION,
            "required_gender": None if self.required_gender is None else self.required_gender.value,
            "max_age": self.max_age,
            "min_age": self.min_age,
            "political_statuses": [s.value for s in sorted(self.political_statuses, key=_ORDER.__getitem__)],
            "min_level": None if self.min_level is None else self.min_level.name.lower(),
            "min_level_years": self.min_level_years,
            "min_education": None if self.min_education is None else self.min_education.name.lower(),
            "min_service_years": self.min_service_years,
            "unit_scope": sorted(self.unit_scope),
            "exclude_low_rating": self.exclude_low_rating,
            "exclude_sanctioned": self.exclude_sanctioned,
            "announcement": self.announcement,
        }

    @classmethod
    def from_json(cls, data: object) -> EligibilitySpec:
        """The spec of :meth:`to_json`'s data, validated; missing fields take their defaults.

        Raises ``ValueError`` (Chinese, naming the field) for unknown fields, an unknown version,
        wrong types (a boolean is not an age), unknown codes and every invalid combination.
        """
        if not isinstance(data, Mapping):
            raise ValueError(f"报名条件应为 JSON 对象，实际为 {data!r}。")
        unknown = sorted(str(k) for k in data if k not in _SPEC_FIELDS)
        if unknown:
            raise ValueError(f"报名条件有未知字段：{'、'.join(unknown)}。")
        version = data.get("version", SPEC_JSON_VERSION)
        if isinstance(version, bool) or version != SPEC_JSON_VERSION:
            raise ValueError(f"报名条件的版本“{version}”无法识别（应为 {SPEC_JSON_VERSION}）。")
        gender = data.get("required_gender")
        if gender is not None and not isinstance(gender, str):
            raise ValueError(f"报名条件“required_gender”应为字符串，实际为 {gender!r}。")
        statuses = _str_list(data.get("political_statuses", []), "political_statuses")
        try:
            political = frozenset(PoliticalStatus(s) for s in statuses)
        except ValueError:
            allowed = "、".join(s.value for s in PoliticalStatus)
            raise ValueError(
                f"报名条件“political_statuses”中有无法识别的政治面貌，应为 {allowed}。"
            ) from None
        announcement = data.get("announcement", "《公告》")
        if not isinstance(announcement, str):
            raise ValueError("报名条件“announcement”应为字符串。")
        return cls(
            required_gender=None if gender is None else parse_gender(gender),
            max_age=_opt_int(data.get("max_age"), "max_age"),
            min_age=_opt_int(data.get("min_age"), "min_age"),
            political_statuses=political,
            min_level=_opt_enum(data.get("min_level"), Level, "min_level"),
            min_level_years=_opt_int(data.get("min_level_years"), "min_level_years"),
            min_education=_opt_enum(data.get("min_education"), Education, "min_education"),
            min_service_years=_opt_int(data.get("min_service_years"), "min_service_years"),
            unit_scope=frozenset(_str_list(data.get("unit_scope", []), "unit_scope")),
            exclude_low_rating=_bool(data.get("exclude_low_rating", True), "exclude_low_rating"),
            exclude_sanctioned=_bool(data.get("exclude_sanctioned", True), "exclude_sanctioned"),
            announcement=announcement,
        )


_SPEC_FIELDS = frozenset(
    {
        "version",
        "required_gender",
        "max_age",
        "min_age",
        "political_statuses",
        "min_level",
        "min_level_years",
        "min_education",
        "min_service_years",
        "unit_scope",
        "exclude_low_rating",
        "exclude_sanctioned",
        "announcement",
    }
)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _opt_int(value: object, name: str) -> int | None:
    if value is None:
        return None
    if not _is_int(value):
        raise ValueError(f"报名条件“{name}”应为整数，实际为 {value!r}。")
    assert isinstance(value, int)
    return value


def _bool(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"报名条件“{name}”应为 true 或 false，实际为 {value!r}。")
    return value


def _str_list(value: object, name: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"报名条件“{name}”应为字符串列表，实际为 {value!r}。")
    if len(set(value)) != len(value):
        raise ValueError(f"报名条件“{name}”中有重复项。")
    return list(value)


_E = TypeVar("_E", Level, Education)


def _opt_enum(value: object, enum: type[_E], name: str) -> _E | None:
    if value is None:
        return None
    if not isinstance(value, str) or value.upper() not in enum.__members__:
        allowed = "、".join(m.lower() for m in enum.__members__)
        raise ValueError(f"报名条件“{name}”的值 {value!r} 无法识别，应为 {allowed} 之一。")
    return enum.__members__[value.upper()]


def _statuses(statuses: Iterable[PoliticalStatus]) -> str:
    return "或".join(s.label for s in sorted(statuses, key=_ORDER.__getitem__))


# ---------------------------------------------------------------- the facts


@dataclass(frozen=True)
class ApplicantFacts:
    """Plain facts about an applicant, as declared at registration (or copied from the registry).

    ``rank`` / ``rank_since``: the current rank and the day it began; ``earlier_ranks``: earlier
    spells (only those at the required level or above count towards ``min_level_years``);
    ``unit_in_scope``: whether the applicant's unit lies in the spec's ``unit_scope`` (``None`` =
    not established); ``last_year_rating``: the annual rating of the year before the cut-off's
    year (``None`` = not recorded); ``sanctions``: sanctions, admonishments and organisational
    measures with their 影响期 (:class:`ganbu.rules.eligibility.Sanction`). ``work_start`` /
    ``rank`` ``None`` = not declared.
    """

    birth_date: dt.date
    gender: Gender
    political_status: PoliticalStatus
    education: Education
    work_start: dt.date | None = None
    rank: Level | None = None
    rank_since: dt.date | None = None
    earlier_ranks: tuple[RankSpell, ...] = ()
    unit_in_scope: bool | None = None
    unit_name: str = ""
    last_year_rating: Grade | None = None
    sanctions: tuple[Sanction, ...] = ()
    name: str = ""

    def candidate_facts(self, cutoff: dt.date) -> CandidateFacts:
        """The same person as :class:`ganbu.rules.eligibility.CandidateFacts` (for its INSP-01 logic)."""
        ranks = list(self.earlier_ranks)
        if self.rank is not None and self.rank_since is not None:
            ranks.append(RankSpell(self.rank, self.rank_since))
        return CandidateFacts(
            birth_date=self.birth_date,
            gender=self.gender,
            education=self.education,
            # INSP-01's logic reads neither work nor rank; a placeholder keeps CandidateFacts complete.
            work_start=self.work_start or self.birth_date,
            ranks=tuple(ranks),
            assessments={} if self.last_year_rating is None else {cutoff.year - 1: self.last_year_rating},
            sanctions=self.sanctions,
            name=self.name,
        )


# ---------------------------------------------------------------- the check


def _cite(spec: EligibilitySpec, what: str, note: str = "") -> str:
    """The citation of a campaign's own condition: its announcement, and any national rule it echoes."""
    return f"{spec.announcement}规定的报名条件：{what}（本次选拔自定条件，以公告为准{note}）"


_NOTES = {
    "CAMPAIGN-AGE-MAX": "；任职年龄界限为地方规定，rules.md RET-05，UNCONFIRMED",
    "CAMPAIGN-AGE-MIN": "",
    "CAMPAIGN-EDUCATION": "；全国性要求为一般应当具有大学专科以上文化程度，rules.md QUAL-05，置信度 Q",
    "CAMPAIGN-SERVICE": "；参照提任县处级领导职务须有五年以上工龄，rules.md QUAL-01，置信度 Q",
    "CAMPAIGN-RANK-YEARS": "；参照晋升乡科级领导职务的任职年限，rules.md QUAL-08、QUAL-09，置信度 S",
    "CAMPAIGN-UNIT": "；竞争上岗在本单位或本系统内进行，rules.md MODE-07，置信度 S",
}

_WHAT = {
    "CAMPAIGN-GENDER": "性别",
    "CAMPAIGN-AGE-MAX": "年龄上限",
    "CAMPAIGN-AGE-MIN": "年龄下限",
    "CAMPAIGN-POLITICAL": "政治面貌",
    "CAMPAIGN-RANK": "现任职级",
    "CAMPAIGN-RANK-YEARS": "任职年限",
    "CAMPAIGN-EDUCATION": "学历",
    "CAMPAIGN-SERVICE": "工作年限",
    "CAMPAIGN-UNIT": "报名范围",
}

_INSP_RULES = {"rating": "INSP-01-RATING", "sanction": "INSP-01-SANCTION"}


def check_application(spec: EligibilitySpec, facts: ApplicantFacts, cutoff: dt.date) -> CheckResult:
    """Check one application against the campaign's conditions on the cut-off day; every failure is reported.

    Returns a :class:`ganbu.rules.eligibility.CheckResult` (a ``Verdict``); each finding has a
    stable rule id, the citation and a Chinese message naming the fact and the number:

    =====================  ==============================================  ==========
    rule                   requirement                                     severity
    =====================  ==============================================  ==========
    CAMPAIGN-GENDER        ``required_gender``                             blocking
    CAMPAIGN-AGE-MAX       age on the cut-off day ≤ ``max_age``            blocking
    CAMPAIGN-AGE-MIN       age on the cut-off day ≥ ``min_age``            blocking
    CAMPAIGN-POLITICAL     status in ``political_statuses``                blocking
    CAMPAIGN-RANK          current rank ≥ ``min_level`` (declared)         blocking
    CAMPAIGN-RANK-YEARS    ``min_level_years`` at that level, to the day   blocking
    CAMPAIGN-EDUCATION     education ≥ ``min_education``                   blocking
    CAMPAIGN-SERVICE       ``min_service_years`` since 参加工作, to the day  blocking
    CAMPAIGN-UNIT          unit in ``unit_scope`` (facts say ``False``)    blocking
    CAMPAIGN-UNIT          membership not established (``None``)           general
    INSP-01-RATING         last year's rating 基本称职 or 不称职 (Q)         blocking
    INSP-01-RATING-MISSING last year's rating not recorded                 general
    INSP-01-SANCTION       a sanction in effect, or 期满影响使用 (Q)         blocking
    =====================  ==============================================  ==========

    Campaign conditions cite the spec's ``announcement``; INSP-01 cites 2019条例 第二十四条
    (its findings come from :mod:`ganbu.rules.eligibility`, re-keyed per requirement).
    CAMPAIGN-RANK-YEARS is checked only when the rank itself is met. ``ValueError`` if the cut-off
    precedes the birth date.
    """
    findings: list[Finding] = []

    def fail(rule: str, message: str, severity: Severity = Severity.BLOCKING) -> None:
        """Record a failed campaign condition."""
        reason = Reason(rule=rule, citation=_cite(spec, _WHAT[rule], _NOTES.get(rule, "")), message=message)
        findings.append(Finding(reason, severity))

    on = cn_date(cutoff)
    if spec.required_gender is not None and facts.gender is not spec.required_gender:
        fail(
            "CAMPAIGN-GENDER",
            f"本次选拔限{spec.required_gender.label}性报名，报名人为{facts.gender.label}性。",
        )
    age = age_on(facts.birth_date, cutoff)
    if spec.max_age is not None and age > spec.max_age:
        fail("CAMPAIGN-AGE-MAX", f"截至{on}年满{age}周岁，超过本次选拔规定的{spec.max_age}周岁。")
    if spec.min_age is not None and age < spec.min_age:
        reached = cn_date(add_age(facts.birth_date, spec.min_age))
        fail(
            "CAMPAIGN-AGE-MIN",
            f"截至{on}年满{age}周岁（{reached}年满{spec.min_age}周岁），未达到本次选拔规定的{spec.min_age}周岁。",
        )
    if spec.political_statuses and facts.political_status not in spec.political_statuses:
        fail(
            "CAMPAIGN-POLITICAL",
            f"政治面貌为{facts.political_status.label}，本次选拔要求政治面貌为{_statuses(spec.political_statuses)}。",
        )
    if spec.min_level is not None:
        for rule, message in _rank_failures(spec, spec.min_level, facts, cutoff):
            fail(rule, message)
    if spec.min_education is not None and facts.education < spec.min_education:
        fail(
            "CAMPAIGN-EDUCATION",
            f"学历为{facts.education.label}，本次选拔要求{spec.min_education.label}及以上学历。",
        )
    if spec.min_service_years is not None:
        years = spec.min_service_years
        if facts.work_start is None:
            fail("CAMPAIGN-SERVICE", f"未填报参加工作时间，本次选拔要求参加工作满 {years} 年。")
        elif not served_years((Period(facts.work_start),), cutoff, years):
            fail(
                "CAMPAIGN-SERVICE",
                _duration_fact("参加工作", (Period(facts.work_start),), cutoff, years)
                + f"，本次选拔要求参加工作满 {years} 年。",
            )
    if spec.unit_scope:
        unit = f"（{facts.unit_name}）" if facts.unit_name else ""
        if facts.unit_in_scope is None:
            fail(
                "CAMPAIGN-UNIT",
                f"尚未确认所在单位{unit}是否属于本次选拔的报名范围，请核实。",
                Severity.GENERAL,
            )
        elif not facts.unit_in_scope:
            fail("CAMPAIGN-UNIT", f"所在单位{unit}不在本次选拔的报名范围内。")

    candidate = facts.candidate_facts(cutoff)
    if spec.exclude_low_rating:
        findings += [_rekey(f, _INSP_RULES["rating"]) for f in _rating_findings(candidate, cutoff)]
    if spec.exclude_sanctioned:
        findings += [_rekey(f, _INSP_RULES["sanction"]) for f in _sanction_findings(candidate, cutoff, False)]
    return CheckResult.of(findings)


def _rank_failures(
    spec: EligibilitySpec, level: Level, facts: ApplicantFacts, cutoff: dt.date
) -> list[tuple[str, str]]:
    """CAMPAIGN-RANK, else CAMPAIGN-RANK-YEARS: (rule, message) of what fails."""
    wanted = f"{level.label}及以上职级"
    if facts.rank is None:
        return [("CAMPAIGN-RANK", f"未填报现任职级，本次选拔要求现任{wanted}。")]
    if facts.rank < level:
        return [("CAMPAIGN-RANK", f"现任{facts.rank.label}，本次选拔要求现任{wanted}。")]
    years = spec.min_level_years
    if years is None:
        return []
    if facts.rank_since is None:
        return [("CAMPAIGN-RANK-YEARS", f"未填报任现职级时间，本次选拔要求任{wanted}满 {years} 年。")]
    periods = (
        Period(facts.rank_since),
        *(Period(r.start, r.end) for r in facts.earlier_ranks if r.level >= level),
    )
    if served_years(periods, cutoff, years):
        return []
    return [
        (
            "CAMPAIGN-RANK-YEARS",
            _duration_fact(f"任{wanted}", periods, cutoff, years)
            + f"，本次选拔要求任{wanted}满 {years} 年。",
        )
    ]


def _rekey(finding: Finding, rule: str) -> Finding:
    """An INSP-01 finding of :mod:`ganbu.rules.eligibility` under ``rule`` (a missing rating keeps its id)."""
    if finding.reason.rule != "INSP-01":
        return finding
    return replace(finding, reason=replace(finding.reason, rule=rule))
