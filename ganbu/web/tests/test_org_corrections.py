"""Correction requests: reviewers approve or reject in scope; a cadre follows their own requests."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ganbu.core.models import AuditEvent
from ganbu.registry import services
from ganbu.registry.models import CorrectionRequest
from ganbu.registry.tests.factories import CadreFactory

from .test_org_support import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_from_ranger(tree, make_user):
    """林护 (forestry station) asks to correct 籍贯 from 示例县 to 湖南示例."""
    ranger = CadreFactory(unit=tree.station, name="林护", native_place="示例县")
    account = make_user("cadre", cadre=ranger)
    correction = services.correction_submit(
        actor=account,
        field_name="native_place",
        proposed_value="湖南示例",
        explanation="身份证登记为湖南示例",
    )
    return ranger, account, correction


def test_reviewer_sees_pending_and_approve_applies_the_change(client, officer, request_from_ranger):
    ranger, _account, correction = request_from_ranger
    client.force_login(officer)
    response = client.get(reverse("web:correction-list"))
    assert response.status_code == 200
    text = text_of(response)
    assert "林护" in text and "籍贯" in text and "湖南示例" in text and "待审核" in text

    response = client.post(
        reverse("web:correction-review", args=[correction.pk]),
        {"decision": "approve", "note": "与户籍一致"},
        follow=True,
    )
    assert "已采纳：林护的「籍贯」已更正为「湖南示例」。" in text_of(response)
    ranger.refresh_from_db()
    correction.refresh_from_db()
    assert ranger.native_place == "湖南示例"
    assert correction.status == "approved" and correction.review_note == "与户籍一致"
    assert correction.reviewed_by_id == officer.pk
    change = AuditEvent.objects.get(event_type="cadre.updated", cadre_id=ranger.pk)
    assert change.before == {"native_place": "示例县"} and change.after == {"native_place": "湖南示例"}
    # Reviewed: gone from the pending list, shown under 全部 with the note.
    assert "没有待审核的更正申请。" in text_of(client.get(reverse("web:correction-list")))
    text = text_of(client.get(reverse("web:correction-list"), {"status": "all"}))
    assert "已采纳" in text and "与户籍一致" in text


def test_reject_leaves_the_record_and_a_second_review_is_refused(client, officer, request_from_ranger):
    ranger, _account, correction = request_from_ranger
    client.force_login(officer)
    client.post(
        reverse("web:correction-review", args=[correction.pk]), {"decision": "reject", "note": "无依据"}
    )
    ranger.refresh_from_db()
    correction.refresh_from_db()
    assert ranger.native_place == "示例县" and correction.status == "rejected"

    events = AuditEvent.objects.count()
    response = client.post(
        reverse("web:correction-review", args=[correction.pk]), {"decision": "approve"}, follow=True
    )
    assert "林护的更正申请未能处理：该更正申请已经审核过。" in text_of(response)
    ranger.refresh_from_db()
    assert ranger.native_place == "示例县" and AuditEvent.objects.count() == events


def test_cadre_sees_own_requests_with_status_and_cannot_review(client, tree, make_user, request_from_ranger):
    _ranger, account, correction = request_from_ranger
    other = make_user("cadre", cadre=CadreFactory(unit=tree.finance, name="冯账"))
    services.correction_submit(actor=other, field_name="health", proposed_value="良好")
    client.force_login(account)
    response = client.get(reverse("web:correction-list"))
    assert response.status_code == 200
    text = text_of(response)
    assert "我的信息更正申请" in text and "湖南示例" in text and "待审核" in text and "良好" not in text
    assert "采纳" not in text.replace("待审核", "")  # no review buttons for the applicant
    response = client.post(reverse("web:correction-review", args=[correction.pk]), {"decision": "approve"})
    assert response.status_code == 404
    correction.refresh_from_db()
    assert correction.status == "pending"


def test_reviewer_outside_scope_neither_sees_nor_reviews(client, tree, make_user, request_from_ranger):
    _ranger, _account, correction = request_from_ranger
    finance_officer = make_user("unit_officer", scope_unit=tree.finance)
    client.force_login(finance_officer)
    assert "林护" not in text_of(client.get(reverse("web:correction-list")))
    response = client.post(reverse("web:correction-review", args=[correction.pk]), {"decision": "approve"})
    assert response.status_code == 404
    assert CorrectionRequest.objects.get(pk=correction.pk).status == "pending"


def test_auditor_has_no_correction_page(client, make_user):
    client.force_login(make_user("auditor"))
    assert client.get(reverse("web:correction-list")).status_code == 404
