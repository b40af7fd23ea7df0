"""Whose ID number it is: unverified claims, owners, conflicts for staff (docs/decisions/0010).

Someone may type another person's ID number on the public page. The registration is accepted like
any other (so the answer tells an outsider nothing), it takes nothing over, it never blocks the
person's own application, and it stands as an identity conflict until staff settle it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from ganbu.accounts.choices import Role
from ganbu.accounts.models import User
from ganbu.campaigns import portal, portal_selectors, selectors, services
from ganbu.campaigns.choices import ApplicationStatus
from ganbu.campaigns.models import Applicant, Application, IdentityStatus
from ganbu.core.audit import audit_verify
from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditEvent
from ganbu.registry.choices import Rank
from ganbu.registry.tests.factories import CadreFactory

from .scene import PASSWORD, applicant_data, born, id_number, open_campaign, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(tree, officer):
    return open_campaign(tree, officer)


@pytest.fixture
def cadre(tree):
    """林真名, a serving cadre of 县林业局 whose ID number the registry holds."""
    birth = born(32)
    return CadreFactory(
        name="林真名",
        unit=tree.forestry,
        birth_date=birth,
        gender="M",
        id_number=id_number(birth, 21),
        rank=Rank.STAFF,
        highest_education="university",
        work_start_date=dt.date(birth.year + 22, 7, 1),
    )


@pytest.fixture
def own(make_user, cadre):
    """The cadre's self-service login."""
    return make_user(Role.CADRE, cadre=cadre)


def impostor(scene, cadre, *, username: str = "maoming", campaign=None):
    """Someone registers on the public page with the cadre's name, birth date and ID number."""
    data = dataclasses.replace(
        applicant_data(90, age=32), name=cadre.name, birth_date=cadre.birth_date, id_number=cadre.id_number
    )
    return portal.applicant_register(
        campaign=campaign or scene.campaign,
        data=data,
        first_choice=(campaign.posts.first() if campaign else scene.posts[0]),
        account=portal.NewAccount(username=username, password=PASSWORD),
        source="198.51.100.66",
    )


def test_a_public_registration_with_a_cadres_id_number_does_not_block_their_self_nomination(
    scene, cadre, own
):
    taken = impostor(scene, cadre)
    assert taken.applicant.identity == IdentityStatus.UNVERIFIED and taken.applicant.cadre is None

    mine = services.application_self_nominate(actor=own, campaign=scene.campaign, first_choice=scene.posts[1])

    assert mine.applicant.cadre == cadre and mine.applicant.identity == IdentityStatus.REGISTRY
    assert mine.applicant.user is None and mine.applicant_id != taken.applicant_id
    assert [a.pk for a in selectors.own_applications(own)] == [mine.pk]
    # The impostor's login sees only what they typed, nothing of the cadre's.
    assert [a.pk for a in selectors.own_applications(taken.applicant.user)] == [taken.pk]
    conflicts = portal_selectors.identity_conflicts(scene.campaign)
    assert len(conflicts) == 1
    assert {c.applicant.pk for c in conflicts[0].claims} == {taken.applicant_id, mine.applicant_id}
    assert {c.application.pk for c in conflicts[0].claims if c.application} == {taken.pk, mine.pk}


def test_staff_entering_a_cadre_do_not_hand_their_record_to_the_impostors_login(tree, scene, cadre, officer):
    taken = impostor(scene, cadre)
    other = open_campaign(tree, officer, title="公开选拔乡镇副职")
    entered = services.application_enter(
        actor=officer, campaign=other.campaign, first_choice=other.posts[0], cadre=cadre
    )
    assert entered.applicant_id != taken.applicant_id and entered.applicant.cadre == cadre
    assert [a.pk for a in selectors.own_applications(taken.applicant.user)] == [taken.pk]
    taken.applicant.refresh_from_db()
    assert taken.applicant.cadre is None and taken.applicant.identity == IdentityStatus.UNVERIFIED


def test_the_review_refuses_a_conflict_and_passing_verifies_an_unchallenged_identity(scene, cadre, own):
    taken = impostor(scene, cadre)
    mine = services.application_self_nominate(actor=own, campaign=scene.campaign, first_choice=scene.posts[1])
    plain = register(scene, 5)
    services.campaign_close_registration(actor=scene.officer, campaign=scene.campaign)
    for application in (taken, mine):
        with pytest.raises(ServiceError, match="身份冲突"):
            services.application_review(actor=scene.officer, application=application, passed=True)
        assert Application.objects.get(pk=application.pk).status == ApplicationStatus.SUBMITTED
    services.application_review(actor=scene.officer, application=plain, passed=True)
    plain.applicant.refresh_from_db()
    assert plain.applicant.identity == IdentityStatus.VERIFIED
    assert plain.applicant.identity_checked_by == scene.officer and plain.applicant.identity_basis
    event = AuditEvent.objects.filter(event_type="campaign.identity_verified").get()
    assert event.target_id == str(plain.applicant_id) and event.after["identity"] == IdentityStatus.VERIFIED


