"""Exit services: the only code that writes exits, proceedings and incompetence cases.

Each public service is keyword-only, takes the acting user, runs in one durable transaction,
re-checks the actor's scope inside it, checks the pure rules of ``ganbu.rules.exits`` and writes
audit events. An exit issues its 任免文件 with ``registry.services.document_issue_within`` and
changes the cadre's status with ``cadre_status_set_within`` inside that same transaction, so a
refused exit — whichever check refuses it, including the document's own — leaves nothing behind.
Errors are ``ServiceError`` with Chinese messages naming the rule, the article and the fact.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from ganbu.accounts.choices import Role
from ganbu.accounts.models import User
from ganbu.core.access import Cap, cadres_for, can_edit_cadre, has_cap, units_for
from ganbu.core.audit import audit_record
from ganbu.core.errors import ServiceError
from ganbu.policy.selectors import PolicyInForce, policy_value
from ganbu.registry.choices import RANK_ORDER, CadreStatus, DocumentItemKind, Rank
from ganbu.registry.models import AppointmentDocument, Cadre, Post, RankRecord, Tenure
from ganbu.registry.services import ItemInput, cadre_status_set_within, document_issue_within
from ganbu.rotation.term_end import exit_term_basis
from ganbu.rules.exits import (
    CASE_OUTCOMES,
    LEAVING_KINDS,
    MSG_RESIGNATION_BLOCKED_GENERIC,
    CaseStep,
    EarlyRetirementGround,
    ExitKind,
    ProceedingFacts,
    ProceedingKind,
    check_case_step,
    check_demotion,
    check_early_exit,
    check_evaluation_flag,
    check_holds_leadership,
    check_non_leadership_post,
    check_post_fits_rank,
    check_resignation,
    check_retirement,
    check_status,
    statutory_date_text,
)
from ganbu.rules.retirement import early_exit_date
from ganbu.rules.types import Verdict
from ganbu.rules.workdays import cn_date
from ganbu.voting.choices import BallotKind
from ganbu.voting.models import BallotResult
from ganbu.voting.selectors import RESULT_STATUSES

from .models import ExitRecord, IncompetenceCase, Proceeding

DEFAULT_ISSUING_BODY = "中共示例县委"

MSG_NO_EXIT = "您的角色不能办理干部退出领导岗位的手续。"
MSG_OUT_OF_SCOPE = "该干部不在您的管理范围内。"
MSG_NUMBER_REQUIRED = "请填写任免文件文号。"
MSG_NUMBER_TAKEN = "文号「{number}」已经登记过。"
MSG_REASON_REQUIRED = "请填写事由。"
MSG_NEW_POST_REQUIRED = "改任非领导职务须选择新任的非领导职务职位。"
MSG_NEW_RANK_REQUIRED = "降职须选择降职后的职级。"
MSG_RANK_INVALID = "职级「{rank}」不正确。"
MSG_GROUND_INVALID = "提前退休情形「{ground}」不正确。"
MSG_CASE_PENDING = "{name} 有未结案的不称职调整程序（{step}），免职、降职或改任非领导职务须在该程序中办理。"
MSG_PROCEEDING_NO_CAP = "只有纪检监察、审计等监督部门和组织部干部科可以登记审计或调查。"
MSG_PROCEEDING_KIND = "类别「{kind}」不正确。"
MSG_PROCEEDING_BODY = "请填写实施机关（如县纪委监委、县审计局）。"
MSG_PROCEEDING_CLOSED = "该审计或调查已于{date}登记结束。"
MSG_PROCEEDING_END_BEFORE = "结束日期不能早于开始日期（{date}）。"
MSG_PROCEEDING_ENGAGEMENT = "这是一项经济责任审计，登记其审计报告时自动结束，请在经济责任审计中登记审计报告。"
MSG_CASE_NO_CAP = "只有组织部干部科可以办理不称职调整程序。"
MSG_CASE_EXISTS = "{name} 已有未结案的不称职调整程序（启动于{date}），不能重复启动。"
MSG_CASE_EVALUATION_USED = "该测评结果已经启动过不称职调整程序。"
MSG_CASE_NOT_EVALUATION = "所选结果不是民主测评的计票结果。"
MSG_CASE_RESULT_NOT_VISIBLE = "测评结果不存在或无权查看。"
MSG_CASE_CADRE_REQUIRED = "请选择干部。"
MSG_CASE_CADRE_MISMATCH = "测评结果的测评对象不是所选干部。"
MSG_CASE_REASON = "未依据民主测评结果启动的，须说明启动理由。"
MSG_CASE_NOT_SERVING = "{name} 当前状态为「{status}」，不能启动不称职调整程序。"
MSG_CASE_CONCLUSION = "请填写考察结论。"
MSG_CASE_INSPECTORS = "请填写考察组成员。"
MSG_CASE_INSPECTED_BEFORE = "考察日期不能早于启动日期（{date}）。"
MSG_CASE_OUTCOME_KIND = "不称职调整只能是免职、降职或改任非领导职务。"
MSG_CASE_OTHER_CADRE = "该不称职调整程序的对象不是该干部。"

# Which statuses each exit may start from: 离岗退养 cadres are managed as retirees until they
# reach the statutory age, so they may still retire; every other exit starts from 在职.
_ALLOWED_STATUSES: dict[ExitKind, frozenset[str]] = {
    kind: frozenset({CadreStatus.SERVING.value}) for kind in ExitKind
}
_ALLOWED_STATUSES[ExitKind.RETIREMENT] = frozenset({CadreStatus.SERVING.value, CadreStatus.EARLY_EXIT.value})
_STATUS_AFTER: dict[ExitKind, str] = {
    ExitKind.EARLY_EXIT: CadreStatus.EARLY_EXIT,
    ExitKind.RETIREMENT: CadreStatus.RETIRED,
    ExitKind.RESIGNATION_ENTIRE: CadreStatus.RESIGNED,
}
_OPEN_CASE_STEPS = (CaseStep.OPENED, CaseStep.CONFIRMED)
_CITE_REMOVAL = "免职（《党政领导干部选拔任用工作条例》(2019) 免职情形，rules.md DISC-13，置信度 S）"
_CITE_RESIGN_ENTIRE = (
    "《公务员法》第八十五条：辞去公职应当书面申请，任免机关审批（rules.md DISC-14，置信度 Q-law）"
)
_CITE_RESIGN_POST = "《公务员法》第八十七条：担任领导职务的公务员可以自愿提出辞去领导职务（置信度 Q-law）"


def _fail(message: str, field: str | None = None) -> ServiceError:
    return ServiceError({field: [message]} if field else message)


def _verify(verdict: Verdict, field: str | None = None) -> None:
    """Raise the verdict's reasons as one ServiceError: each message with its rule's citation."""
    if verdict.ok:
        return
    # The generic resignation refusal names its article itself and must not say more (secrecy).
    messages = [
        r.message if r.message == MSG_RESIGNATION_BLOCKED_GENERIC else f"{r.message}（依据：{r.citation}）"
        for r in verdict.reasons
    ]
    raise ServiceError({field: messages} if field else messages)


@dataclass(frozen=True)
class Decision:
    """What every exit records: the decision and effective dates, the reason, the decision relied on
    (``basis``, optional: the system adds the rule it checked) and the document to issue."""

    decided_on: dt.date
    effective_on: dt.date
    reason: str
    document_number: str
    basis: str = ""
    document_title: str = ""
    issuing_body: str = DEFAULT_ISSUING_BODY


@dataclass(frozen=True)
class _Plan:
    """What a kind-specific check decided: the rule basis and the items beyond the removals."""

    basis: str
    extra_items: tuple[ItemInput, ...] = ()
    previous_rank: str = ""


def _require_exit_actor(actor: User, cadre: Cadre) -> None:
    if not (has_cap(actor, Cap.REGISTRY_EDIT) and has_cap(actor, Cap.DOCUMENT_ISSUE)):
        raise _fail(MSG_NO_EXIT)
    if not can_edit_cadre(actor, cadre):
        raise _fail(MSG_OUT_OF_SCOPE, "cadre")


def _check_decision(decision: Decision) -> None:
    errors: dict[str, list[str]] = {}
    number = decision.document_number.strip()
    if not number:
        errors["document_number"] = [MSG_NUMBER_REQUIRED]
    elif AppointmentDocument.objects.filter(number=number).exists():
        errors["document_number"] = [MSG_NUMBER_TAKEN.format(number=number)]
    if not decision.reason.strip():
        errors["reason"] = [MSG_REASON_REQUIRED]
    if errors:
        raise ServiceError(errors)


def _rank_on(cadre: Cadre, on: dt.date) -> str:
    """The rank in force on ``on`` from the rank history (一般干部 before the first record, as the
    registry derives it); a cadre without any history keeps the rank on the record."""
    history = list(RankRecord.objects.filter(cadre=cadre).order_by("-start_date", "-id"))
    if not history:
        return cadre.rank
    for record in history:
        if record.start_date <= on and (record.end_date is None or record.end_date > on):
            return record.rank
    return Rank.STAFF.value


def _rank_label(code: str) -> str:
    return str(Rank(code).label)


def _policy_source(value: PolicyInForce) -> str:
    """Which version of a county value applied: the default, or since when and by which document."""
    if value.effective_from is None:
        return "默认值"
    return f"自{cn_date(value.effective_from)}起执行（{value.note}）"


def _plan_early_exit(cadre: Cadre, on: dt.date) -> _Plan:
    men = policy_value("exit.age_men", on)
    women = policy_value("exit.age_women", on)
    applied = men if cadre.gender == "M" else women
    _verify(
        check_early_exit(
            name=cadre.name,
            birth=cadre.birth_date,
            gender=cadre.gender,
            on=on,
            men_age=int(men.value),
            women_age=int(women.value),
            policy_source=_policy_source(applied),
        ),
        "effective_on",
    )
    reached = early_exit_date(
        cadre.birth_date, cadre.gender, men_age=int(men.value), women_age=int(women.value)
    )
    sex = "男" if cadre.gender == "M" else "女"
    return _Plan(
        basis=(
            f"本县离岗退养年龄：{sex}{applied.text}周岁，{_policy_source(applied)}"
            "（rules.md RET-06，地方规定，未找到全国性依据）；"
            f"{cadre.name}于{cn_date(reached)}年满{applied.text}周岁"
        )
    )


def _plan_retirement(cadre: Cadre, on: dt.date, ground: EarlyRetirementGround | None, evidence: str) -> _Plan:
    _verify(
        check_retirement(
            name=cadre.name,
            birth=cadre.birth_date,
            gender=cadre.gender,
            on=on,
            work_start=cadre.work_start_date,
            ground=ground,
            ground_evidence=evidence,
        ),
        "effective_on",
    )
    basis = (
        f"《公务员法》第九十二条（rules.md RET-01，置信度 Q-law）；法定退休时间"
        f"{statutory_date_text(cadre.birth_date, cadre.gender, as_of=on)}（RET-03，置信度 S）"
    )
    if ground is not None:
        basis += f"；提前退休：{ground.label}（rules.md RET-02，置信度 Q-law）"
    return _Plan(basis=basis)


def _plan_resignation(actor: User, cadre: Cadre, kind: ExitKind, decision: Decision) -> _Plan:
    facts = [
        ProceedingFacts(
            kind=ProceedingKind(p.kind), body=p.body, started_on=p.started_on, ended_on=p.ended_on
        )
        for p in Proceeding.objects.filter(cadre=cadre)
    ]
    _verify(
        check_resignation(
            name=cadre.name,
            kind=kind,
            decided_on=decision.decided_on,
            effective_on=decision.effective_on,
            proceedings=facts,
            disclose=has_cap(actor, Cap.SENSITIVE_SUPERVISION),
        )
    )
    cite = _CITE_RESIGN_ENTIRE if kind is ExitKind.RESIGNATION_ENTIRE else _CITE_RESIGN_POST
    return _Plan(
        basis=f"{cite}；经核对，无未结束的审计、纪律审查、监察调查或司法程序（第八十六条第（四）项）"
    )


def _plan_demotion(cadre: Cadre, on: dt.date, new_rank: str, new_post: Post | None) -> _Plan:
    if not new_rank:
        raise _fail(MSG_NEW_RANK_REQUIRED, "new_rank")
    if new_rank not in RANK_ORDER:
        raise _fail(MSG_RANK_INVALID.format(rank=new_rank), "new_rank")
    current = _rank_on(cadre, on)
    _verify(
        check_demotion(
            name=cadre.name,
            current_rank=_rank_label(current),
            current_index=RANK_ORDER[current],
            new_rank=_rank_label(new_rank),
            new_index=RANK_ORDER[new_rank],
        ),
        "new_rank",
    )
    items: list[ItemInput] = []
    if new_post is not None:
        _verify(
            check_post_fits_rank(
                post=str(new_post),
                post_rank=_rank_label(new_post.rank),
                post_index=RANK_ORDER[new_post.rank],
                rank=_rank_label(new_rank),
                rank_index=RANK_ORDER[new_rank],
            ),
            "new_post",
        )
        items.append(ItemInput(kind=DocumentItemKind.APPOINT, cadre=cadre, post=new_post, effective_on=on))
    items.append(ItemInput(kind=DocumentItemKind.RANK, cadre=cadre, rank=new_rank, effective_on=on))
    basis = (
        f"《公务员法》第五十条：职务、职级能上能下（rules.md EVAL-02，置信度 Q-law）；"
        f"由{_rank_label(current)}降为{_rank_label(new_rank)}"
    )
    return _Plan(basis=basis, extra_items=tuple(items), previous_rank=current)


def _plan_reassign(cadre: Cadre, on: dt.date, new_post: Post | None, new_rank: str) -> _Plan:
    if new_post is None:
        raise _fail(MSG_NEW_POST_REQUIRED, "new_post")
    _verify(check_non_leadership_post(post=str(new_post), is_leadership=new_post.is_leadership), "new_post")
    if new_rank and new_rank not in RANK_ORDER:
        raise _fail(MSG_RANK_INVALID.format(rank=new_rank), "new_rank")
    items = [ItemInput(kind=DocumentItemKind.APPOINT, cadre=cadre, post=new_post, effective_on=on)]
    if new_rank:
        items.append(ItemInput(kind=DocumentItemKind.RANK, cadre=cadre, rank=new_rank, effective_on=on))
    basis = f"改任非领导职务（seed 一(三)；《公务员法》第五十条，置信度 Q-law）：改任「{new_post}」"
    return _Plan(basis=basis, extra_items=tuple(items), previous_rank=_rank_on(cadre, on) if new_rank else "")


def _check_case(cadre: Cadre, kind: ExitKind, case: IncompetenceCase | None) -> IncompetenceCase | None:
    """The locked case an adjustment concludes, checked; or a refusal if one is pending and not named."""
    if case is None:
        if kind in CASE_OUTCOMES:
            pending = (
                IncompetenceCase.objects.filter(cadre=cadre, step__in=_OPEN_CASE_STEPS).order_by("id").first()
            )
            if pending is not None:
                raise _fail(MSG_CASE_PENDING.format(name=cadre.name, step=pending.get_step_display()))
        return None
    locked = IncompetenceCase.objects.select_for_update().get(pk=case.pk)
    if locked.cadre_id != cadre.pk:
        raise _fail(MSG_CASE_OTHER_CADRE)
    if kind not in CASE_OUTCOMES:
        raise _fail(MSG_CASE_OUTCOME_KIND, "kind")
    _verify(check_case_step(CaseStep(locked.step), CaseStep.ADJUSTED))
    return locked


def _exit_within(
    *,
    actor: User,
    cadre: Cadre,
    kind: ExitKind,
    decision: Decision,
    new_post: Post | None = None,
    new_rank: str = "",
    early_ground: str = "",
    case: IncompetenceCase | None = None,
) -> ExitRecord:
    """Check and carry out one exit inside the caller's durable transaction (see the public services)."""
    cadre = Cadre.objects.select_for_update().select_related("unit").get(pk=cadre.pk)
    _require_exit_actor(actor, cadre)
    _check_decision(decision)
    on = decision.effective_on
    _verify(
        check_status(
            name=cadre.name,
            kind=kind,
            status_label=cadre.get_status_display(),
            allowed=cadre.status in _ALLOWED_STATUSES[kind],
        )
    )
    locked_case = _check_case(cadre, kind, case)
    tenures = list(
        Tenure.objects.filter(cadre=cadre, start_date__lte=on, end_date__isnull=True)
        .select_related("post__unit")
        .order_by("start_date", "id")
    )
    leadership = [t for t in tenures if t.post.is_leadership]
    _verify(
        check_holds_leadership(
            name=cadre.name, kind=kind, on=on, leadership_posts=[str(t.post) for t in leadership]
        )
    )
    # A leadership post left before its first term is full: the permitted reason (ROT-02/03).
    term_basis = exit_term_basis(
        cadre.pk,
        [t.post for t in leadership],
        on,
        kind,
        decision.reason,
        incompetence_case=locked_case is not None,
    )
    ground: EarlyRetirementGround | None = None
    if early_ground:
        if early_ground not in {g.value for g in EarlyRetirementGround}:
            raise _fail(MSG_GROUND_INVALID.format(ground=early_ground), "early_ground")
        ground = EarlyRetirementGround(early_ground)
    if kind is ExitKind.EARLY_EXIT:
        plan = _plan_early_exit(cadre, on)
    elif kind is ExitKind.RETIREMENT:
        plan = _plan_retirement(cadre, on, ground, decision.basis)
    elif kind in (ExitKind.RESIGNATION_ENTIRE, ExitKind.RESIGNATION_POST):
        plan = _plan_resignation(actor, cadre, kind, decision)
    elif kind is ExitKind.DEMOTION:
        plan = _plan_demotion(cadre, on, new_rank, new_post)
    elif kind is ExitKind.REASSIGN_NON_LEADERSHIP:
        plan = _plan_reassign(cadre, on, new_post, new_rank)
    else:
        plan = _Plan(basis=_CITE_REMOVAL)
    if locked_case is not None:
        plan = _Plan(
            basis=f"{plan.basis}；不称职调整程序：{locked_case.inspection_conclusion}"
            f"（{cn_date(locked_case.inspected_on or on)}考察认定不称职）",
            extra_items=plan.extra_items,
            previous_rank=plan.previous_rank,
        )

    # Leaving the service ends every post; stepping down ends the leadership posts only.
    ended = tenures if kind in LEAVING_KINDS else leadership
    items = [
        ItemInput(kind=DocumentItemKind.REMOVE, cadre=cadre, post=t.post, effective_on=on) for t in ended
    ]
    items += plan.extra_items
    document = None
    if items:
        document = document_issue_within(
            actor=actor,
            number=decision.document_number,
            title=decision.document_title.strip() or f"关于{cadre.name}同志{kind.label}的通知",
            issued_on=decision.decided_on,
            issuing_body=decision.issuing_body.strip() or DEFAULT_ISSUING_BODY,
            items=items,
            note=f"{kind.label}：{decision.reason.strip()}"[:1000],
        )
    status = _STATUS_AFTER.get(kind)
    if status is not None:
        cadre_status_set_within(actor=actor, cadre=cadre, status=status, on=on, reason=kind.label)
    basis = plan.basis + (f"；{term_basis}" if term_basis else "")
    basis += f"；决定依据：{decision.basis.strip()}" if decision.basis.strip() else ""
    record = ExitRecord.objects.create(
        cadre=cadre,
        kind=kind.value,
        decided_on=decision.decided_on,
        effective_on=on,
        reason=decision.reason.strip(),
        basis=basis,
        document=document,
        previous_rank=plan.previous_rank,
        new_rank=new_rank,
        new_post=new_post,
        early_ground=ground.value if ground else "",
        created_by=actor,
    )
    audit_record(
        actor=actor,
        event_type="exits.exit_recorded",
        target=record,
        after={
            "kind": kind.value,
            "kind_label": kind.label,
            "decided_on": decision.decided_on,
            "effective_on": on,
            "document": document.number if document else "",
            "ended_posts": [str(t.post) for t in ended],
            "new_post": str(new_post or ""),
            "new_rank": new_rank,
            "basis": basis,
        },
        reason=decision.reason.strip(),
        cadre_id=cadre.pk,
        unit_id=cadre.unit_id,
    )
    if locked_case is not None:
        locked_case.step = CaseStep.ADJUSTED.value
        locked_case.outcome = record
        locked_case.closed_on = decision.decided_on
        locked_case.save(update_fields=["step", "outcome", "closed_on"])
        audit_record(
            actor=actor,
            event_type="exits.case_adjusted",
            target=locked_case,
            before={"step": CaseStep.CONFIRMED.value},
            after={"step": CaseStep.ADJUSTED.value, "outcome": record.pk, "kind": kind.value},
            cadre_id=cadre.pk,
            unit_id=cadre.unit_id,
        )
    return record


