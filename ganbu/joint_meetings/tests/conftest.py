"""Fixtures of the joint-meeting tests: a supervisor, a scoped supervisor, a cadre, a meeting."""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.joint_meetings import services
from ganbu.registry.tests.factories import CadreFactory


@pytest.fixture
def supervisor(make_user):
    """A county 纪委 user: runs joint meetings (``Cap.SUPERVISION_MANAGE``, county-wide)."""
    return make_user("supervisor", display_name="县纪委")


@pytest.fixture
def scoped_supervisor(make_user, tree):
    """A supervisor limited to 县林业局: sees meetings, may not run them."""
    return make_user("supervisor", scope_unit=tree.forestry, display_name="林业局纪检组")


@pytest.fixture
def cadre(tree):
    """A cadre of 县财政局."""
    return CadreFactory(name="钱一", unit=tree.finance)


@pytest.fixture
def forestry_cadre(tree):
    """A cadre of 县林业局."""
    return CadreFactory(name="孙二", unit=tree.forestry)


@pytest.fixture
def meeting(supervisor):
    """A planned meeting on 2026-01-15 (reviewing the second half of 2025)."""
    return services.meeting_create(actor=supervisor, held_on=dt.date(2026, 1, 15))
