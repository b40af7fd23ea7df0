"""The ways down and out of leadership (能上能下): pure checks for each exit and the incompetence path.

Each check returns a :class:`~ganbu.rules.types.Verdict` whose reason names the rule (a rules.md ID
where one exists), the article, and the failing fact in Chinese. The ages and dates come from
:mod:`ganbu.rules.retirement` (statutory schedule, 周岁 reached on the birthday); this module adds
what the exits need on top of it:

- 离岗退养 (RET-06, the seed county's own rule, no national basis): only a leader, only from the
  day the county age in force **on the effective date** is reached; and the day within a year on
  which a leader reaches the age when the county changes the age during that year.
- 退休 (RET-01 Q-law, RET-02 Q-law, RET-03 S): not before the statutory retirement month (the
  official 对照表 gives a month; any day of it is accepted) unless an early ground of 公务员法
  第九十二、九十三条 is given and, where the record allows, holds.
- 辞职 (DISC-14 Q-law, 公务员法 第八十六条第（四）项): refused while an audit, discipline review,
  supervisory investigation or judicial procedure is open.
- 降职 (EVAL-02 Q-law, 公务员法 第五十条): the new rank must be lower.
- The incompetence path (seed 一(三), EVAL-10 S local): evaluation → inspection → adjustment, one
  transition table so no step can be skipped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from . import inputs
from .dates import age_on
from .retirement import (
    Gender,
    RetirementCategory,
    add_age,
    early_exit_age,
    early_exit_date,
    parse_gender,
    statutory_retirement_age,
    statutory_retirement_date,
    statutory_retirement_month,
)
from .types import Reason, Verdict
from .workdays import cn_date

_ONE_DAY = dt.timedelta(days=1)


class ExitKind(StrEnum):
    """The ways down and out (domain.md glossary; seed 一(三))."""

    EARLY_EXIT = "early_exit"
    REASSIGN_NON_LEADERSHIP = "reassign_non_leadership"
    REMOVAL = "removal"
    DEMOTION = "demotion"
    RESIGNATION_ENTIRE = "resignation_entire"
    RESIGNATION_POST = "resignation_post"
    RETIREMENT = "retirement"

    @property
    def label(self) -> str:
        """The Chinese name of the exit."""
        return _EXIT_LABELS[self]


_EXIT_LABELS: dict[ExitKind, str] = {
    ExitKind.EARLY_EXIT: "离岗退养",
    ExitKind.REASSIGN_NON_LEADERSHIP: "改任非领导职务",
    ExitKind.REMOVAL: "免职",
    ExitKind.DEMOTION: "降职",
    ExitKind.RESIGNATION_ENTIRE: "辞去公职",
    ExitKind.RESIGNATION_POST: "辞去领导职务",
    ExitKind.RETIREMENT: "退休",
}

#: Exits after which the cadre no longer works: every current tenure ends, the status changes.
LEAVING_KINDS = frozenset({ExitKind.EARLY_EXIT, ExitKind.RETIREMENT, ExitKind.RESIGNATION_ENTIRE})
#: Exits that only make sense for someone holding a leadership post on the effective date.
NEEDS_LEADERSHIP = frozenset(
    {
        ExitKind.EARLY_EXIT,
        ExitKind.REASSIGN_NON_LEADERSHIP,
        ExitKind.REMOVAL,
        ExitKind.RESIGNATION_POST,
    }
)
#: The adjustments that may conclude an incompetence case (seed 一(三): 调整、免职或降职).
CASE_OUTCOMES = frozenset({ExitKind.REMOVAL, ExitKind.DEMOTION, ExitKind.REASSIGN_NON_LEADERSHIP})


# ---------------------------------------------------------------- status and leadership

_CITE_LEADERSHIP = (
    "离岗退养、改任非领导职务、免职和辞去领导职务都是从领导职务上退下来（seed 一(三)；"
    "《公务员法》第五十条、第八十七条），以在生效日担任领导职务为前提"
)
_CITE_STATUS = "只有在职（或离岗退养后待退休）的干部才能办理退出领导岗位或退休的手续"


def check_status(*, name: str, kind: ExitKind, status_label: str, allowed: bool) -> Verdict:
    """Whether the cadre's status allows this exit (``allowed`` is decided by the caller's status table).

    A retired or resigned cadre cannot leave again; a cadre in 离岗退养 may still retire. Rule
    ``EXIT-STATUS`` (system rule, no regulation needed: the record must describe one person's one
    path out).
    """
    if inputs.flag(allowed, "状态是否允许"):
        return Verdict.passed()
    return Verdict.failed(
        Reason(
            rule="EXIT-STATUS",
            citation=_CITE_STATUS,
            message=f"{name} 当前状态为「{status_label}」，不能办理{kind.label}。",
        )
    )


def check_holds_leadership(
    *, name: str, kind: ExitKind, on: dt.date, leadership_posts: Sequence[str]
) -> Verdict:
    """Whether the cadre holds a leadership post on ``on`` when the exit needs one (``NEEDS_LEADERSHIP``).

    Rule ``EXIT-LEADERSHIP``: 离岗退养 applies to 领导干部 (seed 一(三), RET-06), 改任非领导职务
    and 免职 take a leader out of a leadership post (公务员法 第五十条, Q-law), and 辞去领导职务
    is resigning one (第八十七条, Q-law).
    """
    inputs.day(on, "生效日期")
    if kind not in NEEDS_LEADERSHIP or leadership_posts:
        return Verdict.passed()
    return Verdict.failed(
        Reason(
            rule="EXIT-LEADERSHIP",
            citation=_CITE_LEADERSHIP,
            message=f"{name} 在{cn_date(on)}未担任领导职务，不能办理{kind.label}。",
        )
    )


# ---------------------------------------------------------------- 离岗退养 (RET-06)


def _gender_text(gender: Gender) -> str:
    return gender.label


def check_early_exit(
    *,
    name: str,
    birth: dt.date,
    gender: str | Gender,
    on: dt.date,
    men_age: int,
    women_age: int,
    policy_source: str,
) -> Verdict:
    """Whether a leader has reached the county's 离岗退养 age on the effective date ``on``.

    RET-06 (seed county policy, **no national basis found**; rules.md flags the conflict with
    公务员法 第九十二、九十三条): leaders leave their posts at 55 (men) / 50 (women) 周岁 by default.
    The ages are the county policy values **in force on ``on``** (``policy_source`` says which
    version, e.g. 「默认值」 or 「自2025年7月1日起执行（县委〔2025〕9号）」, for the message); the
    age is reached on the birthday itself (周岁, see
    :func:`ganbu.rules.retirement.early_exit_date`), so the day before the birthday fails.
    """
    inputs.day(on, "生效日期")
    sex = parse_gender(gender)
    age = men_age if sex is Gender.MALE else women_age
    reached_on = early_exit_date(birth, sex, men_age=men_age, women_age=women_age)
    if on >= reached_on:
        return Verdict.passed()
    return Verdict.failed(
        Reason(
            rule="RET-06",
            citation=(
                f"本县离岗退养年龄：男{men_age}周岁、女{women_age}周岁，{policy_source}"
                "（rules.md RET-06，地方规定，未找到全国性依据）"
            ),
            message=(
                f"{name}（{_gender_text(sex)}，{cn_date(birth)}出生）于{cn_date(reached_on)}年满{age}周岁；"
                f"生效日期{cn_date(on)}尚未达到本县离岗退养年龄（{_gender_text(sex)}{age}周岁），"
                "不能办理离岗退养。"
            ),
        )
    )


@dataclass(frozen=True)
class AgeThresholds:
    """The county's 离岗退养 ages in force from ``start`` until the next version's start."""

    start: dt.date
    men: int
    women: int

    def __post_init__(self) -> None:
        """Refuse a version that is not a date with two ages in range (see ``retirement.early_exit_age``)."""
        inputs.day(self.start, "离岗退养年龄的施行日期")
        early_exit_age(self.men, "男")
        early_exit_age(self.women, "女")


def early_exit_reach_date(
    birth: dt.date, gender: str | Gender, year: int, versions: Sequence[AgeThresholds]
) -> dt.date | None:
    """The day in ``year`` on which a leader first stands at or over the county age then in force.

    RET-06 (local policy). ``versions`` are the county's age versions ordered by ``start``; the
    first must be in force on 31 December of the previous year (a default version may start on
    ``date.min``). ``None`` when the leader reaches no threshold in ``year`` — including when the
    age in force at the end of the previous year had already been reached (the leader was due
    then, not now).

    Why not simply the birthday: the county may change the age during the year. If it is raised
    before the birthday, the leader is not due this year; if it is lowered below the leader's
    age, the leader becomes due on the day the new version comes into force.
    """
    inputs.day(birth, "出生日期")
    inputs.whole(year, "年份", minimum=dt.MINYEAR + 1, maximum=dt.MAXYEAR - 1)
    if not versions or versions[0].start >= dt.date(year, 1, 1):
        raise inputs.RuleInputError("须提供上一年年底有效的离岗退养年龄。")
    sex = parse_gender(gender)
    year_start, year_end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    eve = year_start - _ONE_DAY
    before = [v for v in versions if v.start <= eve][-1]
    if eve >= early_exit_date(birth, sex, men_age=before.men, women_age=before.women):
        return None
    for index, version in enumerate(versions):
        start = max(version.start, year_start)
        end = versions[index + 1].start if index + 1 < len(versions) else year_end
        end = min(end, year_end)
        if end <= start:
            continue
        reached = max(early_exit_date(birth, sex, men_age=version.men, women_age=version.women), start)
        if reached < end:
            return reached
    return None


# ---------------------------------------------------------------- 退休 (RET-01, RET-02, RET-03)


class EarlyRetirementGround(StrEnum):
    """Grounds for retiring before the statutory date (公务员法 第九十二、九十三条)."""

    SERVICE_30 = "service_30"
    NEAR_AGE_20 = "near_age_20"
    INCAPACITY = "incapacity"
    OTHER_STATE_RULE = "other_state_rule"

    @property
    def label(self) -> str:
        """The ground as the law words it."""
        return _GROUND_LABELS[self]


_GROUND_LABELS: dict[EarlyRetirementGround, str] = {
    EarlyRetirementGround.SERVICE_30: "工作年限满三十年（第九十三条第一项）",
    EarlyRetirementGround.NEAR_AGE_20: "距法定退休年龄不足五年且工作年限满二十年（第九十三条第二项）",
    EarlyRetirementGround.INCAPACITY: "完全丧失工作能力（第九十二条）",
    EarlyRetirementGround.OTHER_STATE_RULE: "符合国家规定可以提前退休的其他情形（第九十三条第三项）",
}

_CITE_RET_01 = (
    "《公务员法》第九十二条：达到国家规定的退休年龄或者完全丧失工作能力的，应当退休"
    "（rules.md RET-01，置信度 Q-law）；法定退休年龄按全国人大常委会《关于实施渐进式延迟法定退休年龄的决定》"
    "（2025年1月1日起施行，rules.md RET-03，置信度 S）"
)
_CITE_RET_02 = (
    "《公务员法》第九十三条：工作年限满三十年，或距国家规定的退休年龄不足五年且工作年限满二十年，"
    "或符合国家规定的其他情形的，本人自愿提出申请，经任免机关批准，可以提前退休"
    "（rules.md RET-02，置信度 Q-law）"
)


def cadre_retirement_category(gender: str | Gender) -> RetirementCategory:
    """The statutory category of a cadre (干部): men, or women whose original age was 55 (RET-03, S).

    Women cadres (女干部) originally retired at 55; the 50-year category is for women workers (工人),
    who are not cadres. RET-04 (60 for 正副县处级 women, S) cannot arise here: the county's ranks
    stop at 正科级 (registry ``Rank``).
    """
    if parse_gender(gender) is Gender.MALE:
        return RetirementCategory.MALE
    return RetirementCategory.FEMALE_55


def age_text(years: int, months: int) -> str:
    """``60周岁`` or ``60周岁1个月``."""
    return f"{years}周岁{months}个月" if months else f"{years}周岁"


def statutory_date_text(birth: dt.date, gender: str | Gender, *, as_of: dt.date | None = None) -> str:
    """The statutory retirement month with the age and the day it is reached, for messages and the basis.

    ``2025年2月（男职工，法定退休年龄60周岁1个月，2025年2月28日年满）``: the month is what the
    official 对照表 gives and what the retirement is checked against.
    """
    category = cadre_retirement_category(gender)
    years, months = statutory_retirement_age(birth, category, as_of=as_of)
    month = statutory_retirement_month(birth, category, as_of=as_of)
    on = statutory_retirement_date(birth, category, as_of=as_of)
    return f"{month.label}（{category.label}，法定退休年龄{age_text(years, months)}，{cn_date(on)}年满）"


def check_retirement(
    *,
    name: str,
    birth: dt.date,
    gender: str | Gender,
    on: dt.date,
    work_start: dt.date | None,
    ground: EarlyRetirementGround | None,
    ground_evidence: str,
) -> Verdict:
    """Whether a retirement may take effect on ``on`` (RET-01 Q-law, RET-02 Q-law, RET-03 S).

    From the first day of the statutory retirement month on (law in force on ``on``, the 2025
    gradual schedule by birth month; the official 对照表 gives a month, so any day of it is
    accepted) a retirement needs no ground. Before it, one of the grounds of 第九十二、九十三条 must
    be given and hold: 30 years of work, or fewer than five years to the statutory date with 20
    years of work (counted to the day from ``work_start``); complete incapacity and "other state
    rules" cannot be computed, so ``ground_evidence`` (the 鉴定 or the rule relied on) must name it.
    """
    inputs.day(birth, "出生日期")
    inputs.day(on, "退休生效日期")
    inputs.optional_day(work_start, "参加工作时间")
    category = cadre_retirement_category(gender)
    statutory = statutory_retirement_date(birth, category, as_of=on)
    month = statutory_retirement_month(birth, category, as_of=on)
    if on >= month.first_day:
        return Verdict.passed()
    fact = (
        f"{name} 的法定退休时间为{statutory_date_text(birth, gender, as_of=on)}，"
        f"退休生效日期{cn_date(on)}早于法定退休时间（{month.label}）"
    )
    if ground is None:
        return Verdict.failed(
            Reason(
                rule="RET-01",
                citation=_CITE_RET_01,
                message=f"{fact}；提前退休须选择《公务员法》第九十二条或第九十三条规定的情形。",
            )
        )
    if ground in (EarlyRetirementGround.INCAPACITY, EarlyRetirementGround.OTHER_STATE_RULE):
        if ground_evidence.strip():
            return Verdict.passed()
        return Verdict.failed(
            Reason(
                rule="RET-02",
                citation=_CITE_RET_02,
                message=f"{fact}；以「{ground.label}」提前退休的，须在依据中写明鉴定结论或所依据的规定。",
            )
        )
    if work_start is None or work_start > on:
        return Verdict.failed(
            Reason(
                rule="RET-02",
                citation=_CITE_RET_02,
                message=(
                    f"{fact}；{name} 未登记参加工作时间，无法核实工作年限，不能以「{ground.label}」提前退休。"
                ),
            )
        )
    worked = age_on(work_start, on)
    if ground is EarlyRetirementGround.SERVICE_30:
        if worked >= 30:
            return Verdict.passed()
        detail = f"至{cn_date(on)}工作年限为 {worked} 年，未满三十年"
    else:
        near_from = add_age(statutory, -5)
        if on > near_from and worked >= 20:
            return Verdict.passed()
        parts = []
        if on <= near_from:
            parts.append(f"距法定退休日期不少于五年（{cn_date(near_from)}后才不足五年）")
        if worked < 20:
            parts.append(f"工作年限为 {worked} 年，未满二十年")
        detail = "，".join(parts)
    return Verdict.failed(
        Reason(
            rule="RET-02",
            citation=_CITE_RET_02,
            message=f"{fact}；{detail}，不符合「{ground.label}」。",
        )
    )


# ---------------------------------------------------------------- 辞职 (DISC-14)


class ProceedingKind(StrEnum):
    """Proceedings during which a cadre may not resign (公务员法 第八十六条第（四）项)."""

    AUDIT = "audit"
    DISCIPLINE_REVIEW = "discipline_review"
    SUPERVISORY_INVESTIGATION = "supervisory_investigation"
    JUDICIAL = "judicial"

    @property
    def label(self) -> str:
        """The proceeding as the law names it."""
        return _PROCEEDING_LABELS[self]


_PROCEEDING_LABELS: dict[ProceedingKind, str] = {
    ProceedingKind.AUDIT: "审计",
    ProceedingKind.DISCIPLINE_REVIEW: "纪律审查",
    ProceedingKind.SUPERVISORY_INVESTIGATION: "监察调查",
    ProceedingKind.JUDICIAL: "涉嫌犯罪司法程序",
}

CITE_DISC_14 = (
    "《公务员法》第八十六条第（四）项：正在接受审计、纪律审查、监察调查，或者涉嫌犯罪，司法程序尚未终结的，"
    "不得辞去公职（rules.md DISC-14，置信度 Q-law）"
)
#: What an officer who may not see supervision records is told (see docs/exits.md, 保密).
MSG_RESIGNATION_BLOCKED_GENERIC = "该干部正在接受审计或调查，暂不能办理辞职（《公务员法》第八十六条）。"


@dataclass(frozen=True)
class ProceedingFacts:
    """A proceeding as the resignation check needs it."""

    kind: ProceedingKind
    body: str
    started_on: dt.date
    ended_on: dt.date | None

    def __post_init__(self) -> None:
        """Refuse dates that are not dates."""
        inputs.day(self.started_on, "开始日期")
        inputs.optional_day(self.ended_on, "结束日期")


def proceeding_open_during(facts: ProceedingFacts, start: dt.date, end: dt.date) -> bool:
    """Whether the proceeding is open on some day of [start, end]: it runs from ``started_on`` until
    (excluding) ``ended_on``, so a resignation decided on the day it ended is not blocked."""
    return facts.started_on <= end and (facts.ended_on is None or facts.ended_on > start)


def check_resignation(
    *,
    name: str,
    kind: ExitKind,
    decided_on: dt.date,
    effective_on: dt.date,
    proceedings: Sequence[ProceedingFacts],
    disclose: bool,
) -> Verdict:
    """Refuse a resignation while an audit or investigation is open (DISC-14, Q-law).

    公务员法 第八十六条第（四）项 forbids 辞去公职 while the person is under audit, discipline
    review, supervisory investigation, or a judicial procedure for a suspected crime has not ended.
    The system applies it to 辞去领导职务 as well (the issue asks for it; 《党政领导干部辞职暂行规定》
    reportedly has the same bar, not verified — docs/exits.md). A proceeding blocks when it is open
    on any day from the decision to the effective date. ``disclose`` is false for a user who may
    not see supervision records: the message then says only that one exists, not which.
    """
    inputs.day(decided_on, "决定日期")
    inputs.day(effective_on, "生效日期")
    inputs.flag(disclose, "是否可以告知调查情况")
    blocking = [
        p for p in proceedings if proceeding_open_during(p, decided_on, max(decided_on, effective_on))
    ]
    if not blocking:
        return Verdict.passed()
    if not disclose:
        return Verdict.failed(
            Reason(rule="DISC-14", citation=CITE_DISC_14, message=MSG_RESIGNATION_BLOCKED_GENERIC)
        )
    facts = "；".join(
        f"自{cn_date(p.started_on)}起接受{p.body}的{p.kind.label}"
        + (f"（{cn_date(p.ended_on)}结束）" if p.ended_on else "（尚未结束）")
        for p in sorted(blocking, key=lambda p: p.started_on)
    )
    return Verdict.failed(
        Reason(
            rule="DISC-14",
            citation=CITE_DISC_14,
            message=f"{name} {facts}，不能办理{kind.label}（《公务员法》第八十六条第（四）项）。",
        )
    )


# ---------------------------------------------------------------- 降职、改任 (EVAL-02)

_CITE_EVAL_02 = (
    "《公务员法》第五十条：公务员的职务、职级实行能上能下；年度考核被确定为不称职的，按照规定程序降低一个职务"
    "或者职级层次任职（rules.md EVAL-02，置信度 Q-law）"
)


def check_demotion(
    *, name: str, current_rank: str, current_index: int, new_rank: str, new_index: int
) -> Verdict:
    """A demotion must lower the rank (EVAL-02, 公务员法 第五十条, Q-law).

    Ranks are compared by their index in the registry's order, highest first (a larger index is a
    lower rank); the labels are for the message.
    """
    inputs.whole(current_index, "现职级序号")
    inputs.whole(new_index, "拟定职级序号")
    if new_index > current_index:
        return Verdict.passed()
    return Verdict.failed(
        Reason(
            rule="EVAL-02",
            citation=_CITE_EVAL_02,
            message=f"降职须降低职级：{name} 现为{current_rank}，拟定为{new_rank}，并未降低。",
        )
    )


def check_post_fits_rank(
    *, post: str, post_rank: str, post_index: int, rank: str, rank_index: int
) -> Verdict:
    """After a demotion the new post may not be above the new rank (EVAL-02, 公务员法 第五十条: 降低层次任职,
    Q-law)."""
    inputs.whole(post_index, "职位层次序号")
    inputs.whole(rank_index, "职级序号")
    if post_index >= rank_index:
        return Verdict.passed()
    return Verdict.failed(
        Reason(
            rule="EVAL-02",
            citation=_CITE_EVAL_02,
            message=f"新职位「{post}」为{post_rank}，高于降职后的职级{rank}。",
        )
    )


def check_non_leadership_post(*, post: str, is_leadership: bool) -> Verdict:
    """改任非领导职务 appoints to a post that is not a leadership post (seed 一(三); 公务员法 第五十条,
    Q-law; rule ``EXIT-REASSIGN``, no rules.md row of its own)."""
    if not inputs.flag(is_leadership, "是否领导职务"):
        return Verdict.passed()
    return Verdict.failed(
        Reason(
            rule="EXIT-REASSIGN",
            citation=(
                "改任非领导职务：由领导职务改任非领导职务（seed 一(三)；《公务员法》第五十条，置信度 Q-law）"
            ),
            message=f"「{post}」是领导职务，改任非领导职务须选择非领导职务的职位。",
        )
    )


# ---------------------------------------------------------------- the incompetence path (EVAL-10)


class CaseStep(StrEnum):
    """Where an incompetence case stands: evaluation flagged → inspection → adjustment."""

    OPENED = "opened"
    CONFIRMED = "confirmed"
    NOT_CONFIRMED = "not_confirmed"
    ADJUSTED = "adjusted"

    @property
    def label(self) -> str:
        """The step in Chinese."""
        return _STEP_LABELS[self]


_STEP_LABELS: dict[CaseStep, str] = {
    CaseStep.OPENED: "待组织考察",
    CaseStep.CONFIRMED: "考察认定不称职，待调整",
    CaseStep.NOT_CONFIRMED: "考察未认定不称职（已结案）",
    CaseStep.ADJUSTED: "已调整（已结案）",
}

# Why a table: every case service checks its move against it, so an adjustment can never be
# recorded before an inspection confirmed the incompetence, and a closed case never reopens.
CASE_TRANSITIONS: dict[CaseStep, frozenset[CaseStep]] = {
    CaseStep.OPENED: frozenset({CaseStep.CONFIRMED, CaseStep.NOT_CONFIRMED}),
    CaseStep.CONFIRMED: frozenset({CaseStep.ADJUSTED}),
    CaseStep.NOT_CONFIRMED: frozenset(),
    CaseStep.ADJUSTED: frozenset(),
}

_CITE_CASE = (
    "本县政策：民主测评不称职票超过规定比例的，经组织考察认定不称职的，予以调整、免职或降职"
    "（seed 一(三)；rules.md EVAL-10，置信度 S，地方规定）"
)
_NEXT_HINT: dict[CaseStep, str] = {
    CaseStep.OPENED: "须先完成组织考察并认定不称职",
    CaseStep.CONFIRMED: "考察已认定不称职，下一步只能办理调整",
    CaseStep.NOT_CONFIRMED: "考察未认定不称职，案件已结案",
    CaseStep.ADJUSTED: "已办理调整，案件已结案",
}


def check_case_step(current: CaseStep, target: CaseStep) -> Verdict:
    """Whether an incompetence case may move from ``current`` to ``target`` (``CASE_TRANSITIONS``).

    The order evaluation → inspection → adjustment is the seed county's (一(三): 「不称职票超过30%的
    领导干部，经过考察认定不够称职的，实行了调整岗位或免职的处理」); rules.md EVAL-10, confidence S
    (local rule).
    """
    if target in CASE_TRANSITIONS[current]:
        return Verdict.passed()
    return Verdict.failed(
        Reason(
            rule="EVAL-10",
            citation=_CITE_CASE,
            message=f"该案件当前为「{current.label}」，不能直接进入「{target.label}」：{_NEXT_HINT[current]}。",
        )
    )


def check_evaluation_flag(*, title: str, flagged: bool, share: str, threshold: str) -> Verdict:
    """An incompetence case opened from an evaluation needs its 不称职 share to exceed the threshold.

    EVAL-10 (local policy, S): the seed county's ">30% 不称职" (``evaluation.incompetent_threshold``,
    or the ballot's own setting); the voting tally decided ``flagged`` with exact fractions.
    """
    if inputs.flag(flagged, "是否超过阈值"):
        return Verdict.passed()
    return Verdict.failed(
        Reason(
            rule="EVAL-10",
            citation=_CITE_CASE,
            message=(
                f"民主测评「{title}」的不称职票比例为 {share}，未超过阈值 {threshold}，"
                "不能据此启动不称职调整程序；确有其他依据的，请说明理由手工启动。"
            ),
        )
    )
