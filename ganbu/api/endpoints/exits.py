"""能上能下: exits (离岗退养, 改任非领导职务, 免职, 降职, 辞职, 退休), the due lists, the proceedings
that block a resignation, and the incompetence cases.

Every operation calls ``ganbu.exits.services`` or ``ganbu.exits.selectors``. A service's refusal is
a 422 with its Chinese message (rule, article, failing fact); an object out of scope is a 404, the
same as a missing one; and the proceedings do not exist (404) for roles that may not see
supervision records, so that nobody learns of a proceeding they may not know about.
"""

from functools import partial
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router
from ninja.params import functions as param
from ninja.responses import Status

from ganbu.accounts.models import User
from ganbu.core.access import Cap, require_cap
from ganbu.core.errors import ServiceError
from ganbu.exits import selectors, services
from ganbu.exits.models import ExitRecord, IncompetenceCase
from ganbu.exits.services import Decision
from ganbu.registry import selectors as registry_selectors
from ganbu.registry.models import Cadre, Post

from ..common import READ_ERRORS, WRITE_ERRORS, actor, referenced
from ..pagination import paginated
from ..schemas import MAX_ID
from ..schemas_exits import (
    CaseAdjustmentIn,
    CaseConclusionIn,
    CaseOpenIn,
    CaseOut,
    DecisionIn,
    DemotionIn,
    DueEarlyExitOut,
    DueRetirementOut,
    ExitDetailOut,
    ExitIn,
    ExitKindCode,
    ExitOut,
    ProceedingCloseIn,
    ProceedingIn,
    ProceedingOut,
    ReassignIn,
    ResignationIn,
    RetirementIn,
)

router = Router(tags=["能上能下"])

MSG_CADRE = "干部不存在或不在您的管理范围内。"
MSG_POST = "职位不存在或不在您的管理范围内。"
MSG_RESULT = "测评结果不存在或无权查看。"
MSG_NOT_FOUND = "页面不存在或无权访问。"
# Service errors name the form's fields; the API's inputs name the ids.
_ALIASES = {"new_post": "new_post_id", "evaluation": "evaluation_id", "cadre": "cadre_id"}

ExitId = param.Path(..., ge=1, le=MAX_ID, description="记录 id")
Year = param.Query(..., ge=1950, le=2100, description="年度")
KindFilter = param.Query(None, description="方式")
YearFilter = param.Query(None, ge=1950, le=2100, description="生效年度")
CadreFilter = param.Query(None, ge=1, le=MAX_ID, description="干部 id")
OpenFilter = param.Query(False, description="只列未结束的")
ProceedingId = param.Path(..., ge=1, le=MAX_ID, description="记录 id")
CaseId = param.Path(..., ge=1, le=MAX_ID, description="不称职调整程序 id")


def _aliased(exc: ServiceError) -> ServiceError:
    """The service's error with the API's field names."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ServiceError({_ALIASES.get(k, k): v for k, v in exc.message_dict.items()})


def _call(fn: Any, **kwargs: Any) -> Any:
    try:
        return fn(**kwargs)
    except ServiceError as exc:
        raise _aliased(exc) from None


def _cadre(user: User, cadre_id: int, field: str = "cadre_id") -> Cadre:
    return referenced(
        field, MSG_CADRE, partial(registry_selectors.cadre_get_for_user, user=user, cadre_id=cadre_id)
    )


def _post(user: User, post_id: int | None) -> Post | None:
    if post_id is None:
        return None
    return referenced(
        "new_post_id", MSG_POST, partial(registry_selectors.post_get_for_user, user=user, post_id=post_id)
    )


def _decision(payload: DecisionIn) -> Decision:
    return Decision(
        decided_on=payload.decided_on,
        effective_on=payload.effective_on,
        reason=payload.reason,
        document_number=payload.document_number,
        basis=payload.basis,
        document_title=payload.document_title,
        issuing_body=payload.issuing_body,
    )


def _detail(user: User, record: ExitRecord) -> ExitRecord:
    """The record as the detail schema wants it: reloaded with its joins, items attached."""
    record = selectors.exit_get_for_user(user=user, exit_id=record.pk)
    record.visible_items = selectors.exit_items(user=user, record=record)  # type: ignore[attr-defined]
    return record


# ---------------------------------------------------------------- due lists (before /exits/{id})


@router.get(
    "/exits/due/early-exit",
    response={200: list[DueEarlyExitOut], **READ_ERRORS},
    summary="当年达到离岗退养年龄的领导干部",
    operation_id="exit_due_early_exit",
)
def due_early_exit(request: HttpRequest, year: int = Year) -> Any:
    """Serving leaders in scope reaching the county's age in ``year``, with the date (policy of that day)."""
    user = actor(request)
    require_cap(user, Cap.REGISTRY_VIEW)
    return [
        {
            "cadre": {"id": r.cadre.pk, "name": r.cadre.name},
            "unit": {"id": r.cadre.unit_id, "name": r.cadre.unit.name},
            "gender": r.cadre.gender,
            "birth_date": r.cadre.birth_date,
            "post": r.cadre.current_post_text,
            "reaches_on": r.reaches_on,
            "age": r.age,
        }
        for r in selectors.due_early_exit(user=user, year=year)
    ]


