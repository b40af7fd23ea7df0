"""The appointment procedure (选拔任用纪实): every step of a record, through ``ganbu.selection.services``.

Each operation parses, reads the objects it names through scoped selectors (an id the caller may
not see is a 422 on that field; a record outside scope is a 404), calls one service, and returns
the record as it now stands. A refused step is a 422 whose messages name the rule, its article and
the failing fact, exactly as on the web pages.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router
from ninja.params import functions as param
from ninja.responses import Status

from ganbu.accounts.models import User
from ganbu.core.errors import ServiceError
from ganbu.registry import selectors as registry_selectors
from ganbu.registry.models import Cadre, Post
from ganbu.rules.selection_flow import Step
from ganbu.selection import selectors, services
from ganbu.selection.models import Candidate, Probation, SelectionRecord
from ganbu.voting import selectors as voting_selectors
from ganbu.voting.models import Ballot

from ..common import READ_ERRORS, WRITE_ERRORS, actor, referenced
from ..schemas import MAX_ID, Date
from ..schemas_selection import (
    AnnouncementIn,
    AppointmentIn,
    BallotLinkIn,
    CandidatesIn,
    CheckIn,
    CommitteeVoteIn,
    DecidedIn,
    DepartmentMeetingIn,
    ExceptionOut,
    FeedbackIn,
    InspectionDoneIn,
    InspectionIn,
    NoticeIn,
    OnIn,
    OpinionAnswerIn,
    OpinionRequestIn,
    OpinionRequestOut,
    OverrideIn,
    ProbationIn,
    ProbationOut,
    PublicNoticeIn,
    RecordIn,
    RecordOut,
    RecordSummaryOut,
    TalkSurveyIn,
    WithdrawIn,
)

router = Router(tags=["选拔任用纪实"])

RecordId = param.Path(..., ge=1, le=MAX_ID, description="纪实 id")
ObjId = param.Path(..., ge=1, le=MAX_ID, description="id")
ExceptionCadre = param.Query(None, ge=1, le=MAX_ID, description="人选（查看其任职资格审查意见）")
ExceptionOn = param.Query(None, description="审查日期，默认今天")
MSG_UNIT = "单位不存在或不在您的管理范围内。"
MSG_POST = "职位不存在或不在您的管理范围内。"
MSG_CADRE = "干部不存在或不在您的管理范围内。"
MSG_BALLOT = "投票不存在或不在您的管理范围内。"
MSG_USER = "用户不存在或已停用。"
MSG_CANDIDATE = "该人选不是本纪实的考察对象。"


def _record(user: User, record_id: int) -> SelectionRecord:
    """A record the caller may see (404 otherwise)."""
    return selectors.record_get(user=user, record_id=record_id)


def _out(record: SelectionRecord) -> dict[str, Any]:
    """The record as the API shows it (a fixed number of queries)."""
    record = SelectionRecord.objects.select_related("document").get(pk=record.pk)
    return {
        "id": record.pk,
        "title": record.title,
        "unit_id": record.unit_id,
        "step": record.step,
        "step_label": Step(record.step).label,
        "proposed_on": record.proposed_on,
        "announcement": record.announcement,
        "public_notice": record.public_notice,
        "probation": record.probation,
        "exceptional": record.exceptional,
        "post_ids": list(record.posts.values_list("post_id", flat=True)),
        "recommendation_ballot_id": record.recommendation_ballot_id,
        "inspection_ballot_id": record.inspection_ballot_id,
        "committee_ballot_id": record.committee_ballot_id,
        "document_number": record.document.number if record.document else None,
        "route": [
            {"step": r.step.value, "label": r.step.label, "state": r.state, "done_on": r.done_on}
            for r in selectors.record_route(record)
        ],
        "events": [
            {"step": e.step, "label": Step(e.step).label, "done_on": e.done_on, "note": e.note}
            for e in record.events.order_by("id")
        ],
        "candidates": [
            {
                "id": c.pk,
                "cadre_id": c.cadre_id,
                "name": c.cadre.name,
                "post_id": c.post_id,
                "votes": c.votes,
                "findings": c.findings,
                "proposed": c.proposed,
                "approved": c.approved,
                "appointed": c.appointed,
            }
            for c in record.candidates.select_related("cadre")
        ],
    }


def _cadre(user: User, field: str, cadre_id: int) -> Cadre:
    """A cadre named in the body, in scope, or a 422 on ``field``."""
    return referenced(
        field, MSG_CADRE, lambda: registry_selectors.cadre_get_for_user(user=user, cadre_id=cadre_id)
    )


def _post(user: User, field: str, post_id: int) -> Post:
    """A post named in the body, in scope, or a 422 on ``field``."""
    return referenced(
        field, MSG_POST, lambda: registry_selectors.post_get_for_user(user=user, post_id=post_id)
    )


def _ballot(user: User, ballot_id: int) -> Ballot:
    """A ballot the caller may see, named in the body, or a 422."""
    ballot = voting_selectors.ballots_for(user).select_related("unit").filter(pk=ballot_id).first()
    if ballot is None:
        raise ServiceError({"ballot_id": [MSG_BALLOT]})
    return ballot


def _candidate(record: SelectionRecord, candidate_id: int, field: str = "candidate_id") -> Candidate:
    """A candidate of this record, or a 422."""
    candidate = selectors.candidate_of(record=record, candidate_id=candidate_id)
    if candidate is None:
        raise ServiceError({field: [MSG_CANDIDATE]})
    return candidate


def _user(field: str, user_id: int) -> User:
    """An active user named in the body, or a 422."""
    user = selectors.active_user(user_id=user_id)
    if user is None:
        raise ServiceError({field: [MSG_USER]})
    return user


# ---------------------------------------------------------------- records


@router.get(
    "/selection/records",
    response={200: list[RecordSummaryOut], **READ_ERRORS},
    summary="选拔任用纪实列表",
    operation_id="selection_records",
)
def record_list(request: HttpRequest, step: str = "", q: str = "") -> Any:
    """The caller's records, newest first (at most 200; filter by step or a word)."""
    rows = selectors.record_list(user=actor(request), step=step[:30], q=q[:50])[:200]
    return [
        {
            "id": r.pk,
            "title": r.title,
            "unit_id": r.unit_id,
            "step": r.step,
            "step_label": Step(r.step).label,
            "proposed_on": r.proposed_on,
        }
        for r in rows
    ]


