"""Public notices (公示公告) and the objection desk (群众反映) in the REST API.

The public operations need no login (``auth=None``), like the notice pages: reading current notices,
sending an objection (201 with the tracking code, returned once; 429 when the sender's address is
over the rate limit) and tracking it by its code. The client address for the rate limit is
``REMOTE_ADDR`` only; ``X-Forwarded-For`` is not trusted (the deployment behind a proxy must set
``REMOTE_ADDR``, see docs/public-pages.md). The staff operations need a token or session like the
rest of the API and read through ``selectors.objections_for`` (scope: the record's unit).
"""

# No ``from __future__ import annotations``: ``@paginated`` wraps the view, and ninja must see the
# ``Query[...]`` parameter as a real type, not a string it would resolve in the wrapper's module.
from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router
from ninja.params import functions as param
from ninja.responses import Status

from ganbu.selection import selectors, services
from ganbu.selection.choices import ObjectionStatus
from ganbu.selection.models import Objection

from ..common import READ_ERRORS, WRITE_ERRORS, actor
from ..pagination import paginated
from ..schemas import MAX_ID, ErrorOut
from ..schemas_public import (
    NoticeDetailOut,
    NoticeOut,
    ObjectionIn,
    ObjectionOut,
    ObjectionQuery,
    ObjectionReceiptOut,
    ResolveIn,
    TrackOut,
)

router = Router(tags=["公示公告与群众反映"])

NoticeId = param.Path(..., ge=1, le=MAX_ID, description="公告 id")
ObjectionId = param.Path(..., ge=1, le=MAX_ID, description="群众反映 id")
TrackingCode = param.Path(
    ..., min_length=1, max_length=30, description="查询码，如 ABCD-EFGH-JKLM（不区分大小写）"
)
PUBLIC_READ_ERRORS: dict[int, Any] = {404: ErrorOut, 422: ErrorOut}
SUBMIT_ERRORS: dict[int, Any] = {404: ErrorOut, 422: ErrorOut, 429: ErrorOut}
RETRY_AFTER_SECONDS = int(services.THROTTLE_WINDOW.total_seconds())


def client_address(request: HttpRequest) -> str:
    """The address the request came from, for the rate limit only (the service keeps a keyed hash)."""
    return str(request.META.get("REMOTE_ADDR", ""))


