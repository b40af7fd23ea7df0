"""The fields of the supervision documents, each built from its own source object (not a selection record).

``joint_meeting_minutes`` (会议纪要) is built from a ``JointMeeting`` with its attendees, agenda, findings and
follow-ups, one query each, whatever their number; ``talk_record`` (谈话记录) from a ``ganbu.talks`` Talk.
As in ``context``, every value is text or a list of
records of texts, and a document whose step has not happened raises :class:`context.DocumentNotReady`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from ganbu.economic_audits.models import AuditEngagement
from ganbu.joint_meetings.choices import AgendaSource, Body, FollowUpStatus, MeetingStatus
from ganbu.joint_meetings.models import AgendaItem, Finding, FollowUp, JointMeeting, MeetingMember
from ganbu.registry.models import Cadre, Unit
from ganbu.talks.choices import TalkerBody, TalkKind, TalkStatus
from ganbu.talks.models import Talk

from .context import ORG_DEPARTMENT, DocumentNotReady, day, doc_number_blank, names, paragraphs, period

MSG_MEETING_NOT_HELD = "会议尚未召开（计划于{date}），不能生成会议纪要。"
MINUTES_DRAFT = "纪要草稿（尚未定稿）"
MINUTES_SETTLED = "纪要已定稿"
NO_MINUTES_TEXT = "（会议纪要正文尚未填写）"


def county_name() -> str:
    """The county: the name of the top unit of the unit tree (one query)."""
    root = Unit.objects.filter(parent__isnull=True).order_by("id").only("name").first()
    return root.name if root else ""


def base_fields(on: dt.date, *, issuer: str = "", doc_number: str = "") -> dict[str, Any]:
    """The fields every kind gives: county, issuer, 文号, the document's date and today."""
    county = county_name()
    return {
        "county": county,
        "issuer": issuer or ORG_DEPARTMENT.format(county=county),
        "doc_number": doc_number or doc_number_blank(on),
        "date": day(on),
        "today": day(timezone.localdate()),
    }


def post_text(cadre: Cadre) -> str:
    """A cadre's 现任职务 as on the record, or 「所在单位＋干部」 (the cadre comes with its unit)."""
    return cadre.current_post_text or f"{cadre.unit.name}干部"


def joint_meeting_minutes(meeting: JointMeeting, candidate_id: int | None = None) -> dict[str, Any]:
    """会议纪要: the meeting, who attended by body, the agenda, the findings per cadre, the follow-ups."""
    if meeting.status == MeetingStatus.PLANNED:
        raise DocumentNotReady(MSG_MEETING_NOT_HELD.format(date=day(meeting.held_on)))
    on = meeting.minutes_on or meeting.held_on
    members = list(MeetingMember.objects.filter(meeting=meeting).order_by("id"))
    agenda = list(AgendaItem.objects.filter(meeting=meeting).select_related("cadre").order_by("id"))
    findings = list(Finding.objects.filter(meeting=meeting).select_related("cadre__unit").order_by("id"))
    follow_ups = list(
        FollowUp.objects.filter(meeting=meeting).select_related("owner").order_by("due_on", "id")
    )
    bodies = [b.label for b in Body if any(m.body == b.value for m in members)]
    return {
        **base_fields(on),
        "title": meeting.title,
        "held_on": day(meeting.held_on),
        "period": period(meeting.period_start, meeting.period_end),
        "venue": meeting.venue,
        "chair": meeting.chair,
        "minutes_status": MINUTES_SETTLED if meeting.status == MeetingStatus.MINUTED else MINUTES_DRAFT,
        "minutes": meeting.minutes or NO_MINUTES_TEXT,
        "minutes_paragraphs": paragraphs(meeting.minutes) or [NO_MINUTES_TEXT],
        "members": [{"body": Body(m.body).label, "name": m.name, "post": m.post} for m in members],
        "members_text": names(f"{m.post}{m.name}" for m in members),
        "bodies_text": names(bodies),
        "agenda": [
            {
                "number": str(n),
                "source": AgendaSource(a.source).label,
                "title": a.title,
                "detail": a.detail,
                "cadre": a.cadre.name if a.cadre else "",
            }
            for n, a in enumerate(agenda, start=1)
        ],
        "findings": [
            {
                "number": str(n),
                "name": f.cadre.name,
                "unit": f.cadre.unit.name,
                "current_post": post_text(f.cadre),
                "text": f.text,
                "measure": f.measure,
            }
            for n, f in enumerate(findings, start=1)
        ],
        "follow_ups": [
            {
                "number": str(n),
                "task": f.task,
                "owner": f.owner_text,
                "due_on": day(f.due_on),
                "status": FollowUpStatus(f.status).label,
            }
            for n, f in enumerate(follow_ups, start=1)
        ],
    }


