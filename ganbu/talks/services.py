"""Talks services: the only code that writes talks (谈话), 函询 answers and 诫勉 decisions.

Each public service is keyword-only, takes the acting user, runs in one durable transaction,
checks the actor's capability and scope inside it and writes an audit event. The ``*_within``
variants run inside a caller's transaction (the petitions app concludes a case with a talk or a
诫勉 in its own service) and refuse to run outside one. A 诫勉 is also recorded in the registry as a
sanction of kind 诫勉 through ``registry.services.reward_sanction_record_within`` in the same
transaction, so the eligibility checks that read ``RewardSanction.effective_until`` refuse a
promotion during its impact period (DISC-08, INSP-01) and accept it the day after.
Errors are ``ServiceError`` with Chinese messages naming the rule and the failing fact.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from ganbu.accounts.models import User
from ganbu.core.access import Cap, cadres_for, has_cap
from ganbu.core.audit import audit_record, model_snapshot
from ganbu.core.errors import ServiceError
from ganbu.policy.keys import KEYS
from ganbu.policy.selectors import policy_value
from ganbu.registry.choices import RewardSanctionKind, SanctionType
from ganbu.registry.models import Cadre
from ganbu.registry.services import reward_sanction_record_within
from ganbu.rules.inputs import RuleInputError
from ganbu.rules.sanction_effects import policy_period
from ganbu.rules.workdays import cn_date
from ganbu.selection.models import Candidate, SelectionRecord

from .choices import TalkerBody, TalkKind, TalkStatus
from .models import Talk

#: The county policy key of the 诫勉 impact period (DISC-08), in months.
ADMONISHMENT_MONTHS_KEY = "talks.admonishment_months"

MSG_NO_CAP = "只有纪检监察机关和组织部干部科可以登记谈话、函询和诫勉。"
MSG_OUT_OF_SCOPE = "该干部不在您的管理范围内。"
MSG_KIND = "谈话类别「{kind}」不正确。"
MSG_KIND_ADMONISH = "诫勉须按“诫勉”登记，由系统按本县规定计算影响期（rules.md DISC-08）。"
MSG_BODY = "谈话人所在机关「{body}」不正确。"
MSG_TALKERS = "请填写谈话人。"
MSG_ISSUE = "请填写谈话事由。"
MSG_NOT_DATE = "请填写日期。"
MSG_FUTURE = "{label}{date}晚于今天；尚未进行的谈话请登记为“待谈话”。"
MSG_PLANNED_PAST = "待谈话的日期{date}早于今天；已经进行的谈话请直接登记。"
MSG_PLANNED_KIND = "只有谈话可以先登记为待谈话；函询在发出函件时登记。"
MSG_RECORD_KIND = "只有廉政谈话可以关联选拔任用纪实。"
MSG_RECORD_CANDIDATE = "{name} 不是纪实「{title}」中经常委会讨论通过的拟任人选。"
MSG_RECORD_DONE = "{name} 在纪实「{title}」中的任前廉政谈话已于{date}登记。"
MSG_DUE_REQUIRED = "函询须填写回复期限（监督执纪工作规则：被函询人应在收到函件后15个工作日内书面说明）。"
MSG_DUE_BEFORE = "回复期限不能早于函件发出日期（{date}）。"
MSG_DUE_ONLY_INQUIRY = "只有函询有回复期限。"
MSG_NOT_INQUIRY = "该记录不是函询，不能登记书面回复。"
MSG_ANSWERED = "该函询已于{date}登记书面回复。"
MSG_ANSWER = "请填写书面回复的内容。"
MSG_ANSWER_BEFORE = "回复日期不能早于函件发出日期（{date}）。"
MSG_NOT_PLANNED = "该谈话不是待谈话状态，不能再登记谈话情况。"
MSG_MONTHS = "诫勉影响期月数应为{low}到{high}之间的整数。"

_HELD_STATUSES = {TalkKind.INQUIRY: TalkStatus.AWAITING_ANSWER, TalkKind.ADMONISHMENT: TalkStatus.DECIDED}


def _fail(message: str, field: str | None = None) -> ServiceError:
    return ServiceError({field: [message]} if field else message)


def _require_within(name: str) -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{name} must run inside a transaction")


def _require_actor(actor: User, cadre: Cadre) -> None:
    """The actor manages supervision and sees the cadre (a missing and a forbidden cadre look alike)."""
    if not has_cap(actor, Cap.SUPERVISION_MANAGE):
        raise _fail(MSG_NO_CAP)
    if not cadres_for(actor).filter(pk=cadre.pk).exists():
        raise _fail(MSG_OUT_OF_SCOPE, "cadre")


def _check_day(value: object, field: str, label: str, *, today: dt.date) -> dt.date:
    """A real date not after today (a talk is recorded once it happened)."""
    if not isinstance(value, dt.date):
        raise _fail(MSG_NOT_DATE, field)
    if value > today:
        raise _fail(MSG_FUTURE.format(label=label, date=cn_date(value)), field)
    return value


def _check_text(talkers: str, issue: str, talker_body: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not talkers.strip():
        errors["talkers"] = [MSG_TALKERS]
    if not issue.strip():
        errors["issue"] = [MSG_ISSUE]
    if talker_body not in TalkerBody.values:
        errors["talker_body"] = [MSG_BODY.format(body=talker_body)]
    return errors


def _audit(
    actor: User, talk: Talk, event: str, before: dict[str, object] | None = None, reason: str = ""
) -> None:
    audit_record(
        actor=actor,
        event_type=event,
        target=talk,
        before=before,
        after=model_snapshot(talk),
        reason=reason,
        cadre_id=talk.cadre_id,
        unit_id=talk.unit_id,
    )


def _check_record(cadre: Cadre, record: SelectionRecord) -> None:
    """A 廉政谈话 linked to a 纪实 is held with one of its approved appointees, once."""
    if not Candidate.objects.filter(record=record, cadre=cadre, approved=True).exists():
        raise _fail(MSG_RECORD_CANDIDATE.format(name=cadre.name, title=record.title), "record")
    done = Talk.objects.filter(selection_record=record, cadre=cadre, kind=TalkKind.INTEGRITY).first()
    if done is not None:
        raise _fail(
            MSG_RECORD_DONE.format(name=cadre.name, title=record.title, date=cn_date(done.held_on)), "record"
        )


@transaction.atomic(durable=True)
def talk_record(
    *,
    actor: User,
    cadre: Cadre,
    kind: str,
    held_on: dt.date,
    talkers: str,
    issue: str,
    talker_body: str = TalkerBody.DISCIPLINE,
    follow_up: str = "",
    record: SelectionRecord | None = None,
    answer_due_on: dt.date | None = None,
    planned: bool = False,
) -> Talk:
    """Record a talk (廉政谈话, 提醒谈话, 纪委书记谈话) held or planned, or a 函询 sent.

    ``held_on`` is the talk's day (for a 函询 the day the letter was sent); a held talk's day is
    not after today, a ``planned`` one's not before today (it is then completed by
    :func:`talk_hold`). A 函询 needs ``answer_due_on`` and waits for :func:`inquiry_answer`.
    ``record`` links a 廉政谈话 to the 纪实 whose approved appointee ``cadre`` is (once per
    record and cadre): that is what clears the "talk before taking office" to-do. A 诫勉 is
    refused here: it goes through :func:`admonish`, which computes its impact period.
    """
    return talk_record_within(
        actor=actor,
        cadre=cadre,
        kind=kind,
        held_on=held_on,
        talkers=talkers,
        issue=issue,
        talker_body=talker_body,
        follow_up=follow_up,
        record=record,
        answer_due_on=answer_due_on,
        planned=planned,
    )


def talk_record_within(
    *,
    actor: User,
    cadre: Cadre,
    kind: str,
    held_on: dt.date,
    talkers: str,
    issue: str,
    talker_body: str = TalkerBody.DISCIPLINE,
    follow_up: str = "",
    record: SelectionRecord | None = None,
    answer_due_on: dt.date | None = None,
    planned: bool = False,
) -> Talk:
    """:func:`talk_record` inside the caller's transaction (a petition concluded with a talk)."""
    _require_within("talk_record_within")
    _require_actor(actor, cadre)
    if kind == TalkKind.ADMONISHMENT:
        raise _fail(MSG_KIND_ADMONISH, "kind")
    if kind not in TalkKind.values:
        raise _fail(MSG_KIND.format(kind=kind), "kind")
    talk_kind = TalkKind(kind)
    errors = _check_text(talkers, issue, talker_body)
    if errors:
        raise ServiceError(errors)
    today = timezone.localdate()
    if planned:
        if talk_kind == TalkKind.INQUIRY:
            raise _fail(MSG_PLANNED_KIND, "kind")
        if not isinstance(held_on, dt.date):
            raise _fail(MSG_NOT_DATE, "held_on")
        if held_on < today:
            raise _fail(MSG_PLANNED_PAST.format(date=cn_date(held_on)), "held_on")
    else:
        label = "函件发出日期" if talk_kind == TalkKind.INQUIRY else "谈话日期"
        _check_day(held_on, "held_on", label, today=today)
    if talk_kind == TalkKind.INQUIRY:
        if not isinstance(answer_due_on, dt.date):
            raise _fail(MSG_DUE_REQUIRED, "answer_due_on")
        if answer_due_on < held_on:
            raise _fail(MSG_DUE_BEFORE.format(date=cn_date(held_on)), "answer_due_on")
    elif answer_due_on is not None:
        raise _fail(MSG_DUE_ONLY_INQUIRY, "answer_due_on")
    if record is not None:
        if talk_kind != TalkKind.INTEGRITY:
            raise _fail(MSG_RECORD_KIND, "record")
        _check_record(cadre, record)
    status = TalkStatus.PLANNED if planned else _HELD_STATUSES.get(talk_kind, TalkStatus.HELD)
    talk = Talk.objects.create(
        cadre=cadre,
        unit_id=cadre.unit_id,
        kind=talk_kind,
        status=status,
        held_on=held_on,
        talkers=talkers.strip(),
        talker_body=talker_body,
        issue=issue.strip(),
        follow_up=follow_up.strip(),
        selection_record=record,
        answer_due_on=answer_due_on,
        recorded_by=actor,
    )
    _audit(actor, talk, "talk.recorded")
    return talk


