"""任职资格: may this cadre be inspected for, and promoted to, this post on this date?

Rules (rules.md IDs; article numbers as seen there):

- QUAL-01 (2014/2019条例 第八条(一), Q): 提任县处级领导职务 needs 5 years of work and 2 years of
  grassroots experience.
- QUAL-02 (第八条(二), Q; "一般" per EXC-07 Q-off): usually posts at two positions of the next-lower level.
- QUAL-03 / QUAL-04 (第八条(三), Q): deputy → chief needs 2 years as deputy; lower-level chief →
  upper-level deputy needs 3 years as lower-level chief.
- QUAL-05 (第八条(四), Q; "一般" per EXC-07): usually 大专 or higher, 本科 for 厅局级 and above.
- QUAL-08 / QUAL-09 (《公务员职务、职级与级别管理规定》(2019), S): 乡科级副职 needs 3 years as
  一级科员 or an equivalent or higher rank; 乡科级正职 needs 2 years at 乡科级副职 level (the
  leadership post or 三级、四级主任科员, counted together).
- QUAL-12 (公务员法 第六十四条; 政务处分法 第十九条, Q-law): no promotion during a disciplinary period.
- INSP-01 (2019条例 第二十四条, Q): not to be inspected when last year's rating is 基本称职 or
  不称职, or while the 影响期 of an admonishment, organisational measure or sanction runs (or its
  expiry still affects use).
- EXC-01/03/04/06/07 (2014条例 第九条、第三十五条, Q; 2019 Q-off): exceptional promotion (破格) is
  never allowed during probation or within a year of the last promotion, never twice in a row on
  tenure, never across two levels; it needs prior approval of the higher 组织部门, and 越级 must be
  reported before inspection. Only the tenure requirements (QUAL-01/03/04, and QUAL-08/09 by the
  same logic) can be waived that way; QUAL-02/05 are 一般性要求 waived with a recorded reason.

Severity: every finding is :attr:`Severity.BLOCKING` (never waivable), :attr:`Severity.EXCEPTIONAL`
(waivable only in a 破格 with the higher 组织部门's approval on record) or :attr:`Severity.GENERAL`
(waivable with a recorded reason and approver). :class:`CheckResult` is a
:class:`~ganbu.rules.types.Verdict` that carries them.

Durations "满 N 年" are counted to the day: a period that started on 2023-03-01 makes 2 years on
2025-03-01 (the anniversary passes, the day before fails). Cumulative periods (grassroots
experience, ranks held in several spells) are summed in days and compared with the length of the
N years ending on the check date, which for a single continuous period is exactly the anniversary
rule (and a 29 February start completes on 1 March, as 周岁 in :mod:`ganbu.rules.dates`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum

from . import inputs
from .dates import age_on
from .retirement import Gender, add_age
from .tally import Grade
from .types import Reason, Verdict
from .workdays import cn_date

_ART8 = "《党政领导干部选拔任用工作条例》(2014/2019) 第八条"
_CITE = {
    "QUAL-01": (
        f"{_ART8}第（一）项：提任县处级领导职务的，应当具有五年以上工龄和两年以上基层工作经历"
        "（rules.md QUAL-01，置信度 Q）"
    ),
    "QUAL-02": (
        f"{_ART8}第（二）项：一般应当具有在下一级两个以上职位任职的经历（rules.md QUAL-02，置信度 Q；"
        "一般性要求，EXC-07，置信度 Q-off）"
    ),
    "QUAL-03": (
        f"{_ART8}第（三）项：由副职提任正职的，应当在副职岗位工作两年以上（rules.md QUAL-03，置信度 Q）"
    ),
    "QUAL-04": (
        f"{_ART8}第（三）项：由下级正职提任上级副职的，应当在下级正职岗位工作三年以上（rules.md QUAL-04，"
        "置信度 Q）"
    ),
    "QUAL-05": (
        f"{_ART8}第（四）项：一般应当具有大学专科以上文化程度，"
        "厅局级以上一般应当具有大学本科以上文化程度（rules.md QUAL-05，置信度 Q；一般性要求，EXC-07，"
        "置信度 Q-off）"
    ),
    "QUAL-08": (
        "《公务员职务、职级与级别管理规定》(2019)：晋升乡科级副职领导职务，"
        "应当任一级科员及相当层次职级三年以上（rules.md QUAL-08，置信度 S）"
    ),
    "QUAL-09": (
        "《公务员职务、职级与级别管理规定》(2019)：晋升乡科级正职领导职务，应当任乡科级副职或三级、"
        "四级主任科员累计两年以上（rules.md QUAL-09，置信度 S）"
    ),
    "QUAL-12": (
        "《公务员法》(2018) 第六十四条；《公职人员政务处分法》(2020) 第十九条：受处分期间不得晋升职务、"
        "职级和级别（rules.md QUAL-12，置信度 Q-law）"
    ),
    "INSP-01-GRADE": (
        "《党政领导干部选拔任用工作条例》(2019) 第二十四条：上一年年度考核结果为基本称职以下等次的，"
        "不得列为考察对象（rules.md INSP-01，置信度 Q）"
    ),
    "INSP-01-SANCTION": (
        "《党政领导干部选拔任用工作条例》(2019) 第二十四条：受到诫勉、"
        "组织处理或者党纪政务处分等影响期未满或者期满影响使用的，不得列为考察对象（rules.md INSP-01，"
        "置信度 Q）"
    ),
    "EXC-01": (
        "《党政领导干部选拔任用工作条例》(2014) 第九条：应当逐级提拔；越级提拔属于破格提拔，"
        "须按破格程序办理（rules.md EXC-01，置信度 Q；公务员法 第四十五条，QUAL-10，置信度 Q-law）"
    ),
    "EXC-03": (
        "《党政领导干部选拔任用工作条例》(2014) 第九条：任职试用期未满或者提拔任职不满一年的，"
        "不得破格提拔（rules.md EXC-03，置信度 Q；2019 年文本 UNCONFIRMED）"
    ),
    "EXC-04": (
        "《党政领导干部选拔任用工作条例》(2014) 第九条：不得在任职年限上连续破格，"
        "不得越两级提拔（rules.md EXC-04，置信度 Q）"
    ),
    "EXC-06": (
        "《党政领导干部选拔任用工作条例》(2014) 第三十五条：破格提拔人选讨论决定前须报上级组织部门同意；"
        "越级提拔的须在考察前报告并经批复（rules.md EXC-06，置信度 Q；EXC-07，置信度 Q-off）"
    ),
    "RET-05": "本县任职年龄界限（地方规定；rules.md RET-05，UNCONFIRMED，全国性数字未见；年龄可配置）",
    "CAMPAIGN": "本次公开选拔公告所定报名条件（如本县2002年专项选拔女干部，种子材料）",
}


class Severity(StrEnum):
    """How a finding may be dealt with."""

    BLOCKING = "blocking"
    EXCEPTIONAL = "exceptional"
    GENERAL = "general"

    @property
    def label(self) -> str:
        """The severity in Chinese, for the UI."""
        return {
            "blocking": "不得突破",
            "exceptional": "破格须经上级组织部门同意",
            "general": "一般性要求，记录理由后可突破",
        }[self.value]


@dataclass(frozen=True)
class Finding:
    """One failed requirement and how it may be dealt with."""

    reason: Reason
    severity: Severity

    @property
    def overridable(self) -> bool:
        """Whether a recorded override may lift it (everything but :attr:`Severity.BLOCKING`)."""
        return self.severity is not Severity.BLOCKING

    @property
    def needs_higher_approval(self) -> bool:
        """Whether lifting it needs the higher 组织部门's approval (破格, EXC-06/07)."""
        return self.severity is Severity.EXCEPTIONAL


