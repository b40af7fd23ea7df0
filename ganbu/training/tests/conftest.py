"""Fixtures for training tests: a unit officer of 县财政局, cadres, a program and a class."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ganbu.registry.tests.factories import CadreFactory
from ganbu.training import services
from ganbu.training.choices import Mode, Organizer, Purpose, TargetGroup

D = dt.date


@pytest.fixture
def unit_officer(make_user, tree):
    """A unit personnel officer of 县财政局: reads training of their subtree, arranges nothing."""
    return make_user("unit_officer", scope_unit=tree.finance, display_name="财政局人事干部")


@pytest.fixture
def finance_cadres(tree):
    """Three serving cadres of 县财政局."""
    return [
        CadreFactory(unit=tree.finance, name=name, birth_date=D(1980, 5, 1), rank="deputy_section")
        for name in ("甲培训", "乙培训", "丙培训")
    ]


@pytest.fixture
def town_cadre(tree):
    """A cadre of 城关镇 (outside the finance officer's scope)."""
    return CadreFactory(unit=tree.town, name="丁城关", birth_date=D(1985, 1, 1), rank="staff")


@pytest.fixture
def program(officer):
    """An off-the-job rotation program of 2025 at the county Party school."""
    return services.program_create(
        actor=officer,
        title="2025年中层干部轮训",
        year=2025,
        target_group=TargetGroup.MIDDLE,
        purpose=Purpose.ROTATION,
        organizer=Organizer.COUNTY_SCHOOL,
        mode=Mode.OFF_THE_JOB,
    )


@pytest.fixture
def klass(officer, program):
    """A 5-day, 70-hour class for 3 trainees."""
    return services.class_create(
        actor=officer,
        program=program,
        title="中层干部轮训第一期",
        start_date=D(2025, 3, 3),
        end_date=D(2025, 3, 7),
        total_hours=Decimal(70),
        capacity=3,
        place="县委党校",
    )