def _locked(talk: Talk) -> Talk:
    """The stored, locked row: the caller's copy may predate another officer's change."""
    return Talk.objects.select_for_update().select_related("cadre").get(pk=talk.pk)


@transaction.atomic(durable=True)
def talk_hold(*, actor: User, talk: Talk, held_on: dt.date, follow_up: str = "") -> Talk:
    """Record that a planned talk took place on ``held_on`` (not after today), with its follow-up."""
    talk = _locked(talk)
    _require_actor(actor, talk.cadre)
    if talk.status != TalkStatus.PLANNED:
        raise _fail(MSG_NOT_PLANNED)
    _check_day(held_on, "held_on", "谈话日期", today=timezone.localdate())
    before = model_snapshot(talk)
    talk.held_on = held_on
    talk.status = TalkStatus.HELD
    if follow_up.strip():
        talk.follow_up = follow_up.strip()
    talk.save(update_fields=["held_on", "status", "follow_up"])
    _audit(actor, talk, "talk.held", before)
    return talk


@transaction.atomic(durable=True)
def inquiry_answer(
    *, actor: User, talk: Talk, answered_on: dt.date, answer: str, follow_up: str = ""
) -> Talk:
    """Record the written answer to a 函询 (its day and content) and, optionally, the follow-up.

    The answer's day is not before the letter's nor after today; a late answer is recorded as
    such (the to-do list showed it as overdue until now), not refused.
    """
    talk = _locked(talk)
    _require_actor(actor, talk.cadre)
    if talk.kind != TalkKind.INQUIRY:
        raise _fail(MSG_NOT_INQUIRY)
    if talk.status == TalkStatus.ANSWERED:
        assert talk.answered_on is not None
        raise _fail(MSG_ANSWERED.format(date=cn_date(talk.answered_on)))
    if not answer.strip():
        raise _fail(MSG_ANSWER, "answer")
    _check_day(answered_on, "answered_on", "回复日期", today=timezone.localdate())
    if answered_on < talk.held_on:
        raise _fail(MSG_ANSWER_BEFORE.format(date=cn_date(talk.held_on)), "answered_on")
    before = model_snapshot(talk)
    talk.answer = answer.strip()
    talk.answered_on = answered_on
    talk.status = TalkStatus.ANSWERED
    if follow_up.strip():
        talk.follow_up = follow_up.strip()
    talk.save(update_fields=["answer", "answered_on", "status", "follow_up"])
    late = ""
    if talk.answer_due_on is not None and answered_on > talk.answer_due_on:
        late = f"逾期回复（期限{cn_date(talk.answer_due_on)}）"
    _audit(actor, talk, "talk.inquiry_answered", before, reason=late)
    return talk


