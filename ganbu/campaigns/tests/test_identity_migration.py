"""Applicant records made before migration 0004 get their identity state from what is known of them."""

from __future__ import annotations

import importlib

from django.apps import apps as registry

from ganbu.accounts.choices import Role
from ganbu.campaigns import services
from ganbu.campaigns.models import Applicant, IdentityStatus
from ganbu.registry.tests.factories import CadreFactory

from .scene import born, id_number, open_campaign, register

migration = importlib.import_module("ganbu.campaigns.migrations.0004_applicant_identity")


def test_cadres_are_the_registrys_reviewed_outsiders_verified_by_their_reviewer_the_rest_wait(
    tree, officer, make_user
):
    scene = open_campaign(tree, officer)
    passed, waiting = register(scene, 1), register(scene, 2)
    birth = born(35)
    cadre = CadreFactory(unit=tree.forestry, birth_date=birth, gender="M", id_number=id_number(birth, 3))
    own = make_user(Role.CADRE, cadre=cadre)
    services.application_self_nominate(actor=own, campaign=scene.campaign, first_choice=scene.posts[0])
    services.campaign_close_registration(actor=officer, campaign=scene.campaign)
    services.application_review(actor=officer, application=passed, passed=True)
    Applicant.objects.update(
        identity=IdentityStatus.UNVERIFIED,
        identity_basis="",
        identity_checked_by=None,
        identity_checked_at=None,
    )

    migration.classify_existing_applicants(registry, None)

    states = {a.pk: (a.identity, a.identity_checked_by_id) for a in Applicant.objects.all()}
    assert states[passed.applicant_id] == (IdentityStatus.VERIFIED, officer.pk)
    assert states[waiting.applicant_id] == (IdentityStatus.UNVERIFIED, None)
    assert Applicant.objects.get(cadre=cadre).identity == IdentityStatus.REGISTRY