# ---------------------------------------------------------------- the exits


@transaction.atomic(durable=True)
def early_exit_record(*, actor: User, cadre: Cadre, decision: Decision) -> ExitRecord:
    """离岗退养: a leader who has reached the county age on the effective date leaves every post.

    Checks RET-06 with the county ages in force on ``decision.effective_on`` (reached on the
    birthday); the document removes every current tenure; the status becomes 离岗退养.
    """
    return _exit_within(actor=actor, cadre=cadre, kind=ExitKind.EARLY_EXIT, decision=decision)


@transaction.atomic(durable=True)
def reassign_non_leadership(
    *,
    actor: User,
    cadre: Cadre,
    decision: Decision,
    new_post: Post | None,
    new_rank: str = "",
    case: IncompetenceCase | None = None,
) -> ExitRecord:
    """改任非领导职务: remove every leadership post, appoint to ``new_post`` (a non-leadership post).

    ``new_rank`` adds a 确定职级 item. With ``case`` this is the adjustment of a confirmed
    incompetence case; without one it is refused while the cadre has an unresolved case.
    """
    return _exit_within(
        actor=actor,
        cadre=cadre,
        kind=ExitKind.REASSIGN_NON_LEADERSHIP,
        decision=decision,
        new_post=new_post,
        new_rank=new_rank,
        case=case,
    )


