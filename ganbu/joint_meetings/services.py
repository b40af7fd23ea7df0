"""Joint-meeting services: the only code that writes meetings, attendees, agenda, findings and follow-ups.

Who may: the supervising bodies and the department's officers (``Cap.SUPERVISION_MANAGE``) with
county-wide scope — the meeting is the county's, and its findings name cadres of every unit. Each
public service is keyword-only, takes the acting user, runs in one durable transaction, locks the
meeting row (two officers editing one meeting see each other's changes in order) and writes an audit
event. A meeting moves planned → held (with its attendees) → minutes settled; after the minutes only
the follow-up items change. Refusals are ``ServiceError`` in Chinese naming the county's rule
(``schedule.CITATION``) and the failing fact.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from ganbu.accounts.models import User
from ganbu.core.access import Cap, cadres_for, has_cap
from ganbu.core.audit import audit_record
from ganbu.core.errors import ServiceError
from ganbu.registry.models import Cadre
from ganbu.rules.workdays import cn_date

from . import sources
from .choices import AgendaSource, Body, FollowUpStatus, MeetingStatus
from .models import AgendaItem, Finding, FollowUp, JointMeeting, MeetingMember
from .schedule import CITATION

MSG_NO_MANAGE = "您无权办理联席会议：联席会议由全县范围的纪检监察、审计、信访等监督部门和组织部干部办理。"
MSG_TITLE = "请填写会议名称。"
MSG_PERIOD = "通报期间的截止日期不能早于起始日期（{date}）。"
MSG_MINUTES_SETTLED = "该会议的纪要已于{date}定稿，参会人员、议题和干部情况不能再修改。"
MSG_NOT_PLANNED = "该会议已登记召开（{date}），不能重复登记。"
MSG_NOT_HELD = "会议尚未登记召开，不能{what}。"
MSG_HELD_FUTURE = "召开日期（{date}）不能晚于今天：会议召开后才能登记召开。"
MSG_NO_MEMBERS = "登记召开前须录入参会人员：联席会议由各成员单位参加（依据：{citation}）。"
MSG_BODY = "成员单位「{body}」不正确。"
MSG_NAME = "请填写姓名。"
MSG_POST = "请填写职务。"
MSG_MEMBER_TWICE = "{name}（{body}）已在参会人员中。"
MSG_AGENDA_TITLE = "请填写议题。"
MSG_CASE_GONE = "该案件不存在、已办结或无权查看，不能列入议题。"
MSG_CASE_TWICE = "该案件已列入本次会议议题。"
MSG_SOURCE = "议题来源「{source}」不正确。"
MSG_CADRE_NOT_VISIBLE = "干部不存在或不在您的管理范围内。"
MSG_FINDING_TEXT = "请填写干部的有关情况。"
MSG_FINDING_MEASURE = "请填写处理意见（如提醒谈话、函询、诫勉、移送纪委监委）。"
MSG_MINUTES_TEXT = "请填写会议纪要正文（会议议定的事项）。"
MSG_MINUTES_BEFORE = "纪要定稿日期不能早于会议召开日期（{date}）。"
MSG_TASK = "请填写督办事项。"
MSG_OWNER = "请指定责任人或填写责任单位。"
MSG_OWNER_ROLE = "责任人须为能查看联席会议的监督部门或组织部人员。"
MSG_DUE_BEFORE = "完成时限不能早于会议召开日期（{date}）。"
MSG_FOLLOW_UP_DONE = "该督办事项已于{date}办结。"
MSG_FOLLOW_UP_NO_RIGHT = "只有督办事项的责任人或联席会议经办部门可以登记办结。"
MSG_DONE_BEFORE = "办结日期不能早于会议召开日期（{date}）。"
MSG_DONE_FUTURE = "办结日期不能晚于今天。"
MSG_RESULT = "请填写办理结果。"

MAX_TITLE = 200


def _fail(message: str, field: str | None = None) -> ServiceError:
    """A ``ServiceError`` with ``message``, on ``field`` when one is named."""
    return ServiceError({field: [message]} if field else message)


def may_manage(user: User) -> bool:
    """Whether ``user`` may run joint meetings: ``Cap.SUPERVISION_MANAGE`` with county-wide scope."""
    return has_cap(user, Cap.SUPERVISION_MANAGE) and user.scope_unit_id is None and not user.scope_authorities


def _require_manage(actor: User) -> None:
    """Refuse anyone who may not run joint meetings."""
    if not may_manage(actor):
        raise _fail(MSG_NO_MANAGE)


def _locked(meeting: JointMeeting) -> JointMeeting:
    """The meeting's row, locked for the rest of the transaction, as it is now."""
    return JointMeeting.objects.select_for_update().get(pk=meeting.pk)


