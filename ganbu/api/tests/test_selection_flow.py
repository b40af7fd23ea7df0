"""One selection record from 动议 to 试用期满 driven entirely through the REST API (issue #4 acceptance).

The ballots run through the voting endpoints too: codes cast without login, committee members vote
with their own tokens. At the end the audit trail lists every step of the record in order.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from ganbu.core.models import AuditEvent
from ganbu.registry.models import Tenure

pytestmark = pytest.mark.django_db

MANDATORY = ("file_review", "personal_matters", "integrity_opinion", "petition_check", "integrity_conclusion")
BODIES = ("discipline", "office_610", "family_planning", "superior", "county_leader")
REMINDERS = ("no_rush_promotion", "no_rush_spending", "no_borrowing", "no_contracts", "no_asset_disposal")


def text(response):
    """A response's JSON as readable text (the API escapes non-ASCII)."""
    return json.dumps(response.json(), ensure_ascii=False)


def ok(response, status=200):
    """The JSON body of a response that must have ``status``; otherwise fail showing the body."""
    assert response.status_code == status, response.content.decode()
    return response.json()


def counted_mass_ballot(api, unit_id, kind, items, answers):
    """Create, issue codes, cast (no login), close and count a mass ballot through the API."""
    ballot = ok(api.post("/voting/ballots", {"kind": kind, "title": f"{kind}投票", "unit_id": unit_id}), 201)
    item_ids = [ok(api.post(f"/voting/ballots/{ballot['id']}/items", spec), 201)["id"] for spec in items]
    codes = ok(
        api.post(
            f"/voting/ballots/{ballot['id']}/credentials", {"category": "干部职工", "count": len(answers)}
        ),
        201,
    )
    shares = ok(api.post(f"/voting/ballots/{ballot['id']}/open", {}))["key_shares"]
    for code, answer in zip(codes["codes"], answers, strict=True):
        content = {str(item_ids[i]): value for i, value in answer.items()}
        response = Client().post(
            f"/api/v1/voting/ballots/{ballot['id']}/cast",
            json.dumps({"code": code, "content": content}),
            content_type="application/json",
        )
        ok(response)
    ok(api.post(f"/voting/ballots/{ballot['id']}/close", {}))
    ok(api.post(f"/voting/ballots/{ballot['id']}/tally", {"key_shares": shares}))
    return ballot["id"]


