"""The competitive selection API: the staff flow, refusals as 422 with nothing written, scope, pagination."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ganbu.accounts.choices import Role
from ganbu.campaigns import services
from ganbu.campaigns.choices import ApplicationStatus, CampaignStatus, Outcome
from ganbu.campaigns.models import Application, Campaign, InterviewPanel, StageScore
from ganbu.registry.models import ReserveMembership
from ganbu.web.tests.test_campaign_pages import cadre, county, id_number, make_campaign

from .conftest import EMPTY_PAGE

pytestmark = pytest.mark.django_db
D = dt.date
PLAN = {
    "kind": "open_selection",
    "stages": [
        {
            "key": "written",
            "label": "笔试",
            "kind": "written_exam",
            "weight": "1/2",
            "scored": True,
            "cut_ratio": "3",
        },
        {"key": "interview", "label": "面试", "kind": "interview", "weight": "1/2", "scored": True},
        {"key": "inspection", "label": "组织考察", "kind": "inspection"},
    ],
}
__all__ = ["county"]  # the fixture, shared with the page tests


def create_body(unit_id: int, **overrides) -> dict:
    """A campaign as the API takes it: the rules' own JSON for the conditions and the plan."""
    body = {
        "kind": "open_selection",
        "title": "公开选拔县财政局副局长",
        "unit_id": unit_id,
        "announcement": "面向全县公开选拔县财政局副局长1名。",
        "registration_start": "2024-06-01",
        "registration_end": "2024-06-20",
        "cutoff": "2024-06-30",
        "eligibility": {"max_age": 45, "min_service_years": 3, "political_statuses": ["cpc"]},
        "stages": PLAN,
        "reserve_top_n": 3,
        "reserve_level": "deputy_section",
    }
    body.update(overrides)
    return body