def _require_open(meeting: JointMeeting) -> None:
    """Refuse changes to what the settled minutes record."""
    if not meeting.is_open:
        raise _fail(MSG_MINUTES_SETTLED.format(date=cn_date(meeting.minutes_on or meeting.held_on)))


def _visible_cadre(actor: User, cadre: Cadre) -> Cadre:
    """``cadre`` as the actor's scope sees it, or a refusal on the ``cadre`` field."""
    found = cadres_for(actor).filter(pk=cadre.pk).first()
    if found is None:
        raise _fail(MSG_CADRE_NOT_VISIBLE, "cadre")
    return found


def default_title(held_on: dt.date) -> str:
    """The usual name of the half-year's meeting: 2026年上半年干部监督工作联席会议."""
    return f"{held_on.year}年{'上' if held_on.month <= 6 else '下'}半年干部监督工作联席会议"


def default_period(held_on: dt.date) -> tuple[dt.date, dt.date]:
    """The half-year a meeting on ``held_on`` reviews: the previous one (a January meeting reviews
    July–December of the year before, a July meeting January–June)."""
    if held_on.month <= 6:
        return dt.date(held_on.year - 1, 7, 1), dt.date(held_on.year - 1, 12, 31)
    return dt.date(held_on.year, 1, 1), dt.date(held_on.year, 6, 30)


@transaction.atomic(durable=True)
def meeting_create(
    *,
    actor: User,
    held_on: dt.date,
    title: str = "",
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    venue: str = "",
    chair: str = "",
) -> JointMeeting:
    """Plan a meeting on ``held_on`` (the planned day); the title and period default to the half-year's."""
    _require_manage(actor)
    title = title.strip() or default_title(held_on)
    if len(title) > MAX_TITLE:
        raise _fail(f"会议名称不能超过 {MAX_TITLE} 个字符。", "title")
    start, end = default_period(held_on)
    period_start = period_start or start
    period_end = period_end or end
    if period_end < period_start:
        raise _fail(MSG_PERIOD.format(date=cn_date(period_start)), "period_end")
    meeting = JointMeeting.objects.create(
        title=title,
        held_on=held_on,
        period_start=period_start,
        period_end=period_end,
        venue=venue.strip()[:200],
        chair=chair.strip()[:100],
        created_by=actor,
    )
    audit_record(
        actor=actor,
        event_type="joint_meetings.meeting_planned",
        target=meeting,
        after={"title": title, "held_on": held_on, "period": [period_start, period_end]},
    )
    return meeting


