"""联席会议: the REST operations of the ``joint_meetings`` app.

Every operation calls ``ganbu.joint_meetings.services`` or ``selectors``. Meetings are for those who see
supervision (``Cap.SUPERVISION_VIEW``; 404 for anyone else); changes for county-wide supervision staff
(a refusal is a 422 with the service's Chinese message), reporting a follow-up done also for its owner.
The minutes are ``GET /filled/joint_meeting_minutes/{meeting_id}`` (the document templates' endpoint).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.params import functions as param
from ninja.responses import Status

from ganbu.accounts.models import User
from ganbu.core.errors import ServiceError
from ganbu.joint_meetings import selectors, services
from ganbu.joint_meetings.models import JointMeeting
from ganbu.registry import selectors as registry_selectors
from ganbu.registry.models import Cadre

from ..common import READ_ERRORS, WRITE_ERRORS, actor, referenced
from ..pagination import paginated
from ..schemas import MAX_ID
from ..schemas_joint_meetings import (
    JointMeetingAgendaIn,
    JointMeetingAgendaOut,
    JointMeetingDetailOut,
    JointMeetingFindingIn,
    JointMeetingFindingOut,
    JointMeetingFollowUpDoneIn,
    JointMeetingFollowUpIn,
    JointMeetingFollowUpOut,
    JointMeetingHeldIn,
    JointMeetingIn,
    JointMeetingMemberIn,
    JointMeetingMemberOut,
    JointMeetingMinutesIn,
    JointMeetingOut,
)

router = Router(tags=["联席会议"])

MeetingId = param.Path(..., ge=1, le=MAX_ID, description="联席会议 id")
FollowUpId = param.Path(..., ge=1, le=MAX_ID, description="督办事项 id")
MSG_CADRE = "干部不存在或不在您的管理范围内。"
MSG_OWNER = "责任人不存在。"
MSG_TITLE = "请填写议题。"
MSG_SOURCE_ID = "请选择案件。"
MINUTES_KIND = "joint_meeting_minutes"


def _meeting(user: User, meeting_id: int) -> JointMeeting:
    """The meeting in the caller's view, or 404."""
    return selectors.meeting_get(user=user, meeting_id=meeting_id)


def _manage(user: User) -> None:
    """A refusal (422) for callers who see meetings but may not run them."""
    if not services.may_manage(user):
        raise ServiceError(services.MSG_NO_MANAGE)


def _cadre(user: User, cadre_id: int) -> Cadre:
    """A cadre named in the body, through the caller's scope (422 on ``cadre_id`` otherwise)."""
    return referenced(
        "cadre_id", MSG_CADRE, partial(registry_selectors.cadre_get_for_user, user=user, cadre_id=cadre_id)
    )


def _detail(user: User, meeting_id: int) -> dict[str, Any]:
    """A meeting with its rows as ``JointMeetingDetailOut``."""
    d = selectors.meeting_detail(user=user, meeting_id=meeting_id)
    m = d.meeting
    may_download = selectors.may_see_all(user) and m.status != "planned"
    return {
        **{
            f: getattr(m, f)
            for f in ("id", "title", "held_on", "period_start", "period_end", "venue", "chair")
        },
        "status": m.status,
        "status_label": m.get_status_display(),
        "minutes": m.minutes,
        "minutes_on": m.minutes_on,
        "members": d.members,
        "agenda": [
            {
                "id": a.pk,
                "source": a.source,
                "source_id": a.source_id,
                "title": a.title,
                "detail": a.detail,
                "cadre": {"id": a.cadre.pk, "name": a.cadre.name} if a.cadre else None,
            }
            for a in d.agenda
        ],
        "findings": [
            {
                "id": f.pk,
                "cadre": {"id": f.cadre.pk, "name": f.cadre.name},
                "text": f.text,
                "measure": f.measure,
            }
            for f in d.findings
        ],
        "follow_ups": d.follow_ups,
        "minutes_url": f"/api/v1/filled/{MINUTES_KIND}/{m.pk}" if may_download else None,
    }


@router.get(
    "/joint-meetings",
    response={200: list[JointMeetingOut], **READ_ERRORS},
    summary="联席会议列表",
    operation_id="joint_meeting_list",
)
@paginated
def joint_meeting_list(request: HttpRequest) -> Any:
    """Meetings, newest first."""
    return selectors.meeting_list(user=actor(request))


@router.post(
    "/joint-meetings",
    response={201: JointMeetingDetailOut, **WRITE_ERRORS},
    summary="安排联席会议",
    operation_id="joint_meeting_create",
)
def joint_meeting_create(request: HttpRequest, payload: JointMeetingIn) -> Any:
    """Plan a meeting (``services.meeting_create``)."""
    user = actor(request)
    selectors.meeting_list(user=user)  # 404 for callers who do not see meetings
    meeting = services.meeting_create(actor=user, **payload.dict())
    return Status(201, _detail(user, meeting.pk))


@router.get(
    "/joint-meetings/{meeting_id}",
    response={200: JointMeetingDetailOut, **READ_ERRORS},
    summary="联席会议详情（参会人员、议题、干部情况、督办事项）",
    operation_id="joint_meeting_get",
)
def joint_meeting_get(request: HttpRequest, meeting_id: int = MeetingId) -> Any:
    """A meeting with what it records; findings limited to the caller's scope."""
    return _detail(actor(request), meeting_id)


@router.post(
    "/joint-meetings/{meeting_id}/members",
    response={201: JointMeetingMemberOut, **WRITE_ERRORS},
    summary="添加参会人员",
    operation_id="joint_meeting_member_add",
)
def joint_meeting_member_add(
    request: HttpRequest, payload: JointMeetingMemberIn, meeting_id: int = MeetingId
) -> Any:
    """Add an attendee (``services.member_add``)."""
    user = actor(request)
    meeting = _meeting(user, meeting_id)
    return Status(201, services.member_add(actor=user, meeting=meeting, **payload.dict()))