@router.get(
    "/exits/due/retirement",
    response={200: list[DueRetirementOut], **READ_ERRORS},
    summary="当年达到法定退休年龄的干部",
    operation_id="exit_due_retirement",
)
def due_retirement(request: HttpRequest, year: int = Year) -> Any:
    """Cadres in scope whose statutory retirement date (2025 gradual schedule) falls in ``year``."""
    user = actor(request)
    require_cap(user, Cap.REGISTRY_VIEW)
    return [
        {
            "cadre": {"id": r.cadre.pk, "name": r.cadre.name},
            "unit": {"id": r.cadre.unit_id, "name": r.cadre.unit.name},
            "gender": r.cadre.gender,
            "birth_date": r.cadre.birth_date,
            "status": r.cadre.status,
            "post": r.cadre.current_post_text,
            "retires_on": r.retires_on,
            "age": r.age,
            "category": r.category,
        }
        for r in selectors.due_retirement(user=user, year=year)
    ]


# ---------------------------------------------------------------- proceedings (secret)


def _require_proceedings(user: User) -> None:
    if not selectors.may_see_proceedings(user):
        raise Http404(MSG_NOT_FOUND)


@router.get(
    "/exits/proceedings",
    response={200: list[ProceedingOut], **READ_ERRORS},
    summary="审计、纪律审查、监察调查和司法程序（监督信息）",
    operation_id="proceeding_list",
)
@paginated
def proceeding_list(
    request: HttpRequest,
    cadre_id: int | None = CadreFilter,
    open: bool = OpenFilter,
) -> Any:
    """Proceedings of cadres in scope; 404 for roles without ``Cap.SENSITIVE_SUPERVISION``."""
    user = actor(request)
    _require_proceedings(user)
    qs = selectors.proceeding_list(user=user, open_only=open)
    return qs.filter(cadre_id=cadre_id) if cadre_id else qs


@router.post(
    "/exits/proceedings",
    response={201: ProceedingOut, **WRITE_ERRORS},
    summary="登记审计或调查",
    operation_id="proceeding_open",
)
def proceeding_open(request: HttpRequest, payload: ProceedingIn) -> Any:
    """Record a proceeding (``services.proceeding_open``): supervising bodies and department officers."""
    user = actor(request)
    _require_proceedings(user)
    cadre = _cadre(user, payload.cadre_id)
    proceeding = _call(
        services.proceeding_open,
        actor=user,
        cadre=cadre,
        kind=payload.kind,
        body=payload.body,
        started_on=payload.started_on,
        note=payload.note,
    )
    return Status(201, proceeding)


@router.post(
    "/exits/proceedings/{proceeding_id}/close",
    response={200: ProceedingOut, **WRITE_ERRORS},
    summary="登记审计或调查结束",
    operation_id="proceeding_close",
)
def proceeding_close(
    request: HttpRequest, payload: ProceedingCloseIn, proceeding_id: int = ProceedingId
) -> Any:
    """Record the end of a proceeding (``services.proceeding_close``)."""
    user = actor(request)
    proceeding = selectors.proceeding_get_for_user(user=user, proceeding_id=proceeding_id)
    return _call(
        services.proceeding_close,
        actor=user,
        proceeding=proceeding,
        ended_on=payload.ended_on,
        note=payload.note,
    )


