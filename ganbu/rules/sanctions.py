"""处分影响期: the period during which a sanction blocks promotion, computed from its kind and date.

- DISC-01 (《中华人民共和国公职人员政务处分法》第八条; 《公务员法》第六十四条; 《行政机关公务员处分条例》
  第六条, Q-law): 警告 6 months, 记过 12, 记大过 18, 降级 and 撤职 24; 开除 ends the employment (no
  period: its effect does not expire).
- DISC-02 (政务处分法 第八条, Q-law): the period runs from the day the decision takes effect, which is
  the day it is made.
- DISC-06 (《中国共产党纪律处分条例》第十条至第十二条, 2015/2018 texts, Q-off): 党内警告 1 year,
  党内严重警告 1½ years without promotion in the Party or recommendation to a higher post outside
  it; 撤销党内职务 2 years without an equal or higher post; 留党察看 1 or 2 years, after which
  for 2 more years no equal or higher post (so the promotion is blocked for 察看期 + 24 months);
  开除党籍 has no period that ends (five years pass before one may apply to join again).
- DISC-07 (2003 text, S): before the 2015 条例 came into force on 2016-01-01
  (:data:`PARTY_RULES_2015_IN_FORCE`) 党内严重警告 blocked for one year, like 党内警告. The 2024 text
  keeps 12/18 months.
- DISC-08 / DISC-09 (UNCONFIRMED): 诫勉 and 组织处理 have no national number; the officer states the
  end written in the decision.

Convention (docs/rules-catalogue.md, "Date conventions"): ``effective_until`` is the **last** day
of the 影响期, and the decision day is its first. A period of N months therefore ends on the day
before the same day N months later; when that month lacks the day (31 August + 6 months), the
period ends on that month's last day (28 or 29 February).

DISC-05 (several sanctions, a new one during a running period) is not computed here: each
sanction is recorded with its own period, and eligibility blocks while any of them runs.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from .workdays import cn_date

#: The 2015 《中国共产党纪律处分条例》 (18 months for 党内严重警告) came into force on this day.
PARTY_RULES_2015_IN_FORCE = dt.date(2016, 1, 1)

#: The months after the 察看期 during which a cadre under 留党察看 may not hold an equal or higher post.
PARTY_PROBATION_AFTER_MONTHS = 24


class SanctionType(StrEnum):
    """The kind of a sanction (处分种类), which decides its 影响期."""

    WARNING = "warning"
    DEMERIT = "demerit"
    MAJOR_DEMERIT = "major_demerit"
    DEMOTION = "demotion"
    DISMISSAL = "dismissal"
    EXPULSION = "expulsion"
    PARTY_WARNING = "party_warning"
    PARTY_SERIOUS_WARNING = "party_serious_warning"
    PARTY_POST_REMOVAL = "party_post_removal"
    PARTY_PROBATION_ONE_YEAR = "party_probation_1"
    PARTY_PROBATION_TWO_YEARS = "party_probation_2"
    PARTY_EXPULSION = "party_expulsion"
    ADMONISHMENT = "admonishment"
    ORGANIZATIONAL = "organizational"
    OTHER = "other"

    @property
    def label(self) -> str:
        """The kind in Chinese, as the decision names it."""
        return _RULES[self].label


@dataclass(frozen=True)
class _Rule:
    label: str
    months: int | None  # None: no period (permanent, or not prescribed nationally)
    permanent: bool
    rule: str
    basis: str  # Chinese, for users: the regulation and article
    confidence: str


_GOV = "《中华人民共和国公职人员政务处分法》第八条"
_PARTY_WARN = "《中国共产党纪律处分条例》第十条"
_PARTY_POST = "《中国共产党纪律处分条例》第十一条"
_PARTY_PROBATION = "《中国共产党纪律处分条例》第十二条"

_RULES: dict[SanctionType, _Rule] = {
    SanctionType.WARNING: _Rule("警告", 6, False, "DISC-01", f"{_GOV}：警告，六个月", "Q-law"),
    SanctionType.DEMERIT: _Rule("记过", 12, False, "DISC-01", f"{_GOV}：记过，十二个月", "Q-law"),
    SanctionType.MAJOR_DEMERIT: _Rule("记大过", 18, False, "DISC-01", f"{_GOV}：记大过，十八个月", "Q-law"),
    SanctionType.DEMOTION: _Rule("降级", 24, False, "DISC-01", f"{_GOV}：降级、撤职，二十四个月", "Q-law"),
    SanctionType.DISMISSAL: _Rule("撤职", 24, False, "DISC-01", f"{_GOV}：降级、撤职，二十四个月", "Q-law"),
    SanctionType.EXPULSION: _Rule(
        "开除", None, True, "DISC-01", f"{_GOV}：开除不设处分期，其影响不因期满而解除", "Q-law"
    ),
    SanctionType.PARTY_WARNING: _Rule(
        "党内警告", 12, False, "DISC-06", f"{_PARTY_WARN}：受到警告处分一年内不得在党内提升职务", "Q-off"
    ),
    SanctionType.PARTY_SERIOUS_WARNING: _Rule(
        "党内严重警告",
        18,
        False,
        "DISC-06",
        f"{_PARTY_WARN}：受到严重警告处分一年半内不得在党内提升职务",
        "Q-off",
    ),
    SanctionType.PARTY_POST_REMOVAL: _Rule(
        "撤销党内职务",
        24,
        False,
        "DISC-06",
        f"{_PARTY_POST}：受到撤销党内职务处分的，二年内不得担任与其原任职务相当或者高于其原任职务的职务",
        "Q-off",
    ),
    SanctionType.PARTY_PROBATION_ONE_YEAR: _Rule(
        "留党察看一年",
        12 + PARTY_PROBATION_AFTER_MONTHS,
        False,
        "DISC-06",
        f"{_PARTY_PROBATION}：察看期一年，恢复党员权利后二年内不得担任与其原任职务相当或者高于其原任职务的职务",
        "Q-off",
    ),
    SanctionType.PARTY_PROBATION_TWO_YEARS: _Rule(
        "留党察看二年",
        24 + PARTY_PROBATION_AFTER_MONTHS,
        False,
        "DISC-06",
        f"{_PARTY_PROBATION}：察看期二年，恢复党员权利后二年内不得担任与其原任职务相当或者高于其原任职务的职务",
        "Q-off",
    ),
    SanctionType.PARTY_EXPULSION: _Rule(
        "开除党籍", None, True, "DISC-06", "《中国共产党纪律处分条例》：开除党籍的影响不因期满而解除", "Q-off"
    ),
    SanctionType.ADMONISHMENT: _Rule(
        "诫勉", None, False, "DISC-08", "诫勉的影响期没有全国统一的规定，以诫勉决定为准", "UNCONFIRMED"
    ),
    SanctionType.ORGANIZATIONAL: _Rule(
        "组织处理",
        None,
        False,
        "DISC-09",
        "组织处理的影响期没有全国统一的规定，以处理决定为准",
        "UNCONFIRMED",
    ),
    SanctionType.OTHER: _Rule("其他处分", None, False, "", "其他处分的影响期以处分决定为准", ""),
}

# The 2003 text: 党内严重警告 blocked for one year (DISC-07, S).
_SERIOUS_WARNING_2003 = _Rule(
    "党内严重警告",
    12,
    False,
    "DISC-07",
    "《中国共产党纪律处分条例》(2003)：受到警告或者严重警告处分的，一年内不得在党内提升职务",
    "S",
)


@dataclass(frozen=True)
class ImpactPeriod:
    """The 影响期 a regulation gives a sanction decided on ``decided_on``.

    ``prescribed``: the regulation fixes it (a number of months, or no end at all for 开除 and
    开除党籍: ``permanent``); otherwise the end comes from the decision itself. ``until`` is the
    last day (``None`` when permanent or not prescribed). ``basis`` is the regulation and article
    in Chinese, for users; ``rule`` and ``citation`` for the specialist and the catalogue.
    """

    kind: SanctionType
    decided_on: dt.date
    months: int | None
    until: dt.date | None
    permanent: bool
    basis: str
    rule: str
    citation: str

    @property
    def prescribed(self) -> bool:
        """Whether the regulation decides the period (months, or permanence)."""
        return self.months is not None or self.permanent


class PeriodError(ValueError):
    """A stated 影响期 that cannot be accepted; ``field`` is the form field, ``str()`` the Chinese message."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


