"""Fixtures for exchanges tests: the scene, an officer (manages), a leader and a unit officer (read)."""

from __future__ import annotations

import pytest

from .scene import build_scene


@pytest.fixture
def scene(db):
    """The county of ``scene.build_scene``."""
    return build_scene()


@pytest.fixture
def leader(make_user):
    """The department's leader: reads exchanges and plans, writes nothing."""
    return make_user("org_leader", display_name="部长")


@pytest.fixture
def unit_officer(make_user, scene):
    """A unit officer of the bureau: reads its own subtree only."""
    return make_user("unit_officer", scope_unit=scene.bureau.unit, display_name="农业农村局人事干部")
