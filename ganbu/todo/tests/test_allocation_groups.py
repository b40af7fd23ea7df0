"""Issue 15's to-do groups in the list: which role gets which, in what order, and what they cost.

Each group is built and tested in its own app (``ganbu.rotation.todo``, ``ganbu.team_structure.todo``,
``ganbu.exchanges.selectors``, ``ganbu.training.todo``); this module tests that ``todo_items`` gives
them to the roles that act on them and to nobody else.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ganbu.todo.selectors import todo_items

pytestmark = pytest.mark.django_db
D = dt.date

EXCHANGES = ["secondment_ending", "rotation_plan_pending"]
TRAINING = ["training_appointment_due", "training_class_to_close"]
# Computed over every leadership tenure or every cadre in scope: on their own pages, not in the list.
NOT_LISTED = ["rotation_due", "term_ending", "team_targets_missed", "training_hours_short"]
ISSUE_15 = set(EXCHANGES + TRAINING + NOT_LISTED)


def issue_15_kinds(user, on: dt.date) -> list[str]:
    """The kinds of the user's issue-15 groups, in list order."""
    return [g.kind for g in todo_items(user, on) if g.kind in ISSUE_15]


def test_each_role_gets_the_groups_it_acts_on(tree, officer, make_user):
    on = D(2024, 11, 9)
    for user in (officer, make_user("org_leader"), make_user("unit_officer", scope_unit=tree.forestry)):
        assert issue_15_kinds(user, on) == EXCHANGES + TRAINING, user.role
    for role in ("supervisor", "committee_member", "cadre", "auditor", "admin", "judge", "applicant"):
        assert issue_15_kinds(make_user(role), on) == [], role


def test_the_issue_15_groups_cost_the_same_whatever_the_limit(tree, officer, make_user):
    on = D(2024, 11, 9)
    unit_officer = make_user("unit_officer", scope_unit=tree.forestry)
    unit_officer.scope_unit  # noqa: B018 - loaded once per user object, not per group
    for user in (officer, make_user("org_leader"), unit_officer):
        with CaptureQueriesContext(connection) as first:
            todo_items(user, on)
        with CaptureQueriesContext(connection) as second:
            todo_items(user, on, limit=None)
        assert len(first.captured_queries) == len(second.captured_queries), user.role