def period_last_day(start: dt.date, months: int) -> dt.date:
    """The last day of a period of ``months`` calendar months whose first day is ``start``.

    The day before the same day ``months`` later; if that month lacks the day, its last day.
    """
    if months < 1:
        raise ValueError("影响期的月数必须为正整数。")
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    if start.day > last:
        return dt.date(year, month, last)
    return dt.date(year, month, start.day) - dt.timedelta(days=1)


def impact_period(kind: SanctionType | str, decided_on: dt.date) -> ImpactPeriod:
    """The 影响期 of a sanction of ``kind`` decided on ``decided_on`` (DISC-01, DISC-02, DISC-06, DISC-07)."""
    kind = SanctionType(kind)
    rule = _RULES[kind]
    if kind is SanctionType.PARTY_SERIOUS_WARNING and decided_on < PARTY_RULES_2015_IN_FORCE:
        rule = _SERIOUS_WARNING_2003
    until = period_last_day(decided_on, rule.months) if rule.months is not None else None
    citation = f"{rule.basis}（rules.md {rule.rule}，置信度 {rule.confidence}）" if rule.rule else rule.basis
    return ImpactPeriod(
        kind=kind,
        decided_on=decided_on,
        months=rule.months,
        until=until,
        permanent=rule.permanent,
        basis=rule.basis,
        rule=rule.rule,
        citation=citation,
    )