@dataclass(frozen=True)
class Override:
    """A recorded decision to waive an overridable finding of rule ``rule``.

    ``higher_approval_ref`` (上级组织部门批复文号) is required for :attr:`Severity.EXCEPTIONAL`.
    """

    rule: str
    reason: str
    approver: str
    approved_on: dt.date
    higher_approval_ref: str = ""


@dataclass(frozen=True)
class CheckResult(Verdict):
    """A :class:`Verdict` whose reasons are graded :class:`Finding` s.

    ``ok`` is true when no finding remains; ``reasons`` are the remaining findings' reasons;
    ``overridden`` keeps the findings lifted by an :class:`Override`, for the 纪实.
    """

    findings: tuple[Finding, ...] = ()
    overridden: tuple[tuple[Finding, Override], ...] = ()

    @classmethod
    def of(
        cls, findings: Iterable[Finding], overridden: Iterable[tuple[Finding, Override]] = ()
    ) -> CheckResult:
        """The result of the given remaining and overridden findings."""
        remaining = tuple(findings)
        return cls(
            ok=not remaining,
            reasons=tuple(f.reason for f in remaining),
            findings=remaining,
            overridden=tuple(overridden),
        )

    @property
    def blocking(self) -> tuple[Finding, ...]:
        """Findings nothing can lift."""
        return tuple(f for f in self.findings if not f.overridable)

    @property
    def overridable(self) -> tuple[Finding, ...]:
        """Findings an :class:`Override` may lift."""
        return tuple(f for f in self.findings if f.overridable)


