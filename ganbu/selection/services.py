"""The appointment procedure's services: the only code that moves a selection record (纪实) forward.

Every step service checks its own preconditions (each refusal names the rule, its article and the
failing fact, in Chinese), then calls ``_advance``, which checks the move against the one transition
table in ``ganbu.rules.selection_flow`` and writes the ``StepEvent`` and an audit event. So no step can
be skipped or reordered, through the UI or the API. Services are keyword-only, take the acting user
first and run in one durable transaction; a refused step writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.utils import timezone

from ganbu.accounts.models import User
from ganbu.core.access import Cap, cadres_for, can_edit_unit, has_cap, units_for
from ganbu.core.audit import audit_record
from ganbu.core.errors import ServiceError
from ganbu.core.public_desk import ThrottledError as ThrottledError
from ganbu.core.public_desk import new_tracking_code as new_tracking_code
from ganbu.core.public_desk import throttle_count
from ganbu.core.public_desk import throttle_key as throttle_key
from ganbu.core.transactions import durable, require_atomic
from ganbu.economic_audits.facts import CITE_PRIOR_AUDIT, prior_audit_reasons
from ganbu.policy.selectors import policy_value, work_calendar
from ganbu.registry.choices import DocumentItemKind, PostKind
from ganbu.registry.models import Cadre, Post, Quota, Tenure, Unit
from ganbu.registry.services import ItemInput, document_issue_within
from ganbu.rotation.checks import term_findings
from ganbu.rules import eligibility as el
from ganbu.rules.avoidance import check_hometown, check_kinship_avoidance
from ganbu.rules.notice import check_notice_period, exceeds_general_maximum
from ganbu.rules.probation import feedback_due, probation_end, probation_scope_reason
from ganbu.rules.selection_flow import Step, check_candidate_count, check_transition
from ganbu.rules.types import Reason, Verdict
from ganbu.rules.workdays import CalendarNotCovered
from ganbu.voting import services as voting
from ganbu.voting.choices import BallotKind, BallotStatus, ItemAction
from ganbu.voting.models import Ballot, BallotResult

from . import facts
from .choices import (
    MANDATORY_CHECKS,
    REMINDER_ITEMS,
    CheckKind,
    NoticeKind,
    ObjectionKind,
    ObjectionStatus,
    OpinionAnswer,
    OpinionBody,
    ProbationStatus,
)
from .models import (
    Announcement,
    Candidate,
    Decision,
    Feedback,
    Inspection,
    InspectionCheck,
    Objection,
    OpinionRequest,
    Override,
    Probation,
    PublicNotice,
    SelectionPost,
    SelectionRecord,
    StepEvent,
    TalkSurvey,
)
from .selectors import ballot_link_refusal, flags_of

MSG_NO_MANAGE = "您无权办理该选拔任用事项。"
MSG_NO_APPROVE = "审批例外须由组织部领导批准。"
MSG_WRONG_STEP = "当前环节为「{current}」，不能{action}。"
MSG_OUT_OF_SCOPE = "干部不存在或不在您的管理范围内。"

# The bodies the seed county asks before every decision (一(五) 组织监督).
REQUIRED_OPINIONS = (
    OpinionBody.DISCIPLINE,
    OpinionBody.OFFICE_610,
    OpinionBody.FAMILY_PLANNING,
    OpinionBody.SUPERIOR,
    OpinionBody.COUNTY_LEADER,
)
CITE_OPINIONS = (
    "本县制度：提交县委常委会讨论前征求县纪委、610办、计生部门、主管部门和分管县领导的意见"
    "（种子材料 一(五)）；"
    "《党政领导干部选拔任用工作条例》(2019) 第三十一条：听取纪检监察机关意见"
    "（rules.md INSP-07，置信度 Q-off）"
)
CITE_QUOTA = (
    "《公务员法》(2018) 第四十三条：任职应当在规定的编制限额和职数内，并有相应的职位空缺"
    "（rules.md QUAL-11，置信度 Q-law）；《党政领导干部选拔任用工作条例》(2014) 第六十一条第（一）项："
    "不准超职数配备"
    "（PROC-01，置信度 Q）"
)
CITE_CHECKS = (
    "《党政领导干部选拔任用工作条例》(2019) 第三十一条：凡提四必——审核干部人事档案、查核个人有关事项报告、"
    "听取纪检监察机关意见、核查信访举报；须经济责任审计的事先审计；单位党委出具廉洁自律结论性意见并由书记和纪委书记签字"
    "（rules.md INSP-06、AUD-06，置信度 Q-off）"
)
CITE_TEAM = (
    "《党政领导干部选拔任用工作条例》(2014) 第三十三条：考察组由两名以上成员组成"
    "（rules.md INSP-04，置信度 Q）"
)
CITE_INSPECTION = (
    "《党政领导干部选拔任用工作条例》(2014) 第二十八条：考察采取个别谈话、发放征求意见表、民主测评、"
    "实地走访、查阅档案、面谈等方法（rules.md INSP-05，置信度 Q）"
)
CITE_REC = (
    "选拔任用必须经过民主推荐（rules.md REC-01，置信度 Q）；推荐结果一年内有效（REC-06，置信度 Q）；"
    "《党政领导干部选拔任用工作条例》(2019) 第十八至二十条：谈话调研推荐和会议推荐（REC-02，置信度 Q-off）"
)
CITE_ANNOUNCEMENT = (
    "本县制度：镇党政一把手和县直科局级单位一把手，常委会讨论任免通过后第一时间到其单位宣布，并提醒"
    "不准突击提拔干部、突击花钱、借款、签订合同、处置国有资产（种子材料 一(五) 社会监督，地方做法）"
)
CITE_OBJECTIONS = (
    "任前公示期间群众反映的问题，须查核并作出结论后方可办理任职手续（《党政领导干部选拔任用工作条例》(2019) "
    "第四十二条：公示结果不影响任职的，办理任职手续；rules.md APPT-02，置信度 Q）"
)
CITE_PROBATION_VOTE = (
    "地方规定：试用期满民主评议“称职+优秀”未超过三分之二的，原则上不能正式任职（rules.md EVAL-11，置信度 S；"
    "比例为本县政策参数）"
)

# Public submissions: at most this many per source in the window (a form is for people, not scripts).
# The mechanism (tracking codes, keyed-hash throttle, ThrottledError) is ganbu.core.public_desk, shared with
# the petitions desk; ThrottledError, throttle_key and new_tracking_code are re-exported from here.
THROTTLE_MAX = 5
THROTTLE_WINDOW = dt.timedelta(hours=1)
MSG_THROTTLED = "提交过于频繁，请一小时后再试。"

# ---------------------------------------------------------------- helpers


def _fail(message: str, field: str | None = None) -> ServiceError:
    """A ``ServiceError`` with ``message``, attached to ``field`` when one is named."""
    return ServiceError({field: [message]} if field else message)


def explain(reasons: Sequence[Reason]) -> list[str]:
    """Each reason as one Chinese sentence naming the fact, then the regulation and its article.

    The citation in an officer's words (no rule IDs or confidence codes): these messages are shown
    on pages and returned by the API alike; the rule ID stays in the API's findings.
    """
    from ganbu.rules.citations import plain  # imported here: this function's body is all that changes

    return [f"{r.message}（依据：{plain(r.citation)}）" if plain(r.citation) else r.message for r in reasons]


def _refuse(verdict: Verdict, field: str | None = None) -> None:
    """Raise the verdict's reasons, every one explained, when it failed."""
    if not verdict.ok:
        messages = explain(verdict.reasons)
        raise ServiceError({field: messages} if field else messages)


def _require_manage(actor: User, unit: Unit) -> None:
    """Organization-department officers run the procedure for units in their scope."""
    if not has_cap(actor, Cap.SELECTION_MANAGE) or not can_edit_unit(actor, unit):
        raise _fail(MSG_NO_MANAGE)


def _locked(record: SelectionRecord) -> SelectionRecord:
    """The record re-read under a row lock, so two officers cannot record the same step at once."""
    return SelectionRecord.objects.select_for_update().select_related("unit").get(pk=record.pk)


def _require_step(record: SelectionRecord, step: Step, action: str) -> None:
    """Refuse ``action`` unless the record's last completed step is ``step``."""
    if record.step != step:
        raise _fail(MSG_WRONG_STEP.format(current=Step(record.step).label, action=action))


def _advance(
    *,
    actor: User,
    record: SelectionRecord,
    to: Step,
    on: dt.date,
    note: str = "",
    after: dict[str, Any] | None = None,
) -> StepEvent:
    """Move the record to ``to`` if the transition table allows it; write the step and audit events."""
    current = Step(record.step)
    _refuse(check_transition(current, to, flags_of(record), reason=note))
    record.step = to.value
    record.save(update_fields=["step"])
    event = StepEvent.objects.create(record=record, step=to.value, done_on=on, done_by=actor, note=note)
    audit_record(
        actor=actor,
        event_type="selection.step",
        target=record,
        before={"step": current.value},
        after={"step": to.value, "on": on, **(after or {})},
        reason=note,
        unit_id=record.unit_id,
    )
    return event


