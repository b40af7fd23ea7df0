"""班子结构: a leadership team's structure from plain member facts, and the county's structure targets.

The seed report's 一(四) says the county rotated cadres "以优化班子结构": "在交流干部之前，首先对领导班子的
结构进行综合分析，本着取长补短、优势互补的原则，通盘考虑". This module is that analysis: for one unit's
team (the current holders of its 领导正职 and 领导副职 posts) on a date, the age bands and mean age,
gender, education (highest and full-time), party and non-party members, ethnic minorities,
specialties, years in post and vacancies against the quota (职数); and the county's structure
targets — at least so many women, non-party members, young cadres and full-time university
graduates in a team, and no team beyond its quota — checked against it.

The targets are county policy (values with effective dates in ``ganbu.policy``): no national
text fixes their numbers for a county's section-level teams (rules.md has no row for them), so
every target's basis names it as the county's own requirement, and the rule IDs STR-01…STR-05 are
this system's (docs/rules-catalogue.md). Only the quota target rests on a national rule: filling
posts beyond the approved number (超职数配备) is forbidden by the 2019 条例 and the 编制 rules.

Pure Python: the selectors turn registry rows into :class:`MemberFacts` and policy values into
:class:`Targets`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from . import inputs
from .dates import age_on

#: Education levels, highest first, with their Chinese names (the registry's ``Education`` codes).
EDUCATION_LEVELS: tuple[tuple[str, str], ...] = (
    ("postgraduate", "研究生"),
    ("university", "大学"),
    ("college", "大专"),
    ("technical", "中专"),
    ("high_school", "高中及以下"),
)
#: The codes that count as 大学 (本科) or above.
UNIVERSITY_OR_ABOVE = frozenset({"postgraduate", "university"})
#: Age bands (label, lowest age, highest age), as the registry's dashboard uses.
AGE_BANDS: tuple[tuple[str, int | None, int | None], ...] = (
    ("35岁及以下", None, 35),
    ("36—40岁", 36, 40),
    ("41—45岁", 41, 45),
    ("46—50岁", 46, 50),
    ("51—55岁", 51, 55),
    ("56岁及以上", 56, None),
)
#: Years-in-post bands (label, lowest, highest full years).
YEARS_BANDS: tuple[tuple[str, int | None, int | None], ...] = (
    ("不满3年", None, 2),
    ("3—5年", 3, 5),
    ("6—9年", 6, 9),
    ("10年及以上", 10, None),
)
HAN = "汉族"

_COUNTY = "本县领导班子结构目标（地方规定，县委组织部按中组部关于优化领导班子结构的要求确定）"
_QUOTA_BASIS = (
    "《党政领导干部选拔任用工作条例》（2019）关于严格按照核定职数配备干部、不得超职数配备的规定"
    "（条款号未核实）"
)


@dataclass(frozen=True)
class MemberFacts:
    """One team member as plain facts.

    ``education`` is the highest education code (see :data:`EDUCATION_LEVELS`, empty when not
    recorded), ``full_time_education`` the full-time (全日制) one; ``party_member`` is true for a CPC
    member (预备党员 included), anyone else is 党外; ``in_post_since`` is the start of the member's
    current leadership tenure in this team.
    """

    name: str
    birth_date: dt.date
    gender: str
    education: str
    full_time_education: str
    party_member: bool
    ethnicity: str
    specialty: str
    in_post_since: dt.date

    def __post_init__(self) -> None:
        """Refuse facts of the wrong kind (a text for a date, ``1`` for a yes)."""
        inputs.text(self.name, "姓名")
        inputs.day(self.birth_date, "出生日期")
        if self.gender not in ("M", "F"):
            raise inputs.RuleInputError(f"性别须为男或女，实际为 {self.gender!r}。")
        codes = {code for code, _ in EDUCATION_LEVELS} | {""}
        for value, label in ((self.education, "最高学历"), (self.full_time_education, "全日制学历")):
            if value not in codes:
                raise inputs.RuleInputError(f"{label}不是已知的学历，实际为 {value!r}。")
        inputs.flag(self.party_member, "是否中共党员")
        inputs.text(self.ethnicity, "民族")
        inputs.text(self.specialty, "专长")
        inputs.day(self.in_post_since, "任现职时间")


@dataclass(frozen=True)
class QuotaFigure:
    """One post kind's quota in the unit: approved number, filled, vacant (negative = over quota)."""

    kind_label: str
    quota: int
    filled: int

    @property
    def vacancies(self) -> int:
        """Approved minus filled; below zero when the unit holds more than its quota."""
        return self.quota - self.filled


