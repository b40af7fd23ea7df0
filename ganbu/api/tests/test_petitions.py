"""信访举报 API: the public submit (429, no address) and track, the staff desk scoped by body and assignee."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from ganbu.petitions import services
from ganbu.petitions.models import Petition
from ganbu.registry.models import RewardSanction
from ganbu.registry.tests.factories import CadreFactory
from ganbu.selection.models import SubmissionThrottle


@pytest.fixture
def supervisor(make_user):
    """A 纪委 user."""
    return make_user("supervisor", display_name="县纪委信访室")


@pytest.fixture
def cadre(tree):
    """A cadre of 县财政局."""
    return CadreFactory(unit=tree.finance, name="钱被举", birth_date=dt.date(1978, 3, 1))


def _public(data: dict[str, object], addr: str = "192.0.2.40"):
    return Client().post(
        "/api/v1/public/petitions", json.dumps(data), content_type="application/json", REMOTE_ADDR=addr
    )


BODY = {"about": "县财政局 钱某", "content": "钱某多次收受购物卡，请组织核查。", "anonymous": True}


@pytest.mark.django_db
def test_public_submit_returns_the_code_once_and_tracks_it():
    response = _public({**BODY, "name": "不会保存"})
    assert response.status_code == 201
    code = response.json()["tracking_code"]
    petition = Petition.objects.get()
    assert petition.tracking_code == code and petition.name == ""
    tracked = Client().get(f"/api/v1/public/petitions/track/{code.lower()}")
    assert tracked.status_code == 200
    body = tracked.json()
    assert body["status"] == "received" and "content" not in body and "about" not in body
    assert Client().get("/api/v1/public/petitions/track/ZZZZ-ZZZZ-ZZZZ").status_code == 404


@pytest.mark.django_db
def test_public_bad_input_422_and_throttle_429():
    assert _public({**BODY, "content": "短"}).status_code == 422
    assert _public({**BODY, "anonymous": False}).status_code == 422
    assert _public({**BODY, "extra": 1}).status_code == 422
    assert not Petition.objects.exists() and not SubmissionThrottle.objects.exists()
    for _ in range(services.THROTTLE_MAX):
        assert _public(BODY, addr="203.0.113.50").status_code == 201
    refused = _public(BODY, addr="203.0.113.50")
    assert refused.status_code == 429 and refused["Retry-After"] == "3600"


def test_staff_flow_to_reminder_talk_and_scope(api_as, officer, supervisor, cadre, make_user):
    today = timezone.localdate().isoformat()
    staff = api_as(supervisor)
    created = staff.post(
        "/petitions",
        {
            "channel": "call",
            "received_on": today,
            "about": "县财政局 钱某",
            "content": BODY["content"],
            "anonymous": True,
        },
    )
    assert created.status_code == 201
    pid = created.json()["id"]
    assert created.json()["intake_body"] == "discipline"
    officer_api = api_as(officer)
    assert officer_api.get(f"/petitions/{pid}").status_code == 404
    assert officer_api.get("/petitions").json()["count"] == 0
    refused = api_as(make_user("unit_officer")).post(
        "/petitions",
        {"channel": "call", "received_on": today, "about": "某", "content": BODY["content"]},
    )
    assert refused.status_code == 422 and "只有纪委监委" in refused.json()["detail"]
    assert staff.post(f"/petitions/{pid}/assign", {"assignee_id": 999999}).status_code == 422
    assert staff.post(f"/petitions/{pid}/assign", {"assignee_id": supervisor.pk}).status_code == 200
    assert (
        staff.post(f"/petitions/{pid}/cadres", {"cadre_ids": [cadre.pk]}).json()["cadres"][0]["id"]
        == cadre.pk
    )
    assert staff.post(f"/petitions/{pid}/verify", {"notes": "核查属实"}).json()["status"] == "verifying"
    no_cadre = staff.post(
        f"/petitions/{pid}/conclude", {"conclusion": "reminder_talk", "reply": "已谈话提醒"}
    )
    assert no_cadre.status_code == 422 and "cadre_id" in no_cadre.json()["errors"]
    done = staff.post(
        f"/petitions/{pid}/conclude",
        {
            "conclusion": "reminder_talk",
            "reply": "已谈话提醒",
            "cadre_id": cadre.pk,
            "held_on": today,
            "talkers": "王书记",
        },
    )
    assert done.status_code == 200 and done.json()["status"] == "concluded" and done.json()["talk_id"]
    assert not RewardSanction.objects.exists()
