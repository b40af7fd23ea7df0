"""The competitive selection staff pages: the whole flow through the pages, refusals, scope, query counts.

A small 公开选拔 of one 副局长 post of 县财政局: created on the page with its conditions and a stage
plan (笔试 50% 1:3 → 面试 50% → 组织考察), applications entered one by one, by bulk and for an outside
applicant, reviewed (a refused pass and a leader's exception), scored, cut with a tie at the line,
interviewed by a panel, ranked, decided, published, the reserve pool and the statistics.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ganbu.accounts.choices import Role
from ganbu.campaigns import services
from ganbu.campaigns.choices import ApplicationStatus, CampaignKind, CampaignStatus, Outcome
from ganbu.campaigns.models import Application, Campaign, CampaignPost, InterviewPanel, StageScore
from ganbu.registry.choices import AssessmentGrade, Education, PostKind, Rank
from ganbu.registry.models import Assessment, Quota, RankRecord, ReserveMembership
from ganbu.registry.tests.factories import CadreFactory, PostFactory
from ganbu.rules.idcard import check_char
from ganbu.selection.models import SelectionRecord

pytestmark = pytest.mark.django_db
D = dt.date
CUTOFF = D(2024, 6, 30)
STAGES = [
    # key, label, kind, weight %, pass mark, 1:N, full mark
    ("written", "笔试", "written_exam", "50", "", "3", "100"),
    ("interview", "面试", "interview", "50", "", "", "100"),
    ("inspection", "组织考察", "inspection", "0", "", "", "100"),
]


def id_number(birth: dt.date, seq: int, female: bool = False) -> str:
    """A valid ID number (GB 11643-1999) for a birth date, a sequence and a gender."""
    order = (seq % 500) * 2 + (0 if female else 1)
    first17 = f"530102{birth:%Y%m%d}{order:03d}"
    return first17 + check_char(first17)


def cadre(unit: Any, name: str, seq: int, *, birth: dt.date | None = None, **kwargs: Any) -> Any:
    """A serving 一般干部 since 2014 with a degree and a 称职 rating for 2023 (born 1988 unless told)."""
    birth = birth or D(1988, 4, 1)
    person = CadreFactory(
        unit=unit,
        name=name,
        birth_date=birth,
        id_number=id_number(birth, seq),
        work_start_date=D(2012, 7, 1),
        highest_education=Education.UNIVERSITY,
        rank=kwargs.pop("rank", Rank.STAFF),
        **kwargs,
    )
    Assessment.objects.create(cadre=person, year=2023, grade=AssessmentGrade.COMPETENT)
    RankRecord.objects.create(cadre=person, rank=Rank.STAFF, start_date=D(2014, 1, 1))
    return person


def stage_data(rows: list[tuple[str, ...]] = STAGES) -> dict[str, Any]:
    """The stage table as the create form posts it."""
    data: dict[str, Any] = {
        "st-TOTAL_FORMS": str(len(rows)),
        "st-INITIAL_FORMS": str(len(rows)),
        "st-MIN_NUM_FORMS": "0",
        "st-MAX_NUM_FORMS": "8",
    }
    names = ("key", "label", "kind", "weight", "pass_mark", "cut_ratio", "full_mark")
    for n, row in enumerate(rows):
        data.update({f"st-{n}-{name}": value for name, value in zip(names, row, strict=True)})
    return data


def create_data(unit: Any, **overrides: Any) -> dict[str, Any]:
    """A complete create form: conditions, timetable, reserve rule and the stage table."""
    data = {
        "kind": CampaignKind.OPEN_SELECTION,
        "title": "2024年公开选拔县财政局副局长",
        "unit": unit.pk,
        "announcement": "面向全县公开选拔县财政局副局长1名。",
        "registration_start": "2024-06-01",
        "registration_end": "2024-06-20",
        "cutoff": CUTOFF.isoformat(),
        "max_age": "45",
        "min_education": "junior_college",
        "min_service_years": "3",
        "political_statuses": ["cpc", "cpc_probationary"],
        "exclude_low_rating": "on",
        "exclude_sanctioned": "on",
        "reserve_top_n": "3",
        "reserve_level": "deputy_section",
        **stage_data(),
    }
    data.update(overrides)
    return data


@pytest.fixture
def county(tree):
    """县财政局 with a 副局长 post in quota, a post over quota, and cadres to apply."""
    Quota.objects.create(unit=tree.finance, kind=PostKind.DEPUTY, number=1)
    post = PostFactory(unit=tree.finance, title="副局长", kind=PostKind.DEPUTY, rank=Rank.DEPUTY_SECTION)
    no_quota = PostFactory(unit=tree.town, title="副镇长", kind=PostKind.DEPUTY, rank=Rank.DEPUTY_SECTION)
    return {"post": post, "no_quota": no_quota}


def make_campaign(officer: Any, tree: Any, post: Any, cut: bool = True, **kwargs: Any) -> Campaign:
    """A campaign in registration through the services: one post, the page plan (1:3 unless not ``cut``)."""
    plan: dict[str, Any] = {
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
    if not cut:
        del plan["stages"][0]["cut_ratio"]
    campaign = services.campaign_create(
        actor=officer,
        kind=CampaignKind.OPEN_SELECTION,
        title=kwargs.pop("title", "公开选拔县财政局副局长"),
        unit=kwargs.pop("unit", tree.root),
        announcement="公开选拔县财政局副局长1名。",
        registration_start=D(2024, 6, 1),
        registration_end=D(2024, 6, 20),
        cutoff=CUTOFF,
        eligibility={"max_age": 45, "min_service_years": 3},
        stages=plan,
        **kwargs,
    )
    services.campaign_post_add(actor=officer, campaign=campaign, post=post)
    services.campaign_open(actor=officer, campaign=campaign)
    return campaign


def page(client: Any, name: str, campaign: Campaign, query: str = "", **kwargs: Any) -> Any:
    """GET one of the campaign's pages."""
    return client.get(reverse(name, args=[campaign.pk, *kwargs.values()]) + query)


