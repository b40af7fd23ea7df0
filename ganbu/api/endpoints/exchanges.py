"""干部交流: exchange records (调任、转任、轮岗 through an appointment document; 挂职、党外干部挂任 with
host post and term) and rotation plans (moves, checks, discussion, carrying out as one document).

Every operation calls ``ganbu.exchanges.services`` or ``ganbu.exchanges.selectors``. Reading needs
``Cap.ALLOCATION_VIEW`` (404 otherwise); a write by a reader who may not manage is refused with the
service's words (422), before any id in the body is looked at. A service's refusal is a 422 with its
Chinese message (the rule's basis and the failing fact); a record or plan out of scope is a 404, the
same as a missing one.
"""

from functools import partial
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router
from ninja.params import functions as param
from ninja.responses import Status

from ganbu.accounts.models import User
from ganbu.core.access import units_for
from ganbu.core.errors import ServiceError
from ganbu.exchanges import selectors, services
from ganbu.exchanges.choices import ExchangeKind, PlanStatus
from ganbu.exchanges.models import PlanMove, RotationPlan
from ganbu.registry import selectors as registry_selectors
from ganbu.registry.models import Cadre, Post, Unit

from ..common import READ_ERRORS, WRITE_ERRORS, actor, referenced
from ..pagination import paginated
from ..schemas import MAX_ID
from ..schemas_exchanges import (
    ExchangeEndIn,
    ExchangeIn,
    ExchangeOut,
    RotationCarryOutIn,
    RotationDiscussIn,
    RotationMoveIn,
    RotationPlanIn,
    RotationPlanOut,
    RotationPlanSummaryOut,
    RotationWithdrawIn,
)

router = Router(tags=["干部交流"])
# Fixed paths (/exchanges/plans…) come before /exchanges/{record_id}: the first match wins.

MSG_NOT_FOUND = "页面不存在或无权访问。"
MSG_CADRE = "干部不存在或不在您的管理范围内。"
MSG_POST = "职位不存在或不在您的管理范围内。"
MSG_UNIT = "单位不存在或不在您的管理范围内。"
_ALIASES = {
    "cadre": "cadre_id",
    "to_post": "to_post_id",
    "from_post": "from_post_id",
    "to_unit": "to_unit_id",
}

RecordId = param.Path(..., ge=1, le=MAX_ID, description="交流记录 id")
PlanId = param.Path(..., ge=1, le=MAX_ID, description="交流轮岗方案 id")
MoveId = param.Path(..., ge=1, le=MAX_ID, description="交流事项 id")
KindFilter = param.Query(None, description="交流方式")
YearFilter = param.Query(None, ge=1950, le=2100, description="年度（开始日期）")
StatusFilter = param.Query(None, description="方案状态")


def _reader(request: HttpRequest) -> User:
    user = actor(request)
    if not selectors.reads(user):
        raise Http404(MSG_NOT_FOUND)
    return user


def _manager(request: HttpRequest) -> User:
    """A reader who may write; a reader who may not is refused in the service's words."""
    user = _reader(request)
    if not selectors.manages(user):
        raise ServiceError(services.MSG_NO_CAP)
    return user


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


def _post(user: User, field: str, post_id: int | None) -> Post | None:
    if post_id is None:
        return None
    return referenced(
        field, MSG_POST, partial(registry_selectors.post_get_for_user, user=user, post_id=post_id)
    )


def _unit(user: User, unit_id: int | None) -> Unit | None:
    if unit_id is None:
        return None

    def fetch() -> Unit:
        unit = units_for(user).filter(pk=unit_id).first()
        if unit is None:
            raise Http404(MSG_UNIT)
        return unit

    return referenced("to_unit_id", MSG_UNIT, fetch)


def _plan_out(user: User, plan: RotationPlan) -> RotationPlan:
    """The plan re-read in scope, with the moves the user may see and its findings attached."""
    plan = selectors.plan_get(user=user, plan_id=plan.pk)
    findings = selectors.plan_checks(user=user, plan=plan) if plan.status != PlanStatus.CARRIED_OUT else []
    plan.visible_moves = selectors.plan_moves(user=user, plan=plan)  # type: ignore[attr-defined]
    plan.finding_rows = [  # type: ignore[attr-defined]
        {
            "rule": f.rule,
            "citation": f.citation,
            "message": f.message,
            "blocks": f.blocks,
            "cadre_ids": list(f.cadre_ids),
            "unit_id": f.unit_id,
        }
        for f in findings
    ]
    return plan


