"""A cadre applies from their self-service account (个人自荐, ``services.application_self_nominate``)."""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.accounts.choices import Role
from ganbu.campaigns import selectors, services
from ganbu.campaigns.choices import ApplicationStatus
from ganbu.campaigns.models import Application
from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditEvent
from ganbu.registry.choices import CadreStatus, Rank
from ganbu.registry.tests.factories import CadreFactory, UnitFactory

from .scene import born, id_number, open_campaign, open_competition, today


@pytest.fixture
def cadre(tree):
    """A serving cadre of 县林业局, 30 years old, with a valid ID number."""
    birth = born(30)
    return CadreFactory(
        name="林自荐",
        unit=tree.forestry,
        birth_date=birth,
        id_number=id_number(birth, 7),
        work_start_date=dt.date(today().year - 8, 7, 1),
        rank=Rank.STAFF,
    )


@pytest.fixture
def own(make_user, cadre):
    """The cadre's self-service login."""
    return make_user(Role.CADRE, cadre=cadre)


def competition(tree, officer, scope):
    """The scene's 竞争上岗 and its one post."""
    campaign = open_competition(tree, officer, scope)
    return campaign, campaign.posts.get()


def test_the_cadre_applies_with_the_facts_of_their_record(tree, officer, own, cadre):
    scene = open_campaign(tree, officer)
    application = services.application_self_nominate(
        actor=own, campaign=scene.campaign, first_choice=scene.posts[0], second_choice=scene.posts[1]
    )
    applicant = application.applicant
    assert applicant.cadre == cadre and applicant.unit == tree.forestry and applicant.user is None
    assert applicant.name == "林自荐" and applicant.id_number == cadre.id_number
    assert applicant.unit_name == "县林业局"
    assert application.status == ApplicationStatus.SUBMITTED and application.ticket
    # Checked against the conditions at once, on the record's facts: no education and no rating recorded.
    assert {f["rule"] for f in application.findings} == {"CAMPAIGN-EDUCATION", "INSP-01-RATING-MISSING"}
    event = AuditEvent.objects.filter(event_type="campaign.application_submitted").get()
    assert event.actor == own and event.cadre_id == cadre.pk
    assert [a.pk for a in selectors.own_applications(own)] == [application.pk]
    assert scene.campaign not in selectors.nomination_campaigns(own, today())  # applied: not offered again


def test_only_a_self_service_login_linked_to_a_record_may_apply(tree, officer, make_user):
    scene = open_campaign(tree, officer)
    for user in (officer, make_user(Role.CADRE), make_user(Role.APPLICANT)):
        with pytest.raises(ServiceError, match="关联本人干部档案"):
            services.application_self_nominate(
                actor=user, campaign=scene.campaign, first_choice=scene.posts[0]
            )
        assert selectors.nomination_campaigns(user, today()) == []
    assert not Application.objects.exists()


def test_outside_the_registration_period_nothing_is_written(tree, officer, own):
    scene = open_campaign(tree, officer)
    later = today() + dt.timedelta(days=11)
    with pytest.raises(ServiceError, match="不在报名时间内"):
        services.application_self_nominate(
            actor=own, campaign=scene.campaign, first_choice=scene.posts[0], on=later
        )
    assert scene.campaign not in selectors.nomination_campaigns(own, later)
    assert not Application.objects.exists()


def test_a_cadre_who_left_cannot_apply(tree, officer, own, cadre):
    scene = open_campaign(tree, officer)
    cadre.status = CadreStatus.RETIRED
    cadre.save()
    with pytest.raises(ServiceError, match="在职干部"):
        services.application_self_nominate(actor=own, campaign=scene.campaign, first_choice=scene.posts[0])


def test_a_competition_takes_only_cadres_of_the_units_it_covers(tree, officer, own):
    inside, post = competition(tree, officer, [tree.forestry])
    assert inside in selectors.nomination_campaigns(own, today())
    application = services.application_self_nominate(actor=own, campaign=inside, first_choice=post)
    assert application.applicant.cadre_id == own.cadre_id

    outside = open_competition(tree, officer, [tree.finance], title="财政系统竞争上岗")
    assert outside not in selectors.nomination_campaigns(own, today())
    with pytest.raises(ServiceError) as err:
        services.application_self_nominate(actor=own, campaign=outside, first_choice=outside.posts.get())
    assert "县林业局不在本次竞争上岗的范围内" in str(err.value) and "MODE-07" in str(err.value)
    assert "党政机关竞争上岗工作暂行规定" in str(err.value)
    assert list(Application.objects.all()) == [application]


def test_a_competition_of_a_subtree_covers_the_units_below(tree, officer, make_user):
    below = UnitFactory(name="县林业局林业站", parent=tree.forestry)
    birth = born(35)
    person = CadreFactory(name="站里人", unit=below, birth_date=birth, id_number=id_number(birth, 9))
    campaign, post = competition(tree, officer, [tree.forestry])
    login = make_user(Role.CADRE, cadre=person)
    assert campaign in selectors.nomination_campaigns(login, today())
    assert services.application_self_nominate(actor=login, campaign=campaign, first_choice=post).pk


def test_applying_twice_is_refused(tree, officer, own):
    scene = open_campaign(tree, officer)
    services.application_self_nominate(actor=own, campaign=scene.campaign, first_choice=scene.posts[0])
    with pytest.raises(ServiceError, match="已报名本次选拔"):
        services.application_self_nominate(actor=own, campaign=scene.campaign, first_choice=scene.posts[1])
    assert Application.objects.count() == 1


def test_the_cadre_withdraws_their_own_application_and_no_one_elses(tree, officer, own, make_user):
    scene = open_campaign(tree, officer)
    mine = services.application_self_nominate(actor=own, campaign=scene.campaign, first_choice=scene.posts[0])
    birth = born(33)
    other = CadreFactory(name="别人", unit=tree.forestry, birth_date=birth, id_number=id_number(birth, 11))
    theirs = services.application_enter(
        actor=officer, campaign=scene.campaign, first_choice=scene.posts[0], cadre=other
    )
    with pytest.raises(ServiceError):
        services.application_withdraw(actor=own, application=theirs, reason="")
    services.application_withdraw(actor=own, application=mine, reason="另有安排")
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == ApplicationStatus.WITHDRAWN and theirs.status == ApplicationStatus.SUBMITTED