def post(client: Any, name: str, campaign: Campaign, data: dict[str, Any], *args: Any) -> Any:
    """POST to one of the campaign's forms."""
    return client.post(reverse(name, args=[campaign.pk, *args]), data)


def text(response: Any) -> str:
    """The response body."""
    return response.content.decode()


# ---------------------------------------------------------------- the whole flow


def test_the_whole_staff_flow_through_the_pages(client, officer, make_user, tree, county):
    leader = make_user(Role.ORG_LEADER, display_name="部长")
    judges = [make_user(Role.JUDGE, display_name=f"考官{i}") for i in range(3)]
    people = [cadre(tree.finance, name, n) for n, name in enumerate(("赵一", "钱二", "孙三", "李四"))]
    old = cadre(tree.finance, "周五", 10, birth=D(1970, 1, 1))  # 54 on the cut-off day: over 45
    late = cadre(tree.finance, "吴六", 11)
    extra = cadre(tree.forestry, "郑七", 12)
    client.force_login(officer)

    # Create: the page pre-fills the kind's default plan; the posted table is what counts.
    form_page = client.get(reverse("web:campaign-create") + "?kind=competition")
    assert form_page.status_code == 200 and "民主测评" in text(form_page)
    created = client.post(reverse("web:campaign-create"), create_data(tree.root))
    campaign = Campaign.objects.get()
    assert created.status_code == 302 and created["Location"] == reverse(
        "web:campaign-detail", args=[campaign.pk]
    )
    assert campaign.eligibility["max_age"] == 45 and campaign.eligibility["min_education"] == "junior_college"
    assert [s["key"] for s in campaign.stages["stages"]] == ["written", "interview", "inspection"]
    assert (
        campaign.stages["stages"][0]["weight"] == "1/2" and campaign.stages["stages"][0]["cut_ratio"] == "3"
    )
    detail = text(client.get(created["Location"]))
    assert "不超过 45 周岁" in detail and "成绩占总成绩的 50%" in detail and "发布公告、开始报名" in detail

    # Posts: one over the town's quota is refused with the rule, the finance post is listed.
    refused = post(client, "web:campaign-post-add", campaign, {"post": county["no_quota"].pk, "places": 1})
    assert refused.status_code == 400 and "《公务员法》第四十三条" in text(refused)
    assert "QUAL-11" not in text(refused) and not campaign.posts.exists()  # the law in words, no rule ID
    listed = post(client, "web:campaign-post-add", campaign, {"post": county["post"].pk, "places": 1})
    assert listed.status_code == 302 and campaign.posts.count() == 1
    offered = CampaignPost.objects.get()
    assert post(client, "web:campaign-move", campaign, {}, "open").status_code == 302

    # Applications: a registry cadre by the picker, an outsider's facts, then the rest in bulk.
    one = post(
        client, "web:campaign-application-new", campaign, {"cadre": people[0].pk, "first_choice": offered.pk}
    )
    assert one.status_code == 302
    outsider_birth = D(1990, 2, 3)
    outsider = {
        "first_choice": offered.pk,
        "name": "冯八",
        "gender": "M",
        "birth_date": outsider_birth.isoformat(),
        "id_number": id_number(outsider_birth, 20),
        "political_status": "cpc",
        "education": "university",
        "work_start_date": "2013-07-01",
        "unit_name": "外县某局",
        "last_year_rating": "competent",
    }
    assert post(client, "web:campaign-application-new", campaign, outsider).status_code == 302
    bulk_url = reverse("web:campaign-application-bulk", args=[campaign.pk])
    offer = client.get(
        bulk_url, {"unit": tree.finance.pk, "below_rank": Rank.DEPUTY_SECTION, "post": offered.pk}
    )
    offered_names = [c.name for c in offer.context["cadres"]]
    assert (
        offer.status_code == 200 and "钱二" in offered_names and "赵一" not in offered_names
    )  # 赵一 applied
    chosen = [c.pk for c in (*people[1:], old, late)]
    bulk = client.post(
        bulk_url,
        {
            "unit": tree.finance.pk,
            "below_rank": Rank.DEPUTY_SECTION,
            "post": offered.pk,
            "cadres": chosen,
            **{f"post_{pk}": offered.pk for pk in chosen},
        },
    )
    assert bulk.status_code == 302 and campaign.applications.count() == 7
    assert extra.pk not in Application.objects.values_list("applicant__cadre_id", flat=True)
    listing = text(page(client, "web:campaign-applications", campaign))
    assert "冯八" in listing and "周五" in listing and "1 项不符" in listing
    assert post(client, "web:campaign-move", campaign, {}, "close_registration").status_code == 302

    # Review: a pass refused for the applicant with a finding, nothing written; the leader's exception.
    by_name = {a.applicant.name: a for a in Application.objects.select_related("applicant")}
    review_page = text(page(client, "web:campaign-review", campaign))
    assert "CAMPAIGN-AGE-MAX" in review_page and "超过本次选拔规定的45周岁" in review_page
    old_app = by_name["周五"]
    action = "web:campaign-application-action"
    no = post(client, action, campaign, {"rv-decision": "pass", "rv-note": ""}, old_app.pk, "review")
    assert no.status_code == 400 and "报名资格条件不符" in text(no) and "须由组织部领导批准" in text(no)
    old_app.refresh_from_db()
    assert old_app.status == ApplicationStatus.SUBMITTED and old_app.reviewed_by is None
    for name in ("赵一", "钱二", "孙三", "李四", "冯八"):
        done = post(
            client, action, campaign, {"rv-decision": "pass", "next": "review"}, by_name[name].pk, "review"
        )
        assert done.status_code == 302 and done["Location"].startswith(
            reverse("web:campaign-review", args=[campaign.pk])
        )
    rejected = post(
        client,
        action,
        campaign,
        {"rv-decision": "reject", "rv-note": "未按时提交材料"},
        by_name["吴六"].pk,
        "review",
    )
    assert rejected.status_code == 302
    assert "破格入围" not in text(page(client, "web:campaign-application", campaign, application=old_app.pk))
    client.force_login(leader)
    leader_page = text(page(client, "web:campaign-application", campaign, application=old_app.pk))
    assert "破格入围（组织部领导批准）" in leader_page and "提交审查结论" not in leader_page
    admitted = post(
        client, action, campaign, {"ex-note": "业务骨干，经部务会研究破格"}, old_app.pk, "exception"
    )
    assert admitted.status_code == 302
    old_app.refresh_from_db()
    assert old_app.status == ApplicationStatus.QUALIFIED and old_app.exception_approver == leader
    client.force_login(officer)
    assert post(client, "web:campaign-move", campaign, {}, "start_scoring").status_code == 302

    # Scores by hand; a score above the full mark is refused with the service's message.
    scores = text(page(client, "web:campaign-scores", campaign, "?stage=written"))
    assert f"/campaigns/{campaign.pk}/scores/import/" in scores and "冯八" in scores
    over = post(
        client,
        "web:campaign-score-set",
        campaign,
        {"application": by_name["赵一"].pk, "stage": "written", "score": "101"},
    )
    assert over.status_code == 400 and "超过满分 100" in text(over) and not StageScore.objects.exists()
    written = {"赵一": "90", "钱二": "85", "孙三": "80", "李四": "80", "周五": "70", "冯八": "60"}
    for name, score in written.items():
        data = {"application": by_name[name].pk, "stage": "written", "score": score}
        assert post(client, "web:campaign-score-set", campaign, data).status_code == 302
    assert StageScore.objects.count() == 6

    # The cut at 1:3 for one place keeps the tie at the line: four go on, and the page says why.
    advanced = post(client, "web:campaign-stage-advance", campaign, {"stage": "written"})
    assert advanced.status_code == 302
    stages = text(client.get(advanced["Location"]))
    assert "第 3 名并列 2 人，均进入" in stages and "实际进入 4 人" in stages
    interviewees = set(
        Application.objects.filter(stage_reached="interview").values_list("applicant__name", flat=True)
    )
    assert interviewees == {"赵一", "钱二", "孙三", "李四"}

    # The panel: judges of the judge role, criteria, the candidates at the stage; sheets by the judges.
    panel_page = text(page(client, "web:campaign-panels", campaign))
    assert "考官0" in panel_page and "赵一" in panel_page and "冯八" not in panel_page
    at_stage = list(Application.objects.filter(stage_reached="interview"))
    panel_data = {
        "pn-stage": "interview",
        "pn-name": "第一考官组",
        "pn-judges": [j.pk for j in judges],
        "pn-drop_high": "1",
        "pn-drop_low": "1",
        "pn-crit_label_1": "综合分析",
        "pn-crit_max_1": "60",
        "pn-crit_label_2": "言语表达",
        "pn-crit_max_2": "30",
        "pn-candidates": [a.pk for a in at_stage],
    }
    short = post(client, "web:campaign-panel-create", campaign, panel_data)
    assert (
        short.status_code == 400
        and "评分要素满分合计 90" in text(short)
        and not InterviewPanel.objects.exists()
    )
    panel_data["pn-crit_max_2"] = "40"
    assert post(client, "web:campaign-panel-create", campaign, panel_data).status_code == 302
    panel = InterviewPanel.objects.get()
    locked_early = post(client, "web:campaign-panel-lock", campaign, {}, panel.pk)
    assert locked_early.status_code == 400 and "以下评分尚未提交" in text(locked_early)
    interview = {"赵一": 80, "钱二": 88, "孙三": 70, "李四": 75}
    for judge in judges:
        for application in at_stage:
            base = interview[application.applicant.name]
            services.panel_sheet_submit(
                actor=judge, panel=panel, application=application, scores={"c1": base - 30, "c2": 30}
            )
    assert post(client, "web:campaign-panel-lock", campaign, {}, panel.pk).status_code == 302
    panel.refresh_from_db()
    assert panel.locked and StageScore.objects.filter(stage="interview").count() == 4
    through = post(client, "web:campaign-stage-advance", campaign, {"stage": "interview"})
    assert through.status_code == 302
    assert Application.objects.filter(stage_reached="inspection").count() == 4

    # Ranking: the allocation with each person's placement note and the tie rules.
    ranked = post(client, "web:campaign-move", campaign, {"page": "ranking"}, "rank")
    assert ranked.status_code == 302 and ranked["Location"] == reverse(
        "web:campaign-ranking", args=[campaign.pk]
    )
    ranking = text(client.get(ranked["Location"]))
    assert "第一志愿“县财政局副局长”尚有名额" in ranking and "名额已满，未进入" in ranking
    assert "1. 按综合成绩由高到低排列名次；" in ranking and "笔试成绩高者在前" in ranking
    top = Application.objects.get(place=1)
    assert top.applicant.name == "钱二" and top.assigned_post == offered  # 85/2 + 88/2 = 86.5

    # Decide: two for one place is refused; the top one is appointed; publish; the reserve pool.
    second = Application.objects.get(place=2)
    too_many = post(client, "web:campaign-decide", campaign, {"appointed": [top.pk, second.pk]})
    # The form offers only those the allocation placed; anyone else is refused before the service.
    assert too_many.status_code == 400 and "不在可用的选项中" in text(too_many)
    assert not Application.objects.filter(outcome=Outcome.APPOINTED).exists()
    assert post(client, "web:campaign-decide", campaign, {"appointed": [top.pk]}).status_code == 302
    handed = post(client, "web:campaign-hand-over", campaign, {"ho-on": "2024-08-01"})
    record = SelectionRecord.objects.get()  # the finalists go into the appointment procedure's 纪实
    assert handed["Location"] == reverse("web:selection-detail", args=[record.pk])
    assert record.candidates.count() == 3  # the finalists at the plan's last ratio, 1:3 for the post
    assert post(client, "web:campaign-move", campaign, {"page": "ranking"}, "publish").status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.PUBLISHED
    reserve_page = text(page(client, "web:campaign-ranking", campaign))
    assert "前 3 名共 3 人，其中任用 1 人，未任用的 2 人列为后备干部" in reserve_page
    pooled = post(client, "web:campaign-reserve", campaign, {"rs-on": "2024-09-01"})
    assert pooled.status_code == 302
    assert ReserveMembership.objects.filter(source__startswith=campaign.title).count() == 2
    assert "未任用的 2 人列为后备干部" in text(client.get(pooled["Location"]))

    # Statistics with their lines and the per-post ratio.
    stats = text(page(client, "web:campaign-statistics", campaign, "?on=2024-06-30"))
    assert "职位 1 个，报名 7 人，竞争比例 7:1；资格审查合格 6 人" in stats
    assert "任用 1 人" in stats and "县财政局副局长" in stats
    assert post(client, "web:campaign-move", campaign, {}, "close").status_code == 302