@transaction.atomic(durable=True)
def removal_record(
    *, actor: User, cadre: Cadre, decision: Decision, case: IncompetenceCase | None = None
) -> ExitRecord:
    """免职: remove every current leadership post (DISC-13 removal grounds, the officer's ``reason``).

    With ``case`` the case must be at "confirmed" (an inspection found the cadre incompetent);
    without one it is refused while the cadre has an unresolved incompetence case.
    """
    return _exit_within(actor=actor, cadre=cadre, kind=ExitKind.REMOVAL, decision=decision, case=case)


@transaction.atomic(durable=True)
def demotion_record(
    *,
    actor: User,
    cadre: Cadre,
    decision: Decision,
    new_rank: str,
    new_post: Post | None = None,
    case: IncompetenceCase | None = None,
) -> ExitRecord:
    """降职: a lower rank (EVAL-02: it must actually be lower than the rank on the effective date).

    Removes every current leadership post, appoints to ``new_post`` if given (not above the new
    rank) and sets the rank. ``case`` as for :func:`removal_record`.
    """
    return _exit_within(
        actor=actor,
        cadre=cadre,
        kind=ExitKind.DEMOTION,
        decision=decision,
        new_rank=new_rank,
        new_post=new_post,
        case=case,
    )


@transaction.atomic(durable=True)
def resignation_record(*, actor: User, cadre: Cadre, decision: Decision, entire: bool) -> ExitRecord:
    """辞职: 辞去公职 (``entire``: every post ends, status 辞职) or 辞去领导职务 (leadership posts end).

    Refused while an audit, discipline review, supervisory investigation or judicial procedure is
    open between the decision and the effective date (DISC-14, 公务员法 第八十六条第（四）项).
    An actor without ``Cap.SENSITIVE_SUPERVISION`` is told only that one is open, not which.
    """
    kind = ExitKind.RESIGNATION_ENTIRE if entire else ExitKind.RESIGNATION_POST
    return _exit_within(actor=actor, cadre=cadre, kind=kind, decision=decision)


