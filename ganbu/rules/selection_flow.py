"""The 选拔任用纪实 step order: one transition table, checked on every step recorded.

The five statutory stages (MODE-01, 公务员法 第四十六条, Q-law: 动议 → 民主推荐 → 确定考察对象、组织考察
→ 讨论决定 → 履行任职手续) refined by the seed county's practice and the 条例:

    动议 → 民主推荐 → 确定考察对象 → 考察预告 → 考察 → 征求意见 → 部务会 → 常委会票决
      → [第一时间公告提醒] → 任前公示 → 任职 → 任后反响 → [试用期满]

Design decisions:

- **第一时间公告提醒 comes right after the vote**, before the notice and the appointment. The seed
  says the county announces the decision at the unit "在讨论任免通过后的第一时间内", precisely to
  stop rush spending "在正式任免前"; it applies only to town party/government heads and county
  bureau heads (``FlowFlags.announcement``).
- **One linear route per set of flags.** Every row's guard is a predicate over :class:`FlowFlags`,
  and for any flags exactly one forward row leaves each step (a test checks this), so the route
  is a chain and "which step is missing" is always defined.
- **Probation is a period, not a step**: it starts with the appointment notice (APPT-07) and runs
  for a year; the step ``probation_end`` records its conclusion (APPT-06). 任后反响 is due within a
  month of the appointment, so it is recorded during the probation, before its end; without a
  probation (``FlowFlags.probation`` false) 任后反响 is the last step.
- 任前公示 can be switched off (``FlowFlags.public_notice``) only for the exceptions of APPT-01
  (特殊岗位, or 换届 candidates already publicised).
- ``withdrawn`` (终止) ends a selection from any step that is not terminal, with a reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from .tally import differential_ratio_ok
from .types import Reason, Verdict


class Step(StrEnum):
    """A step of the 选拔任用纪实."""

    PROPOSAL = "proposal"
    RECOMMENDATION = "recommendation"
    CANDIDATES = "candidates"
    PREANNOUNCEMENT = "preannouncement"
    INSPECTION = "inspection"
    OPINIONS = "opinions"
    DEPARTMENT_MEETING = "department_meeting"
    COMMITTEE_VOTE = "committee_vote"
    ANNOUNCEMENT = "announcement"
    PUBLIC_NOTICE = "public_notice"
    APPOINTMENT = "appointment"
    FEEDBACK = "feedback"
    PROBATION_END = "probation_end"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        """The Chinese name of the step."""
        return _LABELS[self]


_LABELS: dict[Step, str] = {
    Step.PROPOSAL: "动议",
    Step.RECOMMENDATION: "民主推荐",
    Step.CANDIDATES: "确定考察对象",
    Step.PREANNOUNCEMENT: "考察预告",
    Step.INSPECTION: "考察",
    Step.OPINIONS: "征求意见",
    Step.DEPARTMENT_MEETING: "部务会",
    Step.COMMITTEE_VOTE: "常委会票决",
    Step.ANNOUNCEMENT: "第一时间公告提醒",
    Step.PUBLIC_NOTICE: "任前公示",
    Step.APPOINTMENT: "任职",
    Step.FEEDBACK: "任后反响",
    Step.PROBATION_END: "试用期满",
    Step.WITHDRAWN: "终止",
}


@dataclass(frozen=True)
class FlowFlags:
    """What this selection's route contains.

    ``announcement``: 第一时间公告提醒 applies (town party/government heads and county bureau heads,
    the seed county's rule). ``public_notice``: 任前公示 applies (false only for the APPT-01
    exceptions). ``probation``: the appointment carries a probation (see
    :func:`ganbu.rules.probation.probation_required`).
    """

    announcement: bool = False
    public_notice: bool = True
    probation: bool = True


_MODE_01 = (
    "《公务员法》(2018) 第四十六条：动议、民主推荐、确定考察对象并组织考察、讨论决定、"
    "履行任职手续（rules.md MODE-01，置信度 Q-law）"
)
_REC_01 = "选拔任用必须经过民主推荐（rules.md REC-01，置信度 Q）"
_INSP_05 = (
    "《党政领导干部选拔任用工作条例》(2014) 第二十八条：在一定范围内发布干部考察预告，再进行个别谈话等考察；"
    "组织部门集体研究提出任用建议方案，报党委（rules.md INSP-05，置信度 Q）"
)
_OPINIONS = (
    "《党政领导干部选拔任用工作条例》(2019) 第三十一条：听取纪检监察机关等意见（rules.md INSP-06、INSP-07，"
    "置信度 Q-off）；本县制度：提交县委常委会议讨论前征求县纪委等部门意见（种子材料）"
)
_APPT_01 = (
    "《党政领导干部选拔任用工作条例》(2014) 第四十一条、(2019) 第四十二条：在党委（党组）讨论决定后、"
    "下发任职通知前公示（rules.md APPT-01，置信度 Q）"
)
_ANNOUNCEMENT = (
    "本县制度：对镇党政一把手和县直科局级一把手，常委会讨论任免通过后第一时间到其所在单位公开宣布并提醒"
    "（种子材料，地方做法，无全国性条文）"
)
_FEEDBACK = "本县制度：干部调整任免后一个月内收集社会各界反响并书面报告（种子材料，地方做法）"
_PROBATION = (
    "《党政领导干部选拔任用工作条例》(2014) 第四十二条：试用期满经考核胜任的正式任职（rules.md APPT-04、"
    "APPT-06，置信度 Q）；试用期自发出试用任职通知时计算（APPT-07，置信度 Q）"
)
_PROC_02 = (
    "《党政领导干部选拔任用工作条例》(2014) 第六十一条第（三）项：不准违反规定程序推荐、考察、酝酿、"
    "讨论决定任免干部（rules.md PROC-02，置信度 Q）"
)

Guard = Callable[[FlowFlags], bool]


def _always(_: FlowFlags) -> bool:
    return True


@dataclass(frozen=True)
class Transition:
    """One row of the table: ``source`` may be followed by ``target`` when ``guard(flags)`` holds."""

    source: Step
    target: Step
    guard: Guard
    rule: str
    citation: str


#: THE transition table. Withdrawal (any non-terminal step → ``withdrawn``) is the only move not listed.
#: Rows leaving an optional step carry that step's flag too, so an off-route step has no way out.
TRANSITIONS: tuple[Transition, ...] = (
    Transition(Step.PROPOSAL, Step.RECOMMENDATION, _always, "MODE-01", f"{_MODE_01}；{_REC_01}"),
    Transition(Step.RECOMMENDATION, Step.CANDIDATES, _always, "MODE-01", _MODE_01),
    Transition(Step.CANDIDATES, Step.PREANNOUNCEMENT, _always, "INSP-05", _INSP_05),
    Transition(Step.PREANNOUNCEMENT, Step.INSPECTION, _always, "INSP-05", _INSP_05),
    Transition(Step.INSPECTION, Step.OPINIONS, _always, "INSP-07", _OPINIONS),
    Transition(Step.OPINIONS, Step.DEPARTMENT_MEETING, _always, "INSP-05", _INSP_05),
    Transition(Step.DEPARTMENT_MEETING, Step.COMMITTEE_VOTE, _always, "MODE-01", _MODE_01),
    Transition(
        Step.COMMITTEE_VOTE, Step.ANNOUNCEMENT, lambda f: f.announcement, "LOCAL-ANNOUNCE", _ANNOUNCEMENT
    ),
    Transition(
        Step.COMMITTEE_VOTE,
        Step.PUBLIC_NOTICE,
        lambda f: not f.announcement and f.public_notice,
        "APPT-01",
        _APPT_01,
    ),
    Transition(
        Step.COMMITTEE_VOTE,
        Step.APPOINTMENT,
        lambda f: not f.announcement and not f.public_notice,
        "MODE-01",
        _MODE_01,
    ),
    Transition(
        Step.ANNOUNCEMENT,
        Step.PUBLIC_NOTICE,
        lambda f: f.announcement and f.public_notice,
        "APPT-01",
        _APPT_01,
    ),
    Transition(
        Step.ANNOUNCEMENT,
        Step.APPOINTMENT,
        lambda f: f.announcement and not f.public_notice,
        "MODE-01",
        _MODE_01,
    ),
    Transition(Step.PUBLIC_NOTICE, Step.APPOINTMENT, lambda f: f.public_notice, "APPT-01", _APPT_01),
    Transition(Step.APPOINTMENT, Step.FEEDBACK, _always, "LOCAL-FEEDBACK", _FEEDBACK),
    Transition(Step.FEEDBACK, Step.PROBATION_END, lambda f: f.probation, "APPT-06", _PROBATION),
)


def _forward(current: Step, flags: FlowFlags) -> tuple[Transition, ...]:
    return tuple(t for t in TRANSITIONS if t.source is current and t.guard(flags))


def is_terminal(step: Step, flags: FlowFlags = FlowFlags()) -> bool:
    """Whether nothing may follow ``step`` (MODE-01): ``withdrawn``, or a step without a forward row.

    ``probation_end`` is always terminal; ``feedback`` is when there is no probation.
    """
    return step is Step.WITHDRAWN or not _forward(step, flags)


def next_steps(current: Step, flags: FlowFlags = FlowFlags()) -> tuple[Step, ...]:
    """The steps that may follow ``current``: the next step of the route, then ``withdrawn``.

    Empty for a terminal step. MODE-01 (公务员法 第四十六条, Q-law), INSP-05 (Q), APPT-01 (Q).
    """
    if is_terminal(current, flags):
        return ()
    return (*(t.target for t in _forward(current, flags)), Step.WITHDRAWN)


def route(flags: FlowFlags = FlowFlags()) -> tuple[Step, ...]:
    """The full ordered route from 动议 for ``flags`` (MODE-01 Q-law; INSP-05, APPT-01 Q; local steps)."""
    steps = [Step.PROPOSAL]
    while True:
        forward = _forward(steps[-1], flags)
        if not forward:
            return tuple(steps)
        steps.append(forward[0].target)


def _quote(step: Step) -> str:
    return f"“{step.label}”"


def check_transition(
    current: Step, target: Step, flags: FlowFlags = FlowFlags(), reason: str = ""
) -> Verdict:
    """Whether the 纪实 may move from ``current`` to ``target`` (MODE-01 Q-law; INSP-05, APPT-01, PROC-02 Q).

    Refuses skipping a step (naming the missing ones), going back, repeating a step, leaving a
    terminal step, a step not on this selection's route, and a withdrawal without ``reason``.
    """
    steps = route(flags)
    if current is not Step.WITHDRAWN and current not in steps:
        return Verdict.failed(
            Reason(
                rule="PROC-02",
                citation=_PROC_02,
                message=f"本次选拔任用不包含{_quote(current)}环节，记录有误，请核对选拔任用类型设置。",
            )
        )
    if is_terminal(current, flags):
        return Verdict.failed(
            Reason(
                rule="PROC-02",
                citation=_PROC_02,
                message=f"{_quote(current)}已是本次选拔任用的最后环节，不能再转入{_quote(target)}。",
            )
        )
    if target is Step.WITHDRAWN:
        if reason.strip():
            return Verdict.passed()
        return Verdict.failed(
            Reason(
                rule="PROC-02",
                citation=_PROC_02,
                message=f"在{_quote(current)}环节终止选拔任用，须写明终止理由。",
            )
        )
    forward = _forward(current, flags)
    if any(t.target is target for t in forward):
        return Verdict.passed()
    expected = forward[0].target
    if target not in steps:
        return Verdict.failed(
            Reason(
                rule="PROC-02",
                citation=_PROC_02,
                message=(
                    f"本次选拔任用不包含{_quote(target)}环节，不能从{_quote(current)}转入{_quote(target)}；"
                    f"{_quote(current)}之后应为{_quote(expected)}。"
                ),
            )
        )
    i, j = steps.index(current), steps.index(target)
    if j > i:
        missing = steps[i + 1 : j]
        first = next(t for t in forward if t.target is missing[0])
        names = "、".join(_quote(s) for s in missing)
        return Verdict.failed(
            Reason(
                rule=first.rule,
                citation=f"{first.citation}；{_PROC_02}",
                message=f"不能从{_quote(current)}直接进入{_quote(target)}，尚缺{names}环节。",
            )
        )
    verb = "重复" if j == i else "回到"
    return Verdict.failed(
        Reason(
            rule="PROC-02",
            citation=_PROC_02,
            message=(
                f"不能从{_quote(current)}{verb}{_quote(target)}："
                f"{_quote(target)}须在{_quote(current)}之前完成，下一环节应为{_quote(expected)}。"
            ),
        )
    )


# ---------------------------------------------------------------- 差额考察: how many candidates

_CITE_EXTRA = (
    "本县政策：按民主推荐得票，以比考察职位多1—2名确定正式考察对象（种子材料；rules.md INSP-03，"
    "UNCONFIRMED，全国性条文未见）"
)
_CITE_EQUAL = (
    "差额考察：换届必须差额考察；个别提拔意见集中的可以等额考察，"
    "意见不集中的一般差额考察（rules.md INSP-02，置信度 S）"
)


def _fraction(value: Fraction | int | float) -> Fraction:
    return value if isinstance(value, Fraction) else Fraction(str(value))


def check_candidate_count(
    posts: int,
    candidates: int,
    min_extra: int | None = 1,
    max_extra: int | None = 2,
    min_ratio: Fraction | int | float | None = Fraction(3, 2),
    max_ratio: Fraction | int | float | None = Fraction(2),
    single_candidate_reason: str = "",
    *,
    general_election: bool = False,
) -> Verdict:
    """Check the number of 考察对象 for ``posts`` posts (INSP-02 S; INSP-03 county policy, UNCONFIRMED).

    County defaults (the seed): 1–2 more candidates than posts **and** a ratio of 1.5–2 per post
    (ratio via :func:`ganbu.rules.tally.differential_ratio_ok`); ``None`` switches a bound off.
    For 5 or more posts no count meets both defaults: the verdict then says so, for the
    administrator to set the county's parameters. As many candidates as posts (等额考察) pass only
    with ``single_candidate_reason`` (意见集中, INSP-02) and never at a 换届 (``general_election``);
    the passing verdict then carries the recorded reason.
    """
    if posts < 1:
        raise ValueError(f"职位数必须至少为 1，实际为 {posts}。")
    if candidates < 0:
        raise ValueError(f"考察对象人数不能为负数，实际为 {candidates}。")
    if candidates < posts:
        return Verdict.failed(
            Reason(
                rule="INSP-02",
                citation=_CITE_EQUAL,
                message=f"考察对象 {candidates} 人，少于拟任职位 {posts} 个。",
            )
        )
    if candidates == posts:
        if general_election:
            message = f"换届考察必须差额考察，考察对象 {candidates} 人与职位数 {posts} 相等。"
        elif not single_candidate_reason.strip():
            message = f"考察对象 {candidates} 人与职位数 {posts} 相等（等额考察），须记录意见集中等理由。"
        else:
            return Verdict(
                ok=True,
                reasons=(
                    Reason(
                        rule="INSP-02",
                        citation=_CITE_EQUAL,
                        message=(
                            f"等额考察（考察对象 {candidates} 人，职位 {posts} 个），理由："
                            f"{single_candidate_reason.strip()}。"
                        ),
                    ),
                ),
            )
        return Verdict.failed(Reason(rule="INSP-02", citation=_CITE_EQUAL, message=message))

    reasons: list[Reason] = []
    extra = candidates - posts
    low_extra = min_extra if min_extra is not None else 0
    high_extra = max_extra if max_extra is not None else candidates
    if not low_extra <= extra <= high_extra:
        bound = (
            f"{min_extra}—{max_extra} 名" if min_extra is not None and max_extra is not None else "规定人数"
        )
        reasons.append(
            Reason(
                rule="INSP-03",
                citation=_CITE_EXTRA,
                message=(
                    f"考察对象 {candidates} 人、职位 {posts} 个，多出 {extra} 名，"
                    f"不在规定的多出 {bound}范围内。"
                ),
            )
        )
    low_ratio = _fraction(min_ratio) if min_ratio is not None else Fraction(0)
    high_ratio = _fraction(max_ratio) if max_ratio is not None else Fraction(candidates, posts)
    if min_ratio is not None or max_ratio is not None:
        ratio_verdict = differential_ratio_ok(
            candidates=candidates, posts=posts, low=low_ratio, high=high_ratio
        )
        reasons.extend(ratio_verdict.reasons)
    if not reasons:
        return Verdict.passed()
    feasible = [
        c
        for c in range(posts + max(low_extra, 1), posts + high_extra + 1)
        if (min_ratio is None or c >= low_ratio * posts) and (max_ratio is None or c <= high_ratio * posts)
    ]
    if not feasible:
        reasons.append(
            Reason(
                rule="INSP-03",
                citation=_CITE_EXTRA,
                message=(
                    f"按现行参数，{posts} 个职位不存在同时满足“多出名额”和“差额比例”要求的考察对象人数，"
                    "请管理员调整本县差额考察参数。"
                ),
            )
        )
    return Verdict.failed(*reasons)