def _may_move(record: SelectionRecord, to: Step) -> None:
    """Refuse at once when the table does not allow ``to`` next, before checking the step's own facts."""
    _refuse(check_transition(Step(record.step), to, flags_of(record)))


def _approver_ok(approver: User) -> None:
    """An override is approved by the department's leadership, never by the officer running the steps."""
    if not has_cap(approver, Cap.SELECTION_APPROVE):
        raise _fail(MSG_NO_APPROVE, "approver")


def _overrides(record: SelectionRecord, cadre: Cadre | None = None) -> dict[str, Override]:
    """The overrides recorded for the record (or for one of its candidates), by rule."""
    qs = Override.objects.filter(record=record, cadre=cadre).select_related("approver")
    return {o.rule: o for o in qs}


# ---------------------------------------------------------------- 动议


def _check_posts(unit: Unit, posts: Sequence[Post], on: dt.date) -> None:
    """Every post is in the target unit's subtree and vacant, and the quota allows it (QUAL-11)."""
    if not posts:
        raise _fail("请选择拟任职位。", "posts")
    if len({p.pk for p in posts}) != len(posts):
        raise _fail("拟任职位不能重复。", "posts")
    reasons: list[Reason] = []
    for post in posts:
        if not post.unit.path.startswith(unit.path):
            raise _fail(f"职位「{post}」不属于{unit.name}。", "posts")
        holder = (
            Tenure.objects.filter(post=post, start_date__lte=on)
            .exclude(end_date__lte=on)
            .select_related("cadre")
            .first()
        )
        if holder is not None:
            reasons.append(
                Reason(
                    rule="QUAL-11",
                    citation=CITE_QUOTA,
                    message=f"职位「{post}」现由{holder.cadre.name}担任（自{holder.start_date:%Y年%m月%d日}起），没有空缺。",
                )
            )
    by_kind: dict[tuple[int, str], int] = {}
    for post in posts:
        if post.counts_toward_quota:
            by_kind[(post.unit_id, post.kind)] = by_kind.get((post.unit_id, post.kind), 0) + 1
    for (unit_id, kind), wanted in by_kind.items():
        quota = Quota.objects.filter(unit_id=unit_id, kind=kind).first()
        filled = (
            Tenure.objects.filter(
                post__unit_id=unit_id, post__kind=kind, post__counts_toward_quota=True, start_date__lte=on
            )
            .exclude(end_date__lte=on)
            .count()
        )
        limit = quota.number if quota else 0
        name = Unit.objects.only("name").get(pk=unit_id).name
        if filled + wanted > limit:
            reasons.append(
                Reason(
                    rule="QUAL-11",
                    citation=CITE_QUOTA,
                    message=(
                        f"{name}{PostKind(kind).label}职数 {limit} 名，已配备 {filled} 名，"
                        f"再任 {wanted} 名将超出职数。"
                    ),
                )
            )
    if reasons:
        raise _fail_all(reasons, "posts")


def _fail_all(reasons: Sequence[Reason], field: str | None = None) -> ServiceError:
    """Every reason explained, as one error (on ``field`` when named)."""
    messages = explain(reasons)
    return ServiceError({field: messages} if field else messages)


def selection_propose_within(
    *,
    actor: User,
    unit: Unit,
    title: str,
    reason: str,
    proposer: str,
    proposed_on: dt.date,
    posts: Sequence[Post],
    announcement: bool = False,
    public_notice: bool = True,
    notice_exemption: str = "",
    exceptional: bool = False,
    exceptional_reason: str = "",
) -> SelectionRecord:
    """动议: open a selection record for vacant posts of ``unit`` (MODE-01; QUAL-11 quota and vacancy).

    Whether the appointment carries a probation is read from the posts (APPT-04); 任前公示 may be
    switched off only with the APPT-01 exception stated; a 破格 selection states its ground (EXC-02).
    """
    require_atomic("selection_propose_within")
    _require_manage(actor, unit)
    for field, value, label in (
        ("title", title, "名称"),
        ("reason", reason, "动议理由"),
        ("proposer", proposer, "提议人"),
    ):
        if not value.strip():
            raise _fail(f"请填写{label}。", field)
    if not public_notice and not notice_exemption.strip():
        raise _fail(
            "免于任前公示须写明理由（特殊岗位，或换届考察时已公示，rules.md APPT-01）。", "notice_exemption"
        )
    if exceptional and not exceptional_reason.strip():
        raise _fail("破格提拔须写明破格的具体情形和理由（rules.md EXC-02）。", "exceptional_reason")
    _check_posts(unit, posts, proposed_on)
    # The route carries a probation when any post would for a promotion (APPT-04); the appointment
    # checks each appointee again, since one who is not promoted has none.
    probation = any(probation_scope_reason(facts.post_probation_facts(p)) is not None for p in posts)
    record = SelectionRecord.objects.create(
        probation=probation,
        title=title.strip(),
        unit=unit,
        reason=reason.strip(),
        proposer=proposer.strip(),
        proposed_on=proposed_on,
        announcement=announcement,
        public_notice=public_notice,
        notice_exemption=notice_exemption.strip(),
        exceptional=exceptional,
        exceptional_reason=exceptional_reason.strip(),
        created_by=actor,
    )
    SelectionPost.objects.bulk_create([SelectionPost(record=record, post=p) for p in posts])
    StepEvent.objects.create(
        record=record, step=Step.PROPOSAL.value, done_on=proposed_on, done_by=actor, note=reason
    )
    audit_record(
        actor=actor,
        event_type="selection.proposed",
        target=record,
        after={"step": Step.PROPOSAL.value, "posts": [str(p) for p in posts], "on": proposed_on},
        unit_id=unit.pk,
    )
    return record


# ---------------------------------------------------------------- 民主推荐


@transaction.atomic(durable=True)
def talk_survey_add(
    *, actor: User, record: SelectionRecord, held_on: dt.date, participants: int, scope: str, summary: str
) -> TalkSurvey:
    """Record a 谈话调研推荐 (REC-02) while the recommendation is under way."""
    record = _locked(record)
    _require_manage(actor, record.unit)
    _require_step(record, Step.PROPOSAL, "登记谈话调研推荐")
    if participants < 1:
        raise _fail("谈话人数至少为 1。", "participants")
    if not scope.strip() or not summary.strip():
        raise _fail("请填写谈话范围和推荐情况。", "summary")
    if held_on < record.proposed_on:
        raise _fail(f"谈话日期早于动议日期（{record.proposed_on:%Y年%m月%d日}）。", "held_on")
    survey = TalkSurvey.objects.create(
        record=record,
        held_on=held_on,
        participants=participants,
        scope=scope.strip(),
        summary=summary.strip(),
    )
    audit_record(
        actor=actor,
        event_type="selection.talk_survey_added",
        target=record,
        after={"participants": participants, "held_on": held_on},
        unit_id=record.unit_id,
    )
    return survey


def _require_ballot(actor: User, record: SelectionRecord, ballot: Ballot, kind: str, what: str) -> None:
    """A ballot of the right kind that the actor manages, held for this record and no other.

    Its items must be for the record's posts (a 会议推荐; naming no post, of the record's unit) or
    its 考察对象 (a 民主测评), and it may not be another live record's: otherwise the 纪实 would
    show another selection's votes as its own.
    """
    if ballot.kind != kind:
        raise _fail(f"请选择一次「{BallotKind(kind).label}」投票作为{what}。", "ballot")
    if not can_edit_unit(actor, ballot.unit):
        raise _fail("投票不存在或不在您的管理范围内。", "ballot")
    # Locked, so two records cannot take the same ballot at once.
    Ballot.objects.select_for_update().filter(pk=ballot.pk).first()
    refusal = ballot_link_refusal(record=record, ballot=ballot)
    if refusal is not None:
        raise _fail(refusal, "ballot")


@transaction.atomic(durable=True)
def recommendation_ballot_link(*, actor: User, record: SelectionRecord, ballot: Ballot) -> SelectionRecord:
    """Attach the meeting recommendation (会议推荐) ballot whose votes the candidates will be chosen from.

    Only a ballot for the record's posts (or, naming no post, of the record's unit) that no other
    live record holds: the 纪实 shows its counts as this selection's (``_require_ballot``).
    """
    record = _locked(record)
    _require_manage(actor, record.unit)
    _require_step(record, Step.PROPOSAL, "关联民主推荐")
    _require_ballot(actor, record, ballot, BallotKind.RECOMMENDATION, "民主推荐")
    record.recommendation_ballot = ballot
    record.save(update_fields=["recommendation_ballot"])
    audit_record(
        actor=actor,
        event_type="selection.ballot_linked",
        target=record,
        after={"ballot_id": ballot.pk, "kind": ballot.kind},
        unit_id=record.unit_id,
    )
    return record