def test_staff_settle_the_conflict_audited_and_nothing_else_changes(scene, cadre, own):
    taken = impostor(scene, cadre)
    mine = services.application_self_nominate(actor=own, campaign=scene.campaign, first_choice=scene.posts[1])
    bystander = register(scene, 6)
    services.campaign_close_registration(actor=scene.officer, campaign=scene.campaign)
    before_events = AuditEvent.objects.count()
    untouched = {
        a.pk: (a.status, a.review_note, a.findings, a.ticket)
        for a in Application.objects.exclude(pk=taken.pk)
    }
    applicants = {a.pk: (a.identity, a.user_id, a.cadre_id, a.name) for a in Applicant.objects.all()}

    with pytest.raises(ServiceError) as refused:
        services.identity_conflict_resolve(
            actor=scene.officer, campaign=scene.campaign, keep=mine.applicant, basis="", reason=""
        )
    assert "reason" in refused.value.message_dict
    assert AuditEvent.objects.count() == before_events

    rejected = services.identity_conflict_resolve(
        actor=scene.officer,
        campaign=scene.campaign,
        keep=mine.applicant,
        basis="",
        reason="身份证号为在册干部林真名本人所有，另一报名所填身份证号非其本人。",
    )

    assert rejected == 1
    taken.refresh_from_db()
    taken.applicant.refresh_from_db()
    assert taken.status == ApplicationStatus.REJECTED and "身份证号非其本人" in taken.review_note
    assert taken.reviewed_by == scene.officer
    assert taken.applicant.identity == IdentityStatus.REJECTED
    assert taken.applicant.identity_checked_by == scene.officer
    # Nothing else moved: the other applications and the other records are as they were.
    assert {
        a.pk: (a.status, a.review_note, a.findings, a.ticket)
        for a in Application.objects.exclude(pk=taken.pk)
    } == untouched
    for a in Applicant.objects.exclude(pk=taken.applicant_id):
        assert (a.identity, a.user_id, a.cadre_id, a.name) == applicants[a.pk]
    events = list(AuditEvent.objects.filter(pk__gt=_last(before_events)).order_by("id"))
    assert [e.event_type for e in events] == ["campaign.identity_resolved", "campaign.application_reviewed"]
    assert events[0].after["identity"] == IdentityStatus.REJECTED
    assert events[0].reason.startswith("身份证号为在册干部") and events[0].actor == scene.officer
    assert events[1].after == {"application_id": taken.pk, "status": ApplicationStatus.REJECTED}
    assert all(cadre.id_number not in str(e.before) + str(e.after) for e in events)
    assert audit_verify().ok
    assert portal_selectors.identity_conflicts(scene.campaign) == []
    # Settled: the cadre's own application is reviewed like any other.
    services.application_review(actor=scene.officer, application=mine, passed=True, note="考核等次已核实")
    assert Application.objects.get(pk=mine.pk).status == ApplicationStatus.QUALIFIED
    assert bystander.pk in untouched and mine.pk in untouched


def _last(count: int) -> int:
    """The id of the ``count``-th audit event (the last one before the action under test)."""
    return AuditEvent.objects.order_by("id").values_list("id", flat=True)[count - 1]


def test_an_account_that_owns_a_verified_id_number_keeps_it(tree, officer, scene):
    owner_app = register(scene, 7)
    owner = owner_app.applicant.user
    services.campaign_close_registration(actor=officer, campaign=scene.campaign)
    services.application_review(actor=officer, application=owner_app, passed=True)
    later = open_campaign(tree, officer, title="公开选拔县直机关副职")

    # Someone else registers later with the owner's ID number: accepted, but takes nothing.
    data = dataclasses.replace(applicant_data(7), name="冒名者", phone="13900000000")
    claim = portal.applicant_register(
        campaign=later.campaign,
        data=data,
        first_choice=later.posts[0],
        account=portal.NewAccount(username="someone", password=PASSWORD),
        source="198.51.100.67",
    )
    record = Applicant.objects.get(pk=owner_app.applicant_id)
    assert record.user == owner and record.identity == IdentityStatus.VERIFIED
    assert record.name == "报名人07" and record.phone != "13900000000"
    assert claim.applicant_id != record.pk and claim.applicant.identity == IdentityStatus.UNVERIFIED
    assert [c.applicant.pk for c in portal_selectors.identity_conflicts(later.campaign)[0].claims] == [
        record.pk,
        claim.applicant_id,
    ]
    # The owner applies again with their login, as before.
    again = portal.applicant_register(
        campaign=later.campaign,
        data=applicant_data(7),
        first_choice=later.posts[1],
        user=owner,
        source="192.0.2.7",
    )
    assert again.applicant_id == record.pk
    # The number stays with its owner: staff cannot settle it on the later claim, nor pass it.
    with pytest.raises(ServiceError, match="已核验"):
        services.identity_conflict_resolve(
            actor=officer, campaign=later.campaign, keep=claim.applicant, basis="id_card_seen", reason="核对"
        )
    services.campaign_close_registration(actor=officer, campaign=later.campaign)
    with pytest.raises(ServiceError, match="身份冲突"):
        services.application_review(actor=officer, application=claim, passed=True)
    assert Applicant.objects.get(pk=claim.applicant_id).identity == IdentityStatus.UNVERIFIED
    assert User.objects.filter(role="applicant").count() == 2


