"""教育培训: training quotas, appointment training, the absence cap and the county's training cycle.

Rules (rules.md §L; confidence codes as there):

- TRN-01 (《干部教育培训工作条例》第十四条, Q-off): 县处级以上党政领导干部和四级调研员及以上公务员 take
  at least 3 months or 550 hours of off-the-job training in 5 years. Read as a **rolling** window:
  the five years ending on the check day (:func:`five_year_window`).
- TRN-02 (同上, Q-off): 乡科级党政领导干部和一级主任科员及以下公务员 take at least 12 days or 90 hours
  of concentrated training per (calendar) year.
- TRN-03 (同上; 《党政领导干部选拔任用工作条例》第八条(五), Q-off) and TRN-06 (《公务员法》第六十七条,
  Q-law): appointment training (任职培训) before taking up a leading post or within one year after.
- TRN-04 (同上 第十五条, Q-off): leave taken during off-the-job training may not exceed 1/7 of the
  class's total hours (exactly 1/7 is allowed); above it the cadre is withdrawn (退学).
- TRN-05 (同上, Q-off): online hours per year, an amount the county sets (a policy value).
- TRN-07 (S; the county's "4年轮训一遍" is local): every in-service cadre trained at least once
  within the county's cycle (``training.cycle_years``, default 4).

Conventions (docs/rules-catalogue.md "training.py"):

- A class runs from its first to its last day, **both included**; its days are ``end − start + 1``.
- A class that spans a window's edge counts only its days inside the window, and its hours in
  proportion: ``hours × days inside ÷ days of the class`` (exact, :class:`~fractions.Fraction`).
- "3 months" of TRN-01 is counted as :data:`COUNTY_MIN_DAYS` = 90 training days (3 × 30, as
  the 条例 measures time in days and hours; a parameter for a county that counts otherwise).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from . import inputs
from .retirement import add_age
from .types import Reason, Verdict
from .workdays import cn_date

REGULATION = "《干部教育培训工作条例》"
CITE_TRN01 = (
    f"{REGULATION}第十四条：县处级以上领导干部每5年参加脱产培训累计不少于3个月或550学时"
    "（rules.md TRN-01，置信度 Q-off）"
)
CITE_TRN02 = (
    f"{REGULATION}第十四条：乡科级领导干部每年参加集中培训累计不少于12天或90学时"
    "（rules.md TRN-02，置信度 Q-off）"
)
CITE_TRN03 = (
    f"{REGULATION}第十四条、《党政领导干部选拔任用工作条例》第八条：提任前未达培训要求的，应在提任后1年内完成培训"
    "（rules.md TRN-03，置信度 Q-off）；《公务员法》第六十七条：晋升领导职务的，应当在任职前或者任职后一年内"
    "进行任职培训（rules.md TRN-06，置信度 Q-law）"
)
CITE_TRN04 = (
    f"{REGULATION}第十五条：脱产培训期间请假累计原则上不超过总学时的1/7，超过的应予退学"
    "（rules.md TRN-04，置信度 Q-off）"
)
CITE_TRN05 = (
    f"{REGULATION}第十四条：干部应当结合岗位参加网络培训，完成规定学时"
    "（rules.md TRN-05，置信度 Q-off；学时由本县规定）"
)
CITE_TRN07 = "本县规定：在职干部每轮训周期内至少参加一次培训，4年轮训一遍（rules.md TRN-07，本县规定）"

#: TRN-01's numbers.
COUNTY_YEARS = 5
COUNTY_MIN_DAYS = 90
COUNTY_MIN_HOURS = 550
#: TRN-02's numbers.
SECTION_MIN_DAYS = 12
SECTION_MIN_HOURS = 90
#: TRN-04's share.
ABSENCE_CAP = Fraction(1, 7)
#: TRN-03/06: appointment training within this many years of the promotion.
APPOINTMENT_YEARS = 1


class TrainingLevel(StrEnum):
    """Which quota applies: TRN-01 (县处级以上) or TRN-02 (乡科级及以下)."""

    COUNTY = "county"
    SECTION = "section"


#: The registry's ranks (``registry.choices.Rank``) and their quota. The registry holds the
#: county's own cadres: 正科级 and below. 正科级、副科级 are 乡科级领导干部 and 中层、一般干部 are
#: 一级主任科员及以下 (or their equivalents in institutions), so every registry rank falls under
#: TRN-02. A 县处级 leader or a 四级调研员 and above is not a registry rank (they are managed above
#: the county): a caller that knows a cadre is one passes :attr:`TrainingLevel.COUNTY`.
RANK_LEVELS: Mapping[str, TrainingLevel] = {
    "section": TrainingLevel.SECTION,
    "deputy_section": TrainingLevel.SECTION,
    "middle_head": TrainingLevel.SECTION,
    "middle_deputy": TrainingLevel.SECTION,
    "staff": TrainingLevel.SECTION,
}


def training_level(rank: str) -> TrainingLevel:
    """The quota (TRN-01 or TRN-02) for a registry rank code; an unknown code is refused."""
    try:
        return RANK_LEVELS[rank]
    except KeyError:
        raise inputs.RuleInputError(f"职级「{rank}」不在职级表中，无法确定培训要求。") from None


@dataclass(frozen=True)
class ClassSpan:
    """One class a cadre completed: first and last day (both included) and the hours credited."""

    start: dt.date
    end: dt.date
    hours: Fraction

    @classmethod
    def of(cls, start: object, end: object, hours: object) -> ClassSpan:
        """A checked span: real dates, end not before start, hours exact and not negative."""
        first = inputs.day(start, "培训开始日期")
        last = inputs.day(end, "培训结束日期")
        if last < first:
            raise inputs.RuleInputError(f"培训结束日期{cn_date(last)}早于开始日期{cn_date(first)}。")
        return cls(first, last, inputs.exact(hours, "培训学时"))

    @property
    def days(self) -> int:
        """Calendar days of the class, both ends included."""
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class Credit:
    """Days and hours of training inside a window."""

    days: int
    hours: Fraction


def credit_within(spans: Iterable[ClassSpan], first: dt.date, last: dt.date) -> Credit:
    """Days and hours of ``spans`` inside ``[first, last]`` (both included).

    A class spanning an edge counts only its days inside, and its hours prorated by those days:
    a 10-day class of 80 hours with 3 days inside gives 3 days and 24 hours. Overlapping classes
    are added as they are (a cadre cannot attend two at once; the data says otherwise only by error).
    """
    inputs.day(first, "起算日期")
    inputs.day(last, "截止日期")
    days = 0
    hours = Fraction(0)
    for span in spans:
        lo = max(span.start, first)
        hi = min(span.end, last)
        if hi < lo:
            continue
        inside = (hi - lo).days + 1
        days += inside
        hours += span.hours * inside / span.days
    return Credit(days, hours)


def five_year_window(on: dt.date) -> tuple[dt.date, dt.date]:
    """TRN-01's rolling window: the five years ending on ``on`` (from the day after ``on`` 5 years back)."""
    inputs.day(on, "检查日期")
    return add_age(on, -COUNTY_YEARS) + dt.timedelta(days=1), on


