"""Registry services for self-service corrections: a cadre asks, an officer approves or rejects."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ganbu.accounts.models import User
from ganbu.core.access import Cap, has_cap
from ganbu.core.audit import audit_record, model_snapshot

from ..choices import CorrectionStatus
from ..models import Cadre, CorrectionRequest
from ._common import MSG_NO_EDIT, _fail, _full_clean, _require_edit_cadre

MSG_CORRECTION_CLOSED = "该更正申请已经审核过。"
MSG_CORRECTION_FIELD = "字段「{field}」不能通过自助更正修改。"

# Fields a cadre may ask to have corrected through self-service.
CORRECTABLE_FIELDS = (
    "ethnicity",
    "native_place",
    "birthplace",
    "health",
    "professional_title",
    "specialty",
    "ft_degree",
    "ft_school",
    "ip_degree",
    "ip_school",
    "democratic_party",
)


@transaction.atomic(durable=True)
def correction_submit(
    *, actor: User, field_name: str, proposed_value: str, explanation: str = ""
) -> CorrectionRequest:
    """A cadre asks for a field of their own record to be corrected; an officer reviews it."""
    if not has_cap(actor, Cap.SELF_SERVICE) or actor.cadre is None:
        raise _fail("只有干部本人可以提交信息更正申请。")
    if field_name not in CORRECTABLE_FIELDS:
        raise _fail(MSG_CORRECTION_FIELD.format(field=field_name), "field_name")
    proposed_value = proposed_value.strip()
    if not proposed_value:
        raise _fail("请填写更正后的内容。", "proposed_value")
    cadre = actor.cadre
    request = CorrectionRequest(
        cadre=cadre,
        submitted_by=actor,
        field_name=field_name,
        explanation=explanation.strip(),
        current_value=str(getattr(cadre, field_name) or ""),
        proposed_value=proposed_value,
    )
    _full_clean(request, exclude=["submitted_by", "reviewed_by"])
    request.save()
    audit_record(
        actor=actor,
        event_type="correction.submitted",
        target=request,
        after=model_snapshot(request),
        cadre_id=cadre.pk,
        unit_id=cadre.unit_id,
    )
    return request


@transaction.atomic(durable=True)
def correction_review(
    *, actor: User, request: CorrectionRequest, approve: bool, note: str = ""
) -> CorrectionRequest:
    """Approve (and apply to the record) or reject a correction request."""
    request = CorrectionRequest.objects.select_for_update().select_related("cadre").get(pk=request.pk)
    if not has_cap(actor, Cap.CORRECTION_REVIEW):
        raise _fail(MSG_NO_EDIT)
    _require_edit_cadre(actor, request.cadre)
    if request.status != CorrectionStatus.PENDING:
        raise _fail(MSG_CORRECTION_CLOSED)
    if approve:
        cadre = Cadre.objects.select_for_update().get(pk=request.cadre_id)
        before = model_snapshot(cadre, [request.field_name])
        setattr(cadre, request.field_name, request.proposed_value)
        _full_clean(cadre)
        cadre.save()
        audit_record(
            actor=actor,
            event_type="cadre.updated",
            target=cadre,
            before=before,
            after=model_snapshot(cadre, [request.field_name]),
            reason=f"采纳信息更正申请 #{request.pk}",
            cadre_id=cadre.pk,
            unit_id=cadre.unit_id,
        )
    request.status = CorrectionStatus.APPROVED if approve else CorrectionStatus.REJECTED
    request.reviewed_by = actor
    request.reviewed_at = timezone.now()
    request.review_note = note
    request.save()
    audit_record(
        actor=actor,
        event_type="correction.reviewed",
        target=request,
        after={"status": request.status, "note": note},
        cadre_id=request.cadre_id,
    )
    return request