def apply_overrides(result: CheckResult, overrides: Sequence[Override]) -> CheckResult:
    """Lift the overridable findings that an override names (EXC-06/07, Q / Q-off).

    Raises ``ValueError`` (Chinese) for an override without reason or approver, of a rule that
    has a blocking finding, or of an :attr:`Severity.EXCEPTIONAL` finding without the higher
    approval's reference. Overrides naming no finding are ignored.
    """
    by_rule: dict[str, Override] = {}
    for given in overrides:
        if not given.reason.strip() or not given.approver.strip():
            raise ValueError(f"突破 {given.rule} 须记录理由和批准人。")
        by_rule[given.rule] = given
    remaining: list[Finding] = []
    lifted = list(result.overridden)
    for f in result.findings:
        o = by_rule.get(f.reason.rule)
        if o is None:
            remaining.append(f)
            continue
        if not f.overridable:
            raise ValueError(f"{f.reason.rule} 属于不得突破的要求，不能记录突破：{f.reason.message}")
        if f.needs_higher_approval and not o.higher_approval_ref.strip():
            raise ValueError(f"突破 {f.reason.rule} 属于破格，须记录上级组织部门的批复文号。")
        lifted.append((f, o))
    return CheckResult.of(remaining, lifted)


# ---------------------------------------------------------------- facts


class Level(IntEnum):
    """Levels of 领导职务 and of the equivalent 职级 (《公务员职务、职级与级别管理规定》, S)."""

    CLERK_2 = 0
    CLERK_1 = 1
    SECTION_DEPUTY = 2
    SECTION_CHIEF = 3
    DIVISION_DEPUTY = 4
    DIVISION_CHIEF = 5
    BUREAU_DEPUTY = 6
    BUREAU_CHIEF = 7

    @property
    def label(self) -> str:
        """The level in Chinese, by its leadership name (三级、四级主任科员 are at 乡科级副职 level …)."""
        return _LEVEL_LABELS[self]

    @property
    def is_chief(self) -> bool:
        """Whether the level is a 正职 level."""
        return self in (Level.SECTION_CHIEF, Level.DIVISION_CHIEF, Level.BUREAU_CHIEF)


_LEVEL_LABELS = {
    Level.CLERK_2: "二级科员",
    Level.CLERK_1: "一级科员",
    Level.SECTION_DEPUTY: "乡科级副职",
    Level.SECTION_CHIEF: "乡科级正职",
    Level.DIVISION_DEPUTY: "县处级副职",
    Level.DIVISION_CHIEF: "县处级正职",
    Level.BUREAU_DEPUTY: "厅局级副职",
    Level.BUREAU_CHIEF: "厅局级正职",
}


class Education(IntEnum):
    """学历, ordered."""

    BELOW_HIGH_SCHOOL = 0
    HIGH_SCHOOL = 1
    JUNIOR_COLLEGE = 2
    BACHELOR = 3
    POSTGRADUATE = 4

    @property
    def label(self) -> str:
        """The education level in Chinese."""
        return ("初中及以下", "高中（中专）", "大学专科", "大学本科", "研究生")[self.value]


