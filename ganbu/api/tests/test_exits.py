"""The exits API: every service and the due lists, 422 with the Chinese refusal, 404 out of scope,
and proceedings that do not exist for roles that may not know of them."""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.exits import services
from ganbu.exits.models import ExitRecord, IncompetenceCase, Proceeding
from ganbu.exits.tests.helpers import decision, leader, make_posts, run_evaluation, written
from ganbu.rules.exits import MSG_RESIGNATION_BLOCKED_GENERIC
from ganbu.voting import services as voting
from ganbu.voting.choices import BallotKind

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def posts(tree):
    return make_posts(tree)


def body(cadre, number="示委〔2025〕1号", on="2025-06-15", **extra):
    return {
        "cadre_id": cadre.pk,
        "document_number": number,
        "decided_on": on,
        "effective_on": on,
        "reason": "按规定办理",
        **extra,
    }


def test_early_exit_creates_the_record_with_its_items_and_is_listed(officer, api_as, posts):
    cadre = leader(officer, posts.deputy, D(1970, 6, 15))
    api = api_as(officer)
    response = api.post("/exits/early-exit", body(cadre))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["kind"] == "early_exit" and data["kind_label"] == "离岗退养"
    assert data["document"]["name"] == "示委〔2025〕1号" and data["case_id"] is None
    assert [(i["kind"], i["post"]["name"]) for i in data["items"]] == [("remove", "副局长")]
    listed = api.get("/exits", {"year": 2025}).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == data["id"]
    assert api.get("/exits", {"year": 2024}).json()["count"] == 0
    assert api.get(f"/exits/{data['id']}").json()["basis"] == data["basis"]


def test_a_refusal_is_a_422_with_the_rule_and_nothing_is_written(officer, api_as, posts):
    cadre = leader(officer, posts.deputy, D(1970, 6, 15))
    api = api_as(officer)  # creating the token is audited: take the snapshot after it
    before = written()
    response = api.post("/exits/early-exit", body(cadre, on="2025-06-14"))
    assert response.status_code == 422
    [message] = response.json()["errors"]["effective_on"]
    assert "尚未达到本县离岗退养年龄" in message and "RET-06" in message
    assert written() == before


def test_malformed_input_is_a_422(officer, api_as, posts):
    cadre = leader(officer, posts.deputy, D(1970, 6, 15))
    api = api_as(officer)
    for bad in (
        {"extra": 1},
        {"effective_on": "2025-02-30"},
        {"effective_on": "0001-01-01"},
        {"cadre_id": 0},
    ):
        response = api.post("/exits/early-exit", {**body(cadre), **bad})
        assert response.status_code == 422, bad
    assert api.get("/exits/due/early-exit").status_code == 422
    assert api.get("/exits/due/early-exit", {"year": 99999}).status_code == 422
    assert not ExitRecord.objects.exists()


def test_a_unit_officer_of_another_subtree_gets_404_and_cannot_name_the_cadre(
    officer, api_as, make_user, tree, posts
):
    cadre = leader(officer, posts.deputy, D(1970, 6, 15))
    record = services.early_exit_record(
        actor=officer, cadre=cadre, decision=decision("示委〔2025〕2号", D(2025, 6, 15))
    )
    other = leader(officer, posts.head, D(1970, 1, 1))
    api = api_as(make_user("unit_officer", scope_unit=tree.forestry))
    assert api.get(f"/exits/{record.pk}").status_code == 404
    assert api.get("/exits").json()["count"] == 0
    response = api.post("/exits/removal", body(other, number="示林〔2025〕1号"))
    assert response.status_code == 422
    assert response.json()["errors"] == {"cadre_id": ["干部不存在或不在您的管理范围内。"]}
    assert api.get("/exits/due/early-exit", {"year": 2025}).json() == []


def test_reassignment_demotion_and_removal(officer, api_as, posts):
    api = api_as(officer)
    first = leader(officer, posts.deputy, D(1970, 1, 1))
    response = api.post("/exits/reassignment", {**body(first), "new_post_id": posts.head.pk})
    assert response.status_code == 422 and "是领导职务" in response.json()["errors"]["new_post_id"][0]
    response = api.post(
        "/exits/reassignment", {**body(first), "new_post_id": posts.clerk.pk, "new_rank": "staff"}
    )
    assert response.status_code == 201
    assert [i["kind"] for i in response.json()["items"]] == ["remove", "appoint", "rank"]

    second = leader(officer, posts.head, D(1975, 1, 1))
    response = api.post("/exits/demotion", {**body(second, number="示委〔2025〕3号"), "new_rank": "section"})
    assert response.status_code == 422 and "并未降低" in response.json()["errors"]["new_rank"][0]
    response = api.post(
        "/exits/demotion",
        {
            **body(second, number="示委〔2025〕3号"),
            "new_rank": "deputy_section",
            "new_post_id": posts.deputy.pk,
        },
    )
    assert response.status_code == 201 and response.json()["previous_rank"] == "section"

    third = leader(officer, posts.station_head, D(1976, 1, 1))
    response = api.post("/exits/removal", body(third, number="示委〔2025〕4号"))
    assert response.status_code == 201 and response.json()["kind"] == "removal"


