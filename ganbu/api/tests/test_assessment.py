"""The assessment API: a round from creation to close, refusals as 422 with nothing written, scope."""

from __future__ import annotations

import pytest

from ganbu.assessment.models import AssessmentRound, Consequence
from ganbu.registry.models import Assessment
from ganbu.registry.tests.factories import CadreFactory


@pytest.fixture
def cadres(tree):
    """Five serving cadres of 县财政局 (2020 rules: 优秀 at most 1 of 5)."""
    return [CadreFactory(unit=tree.finance) for _ in range(5)]


def _round(api, tree) -> dict:
    response = api.post(
        "/assessment/rounds", {"unit_id": tree.finance.pk, "year": 2024, "held_on": "2025-01-15"}
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_round_from_creation_to_close(api_as, officer, tree, cadres):
    api = api_as(officer)
    created = _round(api, tree)
    rid = created["id"]
    entries = api.post(f"/assessment/rounds/{rid}/entries", {"fill": True}).json()
    assert len(entries) == 5
    ballot = api.post(f"/assessment/rounds/{rid}/ballot", {})
    assert ballot.status_code == 200 and ballot.json()["ballot_id"]
    for i, entry in enumerate(entries):
        grade = "excellent" if i < 2 else ("incompetent" if i == 4 else "competent")
        response = api.put(
            f"/assessment/rounds/{rid}/entries/{entry['id']}", {"final_grade": grade, "morality": 88}
        )
        assert response.status_code == 200, response.content
    refused = api.post(f"/assessment/rounds/{rid}/close", {"closed_on": "2025-01-20"})
    assert refused.status_code == 422
    text = str(refused.json())
    assert "EVAL-06" in text and "超过最高比例" in text
    assert not Assessment.objects.exists()
    api.put(f"/assessment/rounds/{rid}/entries/{entries[1]['id']}", {"final_grade": "competent"})
    closed = api.post(f"/assessment/rounds/{rid}/close", {"closed_on": "2025-01-20"})
    assert closed.status_code == 200, closed.content
    body = closed.json()
    assert body["status"] == "closed" and len(body["entries"]) == 5
    [consequence] = body["consequences"]
    assert consequence["kind"] == "demotion" and consequence["rule"] == "EVAL-02"
    assert Assessment.objects.filter(year=2024).count() == 5
    listed = api.get("/assessment/consequences", {"open": True}).json()
    assert listed["count"] == 1
    handled = api.post(
        f"/assessment/consequences/{consequence['id']}/handle", {"handled_on": "2025-02-01", "note": "已降职"}
    )
    assert handled.status_code == 200 and handled.json()["status"] == "handled"
    assert Consequence.objects.get().status == "handled"


def test_bad_score_is_422(api_as, officer, tree, cadres):
    api = api_as(officer)
    rid = _round(api, tree)["id"]
    [entry, *_] = api.post(f"/assessment/rounds/{rid}/entries", {"fill": True}).json()
    response = api.put(f"/assessment/rounds/{rid}/entries/{entry['id']}", {"morality": 101})
    assert response.status_code == 422


def test_unit_officer_outside_scope(api_as, officer, make_user, tree, cadres):
    rid = _round(api_as(officer), tree)["id"]
    other = api_as(make_user("unit_officer", scope_unit=tree.forestry))
    assert other.get(f"/assessment/rounds/{rid}").status_code == 404
    refused = other.post(
        "/assessment/rounds", {"unit_id": tree.finance.pk, "year": 2024, "held_on": "2025-01-15"}
    )
    assert refused.status_code == 422
    assert AssessmentRound.objects.count() == 1


def test_roles_without_assessment_get_404(api_as, make_user):
    assert api_as(make_user("supervisor")).get("/assessment/rounds").status_code == 404