def hours_text(value: Fraction) -> str:
    """Hours as an officer writes them: 24, 24.5 or 24.33 (two decimals at most)."""
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


def check_county_quota(
    spans: Iterable[ClassSpan], on: dt.date, *, min_days: int = COUNTY_MIN_DAYS
) -> Verdict:
    """TRN-01: off-the-job training in the five years ending on ``on``: ≥ ``min_days`` days OR ≥ 550 hours."""
    inputs.whole(min_days, "三个月折合天数", minimum=1)
    first, last = five_year_window(on)
    credit = credit_within(spans, first, last)
    if credit.days >= min_days or credit.hours >= COUNTY_MIN_HOURS:
        return Verdict.passed()
    return Verdict.failed(
        Reason(
            "TRN-01",
            CITE_TRN01,
            f"{cn_date(first)}至{cn_date(last)}五年内脱产培训累计{credit.days}天、{hours_text(credit.hours)}学时，"
            f"不足3个月（{min_days}天）也不足{COUNTY_MIN_HOURS}学时。",
        )
    )


def check_section_quota(spans: Iterable[ClassSpan], year: int) -> Verdict:
    """TRN-02: concentrated training in calendar ``year``: ≥ 12 days OR ≥ 90 hours."""
    inputs.whole(year, "年度", minimum=1949, maximum=2200)
    credit = credit_within(spans, dt.date(year, 1, 1), dt.date(year, 12, 31))
    if credit.days >= SECTION_MIN_DAYS or credit.hours >= SECTION_MIN_HOURS:
        return Verdict.passed()
    return Verdict.failed(
        Reason(
            "TRN-02",
            CITE_TRN02,
            f"{year}年集中培训累计{credit.days}天、{hours_text(credit.hours)}学时，"
            f"不足{SECTION_MIN_DAYS}天也不足{SECTION_MIN_HOURS}学时。",
        )
    )


def check_quota(level: TrainingLevel, spans: Iterable[ClassSpan], on: dt.date) -> Verdict:
    """The quota of ``level`` on ``on``: TRN-01's five years ending on ``on``, TRN-02's year of ``on``."""
    inputs.day(on, "检查日期")
    if level is TrainingLevel.COUNTY:
        return check_county_quota(spans, on)
    return check_section_quota(spans, on.year)


def appointment_training_due(promoted_on: dt.date) -> dt.date:
    """TRN-03/06: the last day for appointment training after a promotion (the day itself in time).

    The same day a year later (29 February → 1 March, as ages are reached).
    """
    return add_age(inputs.day(promoted_on, "提任日期"), APPOINTMENT_YEARS)