@router.get(
    "/exchanges/plans",
    response={200: list[RotationPlanSummaryOut], **READ_ERRORS},
    summary="交流轮岗方案列表",
    operation_id="exchange_plan_list",
)
@paginated
def plan_list(request: HttpRequest, status: str | None = StatusFilter) -> Any:
    """Plans the user may see, newest planned date first; an unknown status filters nothing out."""
    user = _reader(request)
    return selectors.plans(user=user, status=status if status in PlanStatus.values else "")


@router.post(
    "/exchanges/plans",
    response={201: RotationPlanOut, **WRITE_ERRORS},
    summary="拟定交流轮岗方案",
    operation_id="exchange_plan_create",
)
def plan_create(request: HttpRequest, payload: RotationPlanIn) -> Any:
    """Start a plan (``services.plan_create``)."""
    user = _manager(request)
    plan = _call(
        services.plan_create,
        actor=user,
        title=payload.title,
        planned_on=payload.planned_on,
        note=payload.note,
    )
    return Status(201, _plan_out(user, plan))


@router.get(
    "/exchanges/plans/{plan_id}",
    response={200: RotationPlanOut, **READ_ERRORS},
    summary="交流轮岗方案详情（交流事项与核对结果）",
    operation_id="exchange_plan_get",
)
def plan_get(request: HttpRequest, plan_id: int = PlanId) -> Any:
    """One plan with its moves and its findings (rule ID, citation, fact, whether it blocks)."""
    user = _reader(request)
    return _plan_out(user, selectors.plan_get(user=user, plan_id=plan_id))


@router.post(
    "/exchanges/plans/{plan_id}/moves",
    response={201: RotationPlanOut, **WRITE_ERRORS},
    summary="方案添加交流事项",
    operation_id="exchange_plan_move_add",
)
def move_add(request: HttpRequest, payload: RotationMoveIn, plan_id: int = PlanId) -> Any:
    """Add a move (``services.move_add``)."""
    user = _manager(request)
    plan = selectors.plan_get(user=user, plan_id=plan_id)
    cadre = _cadre(user, payload.cadre_id)
    to_post = _post(user, "to_post_id", payload.to_post_id)
    assert to_post is not None
    _call(
        services.move_add,
        actor=user,
        plan=plan,
        cadre=cadre,
        to_post=to_post,
        from_post=_post(user, "from_post_id", payload.from_post_id),
        kind=payload.kind,
        reason=payload.reason,
    )
    return Status(201, _plan_out(user, plan))


@router.delete(
    "/exchanges/plans/{plan_id}/moves/{move_id}",
    response={204: None, **WRITE_ERRORS},
    summary="方案移除交流事项",
    operation_id="exchange_plan_move_remove",
)
def move_remove(request: HttpRequest, plan_id: int = PlanId, move_id: int = MoveId) -> Any:
    """Take a move out of the plan (``services.move_remove``)."""
    user = _manager(request)
    plan = selectors.plan_get(user=user, plan_id=plan_id)
    visible = {m.pk for m in selectors.plan_moves(user=user, plan=plan)}
    move = PlanMove.objects.filter(plan=plan, pk=move_id).select_related("cadre", "to_post").first()
    if move is None or move.pk not in visible:
        raise Http404(MSG_NOT_FOUND)
    _call(services.move_remove, actor=user, move=move)
    return Status(204, None)


@router.post(
    "/exchanges/plans/{plan_id}/discuss",
    response={200: RotationPlanOut, **WRITE_ERRORS},
    summary="登记方案的讨论情况",
    operation_id="exchange_plan_discuss",
)
def plan_discuss(request: HttpRequest, payload: RotationDiscussIn, plan_id: int = PlanId) -> Any:
    """Record the meeting (``services.plan_discuss``)."""
    user = _manager(request)
    plan = selectors.plan_get(user=user, plan_id=plan_id)
    _call(
        services.plan_discuss,
        actor=user,
        plan=plan,
        discussed_on=payload.discussed_on,
        meeting=payload.meeting,
    )
    return _plan_out(user, plan)


