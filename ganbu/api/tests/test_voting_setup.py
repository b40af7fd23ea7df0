"""Committee roster and recusals, meeting attendance and the paper channel through the REST API."""

from __future__ import annotations

import pytest

from ganbu.registry.tests.factories import CadreFactory, PostFactory

pytestmark = pytest.mark.django_db


def _committee(api, tree, members):
    """A draft committee vote of one appointment item with ``members`` on its roster."""
    cadre = CadreFactory(unit=tree.finance)
    post = PostFactory(unit=tree.finance, title="副局长")
    ballot_id = api.post(
        "/voting/ballots", {"kind": "committee", "title": "常委会票决", "unit_id": tree.finance.pk}
    ).json()["id"]
    item = api.post(
        f"/voting/ballots/{ballot_id}/items",
        {"cadre_id": cadre.pk, "post_id": post.pk, "action": "appointment"},
    )
    assert item.status_code == 201, item.json()
    voters = [
        api.post(f"/voting/ballots/{ballot_id}/members", {"user_id": m.pk}).json()["id"] for m in members
    ]
    return ballot_id, item.json()["id"], voters


def test_roster_recusal_and_removal(api_as, officer, make_user, tree):
    api = api_as(officer)
    members = [make_user("committee_member", display_name=f"常委{i}") for i in range(3)]
    ballot_id, item_id, voters = _committee(api, tree, members)
    no_reason = api.put(
        f"/voting/ballots/{ballot_id}/members/{voters[0]}/recusals/{item_id}", {"recused": True}
    )
    assert no_reason.status_code == 422 and "回避理由" in str(no_reason.json())
    recused = api.put(
        f"/voting/ballots/{ballot_id}/members/{voters[0]}/recusals/{item_id}",
        {"recused": True, "reason": "系被考察人的舅舅"},
    )
    assert recused.status_code == 200
    assert recused.json()["recusals"] == [
        {"item_id": item_id, "reason": "系被考察人的舅舅", "automatic": False}
    ]
    roster = api.get(f"/voting/ballots/{ballot_id}/members").json()
    assert [m["name"] for m in roster] == ["常委0", "常委1", "常委2"]
    assert api.delete(f"/voting/ballots/{ballot_id}/members/{voters[2]}").status_code == 204
    assert len(api.get(f"/voting/ballots/{ballot_id}/members").json()) == 2
    assert api.delete(f"/voting/ballots/{ballot_id}/members/999999").status_code == 404
    items = api.get(f"/voting/ballots/{ballot_id}/items").json()
    assert [i["id"] for i in items] == [item_id]


def test_meeting_attendance_and_paper_evaluation_with_two_people(api_as, officer, make_user, tree):
    api = api_as(officer)
    leader = make_user("org_leader")
    cadre = CadreFactory(unit=tree.finance)
    made = api.post(
        "/voting/ballots",
        {
            "kind": "evaluation",
            "title": "民主测评",
            "unit_id": tree.finance.pk,
            "channel": "paper",
            "expected_voters": 12,
        },
    )
    assert made.status_code == 201 and made.json()["expected_voters"] == 12 and made.json()["threshold"] == ""
    ballot_id = made.json()["id"]
    item_id = api.post(f"/voting/ballots/{ballot_id}/items", {"cadre_id": cadre.pk}).json()["id"]
    bad = api.put(f"/voting/ballots/{ballot_id}/attendance", {"expected": 12, "present": 13})
    assert bad.status_code == 422
    ok = api.put(f"/voting/ballots/{ballot_id}/attendance", {"expected": 12, "present": 10})
    assert ok.status_code == 200 and ok.json()["present_voters"] == 10
    api.post(f"/voting/ballots/{ballot_id}/open", {})
    api.post(f"/voting/ballots/{ballot_id}/close", {})
    counts = {"excellent": 3, "competent": 4, "basic": 1, "incompetent": 2}
    entered = api.put(
        f"/voting/ballots/{ballot_id}/paper/{item_id}", {"counts": counts, "issued": 10, "returned": 10}
    )
    assert entered.status_code == 200 and entered.json()["confirmed_by"] is None
    same = api.post(f"/voting/ballots/{ballot_id}/paper/{item_id}/confirm", {})
    assert same.status_code == 422 and "另一名工作人员" in same.json()["detail"]
    confirmed = api_as(leader).post(f"/voting/ballots/{ballot_id}/paper/{item_id}/confirm", {})
    assert confirmed.status_code == 200 and confirmed.json()["confirmed_by"] == str(leader)
    listed = api_as(leader).get(f"/voting/ballots/{ballot_id}/paper").json()
    assert listed[0]["counts"] == counts
    assert api.post(f"/voting/ballots/{ballot_id}/tally", {}).status_code == 200
    data = api.get(f"/voting/ballots/{ballot_id}/results").json()["items"][0]["data"]
    assert data["total"] == 10 and data["counts"]["incompetent"] == 2
    assert data["meeting"] == {
        "expected": 12,
        "present": 10,
        "cast": 10,
        "quorum": "2/3",
        "quorum_source": data["meeting"]["quorum_source"],
        "quorum_met": True,
    }


