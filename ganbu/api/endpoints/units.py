"""Units (单位) and their posts (职位)."""

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.params import functions as param
from ninja.responses import Status

from ganbu.registry import selectors, services

from ..common import READ_ERRORS, WRITE_ERRORS, actor, referenced
from ..pagination import paginated
from ..schemas import MAX_ID, PostIn, PostOut, UnitDetailOut, UnitOut

router = Router(tags=["单位与职位"])

MSG_UNIT_NOT_VISIBLE = "单位不存在或不在您的管理范围内。"


@router.get("/units", response=list[UnitOut], summary="单位列表", operation_id="unit_list")
@paginated
def unit_list(request: HttpRequest) -> Any:
    """Units the user may see, in tree order, with their serving cadre counts."""
    return selectors.unit_list(user=actor(request))


@router.get(
    "/units/{unit_id}",
    response={200: UnitDetailOut, **READ_ERRORS},
    summary="单位详情（含职数、已配、空缺）",
    operation_id="unit_get",
)
def unit_get(request: HttpRequest, unit_id: int = param.Path(..., ge=1, le=MAX_ID)) -> Any:
    """One unit with its quotas: approved, filled by current tenures, and vacancies."""
    user = actor(request)
    unit = selectors.unit_get_for_user(user=user, unit_id=unit_id)
    unit.quota_rows = selectors.unit_quotas(user=user, unit=unit)  # type: ignore[attr-defined]
    return unit


@router.get("/posts", response=list[PostOut], summary="职位列表", operation_id="post_list")
@paginated
def post_list(
    request: HttpRequest, unit: int | None = param.Query(None, ge=1, le=MAX_ID, description="单位 id")
) -> Any:
    """Posts in units the user may see, optionally of one unit."""
    return selectors.post_list(user=actor(request), unit_id=unit)


@router.get(
    "/posts/{post_id}", response={200: PostOut, **READ_ERRORS}, summary="职位详情", operation_id="post_get"
)
def post_get(request: HttpRequest, post_id: int = param.Path(..., ge=1, le=MAX_ID)) -> Any:
    """One post in a unit the user may see."""
    return selectors.post_get_for_user(user=actor(request), post_id=post_id)


@router.post(
    "/posts", response={201: PostOut, **WRITE_ERRORS}, summary="新增职位", operation_id="post_create"
)
def post_create(request: HttpRequest, payload: PostIn) -> Any:
    """Create a post in a unit the user may edit (``services.post_create``)."""
    user = actor(request)
    data = payload.model_dump(exclude={"unit_id"})
    data["unit"] = referenced(
        "unit_id",
        MSG_UNIT_NOT_VISIBLE,
        lambda: selectors.unit_get_for_user(user=user, unit_id=payload.unit_id),
    )
    return Status(201, services.post_create(actor=user, data=data))