@router.post(
    "/exchanges/plans/{plan_id}/carry-out",
    response={200: RotationPlanOut, **WRITE_ERRORS},
    summary="按任免文件实施方案",
    operation_id="exchange_plan_carry_out",
)
def plan_carry_out(request: HttpRequest, payload: RotationCarryOutIn, plan_id: int = PlanId) -> Any:
    """Carry out a discussed plan as one appointment document (``services.plan_carry_out``); refused
    with the blocking findings' basis and facts."""
    user = _manager(request)
    plan = selectors.plan_get(user=user, plan_id=plan_id)
    _call(
        services.plan_carry_out,
        actor=user,
        plan=plan,
        document_number=payload.document_number,
        document_title=payload.document_title,
        issued_on=payload.issued_on,
        effective_on=payload.effective_on,
        issuing_body=payload.issuing_body,
    )
    return _plan_out(user, plan)


@router.post(
    "/exchanges/plans/{plan_id}/withdraw",
    response={200: RotationPlanOut, **WRITE_ERRORS},
    summary="撤回交流轮岗方案",
    operation_id="exchange_plan_withdraw",
)
def plan_withdraw(request: HttpRequest, payload: RotationWithdrawIn, plan_id: int = PlanId) -> Any:
    """Withdraw a plan not carried out (``services.plan_withdraw``)."""
    user = _manager(request)
    plan = selectors.plan_get(user=user, plan_id=plan_id)
    _call(services.plan_withdraw, actor=user, plan=plan, reason=payload.reason)
    return _plan_out(user, plan)


@router.get(
    "/exchanges",
    response={200: list[ExchangeOut], **READ_ERRORS},
    summary="干部交流记录",
    operation_id="exchange_list",
)
@paginated
def exchange_list(request: HttpRequest, kind: str | None = KindFilter, year: int | None = YearFilter) -> Any:
    """Records of cadres in scope, newest first; an unknown kind filters nothing out."""
    user = _reader(request)
    return selectors.records(user=user, kind=kind if kind in ExchangeKind.values else "", year=year)


@router.post(
    "/exchanges",
    response={201: ExchangeOut, **WRITE_ERRORS},
    summary="登记干部交流（调任、转任、轮岗、挂职、党外干部挂任）",
    operation_id="exchange_record",
)
def exchange_record(request: HttpRequest, payload: ExchangeIn) -> Any:
    """Record one exchange (``services.exchange_record``)."""
    user = _manager(request)
    record = _call(
        services.exchange_record,
        actor=user,
        cadre=_cadre(user, payload.cadre_id),
        kind=payload.kind,
        start_on=payload.start_on,
        to_unit=_unit(user, payload.to_unit_id),
        to_post=_post(user, "to_post_id", payload.to_post_id),
        from_post=_post(user, "from_post_id", payload.from_post_id),
        host_post_title=payload.host_post_title,
        planned_end_on=payload.planned_end_on,
        direction=payload.direction,
        decision_number=payload.decision_number,
        document_number=payload.document_number,
        document_title=payload.document_title,
        issued_on=payload.issued_on,
        note=payload.note,
    )
    return Status(201, selectors.record_get(user=user, record_id=record.pk))


@router.get(
    "/exchanges/{record_id}",
    response={200: ExchangeOut, **READ_ERRORS},
    summary="干部交流记录详情",
    operation_id="exchange_get",
)
def exchange_get(request: HttpRequest, record_id: int = RecordId) -> Any:
    """One record."""
    user = _reader(request)
    return selectors.record_get(user=user, record_id=record_id)


@router.post(
    "/exchanges/{record_id}/end",
    response={200: ExchangeOut, **WRITE_ERRORS},
    summary="登记挂职期满返回",
    operation_id="exchange_secondment_end",
)
def secondment_end(request: HttpRequest, payload: ExchangeEndIn, record_id: int = RecordId) -> Any:
    """Record the end of a 挂职 (``services.secondment_end``)."""
    user = _manager(request)
    record = selectors.record_get(user=user, record_id=record_id)
    _call(services.secondment_end, actor=user, record=record, ended_on=payload.ended_on)
    return selectors.record_get(user=user, record_id=record_id)
