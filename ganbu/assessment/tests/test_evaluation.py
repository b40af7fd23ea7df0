"""The round's 民主测评 and EVAL-10: a flagged result shows on the round, the exits' case follows it."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from ganbu.assessment import selectors, services
from ganbu.exits import services as exits
from ganbu.exits.tests.helpers import run_evaluation
from ganbu.registry.tests.factories import CadreFactory
from ganbu.voting.models import BallotItem

from .conftest import HELD


def test_flagged_result_and_its_case_show_on_the_round(officer, tree):
    cadre = CadreFactory(unit=tree.town)
    created = services.round_create(actor=officer, unit=tree.town, year=2024, held_on=HELD)
    services.entries_fill(actor=officer, assessment_round=created)
    ballot = services.round_ballot_create(actor=officer, assessment_round=created)
    item = BallotItem.objects.get(ballot=ballot)
    result = run_evaluation(officer, ballot, item, ["incompetent", "incompetent", "competent"])
    created.refresh_from_db()
    client = Client()
    client.force_login(officer)
    page = client.get(reverse("web:assessment-detail", args=[created.pk])).content.decode()
    assert "超过阈值" in page and reverse("web:exit-case-list") in page
    case = exits.incompetence_case_open(actor=officer, opened_on=HELD, evaluation=result)
    [(shown, linked)] = selectors.round_evaluation(user=officer, assessment_round=created)["results"]
    assert shown.pk == result.pk and linked == case
    page = client.get(reverse("web:assessment-detail", args=[created.pk])).content.decode()
    assert reverse("web:exit-case-detail", args=[case.pk]) in page
    assert cadre.name in page
