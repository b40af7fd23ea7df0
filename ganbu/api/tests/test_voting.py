"""Voting through the REST API: the life cycle, casting with codes, 409 on replay, result scope."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from ganbu.registry.tests.factories import CadreFactory
from ganbu.voting.models import Credential, SealedSheet

pytestmark = pytest.mark.django_db


def _public_cast(ballot_id: int, code: str, content: dict) -> object:
    """POST a cast with no credentials at all: the code is the only credential."""
    return Client().post(
        f"/api/v1/voting/ballots/{ballot_id}/cast",
        json.dumps({"code": code, "content": content}),
        content_type="application/json",
    )


@pytest.fixture
def evaluation(api_as, officer, tree):
    """An open evaluation ballot of the finance bureau with one item and five codes issued."""
    api = api_as(officer)
    cadre = CadreFactory(unit=tree.finance)
    r = api.post(
        "/voting/ballots", {"kind": "evaluation", "title": "年度民主测评", "unit_id": tree.finance.pk}
    )
    assert r.status_code == 201, r.json()
    ballot_id = r.json()["id"]
    r = api.post(f"/voting/ballots/{ballot_id}/items", {"cadre_id": cadre.pk})
    assert r.status_code == 201, r.json()
    item_id = r.json()["id"]
    opened = api.post(f"/voting/ballots/{ballot_id}/open", {}).json()
    assert opened["status"] == "open" and len(opened["key_shares"]) == 3 and opened["key_threshold"] == 2
    r = api.post(f"/voting/ballots/{ballot_id}/credentials", {"category": "中层干部", "count": 5})
    assert r.status_code == 201, r.json()
    # The last element is what the three 监票人 hold: their key shares.
    return api, ballot_id, item_id, r.json()["codes"], opened["key_shares"]


def test_evaluation_life_cycle_through_the_api(evaluation, officer) -> None:
    api, ballot_id, item_id, codes, key_shares = evaluation
    assert len(codes) == 5 and len(set(codes)) == 5
    grades = ["excellent", "competent", "competent", "basic", "incompetent"]
    receipts = []
    for code, grade in zip(codes, grades, strict=True):
        r = _public_cast(ballot_id, code, {str(item_id): {"grade": grade}})
        assert r.status_code == 200, r.json()
        receipts.append(r.json()["receipt"])
    assert len(set(receipts)) == 5

    progress = api.get(f"/voting/ballots/{ballot_id}/progress").json()
    assert progress == {"credentials_issued": 5, "credentials_used": 5, "members": 0, "participations": 0}
    # Not counted yet: results and receipts are hidden.
    assert api.get(f"/voting/ballots/{ballot_id}/results").status_code == 404
    assert Client().get(f"/api/v1/voting/ballots/{ballot_id}/receipts").status_code == 404

    assert api.post(f"/voting/ballots/{ballot_id}/close", {}).json()["status"] == "closed"
    refused = api.post(f"/voting/ballots/{ballot_id}/tally", {"key_shares": key_shares[:1]})
    assert refused.status_code == 422 and "至少 2 名监票人" in refused.json()["detail"]
    tally = api.post(f"/voting/ballots/{ballot_id}/tally", {"key_shares": key_shares[1:]})
    assert tally.json()["status"] == "tallied"
    results = api.get(f"/voting/ballots/{ballot_id}/results")
    assert results.status_code == 200
    data = results.json()["items"][0]["data"]
    assert data["total"] == 5
    assert data["counts"] == {"excellent": 1, "competent": 2, "basic": 1, "incompetent": 1}
    assert Client().get(f"/api/v1/voting/ballots/{ballot_id}/receipts").status_code == 404

    assert api.post(f"/voting/ballots/{ballot_id}/publish", {}).json()["status"] == "published"
    published = Client().get(f"/api/v1/voting/ballots/{ballot_id}/receipts")
    assert published.status_code == 200
    assert published.json()["receipts"] == sorted(receipts)


def test_replayed_code_is_409_and_bad_content_consumes_nothing(evaluation) -> None:
    _api, ballot_id, item_id, codes, _shares = evaluation
    bad = _public_cast(ballot_id, codes[0], {str(item_id): {"grade": "superb"}})
    assert bad.status_code == 422
    assert "superb" not in bad.content.decode()
    missing_item = _public_cast(ballot_id, codes[0], {})
    assert missing_item.status_code == 422
    assert Credential.objects.filter(used=True).count() == 0

    assert _public_cast(ballot_id, codes[0], {str(item_id): {"grade": "competent"}}).status_code == 200
    replay = _public_cast(ballot_id, codes[0], {str(item_id): {"grade": "competent"}})
    assert replay.status_code == 409
    assert replay.json()["detail"] == "该投票码已经使用过，不能重复投票。"
    assert SealedSheet.objects.count() == 1

    unknown = _public_cast(ballot_id, "AAAA-BBBB-CCCC-DDDD", {str(item_id): {"grade": "competent"}})
    assert unknown.status_code == 422
    assert _public_cast(999999, codes[1], {str(item_id): {"grade": "competent"}}).status_code == 404


def test_cast_after_close_is_422_and_nothing_is_written(evaluation) -> None:
    """A closed ballot refuses with the service's ServiceError (422), not 409: the code is unused."""
    api, ballot_id, item_id, codes, _shares = evaluation
    assert api.post(f"/voting/ballots/{ballot_id}/close", {}).status_code == 200
    r = _public_cast(ballot_id, codes[0], {str(item_id): {"grade": "competent"}})
    assert r.status_code == 422
    assert r.json()["detail"] == "投票未在进行中，不接受投票。"
    assert Credential.objects.filter(used=True).count() == 0 and SealedSheet.objects.count() == 0


