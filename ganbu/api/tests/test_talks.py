"""谈话 API: list and detail scoped, record a talk and a 诫勉, answer a 函询, refusals as 422, 404 by role."""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.registry.tests.factories import CadreFactory
from ganbu.talks import services
from ganbu.talks.choices import TalkKind
from ganbu.talks.models import Talk

D = dt.date


@pytest.fixture
def api_for(api_as):
    """``api_for(user)`` → an API client of that user (the shared ``api_as``)."""
    return api_as


@pytest.fixture
def supervisor(make_user):
    """A 纪委 user."""
    return make_user("supervisor", display_name="县纪委")


@pytest.fixture
def unit_officer(make_user, tree):
    """A unit personnel officer of 县财政局: no supervision capability."""
    return make_user("unit_officer", scope_unit=tree.finance)


@pytest.fixture
def cadre(tree):
    """A cadre of 县财政局."""
    return CadreFactory(unit=tree.finance, name="周谈话", birth_date=D(1980, 5, 1))


def test_record_list_get_and_answer(api_for, supervisor, cadre):
    api = api_for(supervisor)
    body = {
        "cadre_id": cadre.pk,
        "kind": "inquiry_letter",
        "held_on": "2025-03-04",
        "talkers": "县纪委第一监督检查室",
        "issue": "函询事项",
        "answer_due_on": "2025-03-25",
    }
    made = api.post("/talks", body)
    assert made.status_code == 201, made.content
    data = made.json()
    assert data["kind_label"] == "函询" and data["status"] == "awaiting_answer"
    listed = api.get("/talks", {"kind": "inquiry_letter"}).json()
    assert [t["id"] for t in listed["items"]] == [data["id"]]
    assert api.get(f"/talks/{data['id']}").json()["cadre"]["name"] == "周谈话"
    answered = api.post(f"/talks/{data['id']}/answer", {"answered_on": "2025-03-20", "answer": "说明材料"})
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    again = api.post(f"/talks/{data['id']}/answer", {"answered_on": "2025-03-21", "answer": "再答"})
    assert again.status_code == 422 and "已于2025年3月20日" in again.json()["detail"]


def test_admonishment_through_the_api(api_for, officer, cadre):
    api = api_for(officer)
    made = api.post(
        "/talks/admonishments",
        {
            "cadre_id": cadre.pk,
            "decided_on": "2025-01-10",
            "talkers": "李部长",
            "issue": "违反工作纪律",
            "months": 3,
        },
    )
    assert made.status_code == 201, made.content
    data = made.json()
    assert (data["period_end"], data["period_months"]) == ("2025-04-09", 3)
    assert "DISC-08" in data["period_basis"] and data["sanction_id"]
    refused = api.post(
        "/talks",
        {
            "cadre_id": cadre.pk,
            "kind": "admonishment",
            "held_on": "2025-01-10",
            "talkers": "李",
            "issue": "甲",
        },
    )
    assert refused.status_code == 422


def test_bad_input_and_roles(api_for, supervisor, unit_officer, make_user, cadre):
    talk = services.talk_record(
        actor=supervisor, cadre=cadre, kind=TalkKind.REMINDER, held_on=D(2025, 3, 4), talkers="王", issue="甲"
    )
    api = api_for(supervisor)
    missing = api.post(
        "/talks",
        {
            "cadre_id": 99999999,
            "kind": "reminder_talk",
            "held_on": "2025-03-04",
            "talkers": "王",
            "issue": "甲",
        },
    )
    assert missing.status_code == 422 and "cadre_id" in missing.json()["errors"]
    no_record = api.post(
        "/talks",
        {
            "cadre_id": cadre.pk,
            "kind": "integrity_talk",
            "held_on": "2025-03-04",
            "talkers": "王",
            "issue": "甲",
            "record_id": 99999999,
        },
    )
    assert no_record.status_code == 422 and "record_id" in no_record.json()["errors"]
    future = api.post(
        "/talks",
        {
            "cadre_id": cadre.pk,
            "kind": "reminder_talk",
            "held_on": "2099-03-04",
            "talkers": "王",
            "issue": "甲",
        },
    )
    assert future.status_code == 422 and "held_on" in future.json()["errors"]
    for user in (unit_officer, make_user("committee_member")):
        other = api_for(user)
        assert other.get("/talks").status_code == 404
        assert other.get(f"/talks/{talk.pk}").status_code == 404
        assert other.get("/talks/due/integrity").status_code == 404
    leader = api_for(make_user("org_leader"))
    assert leader.get(f"/talks/{talk.pk}").status_code == 200
    assert leader.post(f"/talks/{talk.pk}/held", {"held_on": "2025-03-05"}).status_code == 422
    assert Talk.objects.count() == 1
