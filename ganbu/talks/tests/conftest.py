"""Fixtures for talks tests: a supervisor (纪委), a unit officer and a cadre of 县财政局."""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.registry.tests.factories import CadreFactory


@pytest.fixture
def supervisor(make_user):
    """A 纪委 user: records talks, sees supervision records, edits nothing else in the registry."""
    return make_user("supervisor", display_name="县纪委")


@pytest.fixture
def unit_officer(make_user, tree):
    """A unit personnel officer of 县财政局: no supervision capability."""
    return make_user("unit_officer", scope_unit=tree.finance, display_name="财政局人事干部")


@pytest.fixture
def cadre(tree):
    """A cadre of 县财政局."""
    return CadreFactory(unit=tree.finance, name="周谈话", birth_date=dt.date(1980, 5, 1))