@transaction.atomic(durable=True)
def retirement_record(*, actor: User, cadre: Cadre, decision: Decision, early_ground: str = "") -> ExitRecord:
    """退休: every post ends and the status becomes 退休 (RET-01).

    Refused before the statutory date (RET-03 gradual schedule, law in force on the effective date)
    unless ``early_ground`` names a ground of 公务员法 第九十二、九十三条 that holds (RET-02): the
    work years are computed from the record; for incapacity or another state rule the decision's
    ``basis`` must name the 鉴定 or the rule.
    """
    return _exit_within(
        actor=actor, cadre=cadre, kind=ExitKind.RETIREMENT, decision=decision, early_ground=early_ground
    )


# ---------------------------------------------------------------- proceedings (DISC-14)


def may_record_proceedings(actor: User) -> bool:
    """Supervising bodies and organization-department officers: both see supervision records
    (``Cap.SENSITIVE_SUPERVISION``); of those, the supervisor role and the roles that edit the
    registry record them (the department's leader reads but does not write)."""
    return has_cap(actor, Cap.SENSITIVE_SUPERVISION) and (
        has_cap(actor, Cap.REGISTRY_EDIT) or actor.role == Role.SUPERVISOR
    )


def _require_proceeding_actor(actor: User, cadre: Cadre) -> None:
    if not may_record_proceedings(actor):
        raise _fail(MSG_PROCEEDING_NO_CAP)
    if not cadres_for(actor).filter(pk=cadre.pk).exists():
        raise _fail(MSG_OUT_OF_SCOPE, "cadre")