@router.post(
    "/selection/records",
    response={201: RecordOut, **WRITE_ERRORS},
    summary="动议：新建选拔任用纪实",
    operation_id="selection_propose",
)
def record_propose(request: HttpRequest, payload: RecordIn) -> Any:
    """动议 (``services.selection_propose``)."""
    user = actor(request)
    unit = referenced(
        "unit_id", MSG_UNIT, lambda: registry_selectors.unit_get_for_user(user=user, unit_id=payload.unit_id)
    )
    posts = [_post(user, "post_ids", pid) for pid in payload.post_ids]
    record = services.selection_propose(
        actor=user,
        unit=unit,
        title=payload.title,
        reason=payload.reason,
        proposer=payload.proposer,
        proposed_on=payload.proposed_on,
        posts=posts,
        announcement=payload.announcement,
        public_notice=payload.public_notice,
        notice_exemption=payload.notice_exemption,
        exceptional=payload.exceptional,
        exceptional_reason=payload.exceptional_reason,
    )
    return Status(201, _out(record))


@router.get(
    "/selection/records/{record_id}",
    response={200: RecordOut, **READ_ERRORS},
    summary="选拔任用纪实详情（环节、考察对象、审查结果）",
    operation_id="selection_record",
)
def record_get(request: HttpRequest, record_id: int = RecordId) -> Any:
    """One record with its route, trail and candidates."""
    return _out(_record(actor(request), record_id))


# ---------------------------------------------------------------- 民主推荐, 确定考察对象


