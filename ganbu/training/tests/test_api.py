"""The training API: the flow through its operations, refusals as 422 with the rule, scope as 404."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ganbu.api.tests.conftest import ApiClient
from ganbu.training.choices import EnrollmentStatus


@pytest.fixture
def api_as(db):
    from ganbu.accounts.services import api_token_create

    def _make(user):
        return ApiClient(api_token_create(actor=None, user=user, name="测试")[1])

    return _make


def test_flow_through_the_api(api_as, officer, unit_officer, finance_cadres, town_cadre):
    api = api_as(officer)
    year = timezone.localdate().year
    program = api.post(
        "/training/programs",
        {
            "title": "中层干部轮训",
            "year": year,
            "target_group": "middle",
            "purpose": "rotation",
            "organizer": "county_school",
            "mode": "off_the_job",
        },
    )
    assert program.status_code == 201, program.json()
    klass = api.post(
        f"/training/programs/{program.json()['id']}/classes",
        {
            "title": "第一期",
            "start_date": f"{year}-01-05",
            "end_date": f"{year}-01-09",
            "total_hours": "70",
            "capacity": 3,
        },
    )
    assert klass.status_code == 201, klass.json()
    class_id = klass.json()["id"]
    assert klass.json()["days"] == 5 and klass.json()["absence_limit"] == "10"
    too_many = api.post(
        f"/training/classes/{class_id}/enrollments",
        {"cadre_ids": [c.pk for c in finance_cadres] + [town_cadre.pk]},
    )
    assert too_many.status_code == 422 and "超过计划人数" in str(too_many.json())
    made = api.post(
        f"/training/classes/{class_id}/enrollments", {"cadre_ids": [c.pk for c in finance_cadres]}
    )
    assert made.status_code == 201 and len(made.json()) == 3
    first, second = made.json()[0]["id"], made.json()[1]["id"]
    out = api.post(f"/training/enrollments/{second}/attendance", {"absence_hours": "10.1"})
    assert out.json()["status"] == EnrollmentStatus.WITHDRAWN and out.json()["rule"] == "TRN-04"
    closed = api.post(
        f"/training/classes/{class_id}/close",
        {
            "closed_on": f"{year}-01-09",
            "results": [{"enrollment_id": first, "result": "excellent", "score": "92.5"}],
        },
    )
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    record = api.get(f"/training/cadres/{finance_cadres[0].pk}/record").json()
    assert record[0]["certificate_no"].endswith("-001号")
    hours = api.get(f"/training/cadres/{finance_cadres[0].pk}/hours", {"year": year}).json()
    assert hours["year_days"] == 5 and hours["year_hours"] == "70" and hours["rule"] == "TRN-02"
    cov = api.get("/training/coverage").json()
    assert cov["trained"] == 2 and cov["total"] == 4
    names = {row["name"] for row in api.get("/training/coverage/not-trained").json()["items"]}
    assert names == {"乙培训", "丁城关"}
    assert api.get("/training/appointment-due").status_code == 200
    # A unit officer reads their subtree, may not write, and does not see the town's cadre.
    reader = api_as(unit_officer)
    assert reader.get(f"/training/cadres/{town_cadre.pk}/hours").status_code == 404
    refused = reader.post(f"/training/enrollments/{first}/attendance", {"absence_hours": "1"})
    assert refused.status_code == 422


def test_roles_without_training_get_404(api_as, make_user):
    api = api_as(make_user("supervisor"))
    assert api.get("/training/programs").status_code == 404
    assert api.get("/training/coverage").status_code == 404
