"""处分: the county register of sanctions, 诫勉 and 组织处理 with their computed periods, status,
effects and deadlines; recording a sanction; its follow-up dates.

Every operation calls ``ganbu.registry.services`` or ``ganbu.registry.sanction_selectors``. A
service's refusal is a 422 with its Chinese message (regulation, article, failing fact); a
sanction out of scope is a 404, the same as a missing one; and the operations do not exist (404)
for roles that do not read discipline files (unit officers included).
"""

from functools import partial
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router
from ninja.params import functions as param
from ninja.responses import Status

from ganbu.accounts.models import User
from ganbu.core.errors import ServiceError
from ganbu.registry import sanction_selectors as selectors
from ganbu.registry import selectors as registry_selectors
from ganbu.registry.choices import RewardSanctionKind
from ganbu.registry.models import Cadre
from ganbu.registry.services import reward_sanction_record, sanction_followup_update

from ..common import READ_ERRORS, WRITE_ERRORS, actor, referenced
from ..pagination import paginated
from ..schemas import MAX_ID
from ..schemas_sanctions import SanctionFollowupIn, SanctionIn, SanctionOut, StatusCode

router = Router(tags=["处分"])

MSG_CADRE = "干部不存在或不在您的管理范围内。"
MSG_NOT_FOUND = "页面不存在或无权访问。"

SanctionId = param.Path(..., ge=1, le=MAX_ID, description="处分记录 id")
CadreFilter = param.Query(None, ge=1, le=MAX_ID, description="干部 id")
UnitFilter = param.Query(None, ge=1, le=MAX_ID, description="单位 id（含下级）")
StatusFilter = param.Query(
    None, description="状态：in_force 在影响期内、ending 30天内届满、expired 已期满、combined 已合并计算"
)
TypeFilter = param.Query(None, max_length=30, description="处分种类代码")


def _require_reader(user: User) -> None:
    if not selectors.sees_sanctions(user):
        raise Http404(MSG_NOT_FOUND)


def _call(fn: Any, **kwargs: Any) -> Any:
    try:
        return fn(**kwargs)
    except ServiceError as exc:
        if hasattr(exc, "error_dict") and "cadre" in exc.message_dict:
            raise ServiceError({"cadre_id": exc.message_dict["cadre"]}) from None
        raise


def _cadre(user: User, cadre_id: int) -> Cadre:
    return referenced(
        "cadre_id", MSG_CADRE, partial(registry_selectors.cadre_get_for_user, user=user, cadre_id=cadre_id)
    )


@router.get(
    "/sanctions",
    response={200: list[SanctionOut], **READ_ERRORS},
    summary="处分登记簿（监督信息）",
    operation_id="sanction_list",
)
@paginated
def sanction_list(
    request: HttpRequest,
    status: StatusCode | None = StatusFilter,
    unit_id: int | None = UnitFilter,
    sanction_type: str | None = TypeFilter,
    cadre_id: int | None = CadreFilter,
) -> Any:
    """Sanctions of cadres in scope with their computed period, status, effects and deadlines."""
    user = actor(request)
    _require_reader(user)
    filters = selectors.SanctionFilter(
        status=status or "", unit_id=unit_id, sanction_type=sanction_type or ""
    )
    qs = selectors.sanction_register(user=user, on=timezone.localdate(), filters=filters)
    return qs.filter(cadre_id=cadre_id) if cadre_id else qs


@router.get(
    "/sanctions/{sanction_id}",
    response={200: SanctionOut, **READ_ERRORS},
    summary="一条处分",
    operation_id="sanction_get",
)
def sanction_get(request: HttpRequest, sanction_id: int = SanctionId) -> Any:
    """One sanction; 404 when missing or out of scope."""
    user = actor(request)
    _require_reader(user)
    return selectors.sanction_get(user=user, sanction_id=sanction_id)


@router.post(
    "/sanctions",
    response={201: SanctionOut, **WRITE_ERRORS},
    summary="登记处分",
    operation_id="sanction_record",
)
def sanction_record(request: HttpRequest, payload: SanctionIn) -> Any:
    """Record a sanction (``services.reward_sanction_record``): its period computed (DISC-01/02/05/
    06/07/09), combined with a running one, refused with the regulation when out of range."""
    user = actor(request)
    _require_reader(user)
    cadre = _cadre(user, payload.cadre_id)
    data = payload.model_dump(exclude={"cadre_id"})
    data["kind"] = RewardSanctionKind.SANCTION
    data["sanction_type"] = data["sanction_type"] or ""
    saved = _call(reward_sanction_record, actor=user, cadre=cadre, data=data)
    return Status(201, selectors.sanction_get(user=user, sanction_id=saved.pk))


@router.post(
    "/sanctions/{sanction_id}/followup",
    response={200: SanctionOut, **WRITE_ERRORS},
    summary="登记处分的送达、复核、申诉日期或期内新的违法行为",
    operation_id="sanction_followup",
)
def sanction_followup(
    request: HttpRequest, payload: SanctionFollowupIn, sanction_id: int = SanctionId
) -> Any:
    """Record the dates DISC-16's deadlines run from, or a new violation in the period (DISC-04)."""
    user = actor(request)
    _require_reader(user)
    row = selectors.sanction_get(user=user, sanction_id=sanction_id)
    data = payload.model_dump(exclude_unset=True, exclude={"reason"})
    if data.get("new_violation_pending") is None:
        data.pop("new_violation_pending", None)
    _call(sanction_followup_update, actor=user, sanction=row, data=data, reason=payload.reason)
    return selectors.sanction_get(user=user, sanction_id=row.pk)