@dataclass(frozen=True)
class Period:
    """A span of days ``[start, end)``; ``end`` is the first day no longer in it, ``None`` if ongoing."""

    start: dt.date
    end: dt.date | None = None

    def __post_init__(self) -> None:
        """Refuse bounds that are not dates."""
        inputs.day(self.start, "起始日期")
        inputs.optional_day(self.end, "终止日期")


@dataclass(frozen=True)
class RankSpell:
    """A spell at a :class:`Level`: in a leadership post (``leadership``) or an equivalent 职级."""

    level: Level
    start: dt.date
    end: dt.date | None = None
    leadership: bool = False
    title: str = ""

    def __post_init__(self) -> None:
        """Refuse a level outside :class:`Level` and bounds that are not dates."""
        if not isinstance(self.level, Level):
            raise inputs.RuleTypeError(f"职务层次必须是规定的层次之一，实际为 {self.level!r}。")
        inputs.day(self.start, "任职（职级）起始日期")
        inputs.optional_day(self.end, "任职（职级）终止日期")
        inputs.flag(self.leadership, "是否领导职务")


class SanctionKind(StrEnum):
    """What kind of measure a :class:`Sanction` is (INSP-01)."""

    DISCIPLINE = "discipline"
    ADMONISHMENT = "admonishment"
    ORGANIZATIONAL = "organizational"

    @property
    def label(self) -> str:
        """The kind in Chinese."""
        return {"discipline": "党纪政务处分", "admonishment": "诫勉", "organizational": "组织处理"}[
            self.value
        ]


@dataclass(frozen=True)
class Sanction:
    """A sanction, admonishment or organisational measure with its 影响期.

    ``effective_until`` is the **last** day of the 影响期 (处分期), ``None`` if it has no recorded
    end (treated as still running). ``affects_use``: recorded as "期满影响使用".
    """

    kind: SanctionKind
    name: str
    decided_on: dt.date
    effective_until: dt.date | None
    affects_use: bool = False

    def active_on(self, on: dt.date) -> bool:
        """Whether the 影响期 runs on ``on`` (from the decision day to ``effective_until``, inclusive)."""
        return self.decided_on <= on and (self.effective_until is None or on <= self.effective_until)


@dataclass(frozen=True)
class CandidateFacts:
    """Plain facts about a candidate, filled by a service from the records.

    ``grassroots`` are the spells of 基层工作经历; ``ranks`` the spells at each level;
    ``lower_level_posts`` the number of posts held at the next-lower level (QUAL-02);
    ``assessments`` the annual rating by year; ``last_promotion`` the date of the last 提拔;
    ``last_promotion_waived_tenure`` whether that promotion was a 破格 on tenure;
    ``levels_skipped`` the levels jumped over (0 逐级, 1 越一级, 2 越两级), derived from ``ranks``
    when ``None``.
    """

    birth_date: dt.date
    gender: Gender
    education: Education
    work_start: dt.date
    grassroots: tuple[Period, ...] = ()
    ranks: tuple[RankSpell, ...] = ()
    lower_level_posts: int = 0
    assessments: Mapping[int, Grade] = field(default_factory=dict)
    sanctions: tuple[Sanction, ...] = ()
    in_probation: bool = False
    last_promotion: dt.date | None = None
    last_promotion_waived_tenure: bool = False
    levels_skipped: int | None = None
    name: str = ""

    def __post_init__(self) -> None:
        """Refuse dates that are not dates, counts that are not non-negative ints, flags that are not bool."""
        inputs.day(self.birth_date, "出生日期")
        inputs.day(self.work_start, "参加工作时间")
        inputs.whole(self.lower_level_posts, "下一级职位任职数")
        inputs.flag(self.in_probation, "是否在试用期")
        inputs.optional_day(self.last_promotion, "上次提拔日期")
        inputs.flag(self.last_promotion_waived_tenure, "上次提拔是否破格")
        inputs.optional_whole(self.levels_skipped, "越级层数")


