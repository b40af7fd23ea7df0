"""谈话: talks (廉政谈话, 提醒谈话, 函询, 纪委书记谈话), 诫勉 with its impact period, the 函询's answer,
and the 廉政谈话 due before taking office.

Every operation calls ``ganbu.talks.services`` or ``ganbu.talks.selectors``. A service's refusal is
a 422 with its Chinese message (rule, article, failing fact); a talk out of scope is a 404, the same
as a missing one; and the operations do not exist (404) for roles that may not see supervision
files (unit officers included).
"""

from functools import partial
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router
from ninja.params import functions as param
from ninja.responses import Status

from ganbu.accounts.models import User
from ganbu.core.errors import ServiceError
from ganbu.registry import selectors as registry_selectors
from ganbu.registry.models import Cadre
from ganbu.selection.models import SelectionRecord
from ganbu.talks import selectors, services
from ganbu.talks.choices import TalkKind, TalkStatus

from ..common import READ_ERRORS, WRITE_ERRORS, actor, referenced
from ..pagination import paginated
from ..schemas import MAX_ID
from ..schemas_talks import AdmonishIn, IntegrityTalkDueOut, TalkAnswerIn, TalkHeldIn, TalkIn, TalkOut

router = Router(tags=["谈话"])
# Fixed paths (/talks/due/…, /talks/admonishments) come before /talks/{talk_id}: the first match wins.

MSG_CADRE = "干部不存在或不在您的管理范围内。"
MSG_RECORD = "选拔任用纪实不存在。"
MSG_NOT_FOUND = "页面不存在或无权访问。"
# Service errors name the form's fields; the API's inputs name the ids.
_ALIASES = {"cadre": "cadre_id", "record": "record_id"}

TalkId = param.Path(..., ge=1, le=MAX_ID, description="谈话记录 id")
KindFilter = param.Query(None, description="类别")
StatusFilter = param.Query(None, description="状态")
UnitFilter = param.Query(None, ge=1, le=MAX_ID, description="单位 id")
YearFilter = param.Query(None, ge=1950, le=2100, description="年度")
CadreFilter = param.Query(None, ge=1, le=MAX_ID, description="干部 id")


def _require_sees(user: User) -> None:
    if not selectors.sees_talks(user):
        raise Http404(MSG_NOT_FOUND)


def _call(fn: Any, **kwargs: Any) -> Any:
    try:
        return fn(**kwargs)
    except ServiceError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ServiceError({_ALIASES.get(k, k): v for k, v in exc.message_dict.items()}) from None


def _cadre(user: User, cadre_id: int) -> Cadre:
    return referenced(
        "cadre_id", MSG_CADRE, partial(registry_selectors.cadre_get_for_user, user=user, cadre_id=cadre_id)
    )


def _selection_record(record_id: int) -> SelectionRecord:
    def fetch() -> SelectionRecord:
        record = SelectionRecord.objects.filter(pk=record_id).first()
        if record is None:
            raise Http404(MSG_RECORD)
        return record

    return referenced("record_id", MSG_RECORD, fetch)


@router.get(
    "/talks/due/integrity",
    response={200: list[IntegrityTalkDueOut], **READ_ERRORS},
    summary="待进行的任前廉政谈话",
    operation_id="talk_integrity_due",
)
@paginated
def integrity_due(request: HttpRequest) -> Any:
    """Approved appointees of decided records in scope with no 廉政谈话 recorded for that record."""
    user = actor(request)
    _require_sees(user)
    return selectors.integrity_talks_due(user=user)


@router.get(
    "/talks",
    response={200: list[TalkOut], **READ_ERRORS},
    summary="谈话函询列表（监督信息）",
    operation_id="talk_list",
)
@paginated
def talk_list(
    request: HttpRequest,
    kind: str | None = KindFilter,
    status: str | None = StatusFilter,
    unit_id: int | None = UnitFilter,
    year: int | None = YearFilter,
    cadre_id: int | None = CadreFilter,
) -> Any:
    """Talks of cadres in scope, newest first; an unknown kind or status filters nothing out."""
    user = actor(request)
    _require_sees(user)
    return selectors.talk_list(
        user=user,
        kind=kind if kind in TalkKind.values else "",
        status=status if status in TalkStatus.values else "",
        unit_id=unit_id,
        year=year,
        cadre_id=cadre_id,
    )


