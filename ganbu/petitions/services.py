"""Petition services: the only code that writes 信访举报 cases.

Each service is keyword-only, runs in one durable transaction and writes an audit event. Staff
services take the acting user and re-check inside the transaction that the user sees the case
(``selectors.petitions_for``) and may act on it; the public submission takes no user at all.
A conclusion with a 谈话提醒 or 诫勉 records the talk through ``ganbu.talks.services``'s
``*_within`` variants in the same transaction, so a refused talk leaves the petition open and
nothing written. Refusals are ``ServiceError`` with Chinese messages naming the rule and the fact.

The public desk shares the objection desk's mechanism (``ganbu.core.public_desk``): a random
tracking code and a rate limit counted on a keyed hash of the client address, kept apart from the
petition, so no address is stored with a case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from ganbu.accounts.choices import Role
from ganbu.accounts.models import User
from ganbu.core.access import Cap, cadres_for, has_cap
from ganbu.core.audit import audit_record
from ganbu.core.errors import ServiceError
from ganbu.core.public_desk import ThrottledError, new_tracking_code, throttle_count
from ganbu.registry.models import Cadre
from ganbu.rules.workdays import cn_date
from ganbu.selection.models import Objection
from ganbu.talks import services as talks
from ganbu.talks.choices import TalkerBody, TalkKind

from .choices import Channel, Conclusion, IntakeBody, PetitionStatus
from .models import Petition
from .selectors import petitions_for

__all__ = ["ThrottledError"]

# 《信访工作条例》(2022): a petition is concluded within 60 days of its acceptance. The article
# number is not checked against rules.md (which does not list this regulation): cited without it.
DUE_DAYS = 60
CITE_DUE = "《信访工作条例》(2022)：信访事项应当自受理之日起60日内办结"

# The public form: at most this many per client address in the window (its own count, apart from
# the objection desk's: scope "petition").
THROTTLE_MAX = 5
THROTTLE_WINDOW = dt.timedelta(hours=1)
THROTTLE_SCOPE = "petition"
MSG_THROTTLED = "提交过于频繁，请一小时后再试。"

CONTENT_MIN = 10
CONTENT_MAX = 5000

MSG_CONTENT_SHORT = "请具体写明反映的问题（至少 10 个字）。"
MSG_CONTENT_LONG = "反映内容不能超过 5000 字。"
MSG_ABOUT = "请写明反映对象的姓名和单位。"
MSG_NAME = "不匿名反映的，请填写姓名。"
MSG_CONTACT = "不匿名反映的，请留下联系方式，以便核实和答复。"
MSG_BODY = "受理机关「{body}」不正确。"
MSG_CHANNEL = "来源方式「{channel}」不正确。"
MSG_STAFF_CHANNEL = "工作人员登记的是来信、来电或来访；网上反映由群众在公开页面提交。"
MSG_RECEIVED_FUTURE = "受理日期不能晚于今天（{date}）。"
MSG_NO_INTAKE = "只有纪委监委和组织部干部科人员可以登记信访举报。"
MSG_NO_MANAGE = "您无权办理该信访举报。"
MSG_CONCLUDED = "该信访举报已于{date}办结，不能再更改。"
MSG_ASSIGNEE_ROLE = "承办人须是县纪委监委或组织部干部科的在岗工作人员。"
MSG_NOT_ASSIGNEE = "只有承办人（{name}）可以核查和办结该信访举报。"
MSG_NOT_ASSIGNED = "该信访举报尚未交办，请先指定承办人。"
MSG_NOTES = "请填写核查情况。"
MSG_NOT_VERIFIED = "请先登记核查情况，再作出办理结论。"
MSG_CONCLUSION = "办理结果「{conclusion}」不正确。"
MSG_REPLY = "请填写办理结论（将通过查询码答复反映人，请勿写入反映人或其他群众的个人信息）。"
MSG_REFERRED_TO = "移送处理的，请写明移送的单位。"
MSG_CADRE_REQUIRED = "谈话提醒或诫勉须选择被谈话的干部。"
MSG_CADRE_NOT_LISTED = "所选干部不是本件涉及的干部，请先在“涉及干部”中添加。"
MSG_CADRE_OUT_OF_SCOPE = "干部不存在或不在您的管理范围内。"
MSG_TALK_FIELDS = "谈话提醒或诫勉须填写谈话日期和谈话人。"

_TALKER_BODY = {
    IntakeBody.DISCIPLINE: TalkerBody.DISCIPLINE,
    IntakeBody.ORGANIZATION: TalkerBody.ORGANIZATION,
}
_ROLE_BODY = {Role.SUPERVISOR: IntakeBody.DISCIPLINE, Role.ORG_OFFICER: IntakeBody.ORGANIZATION}


def _fail(message: str, field: str | None = None) -> ServiceError:
    return ServiceError({field: [message]} if field else message)


def due_date(received_on: dt.date) -> dt.date:
    """The last day to conclude a petition received on ``received_on`` (60 calendar days later)."""
    return received_on + dt.timedelta(days=DUE_DAYS)


def may_handle(user: User) -> bool:
    """Whether the user is petition staff: a supervisor (纪委 role) or an organization officer.

    Both roles hold ``Cap.SUPERVISION_MANAGE``; the department's leader views supervision but does
    not handle petitions.
    """
    return bool(user.is_active) and has_cap(user, Cap.SUPERVISION_MANAGE) and user.role in _ROLE_BODY


def intake_body_of(user: User) -> str:
    """The intake body a staff member records for: 纪委 for a supervisor, 组织部 for an org officer."""
    return _ROLE_BODY[Role(user.role)].value


def _check_text(
    *, content: str, about: str, anonymous: bool, name: str, contact: str
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if len(content.strip()) < CONTENT_MIN:
        errors["content"] = [MSG_CONTENT_SHORT]
    elif len(content) > CONTENT_MAX:
        errors["content"] = [MSG_CONTENT_LONG]
    if not about.strip():
        errors["about"] = [MSG_ABOUT]
    if not anonymous:
        if not name.strip():
            errors["name"] = [MSG_NAME]
        if not contact.strip():
            errors["contact"] = [MSG_CONTACT]
    return errors


def _new_code() -> str:
    """A tracking code used by no petition and no objection, so the one tracking page finds one case."""
    while True:
        code = new_tracking_code()
        if not (
            Petition.objects.filter(tracking_code=code).exists()
            or Objection.objects.filter(tracking_code=code).exists()
        ):
            return code


def _create(
    *,
    actor: User | None,
    channel: str,
    intake_body: str,
    received_on: dt.date,
    content: str,
    about: str,
    anonymous: bool,
    name: str,
    contact: str,
) -> Petition:
    petition = Petition.objects.create(
        tracking_code=_new_code(),
        channel=channel,
        intake_body=intake_body,
        anonymous=anonymous,
        name="" if anonymous else name.strip()[:50],
        contact="" if anonymous else contact.strip()[:100],
        about=about.strip()[:200],
        content=content.strip(),
        received_on=received_on,
        due_on=due_date(received_on),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        event_type="petitions.received",
        target=petition,
        # Never the content, the sender or the code: the audit trail is read more widely than the case.
        after={
            "channel": channel,
            "intake_body": intake_body,
            "anonymous": anonymous,
            "due_on": petition.due_on,
        },
    )
    return petition


@transaction.atomic(durable=True)
def petition_submit(
    *,
    content: str,
    about: str,
    intake_body: str = IntakeBody.ORGANIZATION,
    anonymous: bool = False,
    name: str = "",
    contact: str = "",
    source: str,
) -> Petition:
    """A member of the public files a petition on the public desk; returns it with its tracking code.

    No login. ``source`` (the client address) only feeds the rate limit, through a keyed hash kept
    in a separate table (``ganbu.core.public_desk``); an anonymous sender leaves no name or contact.
    Over the limit: ``ThrottledError`` (the page and API answer 429), nothing written.
    """
    errors = _check_text(content=content, about=about, anonymous=anonymous, name=name, contact=contact)
    if intake_body not in IntakeBody.values:
        errors["intake_body"] = [MSG_BODY.format(body=intake_body)]
    if errors:
        raise ServiceError(errors)
    throttle_count(
        source=source, scope=THROTTLE_SCOPE, limit=THROTTLE_MAX, window=THROTTLE_WINDOW, message=MSG_THROTTLED
    )
    return _create(
        actor=None,
        channel=Channel.ONLINE,
        intake_body=intake_body,
        received_on=timezone.localdate(),
        content=content,
        about=about,
        anonymous=anonymous,
        name=name,
        contact=contact,
    )


@transaction.atomic(durable=True)
def petition_intake(
    *,
    actor: User,
    channel: str,
    received_on: dt.date,
    content: str,
    about: str,
    anonymous: bool = False,
    name: str = "",
    contact: str = "",
) -> Petition:
    """Staff record a letter, call or visit; the case belongs to the recorder's body (纪委 or 组织部).

    The sender gets the tracking code from the recorder (on the letter's reply, on the phone or at
    the desk) and follows the case on the public tracking page like an online sender.
    """
    if not may_handle(actor):
        raise _fail(MSG_NO_INTAKE)
    errors = _check_text(content=content, about=about, anonymous=anonymous, name=name, contact=contact)
    if channel not in Channel.values:
        errors["channel"] = [MSG_CHANNEL.format(channel=channel)]
    elif channel == Channel.ONLINE:
        errors["channel"] = [MSG_STAFF_CHANNEL]
    today = timezone.localdate()
    if not isinstance(received_on, dt.date) or received_on > today:
        errors["received_on"] = [MSG_RECEIVED_FUTURE.format(date=cn_date(today))]
    if errors:
        raise ServiceError(errors)
    return _create(
        actor=actor,
        channel=channel,
        intake_body=intake_body_of(actor),
        received_on=received_on,
        content=content,
        about=about,
        anonymous=anonymous,
        name=name,
        contact=contact,
    )


def _locked(actor: User, petition: Petition) -> Petition:
    """The petition locked for update, if the actor is staff and sees it; refused otherwise."""
    if not may_handle(actor):
        raise _fail(MSG_NO_MANAGE)
    locked = petitions_for(actor).select_for_update().filter(pk=petition.pk).first()
    if locked is None:
        raise _fail(MSG_NO_MANAGE)
    if locked.status == PetitionStatus.CONCLUDED:
        assert locked.concluded_on is not None
        raise _fail(MSG_CONCLUDED.format(date=cn_date(locked.concluded_on)))
    return locked


def _require_assignee(actor: User, petition: Petition) -> None:
    if petition.assignee_id is None:
        raise _fail(MSG_NOT_ASSIGNED)
    if petition.assignee_id != actor.pk:
        assert petition.assignee is not None
        raise _fail(MSG_NOT_ASSIGNEE.format(name=petition.assignee))


@transaction.atomic(durable=True)
def petition_assign(*, actor: User, petition: Petition, assignee: User) -> Petition:
    """Hand the petition to a staff member (纪委 or 组织部) to verify and conclude; again to reassign.

    Any staff member who sees the case may assign it until it is concluded; the assignee then sees
    it whatever their body.
    """
    petition = _locked(actor, petition)
    if not may_handle(assignee):
        raise _fail(MSG_ASSIGNEE_ROLE, "assignee")
    before = {"assignee_id": petition.assignee_id, "status": petition.status}
    petition.assignee = assignee
    petition.assigned_on = timezone.localdate()
    if petition.status == PetitionStatus.RECEIVED:
        petition.status = PetitionStatus.ASSIGNED
    petition.save(update_fields=["assignee", "assigned_on", "status"])
    audit_record(
        actor=actor,
        event_type="petitions.assigned",
        target=petition,
        before=before,
        after={"assignee_id": assignee.pk, "status": petition.status},
    )
    return petition


@transaction.atomic(durable=True)
def petition_cadres_set(*, actor: User, petition: Petition, cadres: Sequence[Cadre]) -> Petition:
    """Name the registry cadres the petition concerns (the sender only wrote a name and unit).

    Each must be a cadre the actor may see; the list replaces the previous one.
    """
    petition = _locked(actor, petition)
    ids = sorted({c.pk for c in cadres})
    visible = set(cadres_for(actor).filter(pk__in=ids).values_list("pk", flat=True))
    if len(visible) != len(ids):
        raise _fail(MSG_CADRE_OUT_OF_SCOPE, "cadres")
    before = sorted(petition.cadres.values_list("pk", flat=True))
    petition.cadres.set(ids)
    audit_record(
        actor=actor,
        event_type="petitions.cadres_set",
        target=petition,
        before={"cadre_ids": before},
        after={"cadre_ids": ids},
    )
    return petition


@transaction.atomic(durable=True)
def petition_verify(*, actor: User, petition: Petition, notes: str) -> Petition:
    """The assignee records what the verification found (replacing the earlier notes); → 核查中."""
    petition = _locked(actor, petition)
    _require_assignee(actor, petition)
    if not notes.strip():
        raise _fail(MSG_NOTES, "notes")
    before = {"status": petition.status}
    petition.verification_notes = notes.strip()[:CONTENT_MAX]
    petition.status = PetitionStatus.VERIFYING
    petition.save(update_fields=["verification_notes", "status"])
    audit_record(
        actor=actor,
        event_type="petitions.verified",
        target=petition,
        before=before,
        after={"status": petition.status, "notes_length": len(petition.verification_notes)},
    )
    return petition


def _talk_for(
    *,
    actor: User,
    petition: Petition,
    conclusion: Conclusion,
    cadre: Cadre | None,
    held_on: dt.date | None,
    talkers: str,
    issue: str,
    months: int | None,
) -> int | None:
    """The talk a 谈话提醒 or 诫勉 conclusion records (inside this transaction), or ``None``."""
    if conclusion not in (Conclusion.REMINDER_TALK, Conclusion.ADMONISHMENT):
        return None
    if cadre is None:
        raise _fail(MSG_CADRE_REQUIRED, "cadre")
    if not petition.cadres.filter(pk=cadre.pk).exists():
        raise _fail(MSG_CADRE_NOT_LISTED, "cadre")
    if held_on is None or not talkers.strip():
        raise _fail(MSG_TALK_FIELDS, "held_on" if held_on is None else "talkers")
    body = _TALKER_BODY[IntakeBody(petition.intake_body)].value
    if conclusion == Conclusion.REMINDER_TALK:
        talk = talks.talk_record_within(
            actor=actor,
            cadre=cadre,
            kind=TalkKind.REMINDER.value,
            held_on=held_on,
            talkers=talkers,
            issue=issue,
            talker_body=body,
        )
    else:
        try:
            talk = talks.admonish_within(
                actor=actor,
                cadre=cadre,
                decided_on=held_on,
                issue=issue,
                talkers=talkers,
                talker_body=body,
                months=months,
            )
        except ServiceError as exc:
            # The conclusion form has one date field (held_on) for both kinds: name it so.
            if hasattr(exc, "error_dict") and "decided_on" in exc.error_dict:
                messages = exc.message_dict
                messages["held_on"] = messages.pop("decided_on")
                raise ServiceError(messages) from None
            raise
    return talk.pk


@transaction.atomic(durable=True)
def petition_conclude(
    *,
    actor: User,
    petition: Petition,
    conclusion: str,
    reply: str,
    referred_to: str = "",
    cadre: Cadre | None = None,
    held_on: dt.date | None = None,
    talkers: str = "",
    issue: str = "",
    months: int | None = None,
) -> Petition:
    """The assignee concludes a verified petition: 不实, 谈话提醒, 诫勉 or 移送 (to ``referred_to``).

    ``reply`` is what the sender reads with the tracking code. A 谈话提醒 records a 提醒谈话 and a
    诫勉 decides the 诫勉 (its impact period and registry sanction, ``talks.admonish_within``) for
    ``cadre`` (one of the petition's cadres) on ``held_on`` by ``talkers``, in this transaction;
    the talk's ``issue`` defaults to the reply.
    """
    petition = _locked(actor, petition)
    _require_assignee(actor, petition)
    if petition.status != PetitionStatus.VERIFYING:
        raise _fail(MSG_NOT_VERIFIED)
    if conclusion not in Conclusion.values:
        raise _fail(MSG_CONCLUSION.format(conclusion=conclusion), "conclusion")
    kind = Conclusion(conclusion)
    errors: dict[str, list[str]] = {}
    if not reply.strip():
        errors["reply"] = [MSG_REPLY]
    if kind == Conclusion.REFERRAL and not referred_to.strip():
        errors["referred_to"] = [MSG_REFERRED_TO]
    if errors:
        raise ServiceError(errors)
    talk_id = _talk_for(
        actor=actor,
        petition=petition,
        conclusion=kind,
        cadre=cadre,
        held_on=held_on,
        talkers=talkers,
        issue=issue.strip() or reply.strip(),
        months=months,
    )
    petition.status = PetitionStatus.CONCLUDED
    petition.conclusion = kind.value
    petition.referred_to = referred_to.strip()[:100] if kind == Conclusion.REFERRAL else ""
    petition.reply = reply.strip()[:CONTENT_MAX]
    petition.talk_id = talk_id
    petition.concluded_on = timezone.localdate()
    petition.concluded_by = actor
    petition.save(
        update_fields=["status", "conclusion", "referred_to", "reply", "talk", "concluded_on", "concluded_by"]
    )
    audit_record(
        actor=actor,
        event_type="petitions.concluded",
        target=petition,
        before={"status": PetitionStatus.VERIFYING.value},
        after={"status": petition.status, "conclusion": kind.value, "talk_id": talk_id},
    )
    return petition
