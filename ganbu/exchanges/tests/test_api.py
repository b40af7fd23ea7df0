"""干部交流 API: records and plans scoped by role, a plan refused over a third of a team with the rule ID
and citation in its findings, carried out once corrected; readers refused writes, others 404."""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.accounts.services import api_token_create
from ganbu.api.tests.conftest import ApiClient
from ganbu.exchanges import services
from ganbu.exchanges.choices import ExchangeKind
from ganbu.exchanges.models import ExchangeRecord, RotationPlan
from ganbu.registry.models import Tenure

ON = "2026-03-02"


@pytest.fixture
def api_as():
    """``api_as(user)`` → a client sending that user's token."""

    def make(user):
        return ApiClient(api_token_create(actor=None, user=user, name="测试")[1])

    return make


def test_plan_through_the_api(api_as, officer, scene):
    api = api_as(officer)
    response = api.post("/exchanges/plans", {"title": "春季交流", "planned_on": ON})
    assert response.status_code == 201, response.content
    plan_id = response.json()["id"]
    for cadre, post in zip(scene.town.cadres[2:5], scene.spare_bureau, strict=False):
        added = api.post(f"/exchanges/plans/{plan_id}/moves", {"cadre_id": cadre.pk, "to_post_id": post.pk})
        assert added.status_code == 201, added.content
    body = api.get(f"/exchanges/plans/{plan_id}").json()
    assert body["n_moves"] == 3 and body["status"] == "draft"
    (finding,) = body["findings"]
    assert finding["rule"] == "ROT-12" and finding["blocks"] and "ROT-12" in finding["citation"]
    assert (
        api.post(f"/exchanges/plans/{plan_id}/discuss", {"discussed_on": ON, "meeting": "部务会"}).status_code
        == 200
    )
    carry = {"document_number": "示委干〔2026〕8号", "document_title": "交流任职", "issued_on": ON}
    refused = api.post(f"/exchanges/plans/{plan_id}/carry-out", carry)
    assert refused.status_code == 422 and "三分之一" in refused.content.decode("unicode_escape")
    last = next(m for m in body["moves"] if m["cadre"]["id"] == scene.town.cadres[4].pk)
    assert api.delete(f"/exchanges/plans/{plan_id}/moves/{last['id']}").status_code == 204
    api.post(f"/exchanges/plans/{plan_id}/discuss", {"discussed_on": ON, "meeting": "部务会"})
    done = api.post(f"/exchanges/plans/{plan_id}/carry-out", carry)
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "carried_out" and done.json()["document_number"] == "示委干〔2026〕8号"
    assert Tenure.objects.filter(post=scene.spare_bureau[0], end_date__isnull=True).count() == 1
    listed = api.get("/exchanges", {"kind": "transfer"}).json()
    assert listed["count"] == 2


def test_secondment_through_the_api(api_as, officer, scene):
    api = api_as(officer)
    body = {
        "cadre_id": scene.nonparty.pk,
        "kind": ExchangeKind.NONPARTY_SECONDMENT.value,
        "start_on": ON,
        "to_unit_id": scene.town.unit.pk,
        "host_post_title": "镇长助理",
        "planned_end_on": "2027-03-01",
    }
    response = api.post("/exchanges", body)
    assert response.status_code == 201, response.content
    out = response.json()
    assert (
        out["kind_label"] == "党外干部挂任"
        and out["direction"] == "county_to_town"
        and out["document_number"] == ""
    )
    assert (
        api.post(f"/exchanges/{out['id']}/end", {"ended_on": "2027-03-01"}).json()["ended_on"] == "2027-03-01"
    )
    bad = api.post("/exchanges", {**body, "cadre_id": scene.bureau.cadres[2].pk})
    assert bad.status_code == 422
    assert api.post("/exchanges", {**body, "to_unit_id": 999999}).status_code == 422
    assert ExchangeRecord.objects.count() == 1


def test_roles(api_as, officer, leader, unit_officer, make_user, scene):
    record = services.exchange_record(
        actor=officer,
        cadre=scene.town.cadres[5],
        kind=ExchangeKind.SECONDMENT,
        start_on=dt.date(2026, 3, 2),
        to_unit=scene.bureau.unit,
        host_post_title="局长助理",
        planned_end_on=dt.date(2027, 3, 2),
    )
    plan = services.plan_create(actor=officer, title="方案", planned_on=dt.date(2026, 3, 2))
    for user in (leader, unit_officer):
        api = api_as(user)
        assert api.get("/exchanges").status_code == 200
        assert api.get("/exchanges/plans").status_code == 200
        refused = api.post("/exchanges/plans", {"title": "x", "planned_on": ON})
        assert refused.status_code == 422 and "只有组织部干部科" in refused.content.decode("unicode_escape")
    assert api_as(leader).get(f"/exchanges/{record.pk}").status_code == 200
    assert api_as(unit_officer).get(f"/exchanges/{record.pk}").status_code == 404  # a town cadre
    assert api_as(unit_officer).get(f"/exchanges/plans/{plan.pk}").status_code == 404  # no move in scope
    for role in ("supervisor", "cadre", "committee_member"):
        api = api_as(make_user(role))
        assert api.get("/exchanges").status_code == 404
        assert api.post("/exchanges/plans", {"title": "x", "planned_on": ON}).status_code == 404
    assert RotationPlan.objects.count() == 1