def test_the_staff_flow_through_the_api(api_as, officer, make_user, tree, county):
    api = api_as(officer)
    leader = api_as(make_user(Role.ORG_LEADER))
    judges = [make_user(Role.JUDGE, display_name=f"考官{i}") for i in range(3)]
    people = [cadre(tree.finance, name, n) for n, name in enumerate(("赵一", "钱二", "孙三", "李四"))]
    old = cadre(tree.finance, "周五", 10, birth=D(1970, 1, 1))

    made = api.post("/campaigns", create_body(tree.root.pk))
    assert made.status_code == 201, made.content.decode()
    body = made.json()
    cid = body["id"]
    assert body["status"] == "draft" and any("不超过 45 周岁" in line for line in body["conditions"])
    assert body["plan"][0].startswith("1. 笔试，成绩占总成绩的 50%")
    posts = api.post(f"/campaigns/{cid}/posts", {"post_id": county["post"].pk, "places": 1}).json()["posts"]
    offered = posts[0]["id"]
    assert api.post(f"/campaigns/{cid}/open", {}).json()["status"] == "registration"

    one = api.post(f"/campaigns/{cid}/applications", {"first_choice_id": offered, "cadre_id": people[0].pk})
    assert one.status_code == 201 and one.json()["findings"] == []
    birth = D(1990, 2, 3)
    outsider = {
        "first_choice_id": offered,
        "applicant": {
            "name": "冯八",
            "gender": "M",
            "birth_date": birth.isoformat(),
            "id_number": id_number(birth, 20),
            "political_status": "cpc",
            "education": "university",
            "work_start_date": "2013-07-01",
            "last_year_rating": "competent",
        },
    }
    assert api.post(f"/campaigns/{cid}/applications", outsider).status_code == 201
    rows = [{"cadre_id": c.pk, "first_choice_id": offered} for c in (*people[1:], old)]
    bulk = api.post(f"/campaigns/{cid}/applications/bulk", {"rows": rows})
    assert bulk.status_code == 201 and bulk.json() == {"count": 4}
    assert api.post(f"/campaigns/{cid}/close-registration", {}).json()["counts"]["submitted"] == 6

    apps = {a.applicant.name: a for a in Application.objects.select_related("applicant")}
    refused = api.post(f"/campaigns/{cid}/applications/{apps['周五'].pk}/review", {"passed": True})
    assert refused.status_code == 422 and "报名资格条件不符" in refused.json()["detail"]
    assert Application.objects.get(pk=apps["周五"].pk).status == ApplicationStatus.SUBMITTED
    admitted = leader.post(
        f"/campaigns/{cid}/applications/{apps['周五'].pk}/review",
        {"passed": True, "exceptional": True, "note": "业务骨干，破格入围"},
    )
    assert admitted.status_code == 200 and admitted.json()["exceptional"] is True
    assert leader.post(f"/campaigns/{cid}/start-scoring", {}).status_code == 422  # not an officer
    for name in ("赵一", "钱二", "孙三", "李四", "冯八"):
        assert (
            api.post(f"/campaigns/{cid}/applications/{apps[name].pk}/review", {"passed": True}).status_code
            == 200
        )
    assert api.post(f"/campaigns/{cid}/start-scoring", {}).json()["status"] == "scoring"

    # Import all or nothing; then scores; the cut keeps the tie at the line.
    tickets = {name: a.ticket for name, a in apps.items()}
    bad = api.post(
        f"/campaigns/{cid}/stages/written/scores",
        {
            "rows": [{"who": tickets["赵一"], "score": "90"}, {"who": "999999999", "score": "80"}],
            "source": "笔试",
        },
    )
    assert bad.status_code == 422 and "第 2 行" in bad.json()["detail"] and not StageScore.objects.exists()
    written = {"赵一": "90", "钱二": "85", "孙三": "80", "李四": "80", "周五": "70", "冯八": "60"}
    imported = api.post(
        f"/campaigns/{cid}/stages/written/scores",
        {"rows": [{"who": tickets[n], "score": s} for n, s in written.items()], "source": "笔试成绩单"},
    )
    assert imported.status_code == 201 and imported.json() == {"count": 6}
    corrected = api.put(f"/campaigns/{cid}/applications/{apps['冯八'].pk}/scores/written", {"score": "61.5"})
    assert corrected.status_code == 200 and corrected.json()["score"] == "61.50"
    advance = api.post(f"/campaigns/{cid}/stages/written/advance", {})
    assert advance.status_code == 200 and advance.json()["passed"] == 4
    assert advance.json()["notes"] == ["第 3 名并列 2 人，均进入"]

    at_interview = [a.pk for a in Application.objects.filter(stage_reached="interview")]
    panel_body = {
        "stage": "interview",
        "name": "第一考官组",
        "judge_ids": [j.pk for j in judges],
        "criteria": [
            {"key": "c1", "label": "综合分析", "maximum": "60"},
            {"key": "c2", "label": "言语表达", "maximum": "40"},
        ],
        "application_ids": at_interview,
    }
    not_judge = api.post(f"/campaigns/{cid}/panels", {**panel_body, "judge_ids": [officer.pk]})
    assert not_judge.status_code == 422 and "judge_ids" in not_judge.json()["errors"]
    created = api.post(f"/campaigns/{cid}/panels", panel_body)
    assert created.status_code == 201 and created.json()["candidates"] == 4
    panel = InterviewPanel.objects.get()
    early = api.post(f"/campaigns/{cid}/panels/{panel.pk}/lock", {})
    assert early.status_code == 422 and "以下评分尚未提交" in early.json()["detail"]
    interview = {"赵一": 80, "钱二": 88, "孙三": 70, "李四": 75}
    for judge in judges:
        for application in Application.objects.filter(pk__in=at_interview).select_related("applicant"):
            base = interview[application.applicant.name]
            services.panel_sheet_submit(
                actor=judge, panel=panel, application=application, scores={"c1": base - 30, "c2": 30}
            )
    locked = api.post(f"/campaigns/{cid}/panels/{panel.pk}/lock", {})
    assert locked.status_code == 200 and locked.json()["locked"] and locked.json()["sheets"] == 12
    assert api.post(f"/campaigns/{cid}/stages/interview/advance", {}).json()["passed"] == 4

    ranked = api.post(f"/campaigns/{cid}/rank", {})
    assert ranked.status_code == 200
    ranking = ranked.json()
    assert ranking["entries"][0]["name"] == "钱二" and ranking["entries"][0]["total"] == "86.50"
    assert (
        "尚有名额" in ranking["entries"][0]["placement"] and "名额已满" in ranking["entries"][1]["placement"]
    )
    assert ranking["tie_rules"][0] == "1. 按综合成绩由高到低排列名次；"
    assert api.get(f"/campaigns/{cid}/ranking").json() == ranking
    top, second = ranking["entries"][0]["application_id"], ranking["entries"][1]["application_id"]
    too_many = api.post(f"/campaigns/{cid}/decide", {"application_ids": [top, second]})
    assert too_many.status_code == 422 and not Application.objects.filter(outcome=Outcome.APPOINTED).exists()
    decided = api.post(f"/campaigns/{cid}/decide", {"application_ids": [top]})
    assert decided.status_code == 200 and decided.json()["entries"][0]["outcome"] == "appointed"
    assert api.post(f"/campaigns/{cid}/publish", {}).json()["status"] == "published"
    pool = api.post(f"/campaigns/{cid}/reserve", {"on": "2024-09-01"})
    assert pool.status_code == 200 and "未任用的 2 人列为后备干部" in pool.json()["summary"]
    assert ReserveMembership.objects.count() == 2

    stats = api.get(f"/campaigns/{cid}/statistics", {"on": "2024-06-30"})
    assert stats.status_code == 200
    figures = stats.json()
    assert figures["applicants"] == 6 and figures["eligible"] == 6 and figures["ratio"] == "6:1"
    assert figures["per_post"][0]["name"] == "县财政局副局长" and figures["appointed"] == 1
    assert figures["lines"][0].startswith("职位 1 个，报名 6 人")
    assert api.post(f"/campaigns/{cid}/close", {}).json()["status"] == CampaignStatus.CLOSED