@transaction.atomic(durable=True)
def member_add(*, actor: User, meeting: JointMeeting, body: str, name: str, post: str) -> MeetingMember:
    """Add an attendee: the body they represent, their name and post."""
    _require_manage(actor)
    meeting = _locked(meeting)
    _require_open(meeting)
    errors: dict[str, list[str]] = {}
    if body not in Body.values:
        errors["body"] = [MSG_BODY.format(body=body)]
    if not name.strip():
        errors["name"] = [MSG_NAME]
    if not post.strip():
        errors["post"] = [MSG_POST]
    if errors:
        raise ServiceError(errors)
    name, post = name.strip()[:50], post.strip()[:100]
    if MeetingMember.objects.filter(meeting=meeting, body=body, name=name).exists():
        raise _fail(MSG_MEMBER_TWICE.format(name=name, body=Body(body).label), "name")
    member = MeetingMember.objects.create(meeting=meeting, body=body, name=name, post=post)
    audit_record(
        actor=actor,
        event_type="joint_meetings.member_added",
        target=meeting,
        after={"member_id": member.pk, "body": body, "name": name, "post": post},
    )
    return member


@transaction.atomic(durable=True)
def member_remove(*, actor: User, member: MeetingMember) -> None:
    """Take an attendee off the list (before the minutes are settled)."""
    _require_manage(actor)
    meeting = _locked(member.meeting)
    _require_open(meeting)
    audit_record(
        actor=actor,
        event_type="joint_meetings.member_removed",
        target=meeting,
        before={"member_id": member.pk, "body": member.body, "name": member.name},
    )
    MeetingMember.objects.filter(pk=member.pk).delete()


@transaction.atomic(durable=True)
def agenda_add(
    *, actor: User, meeting: JointMeeting, title: str, detail: str = "", cadre: Cadre | None = None
) -> AgendaItem:
    """Add a topic typed by the officer (其他议题), optionally about one cadre."""
    _require_manage(actor)
    meeting = _locked(meeting)
    _require_open(meeting)
    if not title.strip():
        raise _fail(MSG_AGENDA_TITLE, "title")
    if cadre is not None:
        cadre = _visible_cadre(actor, cadre)
    item = AgendaItem.objects.create(
        meeting=meeting,
        source=AgendaSource.FREE,
        title=title.strip()[:300],
        detail=detail.strip(),
        cadre=cadre,
    )
    audit_record(
        actor=actor,
        event_type="joint_meetings.agenda_added",
        target=meeting,
        after={"agenda_id": item.pk, "source": item.source, "title": item.title},
        cadre_id=cadre.pk if cadre else None,
    )
    return item


@transaction.atomic(durable=True)
def agenda_add_case(*, actor: User, meeting: JointMeeting, source: str, source_id: int) -> AgendaItem:
    """Put an open case of another app on the agenda (read through that app's scoped selector)."""
    _require_manage(actor)
    meeting = _locked(meeting)
    _require_open(meeting)
    if source not in AgendaSource.values or source == AgendaSource.FREE:
        raise _fail(MSG_SOURCE.format(source=source), "source")
    case = sources.case_get(actor, source, source_id)
    if case is None:
        raise _fail(MSG_CASE_GONE, "source_id")
    if AgendaItem.objects.filter(meeting=meeting, source=source, source_id=source_id).exists():
        raise _fail(MSG_CASE_TWICE, "source_id")
    item = AgendaItem.objects.create(
        meeting=meeting,
        source=source,
        source_id=source_id,
        title=case.title[:300],
        detail=case.detail,
        cadre_id=case.cadre_id,
    )
    audit_record(
        actor=actor,
        event_type="joint_meetings.agenda_added",
        target=meeting,
        after={"agenda_id": item.pk, "source": source, "source_id": source_id, "title": item.title},
        cadre_id=case.cadre_id,
    )
    return item


@transaction.atomic(durable=True)
def agenda_remove(*, actor: User, item: AgendaItem) -> None:
    """Take an item off the agenda (before the minutes are settled)."""
    _require_manage(actor)
    meeting = _locked(item.meeting)
    _require_open(meeting)
    audit_record(
        actor=actor,
        event_type="joint_meetings.agenda_removed",
        target=meeting,
        before={
            "agenda_id": item.pk,
            "source": item.source,
            "source_id": item.source_id,
            "title": item.title,
        },
    )
    AgendaItem.objects.filter(pk=item.pk).delete()