def test_paper_recommendation_sheets_through_the_api(api_as, officer, make_user, tree):
    api = api_as(officer)
    post = PostFactory(unit=tree.finance, title="副局长")
    ballot_id = api.post(
        "/voting/ballots",
        {"kind": "recommendation", "title": "会议推荐", "unit_id": tree.finance.pk, "channel": "paper"},
    ).json()["id"]
    item_id = api.post(
        f"/voting/ballots/{ballot_id}/items", {"post_id": post.pk, "reference": ["甲", "乙", "丙"]}
    ).json()["id"]
    api.post(f"/voting/ballots/{ballot_id}/open", {})
    api.post(f"/voting/ballots/{ballot_id}/close", {})
    for choices in (["甲"], ["乙"], ["甲"]):
        r = api.post(
            f"/voting/ballots/{ballot_id}/paper-sheets",
            {"category": "中层干部", "content": {str(item_id): {"choices": choices}}},
        )
        assert r.status_code == 201
    assert r.json() == {"papers": 3}
    assert api.delete(f"/voting/ballots/{ballot_id}/paper-sheets").json() == {"papers": 3}
    api.post(
        f"/voting/ballots/{ballot_id}/paper-sheets",
        {"category": "中层干部", "content": {str(item_id): {"choices": ["丙"]}}},
    )
    assert (
        api.put(f"/voting/ballots/{ballot_id}/paper/{item_id}", {"issued": 2, "returned": 1}).status_code
        == 200
    )
    api_as(make_user("org_leader")).post(f"/voting/ballots/{ballot_id}/paper/{item_id}/confirm", {})
    api.post(f"/voting/ballots/{ballot_id}/tally", {})
    data = api.get(f"/voting/ballots/{ballot_id}/results").json()["items"][0]["data"]
    assert data["votes"] == {"甲": 0, "乙": 0, "丙": 1}


def test_paper_status_is_hidden_from_committee_members(api_as, officer, make_user, tree):
    api = api_as(officer)
    member = make_user("committee_member")
    ballot_id, _, _ = _committee(api, tree, [member])
    assert api_as(member).get(f"/voting/ballots/{ballot_id}/paper").status_code == 404


def test_api_result_sheet(api_as, officer, counted):
    from ganbu.web.tests.test_voting_result_sheet import word_text

    api = api_as(officer)
    word = api.get(f"/voting/ballots/{counted.pk}/result-sheet", {"format": "docx"})
    assert word.status_code == 200 and "表决结果：通过" in word_text(word.content)
    assert api.get(f"/voting/ballots/{counted.pk}/result-sheet").content.startswith(b"%PDF")
    assert api.get(f"/voting/ballots/{counted.pk}/result-sheet", {"format": "xls"}).status_code == 422