def recommendation_complete_within(
    *, actor: User, record: SelectionRecord, on: dt.date, note: str = "", produced_by: str = ""
) -> SelectionRecord:
    """民主推荐 done: a counted recommendation ballot (valid a year) or a talk survey (REC-01/06).

    ``produced_by`` names a competitive selection whose exams and 民主测评 produced the candidates
    (公开选拔、竞争上岗 as "产生人选的一种方式", MODE-03); the step then records that instead.
    """
    require_atomic("recommendation_complete_within")
    record = _locked(record)
    _require_manage(actor, record.unit)
    _may_move(record, Step.RECOMMENDATION)
    ballot = record.recommendation_ballot
    surveys = record.talk_surveys.count()
    if produced_by.strip():
        _advance(
            actor=actor,
            record=record,
            to=Step.RECOMMENDATION,
            on=on,
            note=(
                f"人选由{produced_by.strip()}产生（公开选拔、竞争上岗为产生人选的方式，rules.md MODE-03）。"
                f"{note}"
            ),
            after={"produced_by": produced_by.strip()},
        )
        return record
    if ballot is None and surveys == 0:
        raise _fail_all([Reason("REC-01", CITE_REC, "尚未进行会议推荐，也没有谈话调研推荐记录。")])
    if ballot is not None:
        if ballot.status not in (BallotStatus.TALLIED, BallotStatus.PUBLISHED):
            raise _fail_all([Reason("REC-01", CITE_REC, f"关联的民主推荐「{ballot.title}」尚未计票。")])
        assert ballot.closed_at is not None
        held = timezone.localdate(ballot.closed_at)
        if on > facts_anniversary(held):
            raise _fail_all(
                [
                    Reason(
                        "REC-06",
                        CITE_REC,
                        f"民主推荐于{held:%Y年%m月%d日}进行，至{on:%Y年%m月%d日}已超过一年，结果失效。",
                    )
                ]
            )
    _advance(
        actor=actor, record=record, to=Step.RECOMMENDATION, on=on, note=note, after={"talk_surveys": surveys}
    )
    return record


def facts_anniversary(day: dt.date) -> dt.date:
    """The same day a year later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


# ---------------------------------------------------------------- 确定考察对象


@dataclass(frozen=True)
class Choice:
    """One inspection candidate as chosen by the officers: a cadre for a post of the record."""

    cadre: Cadre
    post: Post


def _votes_for(record: SelectionRecord, cadre: Cadre) -> int | None:
    """The cadre's recommendation votes (summed over the ballot's posts), if a ballot was held."""
    if record.recommendation_ballot_id is None:
        return None
    total = 0
    for result in BallotResult.objects.filter(ballot_id=record.recommendation_ballot_id):
        total += int(result.data.get("votes", {}).get(cadre.name, 0))
    return total


def candidate_findings(record: SelectionRecord, cadre: Cadre, post: Post, on: dt.date) -> el.CheckResult:
    """Eligibility (QUAL, INSP-01, EXC), avoidance (AVD-01, AVD-05) and the term limits (ROT-04/05/13).

    Avoidance findings are blocking: the law allows no exception below the provincial level (AVD-08).
    Overrides recorded for the cadre lift the findings the rules let be lifted.
    """
    checked = _raw_findings(record, cadre, post, on)
    given = [
        el.Override(
            rule=o.rule,
            reason=o.reason,
            approver=str(o.approver),
            approved_on=o.approved_on,
            higher_approval_ref=o.higher_approval_ref,
        )
        for o in _overrides(record, cadre).values()
    ]
    try:
        return el.apply_overrides(checked, given)
    except ValueError as exc:
        raise _fail(str(exc)) from None


def _raw_findings(record: SelectionRecord, cadre: Cadre, post: Post, on: dt.date) -> el.CheckResult:
    """The findings of ``candidate_findings`` before any override is applied."""
    findings: list[el.Finding] = []
    missing = facts.missing_facts(cadre)
    if missing:
        findings.append(
            el.Finding(
                Reason(
                    "QUAL-01",
                    "任职资格审查须依据完整的干部档案（rules.md QUAL-01、QUAL-05）",
                    f"干部档案缺少：{'、'.join(missing)}，无法审查任职资格。",
                ),
                el.Severity.BLOCKING,
            )
        )
    result = el.check_eligibility(
        facts.candidate_facts(cadre), facts.promotion_target(post, exceptional=record.exceptional), on
    )
    findings.extend(result.findings)
    kin = check_kinship_avoidance(facts.relatives_of(cadre, on), facts.target_post_facts(post, on))
    findings.extend(el.Finding(r, el.Severity.BLOCKING) for r in kin.reasons)
    organ = facts.hometown_organ(post)
    if organ is not None:
        home = check_hometown(cadre.native_place, cadre.birthplace, facts.county_name(post), organ)
        findings.extend(el.Finding(r, el.Severity.BLOCKING) for r in home.reasons)
    findings.extend(term_findings(cadre, post, on))
    return el.CheckResult.of(findings)


def _findings_json(result: el.CheckResult) -> list[dict[str, Any]]:
    """Remaining and overridden findings, for the record."""
    rows: list[dict[str, Any]] = [
        {
            "rule": f.reason.rule,
            "citation": f.reason.citation,
            "message": f.reason.message,
            "severity": f.severity.value,
            "overridden": False,
        }
        for f in result.findings
    ]
    rows += [
        {
            "rule": f.reason.rule,
            "citation": f.reason.citation,
            "message": f.reason.message,
            "severity": f.severity.value,
            "overridden": True,
            "override": {
                "reason": o.reason,
                "approver": o.approver,
                "approved_on": o.approved_on.isoformat(),
            },
        }
        for f, o in result.overridden
    ]
    return rows


def candidates_set_within(
    *,
    actor: User,
    record: SelectionRecord,
    choices: Sequence[Choice],
    on: dt.date,
    differential_reason: str = "",
) -> list[Candidate]:
    """确定考察对象: choose the inspection candidates, checked for each person and for their number.

    The recommendation votes are shown as a reference, not an election (REC-07): the officers
    choose. More candidates than posts is required (INSP-02); the county's 差额 parameters (INSP-03,
    policy values in force on ``on``) may be departed from only with ``differential_reason``
    recorded (e.g. 意见集中 for an 等额 inspection). Each person must pass the eligibility and
    avoidance checks, or have an approved override for every finding the rules let be lifted.
    """
    require_atomic("candidates_set_within")
    record = _locked(record)
    _require_manage(actor, record.unit)
    _require_step(record, Step.RECOMMENDATION, "确定考察对象")
    post_ids = set(record.posts.values_list("post_id", flat=True))
    if not choices:
        raise _fail("请选择考察对象。", "choices")
    visible = cadres_for(actor)
    seen: set[tuple[int, int]] = set()
    for choice in choices:
        if choice.post.pk not in post_ids:
            raise _fail(f"职位「{choice.post}」不是本次选拔的拟任职位。", "choices")
        if not visible.filter(pk=choice.cadre.pk).exists():
            raise _fail(MSG_OUT_OF_SCOPE, "choices")
        if (choice.cadre.pk, choice.post.pk) in seen:
            raise _fail(f"{choice.cadre.name}已列为「{choice.post}」的考察对象。", "choices")
        seen.add((choice.cadre.pk, choice.post.pk))
    posts = len(post_ids)
    count_verdict = check_candidate_count(
        posts,
        len(choices),
        min_extra=int(policy_value("inspection.min_extra", on).value),
        max_extra=int(policy_value("inspection.max_extra", on).value),
        min_ratio=policy_value("inspection.min_ratio", on).value,
        max_ratio=policy_value("inspection.max_ratio", on).value,
        single_candidate_reason=differential_reason,
    )
    # A departure from the county's 差额 parameters passes with a recorded reason; fewer candidates
    # than posts never does.
    if not count_verdict.ok and (len(choices) < posts or not differential_reason.strip()):
        suffix = (
            [] if len(choices) < posts else ["如确需突破本县差额比例（含意见集中的等额考察），请填写理由。"]
        )
        raise ServiceError({"choices": [*explain(count_verdict.reasons), *suffix]})
    problems: list[str] = []
    rows: list[tuple[Choice, el.CheckResult]] = []
    for choice in choices:
        result = candidate_findings(record, choice.cadre, choice.post, on)
        rows.append((choice, result))
        for f in result.findings:
            hint = (
                "（不得突破）"
                if not f.overridable
                else "（须经组织部领导批准例外"
                + ("，并报上级组织部门同意）" if f.needs_higher_approval else "）")
            )
            problems.append(f"{choice.cadre.name}：{f.reason.message}{hint}（依据：{f.reason.citation}）")
    if problems:
        raise ServiceError({"choices": problems})
    record.candidates.all().delete()
    made = [
        Candidate.objects.create(
            record=record,
            cadre=choice.cadre,
            post=choice.post,
            votes=_votes_for(record, choice.cadre),
            findings=_findings_json(result),
            sort_order=n,
        )
        for n, (choice, result) in enumerate(rows, start=1)
    ]
    note = differential_reason.strip()
    _advance(
        actor=actor,
        record=record,
        to=Step.CANDIDATES,
        on=on,
        note=note,
        after={"candidates": [c.cadre_id for c in made], "posts": posts},
    )
    return made


selection_propose = durable(selection_propose_within)
recommendation_complete = durable(recommendation_complete_within)
candidates_set = durable(candidates_set_within)


@dataclass(frozen=True)
class ExceptionOption:
    """A finding the system made on a record, which the department's leadership may be asked to lift.

    ``rule`` is what an :class:`Override` records (the rule id, ``OPINIONS`` or ``INSP-EVAL``);
    ``reason`` the finding as the system stated it; ``cadre`` the person it concerns (None for the
    record itself). ``overridable`` is false for what nothing may lift (avoidance, an incomplete
    file); ``needs_higher_approval`` marks a 破格 finding (EXC-06/07).
    """

    rule: str
    reason: Reason
    cadre: Cadre | None = None
    overridable: bool = True
    needs_higher_approval: bool = False

    @property
    def words(self) -> str:
        """The finding as a leader reads it: whom it concerns, the fact, the regulation."""
        who = f"{self.cadre.name}：" if self.cadre is not None else ""
        return who + explain([self.reason])[0]

    @property
    def key(self) -> str:
        """The choice's value on a page (whom it concerns and the rule; never shown)."""
        return f"{self.cadre.pk if self.cadre is not None else 0}:{self.rule}"