MSG_TALK_PLANNED = "谈话尚未进行（计划于{date}），不能生成谈话记录。"


def _talk_issuer(talk: Talk, county: str) -> str:
    """Who keeps the record: the talkers' body, with the county's name (示例县纪委监委)."""
    if talk.talker_body == TalkerBody.UNIT_PARTY:
        return f"{talk.unit.name}党组织"
    return str(TalkerBody(talk.talker_body).label).replace("县", county)


def talk_record(talk: Talk, candidate_id: int | None = None) -> dict[str, Any]:
    """谈话记录: who was talked to, by whom, when and why, what was agreed; a 函询's answer, a 诫勉's
    impact period."""
    if talk.status == TalkStatus.PLANNED:
        raise DocumentNotReady(MSG_TALK_PLANNED.format(date=day(talk.held_on)))
    base = base_fields(talk.held_on)
    base["issuer"] = _talk_issuer(talk, base["county"])
    period_text = period(talk.period_start, talk.period_end) if talk.period_start else ""
    return {
        **base,
        "kind": TalkKind(talk.kind).label,
        "status": TalkStatus(talk.status).label,
        "name": talk.cadre.name,
        "unit": talk.unit.name,
        "current_post": post_text(talk.cadre),
        "held_on": day(talk.held_on),
        "talkers": talk.talkers,
        "talker_body": TalkerBody(talk.talker_body).label,
        "issue": talk.issue,
        "issue_paragraphs": paragraphs(talk.issue),
        "follow_up": talk.follow_up,
        "answer_due_on": day(talk.answer_due_on),
        "answer": talk.answer,
        "answered_on": day(talk.answered_on),
        "period": period_text,
        "period_basis": talk.period_basis,
    }


MSG_NOT_COMMISSIONED = "尚未登记委托审计，不能生成经济责任审计委托书。"
# Who signs the commission letter, by the commissioning body (the county's name is put in front).
COMMISSIONERS = {"organization": "中共{county}委组织部", "discipline": "中共{county}纪律检查委员会"}


def audit_commission(engagement: AuditEngagement, candidate_id: int | None = None) -> dict[str, Any]:
    """经济责任审计委托书: who is audited for which tenure and why, the audit body, the dates asked for."""
    if engagement.commissioned_on is None:
        raise DocumentNotReady(MSG_NOT_COMMISSIONED)
    base = base_fields(engagement.commissioned_on)
    issuer = COMMISSIONERS.get(engagement.commissioned_by, ORG_DEPARTMENT)
    base["issuer"] = issuer.format(county=base["county"])
    return {
        **base,
        "name": engagement.cadre.name,
        "unit": engagement.unit.name,
        "post": f"{engagement.unit.name}{engagement.post.title}",
        "role": engagement.get_role_display(),
        "term": period(engagement.term_start, engagement.term_end),
        "trigger": engagement.get_trigger_display(),
        "trigger_note": engagement.trigger_note,
        "subject_basis": engagement.subject_basis,
        "audit_body": engagement.audit_body,
        "commissioned_on": day(engagement.commissioned_on),
        "report_due_on": day(engagement.report_due_on),
        "notice_served_on": day(engagement.notice_served_on),
    }
