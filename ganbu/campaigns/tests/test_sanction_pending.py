"""A cadre whose sanction is not lifted because of a new violation pending from its period (DISC-04)
is seen by the campaign's eligibility as still sanctioned, as in the appointment procedure."""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.campaigns import services
from ganbu.campaigns.models import Application
from ganbu.registry.choices import AssessmentGrade, Rank
from ganbu.registry.models import Assessment, RankRecord, RewardSanction
from ganbu.registry.tests.factories import CadreFactory

from .scene import born, id_number, open_campaign, today

pytestmark = pytest.mark.django_db


def warned_cadre(tree, seq: int, *, pending: bool):
    """A cadre eligible but for a 警告 whose six months ended a month ago."""
    birth = born(32)
    cadre = CadreFactory(
        name=f"警告{seq}",
        unit=tree.finance,
        birth_date=birth,
        id_number=id_number(birth, seq),
        political_status="cpc",
        highest_education="university",
        work_start_date=dt.date(today().year - 9, 7, 1),
        rank=Rank.STAFF,
    )
    RankRecord.objects.create(cadre=cadre, rank=Rank.STAFF, start_date=dt.date(2015, 3, 1))
    Assessment.objects.create(cadre=cadre, year=today().year - 1, grade=AssessmentGrade.COMPETENT)
    RewardSanction.objects.create(
        cadre=cadre,
        kind="sanction",
        name="警告",
        sanction_type="warning",
        decided_on=today() - dt.timedelta(days=240),
        effective_until=today() - dt.timedelta(days=30),
        approving_body="县监委",
        new_violation_pending=pending,
    )
    return cadre


def findings_text(application: Application) -> str:
    return " ".join(str(f) for f in application.findings)


def test_a_pending_new_violation_keeps_the_sanction_in_the_findings(officer, tree):
    scene = open_campaign(tree, officer, title="竞争上岗")
    pending = warned_cadre(tree, 1, pending=True)
    lifted = warned_cadre(tree, 2, pending=False)
    made = {}
    for cadre in (pending, lifted):
        services.application_enter(
            actor=officer, campaign=scene.campaign, first_choice=scene.posts[0], cadre=cadre
        )
        made[cadre.pk] = Application.objects.get(campaign=scene.campaign, applicant__cadre=cadre)
    assert "期满不解除" in findings_text(made[pending.pk])
    assert "警告" not in findings_text(made[lifted.pk])
