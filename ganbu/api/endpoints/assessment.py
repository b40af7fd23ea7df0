"""考核: the REST operations of the ``assessment`` app — rounds, entries, the 民主测评, the close
and the consequences.

Every operation calls ``ganbu.assessment.services`` or ``ganbu.assessment.selectors``. A service's
refusal is a 422 with its Chinese message (regulation, article, failing fact; rule IDs kept); an
object out of scope is a 404, the same as a missing one; roles without ``Cap.ASSESSMENT_VIEW`` get
404 for every operation.
"""

from functools import partial
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router
from ninja.params import functions as param
from ninja.responses import Status

from ganbu.accounts.models import User
from ganbu.assessment import selectors, services
from ganbu.assessment.models import AssessmentRound, RoundStatus
from ganbu.core.access import Cap, require_cap, units_for
from ganbu.core.errors import ServiceError
from ganbu.exits import selectors as exit_selectors
from ganbu.registry import selectors as registry_selectors
from ganbu.voting.models import Ballot

from ..common import READ_ERRORS, WRITE_ERRORS, actor, referenced
from ..pagination import paginated
from ..schemas import MAX_ID
from ..schemas_assessment import (
    AssessmentBallotIn,
    AssessmentCloseIn,
    AssessmentConsequenceOut,
    AssessmentEntriesIn,
    AssessmentEntryIn,
    AssessmentEntryOut,
    AssessmentHandleIn,
    AssessmentRoundDetailOut,
    AssessmentRoundIn,
    AssessmentRoundOut,
)

router = Router(tags=["考核"])

MSG_CADRE = "干部不存在或不在您的管理范围内。"
MSG_UNIT = "单位不存在或不在您的管理范围内。"
MSG_BALLOT = "民主测评不存在或不在您的管理范围内。"
MSG_EXIT = "退出记录不存在或不在您的管理范围内。"
_ALIASES = {"cadre": "cadre_ids", "unit": "unit_id", "ballot": "ballot_id", "exit_record": "exit_record_id"}

RoundId = param.Path(..., ge=1, le=MAX_ID, description="考核 id")
EntryId = param.Path(..., ge=1, le=MAX_ID, description="考核对象 id")
ConsequenceId = param.Path(..., ge=1, le=MAX_ID, description="考核结果运用 id")
YearFilter = param.Query(None, ge=1950, le=2100, description="考核年度")
StatusFilter = param.Query(None, description="状态：open 进行中、closed 已完成")
OpenFilter = param.Query(False, description="只列待办理的")


def _call(fn: Any, **kwargs: Any) -> Any:
    """Call a service; its errors carry the API's field names."""
    try:
        return fn(**kwargs)
    except ServiceError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ServiceError({_ALIASES.get(k, k): v for k, v in exc.message_dict.items()}) from None


def _round(user: User, round_id: int) -> AssessmentRound:
    require_cap(user, Cap.ASSESSMENT_VIEW)
    return selectors.round_get_for_user(user=user, round_id=round_id)


def _detail(user: User, round_id: int) -> AssessmentRound:
    found = _round(user, round_id)
    found.entries_list = selectors.round_entries(assessment_round=found)  # type: ignore[attr-defined]
    found.consequences_list = selectors.round_consequences(assessment_round=found)  # type: ignore[attr-defined]
    return found


@router.get(
    "/assessment/rounds",
    response={200: list[AssessmentRoundOut], **READ_ERRORS},
    summary="考核列表",
    operation_id="assessment_round_list",
)
@paginated
def round_list(request: HttpRequest, year: int | None = YearFilter, status: str | None = StatusFilter) -> Any:
    """Rounds of units in scope, newest first."""
    user = actor(request)
    require_cap(user, Cap.ASSESSMENT_VIEW)
    chosen = status if status in RoundStatus.values else ""
    return selectors.round_list(user=user, year=year, status=chosen or "")


@router.post(
    "/assessment/rounds",
    response={201: AssessmentRoundOut, **WRITE_ERRORS},
    summary="新建考核",
    operation_id="assessment_round_create",
)
def round_create(request: HttpRequest, payload: AssessmentRoundIn) -> Any:
    """Open a round (``services.round_create``)."""
    user = actor(request)
    require_cap(user, Cap.ASSESSMENT_VIEW)
    unit = units_for(user).filter(pk=payload.unit_id).first()
    if unit is None:
        raise ServiceError({"unit_id": [MSG_UNIT]})
    created = _call(
        services.round_create,
        actor=user,
        unit=unit,
        year=payload.year,
        held_on=payload.held_on,
        kind=payload.kind,
        subject=payload.subject,
        title=payload.title,
        note=payload.note,
    )
    return Status(201, created)


@router.get(
    "/assessment/rounds/{round_id}",
    response={200: AssessmentRoundDetailOut, **READ_ERRORS},
    summary="考核详情（考核对象和结果运用）",
    operation_id="assessment_round_get",
)
def round_get(request: HttpRequest, round_id: int = RoundId) -> Any:
    """One round with its entries and consequences."""
    return _detail(actor(request), round_id)


