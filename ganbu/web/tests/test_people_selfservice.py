"""Self-service: a cadre reads their own record and submits a correction (services.correction_submit)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ganbu.core.models import AuditEvent
from ganbu.registry import services
from ganbu.registry.models import CorrectionRequest

from .test_people_support import id_number, make_cadre, text_of, written

pytestmark = pytest.mark.django_db
URL = "/me/"
ID = id_number(dt.date(1980, 5, 17), "M")


@pytest.fixture
def me(officer, tree):
    cadre = make_cadre(officer, tree.finance, "张三", id_number=ID, health="健康")
    services.family_member_save(actor=officer, cadre=cadre, data={"relation": "妻子", "name": "王某"})
    return cadre


@pytest.fixture
def me_user(make_user, me):
    return make_user("cadre", cadre=me)


def test_url_name():
    assert reverse("web:my-record") == URL


def test_cadre_sees_their_own_record_read_only(client, me, me_user):
    client.force_login(me_user)
    response = client.get(URL)
    assert response.status_code == 200
    text = text_of(response)
    html = response.content.decode()
    assert "干部任免审批表" in text and "张三" in text and "县财政局" in text
    assert ID in text and "王某" in text  # their own sensitive data is theirs to see
    assert reverse("web:cadre-edit", args=[me.pk]) not in html
    assert reverse("web:cadre-family-add", args=[me.pk]) not in html
    assert "申请更正信息" in text


def test_correction_submission_creates_a_request_and_one_audit_event(client, me, me_user):
    client.force_login(me_user)
    events = AuditEvent.objects.count()
    response = client.post(URL, {"field_name": "health", "proposed_value": "良好", "explanation": "体检报告"})
    assert response.status_code == 302 and response["Location"] == URL
    request = CorrectionRequest.objects.get()
    assert (request.cadre, request.submitted_by, request.field_name) == (me, me_user, "health")
    assert (request.current_value, request.proposed_value, request.status) == ("健康", "良好", "pending")
    assert AuditEvent.objects.count() == events + 1
    page = client.get(URL)
    text = text_of(page)
    assert "更正申请已提交" in text
    assert "健康状况 健康 良好 待审核" in text


def test_bad_correction_rerenders_with_errors_and_writes_nothing(client, me, me_user):
    client.force_login(me_user)
    before = written()
    response = client.post(URL, {"field_name": "name", "proposed_value": "  "})
    assert response.status_code == 200
    form = response.context["correction_form"]
    assert form.errors["proposed_value"] == ["请填写更正后的内容。"]
    assert form.errors["field_name"]  # 姓名 may not be corrected through self-service
    assert "什么也没有写入" in text_of(response)
    assert written() == before


@pytest.mark.parametrize("role", ["org_officer", "auditor", "committee_member"])
def test_my_record_is_404_for_other_roles(client, tree, make_user, role):
    client.force_login(make_user(role))
    assert client.get(URL).status_code == 404


def test_cadre_account_without_a_record_gets_404(client, make_user):
    client.force_login(make_user("cadre"))
    assert client.get(URL).status_code == 404