@router.post(
    "/selection/records/{record_id}/talk-surveys",
    response={201: RecordOut, **WRITE_ERRORS},
    summary="登记谈话调研推荐",
    operation_id="selection_talk_survey",
)
def talk_survey(request: HttpRequest, payload: TalkSurveyIn, record_id: int = RecordId) -> Any:
    """``services.talk_survey_add``."""
    user = actor(request)
    record = _record(user, record_id)
    services.talk_survey_add(actor=user, record=record, **payload.dict())
    return Status(201, _out(record))


@router.put(
    "/selection/records/{record_id}/recommendation-ballot",
    response={200: RecordOut, **WRITE_ERRORS},
    summary="关联会议推荐投票",
    operation_id="selection_recommendation_ballot",
)
def recommendation_ballot(request: HttpRequest, payload: BallotLinkIn, record_id: int = RecordId) -> Any:
    """``services.recommendation_ballot_link``."""
    user = actor(request)
    record = _record(user, record_id)
    services.recommendation_ballot_link(actor=user, record=record, ballot=_ballot(user, payload.ballot_id))
    return _out(record)


@router.post(
    "/selection/records/{record_id}/recommendation/complete",
    response={200: RecordOut, **WRITE_ERRORS},
    summary="完成民主推荐",
    operation_id="selection_recommendation_complete",
)
def recommendation_complete(request: HttpRequest, payload: OnIn, record_id: int = RecordId) -> Any:
    """``services.recommendation_complete``."""
    user = actor(request)
    record = _record(user, record_id)
    services.recommendation_complete(actor=user, record=record, on=payload.on, note=payload.note)
    return _out(record)


@router.post(
    "/selection/records/{record_id}/candidates",
    response={200: RecordOut, **WRITE_ERRORS},
    summary="确定考察对象（资格、回避、差额审查）",
    operation_id="selection_candidates",
)
def candidates(request: HttpRequest, payload: CandidatesIn, record_id: int = RecordId) -> Any:
    """``services.candidates_set``; the refusal lists every failed finding with its rule."""
    user = actor(request)
    record = _record(user, record_id)
    choices = [
        services.Choice(
            cadre=_cadre(user, "choices", c.cadre_id),
            post=_post(user, "choices", c.post_id),
        )
        for c in payload.choices
    ]
    services.candidates_set(
        actor=user,
        record=record,
        choices=choices,
        on=payload.on,
        differential_reason=payload.differential_reason,
    )
    return _out(record)


@router.get(
    "/selection/records/{record_id}/exceptions",
    response={200: list[ExceptionOut], **READ_ERRORS},
    summary="可批准例外的审查意见（本纪实当前的审查发现）",
    operation_id="selection_exceptions",
)
def exceptions(
    request: HttpRequest,
    record_id: int = RecordId,
    cadre_id: int | None = ExceptionCadre,
    on: Date | None = ExceptionOn,
) -> Any:
    """``services.exception_options``: what ``POST …/overrides`` may name (with ``cadre_id``)."""
    user = actor(request)
    record = _record(user, record_id)
    cadre = _cadre(user, "cadre_id", cadre_id) if cadre_id else None
    options = services.exception_options(record, on=on or timezone.localdate(), cadre=cadre)
    return [
        {
            "rule": o.rule,
            "cadre_id": o.cadre.pk if o.cadre else None,
            "cadre_name": o.cadre.name if o.cadre else None,
            "finding": o.reason.message,
            "citation": o.reason.citation,
            "words": o.words,
            "overridable": o.overridable,
            "needs_higher_approval": o.needs_higher_approval,
        }
        for o in options
    ]


@router.post(
    "/selection/records/{record_id}/overrides",
    response={201: RecordOut, **WRITE_ERRORS},
    summary="批准规则例外（组织部领导）",
    operation_id="selection_override",
)
def override(request: HttpRequest, payload: OverrideIn, record_id: int = RecordId) -> Any:
    """``services.override_grant``: the caller is the approver."""
    user = actor(request)
    record = _record(user, record_id)
    cadre = _cadre(user, "cadre_id", payload.cadre_id) if payload.cadre_id else None
    services.override_grant(
        actor=user,
        record=record,
        rule=payload.rule,
        reason=payload.reason,
        approved_on=payload.approved_on,
        cadre=cadre,
        higher_approval_ref=payload.higher_approval_ref,
    )
    return Status(201, _out(record))