def test_resignation_during_a_proceeding_detailed_for_the_department_generic_for_a_unit_officer(
    officer, api_as, make_user, tree, posts
):
    cadre = leader(officer, posts.station_head, D(1980, 1, 1))
    supervisor = api_as(make_user("supervisor"))
    response = supervisor.post(
        "/exits/proceedings",
        {"cadre_id": cadre.pk, "kind": "audit", "body": "县审计局", "started_on": "2025-01-01"},
    )
    assert response.status_code == 201 and response.json()["kind_label"] == "审计"
    proceeding_id = response.json()["id"]

    department = api_as(officer)
    unit = api_as(make_user("unit_officer", scope_unit=tree.forestry))
    before = written()
    detailed = department.post("/exits/resignation", {**body(cadre), "entire": True})
    assert detailed.status_code == 422 and "县审计局" in detailed.json()["detail"]
    generic = unit.post("/exits/resignation", {**body(cadre, number="示林〔2025〕2号"), "entire": False})
    assert generic.status_code == 422 and generic.json()["detail"] == MSG_RESIGNATION_BLOCKED_GENERIC
    assert written() == before

    # The unit officer cannot look the proceeding up either: the endpoints do not exist for them.
    assert unit.get("/exits/proceedings").status_code == 404
    assert (
        unit.post(f"/exits/proceedings/{proceeding_id}/close", {"ended_on": "2025-02-01"}).status_code == 404
    )

    listed = supervisor.get("/exits/proceedings", {"cadre_id": cadre.pk, "open": "true"}).json()
    assert [p["body"] for p in listed["items"]] == ["县审计局"]
    closed = supervisor.post(f"/exits/proceedings/{proceeding_id}/close", {"ended_on": "2025-02-01"})
    assert closed.status_code == 200 and closed.json()["ended_on"] == "2025-02-01"
    again = supervisor.post(f"/exits/proceedings/{proceeding_id}/close", {"ended_on": "2025-03-01"})
    assert again.status_code == 422
    response = unit.post("/exits/resignation", {**body(cadre, number="示林〔2025〕2号"), "entire": False})
    assert response.status_code == 201 and response.json()["kind"] == "resignation_post"


def test_proceedings_are_404_for_committee_members(api_as, make_user):
    assert api_as(make_user("committee_member")).get("/exits/proceedings").status_code == 404
    assert not Proceeding.objects.exists()


def test_retirement_before_the_statutory_date_needs_a_ground(officer, api_as, posts):
    cadre = leader(officer, posts.deputy, D(1965, 1, 15), work_start_date=D(1985, 7, 1))
    api = api_as(officer)
    response = api.post("/exits/retirement", body(cadre, on="2025-01-31"))  # the month before February 2025
    assert response.status_code == 422 and "法定退休年龄60周岁1个月" in response.json()["detail"]
    response = api.post("/exits/retirement", {**body(cadre, on="2025-01-31"), "early_ground": "service_30"})
    assert response.status_code == 201 and response.json()["early_ground"] == "service_30"
    assert api.post("/exits/retirement", {**body(cadre), "early_ground": "bogus"}).status_code == 422


def test_due_lists(officer, api_as, posts, tree):
    leader(officer, posts.deputy, D(1975, 8, 1), gender="F", name="女甲")
    leader(officer, posts.head, D(1965, 1, 15), name="男乙")
    api = api_as(officer)
    early = api.get("/exits/due/early-exit", {"year": 2025}).json()
    assert [(r["cadre"]["name"], r["reaches_on"], r["age"]) for r in early] == [("女甲", "2025-08-01", 50)]
    retiring = api.get("/exits/due/retirement", {"year": 2025}).json()
    assert [(r["cadre"]["name"], r["retires_on"], r["age"]) for r in retiring] == [
        ("男乙", "2025-02-15", "60周岁1个月")
    ]


def test_incompetence_case_through_the_api(officer, api_as, make_user, posts, tree):
    cadre = leader(officer, posts.head, D(1975, 1, 1))
    ballot = voting.ballot_create(
        actor=officer, kind=BallotKind.EVALUATION, title="年度民主测评", unit=tree.finance, threshold="3/10"
    )
    item = voting.ballot_item_add(actor=officer, ballot=ballot, cadre=cadre)
    result = run_evaluation(officer, ballot, item, ["incompetent"] * 4 + ["competent"] * 6)
    api = api_as(officer)
    response = api.post("/exits/cases", {"evaluation_id": result.pk, "opened_on": "2025-03-01"})
    assert response.status_code == 201, response.content
    case = response.json()
    assert case["step"] == "opened" and case["cadre"]["id"] == cadre.pk
    adjustment = {
        "kind": "demotion",
        "document_number": "示委〔2025〕9号",
        "decided_on": "2025-04-01",
        "effective_on": "2025-04-01",
        "reason": "经考察认定不称职",
        "new_rank": "deputy_section",
    }
    refused = api.post(f"/exits/cases/{case['id']}/adjustment", adjustment)
    assert refused.status_code == 422 and "须先完成组织考察并认定不称职" in refused.json()["detail"]
    conclusion = {
        "confirmed": True,
        "conclusion": "认定不称职",
        "inspected_on": "2025-03-20",
        "inspectors": "王考察",
    }
    assert api.post(f"/exits/cases/{case['id']}/conclusion", conclusion).json()["step"] == "confirmed"
    done = api.post(f"/exits/cases/{case['id']}/adjustment", adjustment)
    assert (
        done.status_code == 201 and done.json()["case_id"] == case["id"] and done.json()["kind"] == "demotion"
    )
    assert api.get(f"/exits/cases/{case['id']}").json()["step"] == "adjusted"
    assert api.get("/exits/cases").json()["count"] == 1
    unit = api_as(make_user("unit_officer", scope_unit=tree.forestry))
    assert unit.get(f"/exits/cases/{case['id']}").status_code == 404
    assert unit.get("/exits/cases").status_code == 404
    unknown = api.post("/exits/cases", {"evaluation_id": 10**9, "opened_on": "2025-03-01"})
    assert unknown.status_code == 422 and "evaluation_id" in unknown.json()["errors"]
    assert IncompetenceCase.objects.count() == 1
