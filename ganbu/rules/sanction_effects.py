"""处分的合并、影响、解除与申诉期限: what a sanction does once its period is known.

:mod:`ganbu.rules.sanctions` gives each sanction its own 处分期 (DISC-01/02/06/07). This module
answers the questions that follow:

- DISC-05 (《公职人员政务处分法》第十五条; 《行政机关公务员处分条例》(2007) 第十条, Q-law):
  several violations decided together → the heaviest kind; several sanctions of the same kind
  (撤职以下, which includes 撤职: "以下" counts the number itself, 《民法典》第一千二百五十九条) → a
  period the deciding body chooses between the longest single period and their sum, at most 48
  months (:func:`combine_violations` gives the range, :func:`choose_period` checks the choice);
  a new sanction while a period runs → the old period's unexecuted part plus the new period,
  at most 48 months (:func:`add_during_period`).
- DISC-03 (政务处分法 第十九条; 《公务员法》第六十四条, Q-law): during the period no promotion of
  职务、职级、衔级、级别; 记过 and heavier also no 工资档次; 撤职 lowers 职务、职级和级别
  (:func:`blocked_promotions`).
- DISC-04 (政务处分法 第二十六条; 公务员法 第六十五条, Q-law): the sanction lifts itself at the end
  of the period when the person showed repentance and committed no new violation; lifting 降级 or
  撤职 does not restore the old 级别 or post (:func:`in_force_on`, :func:`expiry`).
- DISC-16 (公务员法 第九十五条、第九十六条, Q-law): 复核 and 申诉 deadlines (:func:`review_deadline`,
  :func:`appeal_deadline`, :func:`review_decision_due`, :func:`appeal_decision_due`).
- DISC-08 / DISC-09 (UNCONFIRMED): 诫勉 and 问责/组织调整 have no national period; the county's
  number of months is passed in, never defaulted (:func:`policy_period`).

Dates (docs/rules-catalogue.md, "Date conventions"): a period's ``last`` day is inclusive and its
first day is the decision day; months are counted with :func:`ganbu.rules.sanctions.period_last_day`.
"Within N days of D" (…之日起N日内) ends on **D + N**: the day of the event is not counted
(《民法典》第二百零一条), the same reading as "within one month" in :mod:`ganbu.rules.probation`.
When a :class:`~ganbu.rules.workdays.WorkCalendar` is given, a last day that is a rest day moves
to the next workday (《民法典》第二百零三条); without one the calendar day stands.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from . import inputs
from .sanctions import SanctionType, impact_period, period_last_day
from .types import Reason, Verdict
from .workdays import WorkCalendar, cn_date

#: The longest combined 处分期 (政务处分法 第十五条; 处分条例 第十条).
MAX_COMBINED_MONTHS = 48

# The kinds of 政务处分 / 公务员处分, lightest first: DISC-03/04/05 apply to these only; party
# discipline (DISC-06) has its own effects and combination rules.
GOVERNMENT_KINDS: tuple[SanctionType, ...] = (
    SanctionType.WARNING,
    SanctionType.DEMERIT,
    SanctionType.MAJOR_DEMERIT,
    SanctionType.DEMOTION,
    SanctionType.DISMISSAL,
    SanctionType.EXPULSION,
)
_WEIGHT = {kind: n for n, kind in enumerate(GOVERNMENT_KINDS)}

CITE_COMBINE = (
    "《中华人民共和国公职人员政务处分法》第十五条：有两个以上违法行为的，应当分别确定政务处分；"
    "应当给予两种以上政务处分的，执行其中最重的政务处分；应当给予撤职以下多个相同政务处分的，"
    "可以在一个政务处分期以上、多个政务处分期之和以下确定政务处分期，但是最长不得超过四十八个月"
    "（rules.md DISC-05，置信度 Q-law）"
)
CITE_NEW_DURING = (
    "《行政机关公务员处分条例》(2007) 第十条：在受处分期间受到新的处分的，其处分期为原处分期尚未执行的期限"
    "与新处分期限之和，处分期最长不得超过四十八个月（rules.md DISC-05，置信度 Q-law）"
)
CITE_EFFECTS = (
    "《中华人民共和国公职人员政务处分法》第十九条；《公务员法》(2018) 第六十四条：在处分期内不得晋升职务、"
    "职级、衔级和级别；其中被记过、记大过、降级、撤职的，不得晋升工资档次；被撤职的，按照规定降低职务、职级和级别"
    "（rules.md DISC-03，置信度 Q-law）"
)
CITE_EXPULSION = (
    "《中华人民共和国公职人员政务处分法》第八条：开除不设处分期，人事关系解除"
    "（rules.md DISC-01，置信度 Q-law）"
)
CITE_EXPIRY = (
    "《中华人民共和国公职人员政务处分法》第二十六条；《公务员法》(2018) 第六十五条：受开除以外的处分，"
    "在处分期内有悔改表现，并且没有再发生违法违纪行为的，处分期满后自动解除；解除降级、撤职处分的，"
    "不恢复原级别、原职务、原职级（rules.md DISC-04，置信度 Q-law）"
)
_GWY_95 = "《公务员法》(2018) 第九十五条"
_GWY_96 = "《公务员法》(2018) 第九十六条"


class Promotion(StrEnum):
    """What a sanction can block or lower (DISC-03)."""

    POST = "post"
    RANK = "rank"
    TITLE_RANK = "title_rank"
    GRADE = "grade"
    SALARY_STEP = "salary_step"

    @property
    def label(self) -> str:
        """The item in Chinese, as the law names it."""
        return {
            "post": "职务",
            "rank": "职级",
            "title_rank": "衔级",
            "grade": "级别",
            "salary_step": "工资档次",
        }[self.value]


_ALWAYS_BLOCKED = (Promotion.POST, Promotion.RANK, Promotion.TITLE_RANK, Promotion.GRADE)
_NOT_RESTORED: dict[SanctionType, tuple[Promotion, ...]] = {
    SanctionType.DEMOTION: (Promotion.GRADE,),
    SanctionType.DISMISSAL: (Promotion.POST, Promotion.RANK, Promotion.GRADE),
}


def _labels(items: Sequence[Promotion]) -> str:
    return "、".join(p.label for p in items)


def _government_kind(kind: SanctionType | str, label: str = "处分种类") -> SanctionType:
    kind = SanctionType(kind)
    if kind not in _WEIGHT:
        raise inputs.RuleInputError(
            f"{label}“{kind.label}”不是政务处分或公务员处分（警告、记过、记大过、降级、撤职、开除）；"
            "党纪处分的影响期见党纪处分条例，诫勉和组织处理的影响期按本县规定。"
        )
    return kind


@dataclass(frozen=True)
class SanctionPeriod:
    """One sanction (or a combination) with the period it runs: ``first`` to ``last`` inclusive.

    ``last`` is ``None`` for 开除 (no end). ``kind`` decides the effects (for a combination, the
    heaviest kind in it). ``rule`` and ``citation`` say which regulation gave the period.
    """

    kind: SanctionType
    first: dt.date
    last: dt.date | None
    rule: str
    citation: str

    def __post_init__(self) -> None:
        # A service builds these from stored rows: the kind may come as its text value.
        object.__setattr__(self, "kind", SanctionType(self.kind))
        inputs.day(self.first, "处分期起始日期")
        inputs.optional_day(self.last, "处分期截止日期")
        if self.last is not None and self.last < self.first:
            raise inputs.RuleInputError(
                f"处分期截止日期{cn_date(self.last)}早于起始日期{cn_date(self.first)}。"
            )

    @property
    def permanent(self) -> bool:
        """Whether the period never ends (开除)."""
        return self.last is None

    def runs_on(self, day: dt.date) -> bool:
        """Whether ``day`` lies in the period (first and last day included)."""
        inputs.day(day, "日期")
        return self.first <= day and (self.last is None or day <= self.last)

    def describe(self) -> str:
        """The period in Chinese: ``记过，2024年3月15日至2025年3月14日``."""
        if self.last is None:
            return f"{self.kind.label}，自{cn_date(self.first)}起，不设处分期"
        return f"{self.kind.label}，{cn_date(self.first)}至{cn_date(self.last)}"


def sanction_period(kind: SanctionType | str, decided_on: dt.date) -> SanctionPeriod:
    """The period of one 政务处分 decided on ``decided_on`` (DISC-01/02 via :func:`impact_period`)."""
    kind = _government_kind(kind)
    inputs.day(decided_on, "处分决定日期")
    period = impact_period(kind, decided_on)
    return SanctionPeriod(kind, decided_on, period.until, period.rule, period.citation)


# --- DISC-05: combining ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Combination:
    """The outcome of several violations decided together (DISC-05).

    ``kind`` is the sanction executed; when several of that kind fall due the deciding body
    chooses the period in [``min_months``, ``max_months``] (equal when there is no choice).
    Both are ``None`` for 开除. ``count`` is how many sanctions of ``kind`` were combined.
    """

    kind: SanctionType
    decided_on: dt.date
    count: int
    min_months: int | None
    max_months: int | None
    citation: str

    @property
    def has_choice(self) -> bool:
        """Whether the deciding body must choose the period within a range."""
        return self.min_months is not None and self.min_months != self.max_months

    def describe(self) -> str:
        """The range in Chinese, naming the kinds and months."""
        if self.min_months is None:
            return f"执行{self.kind.label}，不设处分期"
        if not self.has_choice:
            return f"执行{self.kind.label}，处分期{self.min_months}个月"
        return (
            f"{self.count}个{self.kind.label}，处分期应在{self.min_months}个月以上、"
            f"{self.max_months}个月以下确定（最长{MAX_COMBINED_MONTHS}个月）"
        )


def combine_violations(kinds: Sequence[SanctionType | str], decided_on: dt.date) -> Combination:
    """The sanction to execute for several violations decided together (DISC-05, Q-law).

    政务处分法 第十五条: each violation gets its own sanction; of different kinds the heaviest is
    executed; several of the same kind (撤职以下, 撤职 included) → a period between one period and
    their sum, at most :data:`MAX_COMBINED_MONTHS`. When the heaviest kind occurs more than once
    among mixed kinds, the lighter ones are absorbed and the range applies to the heaviest ones
    (a reading: the range starts at one period, so the plain "heaviest" answer stays allowed).
    """
    inputs.day(decided_on, "处分决定日期")
    if len(kinds) < 1:
        raise inputs.RuleInputError("至少须有一个处分。")
    parsed = [_government_kind(k) for k in kinds]
    heaviest = max(parsed, key=lambda k: _WEIGHT[k])
    count = parsed.count(heaviest)
    months = impact_period(heaviest, decided_on).months
    if months is None:  # 开除: no period to combine
        return Combination(heaviest, decided_on, count, None, None, CITE_COMBINE)
    return Combination(
        heaviest, decided_on, count, months, min(months * count, MAX_COMBINED_MONTHS), CITE_COMBINE
    )


def choose_period(combination: Combination, months: int | None = None) -> SanctionPeriod:
    """The period of a :class:`Combination` with the months the deciding body chose (DISC-05).

    ``months`` may be left out only when there is no choice. A value outside the range is
    refused with a Chinese message giving the range and the citation.
    """
    c = combination
    if c.min_months is None or c.max_months is None:
        if months is not None:
            raise inputs.RuleInputError("开除不设处分期，不能确定处分期月数。")
        return SanctionPeriod(c.kind, c.decided_on, None, "DISC-05", c.citation)
    if months is None:
        if c.has_choice:
            raise inputs.RuleInputError(f"{c.describe()}，请填写所确定的处分期月数。")
        months = c.min_months
    inputs.whole(months, "处分期月数", minimum=1)
    if not c.min_months <= months <= c.max_months:
        raise inputs.RuleInputError(f"{c.describe()}；所填{months}个月不在此范围内。依据：{c.citation}")
    return SanctionPeriod(c.kind, c.decided_on, period_last_day(c.decided_on, months), "DISC-05", c.citation)


def add_during_period(
    old: SanctionPeriod, new_kind: SanctionType | str, new_decided_on: dt.date
) -> SanctionPeriod:
    """The period when a new sanction is decided while ``old`` runs (DISC-05, 2007 条例 第十条, Q-law).

    The unexecuted part of the old period (from the new decision day to its last day) is served
    first and the new period follows from the next day, so the combined period runs from the new
    decision day to ``period_last_day(old.last + 1 day, new months)``, cut at 48 months from the
    new decision day. It carries the heavier kind. A new 开除 ends everything (no period). A new
    decision outside the old period is not a combination and is refused.
    """
    _government_kind(old.kind, "原处分种类")
    new_kind = _government_kind(new_kind, "新处分种类")
    inputs.day(new_decided_on, "新处分决定日期")
    if old.last is None:
        raise inputs.RuleInputError(f"原处分（{old.describe()}）不设处分期，不能再合并新的处分期。")
    if not old.runs_on(new_decided_on):
        raise inputs.RuleInputError(
            f"新处分于{cn_date(new_decided_on)}作出，不在原处分期（{cn_date(old.first)}至{cn_date(old.last)}）内，"
            "不合并处分期。"
        )
    kind = max((old.kind, new_kind), key=lambda k: _WEIGHT[k])
    months = impact_period(new_kind, new_decided_on).months
    if months is None:
        return SanctionPeriod(new_kind, new_decided_on, None, "DISC-01", CITE_EXPULSION)
    last = period_last_day(old.last + dt.timedelta(days=1), months)
    cap = period_last_day(new_decided_on, MAX_COMBINED_MONTHS)
    return SanctionPeriod(kind, new_decided_on, min(last, cap), "DISC-05", CITE_NEW_DURING)


# --- DISC-03: effects during the period ------------------------------------------------------------


@dataclass(frozen=True)
class Effects:
    """What a sanction does on one day (DISC-03).

    ``blocked``: promotions not allowed that day; ``lowered``: what 撤职 lowers (once, at the
    decision); ``reasons``: one :class:`Reason` naming the period's last day when anything is blocked.
    """

    blocked: tuple[Promotion, ...]
    lowered: tuple[Promotion, ...]
    reasons: tuple[Reason, ...]

    def blocks(self, promotion: Promotion) -> bool:
        """Whether ``promotion`` is blocked that day."""
        return promotion in self.blocked

    @property
    def verdict(self) -> Verdict:
        """A failed :class:`Verdict` when anything is blocked, else passed."""
        return Verdict.failed(*self.reasons) if self.reasons else Verdict.passed()


def blocked_promotions(period: SanctionPeriod, day: dt.date) -> Effects:
    """The promotions ``period``'s sanction blocks on ``day`` (DISC-03, Q-law).

    In the period (first and last day included): 职务、职级、衔级、级别 for every kind, and the
    工资档次 for 记过 and heavier. 撤职 also lowers 职务、职级和级别 (``lowered``, whatever the day).
    开除 (no period) blocks everything for good: the employment has ended. Outside the period
    nothing is blocked.
    """
    kind = _government_kind(period.kind)
    inputs.day(day, "日期")
    lowered = (Promotion.POST, Promotion.RANK, Promotion.GRADE) if kind is SanctionType.DISMISSAL else ()
    if day < period.first:
        return Effects((), (), ())
    if period.last is None:
        reason = Reason(
            "DISC-01", CITE_EXPULSION, f"已于{cn_date(period.first)}受{kind.label}处分，人事关系已解除。"
        )
        return Effects(tuple(Promotion), lowered, (reason,))
    if day > period.last:
        return Effects((), lowered, ())
    blocked = _ALWAYS_BLOCKED + (
        (Promotion.SALARY_STEP,) if _WEIGHT[kind] >= _WEIGHT[SanctionType.DEMERIT] else ()
    )
    message = (
        f"{period.describe()}；{cn_date(day)}在处分期内，处分期至{cn_date(period.last)}，"
        f"期内不得晋升{_labels(blocked)}。"
    )
    return Effects(blocked, lowered, (Reason("DISC-03", CITE_EFFECTS, message),))


# --- DISC-04: expiry ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expiry:
    """What happens at the end of a sanction's period (DISC-04).

    ``lifted_on`` is the first day without the sanction (``None``: not lifted automatically).
    ``unblocked``: promotions no longer affected; ``not_restored``: what 降级/撤职 took away and
    the lifting does not give back. ``message`` says it in Chinese.
    """

    lifted_on: dt.date | None
    unblocked: tuple[Promotion, ...]
    not_restored: tuple[Promotion, ...]
    message: str
    citation: str = CITE_EXPIRY


def expiry(period: SanctionPeriod, *, new_violation: bool) -> Expiry:
    """What the end of ``period`` lifts and what it does not restore (DISC-04, Q-law).

    ``new_violation``: whether a new violation calling for a sanction occurred during the period
    (the caller states it: the law lifts the sanction only when there is none). Then the sanction
    is not lifted automatically; the new sanction's period combines with it (DISC-05).
    """
    kind = _government_kind(period.kind)
    inputs.flag(new_violation, "处分期内是否有新的违法行为")
    if period.last is None:
        return Expiry(None, (), (), f"{kind.label}不设处分期，不因期满而解除。")
    if new_violation:
        return Expiry(
            None,
            (),
            (),
            f"处分期至{cn_date(period.last)}；期内又有应受处分的违法行为，期满不自动解除，"
            "新处分按原处分期尚未执行的期限与新处分期限之和合并计算。",
        )
    lifted_on = period.last + dt.timedelta(days=1)
    unblocked = tuple(Promotion)
    not_restored = _NOT_RESTORED.get(kind, ())
    message = (
        f"{kind.label}处分期至{cn_date(period.last)}，{cn_date(lifted_on)}起自动解除，"
        f"晋升{_labels(unblocked)}不再受影响"
    )
    if not_restored:
        message += f"；解除{kind.label}不恢复原{_labels(not_restored)}"
    return Expiry(lifted_on, unblocked, not_restored, message + "。")


def in_force_on(period: SanctionPeriod, day: dt.date, *, new_violation: bool = False) -> bool:
    """Whether the sanction is in force on ``day`` (DISC-04): from its first day until lifted.

    After the last day it is lifted automatically unless a new violation occurred during the
    period (``new_violation``), in which case it stays in force until the new decision
    combines the periods.
    """
    inputs.day(day, "日期")
    if day < period.first:
        return False
    lifted = expiry(period, new_violation=new_violation).lifted_on
    return lifted is None or day < lifted


# --- DISC-16: 复核 and 申诉 deadlines --------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    """A time limit: its ``last`` day (inclusive), what it is for, and the law."""

    last: dt.date
    what: str
    rule: str
    citation: str

    def check(self, done_on: dt.date) -> Verdict:
        """Whether something done on ``done_on`` met the limit (the last day itself is in time)."""
        inputs.day(done_on, "办理日期")
        if done_on <= self.last:
            return Verdict.passed()
        late = (done_on - self.last).days
        return Verdict.failed(
            Reason(
                self.rule,
                self.citation,
                f"{self.what}的期限至{cn_date(self.last)}，{cn_date(done_on)}办理，已超过{late}日。",
            )
        )


def _days_after(start: dt.date, days: int, calendar: WorkCalendar | None) -> dt.date:
    """``start`` + ``days`` (the start day is not counted); on a rest day, the next workday."""
    last = start + dt.timedelta(days=days)
    if calendar is not None:
        while not calendar.is_workday(last):
            last += dt.timedelta(days=1)
    return last


def review_deadline(known_on: dt.date, *, calendar: WorkCalendar | None = None) -> Deadline:
    """The last day to apply for 复核: 30 days from knowing of the decision (DISC-16, 第九十五条)."""
    inputs.day(known_on, "知道该人事处理之日")
    cite = (
        f"{_GWY_95}：可以自知道该人事处理之日起三十日内向原处理机关申请复核（rules.md DISC-16，置信度 Q-law）"
    )
    return Deadline(_days_after(known_on, 30, calendar), "申请复核", "DISC-16", cite)


def appeal_deadline(
    *,
    review_decision_received_on: dt.date | None = None,
    known_on: dt.date | None = None,
    calendar: WorkCalendar | None = None,
) -> Deadline:
    """The last day to lodge a 申诉 (DISC-16, 公务员法 第九十五条, Q-law).

    After a 复核: 15 days from receiving the 复核 decision. Without one: 30 days from knowing of
    the decision. Give exactly one of the two dates.
    """
    if (review_decision_received_on is None) == (known_on is None):
        raise inputs.RuleInputError(
            "请填写接到复核决定之日，或（不经复核直接申诉的）知道该人事处理之日，二者填其一。"
        )
    if review_decision_received_on is not None:
        inputs.day(review_decision_received_on, "接到复核决定之日")
        cite = (
            f"{_GWY_95}：对复核结果不服的，可以自接到复核决定之日起十五日内提出申诉"
            "（rules.md DISC-16，置信度 Q-law）"
        )
        return Deadline(_days_after(review_decision_received_on, 15, calendar), "提出申诉", "DISC-16", cite)
    assert known_on is not None
    inputs.day(known_on, "知道该人事处理之日")
    cite = (
        f"{_GWY_95}：也可以不经复核，自知道该人事处理之日起三十日内直接提出申诉"
        "（rules.md DISC-16，置信度 Q-law）"
    )
    return Deadline(_days_after(known_on, 30, calendar), "直接提出申诉", "DISC-16", cite)


def review_decision_due(
    application_received_on: dt.date, *, calendar: WorkCalendar | None = None
) -> Deadline:
    """The last day for the 复核决定: 30 days from receiving the application (DISC-16, 第九十六条)."""
    inputs.day(application_received_on, "接到复核申请书之日")
    cite = (
        f"{_GWY_96}：原处理机关应当自接到复核申请书后的三十日内作出复核决定（rules.md DISC-16，置信度 Q-law）"
    )
    return Deadline(_days_after(application_received_on, 30, calendar), "作出复核决定", "DISC-16", cite)


def appeal_decision_due(
    accepted_on: dt.date, *, extension_days: int = 0, calendar: WorkCalendar | None = None
) -> Deadline:
    """The last day to decide a 申诉: 60 days from acceptance, plus an extension of at most 30 days
    for a complex case (DISC-16, 第九十六条, Q-law)."""
    inputs.day(accepted_on, "受理申诉之日")
    inputs.whole(extension_days, "延长天数", maximum=30)
    cite = (
        f"{_GWY_96}：受理公务员申诉的机关应当自受理之日起六十日内作出处理决定；"
        f"案情复杂的，可以适当延长，但延长时间不得超过三十日（rules.md DISC-16，置信度 Q-law）"
    )
    return Deadline(
        _days_after(accepted_on, 60 + extension_days, calendar), "作出申诉处理决定", "DISC-16", cite
    )


# --- DISC-08 / DISC-09: county policy periods ------------------------------------------------------

_POLICY = {
    SanctionType.ADMONISHMENT: ("DISC-08", "诫勉"),
    SanctionType.ORGANIZATIONAL: ("DISC-09", "组织处理（问责、组织调整）"),
}


def policy_period(kind: SanctionType | str, decided_on: dt.date, *, months: int) -> SanctionPeriod:
    """The 影响期 of 诫勉 (DISC-08) or 组织处理 (DISC-09) from the county's number of months.

    No national text gives these numbers (rules.md: UNCONFIRMED), so ``months`` is the county's
    policy value, passed in by the caller with no default; the citation says so. The period runs
    from the decision day for ``months`` months (last day inclusive).
    """
    kind = SanctionType(kind)
    if kind not in _POLICY:
        raise inputs.RuleInputError(f"“{kind.label}”的影响期由处分条例规定，不按本县规定月数计算。")
    inputs.day(decided_on, "决定日期")
    inputs.whole(months, "影响期月数", minimum=1, maximum=120)
    rule, label = _POLICY[kind]
    citation = (
        f"{label}影响期{months}个月为本县规定，全国性规定未明确具体期限"
        f"（rules.md {rule}，UNCONFIRMED，全国性数字未见；月数可配置）"
    )
    return SanctionPeriod(kind, decided_on, period_last_day(decided_on, months), rule, citation)