@transaction.atomic(durable=True)
def finding_add(*, actor: User, meeting: JointMeeting, cadre: Cadre, text: str, measure: str) -> Finding:
    """Record what the meeting found about a cadre and the measure agreed."""
    _require_manage(actor)
    meeting = _locked(meeting)
    _require_open(meeting)
    cadre = _visible_cadre(actor, cadre)
    errors: dict[str, list[str]] = {}
    if not text.strip():
        errors["text"] = [MSG_FINDING_TEXT]
    if not measure.strip():
        errors["measure"] = [MSG_FINDING_MEASURE]
    if errors:
        raise ServiceError(errors)
    finding = Finding.objects.create(
        meeting=meeting, cadre=cadre, text=text.strip(), measure=measure.strip(), created_by=actor
    )
    audit_record(
        actor=actor,
        event_type="joint_meetings.finding_added",
        target=meeting,
        after={"finding_id": finding.pk, "cadre": cadre.name, "measure": finding.measure},
        cadre_id=cadre.pk,
        unit_id=cadre.unit_id,
    )
    return finding


@transaction.atomic(durable=True)
def finding_remove(*, actor: User, finding: Finding) -> None:
    """Delete a finding entered by mistake (before the minutes are settled)."""
    _require_manage(actor)
    meeting = _locked(finding.meeting)
    _require_open(meeting)
    audit_record(
        actor=actor,
        event_type="joint_meetings.finding_removed",
        target=meeting,
        before={"finding_id": finding.pk, "cadre_id": finding.cadre_id, "measure": finding.measure},
        cadre_id=finding.cadre_id,
    )
    Finding.objects.filter(pk=finding.pk).delete()


@transaction.atomic(durable=True)
def meeting_mark_held(*, actor: User, meeting: JointMeeting, held_on: dt.date) -> JointMeeting:
    """Record that the meeting met on ``held_on`` (not in the future), with its attendees entered.

    From then on the half-year's meeting is no longer due (``selectors.meeting_due``).
    """
    _require_manage(actor)
    meeting = _locked(meeting)
    if meeting.status != MeetingStatus.PLANNED:
        raise _fail(MSG_NOT_PLANNED.format(date=cn_date(meeting.held_on)))
    if held_on > timezone.localdate():
        raise _fail(MSG_HELD_FUTURE.format(date=cn_date(held_on)), "held_on")
    if not MeetingMember.objects.filter(meeting=meeting).exists():
        raise _fail(MSG_NO_MEMBERS.format(citation=CITATION))
    before = {"status": meeting.status, "held_on": meeting.held_on}
    meeting.status = MeetingStatus.HELD
    meeting.held_on = held_on
    meeting.save(update_fields=["status", "held_on"])
    audit_record(
        actor=actor,
        event_type="joint_meetings.meeting_held",
        target=meeting,
        before=before,
        after={"status": meeting.status, "held_on": held_on},
    )
    return meeting


@transaction.atomic(durable=True)
def minutes_settle(*, actor: User, meeting: JointMeeting, minutes: str, minutes_on: dt.date) -> JointMeeting:
    """Settle the minutes' text (会议纪要定稿): the attendees, agenda and findings are then fixed."""
    _require_manage(actor)
    meeting = _locked(meeting)
    _require_open(meeting)
    if meeting.status != MeetingStatus.HELD:
        raise _fail(MSG_NOT_HELD.format(what="定稿会议纪要"))
    errors: dict[str, list[str]] = {}
    if not minutes.strip():
        errors["minutes"] = [MSG_MINUTES_TEXT]
    if minutes_on < meeting.held_on:
        errors["minutes_on"] = [MSG_MINUTES_BEFORE.format(date=cn_date(meeting.held_on))]
    if errors:
        raise ServiceError(errors)
    meeting.status = MeetingStatus.MINUTED
    meeting.minutes = minutes.strip()
    meeting.minutes_on = minutes_on
    meeting.save(update_fields=["status", "minutes", "minutes_on"])
    audit_record(
        actor=actor,
        event_type="joint_meetings.minutes_settled",
        target=meeting,
        before={"status": MeetingStatus.HELD},
        after={"status": meeting.status, "minutes_on": minutes_on, "minutes_chars": len(meeting.minutes)},
    )
    return meeting


