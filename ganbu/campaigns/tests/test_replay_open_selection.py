"""The seed's women-only open selection of August 2002, replayed through the services.

10 副科级 posts; 177 applicants (registry cadres entered by staff and outside applicants registering
themselves); 笔试 → 面试 → 民主测评 → 组织考察; 9 appointed; the unappointed in the top 30 into the
科级后备干部 pool. The campaign statistics are compared with counts made independently from the data.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from itertools import pairwise

import pytest

from ganbu.accounts.choices import Role
from ganbu.campaigns import selectors, services
from ganbu.campaigns.choices import ApplicationStatus, CampaignKind, CampaignStatus, Outcome
from ganbu.campaigns.models import Application, Campaign
from ganbu.core.audit import audit_verify
from ganbu.core.errors import ServiceError
from ganbu.registry.choices import AssessmentGrade, Education, Gender, PostKind, Rank, ReserveLevel, UnitKind
from ganbu.registry.models import Assessment, Quota, ReserveMembership
from ganbu.registry.tests.factories import CadreFactory, PostFactory, UnitFactory
from ganbu.rules.dates import age_on
from ganbu.rules.idcard import check_char

D = dt.date
CUTOFF = D(2002, 8, 31)
APPOINTEE_AGES = (34, 22, 29, 30, 28, 27, 31, 29, 29)  # mean 28.78 → 28.8, as the seed reports


def id_number(birth: dt.date, seq: int, female: bool = True) -> str:
    """A valid ID number (GB 11643-1999) for a birth date, a sequence and a gender."""
    order = seq * 2 + (0 if female else 1)
    first17 = f"530102{birth:%Y%m%d}{order % 1000:03d}"
    return first17 + check_char(first17)


def born(age: int, n: int) -> dt.date:
    """A birth date giving ``age`` 周岁 on the cut-off day, spread over the year by ``n``."""
    return D(CUTOFF.year - age - 1, 9 + n % 4, 1 + n % 27)


@pytest.fixture
def county(tree):
    """Ten county organs with one vacant 副科级 deputy post each and room in their quota."""
    units = [
        UnitFactory(name=f"县直单位{n}", parent=tree.root, kind=UnitKind.COUNTY_ORGAN) for n in range(10)
    ]
    posts = []
    for unit in units:
        Quota.objects.create(unit=unit, kind=PostKind.DEPUTY, number=2)
        posts.append(PostFactory(unit=unit, title="副局长", kind=PostKind.DEPUTY, rank=Rank.DEPUTY_SECTION))
    return units, posts


def test_women_only_open_selection_of_2002(officer, make_user, tree, county):
    units, posts = county
    leader = make_user("org_leader")
    campaign = services.campaign_create(
        actor=officer,
        kind=CampaignKind.OPEN_SELECTION,
        title="2002年公开选拔副科级女领导干部",
        unit=tree.root,
        announcement="面向全县公开选拔副科级女领导干部10名。",
        registration_start=D(2002, 8, 1),
        registration_end=D(2002, 8, 15),
        cutoff=CUTOFF,
        eligibility={
            "required_gender": "F",
            "max_age": 35,
            "min_education": "JUNIOR_COLLEGE",
            "min_service_years": 2,
            "announcement": "《公开选拔副科级女领导干部公告》",
        },
        reserve_top_n=30,
        reserve_level=ReserveLevel.SECTION,
    )
    offered = [services.campaign_post_add(actor=officer, campaign=campaign, post=p) for p in posts]
    services.campaign_open(actor=officer, campaign=campaign)

    # 150 in-service women entered by staff; 27 outsiders register on the public page.
    # Ineligible on purpose: 5 aged 36, 4 with 中专, 3 with one year of service, 2 men.
    people = []
    for n in range(150):
        age = 36 if n < 5 else (APPOINTEE_AGES[n - 20] if 20 <= n < 29 else 24 + n % 11)
        birth = born(age, n)
        cadre = CadreFactory(
            unit=units[n % 10],
            name=f"女干部{n:03d}",
            gender=Gender.FEMALE,
            birth_date=birth,
            id_number=id_number(birth, n),
            work_start_date=D(2001, 6, 1) if 5 <= n < 8 else D(1998, 7, 1),
            highest_education=Education.TECHNICAL if 8 <= n < 12 else Education.UNIVERSITY,
            political_status="cpc" if n % 3 else "masses",
            rank=Rank.STAFF,
        )
        Assessment.objects.create(cadre=cadre, year=2001, grade=AssessmentGrade.COMPETENT)
        people.append(
            services.application_enter(
                actor=officer, campaign=campaign, first_choice=offered[n % 10], cadre=cadre
            )
        )
    for n in range(27):
        male = n < 2
        birth = born(25 + n % 8, n)
        data = services.ApplicantData(
            name=f"报名人{n:02d}",
            gender="M" if male else "F",
            birth_date=birth,
            id_number=id_number(birth, 300 + n, female=not male),
            political_status="cpc",
            education="university",
            work_start_date=D(1999, 7, 1),
            unit_name="外县单位",
            last_year_rating="competent",
        )
        people.append(
            services.application_register(
                campaign=campaign, data=data, first_choice=offered[(n + 3) % 10], on=D(2002, 8, 10)
            )
        )
    assert campaign.applications.count() == 177
    with pytest.raises(Exception, match="不在报名时间内"):
        services.application_register(
            campaign=campaign, data=data, first_choice=offered[0], on=D(2002, 8, 16)
        )

    # 资格审查: the check's findings decide; the ineligible are rejected with the reason.
    services.campaign_close_registration(actor=officer, campaign=campaign)
    for application in Application.objects.filter(campaign=campaign):
        if application.findings:
            services.application_review(
                actor=officer, application=application, passed=False, note=application.findings[0]["message"]
            )
        else:
            services.application_review(actor=officer, application=application, passed=True)
    qualified = list(Application.objects.filter(campaign=campaign, status=ApplicationStatus.QUALIFIED))
    assert len(qualified) == 177 - 14
    rejected = Application.objects.filter(campaign=campaign, status=ApplicationStatus.REJECTED)
    assert {f["rule"] for a in rejected for f in a.findings} >= {
        "CAMPAIGN-AGE-MAX",
        "CAMPAIGN-EDUCATION",
        "CAMPAIGN-SERVICE",
        "CAMPAIGN-GENDER",
    }
    services.campaign_start_scoring(actor=officer, campaign=campaign)

    # 笔试: the nine appointees-to-be score highest, each in a different post's field.
    favourites = {people[n].pk for n in range(20, 29)}
    # Scores from each application's place in the list, not its id: ids depend on what ran before
    # on PostgreSQL (sequences are not rolled back), and some ids made ties the assertions exclude.
    seq = {a.pk: n for n, a in enumerate(sorted(qualified, key=lambda a: a.pk), start=1)}
    rows = []
    for line, application in enumerate(sorted(qualified, key=lambda a: a.pk), start=2):
        base = 95 if application.pk in favourites else 50 + (seq[application.pk] * 37) % 40
        rows.append(services.ScoreRow(line=line, who=application.applicant.id_number, score=str(base)))
    assert (
        services.stage_scores_import(
            actor=officer, campaign=campaign, stage="written", rows=rows, source="笔试成绩单"
        )
        == 163
    )
    written = services.stage_advance(actor=officer, campaign=campaign, stage="written")
    assert written.passed >= 30  # 10 posts × 3, ties at the line included

    # 面试: five judges, two criteria; trimmed mean drops the highest and the lowest.
    judges = [make_user(Role.JUDGE, username=f"judge{i}") for i in range(5)]
    interviewees = list(Application.objects.filter(campaign=campaign, stage_reached="interview"))
    panel = services.panel_create(
        actor=officer,
        campaign=campaign,
        stage="interview",
        name="第一考官组",
        judges=judges,
        criteria=[
            {"key": "expression", "label": "综合分析与表达", "maximum": 50},
            {"key": "fit", "label": "岗位匹配", "maximum": 50},
        ],
        applications=interviewees,
    )
    for judge_no, judge in enumerate(judges):
        for application in interviewees:
            base = 46 if application.pk in favourites else 30 + (seq[application.pk] + judge_no) % 15
            services.panel_sheet_submit(
                actor=judge,
                panel=panel,
                application=application,
                scores={"expression": base, "fit": base - judge_no % 2},
            )
    with pytest.raises(Exception, match="不是该考官组的考官"):
        services.panel_sheet_submit(
            actor=officer, panel=panel, application=interviewees[0], scores={"expression": 1, "fit": 1}
        )
    assert services.panel_lock(actor=officer, panel=panel) == len(interviewees)
    services.stage_advance(actor=officer, campaign=campaign, stage="interview")
    evaluated = Application.objects.filter(campaign=campaign, stage_reached="evaluation").count()
    assert evaluated >= 20
    services.stage_advance(actor=officer, campaign=campaign, stage="evaluation")
    allocation = services.campaign_rank(actor=officer, campaign=campaign)
    # First choices only (no second choice in this campaign): a post nobody in the final list chose
    # stays empty; each post gets at most its one place.
    assigned = list(campaign.applications.filter(assigned_post__isnull=False))
    assert 9 <= len(assigned) <= 10 and len({a.assigned_post_id for a in assigned}) == len(assigned)
    assert all(a.assigned_post_id == a.first_choice_id for a in assigned)
    assert allocation.method
    # The ranking is stored as ranked: the page reads it a page at a time, in this order.
    ranked = list(selectors.ranked_applications(campaign))
    assert [a.position for a in ranked] == list(range(1, len(ranked) + 1))
    assert all(x.total >= y.total and x.place <= y.place for x, y in pairwise(ranked))
    assert all(a.place_note.startswith(f"第 {a.place} 名") for a in ranked)
    assert all(bool(a.placement_note) is (a.stage_reached == "inspection") for a in ranked)
    assert selectors.ranking_summary(Campaign.objects.get(pk=campaign.pk)).method == allocation.method

    # 组织考察 and the committee: nine appointed (one post's finalist was not, after inspection).
    appointed = list(Application.objects.filter(campaign=campaign, pk__in=favourites))
    assert all(a.assigned_post_id for a in appointed)
    unplaced = Application.objects.filter(campaign=campaign, place__isnull=False, assigned_post=None).first()
    assert unplaced is not None
    with pytest.raises(ServiceError, match="任用人选须是已排名并已分配职位的人员"):
        services.campaign_decide(actor=officer, campaign=campaign, appointed=[*appointed, unplaced])
    services.campaign_decide(actor=officer, campaign=campaign, appointed=appointed)
    services.campaign_publish(actor=officer, campaign=campaign)
    preview = selectors.reserve_preview(campaign)
    pool = services.campaign_reserve(actor=officer, campaign=campaign, on=D(2002, 10, 8))
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.PUBLISHED

    # Independent counts from the data.
    apps = list(Application.objects.filter(campaign=campaign).select_related("applicant"))
    appointees = [a for a in apps if a.outcome == Outcome.APPOINTED]
    ages = sorted(age_on(a.applicant.birth_date, CUTOFF) for a in appointees)
    stats = selectors.campaign_statistics(campaign, CUTOFF)
    assert stats.applicants == len(apps) == 177
    assert stats.eligible == sum(1 for a in apps if a.status == ApplicationStatus.QUALIFIED) == 163
    assert stats.posts == 10 and stats.appointed == len(appointees) == 9
    assert stats.ratio.text == "17.7:1"
    assert stats.ages is not None
    assert (stats.ages.oldest, stats.ages.youngest) == (max(ages), min(ages)) == (34, 22)
    assert stats.ages.mean_text == Decimal("28.8") == round(Decimal(sum(ages)) / 9, 1)
    assert stats.women == 9 and stats.men == 0
    assert stats.party == sum(1 for a in appointees if a.applicant.political_status == "cpc")
    top30 = {a.pk for a in apps if a.place is not None and a.place <= 30}
    unappointed_top30 = {a.pk for a in apps if a.pk in top30 and a.outcome != Outcome.APPOINTED}
    assert {int(k) for k in pool.keys} == unappointed_top30
    assert preview is not None and {int(k) for k in preview.keys} == unappointed_top30  # the page showed them
    in_pool = ReserveMembership.objects.filter(source__startswith="2002年公开选拔副科级女领导干部")
    cadres_in_top = {a.applicant.cadre_id for a in apps if a.pk in unappointed_top30 and a.applicant.cadre_id}
    assert set(in_pool.values_list("cadre_id", flat=True)) == cadres_in_top
    assert all(m.level == ReserveLevel.SECTION for m in in_pool)
    assert audit_verify().ok
    assert leader is not None
