"""OpenAPI schema, error bodies, and robustness: bad input is never a 500 or a stack trace."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from ganbu.registry.models import Cadre, Post

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")
EXPECTED_OPERATIONS = {
    ("get", "/api/v1/units"),
    ("get", "/api/v1/units/{unit_id}"),
    ("get", "/api/v1/posts"),
    ("post", "/api/v1/posts"),
    ("get", "/api/v1/posts/{post_id}"),
    ("get", "/api/v1/cadres"),
    ("post", "/api/v1/cadres"),
    ("get", "/api/v1/cadres/{cadre_id}"),
    ("patch", "/api/v1/cadres/{cadre_id}"),
    ("get", "/api/v1/cadres/{cadre_id}/tenures"),
    ("get", "/api/v1/cadres/{cadre_id}/family"),
    ("get", "/api/v1/tenures"),
    ("get", "/api/v1/documents"),
    ("post", "/api/v1/documents"),
    ("get", "/api/v1/documents/{document_id}"),
    ("post", "/api/v1/voting/ballots"),
    ("get", "/api/v1/voting/ballots/{ballot_id}"),
    ("post", "/api/v1/voting/ballots/{ballot_id}/items"),
    ("post", "/api/v1/voting/ballots/{ballot_id}/members"),
    ("put", "/api/v1/voting/ballots/{ballot_id}/members/{voter_id}/attendance"),
    ("post", "/api/v1/voting/ballots/{ballot_id}/open"),
    ("post", "/api/v1/voting/ballots/{ballot_id}/key"),
    ("post", "/api/v1/voting/ballots/{ballot_id}/purge"),
    ("post", "/api/v1/voting/ballots/{ballot_id}/credentials"),
    ("get", "/api/v1/voting/ballots/{ballot_id}/progress"),
    ("post", "/api/v1/voting/ballots/{ballot_id}/close"),
    ("post", "/api/v1/voting/ballots/{ballot_id}/tally"),
    ("post", "/api/v1/voting/ballots/{ballot_id}/publish"),
    ("get", "/api/v1/voting/ballots/{ballot_id}/results"),
    ("post", "/api/v1/voting/ballots/{ballot_id}/committee-cast"),
    ("post", "/api/v1/voting/ballots/{ballot_id}/cast"),
    ("get", "/api/v1/voting/ballots/{ballot_id}/receipts"),
    ("get", "/api/v1/voting/ballots/{ballot_id}/items"),
    ("get", "/api/v1/voting/ballots/{ballot_id}/members"),
    ("delete", "/api/v1/voting/ballots/{ballot_id}/members/{voter_id}"),
    ("put", "/api/v1/voting/ballots/{ballot_id}/members/{voter_id}/recusals/{item_id}"),
    ("put", "/api/v1/voting/ballots/{ballot_id}/attendance"),
    ("get", "/api/v1/voting/ballots/{ballot_id}/paper"),
    ("put", "/api/v1/voting/ballots/{ballot_id}/paper/{item_id}"),
    ("post", "/api/v1/voting/ballots/{ballot_id}/paper/{item_id}/confirm"),
    ("post", "/api/v1/voting/ballots/{ballot_id}/paper-sheets"),
    ("delete", "/api/v1/voting/ballots/{ballot_id}/paper-sheets"),
    ("get", "/api/v1/voting/ballots/{ballot_id}/result-sheet"),
    ("get", "/api/v1/selection/records"),
    ("post", "/api/v1/selection/records"),
    ("get", "/api/v1/selection/records/{record_id}"),
    ("post", "/api/v1/selection/records/{record_id}/talk-surveys"),
    ("put", "/api/v1/selection/records/{record_id}/recommendation-ballot"),
    ("post", "/api/v1/selection/records/{record_id}/recommendation/complete"),
    ("post", "/api/v1/selection/records/{record_id}/candidates"),
    ("post", "/api/v1/selection/records/{record_id}/overrides"),
    ("get", "/api/v1/selection/records/{record_id}/exceptions"),
    ("post", "/api/v1/selection/records/{record_id}/preannouncement"),
    ("post", "/api/v1/selection/records/{record_id}/inspection"),
    ("put", "/api/v1/selection/records/{record_id}/candidates/{candidate_id}/checks"),
    ("put", "/api/v1/selection/records/{record_id}/inspection-ballot"),
    ("post", "/api/v1/selection/records/{record_id}/inspection/complete"),
    ("post", "/api/v1/selection/records/{record_id}/opinion-requests"),
    ("get", "/api/v1/selection/opinion-requests"),
    ("post", "/api/v1/selection/opinion-requests/{request_id}/answer"),
    ("post", "/api/v1/selection/records/{record_id}/opinions/complete"),
    ("post", "/api/v1/selection/records/{record_id}/department-meeting"),
    ("post", "/api/v1/selection/records/{record_id}/committee-vote"),
    ("post", "/api/v1/selection/records/{record_id}/committee-vote/complete"),
    ("post", "/api/v1/selection/records/{record_id}/announcement"),
    ("post", "/api/v1/selection/records/{record_id}/public-notice"),
    ("post", "/api/v1/selection/records/{record_id}/appointment"),
    ("post", "/api/v1/selection/records/{record_id}/feedback"),
    ("get", "/api/v1/selection/probations"),
    ("post", "/api/v1/selection/probations/{probation_id}/conclude"),
    ("post", "/api/v1/selection/records/{record_id}/probation/finish"),
    ("post", "/api/v1/selection/records/{record_id}/withdraw"),
    ("get", "/api/v1/policy"),
    ("post", "/api/v1/policy/{key}"),
    ("get", "/api/v1/policy/calendar"),
    ("put", "/api/v1/policy/calendar/{day}"),
    ("delete", "/api/v1/policy/calendar/{day}"),
    ("get", "/api/v1/policy/calendar-years"),
    ("put", "/api/v1/policy/calendar-years/{year}"),
    ("post", "/api/v1/policy/calendar-years/{year}/reopen"),
    ("get", "/api/v1/exits"),
    ("get", "/api/v1/exits/{exit_id}"),
    ("post", "/api/v1/exits/early-exit"),
    ("post", "/api/v1/exits/reassignment"),
    ("post", "/api/v1/exits/removal"),
    ("post", "/api/v1/exits/demotion"),
    ("post", "/api/v1/exits/resignation"),
    ("post", "/api/v1/exits/retirement"),
    ("get", "/api/v1/exits/due/early-exit"),
    ("get", "/api/v1/exits/due/retirement"),
    ("get", "/api/v1/exits/proceedings"),
    ("post", "/api/v1/exits/proceedings"),
    ("post", "/api/v1/exits/proceedings/{proceeding_id}/close"),
    ("get", "/api/v1/sanctions"),
    ("post", "/api/v1/sanctions"),
    ("get", "/api/v1/sanctions/{sanction_id}"),
    ("post", "/api/v1/sanctions/{sanction_id}/followup"),
    ("get", "/api/v1/exits/cases"),
    ("post", "/api/v1/exits/cases"),
    ("get", "/api/v1/exits/cases/{case_id}"),
    ("post", "/api/v1/exits/cases/{case_id}/conclusion"),
    ("post", "/api/v1/exits/cases/{case_id}/adjustment"),
    ("get", "/api/v1/todo"),
    ("get", "/api/v1/notifications"),
    ("post", "/api/v1/notifications/{notification_id}/read"),
    ("get", "/api/v1/public/notices"),
    ("get", "/api/v1/public/notices/{notice_id}"),
    ("post", "/api/v1/public/notices/{notice_id}/objections"),
    ("get", "/api/v1/public/track/{code}"),
    ("post", "/api/v1/public/petitions"),
    ("get", "/api/v1/public/petitions/track/{code}"),
    ("get", "/api/v1/petitions"),
    ("post", "/api/v1/petitions"),
    ("get", "/api/v1/petitions/{petition_id}"),
    ("post", "/api/v1/petitions/{petition_id}/assign"),
    ("post", "/api/v1/petitions/{petition_id}/cadres"),
    ("post", "/api/v1/petitions/{petition_id}/verify"),
    ("post", "/api/v1/petitions/{petition_id}/conclude"),
    ("get", "/api/v1/objections"),
    ("get", "/api/v1/objections/{objection_id}"),
    ("post", "/api/v1/objections/{objection_id}/resolve"),
    ("get", "/api/v1/doc-templates"),
    ("post", "/api/v1/doc-templates/{kind}"),
    ("post", "/api/v1/doc-templates/{kind}/reset"),
    ("get", "/api/v1/selection/records/{record_id}/documents/{kind}"),
    ("get", "/api/v1/filled/{kind}/{source_id}"),
    ("get", "/api/v1/joint-meetings"),
    ("post", "/api/v1/joint-meetings"),
    ("get", "/api/v1/joint-meetings/{meeting_id}"),
    ("post", "/api/v1/joint-meetings/{meeting_id}/members"),
    ("post", "/api/v1/joint-meetings/{meeting_id}/agenda"),
    ("post", "/api/v1/joint-meetings/{meeting_id}/findings"),
    ("post", "/api/v1/joint-meetings/{meeting_id}/held"),
    ("post", "/api/v1/joint-meetings/{meeting_id}/minutes"),
    ("post", "/api/v1/joint-meetings/{meeting_id}/follow-ups"),
    ("post", "/api/v1/joint-meetings/{meeting_id}/follow-ups/{follow_up_id}/done"),
    ("get", "/api/v1/campaigns/{campaign_id}/scores/template"),
    ("post", "/api/v1/campaigns/{campaign_id}/scores/import"),
    ("get", "/api/v1/campaigns/{campaign_id}/scores/import/{job_id}"),
    ("post", "/api/v1/campaigns/{campaign_id}/scores/import/{job_id}/retry"),
    ("get", "/api/v1/campaigns/{campaign_id}/export/applications"),
    ("get", "/api/v1/campaigns/{campaign_id}/export/ranking"),
    ("get", "/api/v1/campaigns"),
    ("post", "/api/v1/campaigns"),
    ("get", "/api/v1/campaigns/{campaign_id}"),
    ("post", "/api/v1/campaigns/{campaign_id}/posts"),
    ("post", "/api/v1/campaigns/{campaign_id}/open"),
    ("post", "/api/v1/campaigns/{campaign_id}/close-registration"),
    ("post", "/api/v1/campaigns/{campaign_id}/start-scoring"),
    ("post", "/api/v1/campaigns/{campaign_id}/publish"),
    ("post", "/api/v1/campaigns/{campaign_id}/close"),
    ("get", "/api/v1/campaigns/{campaign_id}/applications"),
    ("post", "/api/v1/campaigns/{campaign_id}/applications"),
    ("post", "/api/v1/campaigns/{campaign_id}/applications/bulk"),
    ("get", "/api/v1/campaigns/{campaign_id}/applications/{application_id}"),
    ("post", "/api/v1/campaigns/{campaign_id}/applications/{application_id}/review"),
    ("post", "/api/v1/campaigns/{campaign_id}/applications/{application_id}/withdraw"),
    ("put", "/api/v1/campaigns/{campaign_id}/applications/{application_id}/scores/{stage}"),
    ("post", "/api/v1/campaigns/{campaign_id}/stages/{stage}/scores"),
    ("post", "/api/v1/campaigns/{campaign_id}/stages/{stage}/scores-from-ballot"),
    ("post", "/api/v1/campaigns/{campaign_id}/stages/{stage}/advance"),
    ("get", "/api/v1/campaigns/{campaign_id}/panels"),
    ("post", "/api/v1/campaigns/{campaign_id}/panels"),
    ("post", "/api/v1/campaigns/{campaign_id}/panels/{panel_id}/lock"),
    ("post", "/api/v1/campaigns/{campaign_id}/rank"),
    ("get", "/api/v1/campaigns/{campaign_id}/ranking"),
    ("post", "/api/v1/campaigns/{campaign_id}/decide"),
    ("post", "/api/v1/campaigns/{campaign_id}/reserve"),
    ("post", "/api/v1/campaigns/{campaign_id}/hand-over"),
    ("get", "/api/v1/campaigns/{campaign_id}/statistics"),
    ("get", "/api/v1/economic-audits"),
    ("post", "/api/v1/economic-audits"),
    ("get", "/api/v1/economic-audits/triggers"),
    ("get", "/api/v1/economic-audits/{engagement_id}"),
    ("post", "/api/v1/economic-audits/{engagement_id}/commission"),
    ("post", "/api/v1/economic-audits/{engagement_id}/notice"),
    ("post", "/api/v1/economic-audits/{engagement_id}/start"),
    ("post", "/api/v1/economic-audits/{engagement_id}/report"),
    ("post", "/api/v1/economic-audits/{engagement_id}/follow-ups"),
    ("post", "/api/v1/economic-audits/{engagement_id}/follow-ups/done"),
    ("post", "/api/v1/economic-audits/{engagement_id}/close"),
    ("get", "/api/v1/talks"),
    ("post", "/api/v1/talks"),
    ("get", "/api/v1/talks/due/integrity"),
    ("post", "/api/v1/talks/admonishments"),
    ("get", "/api/v1/talks/{talk_id}"),
    ("post", "/api/v1/talks/{talk_id}/answer"),
    ("post", "/api/v1/talks/{talk_id}/held"),
    ("get", "/api/v1/training/programs"),
    ("post", "/api/v1/training/programs"),
    ("post", "/api/v1/training/programs/{program_id}/classes"),
    ("get", "/api/v1/training/classes/{class_id}"),
    ("get", "/api/v1/training/classes/{class_id}/enrollments"),
    ("post", "/api/v1/training/classes/{class_id}/enrollments"),
    ("post", "/api/v1/training/enrollments/{enrollment_id}/attendance"),
    ("post", "/api/v1/training/classes/{class_id}/close"),
    ("get", "/api/v1/training/coverage"),
    ("get", "/api/v1/training/coverage/not-trained"),
    ("get", "/api/v1/training/cadres/{cadre_id}/hours"),
    ("get", "/api/v1/training/cadres/{cadre_id}/record"),
    ("get", "/api/v1/training/appointment-due"),
    ("get", "/api/v1/exchanges"),
    ("post", "/api/v1/exchanges"),
    ("get", "/api/v1/exchanges/{record_id}"),
    ("post", "/api/v1/exchanges/{record_id}/end"),
    ("get", "/api/v1/exchanges/plans"),
    ("post", "/api/v1/exchanges/plans"),
    ("get", "/api/v1/exchanges/plans/{plan_id}"),
    ("post", "/api/v1/exchanges/plans/{plan_id}/moves"),
    ("delete", "/api/v1/exchanges/plans/{plan_id}/moves/{move_id}"),
    ("post", "/api/v1/exchanges/plans/{plan_id}/discuss"),
    ("post", "/api/v1/exchanges/plans/{plan_id}/carry-out"),
    ("post", "/api/v1/exchanges/plans/{plan_id}/withdraw"),
    ("get", "/api/v1/team-structure/teams"),
    ("get", "/api/v1/team-structure/teams/{unit_id}"),
    ("get", "/api/v1/rotation/due"),
    ("get", "/api/v1/rotation/terms"),
    ("post", "/api/v1/team-structure/what-if"),
    ("get", "/api/v1/assessment/rounds"),
    ("post", "/api/v1/assessment/rounds"),
    ("get", "/api/v1/assessment/rounds/{round_id}"),
    ("post", "/api/v1/assessment/rounds/{round_id}/entries"),
    ("put", "/api/v1/assessment/rounds/{round_id}/entries/{entry_id}"),
    ("post", "/api/v1/assessment/rounds/{round_id}/ballot"),
    ("post", "/api/v1/assessment/rounds/{round_id}/close"),
    ("get", "/api/v1/assessment/consequences"),
    ("post", "/api/v1/assessment/consequences/{consequence_id}/handle"),
}
# Public by design (ADR 0006): the one-time code is the credential; receipts are published.
PUBLIC_OPERATIONS = {
    ("post", "/api/v1/voting/ballots/{ballot_id}/cast"),
    ("get", "/api/v1/voting/ballots/{ballot_id}/receipts"),
    # Published notices are public by design; sending an objection and tracking it need no login
    # (the tracking code is the sender's only key), as on the notice pages.
    ("get", "/api/v1/public/notices"),
    ("get", "/api/v1/public/notices/{notice_id}"),
    ("post", "/api/v1/public/notices/{notice_id}/objections"),
    ("get", "/api/v1/public/track/{code}"),
    # The public petition desk (信访举报), likewise: the tracking code is the sender's only key.
    ("post", "/api/v1/public/petitions"),
    ("get", "/api/v1/public/petitions/track/{code}"),
}


def test_openapi_schema_loads_with_chinese_summaries_and_operation_ids():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    operations = {(method, path): op for path, ops in schema["paths"].items() for method, op in ops.items()}
    assert set(operations) == EXPECTED_OPERATIONS
    ids = [op["operationId"] for op in operations.values()]
    assert len(ids) == len(set(ids)) and all(ids)
    for key, op in operations.items():
        assert CJK.search(op.get("summary", "")), key
        # every operation requires authentication, except the public voting ones
        assert bool(op.get("security")) == (key not in PUBLIC_OPERATIONS), key
    schemes = schema["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}
    cadre_params = {p["name"] for p in operations[("get", "/api/v1/cadres")]["parameters"]}
    assert {
        "q",
        "unit",
        "gender",
        "age_min",
        "age_max",
        "age_on",
        "rank",
        "leadership",
        "political_status",
        "education",
        "status",
        "reserve",
        "sort",
        "cursor",
        "limit",
        "offset",
    } <= cadre_params


def test_the_docs_page_never_loads_assets_from_a_cdn():
    response = Client().get("/api/v1/docs")
    if response.status_code == 200:
        assert b"cdn." not in response.content and b"//unpkg" not in response.content
    else:
        assert response.status_code == 404


@pytest.fixture
def api(officer, api_as, people):
    """An officer's client, with three cadres in the registry."""
    return api_as(officer)


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/cadres", {"q": "张\x00三"}, "q"),
        ("/cadres", {"q": "z" * 51}, "q"),
        ("/cadres", {"age_min": "-1"}, "age_min"),
        ("/cadres", {"age_max": "abc"}, "age_max"),
        ("/cadres", {"age_min": "30", "age_on": "0001-01-01"}, "age_on"),
        ("/cadres", {"unit": str(2**70)}, "unit"),
        ("/cadres", {"gender": "X"}, "gender"),
        ("/cadres", {"sort": "password"}, "sort"),
        ("/cadres", {"leadership": "maybe"}, "leadership"),
        ("/cadres", {"offset": str(2**64)}, "offset"),
        ("/cadres", {"limit": "0"}, "limit"),
        ("/posts", {"unit": "0"}, "unit"),
        ("/tenures", {"cadre": "x"}, "cadre"),
    ],
)
def test_bad_query_parameters_are_422_in_chinese(api, path, params, field):
    response = api.get(path, params)
    assert response.status_code == 422, response.content
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert list(body["errors"]) == [field]
    assert all(CJK.search(m) for m in body["errors"][field])