def _person_options(record: SelectionRecord, cadre: Cadre, on: dt.date) -> list[ExceptionOption]:
    """The eligibility findings of ``cadre`` for the record's posts, one per rule, not yet lifted."""
    lifted = _overrides(record, cadre)
    by_rule: dict[str, list[el.Finding]] = {}
    for selected in record.posts.select_related("post__unit"):
        for f in _raw_findings(record, cadre, selected.post, on).findings:
            if f.reason.rule not in lifted:
                by_rule.setdefault(f.reason.rule, []).append(f)
    options = []
    for rule, found in by_rule.items():
        message = "".join(dict.fromkeys(f.reason.message for f in found))
        options.append(
            ExceptionOption(
                rule=rule,
                reason=Reason(rule, found[0].reason.citation, message),
                cadre=cadre,
                # An override lifts every finding of its rule, so one that may not be lifted blocks it.
                overridable=all(f.overridable for f in found),
                needs_higher_approval=any(f.needs_higher_approval for f in found),
            )
        )
    return options


def _probation_vote_finding(probation: Probation, on: dt.date) -> Reason | None:
    """EVAL-11: the probationer's latest counted 民主测评 since the probation began, at or below the floor."""
    result = (
        BallotResult.objects.filter(
            ballot__kind=BallotKind.EVALUATION,
            ballot__status__in=(BallotStatus.TALLIED, BallotStatus.PUBLISHED),
            ballot__closed_at__date__gte=probation.start_date,
            item__cadre=probation.candidate.cadre,
        )
        .select_related("ballot")
        .order_by("-ballot__closed_at", "-id")
        .first()
    )
    if result is None:
        return None
    share = Fraction(result.data.get("approval_share", "0"))
    floor = policy_value("evaluation.approval_threshold", on)
    if share > floor.value:
        return None
    return Reason(
        "EVAL-11",
        CITE_PROBATION_VOTE,
        f"试用期满民主测评「{result.ballot.title}」“优秀+称职”占{float(share) * 100:.2f}%，"
        f"未超过{floor.text}。",
    )


def exception_options(
    record: SelectionRecord, *, on: dt.date, cadre: Cadre | None = None
) -> list[ExceptionOption]:
    """The findings the system currently makes on ``record`` that an exception could be asked for.

    - 动议 and 民主推荐 (before the 考察对象 are set): the eligibility findings of ``cadre``, the
      person the leader names, for the record's posts on ``on`` (QUAL, INSP-01, EXC; avoidance and
      an incomplete file are listed as not liftable);
    - 确定考察对象 and 考察预告: no 考察民主测评 linked yet (``INSP-EVAL``);
    - 考察 done: opinions not all asked or answered (``OPINIONS``);
    - 任职 and 任后反响: a running probation whose latest 民主测评 is at or below the county floor
      (EVAL-11).

    A finding already lifted by an override is no longer listed. Reads only (the record as stored).
    """
    record = SelectionRecord.objects.select_related("unit").get(pk=record.pk)
    step = Step(record.step)
    options: list[ExceptionOption] = []
    if cadre is not None and step in (Step.PROPOSAL, Step.RECOMMENDATION):
        options += _person_options(record, cadre, on)
    lifted = _overrides(record)
    if (
        step in (Step.CANDIDATES, Step.PREANNOUNCEMENT)
        and record.inspection_ballot_id is None
        and "INSP-EVAL" not in lifted
    ):
        options.append(
            ExceptionOption(
                rule="INSP-EVAL", reason=Reason("INSP-05", CITE_INSPECTION, "尚未关联考察民主测评。")
            )
        )
    if step is Step.INSPECTION and "OPINIONS" not in lifted:
        outstanding = opinions_outstanding(record)
        if outstanding:
            message = "征求意见尚未完成：" + "".join(r.message for r in outstanding)
            options.append(
                ExceptionOption(rule="OPINIONS", reason=Reason("OPINIONS", CITE_OPINIONS, message))
            )
    if step in (Step.APPOINTMENT, Step.FEEDBACK):
        running = record.probations.filter(status=ProbationStatus.RUNNING).select_related("candidate__cadre")
        for probation in running:
            person = probation.candidate.cadre
            if "EVAL-11" in _overrides(record, person):
                continue
            finding = _probation_vote_finding(probation, on)
            if finding is not None:
                options.append(ExceptionOption(rule="EVAL-11", reason=finding, cadre=person))
    return options


MSG_NOT_A_FINDING = "所选事项不是本纪实当前的审查意见，不能批准例外。"


@transaction.atomic(durable=True)
def override_grant(
    *,
    actor: User,
    record: SelectionRecord,
    rule: str,
    reason: str,
    approved_on: dt.date,
    cadre: Cadre | None = None,
    higher_approval_ref: str = "",
) -> Override:
    """The department's leadership approves an exception to a finding the system made (EXC-06/07 …).

    ``rule`` and ``cadre`` name one of ``exception_options(record, on=approved_on, cadre=cadre)``:
    a rule the system did not find on this record (or for this person), one nothing may lift, or
    one already lifted is refused. The finding's words are kept with the approval. The approver is
    the user who records it, signed in: an officer cannot record an approval on a leader's behalf.
    A 破格 finding also needs the higher 组织部门's approval reference.
    """
    record = _locked(record)
    _approver_ok(actor)
    if not units_for(actor).filter(pk=record.unit_id).exists():
        raise _fail(MSG_NO_MANAGE)
    wanted = rule.strip()
    if not wanted:
        raise _fail("请选择要批准例外的审查意见。", "rule")
    if not reason.strip():
        raise _fail("请填写理由。", "reason")
    if Step(record.step) is Step.WITHDRAWN:
        raise _fail("纪实已终止。")
    if wanted in _overrides(record, cadre):
        raise _fail("该审查意见已经批准例外。", "rule")
    options = exception_options(record, on=approved_on, cadre=cadre)
    match = next((o for o in options if o.rule == wanted and o.cadre == cadre), None)
    if match is None:
        shown = [o.words for o in options if o.overridable]
        if shown:
            listing = "本纪实当前可批准例外的审查意见：" + "；".join(shown)
        else:
            listing = "本纪实当前没有可批准例外的审查意见。"
            if cadre is None and Step(record.step) in (Step.PROPOSAL, Step.RECOMMENDATION):
                listing += "涉及人选任职资格的，请先指明人选。"
        raise _fail(MSG_NOT_A_FINDING + listing, "rule")
    if not match.overridable:
        raise _fail(f"「{match.reason.message}」属于不得突破的要求，不能批准例外。", "rule")
    if match.needs_higher_approval and not higher_approval_ref.strip():
        raise _fail("该审查意见属于破格提拔，须填写上级组织部门的批复文号。", "higher_approval_ref")
    override = Override.objects.create(
        record=record,
        cadre=cadre,
        rule=wanted,
        finding=match.reason.message[:500],
        reason=reason.strip(),
        higher_approval_ref=higher_approval_ref.strip(),
        approver=actor,
        approved_on=approved_on,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        event_type="selection.override_granted",
        target=record,
        after={"rule": override.rule, "finding": override.finding, "cadre_id": cadre.pk if cadre else None},
        reason=override.reason,
        cadre_id=cadre.pk if cadre else None,
        unit_id=record.unit_id,
    )
    return override


# ---------------------------------------------------------------- 考察预告, 考察