def _months_in_force(decided_on: dt.date, months: int | None) -> tuple[int, str]:
    """The months to apply and where they come from: the county value in force, or the decision's own."""
    value = policy_value(ADMONISHMENT_MONTHS_KEY, decided_on)
    county = int(value.value)
    source = "默认值" if value.effective_from is None else f"自{cn_date(value.effective_from)}起执行"
    if months is None:
        return county, f"本县规定{county}个月（{source}）"
    spec = KEYS[ADMONISHMENT_MONTHS_KEY]
    low, high = int(spec.minimum), int(spec.maximum)
    if isinstance(months, bool) or not isinstance(months, int) or not low <= months <= high:
        raise _fail(MSG_MONTHS.format(low=low, high=high), "months")
    if months == county:
        return county, f"本县规定{county}个月（{source}）"
    return months, f"诫勉决定写明{months}个月（本县规定为{county}个月）"


@transaction.atomic(durable=True)
def admonish(
    *,
    actor: User,
    cadre: Cadre,
    decided_on: dt.date,
    issue: str,
    talkers: str,
    talker_body: str = TalkerBody.DISCIPLINE,
    months: int | None = None,
    approving_body: str = "",
    follow_up: str = "",
) -> Talk:
    """Decide a 诫勉: the talk, its impact period (DISC-08) and its registry sanction row, together.

    The period runs from ``decided_on`` for the county's number of months in force that day
    (policy ``talks.admonishment_months``, default 6, the county's choice: no national number is
    confirmed) unless the decision states its own ``months``; its last day is stored on the talk
    and as the registry row's ``effective_until``, which the selection's eligibility check reads.
    ``approving_body`` defaults to the talkers' body.
    """
    return admonish_within(
        actor=actor,
        cadre=cadre,
        decided_on=decided_on,
        issue=issue,
        talkers=talkers,
        talker_body=talker_body,
        months=months,
        approving_body=approving_body,
        follow_up=follow_up,
    )