@transaction.atomic(durable=True)
def proceeding_open(
    *, actor: User, cadre: Cadre, kind: str, body: str, started_on: dt.date, note: str = ""
) -> Proceeding:
    """Record that an audit, discipline review, investigation or judicial procedure has begun."""
    return proceeding_open_within(
        actor=actor, cadre=cadre, kind=kind, body=body, started_on=started_on, note=note
    )


def proceeding_open_within(
    *, actor: User, cadre: Cadre, kind: str, body: str, started_on: dt.date, note: str = ""
) -> Proceeding:
    """:func:`proceeding_open` inside the caller's transaction: an economic-responsibility audit
    (``ganbu.economic_audits``) opens its proceeding in the same transaction as its commission."""
    _require_proceeding_actor(actor, cadre)
    errors: dict[str, list[str]] = {}
    if kind not in {k.value for k in ProceedingKind}:
        errors["kind"] = [MSG_PROCEEDING_KIND.format(kind=kind)]
    if not body.strip():
        errors["body"] = [MSG_PROCEEDING_BODY]
    if errors:
        raise ServiceError(errors)
    proceeding = Proceeding.objects.create(
        cadre=cadre, kind=kind, body=body.strip(), started_on=started_on, note=note.strip(), recorded_by=actor
    )
    audit_record(
        actor=actor,
        event_type="exits.proceeding_opened",
        target=proceeding,
        after={"kind": kind, "body": proceeding.body, "started_on": started_on},
        cadre_id=cadre.pk,
        unit_id=cadre.unit_id,
    )
    return proceeding