# ---------------------------------------------------------------- refusals and bad input


def test_bad_create_input_is_shown_in_chinese_and_nothing_is_written(client, officer, tree):
    client.force_login(officer)
    url = reverse("web:campaign-create")
    missing = client.post(url, create_data(tree.root, title="", announcement=""))
    assert missing.status_code == 400 and "这个字段是必填项" in text(missing)
    weights = stage_data(
        [
            ("written", "笔试", "written_exam", "40", "", "3", "100"),
            ("interview", "面试", "interview", "50", "", "", "100"),
        ]
    )
    bad_plan = client.post(url, create_data(tree.root, **weights))
    assert bad_plan.status_code == 400 and "计入总成绩的环节权重之和应为 100%，实为 90%" in text(bad_plan)
    ages = client.post(url, create_data(tree.root, min_age="40", max_age="35"))
    assert ages.status_code == 400 and "年龄下限 40 周岁不能高于年龄上限 35 周岁" in text(ages)
    years = client.post(url, create_data(tree.root, min_level_years="3"))
    assert years.status_code == 400 and "设置任职年限时须同时设置最低职级" in text(years)
    assert not Campaign.objects.exists()


def test_outside_applicant_without_facts_and_a_wrong_id_number_are_refused(client, officer, tree, county):
    campaign = make_campaign(officer, tree, county["post"])
    offered = campaign.posts.get()
    client.force_login(officer)
    empty = post(client, "web:campaign-application-new", campaign, {"first_choice": offered.pk})
    assert empty.status_code == 400 and "未选择在册干部时，请填写此项" in text(empty)
    wrong = post(
        client,
        "web:campaign-application-new",
        campaign,
        {
            "first_choice": offered.pk,
            "name": "冯八",
            "gender": "F",
            "birth_date": "1990-02-03",
            "id_number": id_number(D(1990, 2, 3), 20),  # a man's number
            "political_status": "cpc",
            "education": "university",
        },
    )
    assert wrong.status_code == 400 and "身份证号中的出生日期或性别与所填不符" in text(wrong)
    assert not Application.objects.exists()


