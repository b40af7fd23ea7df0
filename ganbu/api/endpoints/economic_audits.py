"""经济责任审计: the REST operations of the ``economic_audits`` app.

Every operation calls ``ganbu.economic_audits.services`` or ``ganbu.economic_audits.selectors``.
The audits exist (otherwise 404) only for ``Cap.SUPERVISION_VIEW`` (the department's officers and
leader, the supervising bodies); writes are refused by the services (422 with the Chinese message
naming the regulation, the article and the failing fact) for roles that may only read, and an
audit or tenure out of scope is a 404 / a 422 on its field, the same as a missing one.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router
from ninja.params import functions as param
from ninja.responses import Status

from ganbu.core.access import Cap, require_cap
from ganbu.core.errors import ServiceError
from ganbu.economic_audits import selectors, services
from ganbu.economic_audits.models import AuditEngagement, FollowUpItem
from ganbu.registry.models import Tenure

from ..common import READ_ERRORS, WRITE_ERRORS, actor
from ..pagination import paginated
from ..schemas import MAX_ID
from ..schemas_economic_audits import (
    EconomicAuditCloseIn,
    EconomicAuditCommissionIn,
    EconomicAuditDetailOut,
    EconomicAuditFollowUpDoneIn,
    EconomicAuditFollowUpIn,
    EconomicAuditFollowUpOut,
    EconomicAuditIn,
    EconomicAuditNoticeIn,
    EconomicAuditOut,
    EconomicAuditReportIn,
    EconomicAuditStartIn,
    EconomicAuditTriggerOut,
)

router = Router(tags=["经济责任审计"])

MSG_TENURE = "任职记录不存在或不在您的管理范围内。"
MSG_ITEM = "整改事项不存在或不属于该审计。"

EngagementId = param.Path(..., ge=1, le=MAX_ID, description="经济责任审计 id")
StatusFilter = param.Query("", max_length=20, description="状态；pending 为未出具报告的")
TriggerFilter = param.Query("", max_length=20, description="审计类型；departure 为离任审计")
WordFilter = param.Query("", max_length=50, description="姓名或单位")
YearFilter = param.Query(None, ge=1950, le=2100, description="审计报告年度")


def _engagement(request: HttpRequest, engagement_id: int) -> tuple[Any, AuditEngagement]:
    user = actor(request)
    require_cap(user, Cap.SUPERVISION_VIEW)
    return user, selectors.engagement_get(user=user, engagement_id=engagement_id)


def _detail(user: Any, engagement: AuditEngagement) -> AuditEngagement:
    return selectors.engagement_get(user=user, engagement_id=engagement.pk)


@router.get(
    "/economic-audits",
    response={200: list[EconomicAuditOut], **READ_ERRORS},
    summary="经济责任审计列表",
    operation_id="economic_audit_list",
)
@paginated
def economic_audit_list(
    request: HttpRequest,
    status: str = StatusFilter,
    trigger: str = TriggerFilter,
    q: str = WordFilter,
    year: int | None = YearFilter,
) -> Any:
    """The audits in scope, newest first (``selectors.engagement_list``)."""
    user = actor(request)
    require_cap(user, Cap.SUPERVISION_VIEW)
    return selectors.engagement_list(user=user, status=status, trigger=trigger, q=q, year=year)


@router.get(
    "/economic-audits/triggers",
    response={200: list[EconomicAuditTriggerOut], **READ_ERRORS},
    summary="需要经济责任审计的领导干部（先审后离、任中审计）",
    operation_id="economic_audit_triggers",
)
def economic_audit_triggers(request: HttpRequest, pending_only: bool = True) -> Any:
    """The heads in scope who need an audit today; ``pending_only`` (default): not yet commissioned."""
    user = actor(request)
    require_cap(user, Cap.SUPERVISION_VIEW)
    rows = selectors.audit_triggers(user=user, on=timezone.localdate())
    return [
        {
            "tenure_id": t.tenure.pk,
            "cadre": {"id": t.tenure.cadre.pk, "name": t.tenure.cadre.name},
            "post": str(t.tenure.post),
            "trigger": t.trigger,
            "trigger_label": t.trigger_label,
            "reasons": t.reasons,
            "due_on": t.due_on,
            "to_commission": t.to_commission,
            "engagement_id": t.engagement.pk if t.engagement else None,
            "selection_record_id": t.selection_record_id,
        }
        for t in rows
        if t.to_commission or not pending_only
    ]


@router.get(
    "/economic-audits/{engagement_id}",
    response={200: EconomicAuditDetailOut, **READ_ERRORS},
    summary="经济责任审计详情",
    operation_id="economic_audit_get",
)
def economic_audit_get(request: HttpRequest, engagement_id: int = EngagementId) -> Any:
    """One audit with its rectification items."""
    return _engagement(request, engagement_id)[1]


@router.post(
    "/economic-audits",
    response={201: EconomicAuditDetailOut, **WRITE_ERRORS},
    summary="登记经济责任审计（待委托）",
    operation_id="economic_audit_create",
)
def economic_audit_create(request: HttpRequest, payload: EconomicAuditIn) -> Any:
    """Register an audit of a unit-leading tenure in scope (``services.engagement_create``)."""
    user = actor(request)
    require_cap(user, Cap.SUPERVISION_VIEW)
    tenure = (
        Tenure.objects.filter(pk=payload.tenure_id, cadre__in=selectors.cadres_in_scope(user))
        .select_related("cadre", "post")
        .first()
    )
    if tenure is None:
        raise ServiceError({"tenure_id": [MSG_TENURE]})
    engagement = services.engagement_create(
        actor=user,
        cadre=tenure.cadre,
        post=tenure.post,
        tenure=tenure,
        trigger=payload.trigger,
        term_start=payload.term_start,
        term_end=payload.term_end,
        trigger_note=payload.trigger_note,
        presiding_since=payload.presiding_since,
    )
    return Status(201, _detail(user, engagement))


@router.post(
    "/economic-audits/{engagement_id}/commission",
    response={200: EconomicAuditDetailOut, **WRITE_ERRORS},
    summary="委托审计（开始审计程序，期间不得辞职）",
    operation_id="economic_audit_commission",
)
def economic_audit_commission(
    request: HttpRequest, payload: EconomicAuditCommissionIn, engagement_id: int = EngagementId
) -> Any:
    """``services.engagement_commission`` (AUD-03 commissioning bodies; opens the proceeding)."""
    user, engagement = _engagement(request, engagement_id)
    services.engagement_commission(actor=user, engagement=engagement, **payload.dict())
    return _detail(user, engagement)


@router.post(
    "/economic-audits/{engagement_id}/notice",
    response={200: EconomicAuditDetailOut, **WRITE_ERRORS},
    summary="登记审计通知书送达",
    operation_id="economic_audit_notice",
)
def economic_audit_notice(
    request: HttpRequest, payload: EconomicAuditNoticeIn, engagement_id: int = EngagementId
) -> Any:
    """``services.engagement_serve_notice``."""
    user, engagement = _engagement(request, engagement_id)
    services.engagement_serve_notice(actor=user, engagement=engagement, served_on=payload.served_on)
    return _detail(user, engagement)


@router.post(
    "/economic-audits/{engagement_id}/start",
    response={200: EconomicAuditDetailOut, **WRITE_ERRORS},
    summary="登记实施审计（通知书须提前三日送达）",
    operation_id="economic_audit_start",
)
def economic_audit_start(
    request: HttpRequest, payload: EconomicAuditStartIn, engagement_id: int = EngagementId
) -> Any:
    """``services.engagement_start`` (AUD-03 three-day notice)."""
    user, engagement = _engagement(request, engagement_id)
    services.engagement_start(actor=user, engagement=engagement, started_on=payload.started_on)
    return _detail(user, engagement)


@router.post(
    "/economic-audits/{engagement_id}/report",
    response={200: EconomicAuditDetailOut, **WRITE_ERRORS},
    summary="登记审计报告（审计程序结束）",
    operation_id="economic_audit_report",
)
def economic_audit_report(
    request: HttpRequest, payload: EconomicAuditReportIn, engagement_id: int = EngagementId
) -> Any:
    """``services.engagement_report`` (closes the proceeding on the report day)."""
    user, engagement = _engagement(request, engagement_id)
    services.engagement_report(actor=user, engagement=engagement, **payload.dict())
    return _detail(user, engagement)


@router.post(
    "/economic-audits/{engagement_id}/follow-ups",
    response={201: EconomicAuditFollowUpOut, **WRITE_ERRORS},
    summary="登记整改事项",
    operation_id="economic_audit_follow_up_add",
)
def economic_audit_follow_up_add(
    request: HttpRequest, payload: EconomicAuditFollowUpIn, engagement_id: int = EngagementId
) -> Any:
    """``services.follow_up_add``."""
    user, engagement = _engagement(request, engagement_id)
    return Status(201, services.follow_up_add(actor=user, engagement=engagement, **payload.dict()))


@router.post(
    "/economic-audits/{engagement_id}/follow-ups/done",
    response={200: EconomicAuditFollowUpOut, **WRITE_ERRORS},
    summary="登记整改事项完成",
    operation_id="economic_audit_follow_up_done",
)
def economic_audit_follow_up_done(
    request: HttpRequest, payload: EconomicAuditFollowUpDoneIn, engagement_id: int = EngagementId
) -> Any:
    """``services.follow_up_complete`` for an item of this audit."""
    user, engagement = _engagement(request, engagement_id)
    if not services.may_manage(user):  # the caller's right first, as every other step refuses
        raise ServiceError(services.MSG_NO_CAP)
    item = FollowUpItem.objects.filter(pk=payload.item_id, engagement=engagement).first()
    if item is None:
        raise ServiceError({"item_id": [MSG_ITEM]})
    return services.follow_up_complete(actor=user, item=item, done_on=payload.done_on, result=payload.result)


@router.post(
    "/economic-audits/{engagement_id}/close",
    response={200: EconomicAuditDetailOut, **WRITE_ERRORS},
    summary="登记整改完成",
    operation_id="economic_audit_close",
)
def economic_audit_close(
    request: HttpRequest, payload: EconomicAuditCloseIn, engagement_id: int = EngagementId
) -> Any:
    """``services.engagement_close`` (every item done)."""
    user, engagement = _engagement(request, engagement_id)
    services.engagement_close(
        actor=user, engagement=engagement, closed_on=payload.closed_on, summary=payload.summary
    )
    return _detail(user, engagement)