@dataclass(frozen=True)
class TeamStructure:
    """A team's structure on ``on``: every figure the 班子结构分析 reads.

    Counts are of members (a cadre holding two posts in the team counts once); ``mean_age`` and
    ``mean_years`` are rounded to one decimal, ``None`` for an empty team.
    """

    on: dt.date
    size: int
    age_bands: tuple[tuple[str, int], ...]
    mean_age: Decimal | None
    youngest: int | None
    oldest: int | None
    women: int
    men: int
    education: tuple[tuple[str, int], ...]
    full_time_university: int
    party: int
    non_party: int
    minority: int
    specialties: tuple[str, ...]
    years_bands: tuple[tuple[str, int], ...]
    mean_years: Decimal | None
    quotas: tuple[QuotaFigure, ...]

    ages: tuple[int, ...] = ()

    def young(self, age: int) -> int:
        """How many members are ``age`` or younger on :attr:`on`."""
        return sum(1 for a in self.ages if a <= age)


@dataclass(frozen=True)
class Targets:
    """The county's structure targets in force on a date, each with its basis (Chinese citation)."""

    min_women: int
    min_non_party: int
    min_young: int
    young_age: int
    min_full_time_university: int
    applies_from: int
    basis_women: str = _COUNTY
    basis_non_party: str = _COUNTY
    basis_young: str = _COUNTY
    basis_university: str = _COUNTY

    def __post_init__(self) -> None:
        """Refuse negative or non-integer targets."""
        inputs.whole(self.min_women, "女干部最少人数")
        inputs.whole(self.min_non_party, "党外干部最少人数")
        inputs.whole(self.min_young, "年轻干部最少人数")
        inputs.whole(self.young_age, "年轻干部年龄上限", minimum=18, maximum=70)
        inputs.whole(self.min_full_time_university, "全日制大学以上学历最少人数")
        inputs.whole(self.applies_from, "适用的班子最少人数", minimum=1)


@dataclass(frozen=True)
class TargetFinding:
    """One target checked on one team.

    ``code`` is the rule ID (STR-01…), ``wording`` the target as the county states it, ``basis``
    where it comes from, ``fact`` the team's figure against it ("班子 7 人，女性 0 人，目标至少 1 人").
    ``applicable`` is false when the target does not apply to this team (too few members, no quota
    set); such a finding is neither met nor broken.
    """

    code: str
    wording: str
    basis: str
    fact: str
    met: bool
    applicable: bool = True

    @property
    def broken(self) -> bool:
        """Applies and is not met."""
        return self.applicable and not self.met


def _band(value: int, bands: Sequence[tuple[str, int | None, int | None]]) -> str:
    for label, low, high in bands:
        if (low is None or value >= low) and (high is None or value <= high):
            return label
    raise AssertionError(value)  # the bands cover every non-negative value