@router.post(
    "/assessment/rounds/{round_id}/entries",
    response={200: list[AssessmentEntryOut], **WRITE_ERRORS},
    summary="添加考核对象",
    operation_id="assessment_entries_add",
)
def entries_add(request: HttpRequest, payload: AssessmentEntriesIn, round_id: int = RoundId) -> Any:
    """Add cadres by id, or everyone the round assesses (``fill``); the entries added."""
    user = actor(request)
    found = _round(user, round_id)
    if payload.fill:
        return _call(services.entries_fill, actor=user, assessment_round=found)
    cadres = [
        referenced(
            "cadre_ids", MSG_CADRE, partial(registry_selectors.cadre_get_for_user, user=user, cadre_id=pk)
        )
        for pk in payload.cadre_ids
    ]
    return _call(services.entries_add, actor=user, assessment_round=found, cadres=cadres)


@router.put(
    "/assessment/rounds/{round_id}/entries/{entry_id}",
    response={200: AssessmentEntryOut, **WRITE_ERRORS},
    summary="填写考核对象的考核情况",
    operation_id="assessment_entry_set",
)
def entry_set(
    request: HttpRequest, payload: AssessmentEntryIn, round_id: int = RoundId, entry_id: int = EntryId
) -> Any:
    """Set an entry (``services.entry_set``); a final grade is checked against that year's sanctions."""
    user = actor(request)
    found = _round(user, round_id)
    entry = selectors.entry_get(user=user, assessment_round=found, entry_id=entry_id)
    return _call(services.entry_set, actor=user, entry=entry, data=services.EntryInput(**payload.dict()))


@router.post(
    "/assessment/rounds/{round_id}/ballot",
    response={200: AssessmentRoundOut, **WRITE_ERRORS},
    summary="创建或关联民主测评",
    operation_id="assessment_round_ballot",
)
def round_ballot(request: HttpRequest, payload: AssessmentBallotIn, round_id: int = RoundId) -> Any:
    """Create the round's 民主测评 in the voting engine, or attach an existing one of the unit."""
    user = actor(request)
    found = _round(user, round_id)
    if payload.ballot_id is None:
        _call(services.round_ballot_create, actor=user, assessment_round=found)
    else:
        ballot = Ballot.objects.filter(pk=payload.ballot_id, unit__in=units_for(user)).first()
        if ballot is None:
            raise ServiceError({"ballot_id": [MSG_BALLOT]})
        _call(services.round_ballot_attach, actor=user, assessment_round=found, ballot=ballot)
    return selectors.round_get_for_user(user=user, round_id=found.pk)


@router.post(
    "/assessment/rounds/{round_id}/close",
    response={200: AssessmentRoundDetailOut, **WRITE_ERRORS},
    summary="确定等次（优秀比例、处分影响、登记年度考核、结果运用）",
    operation_id="assessment_round_close",
)
def round_close(request: HttpRequest, payload: AssessmentCloseIn, round_id: int = RoundId) -> Any:
    """Close the round (``services.round_close``): refused with the rule's reasons, nothing written."""
    user = actor(request)
    found = _round(user, round_id)
    _call(
        services.round_close, actor=user, assessment_round=found, data=services.CloseInput(**payload.dict())
    )
    return _detail(user, found.pk)


@router.get(
    "/assessment/consequences",
    response={200: list[AssessmentConsequenceOut], **READ_ERRORS},
    summary="考核结果运用",
    operation_id="assessment_consequence_list",
)
@paginated
def consequence_list(request: HttpRequest, open: bool = OpenFilter) -> Any:
    """Consequences of closed rounds in scope (不称职 → 降职 or 辞退, 级别 steps)."""
    user = actor(request)
    require_cap(user, Cap.ASSESSMENT_VIEW)
    return selectors.consequence_list(user=user, open_only=open)


@router.post(
    "/assessment/consequences/{consequence_id}/handle",
    response={200: AssessmentConsequenceOut, **WRITE_ERRORS},
    summary="登记考核结果运用的办理情况",
    operation_id="assessment_consequence_handle",
)
def consequence_handle(
    request: HttpRequest, payload: AssessmentHandleIn, consequence_id: int = ConsequenceId
) -> Any:
    """Record how a consequence was handled (``services.consequence_handle``)."""
    user = actor(request)
    require_cap(user, Cap.ASSESSMENT_VIEW)
    found = selectors.consequence_get_for_user(user=user, consequence_id=consequence_id)
    exit_record = None
    if payload.exit_record_id is not None:
        try:
            exit_record = exit_selectors.exit_get_for_user(user=user, exit_id=payload.exit_record_id)
        except Http404:
            raise ServiceError({"exit_record_id": [MSG_EXIT]}) from None
    return _call(
        services.consequence_handle,
        actor=user,
        consequence=found,
        handled_on=payload.handled_on,
        note=payload.note,
        exit_record=exit_record,
    )