@router.post(
    "/joint-meetings/{meeting_id}/agenda",
    response={201: JointMeetingAgendaOut, **WRITE_ERRORS},
    summary="列入会议议题（待办结的案件或其他议题）",
    operation_id="joint_meeting_agenda_add",
)
def joint_meeting_agenda_add(
    request: HttpRequest, payload: JointMeetingAgendaIn, meeting_id: int = MeetingId
) -> Any:
    """Put an open case (``source``, ``source_id``) or a typed topic (``title``) on the agenda."""
    user = actor(request)
    meeting = _meeting(user, meeting_id)
    _manage(user)
    if payload.source == "free":
        if not payload.title:
            raise ServiceError({"title": [MSG_TITLE]})
        cadre = _cadre(user, payload.cadre_id) if payload.cadre_id else None
        item = services.agenda_add(
            actor=user, meeting=meeting, title=payload.title, detail=payload.detail, cadre=cadre
        )
    else:
        if payload.source_id is None:
            raise ServiceError({"source_id": [MSG_SOURCE_ID]})
        item = services.agenda_add_case(
            actor=user, meeting=meeting, source=payload.source, source_id=payload.source_id
        )
    cadre_ref = {"id": item.cadre.pk, "name": item.cadre.name} if item.cadre else None
    return Status(
        201,
        {
            "id": item.pk,
            "source": item.source,
            "source_id": item.source_id,
            "title": item.title,
            "detail": item.detail,
            "cadre": cadre_ref,
        },
    )


@router.post(
    "/joint-meetings/{meeting_id}/findings",
    response={201: JointMeetingFindingOut, **WRITE_ERRORS},
    summary="记录干部有关情况及处理意见",
    operation_id="joint_meeting_finding_add",
)
def joint_meeting_finding_add(
    request: HttpRequest, payload: JointMeetingFindingIn, meeting_id: int = MeetingId
) -> Any:
    """Record a finding on a cadre in the caller's scope (``services.finding_add``)."""
    user = actor(request)
    meeting = _meeting(user, meeting_id)
    _manage(user)
    cadre = _cadre(user, payload.cadre_id)
    finding = services.finding_add(
        actor=user, meeting=meeting, cadre=cadre, text=payload.text, measure=payload.measure
    )
    return Status(
        201,
        {
            "id": finding.pk,
            "cadre": {"id": cadre.pk, "name": cadre.name},
            "text": finding.text,
            "measure": finding.measure,
        },
    )


@router.post(
    "/joint-meetings/{meeting_id}/held",
    response={200: JointMeetingDetailOut, **WRITE_ERRORS},
    summary="登记会议召开",
    operation_id="joint_meeting_held",
)
def joint_meeting_held(request: HttpRequest, payload: JointMeetingHeldIn, meeting_id: int = MeetingId) -> Any:
    """Record that the meeting met (``services.meeting_mark_held``)."""
    user = actor(request)
    services.meeting_mark_held(actor=user, meeting=_meeting(user, meeting_id), held_on=payload.held_on)
    return _detail(user, meeting_id)


@router.post(
    "/joint-meetings/{meeting_id}/minutes",
    response={200: JointMeetingDetailOut, **WRITE_ERRORS},
    summary="会议纪要定稿",
    operation_id="joint_meeting_minutes",
)
def joint_meeting_minutes(
    request: HttpRequest, payload: JointMeetingMinutesIn, meeting_id: int = MeetingId
) -> Any:
    """Settle the minutes' text (``services.minutes_settle``)."""
    user = actor(request)
    services.minutes_settle(actor=user, meeting=_meeting(user, meeting_id), **payload.dict())
    return _detail(user, meeting_id)


@router.post(
    "/joint-meetings/{meeting_id}/follow-ups",
    response={201: JointMeetingFollowUpOut, **WRITE_ERRORS},
    summary="布置督办事项",
    operation_id="joint_meeting_follow_up_add",
)
def joint_meeting_follow_up_add(
    request: HttpRequest, payload: JointMeetingFollowUpIn, meeting_id: int = MeetingId
) -> Any:
    """Assign a follow-up to a user who sees meetings, a body, or both (``services.follow_up_add``)."""
    user = actor(request)
    meeting = _meeting(user, meeting_id)
    _manage(user)
    owner = None
    if payload.owner_id is not None:
        owner = selectors.follow_up_owners().filter(pk=payload.owner_id).first()
        if owner is None:
            raise ServiceError({"owner_id": [MSG_OWNER]})
    item = services.follow_up_add(
        actor=user,
        meeting=meeting,
        task=payload.task,
        due_on=payload.due_on,
        owner=owner,
        owner_body=payload.owner_body,
    )
    return Status(201, item)


@router.post(
    "/joint-meetings/{meeting_id}/follow-ups/{follow_up_id}/done",
    response={200: JointMeetingFollowUpOut, **WRITE_ERRORS},
    summary="督办事项办结",
    operation_id="joint_meeting_follow_up_done",
)
def joint_meeting_follow_up_done(
    request: HttpRequest,
    payload: JointMeetingFollowUpDoneIn,
    meeting_id: int = MeetingId,
    follow_up_id: int = FollowUpId,
) -> Any:
    """Report a follow-up done: its owner, or whoever runs meetings (``services.follow_up_complete``)."""
    user = actor(request)
    item = selectors.follow_up_get(user=user, meeting_id=meeting_id, follow_up_id=follow_up_id)
    return services.follow_up_complete(actor=user, follow_up=item, **payload.dict())