@transaction.atomic(durable=True)
def proceeding_close(*, actor: User, proceeding: Proceeding, ended_on: dt.date, note: str = "") -> Proceeding:
    """Record that a proceeding has ended (from ``ended_on`` on it no longer blocks a resignation)."""
    return proceeding_close_within(actor=actor, proceeding=proceeding, ended_on=ended_on, note=note)


def proceeding_close_within(
    *, actor: User, proceeding: Proceeding, ended_on: dt.date, note: str = "", from_engagement: bool = False
) -> Proceeding:
    """:func:`proceeding_close` inside the caller's transaction. The proceeding of an
    economic-responsibility audit ends only with its report (``from_engagement``: the
    ``economic_audits`` report service), so the two records never disagree."""
    proceeding = Proceeding.objects.select_for_update().select_related("cadre").get(pk=proceeding.pk)
    _require_proceeding_actor(actor, proceeding.cadre)
    if (
        not from_engagement
        and Proceeding.objects.filter(pk=proceeding.pk, economic_audit__isnull=False).exists()
    ):
        raise _fail(MSG_PROCEEDING_ENGAGEMENT)
    if proceeding.ended_on is not None:
        raise _fail(MSG_PROCEEDING_CLOSED.format(date=cn_date(proceeding.ended_on)))
    if ended_on < proceeding.started_on:
        raise _fail(MSG_PROCEEDING_END_BEFORE.format(date=cn_date(proceeding.started_on)), "ended_on")
    proceeding.ended_on = ended_on
    proceeding.end_note = note.strip()[:300]
    proceeding.closed_by = actor
    proceeding.save(update_fields=["ended_on", "end_note", "closed_by"])
    audit_record(
        actor=actor,
        event_type="exits.proceeding_closed",
        target=proceeding,
        before={"ended_on": None},
        after={"ended_on": ended_on, "note": proceeding.end_note},
        cadre_id=proceeding.cadre_id,
        unit_id=proceeding.cadre.unit_id,
    )
    return proceeding