def _team(team: Sequence[str]) -> list[str]:
    """Team members' names, stripped and de-duplicated; at least two (INSP-04)."""
    names = list(dict.fromkeys(n.strip() for n in team if n.strip()))
    if len(names) < 2:
        raise _fail_all(
            [Reason("INSP-04", CITE_TEAM, f"考察组仅 {len(names)} 人，应由两名以上成员组成。")], "team"
        )
    return names


@transaction.atomic(durable=True)
def preannouncement_publish(
    *,
    actor: User,
    record: SelectionRecord,
    title: str,
    body: str,
    team: Sequence[str],
    start_date: dt.date,
    end_date: dt.date,
    contact: str,
) -> PublicNotice:
    """考察预告: the notice to the unit (team, subjects, content, dates) before the inspection (INSP-05)."""
    record = _locked(record)
    _require_manage(actor, record.unit)
    _require_step(record, Step.CANDIDATES, "发布考察预告")
    names = _team(team)
    if end_date < start_date:
        raise _fail("截止日期早于起始日期。", "end_date")
    if not title.strip() or not body.strip():
        raise _fail("请填写标题和正文。", "body")
    notice = PublicNotice.objects.create(
        record=record,
        kind=NoticeKind.PREANNOUNCEMENT,
        title=title.strip(),
        body=body.strip(),
        start_date=start_date,
        end_date=end_date,
        contact=contact.strip(),
        team=names,
        published_by=actor,
    )
    _advance(
        actor=actor, record=record, to=Step.PREANNOUNCEMENT, on=start_date, after={"notice_id": notice.pk}
    )
    return notice


@transaction.atomic(durable=True)
def inspection_start(
    *,
    actor: User,
    record: SelectionRecord,
    team_leader: str,
    team: Sequence[str],
    started_on: dt.date,
    audit_required: bool = False,
) -> Inspection:
    """Start the inspection: not before the pre-announcement is out (INSP-05), with a team of two or more."""
    record = _locked(record)
    _require_manage(actor, record.unit)
    _require_step(record, Step.PREANNOUNCEMENT, "开始考察")
    names = _team(team)
    if not team_leader.strip():
        raise _fail("请填写考察组组长。", "team_leader")
    notice = PublicNotice.objects.get(record=record, kind=NoticeKind.PREANNOUNCEMENT)
    if started_on < notice.start_date:
        raise _fail_all(
            [
                Reason(
                    "INSP-05",
                    "《党政领导干部选拔任用工作条例》(2014) 第二十八条："
                    "在一定范围内发布干部考察预告后进行个别谈话等考察"
                    "（rules.md INSP-05，置信度 Q）",
                    f"考察开始日期{started_on:%Y年%m月%d日}早于考察预告发布日期{notice.start_date:%Y年%m月%d日}。",
                )
            ],
            "started_on",
        )
    if Inspection.objects.filter(record=record).exists():
        raise _fail("考察已经开始。")
    inspection = Inspection.objects.create(
        record=record,
        team_leader=team_leader.strip(),
        team=names,
        started_on=started_on,
        audit_required=audit_required,
    )
    audit_record(
        actor=actor,
        event_type="selection.inspection_started",
        target=record,
        after={"team": len(names), "started_on": started_on, "audit_required": audit_required},
        unit_id=record.unit_id,
    )
    return inspection


@transaction.atomic(durable=True)
def inspection_check_record(
    *, actor: User, candidate: Candidate, kind: str, done_on: dt.date, result: str
) -> InspectionCheck:
    """Record one mandatory check of an inspection candidate (凡提四必, INSP-06; prior audit AUD-06)."""
    record = _locked(candidate.record)
    _require_manage(actor, record.unit)
    if Step(record.step) not in (Step.CANDIDATES, Step.PREANNOUNCEMENT):
        raise _fail(MSG_WRONG_STEP.format(current=Step(record.step).label, action="登记考察审核事项"))
    if kind not in CheckKind.values:
        raise _fail("审核事项不正确。", "kind")
    if not result.strip():
        raise _fail("请填写结论。", "result")
    check, created = InspectionCheck.objects.update_or_create(
        candidate=candidate,
        kind=kind,
        defaults={"done_on": done_on, "result": result.strip(), "done_by": actor},
    )
    audit_record(
        actor=actor,
        event_type="selection.check_recorded",
        target=record,
        after={"candidate_id": candidate.pk, "kind": kind, "done_on": done_on, "new": created},
        cadre_id=candidate.cadre_id,
        unit_id=record.unit_id,
    )
    return check


@transaction.atomic(durable=True)
def inspection_ballot_link(*, actor: User, record: SelectionRecord, ballot: Ballot) -> SelectionRecord:
    """Attach the inspection's democratic evaluation (民主测评) ballot: one of this record's 考察对象."""
    record = _locked(record)
    _require_manage(actor, record.unit)
    if Step(record.step) not in (Step.CANDIDATES, Step.PREANNOUNCEMENT):
        raise _fail(MSG_WRONG_STEP.format(current=Step(record.step).label, action="关联考察民主测评"))
    _require_ballot(actor, record, ballot, BallotKind.EVALUATION, "考察民主测评")
    record.inspection_ballot = ballot
    record.save(update_fields=["inspection_ballot"])
    audit_record(
        actor=actor,
        event_type="selection.ballot_linked",
        target=record,
        after={"ballot_id": ballot.pk, "kind": ballot.kind},
        unit_id=record.unit_id,
    )
    return record


def missing_checks(record: SelectionRecord) -> list[Reason]:
    """Each candidate's mandatory check not yet recorded, as reasons naming the person and the check."""
    inspection = Inspection.objects.filter(record=record).first()
    kinds = list(MANDATORY_CHECKS)
    if inspection is not None and inspection.audit_required:
        kinds.append(CheckKind.ECONOMIC_AUDIT)
    done = {
        (c.candidate_id, c.kind)
        for c in InspectionCheck.objects.filter(candidate__record=record).only("candidate_id", "kind")
    }
    reasons = []
    for candidate in record.candidates.select_related("cadre"):
        for kind in kinds:
            if (candidate.pk, kind) not in done:
                reasons.append(
                    Reason(
                        "INSP-06",
                        CITE_CHECKS,
                        f"{candidate.cadre.name}：尚未完成「{CheckKind(kind).label}」。",
                    )
                )
    return reasons


@transaction.atomic(durable=True)
def inspection_complete(
    *, actor: User, record: SelectionRecord, finished_on: dt.date, interviews: int, materials: str
) -> Inspection:
    """考察 done: interviews held, the evaluation counted, every mandatory check of every candidate done."""
    record = _locked(record)
    _require_manage(actor, record.unit)
    _require_step(record, Step.PREANNOUNCEMENT, "完成考察")
    inspection = Inspection.objects.filter(record=record).first()
    if inspection is None:
        raise _fail("考察尚未开始。")
    reasons = missing_checks(record)
    if finished_on < inspection.started_on:
        raise _fail("考察结束日期早于开始日期。", "finished_on")
    if interviews < 1:
        reasons.append(Reason("INSP-05", CITE_INSPECTION, "没有个别谈话记录（谈话人数为 0）。"))
    ballot = record.inspection_ballot
    if ballot is None and "INSP-EVAL" not in _overrides(record):
        reasons.append(Reason("INSP-05", CITE_INSPECTION, "尚未关联考察民主测评。"))
    elif ballot is not None and ballot.status not in (BallotStatus.TALLIED, BallotStatus.PUBLISHED):
        reasons.append(Reason("INSP-05", CITE_INSPECTION, f"考察民主测评「{ballot.title}」尚未计票。"))
    if not materials.strip():
        raise _fail("请填写考察材料（综合分析意见）。", "materials")
    if reasons:
        raise _fail_all(reasons)
    inspection.finished_on, inspection.interviews, inspection.materials = (
        finished_on,
        interviews,
        materials.strip(),
    )
    inspection.save(update_fields=["finished_on", "interviews", "materials"])
    _advance(actor=actor, record=record, to=Step.INSPECTION, on=finished_on, after={"interviews": interviews})
    return inspection


# ---------------------------------------------------------------- 征求意见


@transaction.atomic(durable=True)
def opinion_request_send(
    *,
    actor: User,
    record: SelectionRecord,
    body: str,
    body_name: str,
    sent_on: dt.date,
    addressee: User | None = None,
) -> OpinionRequest:
    """Ask one body for its opinion on the candidates; it answers in the system.

    Without a named addressee the officer records the body's written answer.
    """
    record = _locked(record)
    _require_manage(actor, record.unit)
    if Step(record.step) not in (Step.CANDIDATES, Step.PREANNOUNCEMENT, Step.INSPECTION):
        raise _fail(MSG_WRONG_STEP.format(current=Step(record.step).label, action="征求意见"))
    if body not in OpinionBody.values:
        raise _fail("征求意见单位类别不正确。", "body")
    if addressee is not None and not has_cap(addressee, Cap.OPINION_ANSWER):
        raise _fail(f"{addressee} 不是监督部门的用户，不能答复征求意见。", "addressee")
    name = body_name.strip() or OpinionBody(body).label
    if OpinionRequest.objects.filter(record=record, body_name=name).exists():
        raise _fail(f"已向{name}征求过意见。", "body_name")
    request = OpinionRequest.objects.create(
        record=record, body=body, body_name=name, addressee=addressee, sent_on=sent_on
    )
    audit_record(
        actor=actor,
        event_type="selection.opinion_requested",
        target=record,
        after={"body": body, "body_name": name, "addressee_id": addressee.pk if addressee else None},
        unit_id=record.unit_id,
    )
    return request