@router.post(
    "/talks",
    response={201: TalkOut, **WRITE_ERRORS},
    summary="登记谈话或函询",
    operation_id="talk_record",
)
def talk_record(request: HttpRequest, payload: TalkIn) -> Any:
    """Record a talk held or planned, or a 函询 sent (``services.talk_record``)."""
    user = actor(request)
    _require_sees(user)
    cadre = _cadre(user, payload.cadre_id)
    record = _selection_record(payload.record_id) if payload.record_id is not None else None
    talk = _call(
        services.talk_record,
        actor=user,
        cadre=cadre,
        kind=payload.kind,
        held_on=payload.held_on,
        talkers=payload.talkers,
        issue=payload.issue,
        talker_body=payload.talker_body,
        follow_up=payload.follow_up,
        record=record,
        answer_due_on=payload.answer_due_on,
        planned=payload.planned,
    )
    return Status(201, selectors.talk_get(user=user, talk_id=talk.pk))


@router.post(
    "/talks/admonishments",
    response={201: TalkOut, **WRITE_ERRORS},
    summary="登记诫勉（按本县规定计算影响期，并记入奖惩信息）",
    operation_id="talk_admonish",
)
def admonish(request: HttpRequest, payload: AdmonishIn) -> Any:
    """Decide a 诫勉 with its impact period and registry row (``services.admonish``)."""
    user = actor(request)
    _require_sees(user)
    cadre = _cadre(user, payload.cadre_id)
    talk = _call(
        services.admonish,
        actor=user,
        cadre=cadre,
        decided_on=payload.decided_on,
        issue=payload.issue,
        talkers=payload.talkers,
        talker_body=payload.talker_body,
        months=payload.months,
        approving_body=payload.approving_body,
        follow_up=payload.follow_up,
    )
    return Status(201, selectors.talk_get(user=user, talk_id=talk.pk))


@router.get(
    "/talks/{talk_id}",
    response={200: TalkOut, **READ_ERRORS},
    summary="谈话记录详情",
    operation_id="talk_get",
)
def talk_get(request: HttpRequest, talk_id: int = TalkId) -> Any:
    """One talk."""
    user = actor(request)
    _require_sees(user)
    return selectors.talk_get(user=user, talk_id=talk_id)


@router.post(
    "/talks/{talk_id}/answer",
    response={200: TalkOut, **WRITE_ERRORS},
    summary="登记函询的书面回复",
    operation_id="talk_answer",
)
def talk_answer(request: HttpRequest, payload: TalkAnswerIn, talk_id: int = TalkId) -> Any:
    """Record a 函询's written answer (``services.inquiry_answer``)."""
    user = actor(request)
    _require_sees(user)
    talk = selectors.talk_get(user=user, talk_id=talk_id)
    _call(
        services.inquiry_answer,
        actor=user,
        talk=talk,
        answered_on=payload.answered_on,
        answer=payload.answer,
        follow_up=payload.follow_up,
    )
    return selectors.talk_get(user=user, talk_id=talk_id)


@router.post(
    "/talks/{talk_id}/held",
    response={200: TalkOut, **WRITE_ERRORS},
    summary="登记待谈话的谈话情况",
    operation_id="talk_hold",
)
def talk_held(request: HttpRequest, payload: TalkHeldIn, talk_id: int = TalkId) -> Any:
    """Record that a planned talk took place (``services.talk_hold``)."""
    user = actor(request)
    _require_sees(user)
    talk = selectors.talk_get(user=user, talk_id=talk_id)
    _call(services.talk_hold, actor=user, talk=talk, held_on=payload.held_on, follow_up=payload.follow_up)
    return selectors.talk_get(user=user, talk_id=talk_id)
