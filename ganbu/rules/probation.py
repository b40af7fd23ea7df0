"""任职试用期 (one-year probation after a promotion) and 任后反响 (feedback within a month).

- APPT-04 (2014条例 第四十二条, Q): 提拔担任非选举产生的厅局级以下 (一) 党委、人大常委会、政府、政协
  工作部门副职和内设机构领导职务，(二) 纪委内设机构领导职务，(三) 法院、检察院内设机构非人大常委会
  依法任命的领导职务 serve a one-year probation.
- APPT-05 (2019条例, article number assumed, **UNCONFIRMED**): the list reportedly adds 纪委监委
  派出机构 and 事业单位 leadership posts.
- APPT-06 (2014条例 第四十二条, Q): confirmed if competent at the end, otherwise removed from the post.
- APPT-07 (中组部《党政领导干部任职试用期暂行规定》(2001) 第二、三、七条, Q): probation runs from the
  day the 试用任职通知 is issued; it also applies when a non-leadership post holder moves to a
  leadership post of the same level; once confirmed, probation counts as time in post.
- 任后反响 (the seed, shared/docs/domain.md; a county practice, no national text): social feedback is
  collected within one month after the appointment and reported in writing.

Conventions. The probation **ends** on the anniversary of the notice date, like a birthday in
:mod:`ganbu.rules.dates` (a 29 February notice ends on 1 March of the next year): the cadre is on
probation from the notice date up to the day before that. "Within one month" ends on the same day
of the next month, or on that month's last day when it is shorter (民法典 第二百零二条).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from . import inputs
from .retirement import add_age
from .types import Reason
from .workdays import cn_date

_CITE_SCOPE_2014 = (
    "《党政领导干部选拔任用工作条例》(2014) 第四十二条：提拔担任非选举产生的厅局级以下领导职务的，"
    "实行任职试用期制度，试用期为一年（rules.md APPT-04，置信度 Q）"
)
_CITE_SCOPE_2019 = (
    "《党政领导干部选拔任用工作条例》(2019)：试用期范围另含纪委监委机关派出机构和事业单位领导职务（rules.md "
    "APPT-05，UNCONFIRMED，条号未见）"
)
_CITE_SAME_LEVEL = (
    "中共中央组织部《党政领导干部任职试用期暂行规定》(2001) 第三条：由非领导职务转任同级领导职务的，"
    "也实行试用期（rules.md APPT-07，置信度 Q）"
)
_CITE_START = (
    "《党政领导干部任职试用期暂行规定》(2001) 第七条：试用期从任免机关发出试用任职通知时计算；正式任职的，"
    "试用期计入任职时间（rules.md APPT-07，置信度 Q）"
)
_CITE_FEEDBACK = (
    "本县制度：干部调整任免后一个月内收集社会各界反响并书面报告（种子材料，地方做法，无全国性条文）"
)

#: The probation lasts one year (APPT-04, Q).
PROBATION_YEARS = 1


class Organ(StrEnum):
    """Where the post is, for the probation list (APPT-04, APPT-05)."""

    WORKING_DEPARTMENT = "working_department"
    DISCIPLINE_INTERNAL = "discipline_internal"
    DISCIPLINE_DISPATCHED = "discipline_dispatched"
    COURT_OR_PROCURATORATE_INTERNAL = "court_or_procuratorate_internal"
    PUBLIC_INSTITUTION = "public_institution"
    OTHER = "other"

    @property
    def label(self) -> str:
        """The organ in Chinese."""
        return {
            "working_department": "党委、人大常委会、政府、政协工作部门",
            "discipline_internal": "纪委（监委）机关内设机构",
            "discipline_dispatched": "纪委监委派出机构",
            "court_or_procuratorate_internal": "法院、检察院内设机构",
            "public_institution": "事业单位",
            "other": "其他机关单位",
        }[self.value]


class Role(StrEnum):
    """The kind of post within the organ."""

    CHIEF = "chief"
    DEPUTY = "deputy"
    INTERNAL_LEADER = "internal_leader"

    @property
    def label(self) -> str:
        """The role in Chinese."""
        return {"chief": "正职", "deputy": "副职", "internal_leader": "内设机构领导职务"}[self.value]


@dataclass(frozen=True)
class ProbationPostFacts:
    """The facts about an appointment that decide whether it carries a probation.

    ``elected``: the post is filled by election (选举产生). ``appointed_by_congress``: a court or
    procuratorate post the 人大常委会 appoints by law. ``is_promotion``: the appointment is a
    提拔. ``from_non_leadership_same_level``: a 非领导职务 holder moving to a leadership post of the
    same level (APPT-07). ``above_bureau_level``: the post is above 厅局级 (never in scope).
    """

    organ: Organ
    role: Role
    elected: bool = False
    appointed_by_congress: bool = False
    is_promotion: bool = True
    from_non_leadership_same_level: bool = False
    above_bureau_level: bool = False

    def __post_init__(self) -> None:
        """Refuse an organ or role outside the lists and yes/no facts that are not ``bool``."""
        if not isinstance(self.organ, Organ) or not isinstance(self.role, Role):
            raise inputs.RuleTypeError(f"机关类别或职务类别不在规定范围内：{self.organ!r}、{self.role!r}。")
        inputs.flag(self.elected, "是否选举产生")
        inputs.flag(self.appointed_by_congress, "是否人大常委会任命")
        inputs.flag(self.is_promotion, "是否提拔")
        inputs.flag(self.from_non_leadership_same_level, "是否由非领导职务转任同级领导职务")
        inputs.flag(self.above_bureau_level, "是否厅局级以上")


def probation_scope_reason(post: ProbationPostFacts, *, include_2019_additions: bool = True) -> Reason | None:
    """Why ``post`` needs a probation (APPT-04 Q, APPT-05 UNCONFIRMED, APPT-07 Q), or ``None`` if not.

    Applies to a 提拔 (or an APPT-07 same-level move from a non-leadership post) to a non-elected
    post at 厅局级 or below that is: a deputy post or an internal-organ leadership post of a
    working department; an internal-organ leadership post of the 纪委; an internal-organ post of a
    court or procuratorate that the 人大常委会 does not appoint; and, with
    ``include_2019_additions`` (default, because a missed probation is worse than an extra one),
    posts of 纪委监委派出机构 and 事业单位 leadership posts (2019, UNCONFIRMED). Chief posts of
    working departments are not on the list.
    """
    inputs.flag(include_2019_additions, "是否适用2019年条例新增范围")
    if post.elected or post.above_bureau_level:
        return None
    if not (post.is_promotion or post.from_non_leadership_same_level):
        return None
    citation = _CITE_SCOPE_2014 if post.is_promotion else f"{_CITE_SCOPE_2014}；{_CITE_SAME_LEVEL}"
    if post.organ is Organ.WORKING_DEPARTMENT and post.role in (Role.DEPUTY, Role.INTERNAL_LEADER):
        matched = f"{post.organ.label}{post.role.label}"
    elif post.organ is Organ.DISCIPLINE_INTERNAL and post.role is Role.INTERNAL_LEADER:
        matched = f"{post.organ.label}领导职务"
    elif post.organ is Organ.COURT_OR_PROCURATORATE_INTERNAL and not post.appointed_by_congress:
        matched = f"{post.organ.label}非人大常委会任命的领导职务"
    elif include_2019_additions and post.organ in (Organ.DISCIPLINE_DISPATCHED, Organ.PUBLIC_INSTITUTION):
        matched = f"{post.organ.label}领导职务"
        citation = f"{citation}；{_CITE_SCOPE_2019}"
    else:
        return None
    how = "提拔担任" if post.is_promotion else "由非领导职务转任同级"
    return Reason(
        rule="APPT-04",
        citation=citation,
        message=f"{how}非选举产生的{matched}，实行一年任职试用期。",
    )


def probation_required(post: ProbationPostFacts, *, include_2019_additions: bool = True) -> bool:
    """Whether the appointment carries a one-year probation (APPT-04 Q; APPT-05 UNCONFIRMED; APPT-07 Q).

    See :func:`probation_scope_reason` for the list and the parameter.
    """
    return probation_scope_reason(post, include_2019_additions=include_2019_additions) is not None


def probation_end(notice_date: dt.date, *, years: int = PROBATION_YEARS) -> dt.date:
    """The day the probation is complete: the anniversary of the 试用任职通知 (APPT-04, APPT-07, Q).

    A notice dated 29 February completes on 1 March of the next year (the birthday convention
    of :mod:`ganbu.rules.dates`). ``years`` is a whole number of at least 1 (APPT-04 sets one).
    """
    inputs.day(notice_date, "试用任职通知日期")
    inputs.whole(years, "试用期年数", minimum=1)
    return add_age(notice_date, years)


def on_probation(notice_date: dt.date, on: dt.date, *, years: int = PROBATION_YEARS) -> bool:
    """Whether ``on`` lies in the probation that started with the notice of ``notice_date`` (APPT-07, Q)."""
    inputs.day(on, "核对日期")
    return notice_date <= on < probation_end(notice_date, years=years)


def probation_ends_within(
    notice_date: dt.date, on: dt.date, days: int, *, years: int = PROBATION_YEARS
) -> bool:
    """Whether the probation (APPT-04, Q) completes within ``days`` days from ``on`` (``on`` included).

    For the "试用期即将届满" list: ``True`` when ``on <= end <= on + days``; an already completed
    probation is not "ending", so it is ``False`` (the service lists those as overdue).
    """
    inputs.day(on, "核对日期")
    inputs.whole(days, "天数")
    end = probation_end(notice_date, years=years)
    return on <= end <= on + dt.timedelta(days=days)


def probation_counts_toward_tenure(confirmed: bool) -> bool:
    """Whether the probation counts as time in the post (APPT-07, 暂行规定 第七条, Q; the seed says so).

    Yes once the cadre is confirmed (正式任职); if they are found not competent the 试任职务 is
    removed (APPT-06) and the time does not count toward that post. Tenure then runs from the
    appointment date (:mod:`ganbu.rules.tenure`).
    """
    return inputs.flag(confirmed, "是否正式任职")


def probation_start_reason(notice_date: dt.date) -> Reason:
    """A reason stating when the probation runs, for the 纪实 (APPT-07, Q)."""
    end = probation_end(notice_date)
    last = end - dt.timedelta(days=1)
    return Reason(
        rule="APPT-07",
        citation=_CITE_START,
        message=f"试用期自{cn_date(notice_date)}发出试用任职通知起计算，至{cn_date(last)}，{cn_date(end)}期满。",
    )


def one_month_after(day: dt.date) -> dt.date:
    """The last day of a one-month period from ``day``: the same day next month, or that month's last day.

    《民法典》第二百零二条: 按照月计算期间的，到期月的对应日为期间的最后一日；
    没有对应日的，月末日为期间的最后一日。
    """
    inputs.day(day, "起算日期")
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def feedback_due(appointment_date: dt.date) -> dt.date:
    """The last day to collect 任后反响: one month after the appointment (the seed county's practice).

    "在干部调整任免后的一个月内" (domain.md, local practice, no national text): 2025-01-31 → 2025-02-28.
    """
    return one_month_after(appointment_date)


def feedback_overdue_reason(appointment_date: dt.date, on: dt.date) -> Reason | None:
    """A reason when ``on`` is after the feedback deadline and no feedback was recorded (local practice)."""
    inputs.day(on, "核对日期")
    due = feedback_due(appointment_date)
    if on <= due:
        return None
    return Reason(
        rule="LOCAL-FEEDBACK",
        citation=_CITE_FEEDBACK,
        message=(
            f"{cn_date(appointment_date)}任职，任后反响应于{cn_date(due)}前收集并报告，"
            f"已逾期 {(on - due).days} 天。"
        ),
    )