# ---------------------------------------------------------------- the incompetence path (EVAL-10)


def may_handle_cases(actor: User) -> bool:
    """Organization-department officers: they read evaluation results (``Cap.BALLOT_RESULTS``) and
    write the registry. Unit officers run evaluations but do not read results, so they do not
    handle the cases built on them either."""
    return has_cap(actor, Cap.BALLOT_RESULTS) and has_cap(actor, Cap.REGISTRY_EDIT)


def _require_case_actor(actor: User, cadre: Cadre) -> None:
    if not may_handle_cases(actor):
        raise _fail(MSG_CASE_NO_CAP)
    if not can_edit_cadre(actor, cadre):
        raise _fail(MSG_OUT_OF_SCOPE, "cadre")


def _evaluation_for_case(actor: User, evaluation: BallotResult) -> tuple[BallotResult, str]:
    """The stored result, visible to the actor and flagged; and the sentence that starts the case."""
    result = BallotResult.objects.select_related("ballot", "item__cadre").filter(pk=evaluation.pk).first()
    if result is None:
        raise _fail(MSG_CASE_RESULT_NOT_VISIBLE, "evaluation")
    ballot = result.ballot
    visible = ballot.status in RESULT_STATUSES and units_for(actor).filter(pk=ballot.unit_id).exists()
    if not visible:
        raise _fail(MSG_CASE_RESULT_NOT_VISIBLE, "evaluation")
    if ballot.kind != BallotKind.EVALUATION or result.item.cadre_id is None:
        raise _fail(MSG_CASE_NOT_EVALUATION, "evaluation")
    data = result.data
    share, threshold = str(data.get("incompetent_share", "")), str(data.get("threshold", ""))
    _verify(
        check_evaluation_flag(
            title=ballot.title, flagged=bool(data.get("incompetent_flag")), share=share, threshold=threshold
        ),
        "evaluation",
    )
    if IncompetenceCase.objects.filter(evaluation=result).exists():
        raise _fail(MSG_CASE_EVALUATION_USED, "evaluation")
    source = str(data.get("threshold_source", ""))
    sentence = f"民主测评「{ballot.title}」不称职票比例 {share}，超过阈值 {threshold}" + (
        f"（{source}）" if source else ""
    )
    return result, sentence