@transaction.atomic(durable=True)
def opinion_answer(
    *, actor: User, request: OpinionRequest, answer: str, text: str, answered_on: dt.date
) -> OpinionRequest:
    """The body's answer: 无异议, or 有问题 with what the problem is.

    The addressee answers; when none was named, an officer records the body's written answer.
    """
    request = OpinionRequest.objects.select_for_update().select_related("record__unit").get(pk=request.pk)
    record = request.record
    if request.addressee_id is not None:
        if actor.pk != request.addressee_id:
            raise _fail("该征求意见须由被征求意见单位的指定人员答复。")
    else:
        _require_manage(actor, record.unit)
    if request.answer:
        raise _fail("已经答复，不能修改。")
    if answer not in OpinionAnswer.values:
        raise _fail("请选择答复意见。", "answer")
    if answer == OpinionAnswer.PROBLEM and not text.strip():
        raise _fail("有问题的，请写明具体问题。", "answer_text")
    if answered_on < request.sent_on:
        raise _fail("答复日期早于发出日期。", "answered_on")
    request.answer, request.answer_text = answer, text.strip()
    request.answered_on, request.answered_by = answered_on, actor
    request.save(update_fields=["answer", "answer_text", "answered_on", "answered_by"])
    audit_record(
        actor=actor,
        event_type="selection.opinion_answered",
        target=record,
        after={"request_id": request.pk, "answer": answer},
        unit_id=record.unit_id,
    )
    return request


def opinions_outstanding(record: SelectionRecord) -> list[Reason]:
    """What keeps the decision waiting: bodies not asked, and requests not answered."""
    requests = list(record.opinion_requests.all())
    asked = {r.body for r in requests}
    reasons = [
        Reason("OPINIONS", CITE_OPINIONS, f"尚未征求{OpinionBody(b).label}的意见。")
        for b in REQUIRED_OPINIONS
        if b not in asked
    ]
    reasons += [
        Reason("OPINIONS", CITE_OPINIONS, f"{r.body_name}尚未答复（{r.sent_on:%Y年%m月%d日}发出）。")
        for r in requests
        if not r.answer
    ]
    return reasons


@transaction.atomic(durable=True)
def opinions_complete(*, actor: User, record: SelectionRecord, on: dt.date) -> SelectionRecord:
    """征求意见 done: every required body asked and answered, or an approved override (OPINIONS)."""
    record = _locked(record)
    _require_manage(actor, record.unit)
    _may_move(record, Step.OPINIONS)
    outstanding = opinions_outstanding(record)
    override = _overrides(record).get("OPINIONS")
    if outstanding and override is None:
        raise _fail_all(outstanding)
    problems = record.opinion_requests.filter(answer=OpinionAnswer.PROBLEM).count()
    note = (
        f"未全部答复，经{override.approver}批准先行研究：{override.reason}"
        if outstanding and override
        else ""
    )
    _advance(actor=actor, record=record, to=Step.OPINIONS, on=on, note=note, after={"problems": problems})
    return record


# ---------------------------------------------------------------- 部务会, 常委会票决


@transaction.atomic(durable=True)
def department_meeting_record(
    *, actor: User, record: SelectionRecord, held_on: dt.date, minutes: str, proposed: Sequence[Candidate]
) -> Decision:
    """部务会: the department approves the proposal and names one proposed appointee per post."""
    record = _locked(record)
    _require_manage(actor, record.unit)
    _require_step(record, Step.OPINIONS, "记录部务会")
    if not minutes.strip():
        raise _fail("请填写部务会意见。", "minutes")
    if not proposed:
        raise _fail("请选择部务会提出的任用建议人选。", "proposed")
    if any(c.record_id != record.pk for c in proposed):
        raise _fail("所选人选不是本纪实的考察对象。", "proposed")
    per_post: dict[int, int] = {}
    for c in proposed:
        per_post[c.post_id] = per_post.get(c.post_id, 0) + 1
    if any(n > 1 for n in per_post.values()):
        raise _fail("每个职位只能提出一名任用建议人选。", "proposed")
    record.candidates.update(proposed=False)
    Candidate.objects.filter(pk__in=[c.pk for c in proposed]).update(proposed=True)
    decision = Decision.objects.create(
        record=record, department_meeting_on=held_on, department_minutes=minutes.strip()
    )
    _advance(
        actor=actor,
        record=record,
        to=Step.DEPARTMENT_MEETING,
        on=held_on,
        note=minutes.strip(),
        after={"proposed": [c.cadre_id for c in proposed]},
    )
    return decision


@transaction.atomic(durable=True)
def committee_vote_prepare(
    *, actor: User, record: SelectionRecord, title: str, members: Sequence[User], unit: Unit | None = None
) -> Ballot:
    """Prepare the standing committee's vote: one agenda item per proposed appointee, the roster of members.

    The vote itself (attendance, recusals, casting, the count) runs in the voting app; the record
    takes its result with ``committee_vote_complete``.
    """
    record = _locked(record)
    _require_manage(actor, record.unit)
    _require_step(record, Step.DEPARTMENT_MEETING, "准备常委会票决")
    if record.committee_ballot_id is not None:
        raise _fail("已经准备了常委会票决。")
    # AUD-06: a proposed appointee who heads a unit and is moving is put before the committee
    # only once the economic-responsibility audit of that tenure is reported (before today).
    moves = [
        (c.cadre, c.post) for c in record.candidates.filter(proposed=True).select_related("cadre", "post")
    ]
    audit_reasons = prior_audit_reasons(
        moves, timezone.localdate(), rule="AUD-06", citation=CITE_PRIOR_AUDIT, event="提交常委会讨论决定"
    )
    if audit_reasons:
        raise _fail_all(audit_reasons)
    if not members:
        raise _fail("请选择应到会的常委。", "members")
    ballot = voting.ballot_create_within(
        actor=actor,
        kind=BallotKind.COMMITTEE,
        title=title.strip() or f"{record.title}常委会票决",
        unit=unit or record.unit,
    )
    for candidate in record.candidates.filter(proposed=True).select_related("cadre", "post__unit"):
        voting.ballot_item_add_within(
            actor=actor,
            ballot=ballot,
            cadre=candidate.cadre,
            post=candidate.post,
            action=ItemAction.APPOINTMENT,
            label=f"{candidate.cadre.name}：拟任{candidate.post}",
        )
    for member in members:
        voting.committee_member_add_within(actor=actor, ballot=ballot, user=member)
    record.committee_ballot = ballot
    record.save(update_fields=["committee_ballot"])
    audit_record(
        actor=actor,
        event_type="selection.ballot_linked",
        target=record,
        after={"ballot_id": ballot.pk, "kind": ballot.kind, "members": len(members)},
        unit_id=record.unit_id,
    )
    return ballot


@transaction.atomic(durable=True)
def committee_vote_complete(*, actor: User, record: SelectionRecord, decided_on: dt.date) -> list[Candidate]:
    """常委会票决 done: take each item's result (DEC-01 quorum, DEC-02 majority of those who should attend).

    At least one proposed appointee must have passed; those who did not are marked so.
    """
    record = _locked(record)
    _require_manage(actor, record.unit)
    _require_step(record, Step.DEPARTMENT_MEETING, "登记票决结果")
    ballot = record.committee_ballot
    if ballot is None:
        raise _fail("尚未准备常委会票决。")
    if ballot.status not in (BallotStatus.TALLIED, BallotStatus.PUBLISHED):
        raise _fail(f"常委会票决「{ballot.title}」尚未计票。")
    results = {
        r.item.cadre_id: r.data for r in BallotResult.objects.filter(ballot=ballot).select_related("item")
    }
    proposed = list(record.candidates.filter(proposed=True).select_related("cadre"))
    passed = []
    for candidate in proposed:
        data = results.get(candidate.cadre_id, {})
        candidate.approved = bool(data.get("passed"))
        candidate.save(update_fields=["approved"])
        if candidate.approved:
            passed.append(candidate)
    if not passed:
        reasons = [
            Reason(r["rule"], r["citation"], r["message"])
            for d in results.values()
            for r in d.get("reasons", [])
        ]
        raise _fail_all(
            [Reason("DEC-02", "", "常委会票决没有通过任何人选；请终止本纪实或重新动议。"), *reasons]
        )
    # AUD-06: the audit of a passed appointee's tenure as a unit head reported before the decision.
    audit_reasons = prior_audit_reasons(
        [(c.cadre, c.post) for c in passed],
        decided_on,
        rule="AUD-06",
        citation=CITE_PRIOR_AUDIT,
        event="讨论决定",
    )
    if audit_reasons:
        raise _fail_all(audit_reasons)
    Decision.objects.filter(record=record).update(committee_decided_on=decided_on)
    _advance(
        actor=actor,
        record=record,
        to=Step.COMMITTEE_VOTE,
        on=decided_on,
        after={"passed": [c.cadre_id for c in passed], "ballot_id": ballot.pk},
    )
    return passed