class AppointmentState(StrEnum):
    """Where a promoted cadre's appointment training stands."""

    DONE = "done"
    PENDING = "pending"
    OVERDUE = "overdue"


def appointment_training_state(
    promoted_on: dt.date, trained_on: dt.date | None, on: dt.date
) -> AppointmentState:
    """TRN-03/06: done (appointment training completed), pending (due day not passed), overdue.

    ``trained_on`` is the last day of the appointment class the cadre completed (``None``: none);
    a class finished after the due day still counts as done, late: the to-do is closed by it.
    """
    due = appointment_training_due(promoted_on)
    inputs.optional_day(trained_on, "任职培训结业日期")
    inputs.day(on, "检查日期")
    if trained_on is not None:
        return AppointmentState.DONE
    return AppointmentState.PENDING if on <= due else AppointmentState.OVERDUE


def check_appointment_training(promoted_on: dt.date, trained_on: dt.date | None, on: dt.date) -> Verdict:
    """TRN-03/06 as a verdict: refused when ``on`` is past the due day and no appointment training is done."""
    state = appointment_training_state(promoted_on, trained_on, on)
    if state is not AppointmentState.OVERDUE:
        return Verdict.passed()
    due = appointment_training_due(promoted_on)
    return Verdict.failed(
        Reason(
            "TRN-03",
            CITE_TRN03,
            f"{cn_date(promoted_on)}提任，应于{cn_date(due)}前完成任职培训，至{cn_date(on)}尚未参加。",
        )
    )


def absence_limit(total_hours: object) -> Fraction:
    """TRN-04: the most leave allowed in a class of ``total_hours``: exactly 1/7 of them."""
    return inputs.exact(total_hours, "班次总学时") * ABSENCE_CAP


def check_absence(total_hours: object, absence_hours: object) -> Verdict:
    """TRN-04: leave ≤ 1/7 of the class's total hours (exactly 1/7 passes); above it ⇒ 退学."""
    total = inputs.exact(total_hours, "班次总学时", minimum=Fraction(1, 10**6))
    absent = inputs.exact(absence_hours, "请假学时", maximum=total)
    limit = total * ABSENCE_CAP
    if absent <= limit:
        return Verdict.passed()
    return Verdict.failed(
        Reason(
            "TRN-04",
            CITE_TRN04,
            f"请假累计{hours_text(absent)}学时，超过班次总学时{hours_text(total)}的七分之一"
            f"（{hours_text(limit)}学时），应予退学。",
        )
    )


def check_online_hours(hours: object, required: object, year: int) -> Verdict:
    """TRN-05: online hours in ``year`` ≥ the county's ``required`` hours."""
    done = inputs.exact(hours, "网络培训学时")
    need = inputs.exact(required, "网络培训规定学时")
    inputs.whole(year, "年度", minimum=1949, maximum=2200)
    if done >= need:
        return Verdict.passed()
    return Verdict.failed(
        Reason(
            "TRN-05",
            CITE_TRN05,
            f"{year}年网络培训{hours_text(done)}学时，不足本县规定的{hours_text(need)}学时。",
        )
    )


def cycle_window(on: dt.date, cycle_years: int) -> tuple[dt.date, dt.date]:
    """TRN-07: the cycle ending on ``on``: from the day after ``on`` ``cycle_years`` years back, to ``on``."""
    inputs.day(on, "检查日期")
    years = inputs.whole(cycle_years, "轮训周期年数", minimum=1, maximum=20)
    return add_age(on, -years) + dt.timedelta(days=1), on


def check_cycle(last_trained_on: dt.date | None, on: dt.date, cycle_years: int) -> Verdict:
    """TRN-07: an in-service cadre's last completed class ended within the cycle ending on ``on``."""
    first, last = cycle_window(on, cycle_years)
    trained = inputs.optional_day(last_trained_on, "最近一次培训结业日期")
    if trained is not None and first <= trained <= last:
        return Verdict.passed()
    fact = "从未参加培训" if trained is None else f"最近一次培训于{cn_date(trained)}结业"
    return Verdict.failed(
        Reason(
            "TRN-07",
            CITE_TRN07,
            f"{cn_date(first)}至{cn_date(last)}的{cycle_years}年轮训周期内未参加培训（{fact}）。",
        )
    )


def coverage_share(trained: int, total: int) -> Fraction:
    """TRN-07: the share of in-service cadres trained within the cycle (0 when there is nobody)."""
    done = inputs.whole(trained, "已培训人数")
    everyone = inputs.whole(total, "在职干部人数")
    if done > everyone:
        raise inputs.RuleInputError(f"已培训人数{done}大于在职干部人数{everyone}。")
    return Fraction(done, everyone) if everyone else Fraction(0)