def _owner_ok(owner: User) -> bool:
    """A follow-up's owner must be able to open the meeting to report it done."""
    return owner.is_active and has_cap(owner, Cap.SUPERVISION_VIEW)


@transaction.atomic(durable=True)
def follow_up_add(
    *,
    actor: User,
    meeting: JointMeeting,
    task: str,
    due_on: dt.date,
    owner: User | None = None,
    owner_body: str = "",
) -> FollowUp:
    """Assign a task of the meeting to a user, a body by name, or both, with its due date."""
    _require_manage(actor)
    meeting = _locked(meeting)
    if meeting.status == MeetingStatus.PLANNED:
        raise _fail(MSG_NOT_HELD.format(what="布置督办事项"))
    errors: dict[str, list[str]] = {}
    if not task.strip():
        errors["task"] = [MSG_TASK]
    if owner is None and not owner_body.strip():
        errors["owner"] = [MSG_OWNER]
    elif owner is not None and not _owner_ok(owner):
        errors["owner"] = [MSG_OWNER_ROLE]
    if due_on < meeting.held_on:
        errors["due_on"] = [MSG_DUE_BEFORE.format(date=cn_date(meeting.held_on))]
    if errors:
        raise ServiceError(errors)
    item = FollowUp.objects.create(
        meeting=meeting,
        task=task.strip()[:500],
        owner=owner,
        owner_body=owner_body.strip()[:100],
        due_on=due_on,
    )
    audit_record(
        actor=actor,
        event_type="joint_meetings.follow_up_added",
        target=meeting,
        after={
            "follow_up_id": item.pk,
            "task": item.task,
            "owner_id": owner.pk if owner else None,
            "owner_body": item.owner_body,
            "due_on": due_on,
        },
    )
    return item


def may_complete(user: User, item: FollowUp) -> bool:
    """Whether ``user`` may report ``item`` done: its owner, or whoever runs the meetings."""
    return may_manage(user) or (item.owner_id is not None and item.owner_id == user.pk and _owner_ok(user))


@transaction.atomic(durable=True)
def follow_up_complete(*, actor: User, follow_up: FollowUp, done_on: dt.date, result: str) -> FollowUp:
    """Report a follow-up item done on ``done_on`` with its result."""
    item = FollowUp.objects.select_for_update().select_related("meeting").get(pk=follow_up.pk)
    if not may_complete(actor, item):
        raise _fail(MSG_FOLLOW_UP_NO_RIGHT)
    if item.status == FollowUpStatus.DONE:
        raise _fail(MSG_FOLLOW_UP_DONE.format(date=cn_date(item.done_on) if item.done_on else ""))
    errors: dict[str, list[str]] = {}
    if done_on < item.meeting.held_on:
        errors["done_on"] = [MSG_DONE_BEFORE.format(date=cn_date(item.meeting.held_on))]
    elif done_on > timezone.localdate():
        errors["done_on"] = [MSG_DONE_FUTURE]
    if not result.strip():
        errors["result"] = [MSG_RESULT]
    if errors:
        raise ServiceError(errors)
    item.status = FollowUpStatus.DONE
    item.done_on = done_on
    item.result = result.strip()[:500]
    item.save(update_fields=["status", "done_on", "result"])
    audit_record(
        actor=actor,
        event_type="joint_meetings.follow_up_done",
        target=item.meeting,
        before={"follow_up_id": item.pk, "status": FollowUpStatus.OPEN},
        after={"follow_up_id": item.pk, "status": item.status, "done_on": done_on, "result": item.result},
    )
    return item