@transaction.atomic(durable=True)
def incompetence_case_open(
    *,
    actor: User,
    opened_on: dt.date,
    evaluation: BallotResult | None = None,
    cadre: Cadre | None = None,
    reason: str = "",
) -> IncompetenceCase:
    """Start the incompetence path: from a flagged evaluation result (EVAL-10), or by hand with a reason.

    From a result: the evaluation must be counted, visible to the actor, and flagged (不称职 share
    above the threshold in force); its subject is the case's cadre. One unresolved case per cadre,
    one case per result.
    """
    if not may_handle_cases(actor):
        raise _fail(MSG_CASE_NO_CAP)
    start_reason = reason.strip()
    result: BallotResult | None = None
    if evaluation is not None:
        result, sentence = _evaluation_for_case(actor, evaluation)
        subject = result.item.cadre
        assert subject is not None
        if cadre is not None and cadre.pk != subject.pk:
            raise _fail(MSG_CASE_CADRE_MISMATCH, "cadre")
        cadre = subject
        start_reason = f"{sentence}；{start_reason}" if start_reason else sentence
    elif cadre is None:
        raise _fail(MSG_CASE_CADRE_REQUIRED, "cadre")
    elif not start_reason:
        raise _fail(MSG_CASE_REASON, "reason")
    cadre = Cadre.objects.select_for_update().select_related("unit").get(pk=cadre.pk)
    _require_case_actor(actor, cadre)
    if cadre.status != CadreStatus.SERVING:
        raise _fail(MSG_CASE_NOT_SERVING.format(name=cadre.name, status=cadre.get_status_display()))
    pending = IncompetenceCase.objects.filter(cadre=cadre, step__in=_OPEN_CASE_STEPS).order_by("id").first()
    if pending is not None:
        raise _fail(MSG_CASE_EXISTS.format(name=cadre.name, date=cn_date(pending.opened_on)))
    case = IncompetenceCase.objects.create(
        cadre=cadre, evaluation=result, opened_on=opened_on, start_reason=start_reason, created_by=actor
    )
    audit_record(
        actor=actor,
        event_type="exits.case_opened",
        target=case,
        after={"step": case.step, "evaluation": result.pk if result else None, "reason": start_reason},
        cadre_id=cadre.pk,
        unit_id=cadre.unit_id,
    )
    return case


@transaction.atomic(durable=True)
def incompetence_case_conclude(
    *,
    actor: User,
    case: IncompetenceCase,
    confirmed: bool,
    conclusion: str,
    inspected_on: dt.date,
    inspectors: str,
) -> IncompetenceCase:
    """Record the inspection's conclusion: confirmed incompetent (→ adjustment) or not (case closed)."""
    case = IncompetenceCase.objects.select_for_update().select_related("cadre").get(pk=case.pk)
    _require_case_actor(actor, case.cadre)
    target = CaseStep.CONFIRMED if confirmed else CaseStep.NOT_CONFIRMED
    _verify(check_case_step(CaseStep(case.step), target))
    errors: dict[str, list[str]] = {}
    if not conclusion.strip():
        errors["conclusion"] = [MSG_CASE_CONCLUSION]
    if not inspectors.strip():
        errors["inspectors"] = [MSG_CASE_INSPECTORS]
    if inspected_on < case.opened_on:
        errors["inspected_on"] = [MSG_CASE_INSPECTED_BEFORE.format(date=cn_date(case.opened_on))]
    if errors:
        raise ServiceError(errors)
    before = case.step
    case.step = target.value
    case.inspection_confirmed = confirmed
    case.inspection_conclusion = conclusion.strip()
    case.inspected_on = inspected_on
    case.inspectors = inspectors.strip()[:200]
    if not confirmed:
        case.closed_on = inspected_on
    case.save(
        update_fields=[
            "step",
            "inspection_confirmed",
            "inspection_conclusion",
            "inspected_on",
            "inspectors",
            "closed_on",
        ]
    )
    audit_record(
        actor=actor,
        event_type="exits.case_concluded",
        target=case,
        before={"step": before},
        after={
            "step": case.step,
            "confirmed": confirmed,
            "inspected_on": inspected_on,
            "inspectors": case.inspectors,
        },
        reason=case.inspection_conclusion,
        cadre_id=case.cadre_id,
        unit_id=case.cadre.unit_id,
    )
    return case


@transaction.atomic(durable=True)
def incompetence_case_adjust(
    *,
    actor: User,
    case: IncompetenceCase,
    kind: str,
    decision: Decision,
    new_post: Post | None = None,
    new_rank: str = "",
) -> ExitRecord:
    """Conclude a confirmed case with its adjustment: removal, demotion or reassignment (the exit).

    The same checks as :func:`removal_record`, :func:`demotion_record` and
    :func:`reassign_non_leadership`, plus the transition confirmed → adjusted.
    """
    stored = IncompetenceCase.objects.select_related("cadre").get(pk=case.pk)
    _require_case_actor(actor, stored.cadre)
    if kind not in {k.value for k in CASE_OUTCOMES}:
        raise _fail(MSG_CASE_OUTCOME_KIND, "kind")
    return _exit_within(
        actor=actor,
        cadre=stored.cadre,
        kind=ExitKind(kind),
        decision=decision,
        new_post=new_post,
        new_rank=new_rank,
        case=stored,
    )