def test_a_move_the_status_does_not_allow_is_refused_with_the_reason(client, officer, tree, county):
    campaign = make_campaign(officer, tree, county["post"])
    client.force_login(officer)
    refused = post(client, "web:campaign-move", campaign, {}, "publish")
    assert refused.status_code == 400 and "尚未确定任用人选" in text(refused)
    early = post(client, "web:campaign-move", campaign, {}, "start_scoring")
    assert early.status_code == 400 and "选拔不能从「报名中」变为「考试与测评」" in text(early)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.REGISTRATION


def test_bulk_entry_refused_for_one_row_writes_nobody(client, officer, tree, county):
    campaign = make_campaign(officer, tree, county["post"])
    offered = campaign.posts.get()
    fine = cadre(tree.finance, "赵一", 1)
    no_id = CadreFactory(unit=tree.finance, name="钱二", id_number=None)
    client.force_login(officer)
    url = reverse("web:campaign-application-bulk", args=[campaign.pk])
    response = client.post(
        url,
        {
            "unit": tree.finance.pk,
            "below_rank": "",
            "post": offered.pk,
            "cadres": [fine.pk, no_id.pk],
            f"post_{fine.pk}": offered.pk,
            f"post_{no_id.pk}": offered.pk,
        },
    )
    body = text(response)
    assert response.status_code == 400 and "（钱二）" in body and "没有身份证号" in body
    assert not Application.objects.exists()