def test_staff_operations_need_authentication(evaluation) -> None:
    _api, ballot_id, _item_id, _codes, _shares = evaluation
    anonymous = Client()
    assert anonymous.get(f"/api/v1/voting/ballots/{ballot_id}/progress").status_code == 401
    assert anonymous.post(f"/api/v1/voting/ballots/{ballot_id}/close").status_code == 401
    r = anonymous.post(
        f"/api/v1/voting/ballots/{ballot_id}/credentials",
        json.dumps({"category": "x", "count": 1}),
        content_type="application/json",
    )
    assert r.status_code == 401


def test_results_404_for_member_off_the_roster_and_officer_out_of_scope(
    api_as, officer, make_user, tree
) -> None:
    api = api_as(officer)
    on_roster = [make_user("committee_member", display_name=f"常委{i}") for i in range(3)]
    off_roster = make_user("committee_member", display_name="另一常委")
    forestry_officer = make_user("unit_officer", scope_unit=tree.forestry)
    cadre = CadreFactory(unit=tree.finance)
    ballot_id = api.post(
        "/voting/ballots", {"kind": "committee", "title": "常委会票决", "unit_id": tree.finance.pk}
    ).json()["id"]
    item = api.post(f"/voting/ballots/{ballot_id}/items", {"cadre_id": cadre.pk, "action": "removal"})
    assert item.status_code == 201, item.json()
    item_id = item.json()["id"]
    voters = []
    for member in on_roster:
        r = api.post(f"/voting/ballots/{ballot_id}/members", {"user_id": member.pk})
        assert r.status_code == 201, r.json()
        voters.append(r.json()["id"])
    for voter_id in voters:
        r = api.client.put(
            f"/api/v1/voting/ballots/{ballot_id}/members/{voter_id}/attendance",
            json.dumps({"attended": True}),
            content_type="application/json",
            headers=api.headers,
        )
        assert r.status_code == 200 and r.json()["attended"] is True
    opened = api.post(f"/voting/ballots/{ballot_id}/open", {"key_holders": 1, "key_threshold": 1})
    assert opened.status_code == 200 and len(opened.json()["key_shares"]) == 1
    for member, choice in zip(on_roster, ["agree", "agree", "disagree"], strict=True):
        r = api_as(member).post(
            f"/voting/ballots/{ballot_id}/committee-cast", {"item_id": item_id, "choice": choice}
        )
        assert r.status_code == 200, r.json()
    again = api_as(on_roster[0]).post(
        f"/voting/ballots/{ballot_id}/committee-cast", {"item_id": item_id, "choice": "agree"}
    )
    assert again.status_code == 422
    outsider = api_as(off_roster).post(
        f"/voting/ballots/{ballot_id}/committee-cast", {"item_id": item_id, "choice": "agree"}
    )
    assert outsider.status_code == 404
    api.post(f"/voting/ballots/{ballot_id}/close", {})
    tally = api.post(f"/voting/ballots/{ballot_id}/tally", {"key_shares": opened.json()["key_shares"]})
    assert tally.status_code == 200

    member_view = api_as(on_roster[0]).get(f"/voting/ballots/{ballot_id}/results")
    assert member_view.status_code == 200
    data = member_view.json()["items"][0]["data"]
    assert (data["agree"], data["disagree"], data["passed"]) == (2, 1, True)
    assert api_as(off_roster).get(f"/voting/ballots/{ballot_id}/results").status_code == 404
    assert api_as(forestry_officer).get(f"/voting/ballots/{ballot_id}/results").status_code == 404
    assert api_as(forestry_officer).post(f"/voting/ballots/{ballot_id}/publish", {}).status_code == 404
    assert api.get(f"/voting/ballots/{ballot_id}/results").status_code == 200


