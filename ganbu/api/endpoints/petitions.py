"""信访举报: the REST operations of the ``petitions`` app — the public submit and track, and the staff desk.

The two public operations need no login (``auth=None``), like the public form: sending a petition
(201 with the tracking code, returned once; 429 over the rate limit, which counts a keyed hash of
``REMOTE_ADDR`` kept apart from the case) and tracking it by its code (status and, once concluded,
the reply; never the content, the sender or the cadres). The staff operations read through
``selectors.petitions_for`` (the intake body's staff and the assignee): a case outside it is 404,
like a missing one; a service's refusal is 422 with its Chinese message.
"""

# No ``from __future__ import annotations``: ``@paginated`` wraps the view, and ninja must see the
# parameters as real types, not strings it would resolve in the wrapper's module.
from functools import partial
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Router
from ninja.params import functions as param
from ninja.responses import Status

from ganbu.accounts.models import User
from ganbu.core.errors import ServiceError
from ganbu.petitions import selectors, services
from ganbu.petitions.models import Petition
from ganbu.registry import selectors as registry_selectors

from ..common import READ_ERRORS, WRITE_ERRORS, actor, referenced
from ..pagination import paginated
from ..schemas import MAX_ID, ErrorOut
from ..schemas_petitions import (
    PetitionAssignIn,
    PetitionCadresIn,
    PetitionConcludeIn,
    PetitionDetailOut,
    PetitionIntakeIn,
    PetitionOut,
    PetitionPublicIn,
    PetitionReceiptOut,
    PetitionTrackOut,
    PetitionVerifyIn,
)

router = Router(tags=["信访举报"])

MSG_CODE_NOT_FOUND = "没有找到该查询码对应的信访举报。"
MSG_CADRE = "干部不存在或不在您的管理范围内。"
MSG_ASSIGNEE = "承办人须是县纪委监委或组织部干部科的在岗工作人员。"
PUBLIC_READ_ERRORS: dict[int, Any] = {404: ErrorOut, 422: ErrorOut}
SUBMIT_ERRORS: dict[int, Any] = {422: ErrorOut, 429: ErrorOut}
RETRY_AFTER_SECONDS = int(services.THROTTLE_WINDOW.total_seconds())
# Service errors name the form's fields; the API's inputs name the ids.
_ALIASES = {"cadre": "cadre_id", "cadres": "cadre_ids", "assignee": "assignee_id"}

PetitionId = param.Path(..., ge=1, le=MAX_ID, description="信访举报 id")
TrackingCode = param.Path(
    ..., min_length=1, max_length=30, description="查询码，如 ABCD-EFGH-JKLM（不区分大小写）"
)
StatusFilter = param.Query("", max_length=20, description="状态：received、assigned、verifying、concluded")
MineFilter = param.Query(False, description="只列我承办的")


def _call(fn: Any, **kwargs: Any) -> Any:
    """Call a service; its error with the API's field names."""
    try:
        return fn(**kwargs)
    except ServiceError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ServiceError({_ALIASES.get(k, k): v for k, v in exc.message_dict.items()}) from None


def _client_address(request: HttpRequest) -> str:
    """The address the request came from, for the rate limit only (the service keeps a keyed hash)."""
    return str(request.META.get("REMOTE_ADDR", ""))


def _get(user: User, petition_id: int) -> Petition:
    return selectors.petition_get(user=user, petition_id=petition_id)


# ---------------------------------------------------------------- public (no login)


@router.post(
    "/public/petitions",
    response={201: PetitionReceiptOut, **SUBMIT_ERRORS},
    auth=None,
    summary="信访举报（公开，返回查询码）",
    description=(
        "无需登录。`anonymous` 为 true 时不保存姓名和联系方式，否则须填写姓名和联系方式。"
        "查询码只在本次响应中返回，系统不能再次提供。"
        "同一来源地址（REMOTE_ADDR）每小时最多 5 次，超过返回 429 并带 Retry-After；"
        "内容不合要求返回 422，均不写入任何记录。"
    ),
    operation_id="public_petition_submit",
)
def public_petition_submit(request: HttpRequest, response: HttpResponse, payload: PetitionPublicIn) -> Any:
    """File a petition on the public desk (``services.petition_submit``)."""
    try:
        petition = services.petition_submit(
            intake_body=payload.intake_body,
            about=payload.about,
            content=payload.content,
            anonymous=payload.anonymous,
            name=payload.name,
            contact=payload.contact,
            source=_client_address(request),
        )
    except services.ThrottledError as exc:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return Status(429, {"detail": "；".join(exc.messages)})
    return Status(
        201,
        {
            "tracking_code": petition.tracking_code,
            "status": petition.status,
            "status_label": petition.get_status_display(),
            "due_on": petition.due_on,
        },
    )


@router.get(
    "/public/petitions/track/{code}",
    response={200: PetitionTrackOut, **PUBLIC_READ_ERRORS},
    auth=None,
    summary="凭查询码查询信访举报办理情况（公开）",
    description="返回办理状态，办结后返回办理结论；不返回反映内容、反映人和涉及干部。查询码不存在返回 404。",
    operation_id="public_petition_track",
)
def public_petition_track(request: HttpRequest, code: str = TrackingCode) -> Any:
    """The petition with this code (``selectors.petition_track``), else 404."""
    petition = selectors.petition_track(code=code)
    if petition is None:
        raise Http404(MSG_CODE_NOT_FOUND)
    return petition