# ---------------------------------------------------------------- scope and roles


def test_a_unit_officer_of_another_subtree_gets_404(client, officer, make_user, tree, county):
    campaign = make_campaign(officer, tree, county["post"], unit=tree.finance)
    town_officer = make_user(Role.UNIT_OFFICER, scope_unit=tree.town)
    client.force_login(town_officer)
    for name in (
        "web:campaign-detail",
        "web:campaign-applications",
        "web:campaign-ranking",
        "web:campaign-statistics",
    ):
        assert page(client, name, campaign).status_code == 404, name
    assert post(client, "web:campaign-move", campaign, {}, "close_registration").status_code == 404
    assert client.get(reverse("web:campaign-list")).status_code == 200
    assert campaign.title not in text(client.get(reverse("web:campaign-list")))
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.REGISTRATION
    client.force_login(make_user(Role.CADRE))
    assert client.get(reverse("web:campaign-list")).status_code == 404


def test_a_unit_officer_runs_their_own_units_competition(client, make_user, tree):
    forestry_officer = make_user(Role.UNIT_OFFICER, scope_unit=tree.forestry)
    client.force_login(forestry_officer)
    form = text(client.get(reverse("web:campaign-create")))
    assert "县林业局" in form and "县财政局" not in form
    data = create_data(tree.forestry, kind=CampaignKind.COMPETITION, title="县林业局中层竞争上岗")
    data.update(
        stage_data(
            [
                ("written", "笔试", "written_exam", "30", "", "", "100"),
                ("interview", "面试", "interview", "40", "", "", "100"),
                ("evaluation", "民主测评", "evaluation", "30", "", "2", "100"),
                ("inspection", "组织考察", "inspection", "0", "", "", "100"),
            ]
        )
    )
    data["scope_units"] = [tree.forestry.pk]
    assert client.post(reverse("web:campaign-create"), data).status_code == 302
    campaign = Campaign.objects.get()
    assert list(campaign.scope_units.all()) == [tree.forestry] and campaign.eligibility["unit_scope"]
    assert "限本次选拔范围内单位的人员报名" in text(page(client, "web:campaign-detail", campaign))
    stolen = client.post(reverse("web:campaign-create"), create_data(tree.finance, title="越权"))
    assert stolen.status_code == 400 and Campaign.objects.count() == 1