# ---------------------------------------------------------------- 考察预告, 考察


@router.post(
    "/selection/records/{record_id}/preannouncement",
    response={201: RecordOut, **WRITE_ERRORS},
    summary="发布考察预告",
    operation_id="selection_preannouncement",
)
def preannouncement(request: HttpRequest, payload: NoticeIn, record_id: int = RecordId) -> Any:
    """``services.preannouncement_publish``."""
    user = actor(request)
    record = _record(user, record_id)
    services.preannouncement_publish(actor=user, record=record, **payload.dict())
    return Status(201, _out(record))


@router.post(
    "/selection/records/{record_id}/inspection",
    response={201: RecordOut, **WRITE_ERRORS},
    summary="开始考察",
    operation_id="selection_inspection_start",
)
def inspection_start(request: HttpRequest, payload: InspectionIn, record_id: int = RecordId) -> Any:
    """``services.inspection_start``."""
    user = actor(request)
    record = _record(user, record_id)
    services.inspection_start(actor=user, record=record, **payload.dict())
    return Status(201, _out(record))


@router.put(
    "/selection/records/{record_id}/candidates/{candidate_id}/checks",
    response={200: RecordOut, **WRITE_ERRORS},
    summary="登记考察审核事项（凡提四必）",
    operation_id="selection_check",
)
def check(
    request: HttpRequest, payload: CheckIn, record_id: int = RecordId, candidate_id: int = ObjId
) -> Any:
    """``services.inspection_check_record``."""
    user = actor(request)
    record = _record(user, record_id)
    candidate = selectors.candidate_of(record=record, candidate_id=candidate_id)
    if candidate is None:
        raise Http404(MSG_CANDIDATE)
    services.inspection_check_record(actor=user, candidate=candidate, **payload.dict())
    return _out(record)


@router.put(
    "/selection/records/{record_id}/inspection-ballot",
    response={200: RecordOut, **WRITE_ERRORS},
    summary="关联考察民主测评",
    operation_id="selection_inspection_ballot",
)
def inspection_ballot(request: HttpRequest, payload: BallotLinkIn, record_id: int = RecordId) -> Any:
    """``services.inspection_ballot_link``."""
    user = actor(request)
    record = _record(user, record_id)
    services.inspection_ballot_link(actor=user, record=record, ballot=_ballot(user, payload.ballot_id))
    return _out(record)


@router.post(
    "/selection/records/{record_id}/inspection/complete",
    response={200: RecordOut, **WRITE_ERRORS},
    summary="完成考察",
    operation_id="selection_inspection_complete",
)
def inspection_complete(request: HttpRequest, payload: InspectionDoneIn, record_id: int = RecordId) -> Any:
    """``services.inspection_complete``."""
    user = actor(request)
    record = _record(user, record_id)
    services.inspection_complete(actor=user, record=record, **payload.dict())
    return _out(record)


# ---------------------------------------------------------------- 征求意见


@router.post(
    "/selection/records/{record_id}/opinion-requests",
    response={201: OpinionRequestOut, **WRITE_ERRORS},
    summary="征求意见",
    operation_id="selection_opinion_request",
)
def opinion_request(request: HttpRequest, payload: OpinionRequestIn, record_id: int = RecordId) -> Any:
    """``services.opinion_request_send``."""
    user = actor(request)
    record = _record(user, record_id)
    addressee = _user("addressee_id", payload.addressee_id) if payload.addressee_id else None
    made = services.opinion_request_send(
        actor=user,
        record=record,
        body=payload.body,
        body_name=payload.body_name,
        sent_on=payload.sent_on,
        addressee=addressee,
    )
    return Status(201, made)


@router.get(
    "/selection/opinion-requests",
    response={200: list[OpinionRequestOut], **READ_ERRORS},
    summary="我需答复的征求意见（监督部门）",
    operation_id="selection_opinion_requests",
)
def opinion_requests(request: HttpRequest) -> Any:
    """The requests addressed to the caller (``selectors.opinion_requests_for``)."""
    return list(selectors.opinion_requests_for(actor(request))[:200])


