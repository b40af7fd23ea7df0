"""Fixtures for exit tests; the plain helpers are in ``helpers`` (shared with web and API tests)."""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.registry.models import Cadre

from .helpers import Posts, leader, make_posts, run_evaluation


@pytest.fixture
def posts(tree) -> Posts:
    """Posts of 县财政局 and of the forestry station (``helpers.Posts``)."""
    return make_posts(tree)


@pytest.fixture
def make_leader(officer, posts):
    """``make_leader(birth, gender="M", post=None, **fields)`` → a cadre appointed to a post (default:
    the finance deputy post) in 2015."""

    def _make(birth: dt.date, gender: str = "M", post=None, **fields) -> Cadre:
        return leader(officer, post or posts.deputy, birth, gender, **fields)

    return _make


@pytest.fixture
def unit_officer(make_user, tree):
    """A unit personnel officer of 县林业局 and its station (not the finance bureau)."""
    return make_user("unit_officer", scope_unit=tree.forestry, display_name="林业局人事干部")


@pytest.fixture
def supervisor(make_user):
    """A 纪委 user: records proceedings, sees supervision records, edits nothing else."""
    return make_user("supervisor", display_name="县纪委")


@pytest.fixture
def evaluate(officer):
    """``evaluate(ballot, item, grades)`` → the counted ``BallotResult`` of an evaluation item."""

    def _run(ballot, item, grades: list[str]):
        return run_evaluation(officer, ballot, item, grades)

    return _run