def test_the_leadership_reads_every_page_without_the_officers_forms(client, officer, make_user, tree, county):
    campaign = make_campaign(officer, tree, county["post"])
    client.force_login(make_user(Role.ORG_LEADER))
    detail = page(client, "web:campaign-detail", campaign)
    assert detail.status_code == 200 and "截止报名、开始资格审查" not in text(detail)
    for name in (
        "web:campaign-applications",
        "web:campaign-review",
        "web:campaign-scores",
        "web:campaign-stages",
        "web:campaign-panels",
        "web:campaign-ranking",
        "web:campaign-statistics",
    ):
        assert page(client, name, campaign).status_code == 200, name
    assert page(client, "web:campaign-application-new", campaign).status_code == 404
    assert "新建选拔" not in text(client.get(reverse("web:campaign-list")))


# ---------------------------------------------------------------- query counts


def _bulk_applications(officer: Any, campaign: Campaign, unit: Any, n: int, start: int) -> None:
    """``n`` registry cadres entered through the bulk service (the list page is under test)."""
    offered = campaign.posts.get()
    people = [
        cadre(unit, f"报名{start + i:03d}", start + i, birth=D(1985, 1 + i % 12, 1 + i % 28))
        for i in range(n)
    ]
    services.applications_enter_bulk(
        actor=officer, campaign=campaign, rows=[(p, offered, None) for p in people]
    )


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_application_lists_take_the_same_queries_for_10_and_200(client, officer, tree, county):
    small = make_campaign(officer, tree, county["post"], title="小")
    large = make_campaign(officer, tree, county["post"], title="大")
    _bulk_applications(officer, small, tree.finance, 10, 0)
    _bulk_applications(officer, large, tree.station, 200, 100)
    client.force_login(officer)
    for name, query, large_query in [
        ("web:campaign-applications", "", ""),
        ("web:campaign-applications", "?status=submitted&q=报名&stage=written", ""),
        # The per-unit view: each campaign's applicants under their unit (the station is under forestry).
        ("web:campaign-applications", f"?unit={tree.finance.pk}", f"?unit={tree.forestry.pk}"),
        ("web:campaign-review", "", ""),
    ]:
        few = _count(client, reverse(name, args=[small.pk]) + query)
        many = _count(client, reverse(name, args=[large.pk]) + (large_query or query))
        assert few == many, (name, query)
    per_unit = text(
        client.get(reverse("web:campaign-applications", args=[large.pk]) + f"?unit={tree.station.pk}")
    )
    assert "共 200 条" in per_unit
    other_unit = text(
        client.get(reverse("web:campaign-applications", args=[large.pk]) + f"?unit={tree.town.pk}")
    )
    assert "共 0 条" in other_unit