def test_bad_input_is_422_in_chinese_and_nothing_is_written(api_as, officer, tree, county):
    api = api_as(officer)
    ages = api.post("/campaigns", create_body(tree.root.pk, eligibility={"max_age": 35, "min_age": 40}))
    assert ages.status_code == 422 and "年龄下限 40 周岁不能高于年龄上限 35 周岁" in ages.json()["detail"]
    unknown = api.post("/campaigns", create_body(tree.root.pk, eligibility={"age": 35}))
    assert unknown.status_code == 422 and "未知字段" in unknown.json()["detail"]
    weights = {**PLAN, "stages": [{**PLAN["stages"][0], "weight": "2/5"}, *PLAN["stages"][1:]]}
    plan = api.post("/campaigns", create_body(tree.root.pk, stages=weights))
    assert plan.status_code == 422 and "权重之和应为 100%" in plan.json()["detail"]
    missing = api.post("/campaigns", create_body(tree.root.pk, title=""))
    assert missing.status_code == 422 and "title" in missing.json()["errors"]
    assert not Campaign.objects.exists()

    campaign = make_campaign(officer, tree, county["post"])
    neither = api.post(f"/campaigns/{campaign.pk}/applications", {"first_choice_id": campaign.posts.get().pk})
    assert neither.status_code == 422 and "cadre_id" in neither.json()["errors"]
    other = make_campaign(officer, tree, county["post"], title="另一次")
    stray = api.post(
        f"/campaigns/{campaign.pk}/applications",
        {"first_choice_id": other.posts.get().pk, "cadre_id": cadre(tree.finance, "赵一", 1).pk},
    )
    assert stray.status_code == 422 and stray.json()["errors"]["first_choice_id"] == [
        "该职位不是本次选拔的职位。"
    ]
    birth = D(1990, 2, 3)
    wrong = api.post(
        f"/campaigns/{campaign.pk}/applications",
        {
            "first_choice_id": campaign.posts.get().pk,
            "applicant": {
                "name": "冯八",
                "gender": "F",
                "birth_date": birth.isoformat(),
                "id_number": id_number(birth, 20),
                "political_status": "cpc",
                "education": "university",
            },
        },
    )
    assert wrong.status_code == 422 and "applicant.id_number" in wrong.json()["errors"]
    assert not Application.objects.exists()
    ballot = api.post(f"/campaigns/{campaign.pk}/stages/written/scores-from-ballot", {"ballot_id": 999})
    assert ballot.status_code == 422 and ballot.json()["errors"] == {
        "ballot_id": ["请选择一次您可查看的、已计票的民主测评。"]
    }
    not_open = api.put(f"/campaigns/{campaign.pk}/applications/{999}/scores/written", {"score": "80"})
    assert not_open.status_code == 404


