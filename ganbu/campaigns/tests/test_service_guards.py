"""Guards of the campaign services: tickets never collide, nobody takes over another's record by
typing an ID number, judges are judges, a judge's marks stay out of the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.accounts.choices import Role
from ganbu.campaigns import services
from ganbu.campaigns.choices import CampaignKind
from ganbu.campaigns.models import Applicant, Application
from ganbu.campaigns.tests.test_replay_open_selection import id_number
from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditEvent
from ganbu.registry.choices import PostKind, Rank
from ganbu.registry.models import Quota
from ganbu.registry.tests.factories import PostFactory

D = dt.date


@pytest.fixture
def campaign(officer, tree):
    """An open selection for one post, registration open in March 2024."""
    Quota.objects.create(unit=tree.finance, kind=PostKind.DEPUTY, number=1)
    made = services.campaign_create(
        actor=officer,
        kind=CampaignKind.OPEN_SELECTION,
        title="公开选拔",
        unit=tree.root,
        announcement="公告",
        registration_start=D(2024, 3, 1),
        registration_end=D(2024, 3, 15),
        cutoff=D(2024, 3, 31),
        eligibility={},
    )
    services.campaign_post_add(
        actor=officer,
        campaign=made,
        post=PostFactory(unit=tree.finance, kind=PostKind.DEPUTY, rank=Rank.DEPUTY_SECTION),
    )
    services.campaign_open(actor=officer, campaign=made)
    return made


def data(n, name="报名人"):
    """An outside applicant's facts."""
    birth = D(1990, 1, 1 + n)
    return services.ApplicantData(
        name=f"{name}{n}",
        gender="F",
        birth_date=birth,
        id_number=id_number(birth, n),
        political_status="cpc",
        education="university",
        work_start_date=D(2012, 7, 1),
        last_year_rating="competent",
    )


def test_tickets_are_sequential_and_unique(campaign):
    post = campaign.posts.get()
    for n in range(30):
        services.application_register(campaign=campaign, data=data(n), first_choice=post, on=D(2024, 3, 5))
    tickets = list(Application.objects.filter(campaign=campaign).values_list("ticket", flat=True))
    assert len(set(tickets)) == 30
    assert sorted(tickets) == [f"{campaign.pk:04d}{n:05d}" for n in range(1, 31)]


def test_an_id_number_typed_by_another_login_takes_over_nothing(campaign, make_user, officer, tree):
    post = campaign.posts.get()
    owner = make_user(Role.APPLICANT)
    services.application_register(
        campaign=campaign, data=data(1), first_choice=post, user=owner, on=D(2024, 3, 5)
    )
    other = services.campaign_create(
        actor=officer,
        kind=CampaignKind.OPEN_SELECTION,
        title="另一次公开选拔",
        unit=tree.root,
        announcement="公告",
        registration_start=D(2024, 3, 1),
        registration_end=D(2024, 3, 15),
        cutoff=D(2024, 3, 31),
        eligibility={},
    )
    Quota.objects.filter(unit=tree.finance).update(number=2)
    services.campaign_post_add(
        actor=officer,
        campaign=other,
        post=PostFactory(unit=tree.finance, kind=PostKind.DEPUTY, rank=Rank.DEPUTY_SECTION),
    )
    services.campaign_open(actor=officer, campaign=other)
    intruder = make_user(Role.APPLICANT)
    for user in (intruder, None):
        # Accepted as a claim of its own (an identity conflict for staff), never on the owner's record.
        claim = services.application_register(
            campaign=other,
            data=data(1, name="冒名"),
            first_choice=other.posts.get(),
            user=user,
            on=D(2024, 3, 6),
        )
        assert claim.applicant.user == user and claim.applicant.applications.count() == 1
    services.application_register(
        campaign=other, data=data(1), first_choice=other.posts.get(), user=owner, on=D(2024, 3, 6)
    )
    assert Application.objects.filter(applicant__user=owner).count() == 2
    assert Applicant.objects.get(user=owner).name != "冒名"


def test_competition_is_not_open_to_public_registration(officer, tree):
    Quota.objects.create(unit=tree.town, kind=PostKind.MIDDLE_HEAD, number=1)
    made = services.campaign_create(
        actor=officer,
        kind=CampaignKind.COMPETITION,
        title="竞争上岗",
        unit=tree.root,
        announcement="公告",
        registration_start=D(2024, 3, 1),
        registration_end=D(2024, 3, 15),
        cutoff=D(2024, 3, 31),
        eligibility={},
    )
    services.campaign_post_add(
        actor=officer,
        campaign=made,
        post=PostFactory(unit=tree.town, kind=PostKind.MIDDLE_HEAD, rank=Rank.MIDDLE_HEAD),
    )
    services.campaign_open(actor=officer, campaign=made)
    with pytest.raises(ServiceError, match="统一报名"):
        services.application_register(
            campaign=made, data=data(2), first_choice=made.posts.get(), on=D(2024, 3, 5)
        )


def test_judges_must_be_judges_and_their_marks_stay_out_of_the_audit(campaign, officer, make_user):
    post = campaign.posts.get()
    for n in range(3):
        services.application_register(campaign=campaign, data=data(n), first_choice=post, on=D(2024, 3, 5))
    services.campaign_close_registration(actor=officer, campaign=campaign)
    for a in Application.objects.filter(campaign=campaign):
        services.application_review(actor=officer, application=a, passed=True)
    services.campaign_start_scoring(actor=officer, campaign=campaign)
    apps = list(Application.objects.filter(campaign=campaign).order_by("pk"))
    criteria = [{"key": "all", "label": "综合", "maximum": 100}]
    with pytest.raises(ServiceError, match="进入面试"):  # nobody has passed the written exam yet
        services.panel_create(
            actor=officer,
            campaign=campaign,
            stage="interview",
            name="组",
            judges=[make_user(Role.JUDGE) for _ in range(3)],
            criteria=criteria,
            applications=apps,
        )
    for n, a in enumerate(apps):
        services.stage_score_set(actor=officer, application=a, stage="written", score=str(80 + n))
    services.stage_advance(actor=officer, campaign=campaign, stage="written")  # 1:3, all three go on
    with pytest.raises(ServiceError, match="不是面试考官"):
        services.panel_create(
            actor=officer,
            campaign=campaign,
            stage="interview",
            name="组",
            judges=[officer, make_user(Role.JUDGE), make_user(Role.JUDGE)],
            criteria=criteria,
            applications=apps,
        )
    judges = [make_user(Role.JUDGE) for _ in range(3)]
    panel = services.panel_create(
        actor=officer,
        campaign=campaign,
        stage="interview",
        name="组",
        judges=judges,
        criteria=criteria,
        applications=apps,
    )
    services.panel_sheet_submit(actor=judges[0], panel=panel, application=apps[0], scores={"all": "87.5"})
    event = AuditEvent.objects.get(event_type="campaign.sheet_submitted")
    assert "87.5" not in str(event.after) and event.after["application_id"] == apps[0].pk
    services.application_withdraw(actor=officer, application=apps[2], reason="本人申请")
    for judge in judges:
        for a in apps[:2]:
            services.panel_sheet_submit(actor=judge, panel=panel, application=a, scores={"all": 80})
    assert services.panel_lock(actor=officer, panel=panel) == 2  # the withdrawn candidate needs no sheets