def test_campaign_list_and_scores_page_take_fixed_queries(client, officer, tree, county):
    first = make_campaign(officer, tree, county["post"], title="一")
    client.force_login(officer)
    one = _count(client, reverse("web:campaign-list"))
    Quota.objects.filter(unit=tree.finance).update(number=5)
    for n in range(3):
        make_campaign(officer, tree, county["post"], title=f"又{n}")
    assert _count(client, reverse("web:campaign-list")) == one
    _bulk_applications(officer, first, tree.finance, 12, 0)
    services.campaign_close_registration(actor=officer, campaign=first)
    for a in first.applications.all()[:4]:
        services.application_review(actor=officer, application=a, passed=True)
    url = reverse("web:campaign-scores", args=[first.pk]) + "?stage=written"
    few = _count(client, url)
    for a in first.applications.filter(status=ApplicationStatus.SUBMITTED):
        services.application_review(actor=officer, application=a, passed=True)
    assert _count(client, url) == few


def _ranked(officer: Any, tree: Any, post: Any, n: int, start: int, title: str) -> Campaign:
    """A campaign driven through the services to its ranking, ``n`` applicants all scored (no cut)."""
    campaign = make_campaign(officer, tree, post, cut=False, title=title)
    _bulk_applications(officer, campaign, tree.finance, n, start)
    services.campaign_close_registration(actor=officer, campaign=campaign)
    for a in campaign.applications.all():
        services.application_review(actor=officer, application=a, passed=True)
    services.campaign_start_scoring(actor=officer, campaign=campaign)
    apps = list(campaign.applications.order_by("pk"))
    for i, a in enumerate(apps):
        services.stage_score_set(actor=officer, application=a, stage="written", score=str(90 - i))
    services.stage_advance(actor=officer, campaign=campaign, stage="written")
    for i, a in enumerate(apps):
        a.refresh_from_db()
        if a.stage_reached == "interview":
            services.stage_score_set(actor=officer, application=a, stage="interview", score=str(70 + i % 7))
    services.stage_advance(actor=officer, campaign=campaign, stage="interview")
    services.campaign_rank(actor=officer, campaign=campaign)
    return campaign


def test_ranking_statistics_and_stage_pages_take_fixed_queries(client, officer, tree, county):
    small = _ranked(officer, tree, county["post"], 4, 0, "小")
    large = _ranked(officer, tree, county["post"], 15, 50, "大")
    assert small.applications.filter(place__isnull=False).count() == 4
    assert large.applications.filter(place__isnull=False).count() == 15
    client.force_login(officer)
    for name in (
        "web:campaign-ranking",
        "web:campaign-statistics",
        "web:campaign-stages",
        "web:campaign-detail",
    ):
        few = _count(client, reverse(name, args=[small.pk]))
        many = _count(client, reverse(name, args=[large.pk]))
        assert few == many, name