def _mean(values: Sequence[int]) -> Decimal | None:
    if not values:
        return None
    return (Decimal(sum(values)) / Decimal(len(values))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def full_years(start: dt.date, on: dt.date) -> int:
    """Full years from ``start`` to ``on`` (0 for a start after ``on``: a planned appointment)."""
    inputs.day(start, "起始日期")
    inputs.day(on, "计算日期")
    return 0 if start > on else age_on(start, on)


def team_structure(
    members: Sequence[MemberFacts], on: dt.date, quotas: Sequence[QuotaFigure] = ()
) -> TeamStructure:
    """The structure of a team of ``members`` on ``on``, with the unit's ``quotas`` (filled counted by
    the caller from the posts that count toward the quota)."""
    inputs.day(on, "计算日期")
    ages = [age_on(m.birth_date, on) for m in members]
    years = [full_years(m.in_post_since, on) for m in members]
    age_counts = {label: 0 for label, _, _ in AGE_BANDS}
    for age in ages:
        age_counts[_band(age, AGE_BANDS)] += 1
    year_counts = {label: 0 for label, _, _ in YEARS_BANDS}
    for y in years:
        year_counts[_band(y, YEARS_BANDS)] += 1
    education = [(label, sum(1 for m in members if m.education == code)) for code, label in EDUCATION_LEVELS]
    unrecorded = sum(1 for m in members if not m.education)
    if unrecorded:
        education.append(("未填写", unrecorded))
    specialties = tuple(dict.fromkeys(m.specialty.strip() for m in members if m.specialty.strip()))
    party = sum(1 for m in members if m.party_member)
    women = sum(1 for m in members if m.gender == "F")
    return TeamStructure(
        on=on,
        size=len(members),
        age_bands=tuple(age_counts.items()),
        mean_age=_mean(ages),
        youngest=min(ages) if ages else None,
        oldest=max(ages) if ages else None,
        women=women,
        men=len(members) - women,
        education=tuple(education),
        full_time_university=sum(1 for m in members if m.full_time_education in UNIVERSITY_OR_ABOVE),
        party=party,
        non_party=len(members) - party,
        minority=sum(1 for m in members if m.ethnicity.strip() and m.ethnicity.strip() != HAN),
        specialties=specialties,
        years_bands=tuple(year_counts.items()),
        mean_years=_mean(years),
        quotas=tuple(quotas),
        ages=tuple(ages),
    )


def _at_least(
    code: str, wording: str, basis: str, what: str, have: int, need: int, s: TeamStructure, t: Targets
) -> TargetFinding:
    if need == 0:
        return TargetFinding(code, wording, basis, "本县未设此目标（人数要求为 0）", True, applicable=False)
    if s.size < t.applies_from:
        fact = f"班子 {s.size} 人，不足 {t.applies_from} 人，不适用此目标"
        return TargetFinding(code, wording, basis, fact, True, applicable=False)
    fact = f"班子 {s.size} 人，{what} {have} 人，目标至少 {need} 人"
    return TargetFinding(code, wording, basis, fact, have >= need)


def _quota_fact(q: QuotaFigure) -> str:
    figure = f"{q.kind_label}核定 {q.quota} 名，现配 {q.filled} 名"
    if q.filled > q.quota:
        return f"{figure}，超职数 {q.filled - q.quota} 名"
    return f"{figure}，空缺 {q.quota - q.filled} 名"


def check_targets(s: TeamStructure, t: Targets) -> list[TargetFinding]:
    """Every county target checked on the team ``s``, met or not, in rule-ID order.

    STR-01 women, STR-02 non-party members, STR-03 young cadres (at or under ``young_age``),
    STR-04 full-time university graduates: each "at least N", applying to teams of at least
    ``applies_from`` members. STR-05: no post kind filled beyond its quota (one finding per kind
    with a quota; not applicable when the unit has no quota recorded).
    """
    findings = [
        _at_least(
            "STR-01",
            f"班子中至少配备 {t.min_women} 名女干部",
            t.basis_women,
            "女性",
            s.women,
            t.min_women,
            s,
            t,
        ),
        _at_least(
            "STR-02",
            f"班子中至少配备 {t.min_non_party} 名党外干部",
            t.basis_non_party,
            "党外干部",
            s.non_party,
            t.min_non_party,
            s,
            t,
        ),
        _at_least(
            "STR-03",
            f"班子中至少配备 {t.min_young} 名 {t.young_age} 周岁及以下的年轻干部",
            t.basis_young,
            f"{t.young_age} 周岁及以下",
            s.young(t.young_age),
            t.min_young,
            s,
            t,
        ),
        _at_least(
            "STR-04",
            f"班子中至少 {t.min_full_time_university} 人具有全日制大学以上学历",
            t.basis_university,
            "全日制大学以上学历",
            s.full_time_university,
            t.min_full_time_university,
            s,
            t,
        ),
    ]
    quota_findings = [
        TargetFinding(
            "STR-05",
            f"{q.kind_label}不得超过核定职数",
            _QUOTA_BASIS,
            f"{q.kind_label}核定 {q.quota} 名，现配 {q.filled} 名"
            + (
                f"，超职数 {q.filled - q.quota} 名"
                if q.filled > q.quota
                else f"，空缺 {q.quota - q.filled} 名"
            ),
            q.filled <= q.quota,
        )
        for q in s.quotas
    ]
    if not quota_findings:
        quota_findings = [
            TargetFinding(
                "STR-05", "领导职数不得超过核定职数", _QUOTA_BASIS, "本单位未录入核定职数", True, False
            )
        ]
    return findings + quota_findings


@dataclass(frozen=True)
class TargetChange:
    """How a move changes the targets of one team: newly broken, healed, still broken."""

    broken: tuple[TargetFinding, ...]
    healed: tuple[TargetFinding, ...]
    still_broken: tuple[TargetFinding, ...]


def compare_targets(before: Sequence[TargetFinding], after: Sequence[TargetFinding]) -> TargetChange:
    """Targets broken by a change (met or not applicable before, broken after), healed (broken before,
    met after) and still broken, matched by code and wording (STR-05 has one per post kind). A target
    that stops applying (the team falls below ``applies_from``) is neither broken nor healed.

    Each finding reported is the ``after`` one, so its fact is the team as it would be.
    """
    old = {(f.code, f.wording): f for f in before}
    broken: list[TargetFinding] = []
    healed: list[TargetFinding] = []
    still: list[TargetFinding] = []
    for f in after:
        was = old.get((f.code, f.wording))
        was_broken = was is not None and was.broken
        if f.broken and was_broken:
            still.append(f)
        elif f.broken:
            broken.append(f)
        elif was_broken and f.applicable:
            healed.append(f)
    return TargetChange(tuple(broken), tuple(healed), tuple(still))