@dataclass(frozen=True)
class PromotionTarget:
    """The post a candidate is considered for.

    ``exceptional``: proposed as a 破格 (EXC-01). ``max_age``: the county's age limit for the post
    (RET-05, local, UNCONFIRMED; ``None`` = none). ``required_gender``: a campaign restricted to
    one gender (the seed's 2002 selection of women cadres).
    """

    level: Level
    is_leadership: bool = True
    exceptional: bool = False
    title: str = ""
    max_age: int | None = None
    required_gender: Gender | None = None

    def __post_init__(self) -> None:
        """Refuse a level outside :class:`Level`, a non-bool flag, an implausible age limit."""
        if not isinstance(self.level, Level):
            raise inputs.RuleTypeError(f"拟任职务层次必须是规定的层次之一，实际为 {self.level!r}。")
        inputs.flag(self.is_leadership, "是否领导职务")
        inputs.flag(self.exceptional, "是否破格")
        inputs.optional_whole(self.max_age, "任职年龄界限", minimum=16, maximum=100)


@dataclass(frozen=True)
class EligibilityPolicy:
    """The numbers of the rules, national defaults; the county may set its own where it may.

    ``article8_for_section_level`` applies 第八条(一)(二)(三) also to 乡科级 targets (the 条例
    applies to 县处级 and up; towns and county organs 参照执行).
    """

    work_years: int = 5
    grassroots_years: int = 2
    lower_level_posts: int = 2
    deputy_years: int = 2
    lower_chief_years: int = 3
    min_education: Education = Education.JUNIOR_COLLEGE
    min_education_bureau: Education = Education.BACHELOR
    clerk_years_for_section_deputy: int = 3
    deputy_level_years_for_section_chief: int = 2
    exceptional_gap_years: int = 1
    article8_for_section_level: bool = False

    def __post_init__(self) -> None:
        """Refuse year and post counts that are not non-negative ints (``True`` is not one year)."""
        for name, label in (
            ("work_years", "工作年限"),
            ("grassroots_years", "基层工作年限"),
            ("lower_level_posts", "下一级职位任职数"),
            ("deputy_years", "副职任职年限"),
            ("lower_chief_years", "下一级正职任职年限"),
            ("clerk_years_for_section_deputy", "任乡科级副职所需一级科员以上年限"),
            ("deputy_level_years_for_section_chief", "任乡科级正职所需副职层次年限"),
            ("exceptional_gap_years", "破格提拔距上次提拔年限"),
        ):
            inputs.whole(getattr(self, name), label)
        if not isinstance(self.min_education, Education) or not isinstance(
            self.min_education_bureau, Education
        ):
            raise inputs.RuleTypeError("学历要求必须是规定的学历层次之一。")
        inputs.flag(self.article8_for_section_level, "乡科级是否适用第八条")


# ---------------------------------------------------------------- duration arithmetic


def years_before(on: dt.date, years: int) -> dt.date:
    """The same day ``years`` years earlier (29 February → 28 February)."""
    inputs.day(on, "核对日期")
    inputs.whole(years, "年数")
    try:
        return on.replace(year=on.year - years)
    except ValueError:
        return on.replace(year=on.year - years, day=28)


def served_days(periods: Iterable[Period], on: dt.date) -> int:
    """Days in the union of ``periods`` before ``on`` (overlapping spells counted once)."""
    inputs.day(on, "核对日期")
    spans = sorted((p.start, min(p.end or on, on)) for p in periods if p.start < on)
    total = 0
    run_start: dt.date | None = None
    run_end = dt.date.min
    for start, end in spans:
        if end <= start:
            continue
        if run_start is None or start > run_end:
            if run_start is not None:
                total += (run_end - run_start).days
            run_start, run_end = start, end
        elif end > run_end:
            run_end = end
    if run_start is not None:
        total += (run_end - run_start).days
    return total


def served_years(periods: Iterable[Period], on: dt.date, years: int) -> bool:
    """Whether ``periods`` add up to ``years`` full years by ``on`` ("满 N 年" of QUAL-01/03/04/08/09).

    For one continuous period this is the anniversary rule: met on the anniversary, not the day before.
    """
    inputs.whole(years, "年限")
    return served_days(periods, on) >= (on - years_before(on, years)).days