def test_strict_input_and_out_of_scope_references(api_as, make_user, tree) -> None:
    forestry_officer = make_user("unit_officer", scope_unit=tree.forestry)
    api = api_as(forestry_officer)
    r = api.post("/voting/ballots", {"kind": "evaluation", "title": "测评", "unit_id": tree.finance.pk})
    assert r.status_code == 422 and "unit_id" in r.json()["errors"]
    r = api.post("/voting/ballots", {"kind": "poll", "title": "测评", "unit_id": tree.forestry.pk})
    assert r.status_code == 422 and "kind" in r.json()["errors"]
    r = api.post(
        "/voting/ballots", {"kind": "evaluation", "title": "测评", "unit_id": tree.forestry.pk, "x": 1}
    )
    assert r.status_code == 422 and "x" in r.json()["errors"]
    ok = api.post("/voting/ballots", {"kind": "evaluation", "title": "测评", "unit_id": tree.forestry.pk})
    assert ok.status_code == 201
    other = CadreFactory(unit=tree.finance)
    r = api.post(f"/voting/ballots/{ok.json()['id']}/items", {"cadre_id": other.pk})
    assert r.status_code == 422 and "cadre_id" in r.json()["errors"]


def test_voting_operations_in_openapi_have_chinese_summaries_and_only_casting_is_public() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    voting = {
        (method, path): op
        for path, ops in schema["paths"].items()
        if path.startswith("/api/v1/voting/")
        for method, op in ops.items()
    }
    from ganbu.api.tests.test_errors_and_schema import EXPECTED_OPERATIONS

    assert set(voting) == {op for op in EXPECTED_OPERATIONS if op[1].startswith("/api/v1/voting/")}
    public = {
        ("post", "/api/v1/voting/ballots/{ballot_id}/cast"),
        ("get", "/api/v1/voting/ballots/{ballot_id}/receipts"),
    }
    for key, op in voting.items():
        assert op["operationId"] and any("\u4e00" <= c <= "\u9fff" for c in op["summary"]), key
        assert bool(op.get("security")) == (key not in public), key
    assert "409" in voting[("post", "/api/v1/voting/ballots/{ballot_id}/cast")]["responses"]