def test_the_ranking_is_drawn_one_page_at_a_time(client, officer, tree, county, settings):
    settings.GANBU_PAGE_SIZE = 6
    campaign = _ranked(officer, tree, county["post"], 15, 0, "分页")
    client.force_login(officer)
    url = reverse("web:campaign-ranking", args=[campaign.pk])
    names = [a.applicant.name for a in campaign.applications.order_by("place", "pk")]
    first, last = text(client.get(url)), text(client.get(url + "?page=3"))
    assert "1 / 3" in first and "共 15 条，每页 6 条" in first

    def table(page: str) -> str:
        return page.split('id="ranking"')[1].split("</table>")[0]

    assert names[0] in table(first) and names[-1] not in table(first)
    assert names[-1] in table(last) and names[0] not in table(last)
    # The decision offers only the one the allocation placed on the single post, not all fifteen.
    decide = first.split('id="form-decide"')[1].split("</form>")[0]
    assert decide.count('type="checkbox"') == 1


def test_an_application_is_withdrawn_through_its_page(client, officer, tree, county):
    campaign = make_campaign(officer, tree, county["post"])
    application = services.application_enter(
        actor=officer,
        campaign=campaign,
        first_choice=campaign.posts.get(),
        cadre=cadre(tree.finance, "赵一", 1),
    )
    client.force_login(officer)
    action = "web:campaign-application-action"
    empty = post(client, action, campaign, {"wd-reason": ""}, application.pk, "withdraw")
    assert empty.status_code == 400 and "这个字段是必填项" in text(empty)
    done = post(client, action, campaign, {"wd-reason": "本人申请退出"}, application.pk, "withdraw")
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN and application.review_note == "本人申请退出"
    assert "登记退出" not in text(client.get(done["Location"]))


def test_the_menu_offers_the_campaigns_to_who_may_use_them(client, officer, make_user):
    link = f'href="{reverse("web:campaign-list")}"'
    for user, shown in (
        (officer, True),
        (make_user(Role.ORG_LEADER), True),
        (make_user(Role.SUPERVISOR), False),
    ):
        client.force_login(user)
        assert (link in text(client.get(reverse("web:dashboard")))) is shown, user.role


def test_a_competitions_evaluation_stage_takes_its_scores_from_a_ballot(client, officer, tree, county):
    campaign = services.campaign_create(
        actor=officer,
        kind=CampaignKind.COMPETITION,
        title="县财政局中层竞争上岗",
        unit=tree.finance,
        announcement="县财政局中层职位竞争上岗。",
        registration_start=D(2024, 6, 1),
        registration_end=D(2024, 6, 20),
        cutoff=CUTOFF,
        eligibility={},
    )  # the default plan: 笔试 30% → 面试 40% → 民主测评 30% (2:1) → 组织考察
    services.campaign_post_add(actor=officer, campaign=campaign, post=county["post"])
    services.campaign_open(actor=officer, campaign=campaign)
    services.application_enter(
        actor=officer,
        campaign=campaign,
        first_choice=campaign.posts.get(),
        cadre=cadre(tree.finance, "赵一", 1),
    )
    services.campaign_close_registration(actor=officer, campaign=campaign)
    services.application_review(actor=officer, application=campaign.applications.get(), passed=True)
    services.campaign_start_scoring(actor=officer, campaign=campaign)
    client.force_login(officer)
    page_text = text(page(client, "web:campaign-scores", campaign, "?stage=evaluation"))
    assert "从已计票的民主测评折算成绩" in page_text and "民主测评成绩" in page_text
    refused = post(
        client, "web:campaign-scores-ballot", campaign, {"bl-stage": "evaluation", "bl-ballot": "999"}
    )
    assert refused.status_code == 400 and "选择一个有效的选项" in text(refused)
    stages = text(page(client, "web:campaign-stages", campaign))
    assert "按比例确定进入组织考察的人选" not in stages  # nobody stands at the 民主测评 yet
    assert "确定进入面试的人选" in stages