def _met_on(periods: Sequence[Period], on: dt.date, years: int) -> dt.date | None:
    """The first day from ``on`` on which ``years`` are complete, if an ongoing period gets there."""
    if not any(p.end is None for p in periods):
        return None
    day = on + dt.timedelta(days=max((on - years_before(on, years)).days - served_days(periods, on), 0))
    while not served_years(periods, day, years):
        day += dt.timedelta(days=1)
    return day


def _duration_fact(what: str, periods: Sequence[Period], on: dt.date, years: int) -> str:
    """A Chinese clause: how long ``what`` (a verb phrase, 在基层工作) lasted, when it makes ``years``."""
    if len(periods) == 1 and periods[0].end is None:
        start = periods[0].start
        if start >= on:
            return f"截至{cn_date(on)}尚未{what}，不满 {years} 年"
        met = cn_date(add_age(start, years))
        return f"自{cn_date(start)}起{what}，截至{cn_date(on)}不满 {years} 年（{met}满 {years} 年）"
    days = served_days(periods, on)
    reached = _met_on(periods, on, years)
    tail = f"，按现职继续计算{cn_date(reached)}满 {years} 年" if reached is not None else ""
    return f"截至{cn_date(on)}，{what}累计 {days} 天，不满 {years} 年{tail}"


def current_level(ranks: Iterable[RankSpell], on: dt.date) -> Level | None:
    """The highest level held on ``on``, else the highest ever held, else ``None``."""
    spells = list(ranks)
    held = [r.level for r in spells if r.start <= on and (r.end is None or r.end > on)]
    if held:
        return max(held)
    return max((r.level for r in spells if r.start <= on), default=None)


def _periods(
    ranks: Iterable[RankSpell], *, levels: Iterable[Level], leadership_only: bool
) -> tuple[Period, ...]:
    wanted = set(levels)
    return tuple(
        Period(r.start, r.end) for r in ranks if r.level in wanted and (r.leadership or not leadership_only)
    )


# ---------------------------------------------------------------- the check


def _rating_findings(facts: CandidateFacts, on: dt.date) -> list[Finding]:
    year = on.year - 1
    if year not in facts.assessments:
        return [
            Finding(
                Reason(
                    rule="INSP-01-RATING-MISSING",
                    citation=_CITE["INSP-01-GRADE"],
                    message=f"未录入{year}年度考核结果，无法确认上一年度是否为基本称职以下；请核实录入或记录理由。",
                ),
                Severity.GENERAL,
            )
        ]
    grade = Grade(facts.assessments[year])
    if grade in (Grade.BASIC, Grade.INCOMPETENT):
        return [
            Finding(
                Reason(
                    rule="INSP-01",
                    citation=_CITE["INSP-01-GRADE"],
                    message=f"{year}年度考核为{grade.label}，上一年度考核为基本称职以下等次的，不得列为考察对象。",
                ),
                Severity.BLOCKING,
            )
        ]
    return []


def _sanction_findings(facts: CandidateFacts, on: dt.date, promotion: bool) -> list[Finding]:
    found: list[Finding] = []
    for s in facts.sanctions:
        until = f"影响期至{cn_date(s.effective_until)}" if s.effective_until else "影响期未记载截止日期"
        if s.active_on(on):
            found.append(
                Finding(
                    Reason(
                        rule="INSP-01",
                        citation=_CITE["INSP-01-SANCTION"],
                        message=(
                            f"{cn_date(s.decided_on)}受到{s.name}（{s.kind.label}），{until}，"
                            f"截至{cn_date(on)}影响期未满，不得列为考察对象。"
                        ),
                    ),
                    Severity.BLOCKING,
                )
            )
            if promotion and s.kind is SanctionKind.DISCIPLINE:
                found.append(
                    Finding(
                        Reason(
                            rule="QUAL-12",
                            citation=_CITE["QUAL-12"],
                            message=f"{cn_date(s.decided_on)}受到{s.name}，{until}，处分期内不得晋升职务。",
                        ),
                        Severity.BLOCKING,
                    )
                )
        elif s.affects_use and s.decided_on <= on:
            found.append(
                Finding(
                    Reason(
                        rule="INSP-01",
                        citation=_CITE["INSP-01-SANCTION"],
                        message=f"{cn_date(s.decided_on)}受到{s.name}（{s.kind.label}），{until}，期满影响使用，不得列为考察对象。",
                    ),
                    Severity.BLOCKING,
                )
            )
    return found


