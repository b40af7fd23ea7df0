"""An open selection's finalists pass into the appointment procedure (MODE-03), with its checks."""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.accounts.choices import Role
from ganbu.campaigns import services
from ganbu.campaigns.choices import CampaignKind
from ganbu.campaigns.models import Application
from ganbu.campaigns.tests.test_replay_open_selection import id_number
from ganbu.core.errors import ServiceError
from ganbu.registry.choices import AssessmentGrade, Education, Gender, PostKind, Rank
from ganbu.registry.models import Assessment, Quota, RankRecord
from ganbu.registry.tests.factories import CadreFactory, PostFactory
from ganbu.selection.models import StepEvent

D = dt.date


def test_finalists_become_the_inspection_candidates_of_a_selection_record(officer, make_user, tree):
    Quota.objects.create(unit=tree.finance, kind=PostKind.DEPUTY, number=1)
    post = PostFactory(unit=tree.finance, title="副局长", kind=PostKind.DEPUTY, rank=Rank.DEPUTY_SECTION)
    campaign = services.campaign_create(
        actor=officer,
        kind=CampaignKind.OPEN_SELECTION,
        title="公开选拔县财政局副局长",
        unit=tree.root,
        announcement="公开选拔县财政局副局长1名。",
        registration_start=D(2024, 3, 1),
        registration_end=D(2024, 3, 15),
        cutoff=D(2024, 3, 31),
        eligibility={"max_age": 40, "min_service_years": 3},
    )
    offered = services.campaign_post_add(actor=officer, campaign=campaign, post=post)
    services.campaign_open(actor=officer, campaign=campaign)
    for n in range(5):
        birth = D(1990 - n, 5, 1 + n)
        cadre = CadreFactory(
            unit=tree.finance,
            name=f"人选{n}",
            gender=Gender.FEMALE,
            birth_date=birth,
            id_number=id_number(birth, n),
            work_start_date=D(2010, 7, 1),
            highest_education=Education.UNIVERSITY,
        )
        Assessment.objects.create(cadre=cadre, year=2023, grade=AssessmentGrade.COMPETENT)
        RankRecord.objects.create(cadre=cadre, rank=Rank.STAFF, start_date=D(2012, 1, 1))
        services.application_enter(actor=officer, campaign=campaign, first_choice=offered, cadre=cadre)
    services.campaign_close_registration(actor=officer, campaign=campaign)
    for application in Application.objects.filter(campaign=campaign):
        services.application_review(actor=officer, application=application, passed=True)
    services.campaign_start_scoring(actor=officer, campaign=campaign)
    apps = list(Application.objects.filter(campaign=campaign).select_related("applicant").order_by("pk"))
    rows = [services.ScoreRow(line=i + 2, who=a.ticket, score=str(90 - 5 * i)) for i, a in enumerate(apps)]
    services.stage_scores_import(actor=officer, campaign=campaign, stage="written", rows=rows, source="笔试")
    assert services.stage_advance(actor=officer, campaign=campaign, stage="written").passed == 3
    judges = [make_user(Role.JUDGE) for _ in range(3)]
    interviewees = list(Application.objects.filter(campaign=campaign, stage_reached="interview"))
    panel = services.panel_create(
        actor=officer,
        campaign=campaign,
        stage="interview",
        name="考官组",
        judges=judges,
        criteria=[{"key": "all", "label": "综合", "maximum": 100}],
        applications=interviewees,
        drop_high=0,
        drop_low=0,
    )
    for judge in judges:
        for n, a in enumerate(interviewees):  # from the place in the list: ids vary on PostgreSQL
            services.panel_sheet_submit(actor=judge, panel=panel, application=a, scores={"all": 80 + n % 7})
    services.panel_lock(actor=officer, panel=panel)
    assert services.stage_advance(actor=officer, campaign=campaign, stage="interview").passed == 2
    services.stage_advance(actor=officer, campaign=campaign, stage="evaluation")
    with pytest.raises(ServiceError, match="不能转入组织考察"):
        services.campaign_hand_over(actor=officer, campaign=campaign, on=D(2024, 5, 6))
    services.campaign_rank(actor=officer, campaign=campaign)
    record = services.campaign_hand_over(actor=officer, campaign=campaign, on=D(2024, 5, 6))
    assert record.step == "candidates"
    finalists = {
        a.applicant.cadre_id
        for a in Application.objects.filter(campaign=campaign, stage_reached="inspection")
    }
    assert {c.cadre_id for c in record.candidates.all()} == finalists and len(finalists) == 2
    assert "公开选拔县财政局副局长产生" in StepEvent.objects.get(record=record, step="recommendation").note