# ---------------------------------------------------------------- staff


@router.get(
    "/petitions",
    response={200: list[PetitionOut], **READ_ERRORS},
    summary="信访举报列表（本机关受理的和交办给我的）",
    operation_id="petition_list",
)
@paginated
def petition_list(request: HttpRequest, status: str = StatusFilter, mine: bool = MineFilter) -> Any:
    """The user's petitions, newest first (``selectors.petition_list``); empty for other roles."""
    return selectors.petition_list(user=actor(request), status=status, mine=mine)


@router.post(
    "/petitions",
    response={201: PetitionDetailOut, **WRITE_ERRORS},
    summary="登记来信、来电、来访",
    operation_id="petition_intake",
)
def petition_intake(request: HttpRequest, payload: PetitionIntakeIn) -> Any:
    """Record a letter, call or visit (``services.petition_intake``); the response holds its code."""
    user = actor(request)
    petition = _call(
        services.petition_intake,
        actor=user,
        channel=payload.channel,
        received_on=payload.received_on,
        about=payload.about,
        content=payload.content,
        anonymous=payload.anonymous,
        name=payload.name,
        contact=payload.contact,
    )
    return Status(201, _get(user, petition.pk))


@router.get(
    "/petitions/{petition_id}",
    response={200: PetitionDetailOut, **READ_ERRORS},
    summary="信访举报详情",
    operation_id="petition_get",
)
def petition_get(request: HttpRequest, petition_id: int = PetitionId) -> Any:
    """One petition the user sees, else 404."""
    return _get(actor(request), petition_id)


@router.post(
    "/petitions/{petition_id}/assign",
    response={200: PetitionDetailOut, **WRITE_ERRORS},
    summary="交办（指定承办人）",
    operation_id="petition_assign",
)
def petition_assign(request: HttpRequest, payload: PetitionAssignIn, petition_id: int = PetitionId) -> Any:
    """Assign or reassign (``services.petition_assign``)."""
    user = actor(request)
    petition = _get(user, petition_id)
    assignee = selectors.petition_staff().filter(pk=payload.assignee_id).first()
    if assignee is None:
        raise ServiceError({"assignee_id": [MSG_ASSIGNEE]})
    _call(services.petition_assign, actor=user, petition=petition, assignee=assignee)
    return _get(user, petition_id)


@router.post(
    "/petitions/{petition_id}/cadres",
    response={200: PetitionDetailOut, **WRITE_ERRORS},
    summary="确定涉及干部",
    operation_id="petition_cadres_set",
)
def petition_cadres_set(
    request: HttpRequest, payload: PetitionCadresIn, petition_id: int = PetitionId
) -> Any:
    """Replace the cadres the case concerns (``services.petition_cadres_set``)."""
    user = actor(request)
    petition = _get(user, petition_id)
    cadres = [
        referenced(
            "cadre_ids", MSG_CADRE, partial(registry_selectors.cadre_get_for_user, user=user, cadre_id=pk)
        )
        for pk in payload.cadre_ids
    ]
    _call(services.petition_cadres_set, actor=user, petition=petition, cadres=cadres)
    return _get(user, petition_id)


@router.post(
    "/petitions/{petition_id}/verify",
    response={200: PetitionDetailOut, **WRITE_ERRORS},
    summary="登记核查情况",
    operation_id="petition_verify",
)
def petition_verify(request: HttpRequest, payload: PetitionVerifyIn, petition_id: int = PetitionId) -> Any:
    """Record the verification notes (``services.petition_verify``, the assignee only)."""
    user = actor(request)
    petition = _get(user, petition_id)
    _call(services.petition_verify, actor=user, petition=petition, notes=payload.notes)
    return _get(user, petition_id)


@router.post(
    "/petitions/{petition_id}/conclude",
    response={200: PetitionDetailOut, **WRITE_ERRORS},
    summary="办结（不实、谈话提醒、诫勉、移送）",
    description="谈话提醒登记一次提醒谈话，诫勉登记诫勉及其影响期和奖惩记录，与办结在同一事务中；任何一项被拒绝则均不写入。",
    operation_id="petition_conclude",
)
def petition_conclude(
    request: HttpRequest, payload: PetitionConcludeIn, petition_id: int = PetitionId
) -> Any:
    """Conclude the case (``services.petition_conclude``, the assignee only)."""
    user = actor(request)
    petition = _get(user, petition_id)
    cadre = None
    if payload.cadre_id is not None:
        cadre = referenced(
            "cadre_id",
            MSG_CADRE,
            partial(registry_selectors.cadre_get_for_user, user=user, cadre_id=payload.cadre_id),
        )
    _call(
        services.petition_conclude,
        actor=user,
        petition=petition,
        conclusion=payload.conclusion,
        reply=payload.reply,
        referred_to=payload.referred_to,
        cadre=cadre,
        held_on=payload.held_on,
        talkers=payload.talkers,
        issue=payload.issue,
        months=payload.months,
    )
    return _get(user, petition_id)
