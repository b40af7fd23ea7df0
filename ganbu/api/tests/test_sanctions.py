"""The sanctions API: recording with computed and combined periods, the register with state,
effects and deadlines, the follow-up, refusals as 422 with the regulation, and who may use it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ganbu.core.models import AuditEvent
from ganbu.registry.models import RewardSanction

pytestmark = pytest.mark.django_db


def body(cadre, **extra):
    return {
        "cadre_id": cadre.pk,
        "decided_on": "2024-01-10",
        "approving_body": "示例县监察委员会",
        "reason": "违反工作纪律",
        **extra,
    }


def test_record_combine_list_and_followup(api_as, officer, people) -> None:
    api = api_as(officer)
    first = api.post("/sanctions", body(people.zhangsan, sanction_type="warning"))
    assert first.status_code == 201, first.json()
    assert first.json()["effective_until"] == "2024-07-09"
    second = api.post(
        "/sanctions",
        body(people.zhangsan, sanction_type="demerit", decided_on="2024-05-01", known_on="2024-05-06"),
    )
    out = second.json()
    assert second.status_code == 201
    assert out["effective_until"] == "2025-07-09" and out["combined_with_id"] == first.json()["id"]
    assert "DISC-05" in out["state"]["rules"] and "DISC-16" in out["state"]["rules"]
    assert out["state"]["deadlines"][0]["what"] == "申请复核"
    listed = api.get("/sanctions", {"cadre_id": people.zhangsan.pk}).json()
    states = {item["id"]: item["state"]["status"] for item in listed["items"]}
    assert states[first.json()["id"]] == "combined"
    followup = api.post(f"/sanctions/{out['id']}/followup", {"review_received_on": "2024-05-20"})
    assert followup.status_code == 200 and followup.json()["review_received_on"] == "2024-05-20"
    assert followup.json()["known_on"] == "2024-05-06"  # not sent, not changed


def test_several_violations_out_of_range_are_a_422_naming_the_law(api_as, officer, people) -> None:
    api = api_as(officer)
    events = AuditEvent.objects.count()
    response = api.post(
        "/sanctions", body(people.zhangsan, combined_kinds=["demerit", "demerit"], combined_months=30)
    )
    assert response.status_code == 422
    assert "政务处分法》第十五条" in str(response.json())
    assert not RewardSanction.objects.exists() and AuditEvent.objects.count() == events
    ok = api.post(
        "/sanctions", body(people.zhangsan, combined_kinds=["demerit", "demerit"], combined_months=20)
    )
    assert ok.status_code == 201 and ok.json()["combined_kinds"] == ["demerit", "demerit"]


def test_unit_officers_find_no_sanctions_api(api_as, make_user, tree, people) -> None:
    unit = api_as(make_user("unit_officer", scope_unit=tree.forestry))
    assert unit.get("/sanctions").status_code == 404
    assert unit.post("/sanctions", body(people.zhangsan, sanction_type="warning")).status_code == 404


def test_the_list_runs_a_fixed_number_of_queries(api_as, officer, people) -> None:
    api = api_as(officer)
    api.post("/sanctions", body(people.zhangsan, sanction_type="warning", known_on="2024-01-11"))
    with CaptureQueriesContext(connection) as few:
        assert api.get("/sanctions").status_code == 200
    for cadre in (people.lisi, people.wangfang):
        api.post("/sanctions", body(cadre, sanction_type="demerit", known_on="2024-01-11"))
    with CaptureQueriesContext(connection) as more:
        assert len(api.get("/sanctions").json()["items"]) == 3
    assert len(more.captured_queries) == len(few.captured_queries)


def test_a_supervisor_records_a_sanction(api_as, make_user, people) -> None:
    supervisor = api_as(make_user("supervisor"))
    response = supervisor.post(
        "/sanctions",
        body(people.lisi, sanction_type="party_warning", decided_on=dt.date(2024, 3, 1).isoformat()),
    )
    assert response.status_code == 201 and response.json()["effective_until"] == "2025-02-28"