def test_a_unit_officer_of_another_subtree_gets_404(api_as, officer, make_user, tree, county):
    campaign = make_campaign(officer, tree, county["post"], unit=tree.finance)
    town = api_as(make_user(Role.UNIT_OFFICER, scope_unit=tree.town))
    for path in ("", "/applications", "/ranking", "/statistics", "/panels"):
        assert town.get(f"/campaigns/{campaign.pk}{path}").status_code == 404, path
    assert town.post(f"/campaigns/{campaign.pk}/close-registration", {}).status_code == 404
    assert town.get("/campaigns").json() == EMPTY_PAGE
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.REGISTRATION
    own = api_as(make_user(Role.UNIT_OFFICER, scope_unit=tree.finance))
    assert own.get(f"/campaigns/{campaign.pk}").status_code == 200


def test_applications_paginate_with_filters_in_a_fixed_number_of_queries(api_as, officer, tree, county):
    small = make_campaign(officer, tree, county["post"], title="小")
    large = make_campaign(officer, tree, county["post"], title="大")
    for campaign, unit, n, start in ((small, tree.finance, 10, 0), (large, tree.station, 200, 100)):
        people = [
            cadre(unit, f"报名{start + i:03d}", start + i, birth=D(1985, 1 + i % 12, 1 + i % 28))
            for i in range(n)
        ]
        offered = campaign.posts.get()
        services.applications_enter_bulk(
            actor=officer, campaign=campaign, rows=[(p, offered, None) for p in people]
        )
    api = api_as(officer)
    api.get("/campaigns")  # the token's last use is stamped once a minute: not part of the count

    def count(campaign: Campaign, params: dict) -> tuple[int, dict]:
        with CaptureQueriesContext(connection) as captured:
            response = api.get(f"/campaigns/{campaign.pk}/applications", params)
        assert response.status_code == 200
        return len(captured), response.json()

    few, small_page = count(small, {"limit": 50})
    many, large_page = count(large, {"limit": 50})
    assert few == many and small_page["count"] == 10 and large_page["count"] == 200
    assert len(large_page["items"]) == 50 and large_page["items"][0]["status"] == "submitted"
    _, last = count(large, {"limit": 50, "offset": 190})
    assert len(last["items"]) == 10
    _, per_unit = count(large, {"unit_id": tree.forestry.pk, "q": "报名1"})
    assert per_unit["count"] == 100  # 报名100 … 报名199, all in the station under forestry
    _, elsewhere = count(large, {"unit_id": tree.town.pk})
    assert elsewhere["count"] == 0
    bad = api.get(f"/campaigns/{large.pk}/applications", {"status": "nonsense"})
    assert bad.status_code == 422 and "status" in bad.json()["errors"]