def test_two_unverified_claims_are_settled_on_the_one_whose_document_staff_checked(scene):
    first = register(scene, 8, name="甲")
    second = portal.applicant_register(
        campaign=scene.campaign,
        data=dataclasses.replace(applicant_data(8), name="乙"),
        first_choice=scene.posts[1],
        account=portal.NewAccount(username="yi", password=PASSWORD),
        source="198.51.100.68",
    )
    with pytest.raises(ServiceError) as refused:
        services.identity_conflict_resolve(
            actor=scene.officer, campaign=scene.campaign, keep=second.applicant, basis="", reason="现场核验"
        )
    assert "basis" in refused.value.message_dict
    services.identity_conflict_resolve(
        actor=scene.officer,
        campaign=scene.campaign,
        keep=second.applicant,
        basis="id_card_seen",
        reason="乙到组织部现场出示身份证原件，与所填一致。",
    )
    kept = Applicant.objects.get(pk=second.applicant_id)
    assert kept.identity == IdentityStatus.VERIFIED and kept.identity_basis == "现场核验身份证原件"
    assert Applicant.objects.get(pk=first.applicant_id).identity == IdentityStatus.REJECTED
    assert Application.objects.get(pk=first.pk).status == ApplicationStatus.REJECTED
    assert Application.objects.get(pk=second.pk).status == ApplicationStatus.SUBMITTED


def test_only_those_who_run_the_campaign_settle_its_conflicts(scene, cadre, own, make_user):
    taken = impostor(scene, cadre)
    services.application_self_nominate(actor=own, campaign=scene.campaign, first_choice=scene.posts[1])
    for outsider in (make_user(Role.ORG_LEADER), taken.applicant.user, own):
        with pytest.raises(ServiceError):
            services.identity_conflict_resolve(
                actor=outsider,
                campaign=scene.campaign,
                keep=taken.applicant,
                basis="id_card_seen",
                reason="x",
            )
    assert Applicant.objects.get(pk=taken.applicant_id).identity == IdentityStatus.UNVERIFIED


def test_scores_keyed_by_the_id_number_go_to_the_application_that_passed(scene):
    # The holder registered first; a later claim with their number was settled and rejected.
    holder = register(scene, 9)
    claim = portal.applicant_register(
        campaign=scene.campaign,
        data=dataclasses.replace(applicant_data(9), name="冒名者"),
        first_choice=scene.posts[1],
        account=portal.NewAccount(username="later", password=PASSWORD),
        source="198.51.100.69",
    )
    services.campaign_close_registration(actor=scene.officer, campaign=scene.campaign)
    services.identity_conflict_resolve(
        actor=scene.officer,
        campaign=scene.campaign,
        keep=holder.applicant,
        basis="id_card_seen",
        reason="本人到场出示身份证原件。",
    )
    services.application_review(actor=scene.officer, application=holder, passed=True)
    services.campaign_start_scoring(actor=scene.officer, campaign=scene.campaign)
    row = services.ScoreRow(line=2, who=holder.applicant.id_number, score="88")
    services.stage_scores_import(
        actor=scene.officer, campaign=scene.campaign, stage="written", rows=[row], source="笔试成绩单"
    )
    assert holder.scores.get().score == 88 and not claim.scores.exists()
    # The Excel sheet names the holder by ticket and ID number alike: one person, not two.
    from ganbu.campaigns import excel
    from ganbu.campaigns.choices import ImportStatus
    from ganbu.campaigns.models import ImportJob

    from .excel_support import workbook

    sheet = workbook([[holder.ticket, holder.applicant.id_number, holder.applicant.name, 90, None]])
    scene.campaign.refresh_from_db()
    job = excel.import_scores(actor=scene.officer, campaign=scene.campaign, stage="written", data=sheet)
    job = ImportJob.objects.get(pk=job.pk)
    assert job.status == ImportStatus.DONE, job.errors
    assert holder.scores.get().score == 90 and not claim.scores.exists()