# ---------------------------------------------------------------- incompetence cases


def _case(user: User, case_id: int) -> IncompetenceCase:
    if not selectors.may_see_cases(user):
        raise Http404(MSG_NOT_FOUND)
    return selectors.case_get_for_user(user=user, case_id=case_id)


@router.get(
    "/exits/cases",
    response={200: list[CaseOut], **READ_ERRORS},
    summary="不称职调整程序列表",
    operation_id="case_list",
)
@paginated
def case_list(request: HttpRequest) -> Any:
    """Cases of cadres in scope, newest first; 404 for roles that do not read evaluation results."""
    user = actor(request)
    if not selectors.may_see_cases(user):
        raise Http404(MSG_NOT_FOUND)
    return selectors.case_list(user=user)


@router.get(
    "/exits/cases/{case_id}",
    response={200: CaseOut, **READ_ERRORS},
    summary="不称职调整程序详情",
    operation_id="case_get",
)
def case_get(request: HttpRequest, case_id: int = CaseId) -> Any:
    """One case."""
    return _case(actor(request), case_id)


@router.post(
    "/exits/cases",
    response={201: CaseOut, **WRITE_ERRORS},
    summary="启动不称职调整程序",
    operation_id="case_open",
)
def case_open(request: HttpRequest, payload: CaseOpenIn) -> Any:
    """Start a case from a flagged evaluation result, or for a cadre with a reason."""
    user = actor(request)
    evaluation = None
    if payload.evaluation_id is not None:
        evaluation = referenced(
            "evaluation_id",
            MSG_RESULT,
            partial(selectors.evaluation_result_get, user=user, result_id=payload.evaluation_id),
        )
    cadre = _cadre(user, payload.cadre_id) if payload.cadre_id is not None else None
    case = _call(
        services.incompetence_case_open,
        actor=user,
        opened_on=payload.opened_on,
        evaluation=evaluation,
        cadre=cadre,
        reason=payload.reason,
    )
    return Status(201, case)


@router.post(
    "/exits/cases/{case_id}/conclusion",
    response={200: CaseOut, **WRITE_ERRORS},
    summary="登记不称职考察结论",
    operation_id="case_conclude",
)
def case_conclude(request: HttpRequest, payload: CaseConclusionIn, case_id: int = CaseId) -> Any:
    """Record the inspection's conclusion (confirmed → adjustment; not confirmed → closed)."""
    user = actor(request)
    case = _case(user, case_id)
    return _call(
        services.incompetence_case_conclude,
        actor=user,
        case=case,
        confirmed=payload.confirmed,
        conclusion=payload.conclusion,
        inspected_on=payload.inspected_on,
        inspectors=payload.inspectors,
    )


@router.post(
    "/exits/cases/{case_id}/adjustment",
    response={201: ExitDetailOut, **WRITE_ERRORS},
    summary="不称职调整：免职、降职或改任非领导职务",
    operation_id="case_adjust",
)
def case_adjust(request: HttpRequest, payload: CaseAdjustmentIn, case_id: int = CaseId) -> Any:
    """Conclude a confirmed case with its adjustment (the exit and its document)."""
    user = actor(request)
    case = _case(user, case_id)
    record = _call(
        services.incompetence_case_adjust,
        actor=user,
        case=case,
        kind=payload.kind,
        decision=_decision(payload),
        new_post=_post(user, payload.new_post_id),
        new_rank=payload.new_rank,
    )
    return Status(201, _detail(user, record))


# ---------------------------------------------------------------- exits


@router.get(
    "/exits",
    response={200: list[ExitOut], **READ_ERRORS},
    summary="能上能下记录列表",
    operation_id="exit_list",
)
@paginated
def exit_list(
    request: HttpRequest,
    kind: ExitKindCode | None = KindFilter,
    year: int | None = YearFilter,
) -> Any:
    """Exits of cadres the user may see, newest effective date first; paginated in the database."""
    return selectors.exit_list(user=actor(request), kind=kind or "", year=year)