def describe(period: ImpactPeriod) -> str:
    """The computed period in Chinese, e.g. ``警告，影响期六个月，至2024年9月14日``."""
    label = period.kind.label
    if period.permanent:
        return f"{label}的影响不因期满而解除"
    if period.until is None:
        return f"{label}的影响期以处理决定为准"
    return f"{label}，影响期{period.months}个月，至{cn_date(period.until)}"


MSG_UNTIL_BEFORE_DECISION = "影响期截止日期不能早于决定日期。"
MSG_NOT_PRESCRIBED = "{label}的影响期没有全国统一的规定，请按处理决定填写影响期截止日期。"
MSG_OVERRIDE_NEEDS_REASON = (
    "依{basis}，该{label}的影响期至{computed}；填写的截止日期{stated}与此不同，"
    "须在“调整理由”中说明依据（如处分决定另有规定）。"
)
MSG_PERMANENT_OVERRIDE_NEEDS_REASON = "依{basis}；填写影响期截止日期{stated}须在“调整理由”中说明依据。"
MSG_REASON_WITHOUT_DATE = "填写了调整理由，但没有填写调整后的影响期截止日期。"


def settle_effective_until(
    kind: SanctionType | str, *, decided_on: dt.date, stated: dt.date | None, reason: str = ""
) -> tuple[dt.date | None, str]:
    """The ``effective_until`` to store for a sanction and the override reason to record with it.

    Left blank, the end is the one the regulation gives (:func:`impact_period`). A stated end that
    differs from it is an override and needs a reason, which is recorded. For 诫勉, 组织处理 and
    other kinds with no national number the end must be stated (it is the decision's own).
    Raises :class:`PeriodError` naming the field at fault.
    """
    period = impact_period(kind, decided_on)
    reason = reason.strip()
    if stated is not None and stated < decided_on:
        raise PeriodError("effective_until", MSG_UNTIL_BEFORE_DECISION)
    if not period.prescribed:
        if stated is None:
            raise PeriodError("effective_until", MSG_NOT_PRESCRIBED.format(label=period.kind.label))
        return stated, reason
    if stated is None:
        if reason:
            raise PeriodError("effective_until", MSG_REASON_WITHOUT_DATE)
        return period.until, ""
    if stated == period.until:
        return stated, ""
    if not reason:
        if period.permanent:
            message = MSG_PERMANENT_OVERRIDE_NEEDS_REASON.format(basis=period.basis, stated=cn_date(stated))
        else:
            assert period.until is not None
            message = MSG_OVERRIDE_NEEDS_REASON.format(
                basis=period.basis,
                label=period.kind.label,
                computed=cn_date(period.until),
                stated=cn_date(stated),
            )
        raise PeriodError("period_override_reason", message)
    return stated, reason


_ORGANIZATIONAL_WORDS = ("组织处理", "调整职务", "责令辞职", "免职", "降职", "停职检查", "通报批评")
_BY_NAME = {
    "警告": SanctionType.WARNING,
    "记过": SanctionType.DEMERIT,
    "记大过": SanctionType.MAJOR_DEMERIT,
    "降级": SanctionType.DEMOTION,
    "撤职": SanctionType.DISMISSAL,
    "开除": SanctionType.EXPULSION,
    "开除公职": SanctionType.EXPULSION,
    "党内警告": SanctionType.PARTY_WARNING,
    "党内严重警告": SanctionType.PARTY_SERIOUS_WARNING,
    "严重警告": SanctionType.PARTY_SERIOUS_WARNING,
    "撤销党内职务": SanctionType.PARTY_POST_REMOVAL,
    "留党察看一年": SanctionType.PARTY_PROBATION_ONE_YEAR,
    "留党察看1年": SanctionType.PARTY_PROBATION_ONE_YEAR,
    "留党察看二年": SanctionType.PARTY_PROBATION_TWO_YEARS,
    "留党察看两年": SanctionType.PARTY_PROBATION_TWO_YEARS,
    "留党察看2年": SanctionType.PARTY_PROBATION_TWO_YEARS,
    "开除党籍": SanctionType.PARTY_EXPULSION,
}


def sanction_type_from_name(name: str) -> SanctionType:
    """The kind a sanction typed as free text names (``警告处分``, ``党内严重警告``, ``诫勉谈话`` …).

    For records made before the kind was a choice: an exact name (without spaces, a trailing
    ``处分`` and a leading ``政务``/``行政``/``党纪``) decides; else 诫勉 or organisational words; else
    :attr:`SanctionType.OTHER`, whose end stays as recorded.
    """
    text = "".join(name.split())
    text = text.removesuffix("处分")
    for prefix in ("政务", "行政", "党纪"):
        text = text.removeprefix(prefix)
    if text in _BY_NAME:
        return _BY_NAME[text]
    if "诫勉" in text:
        return SanctionType.ADMONISHMENT
    if any(word in text for word in _ORGANIZATIONAL_WORDS):
        return SanctionType.ORGANIZATIONAL
    return SanctionType.OTHER
