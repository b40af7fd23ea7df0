"""Issue 14's to-do groups in the list: which role gets which, in what order, and what they cost.

Each group is built and tested in its own app (``ganbu.assessment.selectors``, ``ganbu.talks.selectors``,
…); this module tests that ``todo_items`` gives them to the roles that act on them and to nobody else.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ganbu.todo.selectors import Kind, todo_items

pytestmark = pytest.mark.django_db
D = dt.date

ASSESSMENT = ["assessment_rounds_open", "assessment_consequences_open"]
SUPERVISION = [
    "talk_integrity_due",
    "admonishment_ending",
    "inquiry_overdue",
    "petitions_due",
    "joint_meeting_due",
    "joint_meeting_follow_up_overdue",
    "economic_audit_to_commission",
    "economic_audit_overdue",
]
SANCTIONS = ["sanction_ending", "sanction_deadline"]
PROCEDURE = {
    Kind.NOTICE_ENDING,
    Kind.OBJECTION_OPEN,
    Kind.PROBATION_ENDING,
    Kind.EARLY_EXIT,
    Kind.RETIREMENT,
    Kind.OPINION_OPEN,
    Kind.FEEDBACK_DUE,
    Kind.COMMITTEE_VOTE,
}


ISSUE_14 = set(ASSESSMENT + SUPERVISION + SANCTIONS)


def issue_14_kinds(user, on: dt.date) -> list[str]:
    """The kinds of the user's groups that are issue 14's, in list order (issue 15's are tested in
    ``test_allocation_groups``)."""
    kinds = [g.kind for g in todo_items(user, on) if g.kind not in PROCEDURE]
    return [kind for kind in kinds if kind in ISSUE_14]


def test_each_role_gets_the_groups_it_acts_on(tree, officer, make_user):
    on = D(2024, 9, 9)
    assert issue_14_kinds(officer, on) == ASSESSMENT + SUPERVISION + SANCTIONS
    assert issue_14_kinds(make_user("org_leader"), on) == ASSESSMENT + SUPERVISION + SANCTIONS
    # The supervising bodies: no assessment rounds; the unit officer: only their units' assessment.
    assert issue_14_kinds(make_user("supervisor"), on) == SUPERVISION + SANCTIONS
    assert issue_14_kinds(make_user("unit_officer", scope_unit=tree.forestry), on) == ASSESSMENT
    for role in ("committee_member", "auditor", "admin", "judge", "applicant"):
        assert issue_14_kinds(make_user(role), on) == [], role


def test_the_joint_meeting_is_due_in_its_month_when_none_was_held(tree, officer):
    # County policy by default: January and July. In July 2024 with no meeting held, it is due.
    groups = {g.kind: g for g in todo_items(officer, D(2024, 7, 15))}
    assert groups["joint_meeting_due"].count == 1
    assert "联席会议" in groups["joint_meeting_due"].items[0].text


def test_the_issue_14_groups_run_a_fixed_number_of_queries_for_each_role(tree, officer, make_user):
    on = D(2024, 9, 9)
    supervisor = make_user("supervisor")
    unit_officer = make_user("unit_officer", scope_unit=tree.forestry)
    unit_officer.scope_unit  # noqa: B018 - loaded once per user object, not per group
    for user in (officer, supervisor, unit_officer):
        with CaptureQueriesContext(connection) as first:
            todo_items(user, on)
        with CaptureQueriesContext(connection) as second:
            todo_items(user, on, limit=None)
        # The same queries whether the list shows the first ten or every item.
        assert len(first.captured_queries) == len(second.captured_queries), user.role