def admonish_within(
    *,
    actor: User,
    cadre: Cadre,
    decided_on: dt.date,
    issue: str,
    talkers: str,
    talker_body: str = TalkerBody.DISCIPLINE,
    months: int | None = None,
    approving_body: str = "",
    follow_up: str = "",
) -> Talk:
    """:func:`admonish` inside the caller's transaction (a petition concluded with a 诫勉)."""
    _require_within("admonish_within")
    _require_actor(actor, cadre)
    errors = _check_text(talkers, issue, talker_body)
    if errors:
        raise ServiceError(errors)
    _check_day(decided_on, "decided_on", "诫勉决定日期", today=timezone.localdate())
    applied, source = _months_in_force(decided_on, months)
    try:
        period = policy_period(SanctionType.ADMONISHMENT.value, decided_on, months=applied)
    except RuleInputError as exc:
        raise _fail(str(exc), "months") from None
    assert period.last is not None
    body = approving_body.strip() or TalkerBody(talker_body).label
    sanction = reward_sanction_record_within(
        actor=actor,
        cadre=cadre,
        data={
            "kind": RewardSanctionKind.SANCTION.value,
            "sanction_type": SanctionType.ADMONISHMENT.value,
            "name": SanctionType.ADMONISHMENT.label,
            "decided_on": decided_on,
            "approving_body": body[:100],
            "effective_until": period.last,
            "reason": issue.strip()[:300],
        },
    )
    basis = f"{source}；{period.citation}"
    talk = Talk.objects.create(
        cadre=cadre,
        unit_id=cadre.unit_id,
        kind=TalkKind.ADMONISHMENT,
        status=TalkStatus.DECIDED,
        held_on=decided_on,
        talkers=talkers.strip(),
        talker_body=talker_body,
        issue=issue.strip(),
        follow_up=follow_up.strip(),
        period_start=period.first,
        period_months=applied,
        period_end=period.last,
        period_basis=basis[:400],
        sanction=sanction,
        recorded_by=actor,
    )
    _audit(actor, talk, "talk.admonished", reason=f"诫勉影响期至{cn_date(period.last)}（{source}）")
    return talk