def _levels_skipped(facts: CandidateFacts, target: PromotionTarget, on: dt.date) -> int:
    if facts.levels_skipped is not None:
        return facts.levels_skipped
    held = current_level(facts.ranks, on)
    if held is None:
        return 0
    # 科员 ranks are not leadership levels: from either, 乡科级副职 is the next step.
    return max(int(target.level) - max(int(held), int(Level.CLERK_1)) - 1, 0)


def check_eligibility(
    facts: CandidateFacts,
    target: PromotionTarget,
    on: dt.date,
    policy: EligibilityPolicy = EligibilityPolicy(),
) -> CheckResult:
    """Check a candidate for ``target`` on ``on`` (QUAL-01/02/03/04/05/08/09/12, INSP-01, EXC-01/03/04/06).

    Returns a :class:`CheckResult` (a :class:`Verdict`) grading each finding; see the module
    docstring for the rules and severities. INSP-01 applies to every selection; the promotion
    rules only when ``target.level`` is above the candidate's current level (a 提拔). Tenure
    findings (QUAL-01/03/04/08/09) are :attr:`Severity.EXCEPTIONAL` when ``target.exceptional``
    (the 破格 route, EXC-06/07) and blocking otherwise; QUAL-02/05 and a missing last-year rating
    are :attr:`Severity.GENERAL`. "Last year" is ``on.year - 1``.
    """
    inputs.day(on, "核对日期")
    held = current_level(facts.ranks, on)
    promotion = held is None or target.level > held
    findings = _rating_findings(facts, on)
    findings += _sanction_findings(facts, on, promotion)

    def add(rule: str, message: str, severity: Severity, cite: str | None = None) -> None:
        """Record a finding of ``rule`` with its citation."""
        findings.append(Finding(Reason(rule=rule, citation=_CITE[cite or rule], message=message), severity))

    if target.required_gender is not None and facts.gender is not target.required_gender:
        add(
            "CAMPAIGN",
            f"本次选拔限{target.required_gender.label}性报名，拟任人选为{facts.gender.label}性。",
            Severity.BLOCKING,
        )
    if target.max_age is not None and age_on(facts.birth_date, on) > target.max_age:
        add(
            "RET-05",
            (
                f"截至{cn_date(on)}年满 {age_on(facts.birth_date, on)} 周岁，"
                f"超过本县规定的 {target.max_age} 周岁任职年龄界限。"
            ),
            Severity.GENERAL,
        )
    if not promotion or not target.is_leadership:
        return CheckResult.of(findings)

    tenure = Severity.EXCEPTIONAL if target.exceptional else Severity.BLOCKING
    tenure_failed = False
    hint = "" if target.exceptional else "如拟破格提拔，须按破格程序事先报上级组织部门同意。"

    required_edu = (
        policy.min_education_bureau if target.level >= Level.BUREAU_DEPUTY else policy.min_education
    )
    if facts.education < required_edu:
        add(
            "QUAL-05",
            f"学历为{facts.education.label}，低于提任{target.level.label}一般应当具有的{required_edu.label}以上学历。",
            Severity.GENERAL,
        )

    article8 = target.level >= Level.DIVISION_DEPUTY or policy.article8_for_section_level
    if article8:
        if on < facts.work_start or age_on(facts.work_start, on) < policy.work_years:
            tenure_failed = True
            add(
                "QUAL-01",
                _duration_fact("参加工作", (Period(facts.work_start),), on, policy.work_years)
                + f"，提任{target.level.label}须有 {policy.work_years} 年以上工龄。{hint}",
                tenure,
            )
        if not served_years(facts.grassroots, on, policy.grassroots_years):
            tenure_failed = True
            add(
                "QUAL-01",
                _duration_fact("在基层工作", facts.grassroots, on, policy.grassroots_years)
                + f"，提任{target.level.label}须有 {policy.grassroots_years} 年以上基层工作经历。{hint}",
                tenure,
            )
        if facts.lower_level_posts < policy.lower_level_posts:
            add(
                "QUAL-02",
                (
                    f"在下一级职位任职 {facts.lower_level_posts} 个，"
                    f"一般应有 {policy.lower_level_posts} 个以上职位的任职经历。"
                ),
                Severity.GENERAL,
            )
        below = Level(target.level - 1)
        if below >= Level.SECTION_DEPUTY:
            periods = _periods(facts.ranks, levels=(below,), leadership_only=True)
            rule, years, what = (
                ("QUAL-03", policy.deputy_years, f"任{below.label}")
                if target.level.is_chief
                else ("QUAL-04", policy.lower_chief_years, f"任{below.label}")
            )
            if not served_years(periods, on, years):
                tenure_failed = True
                add(
                    rule,
                    _duration_fact(what, periods, on, years)
                    + f"，提任{target.level.label}须在{below.label}岗位工作 {years} 年以上。{hint}",
                    tenure,
                )

    if target.level is Level.SECTION_DEPUTY:
        periods = _periods(
            facts.ranks, levels=[lv for lv in Level if lv >= Level.CLERK_1], leadership_only=False
        )
        years = policy.clerk_years_for_section_deputy
        if not served_years(periods, on, years):
            tenure_failed = True
            add(
                "QUAL-08",
                _duration_fact("任一级科员及以上职级", periods, on, years)
                + f"，晋升乡科级副职领导职务须任一级科员及相当层次职级 {years} 年以上。{hint}",
                tenure,
            )
    elif target.level is Level.SECTION_CHIEF:
        periods = _periods(
            facts.ranks, levels=[lv for lv in Level if lv >= Level.SECTION_DEPUTY], leadership_only=False
        )
        years = policy.deputy_level_years_for_section_chief
        if not served_years(periods, on, years):
            tenure_failed = True
            add(
                "QUAL-09",
                _duration_fact("任乡科级副职或三级、四级主任科员及以上", periods, on, years)
                + f"，晋升乡科级正职领导职务须累计 {years} 年以上。{hint}",
                tenure,
            )

    skipped = _levels_skipped(facts, target, on)
    if skipped >= 2:
        add("EXC-04", f"拟越 {skipped} 级提拔，不得越两级提拔。", Severity.BLOCKING)
    elif skipped == 1 and not target.exceptional:
        add(
            "EXC-01",
            f"拟越一级提拔任{target.level.label}，越级提拔属于破格提拔，须按破格程序办理。",
            Severity.BLOCKING,
        )
    if target.exceptional or skipped >= 1:
        if facts.in_probation:
            add("EXC-03", "任职试用期未满，不得破格提拔。", Severity.BLOCKING)
        if facts.last_promotion is not None:
            anniversary = add_age(facts.last_promotion, policy.exceptional_gap_years)
            if on < anniversary:
                add(
                    "EXC-03",
                    f"{cn_date(facts.last_promotion)}提拔任职，"
                    f"截至{cn_date(on)}不满 {policy.exceptional_gap_years} 年（{cn_date(anniversary)}满），"
                    "不得破格提拔。",
                    Severity.BLOCKING,
                )
        if tenure_failed and facts.last_promotion_waived_tenure:
            add("EXC-04", "上次提拔已在任职年限上破格，不得在任职年限上连续破格。", Severity.BLOCKING)
        if skipped == 1:
            add(
                "EXC-06",
                f"越一级提拔任{target.level.label}，须在考察前报上级组织部门并经批复。",
                Severity.EXCEPTIONAL,
            )
        elif target.exceptional:
            add("EXC-06", "破格提拔人选，讨论决定前须报上级组织部门同意。", Severity.EXCEPTIONAL)
    return CheckResult.of(findings)