def _open_first(qs: QuerySet[Objection]) -> QuerySet[Objection]:
    """Open objections first (they block the appointment), then newest first."""
    open_rank = Case(
        When(status=ObjectionStatus.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return qs.order_by(open_rank, "-received_at", "-id")


# ---------------------------------------------------------------- public (no login)


@router.get(
    "/public/notices",
    response=list[NoticeOut],
    auth=None,
    summary="正在公示的公告（考察预告、任前公示，公开）",
    operation_id="public_notice_list",
)
@paginated
def public_notice_list(request: HttpRequest) -> Any:
    """Notices current today, newest first (``selectors.current_notices``); paginated in the database."""
    return selectors.current_notices(timezone.localdate())


@router.get(
    "/public/notices/{notice_id}",
    response={200: NoticeDetailOut, **PUBLIC_READ_ERRORS},
    auth=None,
    summary="公告全文（公开）",
    description="只返回正在公示期内的公告；已过期、尚未开始或所属纪实已终止的公告返回 404。",
    operation_id="public_notice_get",
)
def public_notice_get(request: HttpRequest, notice_id: int = NoticeId) -> Any:
    """One current notice (``selectors.notice_get_public``), else 404."""
    return selectors.notice_get_public(notice_id=notice_id, on=timezone.localdate())


@router.post(
    "/public/notices/{notice_id}/objections",
    response={201: ObjectionReceiptOut, **SUBMIT_ERRORS},
    auth=None,
    summary="对公告反映问题或意见（公开，返回查询码）",
    description=(
        "无需登录。`anonymous` 为 true 时不保存姓名和联系方式。查询码只在本次响应中返回，系统不能再次提供。"
        "同一来源地址（REMOTE_ADDR）每小时最多 5 次，超过返回 429 并带 Retry-After；"
        "内容不合要求返回 422，均不写入任何记录。公告不在公示期返回 404。"
    ),
    operation_id="public_objection_submit",
)
def public_objection_submit(
    request: HttpRequest, response: HttpResponse, payload: ObjectionIn, notice_id: int = NoticeId
) -> Any:
    """Send an objection or a suggestion about a current notice (``services.objection_submit``)."""
    notice = selectors.notice_get_public(notice_id=notice_id, on=timezone.localdate())
    try:
        objection = services.objection_submit(
            notice=notice,
            kind=payload.kind,
            content=payload.content,
            about=payload.about,
            name=payload.name,
            contact=payload.contact,
            anonymous=payload.anonymous,
            source=client_address(request),
        )
    except services.ThrottledError as exc:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return Status(429, {"detail": "；".join(exc.messages)})
    return Status(
        201,
        {
            "tracking_code": objection.tracking_code,
            "status": objection.status,
            "status_label": objection.get_status_display(),
        },
    )


@router.get(
    "/public/track/{code}",
    response={200: TrackOut, **PUBLIC_READ_ERRORS},
    auth=None,
    summary="凭查询码查询办理结果（公开）",
    description="返回办理状态，办结后返回办理结果；不返回反映内容和反映人信息。查询码不存在返回 404。",
    operation_id="public_objection_track",
)
def public_objection_track(request: HttpRequest, code: str = TrackingCode) -> Any:
    """The objection with this code (``selectors.objection_track``), without its content or sender."""
    objection = selectors.objection_track(code=code)
    if objection is None:
        raise Http404("查询码不存在。")
    return {
        "notice_title": objection.notice.title,
        "kind": objection.kind,
        "kind_label": objection.get_kind_display(),
        "received_on": timezone.localdate(objection.received_at),
        "status": objection.status,
        "status_label": objection.get_status_display(),
        "resolution": objection.resolution if objection.status == ObjectionStatus.RESOLVED else "",
        "resolved_on": timezone.localdate(objection.resolved_at) if objection.resolved_at else None,
    }


# ---------------------------------------------------------------- staff desk


@router.get(
    "/objections",
    response=list[ObjectionOut],
    summary="群众反映列表（待处理在前）",
    operation_id="objection_list",
)
@paginated
def objection_list(request: HttpRequest, filters: Query[ObjectionQuery]) -> Any:
    """Objections on notices of records in the caller's scope (``selectors.objections_for``)."""
    qs = selectors.objections_for(actor(request), open_only=filters.status == ObjectionStatus.OPEN)
    if filters.status == ObjectionStatus.RESOLVED:
        qs = qs.filter(status=ObjectionStatus.RESOLVED)
    return _open_first(qs.select_related("notice__record__unit", "resolved_by"))


@router.get(
    "/objections/{objection_id}",
    response={200: ObjectionOut, **READ_ERRORS},
    summary="群众反映详情",
    operation_id="objection_get",
)
def objection_get(request: HttpRequest, objection_id: int = ObjectionId) -> Any:
    """One objection in scope (``selectors.objection_get``), else 404."""
    return selectors.objection_get(user=actor(request), objection_id=objection_id)


@router.post(
    "/objections/{objection_id}/resolve",
    response={200: ObjectionOut, **WRITE_ERRORS},
    summary="办结群众反映",
    description="写明查核情况和结论；反映人凭查询码可以看到。须有办理权限（组织部经办干部），已办结的不能再次办结。",
    operation_id="objection_resolve",
)
def objection_resolve(request: HttpRequest, payload: ResolveIn, objection_id: int = ObjectionId) -> Any:
    """Resolve an open objection in scope (``services.objection_resolve``)."""
    user = actor(request)
    objection = selectors.objection_get(user=user, objection_id=objection_id)
    services.objection_resolve(actor=user, objection=objection, resolution=payload.resolution)
    return selectors.objection_get(user=user, objection_id=objection_id)
