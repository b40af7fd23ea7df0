"""Shared pytest fixtures: a small unit tree and one user per role."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import settings

# The suite asserts results and query counts, never time (speed is measured by ``make bench``):
# Hypothesis's default 200 ms deadline per example only made property tests fail on a loaded machine.
settings.register_profile("ganbu", deadline=None)
settings.load_profile("ganbu")

# Ballot and selection fixtures (make_committee, scene …) are used by app, web and API tests alike.
pytest_plugins = ["ganbu.voting.tests.fixtures", "ganbu.selection.tests.fixtures"]


@dataclass
class Tree:
    """A small county: root → 县财政局; root → 县林业局 → 林业站; root → 城关镇."""

    root: object
    finance: object
    forestry: object
    station: object
    town: object


@pytest.fixture
def tree(db):
    from ganbu.registry.choices import UnitKind
    from ganbu.registry.tests.factories import UnitFactory

    root = UnitFactory(name="示例县", kind=UnitKind.COUNTY)
    finance = UnitFactory(name="县财政局", parent=root)
    forestry = UnitFactory(name="县林业局", parent=root)
    station = UnitFactory(name="第一林业站", parent=forestry, kind=UnitKind.INTERNAL)
    town = UnitFactory(name="城关镇", parent=root, kind=UnitKind.TOWN)
    return Tree(root=root, finance=finance, forestry=forestry, station=station, town=town)


@pytest.fixture
def make_user(db):
    """``make_user(role, scope_unit=None, cadre=None, **fields)`` → a saved user (password pass-word-123)."""
    from ganbu.registry.tests.factories import UserFactory

    def _make(role: str, **fields):
        return UserFactory(role=role, **fields)

    return _make


@pytest.fixture
def officer(make_user):
    """An organization-department officer with county-wide scope."""
    return make_user("org_officer", display_name="组织部干部")


@pytest.fixture
def procedure_todos_only(monkeypatch):
    """The to-do list without issue 14's and 15's groups (assessment, supervision, allocation, training).

    For the tests written for the appointment procedure's groups, which count and list every group
    of a county holding only their records: the joint meeting is "due" in such a county too, and the
    supervision groups have their own tests (``ganbu/todo/tests/test_supervision_groups.py``).
    """
    from ganbu.todo import selectors

    monkeypatch.setattr(selectors, "supervision_groups", lambda user, on, limit: [])
    monkeypatch.setattr(selectors, "allocation_groups", lambda user, on, limit: [])