@pytest.mark.parametrize(
    "path", [f"/cadres/{2**64}", "/cadres/0", "/units/-3", "/documents/abc", "/posts/1e3"]
)
def test_bad_path_ids_are_client_errors(api, path):
    response = api.get(path)
    assert response.status_code in (404, 422)
    assert "Traceback" not in response.content.decode()


def test_missing_objects_are_404_in_chinese(api):
    for path in (
        "/cadres/999999",
        "/units/999999",
        "/posts/999999",
        "/documents/999999",
        "/cadres/999999/tenures",
        "/cadres/999999/family",
    ):
        response = api.get(path)
        assert response.status_code == 404, path
        assert response.json() == {"detail": "对象不存在或不在您的管理范围内。"}


def test_unparseable_body_is_400_in_chinese(api, officer, token_for):
    response = Client().post(
        "/api/v1/cadres",
        "{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {token_for(officer)}"},
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "请求体不是有效的 JSON。"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ([1, 2, 3], "__all__"),
        ({"unit_id": 1, "title": "局长\x00", "kind": "head", "rank": "section"}, "title"),
        ({"unit_id": 1, "title": "局" * 101, "kind": "head", "rank": "section"}, "title"),
        ({"unit_id": 1, "title": "局长", "kind": "king", "rank": "section"}, "kind"),
        ({"unit_id": 1, "title": "局长", "kind": "head", "rank": "section", "sort_order": -1}, "sort_order"),
        ({"unit_id": 2**80, "title": "局长", "kind": "head", "rank": "section"}, "unit_id"),
        ({"unit_id": 999999, "title": "局长", "kind": "head", "rank": "section"}, "unit_id"),
    ],
)
def test_bad_post_bodies_are_422(api, body, field):
    response = api.post("/posts", body)
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]
    assert not Post.objects.exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"id_number": "²10101198502035612"},
        {"id_number": "１１0101198502035611"},
        {"name": "赵" * 51},
        {"birth_date": "1850-01-01"},
        {"ft_education": "doctorate"},
        {"party_join_date": "2025-02-30"},
    ],
)
def test_bad_cadre_bodies_are_422(api, tree, overrides):
    body = {
        "name": "赵六",
        "gender": "M",
        "birth_date": "1985-02-03",
        "native_place": "示例县",
        "unit_id": tree.finance.pk,
        **overrides,
    }
    before = Cadre.objects.count()
    response = api.post("/cadres", body)
    assert response.status_code == 422, response.content
    assert set(overrides) <= set(response.json()["errors"])
    assert Cadre.objects.count() == before


def test_bad_document_items_are_located(api, people):
    response = api.post(
        "/documents",
        {
            "number": "示组〔2025〕9号",
            "title": "通知",
            "issued_on": "2025-03-01",
            "items": [
                {"kind": "appoint", "cadre_id": people.zhangsan.pk, "effective_on": "2025-03-01"},
                {"kind": "promote", "cadre_id": "x", "effective_on": "someday"},
            ],
        },
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"items.1.kind", "items.1.cadre_id", "items.1.effective_on"}


def test_method_not_allowed_is_not_a_500(api):
    response = api.client.delete("/api/v1/cadres", headers=api.headers)
    assert response.status_code == 405


def test_an_unexpected_error_is_json_500_without_a_trace(api, monkeypatch, caplog):
    from ganbu.registry import selectors

    def broken(**kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(selectors, "unit_list", broken)
    response = api.get("/units")
    assert response.status_code == 500
    body = response.content.decode()
    assert "secret internal detail" not in body and "Traceback" not in body
    assert "服务器内部错误" in response.json()["detail"]
    assert any("secret internal detail" in r.getMessage() or r.exc_info for r in caplog.records)