def decided_on(record: SelectionRecord) -> dt.date:
    """The day of the standing committee's decision."""
    decision = Decision.objects.filter(record=record).first()
    if decision is None or decision.committee_decided_on is None:
        raise _fail("尚无常委会决定。")
    return decision.committee_decided_on


# ---------------------------------------------------------------- 第一时间公告提醒, 任前公示


@transaction.atomic(durable=True)
def announcement_record(
    *,
    actor: User,
    record: SelectionRecord,
    announced_on: dt.date,
    place: str,
    announced_by: str,
    reminders: Sequence[str],
    acknowledged_by: str,
) -> Announcement:
    """第一时间公告提醒: announced at the unit right after the vote; every reminder item acknowledged."""
    record = _locked(record)
    _require_manage(actor, record.unit)
    _require_step(record, Step.COMMITTEE_VOTE, "登记第一时间公告提醒")
    day = decided_on(record)
    if announced_on < day:
        raise _fail(f"宣布日期早于常委会决定日期（{day:%Y年%m月%d日}）。", "announced_on")
    missing = [label for key, label in REMINDER_ITEMS if key not in set(reminders)]
    if missing:
        raise _fail_all(
            [Reason("LOCAL-ANNOUNCE", CITE_ANNOUNCEMENT, f"以下提醒事项尚未确认：{'、'.join(missing)}。")],
            "reminders",
        )
    if not place.strip() or not announced_by.strip() or not acknowledged_by.strip():
        raise _fail("请填写宣布地点、宣布人和签字确认人。")
    made = Announcement.objects.create(
        record=record,
        announced_on=announced_on,
        place=place.strip(),
        announced_by=announced_by.strip(),
        reminders=[key for key, _ in REMINDER_ITEMS],
        acknowledged_by=acknowledged_by.strip(),
    )
    _advance(actor=actor, record=record, to=Step.ANNOUNCEMENT, on=announced_on)
    return made


@transaction.atomic(durable=True)
def public_notice_publish(
    *,
    actor: User,
    record: SelectionRecord,
    title: str,
    body: str,
    start_date: dt.date,
    end_date: dt.date,
    contact: str,
    length_reason: str = "",
) -> PublicNotice:
    """任前公示: after the decision, for at least the period of the rules in force on the decision day.

    Since 2014 at least 5 working days (APPT-02), counted with the official holiday and adjusted
    workday calendar and the administrator's entries; 7–15 days for earlier decisions (APPT-03),
    where a longer notice needs ``length_reason`` ("一般为7—15天"): it is kept on the notice, in the
    step's note on the 纪实 and in the audit event. A reason given for a period that needs none is
    not kept.
    """
    record = _locked(record)
    _require_manage(actor, record.unit)
    if Step(record.step) not in (Step.COMMITTEE_VOTE, Step.ANNOUNCEMENT):
        raise _fail(MSG_WRONG_STEP.format(current=Step(record.step).label, action="发布任前公示"))
    if not title.strip() or not body.strip():
        raise _fail("请填写标题和正文。", "body")
    if len(length_reason.strip()) > 300:
        raise _fail("理由不能超过 300 字。", "length_reason")
    calendar, decided = work_calendar(), decided_on(record)
    try:
        verdict = check_notice_period(
            start_date, end_date, calendar, decided, over_maximum_reason=length_reason
        )
        longer = exceeds_general_maximum(start_date, end_date, calendar, decided)
    except CalendarNotCovered as exc:
        raise _fail(str(exc), "end_date") from None
    # Only the missing reason at fault: the message belongs next to the reason's box.
    only_reason = longer and not length_reason.strip() and len(verdict.reasons) == 1
    _refuse(verdict, "length_reason" if only_reason else "end_date")
    kept_reason = length_reason.strip() if longer else ""
    notice = PublicNotice.objects.create(
        record=record,
        kind=NoticeKind.PUBLIC_NOTICE,
        title=title.strip(),
        body=body.strip(),
        start_date=start_date,
        end_date=end_date,
        contact=contact.strip(),
        length_reason=kept_reason,
        published_by=actor,
    )
    length = verdict.reasons[0].message if verdict.reasons else ""
    _advance(
        actor=actor,
        record=record,
        to=Step.PUBLIC_NOTICE,
        on=start_date,
        note=length,
        after={"notice_id": notice.pk, **({"length_reason": kept_reason} if kept_reason else {})},
    )
    return notice


@transaction.atomic(durable=True)
def objection_submit(
    *,
    notice: PublicNotice,
    kind: str,
    content: str,
    about: str = "",
    name: str = "",
    contact: str = "",
    anonymous: bool = False,
    source: str,
) -> Objection:
    """A member of the public reports on a current notice; returns the objection with its tracking code.

    No login. ``source`` (the client address) only feeds the rate limit, through a keyed hash kept
    in a separate table; an anonymous sender leaves no name or contact.
    """
    today = timezone.localdate()
    if not notice.start_date <= today <= notice.end_date:
        raise _fail("该公告不在公示期内，不再受理。")
    if kind not in ObjectionKind.values:
        raise _fail("请选择反映类别。", "kind")
    if len(content.strip()) < 5:
        raise _fail("请具体写明反映的内容（至少 5 个字）。", "content")
    if len(content) > 5000:
        raise _fail("内容不能超过 5000 字。", "content")
    throttle_count(source=source, scope="", limit=THROTTLE_MAX, window=THROTTLE_WINDOW, message=MSG_THROTTLED)
    objection = Objection.objects.create(
        notice=notice,
        kind=kind,
        tracking_code=new_tracking_code(),
        about=about.strip()[:100],
        content=content.strip(),
        name="" if anonymous else name.strip()[:50],
        contact="" if anonymous else contact.strip()[:100],
    )
    audit_record(
        actor=None,
        event_type="selection.objection_received",
        target=notice.record,
        after={"objection_id": objection.pk, "notice_id": notice.pk, "kind": kind, "anonymous": anonymous},
        unit_id=notice.record.unit_id,
    )
    return objection


@transaction.atomic(durable=True)
def objection_resolve(*, actor: User, objection: Objection, resolution: str) -> Objection:
    """Record how a public objection was checked and concluded; the sender sees it with the tracking code."""
    objection = (
        Objection.objects.select_for_update().select_related("notice__record__unit").get(pk=objection.pk)
    )
    record = objection.notice.record
    _require_manage(actor, record.unit)
    if objection.status == ObjectionStatus.RESOLVED:
        raise _fail("该反映已经办结。")
    if len(resolution.strip()) < 5:
        raise _fail("请写明查核情况和结论。", "resolution")
    objection.status = ObjectionStatus.RESOLVED
    objection.resolution = resolution.strip()
    objection.resolved_by, objection.resolved_at = actor, timezone.now()
    objection.save(update_fields=["status", "resolution", "resolved_by", "resolved_at"])
    audit_record(
        actor=actor,
        event_type="selection.objection_resolved",
        target=record,
        after={"objection_id": objection.pk},
        unit_id=record.unit_id,
    )
    return objection


# ---------------------------------------------------------------- 任职