def _created(user: User, record: ExitRecord) -> Any:
    return Status(201, _detail(user, record))


@router.post(
    "/exits/early-exit",
    response={201: ExitDetailOut, **WRITE_ERRORS},
    summary="离岗退养",
    operation_id="exit_early_exit",
)
def early_exit(request: HttpRequest, payload: ExitIn) -> Any:
    """``services.early_exit_record``: the county age in force on the effective date (RET-06)."""
    user = actor(request)
    cadre = _cadre(user, payload.cadre_id)
    return _created(
        user, _call(services.early_exit_record, actor=user, cadre=cadre, decision=_decision(payload))
    )


@router.post(
    "/exits/reassignment",
    response={201: ExitDetailOut, **WRITE_ERRORS},
    summary="改任非领导职务",
    operation_id="exit_reassign",
)
def reassign(request: HttpRequest, payload: ReassignIn) -> Any:
    """``services.reassign_non_leadership``: leadership posts end, the non-leadership post begins."""
    user = actor(request)
    cadre = _cadre(user, payload.cadre_id)
    record = _call(
        services.reassign_non_leadership,
        actor=user,
        cadre=cadre,
        decision=_decision(payload),
        new_post=_post(user, payload.new_post_id),
        new_rank=payload.new_rank,
    )
    return _created(user, record)


@router.post(
    "/exits/removal",
    response={201: ExitDetailOut, **WRITE_ERRORS},
    summary="免职",
    operation_id="exit_removal",
)
def removal(request: HttpRequest, payload: ExitIn) -> Any:
    """``services.removal_record``: every current leadership post ends."""
    user = actor(request)
    cadre = _cadre(user, payload.cadre_id)
    return _created(
        user, _call(services.removal_record, actor=user, cadre=cadre, decision=_decision(payload))
    )


@router.post(
    "/exits/demotion",
    response={201: ExitDetailOut, **WRITE_ERRORS},
    summary="降职",
    operation_id="exit_demotion",
)
def demotion(request: HttpRequest, payload: DemotionIn) -> Any:
    """``services.demotion_record``: the new rank must be lower (EVAL-02)."""
    user = actor(request)
    cadre = _cadre(user, payload.cadre_id)
    record = _call(
        services.demotion_record,
        actor=user,
        cadre=cadre,
        decision=_decision(payload),
        new_rank=payload.new_rank,
        new_post=_post(user, payload.new_post_id),
    )
    return _created(user, record)


@router.post(
    "/exits/resignation",
    response={201: ExitDetailOut, **WRITE_ERRORS},
    summary="辞去公职或辞去领导职务",
    operation_id="exit_resignation",
)
def resignation(request: HttpRequest, payload: ResignationIn) -> Any:
    """``services.resignation_record``: refused while a proceeding is open (DISC-14)."""
    user = actor(request)
    cadre = _cadre(user, payload.cadre_id)
    record = _call(
        services.resignation_record,
        actor=user,
        cadre=cadre,
        decision=_decision(payload),
        entire=payload.entire,
    )
    return _created(user, record)


@router.post(
    "/exits/retirement",
    response={201: ExitDetailOut, **WRITE_ERRORS},
    summary="退休",
    operation_id="exit_retirement",
)
def retirement(request: HttpRequest, payload: RetirementIn) -> Any:
    """``services.retirement_record``: not before the statutory date without an early ground (RET-01–03)."""
    user = actor(request)
    cadre = _cadre(user, payload.cadre_id)
    record = _call(
        services.retirement_record,
        actor=user,
        cadre=cadre,
        decision=_decision(payload),
        early_ground=payload.early_ground,
    )
    return _created(user, record)


# Last: a path parameter would otherwise shadow the fixed paths above (Django tries patterns in order).
@router.get(
    "/exits/{exit_id}",
    response={200: ExitDetailOut, **READ_ERRORS},
    summary="能上能下记录详情（含任免事项）",
    operation_id="exit_get",
)
def exit_get(request: HttpRequest, exit_id: int = ExitId) -> Any:
    """One exit with the items of its document that the user may see."""
    user = actor(request)
    return _detail(user, selectors.exit_get_for_user(user=user, exit_id=exit_id))
