"""Self-service corrections: a cadre submits, an officer approves (applied) or rejects (not applied)."""

from __future__ import annotations

import pytest

from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditEvent
from ganbu.registry.choices import CorrectionStatus
from ganbu.registry.models import CorrectionRequest
from ganbu.registry.services import correction_review, correction_submit
from ganbu.registry.tests.factories import CadreFactory


@pytest.fixture
def me(tree):
    return CadreFactory(unit=tree.station, name="周林", specialty="营林")


@pytest.fixture
def account(make_user, me):
    return make_user("cadre", cadre=me, display_name="周林")


@pytest.fixture
def request_(account):
    return correction_submit(
        actor=account, field_name="specialty", proposed_value=" 林业经济管理 ", explanation="已取得中级职称"
    )


def test_submit_records_the_current_value_and_one_event(request_, account, me) -> None:
    assert (request_.cadre, request_.current_value, request_.proposed_value) == (me, "营林", "林业经济管理")
    assert request_.status == CorrectionStatus.PENDING
    event = AuditEvent.objects.get()
    assert (event.event_type, event.actor, event.cadre_id) == ("correction.submitted", account, me.pk)


def test_approve_applies_the_value_with_two_events(request_, officer, me) -> None:
    correction_review(actor=officer, request=request_, approve=True, note="核实无误")
    me.refresh_from_db()
    assert me.specialty == "林业经济管理"
    request_.refresh_from_db()
    assert (request_.status, request_.reviewed_by, request_.review_note) == (
        CorrectionStatus.APPROVED,
        officer,
        "核实无误",
    )
    updated, reviewed = AuditEvent.objects.filter(seq__gt=1).order_by("seq")
    assert updated.event_type == "cadre.updated"
    assert (updated.before, updated.after) == ({"specialty": "营林"}, {"specialty": "林业经济管理"})
    assert updated.reason == f"采纳信息更正申请 #{request_.pk}"
    assert (reviewed.event_type, reviewed.after) == (
        "correction.reviewed",
        {"status": "approved", "note": "核实无误"},
    )


def test_reject_does_not_apply(request_, officer, me) -> None:
    correction_review(actor=officer, request=request_, approve=False, note="证明材料不足")
    me.refresh_from_db()
    assert me.specialty == "营林"
    request_.refresh_from_db()
    assert request_.status == CorrectionStatus.REJECTED
    assert list(AuditEvent.objects.order_by("seq").values_list("event_type", flat=True)) == [
        "correction.submitted",
        "correction.reviewed",
    ]


def test_second_review_is_refused(request_, officer, me) -> None:
    correction_review(actor=officer, request=request_, approve=False)
    count = AuditEvent.objects.count()
    with pytest.raises(ServiceError, match="已经审核过"):
        correction_review(actor=officer, request=request_, approve=True)
    me.refresh_from_db()
    assert me.specialty == "营林"
    assert AuditEvent.objects.count() == count


def test_reviewers_need_capability_and_scope(request_, make_user, tree) -> None:
    outside = make_user("unit_officer", scope_unit=tree.finance)
    leader = make_user("org_leader")
    for reviewer in (outside, leader):
        with pytest.raises(ServiceError):
            correction_review(actor=reviewer, request=request_, approve=True)
    assert CorrectionRequest.objects.get(pk=request_.pk).status == CorrectionStatus.PENDING
    inside = make_user("unit_officer", scope_unit=tree.forestry)
    correction_review(actor=inside, request=request_, approve=True)
    assert CorrectionRequest.objects.get(pk=request_.pk).status == CorrectionStatus.APPROVED


def test_only_correctable_fields_and_only_cadres(account, officer) -> None:
    with pytest.raises(ServiceError) as exc:
        correction_submit(actor=account, field_name="birth_date", proposed_value="1970-01-01")
    assert exc.value.message_dict == {"field_name": ["字段「birth_date」不能通过自助更正修改。"]}
    with pytest.raises(ServiceError) as exc:
        correction_submit(actor=account, field_name="health", proposed_value="   ")
    assert exc.value.message_dict == {"proposed_value": ["请填写更正后的内容。"]}
    with pytest.raises(ServiceError, match="只有干部本人"):
        correction_submit(actor=officer, field_name="health", proposed_value="良好")
    assert not CorrectionRequest.objects.exists()
    assert not AuditEvent.objects.exists()