@transaction.atomic(durable=True)
def appointment_record(
    *,
    actor: User,
    record: SelectionRecord,
    number: str,
    title: str,
    issued_on: dt.date,
    issuing_body: str = "中共示例县委",
    remove_current: bool = True,
) -> list[Candidate]:
    """任职: issue the appointment document for everyone the committee approved; start their probation.

    After a public notice the document may be issued only once the notice has ended and every
    objection is resolved (APPT-01/02). With ``remove_current`` the appointees' current leadership
    posts are ended by the same document. Probation (one year from the notice date, APPT-07)
    starts for the posts that carry one (APPT-04).
    """
    record = _locked(record)
    _require_manage(actor, record.unit)
    step = Step(record.step)
    notice = PublicNotice.objects.filter(record=record, kind=NoticeKind.PUBLIC_NOTICE).first()
    if record.public_notice:
        if step is not Step.PUBLIC_NOTICE or notice is None:
            raise _fail(MSG_WRONG_STEP.format(current=step.label, action="办理任职"))
        reasons = []
        if issued_on <= notice.end_date:
            reasons.append(
                Reason(
                    "APPT-01",
                    "《党政领导干部选拔任用工作条例》(2019) 第四十二条：公示期满后下发任职通知"
                    "（rules.md APPT-01，置信度 Q）",
                    f"任前公示至{notice.end_date:%Y年%m月%d日}期满，任职通知日期{issued_on:%Y年%m月%d日}尚在公示期内。",
                )
            )
        open_count = notice.objections.filter(status=ObjectionStatus.OPEN).count()
        if open_count:
            reasons.append(
                Reason("APPT-02", CITE_OBJECTIONS, f"公示期间收到的群众反映尚有 {open_count} 件未办结。")
            )
        if reasons:
            raise _fail_all(reasons)
    approved = list(record.candidates.filter(approved=True).select_related("cadre", "post__unit"))
    items: list[ItemInput] = []
    for candidate in approved:
        if remove_current:
            for tenure in (
                Tenure.objects.filter(cadre=candidate.cadre, start_date__lte=issued_on, end_date__isnull=True)
                .select_related("post")
                .exclude(post=candidate.post)
            ):
                items.append(
                    ItemInput(
                        kind=DocumentItemKind.REMOVE,
                        cadre=candidate.cadre,
                        post=tenure.post,
                        effective_on=issued_on,
                    )
                )
        items.append(
            ItemInput(
                kind=DocumentItemKind.APPOINT,
                cadre=candidate.cadre,
                post=candidate.post,
                effective_on=issued_on,
            )
        )
    if not items:
        raise _fail("没有常委会通过的人选。")
    document = document_issue_within(
        actor=actor, number=number, title=title, issued_on=issued_on, issuing_body=issuing_body, items=items
    )
    record.document = document
    record.save(update_fields=["document"])
    probations = 0
    for candidate in approved:
        candidate.appointed = True
        candidate.save(update_fields=["appointed"])
        needs = probation_scope_reason(
            facts.probation_facts(candidate.post, candidate.cadre, issued_on - dt.timedelta(days=1))
        )
        if record.probation and needs is not None:
            tenure = Tenure.objects.get(cadre=candidate.cadre, post=candidate.post, start_date=issued_on)
            Probation.objects.create(
                record=record,
                candidate=candidate,
                tenure=tenure,
                start_date=issued_on,
                end_date=probation_end(issued_on),
            )
            probations += 1
    if record.probation and probations == 0:
        # None of the posts carries a probation after all: the route ends with 任后反响.
        record.probation = False
        record.save(update_fields=["probation"])
    _advance(
        actor=actor,
        record=record,
        to=Step.APPOINTMENT,
        on=issued_on,
        after={
            "document": document.number,
            "appointed": [c.cadre_id for c in approved],
            "probations": probations,
        },
    )
    return approved


@transaction.atomic(durable=True)
def feedback_record(
    *, actor: User, record: SelectionRecord, collected_on: dt.date, sources: str, report: str
) -> Feedback:
    """任后反响: the reaction collected within a month of the appointment, reported in writing (local rule).

    A late report is still recorded, and the step says by how many days it was late.
    """
    record = _locked(record)
    _require_manage(actor, record.unit)
    _require_step(record, Step.APPOINTMENT, "登记任后反响")
    assert record.document is not None
    due = feedback_due(record.document.issued_on)
    if collected_on < record.document.issued_on:
        raise _fail("报告日期早于任职日期。", "collected_on")
    if not sources.strip() or len(report.strip()) < 10:
        raise _fail("请填写收集范围和书面报告。", "report")
    made = Feedback.objects.create(
        record=record, due_on=due, collected_on=collected_on, sources=sources.strip(), report=report.strip()
    )
    late = (collected_on - due).days
    note = f"逾期 {late} 天报告（应于{due:%Y年%m月%d日}前）。" if late > 0 else ""
    _advance(actor=actor, record=record, to=Step.FEEDBACK, on=collected_on, note=note)
    return made


@transaction.atomic(durable=True)
def probation_conclude(
    *,
    actor: User,
    probation: Probation,
    confirmed: bool,
    conclusion: str,
    concluded_on: dt.date,
    evaluation_ballot: Ballot | None = None,
    number: str = "",
    title: str = "",
) -> Probation:
    """试用期满: confirm the appointment (it counts toward tenure), or end the trial post (APPT-06).

    A confirmation waits for the end of the year (APPT-04); ending the trial early is allowed for
    one found unfit. With an evaluation ballot, an 优秀+称职 share not above the county floor blocks
    confirmation unless an approved override (rule EVAL-11) is recorded. Ending the trial issues a
    removal document (``number``, ``title``). When every probation of the record is concluded, the
    record reaches its last step.
    """
    probation = (
        Probation.objects.select_for_update()
        .select_related("record__unit", "candidate__cadre", "tenure__post")
        .get(pk=probation.pk)
    )
    record = _locked(probation.record)
    _require_manage(actor, record.unit)
    if probation.status != ProbationStatus.RUNNING:
        raise _fail("该试用期已有结论。")
    if Step(record.step) not in (Step.APPOINTMENT, Step.FEEDBACK):
        raise _fail(MSG_WRONG_STEP.format(current=Step(record.step).label, action="作出试用期满结论"))
    if len(conclusion.strip()) < 5:
        raise _fail("请填写考核结论。", "conclusion")
    if confirmed and concluded_on < probation.end_date:
        raise _fail(
            f"试用期至{probation.end_date:%Y年%m月%d日}届满，期满后方可正式任职（rules.md APPT-04）。",
            "concluded_on",
        )
    if evaluation_ballot is not None:
        if evaluation_ballot.kind != BallotKind.EVALUATION or evaluation_ballot.status not in (
            BallotStatus.TALLIED,
            BallotStatus.PUBLISHED,
        ):
            raise _fail("请选择一次已计票的民主测评。", "evaluation_ballot")
        result = BallotResult.objects.filter(
            ballot=evaluation_ballot, item__cadre=probation.candidate.cadre
        ).first()
        if result is None:
            raise _fail("该民主测评没有对试用人的测评事项。", "evaluation_ballot")
        floor = policy_value("evaluation.approval_threshold", concluded_on)
        share = result.data.get("approval_share", "0")
        if (
            confirmed
            and Fraction(share) <= floor.value
            and "EVAL-11" not in _overrides(record, probation.candidate.cadre)
        ):
            raise _fail_all(
                [
                    Reason(
                        "EVAL-11",
                        CITE_PROBATION_VOTE,
                        f"试用期满民主测评“优秀+称职”占{float(Fraction(share)) * 100:.2f}%，"
                        f"未超过{floor.text}。",
                    )
                ]
            )
    document = None
    if not confirmed:
        if not number.strip() or not title.strip():
            raise _fail("不胜任的，须填写免去试任职务的文件文号和标题。", "number")
        document = document_issue_within(
            actor=actor,
            number=number,
            title=title,
            issued_on=concluded_on,
            issuing_body="中共示例县委",
            items=[
                ItemInput(
                    kind=DocumentItemKind.REMOVE,
                    cadre=probation.candidate.cadre,
                    post=probation.tenure.post,
                    effective_on=concluded_on,
                )
            ],
        )
    probation.status = ProbationStatus.CONFIRMED if confirmed else ProbationStatus.NOT_CONFIRMED
    probation.conclusion, probation.concluded_on = conclusion.strip(), concluded_on
    probation.evaluation_ballot, probation.document = evaluation_ballot, document
    probation.save(update_fields=["status", "conclusion", "concluded_on", "evaluation_ballot", "document"])
    audit_record(
        actor=actor,
        event_type="selection.probation_concluded",
        target=record,
        after={"probation_id": probation.pk, "confirmed": confirmed},
        cadre_id=probation.candidate.cadre_id,
        unit_id=record.unit_id,
    )
    running = record.probations.filter(status=ProbationStatus.RUNNING).exists()
    if not running and Step(record.step) is Step.FEEDBACK:
        _advance(actor=actor, record=record, to=Step.PROBATION_END, on=concluded_on)
    return probation


@transaction.atomic(durable=True)
def probation_finish(*, actor: User, record: SelectionRecord, on: dt.date) -> SelectionRecord:
    """Close the record at 试用期满 once feedback is in and every probation has its conclusion."""
    record = _locked(record)
    _require_manage(actor, record.unit)
    _require_step(record, Step.FEEDBACK, "办结试用期")
    running = record.probations.filter(status=ProbationStatus.RUNNING).count()
    if running:
        raise _fail(f"尚有 {running} 人的试用期没有结论。")
    _advance(actor=actor, record=record, to=Step.PROBATION_END, on=on)
    return record


@transaction.atomic(durable=True)
def selection_withdraw(*, actor: User, record: SelectionRecord, reason: str, on: dt.date) -> SelectionRecord:
    """End a selection before it is complete (终止), with the reason; running probations are not touched."""
    record = _locked(record)
    _require_manage(actor, record.unit)
    if not reason.strip():
        raise _fail("请填写终止理由。", "reason")
    record.withdrawn_reason = reason.strip()[:300]
    record.save(update_fields=["withdrawn_reason"])
    _advance(actor=actor, record=record, to=Step.WITHDRAWN, on=on, note=reason.strip())
    return record
