"""Fixtures for assessment tests: a round of 县财政局's cadres and a way to grade it."""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.assessment import services
from ganbu.assessment.models import AssessmentRound
from ganbu.registry.tests.factories import CadreFactory

HELD = dt.date(2025, 1, 15)
CLOSED = dt.date(2025, 1, 20)


@pytest.fixture
def finance_cadres(tree):
    """Eight serving cadres of 县财政局 (2020 rules: 优秀 generally 1 of 8, at most 2 with approval)."""
    return [CadreFactory(unit=tree.finance) for _ in range(8)]


@pytest.fixture
def annual(officer, tree, finance_cadres) -> AssessmentRound:
    """The 2024 annual round of 县财政局 with its eight cadres."""
    created = services.round_create(actor=officer, unit=tree.finance, year=2024, held_on=HELD)
    services.entries_fill(actor=officer, assessment_round=created)
    return created


@pytest.fixture
def grade(officer):
    """``grade(round, {cadre: code}, default="competent")`` sets every entry's final grade."""

    def _grade(assessment_round, grades=None, default: str = "competent", actor=None) -> None:
        grades = grades or {}
        for entry in assessment_round.entries.select_related("cadre"):
            code = grades.get(entry.cadre, default)
            services.entry_set(
                actor=actor or officer,
                entry=entry,
                data=services.EntryInput(proposed_grade=code, final_grade=code, morality=90),
            )

    return _grade


@pytest.fixture
def unit_officer(make_user, tree):
    """A personnel officer of 县林业局 (not the finance bureau)."""
    return make_user("unit_officer", scope_unit=tree.forestry, display_name="林业局人事干部")


@pytest.fixture
def finance_officer(make_user, tree):
    """A personnel officer of 县财政局."""
    return make_user("unit_officer", scope_unit=tree.finance, display_name="财政局人事干部")
