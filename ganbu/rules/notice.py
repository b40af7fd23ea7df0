"""任前公示 (public notice before appointment): when it may start and how long it must last.

Effective-dated, because the rule changed (rules.md "Version changes"):

- APPT-03 (S): 中组部《关于推行党政领导干部任前公示制的意见》(中组发〔2000〕18号): 公示期一般为
  7—15 天 (calendar days); the rule of the ~2003 seed document.
- APPT-02 (Q): 2014条例 第四十一条, kept as 2019条例 第四十二条: 公示期不少于五个工作日.

Both ends of a notice period are included: a notice "自9月29日至10月10日" lasts from the morning of
the first day to the end of the last. Days are 工作日 of a :class:`~ganbu.rules.workdays.WorkCalendar`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from .types import Reason, Verdict
from .workdays import WorkCalendar, cn_date

# rules.md gives the 2014条例 only as "the 2014-01 revision" with no exact date. 2014-01-14 is the
# date 中共中央 is reported to have issued it (Xinhua published it on 2014-01-15; the 条例 applies
# "自发布之日起"); both dates are UNCONFIRMED against the official text. A decision taken on or after
# this date is checked against the 5-working-day rule. Pass other ``versions`` to change it.
RULE_2014_IN_FORCE = dt.date(2014, 1, 14)

_CITE_APPT_01 = (
    "《党政领导干部选拔任用工作条例》(2014) 第四十一条、(2019) 第四十二条：在党委（党组）讨论决定后、"
    "下发任职通知前进行公示（rules.md APPT-01，置信度 Q）"
)
_CITE_APPT_02 = (
    "《党政领导干部选拔任用工作条例》(2014) 第四十一条、(2019) 第四十二条："
    "公示期不少于五个工作日（rules.md APPT-02，置信度 Q；施行日期按 2014年1月14日计，UNCONFIRMED）"
)
_CITE_APPT_03 = (
    "中共中央组织部《关于推行党政领导干部任前公示制的意见》(中组发〔2000〕18号)："
    "公示期一般为7—15天（rules.md APPT-03，置信度 S；原文未见）"
)


class PeriodUnit(StrEnum):
    """How a notice period is counted."""

    CALENDAR_DAYS = "calendar_days"
    WORKDAYS = "workdays"

    @property
    def label(self) -> str:
        """``天`` or ``个工作日`` as used after a number in messages."""
        return "天" if self is PeriodUnit.CALENDAR_DAYS else "个工作日"


@dataclass(frozen=True)
class NoticeRule:
    """One version of the notice-period rule, in force for decisions in [effective_from, effective_until).

    ``maximum`` is ``None`` when the rule sets no upper bound. ``name`` names the version in
    messages; ``rule`` is the rules.md ID.
    """

    rule: str
    name: str
    citation: str
    unit: PeriodUnit
    minimum: int
    maximum: int | None
    effective_from: dt.date | None
    effective_until: dt.date | None

    def in_force_on(self, day: dt.date) -> bool:
        """Whether a decision taken on ``day`` falls under this version."""
        after_start = self.effective_from is None or self.effective_from <= day
        before_end = self.effective_until is None or day < self.effective_until
        return after_start and before_end


NOTICE_RULES: tuple[NoticeRule, ...] = (
    NoticeRule(
        rule="APPT-03",
        name="2000年中组部任前公示制意见（公示期一般为7—15天）",
        citation=_CITE_APPT_03,
        unit=PeriodUnit.CALENDAR_DAYS,
        minimum=7,
        maximum=15,
        effective_from=None,
        effective_until=RULE_2014_IN_FORCE,
    ),
    NoticeRule(
        rule="APPT-02",
        name="2014年、2019年《党政领导干部选拔任用工作条例》（公示期不少于五个工作日）",
        citation=_CITE_APPT_02,
        unit=PeriodUnit.WORKDAYS,
        minimum=5,
        maximum=None,
        effective_from=RULE_2014_IN_FORCE,
        effective_until=None,
    ),
)


def notice_rule_on(decided_on: dt.date, versions: Sequence[NoticeRule] = NOTICE_RULES) -> NoticeRule:
    """The notice rule in force for a decision taken on ``decided_on`` (APPT-02 Q / APPT-03 S).

    Raises ``ValueError`` when no version, or more than one, covers that date.
    """
    found = [v for v in versions if v.in_force_on(decided_on)]
    if len(found) != 1:
        raise ValueError(
            f"{cn_date(decided_on)} 作出的决定没有唯一适用的任前公示规定（找到 {len(found)} 个）。"
        )
    return found[0]


def _length(rule: NoticeRule, start: dt.date, end: dt.date, calendar: WorkCalendar | None) -> int:
    if rule.unit is PeriodUnit.CALENDAR_DAYS:
        return (end - start).days + 1
    if calendar is None:
        raise ValueError("按工作日计算公示期需要工作日历。")
    return calendar.workdays_between(start, end)


def exceeds_general_maximum(
    start: dt.date,
    end: dt.date,
    calendar: WorkCalendar | None,
    decided_on: dt.date,
    versions: Sequence[NoticeRule] = NOTICE_RULES,
) -> bool:
    """Whether the period is longer than the general maximum of the version in force (APPT-03 S: 15 天).

    Only a version with a maximum can be exceeded (the 2014/2019 条例 set none). Such a period is
    allowed with a recorded reason (:func:`check_notice_period`'s ``over_maximum_reason``).
    """
    if end < start:
        return False
    rule = notice_rule_on(decided_on, versions)
    return rule.maximum is not None and _length(rule, start, end, calendar) > rule.maximum


def check_notice_period(
    start: dt.date,
    end: dt.date,
    calendar: WorkCalendar | None,
    decided_on: dt.date,
    versions: Sequence[NoticeRule] = NOTICE_RULES,
    *,
    over_maximum_reason: str = "",
) -> Verdict:
    """Check a 任前公示 period against the version in force on ``decided_on`` (APPT-01/02/03).

    - APPT-01 (2014条例 第41条 / 2019条例 第42条, Q): the notice starts on or after the decision day.
    - APPT-02 (Q): decisions from 2014-01-14 (date UNCONFIRMED, see :data:`RULE_2014_IN_FORCE`): at
      least 5 工作日, both end days counted; needs ``calendar`` and raises
      :class:`~ganbu.rules.workdays.CalendarNotCovered` when a day of the period is in a year the
      calendar does not cover (the service shows its message to the administrator).
    - APPT-03 (S): earlier decisions: 7–15 calendar days, both end days counted. The text says
      "一般为7—15天": a longer notice only gives the public more time, so it passes when
      ``over_maximum_reason`` records why (the passing reason then carries it); without one it
      fails saying that it exceeds the general maximum and needs a reason. A shorter one never
      passes: the minimum protects the public's chance to object.

    A passing verdict carries one explanatory reason naming the version and the length, so the
    纪实 can show why the period was accepted; a failing one names the failing fact.
    """
    if end < start:
        return Verdict.failed(
            Reason(
                rule="APPT-02",
                citation=_CITE_APPT_02,
                message=f"公示截止日期{cn_date(end)}早于开始日期{cn_date(start)}。",
            )
        )
    rule = notice_rule_on(decided_on, versions)
    reasons: list[Reason] = []
    if start < decided_on:
        reasons.append(
            Reason(
                rule="APPT-01",
                citation=_CITE_APPT_01,
                message=(
                    f"公示自{cn_date(start)}开始，早于{cn_date(decided_on)}党委（党组）讨论决定；"
                    "任前公示应在讨论决定之后进行。"
                ),
            )
        )
    length = _length(rule, start, end, calendar)
    span = f"公示期自{cn_date(start)}至{cn_date(end)}，共 {length} {rule.unit.label}"
    if length < rule.minimum:
        reasons.append(
            Reason(
                rule=rule.rule,
                citation=rule.citation,
                message=(
                    f"公示期自{cn_date(start)}至{cn_date(end)}，仅 {length} {rule.unit.label}，"
                    f"少于规定的 {rule.minimum} {rule.unit.label}（适用{rule.name}）。"
                ),
            )
        )
    elif rule.maximum is not None and length > rule.maximum and not over_maximum_reason.strip():
        reasons.append(
            Reason(
                rule=rule.rule,
                citation=rule.citation,
                message=(
                    f"{span}，超过一般规定的 {rule.maximum} {rule.unit.label}（适用{rule.name}）；"
                    "公示期超过一般期限的，须写明理由。"
                ),
            )
        )
    if reasons:
        return Verdict.failed(*reasons)
    if rule.maximum is not None and length > rule.maximum:
        return Verdict(
            ok=True,
            reasons=(
                Reason(
                    rule=rule.rule,
                    citation=rule.citation,
                    message=(
                        f"{span}，超过一般规定的 {rule.maximum} {rule.unit.label}（适用{rule.name}），"
                        f"理由：{over_maximum_reason.strip().rstrip('。')}。"
                    ),
                ),
            ),
        )
    bound = f"{rule.minimum}—{rule.maximum}" if rule.maximum is not None else f"不少于 {rule.minimum}"
    return Verdict(
        ok=True,
        reasons=(
            Reason(
                rule=rule.rule,
                citation=rule.citation,
                message=f"{span}，符合规定（{bound} {rule.unit.label}，适用{rule.name}）。",
            ),
        ),
    )


def notice_end_for(
    start: dt.date,
    calendar: WorkCalendar | None,
    decided_on: dt.date,
    versions: Sequence[NoticeRule] = NOTICE_RULES,
) -> dt.date:
    """The earliest end date a notice starting on ``start`` may have (APPT-02 Q / APPT-03 S).

    Under APPT-02 it is the 5th 工作日 counting ``start`` itself (so a notice posted on a holiday
    starts counting at the next workday); under APPT-03 it is ``start`` + 6 days (7 calendar days).
    Raises :class:`~ganbu.rules.workdays.CalendarNotCovered` outside the calendar's years.
    """
    rule = notice_rule_on(decided_on, versions)
    if rule.unit is PeriodUnit.CALENDAR_DAYS:
        return start + dt.timedelta(days=rule.minimum - 1)
    if calendar is None:
        raise ValueError("按工作日计算公示期需要工作日历。")
    return calendar.add_workdays(start - dt.timedelta(days=1), rule.minimum)