def test_a_record_from_proposal_to_confirmation_through_the_api(api_as, scene):
    api = api_as(scene.officer)
    leader = api_as(scene.leader)
    unit, post = scene.unit.pk, scene.post.pk
    a, b, c = scene.people
    record = ok(
        api.post(
            "/selection/records",
            {
                "unit_id": unit,
                "title": "县财政局副局长选拔",
                "reason": "副局长职位空缺",
                "proposer": "县委组织部",
                "proposed_on": "2024-08-01",
                "post_ids": [post],
                "announcement": True,
            },
        ),
        201,
    )
    rid = record["id"]
    assert record["step"] == "proposal" and record["probation"] is True
    # A step out of order is refused with the rule and the missing step.
    early = api.post(f"/selection/records/{rid}/opinions/complete", {"on": "2024-08-02"})
    assert early.status_code == 422 and "第六十一条第（三）项" in text(early) and "PROC-02" not in text(early)

    rec = counted_mass_ballot(
        api,
        unit,
        "recommendation",
        [{"post_id": post, "reference": [a.name, b.name, c.name]}],
        [{0: {"choices": [a.name]}}] * 5 + [{0: {"choices": [b.name]}}] * 3,
    )
    ok(api.put(f"/selection/records/{rid}/recommendation-ballot", {"ballot_id": rec}))
    ok(
        api.post(
            f"/selection/records/{rid}/talk-surveys",
            {
                "held_on": "2024-08-05",
                "participants": 12,
                "scope": "局领导班子、中层干部",
                "summary": "意见较集中于赵甲、孙乙",
            },
        ),
        201,
    )
    ok(api.post(f"/selection/records/{rid}/recommendation/complete", {"on": "2024-08-10"}))
    record = ok(
        api.post(
            f"/selection/records/{rid}/candidates",
            {
                "choices": [{"cadre_id": a.pk, "post_id": post}, {"cadre_id": b.pk, "post_id": post}],
                "on": "2024-08-15",
            },
        )
    )
    votes = {cand["name"]: cand["votes"] for cand in record["candidates"]}
    assert votes == {a.name: 5, b.name: 3}
    cand_ids = [cand["id"] for cand in record["candidates"]]
    ok(
        api.post(
            f"/selection/records/{rid}/preannouncement",
            {
                "title": "干部考察预告",
                "body": "拟对赵甲、孙乙进行考察",
                "start_date": "2024-08-19",
                "end_date": "2024-08-23",
                "contact": "0000-1234567",
                "team": ["王考察", "刘考察"],
            },
        ),
        201,
    )
    ok(
        api.post(
            f"/selection/records/{rid}/inspection",
            {"team_leader": "王考察", "team": ["王考察", "刘考察"], "started_on": "2024-08-20"},
        ),
        201,
    )
    for cid in cand_ids:
        for kind in MANDATORY:
            ok(
                api.put(
                    f"/selection/records/{rid}/candidates/{cid}/checks",
                    {"kind": kind, "done_on": "2024-08-22", "result": "未发现问题"},
                )
            )
    ev = counted_mass_ballot(
        api,
        unit,
        "evaluation",
        [{"cadre_id": a.pk}, {"cadre_id": b.pk}],
        [{0: {"grade": "excellent"}, 1: {"grade": "competent"}}] * 6,
    )
    ok(api.put(f"/selection/records/{rid}/inspection-ballot", {"ballot_id": ev}))
    ok(
        api.post(
            f"/selection/records/{rid}/inspection/complete",
            {"finished_on": "2024-08-28", "interviews": 30, "materials": "综合分析意见"},
        )
    )
    supervisor = api_as(scene.supervisor)
    for body in BODIES:
        addressee = {"addressee_id": scene.supervisor.pk} if body == "discipline" else {}
        made = ok(
            api.post(
                f"/selection/records/{rid}/opinion-requests",
                {"body": body, "sent_on": "2024-08-29", **addressee},
            ),
            201,
        )
        answerer = supervisor if addressee else api
        ok(
            answerer.post(
                f"/selection/opinion-requests/{made['id']}/answer",
                {"answer": "no_objection", "answered_on": "2024-09-02"},
            )
        )
    assert [r["body"] for r in ok(supervisor.get("/selection/opinion-requests"))] == ["discipline"]
    ok(api.post(f"/selection/records/{rid}/opinions/complete", {"on": "2024-09-03"}))
    ok(
        api.post(
            f"/selection/records/{rid}/department-meeting",
            {"held_on": "2024-09-05", "minutes": "同意提交常委会", "proposed_candidate_ids": [cand_ids[0]]},
        )
    )
    record = ok(
        api.post(
            f"/selection/records/{rid}/committee-vote",
            {"title": "县委常委会票决", "member_ids": [m.pk for m in scene.members]},
        ),
        201,
    )
    ballot = record["committee_ballot_id"]
    for member in ok(api.get(f"/voting/ballots/{ballot}/members")):
        ok(api.put(f"/voting/ballots/{ballot}/members/{member['id']}/attendance", {"attended": True}))
    shares = ok(api.post(f"/voting/ballots/{ballot}/open", {}))["key_shares"]
    (item,) = ok(api.get(f"/voting/ballots/{ballot}/items"))
    for member in scene.members[:6]:
        ok(
            api_as(member).post(
                f"/voting/ballots/{ballot}/committee-cast", {"item_id": item["id"], "choice": "agree"}
            )
        )
    ok(api.post(f"/voting/ballots/{ballot}/close", {}))
    ok(api.post(f"/voting/ballots/{ballot}/tally", {"key_shares": shares}))
    record = ok(api.post(f"/selection/records/{rid}/committee-vote/complete", {"decided_on": "2024-09-10"}))
    assert [cand["approved"] for cand in record["candidates"]] == [True, None]
    ok(
        api.post(
            f"/selection/records/{rid}/announcement",
            {
                "announced_on": "2024-09-10",
                "place": "县财政局干部大会",
                "announced_by": "副部长",
                "reminders": list(REMINDERS),
                "acknowledged_by": "赵甲",
            },
        )
    )
    short = api.post(
        f"/selection/records/{rid}/public-notice",
        {"title": "任前公示", "body": "赵甲拟任副局长", "start_date": "2024-09-11", "end_date": "2024-09-13"},
    )
    assert short.status_code == 422 and "第四十二条" in text(short) and "仅 3 个工作日" in text(short)
    ok(
        api.post(
            f"/selection/records/{rid}/public-notice",
            {
                "title": "任前公示",
                "body": "赵甲拟任副局长",
                "start_date": "2024-09-11",
                "end_date": "2024-09-20",
            },
        ),
        201,
    )
    ok(
        api.post(
            f"/selection/records/{rid}/appointment",
            {"number": "示任〔2024〕15号", "title": "关于赵甲同志任职的通知", "issued_on": "2024-09-23"},
        )
    )
    assert Tenure.objects.filter(cadre=a, post=scene.post, end_date__isnull=True).exists()
    ok(
        api.post(
            f"/selection/records/{rid}/feedback",
            {"collected_on": "2024-10-20", "sources": "干部职工", "report": "反响良好，群众认可。"},
        )
    )
    (probation,) = ok(api.get("/selection/probations"))
    assert probation["end_date"] == "2025-09-23"
    done = ok(
        api.post(
            f"/selection/probations/{probation['id']}/conclude",
            {"confirmed": True, "conclusion": "试用期满，考核称职，正式任职", "concluded_on": "2025-09-24"},
        )
    )
    assert done["status"] == "confirmed"
    record = ok(api.get(f"/selection/records/{rid}"))
    assert record["step"] == "probation_end"
    assert all(r["state"] == "done" for r in record["route"])
    assert leader.get(f"/selection/records/{rid}").status_code == 200

    expected = [
        "proposal",
        "recommendation",
        "candidates",
        "preannouncement",
        "inspection",
        "opinions",
        "department_meeting",
        "committee_vote",
        "announcement",
        "public_notice",
        "appointment",
        "feedback",
        "probation_end",
    ]
    assert [e["step"] for e in record["events"]] == expected
    trail = [
        e.after["step"]
        for e in AuditEvent.objects.filter(
            target_type="selection.SelectionRecord", target_id=str(rid)
        ).order_by("seq")
        if e.event_type in ("selection.proposed", "selection.step")
    ]
    assert trail == expected


def test_records_are_404_outside_scope_and_for_roles_without_the_procedure(api_as, scene, make_user, tree):
    from ganbu.selection.tests.fixtures import drive

    record = drive(scene, "proposal")
    outsider = make_user("unit_officer", scope_unit=tree.forestry)
    for user in (outsider, scene.supervisor, scene.members[0]):
        assert api_as(user).get(f"/selection/records/{record.pk}").status_code == 404
    assert api_as(outsider).get("/selection/records").json() == []
    refused = api_as(scene.leader).post(
        f"/selection/records/{record.pk}/withdraw", {"reason": "x", "on": "2024-08-02"}
    )
    assert refused.status_code == 422 and "无权" in text(refused)
