"""Cadres (干部): the filtered list, one record, create, change, career and family."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.params import functions as param
from ninja.responses import Status

from ganbu.registry import selectors, services
from ganbu.registry.selectors import CadreFilter

from ..common import READ_ERRORS, WRITE_ERRORS, actor, referenced
from ..pagination import paginated
from ..schemas import (
    CADRE_LIST_COLUMNS,
    MAX_ID,
    CadreDetailOut,
    CadreIn,
    CadreOut,
    CadrePatch,
    CadreQuery,
    CareerTenureOut,
    FamilyMemberOut,
)

router = Router(tags=["干部"])

MSG_UNIT_NOT_VISIBLE = "单位不存在或不在您的管理范围内。"
CadreId = param.Path(..., ge=1, le=MAX_ID, description="干部 id")


def _filter(query: CadreQuery) -> CadreFilter:
    """The selector's filter from the query parameters."""
    return CadreFilter(
        q=query.q,
        unit_id=query.unit,
        gender=query.gender or "",
        age_min=query.age_min,
        age_max=query.age_max,
        age_on=query.age_on,
        rank=query.rank or "",
        leadership=query.leadership,
        political_status=query.political_status or "",
        education=query.education or "",
        status=query.status or "",
        reserve=query.reserve,
        sort=query.sort,
    )


@router.get(
    "/cadres", response=list[CadreOut], summary="干部列表（筛选、排序、分页）", operation_id="cadre_list"
)
@paginated
def cadre_list(request: HttpRequest, filters: Query[CadreQuery]) -> Any:
    """Cadres the user may see, filtered as in the web list; paginated in the database."""
    # Rows as values() of the columns CadreOut writes: no model instance per row (decision 0014).
    return selectors.cadre_list(user=actor(request), filters=_filter(filters)).values(*CADRE_LIST_COLUMNS)


@router.get(
    "/cadres/{cadre_id}",
    response={200: CadreDetailOut, **READ_ERRORS},
    summary="干部详情",
    operation_id="cadre_get",
)
def cadre_get(request: HttpRequest, cadre_id: int = CadreId) -> Any:
    """One cadre's record; ``id_number`` only for roles that may see it."""
    return selectors.cadre_get_for_user(user=actor(request), cadre_id=cadre_id)


def _with_unit(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    """Replace ``unit_id`` by the unit, looked up within the user's scope."""
    if "unit_id" in data:
        unit_id = data.pop("unit_id")
        data["unit"] = referenced(
            "unit_id", MSG_UNIT_NOT_VISIBLE, lambda: selectors.unit_get_for_user(user=user, unit_id=unit_id)
        )
    return data


@router.post(
    "/cadres", response={201: CadreDetailOut, **WRITE_ERRORS}, summary="新增干部", operation_id="cadre_create"
)
def cadre_create(request: HttpRequest, payload: CadreIn) -> Any:
    """Register a cadre (``services.cadre_create``); a bad ID number is a 422 and nothing is written."""
    user = actor(request)
    data = _with_unit(user, payload.model_dump(exclude={"reason"}))
    return Status(201, services.cadre_create(actor=user, data=data, reason=payload.reason))


@router.patch(
    "/cadres/{cadre_id}",
    response={200: CadreDetailOut, **WRITE_ERRORS},
    summary="修改干部信息",
    operation_id="cadre_update",
)
def cadre_update(request: HttpRequest, payload: CadrePatch, cadre_id: int = CadreId) -> Any:
    """Change the fields sent (``services.cadre_update``); out-of-scope cadres are 404."""
    user = actor(request)
    cadre = selectors.cadre_get_for_user(user=user, cadre_id=cadre_id)
    data = _with_unit(user, payload.model_dump(exclude_unset=True, exclude={"reason"}))
    updated = services.cadre_update(actor=user, cadre=cadre, data=data, reason=payload.reason)
    return selectors.cadre_get_for_user(user=user, cadre_id=updated.pk)


@router.get(
    "/cadres/{cadre_id}/tenures",
    response={200: list[CareerTenureOut], **READ_ERRORS},
    summary="干部任职经历",
    operation_id="cadre_tenures",
)
def cadre_tenures(request: HttpRequest, cadre_id: int = CadreId) -> Any:
    """The cadre's tenures, newest first, with years in post and whether current."""
    user = actor(request)
    cadre = selectors.cadre_get_for_user(user=user, cadre_id=cadre_id)
    rows = []
    for view in selectors.cadre_career(user=user, cadre=cadre):
        tenure = view.tenure
        tenure.cadre = cadre  # already loaded: saves one query per row
        tenure.years = round(view.years, 2)  # type: ignore[attr-defined]
        tenure.is_current = view.is_current  # type: ignore[attr-defined]
        rows.append(tenure)
    return rows


@router.get(
    "/cadres/{cadre_id}/family",
    response={200: list[FamilyMemberOut], **READ_ERRORS},
    summary="干部家庭成员及重要社会关系（仅限有权查看的角色）",
    operation_id="cadre_family",
)
def cadre_family(request: HttpRequest, cadre_id: int = CadreId) -> Any:
    """Family members, for roles with the family capability; 404 for everyone else."""
    return selectors.cadre_family_for_user(user=actor(request), cadre_id=cadre_id)