@router.post(
    "/selection/opinion-requests/{request_id}/answer",
    response={200: OpinionRequestOut, **WRITE_ERRORS},
    summary="答复征求意见",
    operation_id="selection_opinion_answer",
)
def opinion_answer(request: HttpRequest, payload: OpinionAnswerIn, request_id: int = ObjId) -> Any:
    """``services.opinion_answer``: the addressee answers, or an officer records a written answer."""
    user = actor(request)
    target = selectors.opinion_request_get(user=user, request_id=request_id)
    return services.opinion_answer(
        actor=user, request=target, answer=payload.answer, text=payload.text, answered_on=payload.answered_on
    )


@router.post(
    "/selection/records/{record_id}/opinions/complete",
    response={200: RecordOut, **WRITE_ERRORS},
    summary="完成征求意见",
    operation_id="selection_opinions_complete",
)
def opinions_complete(request: HttpRequest, payload: OnIn, record_id: int = RecordId) -> Any:
    """``services.opinions_complete``."""
    user = actor(request)
    record = _record(user, record_id)
    services.opinions_complete(actor=user, record=record, on=payload.on)
    return _out(record)


# ---------------------------------------------------------------- 部务会, 常委会票决


@router.post(
    "/selection/records/{record_id}/department-meeting",
    response={200: RecordOut, **WRITE_ERRORS},
    summary="部务会研究",
    operation_id="selection_department_meeting",
)
def department_meeting(request: HttpRequest, payload: DepartmentMeetingIn, record_id: int = RecordId) -> Any:
    """``services.department_meeting_record``."""
    user = actor(request)
    record = _record(user, record_id)
    proposed = [_candidate(record, cid, "proposed_candidate_ids") for cid in payload.proposed_candidate_ids]
    services.department_meeting_record(
        actor=user, record=record, held_on=payload.held_on, minutes=payload.minutes, proposed=proposed
    )
    return _out(record)


@router.post(
    "/selection/records/{record_id}/committee-vote",
    response={201: RecordOut, **WRITE_ERRORS},
    summary="准备常委会票决（生成票决事项与成员名单）",
    operation_id="selection_committee_prepare",
)
def committee_prepare(request: HttpRequest, payload: CommitteeVoteIn, record_id: int = RecordId) -> Any:
    """``services.committee_vote_prepare``; the vote then runs through the voting endpoints."""
    user = actor(request)
    record = _record(user, record_id)
    members = [_user("member_ids", mid) for mid in payload.member_ids]
    services.committee_vote_prepare(actor=user, record=record, title=payload.title, members=members)
    return Status(201, _out(record))


@router.post(
    "/selection/records/{record_id}/committee-vote/complete",
    response={200: RecordOut, **WRITE_ERRORS},
    summary="登记常委会票决结果",
    operation_id="selection_committee_complete",
)
def committee_complete(request: HttpRequest, payload: DecidedIn, record_id: int = RecordId) -> Any:
    """``services.committee_vote_complete``."""
    user = actor(request)
    record = _record(user, record_id)
    services.committee_vote_complete(actor=user, record=record, decided_on=payload.decided_on)
    return _out(record)


# ---------------------------------------------------------------- 公告提醒, 任前公示, 任职, 任后


@router.post(
    "/selection/records/{record_id}/announcement",
    response={200: RecordOut, **WRITE_ERRORS},
    summary="登记第一时间公告提醒",
    operation_id="selection_announcement",
)
def announcement(request: HttpRequest, payload: AnnouncementIn, record_id: int = RecordId) -> Any:
    """``services.announcement_record``."""
    user = actor(request)
    record = _record(user, record_id)
    services.announcement_record(actor=user, record=record, **payload.dict())
    return _out(record)


@router.post(
    "/selection/records/{record_id}/public-notice",
    response={201: RecordOut, **WRITE_ERRORS},
    summary="发布任前公示（按工作日历核对公示期）",
    operation_id="selection_public_notice",
)
def public_notice(request: HttpRequest, payload: PublicNoticeIn, record_id: int = RecordId) -> Any:
    """``services.public_notice_publish``."""
    user = actor(request)
    record = _record(user, record_id)
    data = payload.dict()
    data.pop("team")
    services.public_notice_publish(actor=user, record=record, **data)
    return Status(201, _out(record))


