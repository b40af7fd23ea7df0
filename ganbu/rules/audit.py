"""经济责任审计: who is audited, and when an audit must be finished before a move.

Rules (rules.md §K; article numbers as seen there):

- AUD-01 (中办发〔1999〕20号《县级以下党政领导干部任期经济责任审计暂行规定》第二条, Q): the 正职 of
  the county's directly subordinate party and government organs, courts, procuratorates, mass
  organisations and public institutions, and the township 党委 and 政府 正职; the 实施细则 adds a
  deputy presiding over the work (主持工作的副职), for any length of time. State enterprises fall
  under a separate 1999 regulation, not encoded here.
- AUD-04 (中办国办《党政主要领导干部和国有企事业单位主要领导人员经济责任审计规定》(2019) 第四条, Q for
  part (一); the rest S): the 正职 of local 党委、政府、纪检监察机关、法院、检察院 at every level and
  of 党政工作部门、事业单位、人民团体, or a deputy who has presided over the work for **one year or
  more**; a state enterprise's legal representative or principal leader. The 2010 规定
  (中办发〔2010〕32号, S) had the same one-year deputy rule; it is applied as the 2019 text.
- AUD-02 (1999 暂行规定 第四条, Q): at the end of the term, or before 调任、转任、轮岗、免职、辞职、退休
  during it, the subject is audited **before** the move (先审后离): :func:`check_move`.
- AUD-03 (同上 第五条、第八条, Q): the 组织人事部门 or the 纪检监察机关 proposes (委托), the 审计机关
  carries it out, and the audit notice is served at least three days before the audit starts:
  :func:`check_audit_dates`.
- AUD-05 (2019 规定, 解读, S): in-term audits (任中审计) come first; the interval is county policy
  (no national number): :func:`due_in_term`.
- AUD-07 (《公务员法》(2018) 第九十一条, Q-law): a civil servant who resigns or is dismissed (辞退)
  is audited "when necessary" — a flag for the officer, never a block: :func:`exit_audit_flag`.
- AUD-06 (the prior audit before 讨论决定 in a selection) stays in ``ganbu.selection``; it can use
  :func:`is_audit_subject` for its "须经济责任审计" flag and :func:`check_audited_before` for the
  check itself, with its own event and citation.

Which regulation applies on a day: the sources seen give the 2010 规定's issue date (2010-10-12)
and only the month of the 2019 one (July 2019), not the days they came into force, so the
switch dates are parameters (:class:`RegulationDates`) with no default.

Dates (docs/rules-catalogue.md, "Date conventions"): "one year or more" presiding is reached on
the anniversary (as ``dates.age_on``; a 29 February start completes on 1 March); "three days
before" the start means served on or before ``start − 3 days``; "before the move" means the
audit finished on a day strictly before the move takes effect (rules.md: audit_date < move_date).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from . import inputs
from .dates import age_on
from .sanctions import period_last_day
from .types import Reason, Verdict
from .workdays import cn_date

_R1999 = "中办发〔1999〕20号《县级以下党政领导干部任期经济责任审计暂行规定》"
_R2019 = "《党政主要领导干部和国有企事业单位主要领导人员经济责任审计规定》(2019)"

CITE_SUBJECT_1999 = (
    f"{_R1999}第二条：县级直属党政机关、审判机关、检察机关、群众团体和事业单位的党政正职领导干部，"
    "乡、民族乡、镇的党委、人民政府正职领导干部；实施细则含主持工作的副职（rules.md AUD-01，置信度 Q）"
)
CITE_SUBJECT_2019 = (
    f"{_R2019}第四条：地方各级党委、政府、纪检监察机关、法院、检察院，党政工作部门、事业单位和人民团体等单位的"
    "正职领导干部或者主持工作一年以上的副职领导干部；国有企业法定代表人或实际行使相应职权的主要领导人员"
    "（rules.md AUD-04，置信度 Q 第（一）项，其余各项置信度 S）"
)
CITE_SUBJECT_2010 = (
    "中办发〔2010〕32号《党政主要领导干部和国有企业领导人员经济责任审计规定》第二条：正职领导干部或者"
    "主持工作一年以上的副职领导干部（rules.md AUD-04，置信度 S）"
)
CITE_BEFORE_MOVE = (
    f"{_R1999}第四条：任期届满，或者任期内办理调任、转任、轮岗、免职、辞职、退休等事项前，"
    "应当接受任期经济责任审计（先审后离）（rules.md AUD-02，置信度 Q）"
)
CITE_NOTICE = (
    f"{_R1999}第五条、第八条：由组织人事部门、纪检监察机关提出委托建议，审计机关实施；"
    "审计通知书在实施审计三日前送达（rules.md AUD-03，置信度 Q）"
)
CITE_IN_TERM = (
    f"{_R2019}：以任职期间审计为主，任中审计与离任审计相结合；任中审计的间隔为本县审计计划所定"
    "（rules.md AUD-05，置信度 S；间隔可配置，全国性数字未见）"
)
CITE_EXIT = (
    "《公务员法》(2018) 第九十一条：公务员辞职或者被辞退，离职前应当办理公务交接手续，必要时按照规定接受审计"
    "（rules.md AUD-07，置信度 Q-law）"
)


class Regulation(StrEnum):
    """The economic-responsibility audit regulation in force."""

    R1999 = "1999"
    R2010 = "2010"
    R2019 = "2019"


@dataclass(frozen=True)
class RegulationDates:
    """The days the 2010 and 2019 regulations came into force, as the county has them on file.

    Not defaulted: the sources seen show the 2010 规定's issue date (2010-10-12) and the 2019
    规定's month (July 2019), not the days they took effect.
    """

    r2010: dt.date
    r2019: dt.date

    def __post_init__(self) -> None:
        inputs.day(self.r2010, "2010年规定施行日期")
        inputs.day(self.r2019, "2019年规定施行日期")
        if not self.r2010 < self.r2019:
            raise inputs.RuleInputError("2010年规定的施行日期应早于2019年规定的施行日期。")


def regulation_on(day: dt.date, dates: RegulationDates) -> Regulation:
    """The regulation in force on ``day`` (the 1999 暂行规定 before the 2010 规定)."""
    inputs.day(day, "日期")
    if day >= dates.r2019:
        return Regulation.R2019
    if day >= dates.r2010:
        return Regulation.R2010
    return Regulation.R1999


class UnitKind(StrEnum):
    """The kind of unit a leading post belongs to, as the audit regulations list them."""

    PARTY_COMMITTEE = "party_committee"
    GOVERNMENT = "government"
    DISCIPLINE = "discipline"
    COURT = "court"
    PROCURATORATE = "procuratorate"
    WORK_DEPARTMENT = "work_department"
    PUBLIC_INSTITUTION = "public_institution"
    MASS_ORGANIZATION = "mass_organization"
    STATE_ENTERPRISE = "state_enterprise"
    OTHER = "other"


class UnitLevel(StrEnum):
    """Where the unit stands in the county: the county itself, directly under it, or a township."""

    COUNTY = "county"
    COUNTY_DIRECT = "county_direct"
    TOWNSHIP = "township"


class Role(StrEnum):
    """The holder's role in the unit's leadership."""

    PRINCIPAL = "principal"
    DEPUTY = "deputy"

    @property
    def label(self) -> str:
        """The role in Chinese."""
        return {"principal": "正职", "deputy": "副职"}[self.value]


@dataclass(frozen=True)
class LeadingPost:
    """A leading post held by a cadre, as the audit rules need it.

    ``presiding_since``: for a deputy presiding over the work (主持工作), the day it began; ``None``
    for a deputy who does not preside (ignored for a 正职).
    """

    unit_kind: UnitKind
    level: UnitLevel
    role: Role
    presiding_since: dt.date | None = None

    def __post_init__(self) -> None:
        # Accept the stored text values; compare as enums below.
        object.__setattr__(self, "unit_kind", UnitKind(self.unit_kind))
        object.__setattr__(self, "level", UnitLevel(self.level))
        object.__setattr__(self, "role", Role(self.role))
        inputs.optional_day(self.presiding_since, "主持工作起始日期")


_1999_COUNTY_DIRECT = frozenset(
    {
        UnitKind.PARTY_COMMITTEE,
        UnitKind.GOVERNMENT,
        UnitKind.DISCIPLINE,
        UnitKind.COURT,
        UnitKind.PROCURATORATE,
        UnitKind.WORK_DEPARTMENT,
        UnitKind.PUBLIC_INSTITUTION,
        UnitKind.MASS_ORGANIZATION,
    }
)
_1999_TOWNSHIP = frozenset({UnitKind.PARTY_COMMITTEE, UnitKind.GOVERNMENT})


@dataclass(frozen=True)
class SubjectAnswer:
    """Whether a post is an audit subject, why, and under which regulation."""

    subject: bool
    regulation: Regulation
    reason: Reason


def audit_subject(post: LeadingPost, on: dt.date, *, regulation: Regulation) -> SubjectAnswer:
    """Whether ``post`` makes its holder an audit subject on ``on`` (AUD-01, AUD-04).

    1999 (AUD-01, Q): the 正职 — or a deputy presiding over the work, however long — of a unit
    directly under the county (党政机关、纪委、法院、检察院、群团、事业单位) or of a township
    党委/政府; the county's own leaders and state enterprises are outside this regulation.
    2010/2019 (AUD-04): any of the listed kinds at any level; a deputy only after presiding for
    one year or more on ``on`` (the anniversary counts); in a state enterprise the principal only.
    The reason's message names the fact that decided.
    """
    inputs.day(on, "日期")
    regulation = Regulation(regulation)
    role, since = post.role, post.presiding_since
    if regulation is Regulation.R1999:
        rule, cite = "AUD-01", CITE_SUBJECT_1999
        listed = (post.level is UnitLevel.COUNTY_DIRECT and post.unit_kind in _1999_COUNTY_DIRECT) or (
            post.level is UnitLevel.TOWNSHIP and post.unit_kind in _1999_TOWNSHIP
        )
        if not listed:
            return SubjectAnswer(
                False, regulation, Reason(rule, cite, "该单位不在1999年暂行规定所列审计对象单位范围内。")
            )
        if role is Role.PRINCIPAL:
            return SubjectAnswer(True, regulation, Reason(rule, cite, "该单位正职领导干部，属于审计对象。"))
        if since is not None and since <= on:
            message = f"自{cn_date(since)}主持工作的副职，属于审计对象。"
            return SubjectAnswer(True, regulation, Reason(rule, cite, message))
        return SubjectAnswer(False, regulation, Reason(rule, cite, "不主持工作的副职，不属于审计对象。"))

    rule, cite = "AUD-04", CITE_SUBJECT_2019 if regulation is Regulation.R2019 else CITE_SUBJECT_2010
    if post.unit_kind is UnitKind.OTHER:
        return SubjectAnswer(False, regulation, Reason(rule, cite, "该单位不在所列审计对象单位范围内。"))
    if role is Role.PRINCIPAL:
        return SubjectAnswer(
            True, regulation, Reason(rule, cite, "该单位正职（主要）领导人员，属于审计对象。")
        )
    if post.unit_kind is UnitKind.STATE_ENTERPRISE:
        return SubjectAnswer(False, regulation, Reason(rule, cite, "国有企业的副职领导人员不属于审计对象。"))
    if since is None or since > on:
        return SubjectAnswer(False, regulation, Reason(rule, cite, "不主持工作的副职，不属于审计对象。"))
    if age_on(since, on) >= 1:
        message = f"自{cn_date(since)}主持工作，至{cn_date(on)}已满一年，属于审计对象。"
        return SubjectAnswer(True, regulation, Reason(rule, cite, message))
    message = f"自{cn_date(since)}主持工作，至{cn_date(on)}未满一年，不属于审计对象。"
    return SubjectAnswer(False, regulation, Reason(rule, cite, message))


def is_audit_subject(post: LeadingPost, on: dt.date, *, regulation: Regulation) -> bool:
    """Shorthand for ``audit_subject(...).subject`` (AUD-01, AUD-04)."""
    return audit_subject(post, on, regulation=regulation).subject


class Commissioner(StrEnum):
    """Who proposed (委托) the audit."""

    ORGANIZATION = "organization"
    DISCIPLINE = "discipline"
    OTHER = "other"

    @property
    def label(self) -> str:
        """The body in Chinese."""
        return {"organization": "组织人事部门", "discipline": "纪检监察机关", "other": "其他机关"}[self.value]


@dataclass(frozen=True)
class AuditRecord:
    """One economic-responsibility audit of a cadre's tenure, as far as it has gone.

    Dates not yet reached are ``None``. ``by_audit_office``: carried out by the 审计机关.
    """

    commissioned_on: dt.date | None = None
    commissioned_by: Commissioner = Commissioner.ORGANIZATION
    notice_served_on: dt.date | None = None
    started_on: dt.date | None = None
    finished_on: dt.date | None = None
    by_audit_office: bool = True

    def __post_init__(self) -> None:
        inputs.optional_day(self.commissioned_on, "委托日期")
        object.__setattr__(self, "commissioned_by", Commissioner(self.commissioned_by))
        inputs.optional_day(self.notice_served_on, "审计通知书送达日期")
        inputs.optional_day(self.started_on, "实施审计日期")
        inputs.optional_day(self.finished_on, "审计完成日期")
        inputs.flag(self.by_audit_office, "是否由审计机关实施")

    def open_on(self, day: dt.date) -> bool:
        """Whether the audit is open on ``day``: from its commission (or start) until, excluding,
        the day it finished — the half-open reading of ``exits.ProceedingFacts`` (DISC-14), so a
        service can hand an open audit to the resignation check as an ``AUDIT`` proceeding."""
        inputs.day(day, "日期")
        begun = self.commissioned_on or self.started_on
        return begun is not None and begun <= day and (self.finished_on is None or day < self.finished_on)


#: Days between serving the audit notice and starting the audit (AUD-03: "三日前").
NOTICE_DAYS = 3


def check_audit_dates(record: AuditRecord) -> Verdict:
    """Refuse an audit's recorded dates or bodies that break AUD-03 (1999 暂行规定 第五、八条, Q).

    Proposed by the 组织人事部门 or the 纪检监察机关 and carried out by the 审计机关; the notice
    served on or before the start day minus three days (served on the 7th, start on the 10th:
    in time; served on the 8th: late); the dates in order (委托 ≤ 送达, 实施 ≤ 完成). Every fault
    found is a reason.
    """
    reasons: list[Reason] = []

    def fail(message: str) -> None:
        reasons.append(Reason("AUD-03", CITE_NOTICE, message))

    r = record
    if r.commissioned_by is Commissioner.OTHER:
        fail("经济责任审计应由组织人事部门或纪检监察机关提出委托建议。")
    if not r.by_audit_office:
        fail("经济责任审计应由审计机关实施。")
    if r.started_on is not None:
        latest = r.started_on - dt.timedelta(days=NOTICE_DAYS)
        if r.notice_served_on is None:
            fail(
                f"{cn_date(r.started_on)}实施审计，未登记审计通知书送达日期（应不晚于{cn_date(latest)}送达）。"
            )
        elif r.notice_served_on > latest:
            fail(
                f"审计通知书于{cn_date(r.notice_served_on)}送达，{cn_date(r.started_on)}实施审计，"
                f"不足三日；应不晚于{cn_date(latest)}送达。"
            )
    if r.commissioned_on and r.notice_served_on and r.notice_served_on < r.commissioned_on:
        fail(f"审计通知书送达日期{cn_date(r.notice_served_on)}早于委托日期{cn_date(r.commissioned_on)}。")
    if r.finished_on is not None and r.started_on is None:
        fail(f"审计于{cn_date(r.finished_on)}完成，未登记实施审计日期。")
    elif r.finished_on is not None and r.started_on is not None and r.finished_on < r.started_on:
        fail(f"审计完成日期{cn_date(r.finished_on)}早于实施审计日期{cn_date(r.started_on)}。")
    return Verdict.failed(*reasons) if reasons else Verdict.passed()


def check_audited_before(
    audits: Sequence[AuditRecord], day: dt.date, *, rule: str, citation: str, event: str
) -> Verdict:
    """Whether one of ``audits`` finished strictly before ``day`` (the day ``event`` happens).

    The caller passes the audits of the tenure in question. A refusal names where the audit
    stands: none commissioned, commissioned on a day and not finished, or finished too late.
    Shared by AUD-02 (:func:`check_move`) and the selection's prior audit (AUD-06), which pass
    their own ``rule``, ``citation`` and ``event`` (e.g. ``调任生效``, ``讨论决定``).
    """
    inputs.day(day, "日期")
    if any(a.finished_on is not None and a.finished_on < day for a in audits):
        return Verdict.passed()
    finished = [a.finished_on for a in audits if a.finished_on is not None]
    commissioned = [a.commissioned_on for a in audits if a.commissioned_on is not None]
    if finished:
        message = (
            f"经济责任审计于{cn_date(min(finished))}完成，不早于{event}日期{cn_date(day)}；"
            f"审计应在{event}前完成。"
        )
    elif commissioned:
        message = f"经济责任审计已于{cn_date(max(commissioned))}委托，尚未完成；审计完成前不得{event}。"
    elif audits:
        message = f"经济责任审计尚未完成；审计完成前不得{event}。"
    else:
        message = f"尚未进行经济责任审计；审计完成前不得{event}（{cn_date(day)}）。"
    return Verdict.failed(Reason(rule, citation, message))


class Move(StrEnum):
    """A change that ends the tenure under audit (AUD-02)."""

    TERM_END = "term_end"
    TRANSFER = "transfer"
    CROSS_TRANSFER = "cross_transfer"
    ROTATION = "rotation"
    REMOVAL = "removal"
    RESIGNATION = "resignation"
    RETIREMENT = "retirement"

    @property
    def label(self) -> str:
        """The move in Chinese."""
        return {
            "term_end": "任期届满离任",
            "transfer": "调任",
            "cross_transfer": "转任",
            "rotation": "轮岗",
            "removal": "免职",
            "resignation": "辞职",
            "retirement": "退休",
        }[self.value]


def check_move(move: Move, effective_on: dt.date, *, subject: bool, audits: Sequence[AuditRecord]) -> Verdict:
    """May ``move`` take effect on ``effective_on``? (AUD-02, 先审后离, Q).

    Only for an audit subject (``subject``, from :func:`is_audit_subject` on the day of the move):
    blocked until one of ``audits`` (those of the tenure being left) finished before that day.
    Everyone else passes.
    """
    move = Move(move)
    inputs.flag(subject, "是否经济责任审计对象")
    inputs.day(effective_on, "生效日期")
    if not subject:
        return Verdict.passed()
    return check_audited_before(
        audits, effective_on, rule="AUD-02", citation=CITE_BEFORE_MOVE, event=f"{move.label}生效"
    )


@dataclass(frozen=True)
class InTermSubject:
    """An audit subject still in post: ``key`` identifies them for the caller."""

    key: str
    tenure_start: dt.date
    last_audit_finished: dt.date | None = None

    def __post_init__(self) -> None:
        inputs.text(self.key, "标识")
        inputs.day(self.tenure_start, "任职日期")
        inputs.optional_day(self.last_audit_finished, "上次审计完成日期")


@dataclass(frozen=True)
class InTermDue:
    """A subject due for an in-term audit since ``due_on`` (AUD-05)."""

    key: str
    due_on: dt.date
    reason: Reason


def due_in_term(subjects: Sequence[InTermSubject], on: dt.date, *, interval_months: int) -> list[InTermDue]:
    """The subjects due for an in-term audit on ``on``, earliest due first (AUD-05, S).

    ``interval_months`` is the county's audit plan interval (no national number; no default).
    A subject is due on the day ``interval_months`` after the later of taking office and the last
    audit's finish (the day after :func:`~ganbu.rules.sanctions.period_last_day`), and from then on.
    """
    inputs.day(on, "日期")
    inputs.whole(interval_months, "任中审计间隔月数", minimum=1, maximum=240)
    due: list[InTermDue] = []
    for s in subjects:
        since = max(s.tenure_start, s.last_audit_finished or s.tenure_start)
        due_on = period_last_day(since, interval_months) + dt.timedelta(days=1)
        if due_on <= on:
            last = (
                f"上次审计完成于{cn_date(s.last_audit_finished)}"
                if s.last_audit_finished
                else "任职以来未审计"
            )
            message = (
                f"{cn_date(s.tenure_start)}任职，{last}，"
                f"按{interval_months}个月的间隔自{cn_date(due_on)}起应进行任中审计。"
            )
            due.append(InTermDue(s.key, due_on, Reason("AUD-05", CITE_IN_TERM, message)))
    due.sort(key=lambda d: (d.due_on, d.key))
    return due


class CivilServantExit(StrEnum):
    """How a civil servant leaves (AUD-07 names two of them)."""

    RESIGNATION = "resignation"
    DISMISSAL = "dismissal"
    OTHER = "other"


def exit_audit_flag(exit_kind: CivilServantExit) -> Reason | None:
    """A reminder (never a block) that a resigning or dismissed civil servant is audited when
    necessary before leaving (AUD-07, 公务员法 第九十一条, Q-law); ``None`` for other exits."""
    exit_kind = CivilServantExit(exit_kind)
    if exit_kind is CivilServantExit.OTHER:
        return None
    label = "辞职" if exit_kind is CivilServantExit.RESIGNATION else "被辞退"
    return Reason("AUD-07", CITE_EXIT, f"公务员{label}，离职前办理公务交接；请确认是否需要进行审计。")