@router.post(
    "/selection/records/{record_id}/appointment",
    response={200: RecordOut, **WRITE_ERRORS},
    summary="任职：下发任职文件、开始试用期",
    operation_id="selection_appointment",
)
def appointment(request: HttpRequest, payload: AppointmentIn, record_id: int = RecordId) -> Any:
    """``services.appointment_record``."""
    user = actor(request)
    record = _record(user, record_id)
    services.appointment_record(actor=user, record=record, **payload.dict())
    return _out(record)


@router.post(
    "/selection/records/{record_id}/feedback",
    response={200: RecordOut, **WRITE_ERRORS},
    summary="登记任后反响",
    operation_id="selection_feedback",
)
def feedback(request: HttpRequest, payload: FeedbackIn, record_id: int = RecordId) -> Any:
    """``services.feedback_record``."""
    user = actor(request)
    record = _record(user, record_id)
    services.feedback_record(actor=user, record=record, **payload.dict())
    return _out(record)


@router.get(
    "/selection/probations",
    response={200: list[ProbationOut], **READ_ERRORS},
    summary="试用期（按届满日期）",
    operation_id="selection_probations",
)
def probations(request: HttpRequest) -> Any:
    """The probations in the caller's scope, soonest ending first (at most 500)."""
    return [_probation_out(p) for p in selectors.probations_for(actor(request))[:500]]


def _probation_out(p: Probation) -> dict[str, Any]:
    """A probation as the API shows it."""
    return {
        "id": p.pk,
        "record_id": p.record_id,
        "cadre_id": p.candidate.cadre_id,
        "start_date": p.start_date,
        "end_date": p.end_date,
        "status": p.status,
        "conclusion": p.conclusion,
        "concluded_on": p.concluded_on,
    }


@router.post(
    "/selection/probations/{probation_id}/conclude",
    response={200: ProbationOut, **WRITE_ERRORS},
    summary="试用期满结论（正式任职或免去试任职务）",
    operation_id="selection_probation_conclude",
)
def probation_conclude(request: HttpRequest, payload: ProbationIn, probation_id: int = ObjId) -> Any:
    """``services.probation_conclude``."""
    user = actor(request)
    probation = selectors.probations_for(user).filter(pk=probation_id).first()
    if probation is None:
        raise Http404("试用期记录不存在或无权访问。")
    ballot = _ballot(user, payload.evaluation_ballot_id) if payload.evaluation_ballot_id else None
    done = services.probation_conclude(
        actor=user,
        probation=probation,
        confirmed=payload.confirmed,
        conclusion=payload.conclusion,
        concluded_on=payload.concluded_on,
        evaluation_ballot=ballot,
        number=payload.number,
        title=payload.title,
    )
    return _probation_out(selectors.probations_for(user).get(pk=done.pk))


@router.post(
    "/selection/records/{record_id}/probation/finish",
    response={200: RecordOut, **WRITE_ERRORS},
    summary="试用期全部有结论后办结纪实",
    operation_id="selection_probation_finish",
)
def probation_finish(request: HttpRequest, payload: OnIn, record_id: int = RecordId) -> Any:
    """``services.probation_finish``."""
    user = actor(request)
    record = _record(user, record_id)
    services.probation_finish(actor=user, record=record, on=payload.on)
    return _out(record)


@router.post(
    "/selection/records/{record_id}/withdraw",
    response={200: RecordOut, **WRITE_ERRORS},
    summary="终止选拔任用纪实",
    operation_id="selection_withdraw",
)
def withdraw(request: HttpRequest, payload: WithdrawIn, record_id: int = RecordId) -> Any:
    """``services.selection_withdraw``."""
    user = actor(request)
    record = _record(user, record_id)
    services.selection_withdraw(actor=user, record=record, reason=payload.reason, on=payload.on)
    return _out(record)
