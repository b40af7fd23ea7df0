"""Who sees which petition (by role and assignment), the public tracking lookup and the to-do group."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from ganbu.petitions import selectors, services
from ganbu.petitions.choices import IntakeBody
from ganbu.petitions.models import Petition


@pytest.fixture
def cases(submit, officer, supervisor):
    """One 组织部 case, one 纪委 case, and one 组织部 case assigned to the supervisor."""
    org = submit(intake_body=IntakeBody.ORGANIZATION)
    dis = submit(intake_body=IntakeBody.DISCIPLINE)
    shared = submit(intake_body=IntakeBody.ORGANIZATION)
    services.petition_assign(actor=officer, petition=shared, assignee=supervisor)
    return org, dis, shared


def _seen(user):
    return set(selectors.petitions_for(user).values_list("pk", flat=True))


def test_scope_per_role(cases, officer, officer2, supervisor, make_user, unit_officer_petit):
    org, dis, shared = cases
    assert _seen(officer) == _seen(officer2) == {org.pk, shared.pk}
    assert _seen(supervisor) == {dis.pk, shared.pk}
    for role in ("org_leader", "committee_member", "auditor", "admin", "cadre"):
        assert _seen(make_user(role)) == set()
    assert _seen(unit_officer_petit) == set()
    with pytest.raises(Http404):
        selectors.petition_get(user=supervisor, petition_id=org.pk)
    assert selectors.petition_get(user=supervisor, petition_id=shared.pk) == shared


def test_an_inactive_user_sees_nothing(cases, make_user):
    assert _seen(make_user("org_officer", is_active=False)) == set()


def test_track_finds_the_code_as_typed(cases):
    org = cases[0]
    assert selectors.petition_track(code=org.tracking_code.lower().replace("-", " ")) == org
    assert selectors.petition_track(code="ZZZZ-ZZZZ-ZZZZ") is None
    assert selectors.petition_track(code="short") is None


def test_list_filters_and_fixed_queries(cases, officer, django_assert_max_num_queries):
    org, _, shared = cases
    assert list(selectors.petition_list(user=officer, status="assigned")) == [shared]
    assert list(selectors.petition_list(user=officer, q="财政局")) == [shared, org]
    assert list(selectors.petition_list(user=officer, q=org.tracking_code)) == [org]
    with django_assert_max_num_queries(1):
        assert all(p.assignee_id is None or p.assignee for p in selectors.petition_list(user=officer))


def test_todo_lists_overdue_and_due_soon(cases, officer, supervisor, django_assert_max_num_queries):
    org, dis, shared = cases
    today = timezone.localdate()
    Petition.objects.filter(pk=org.pk).update(due_on=today - dt.timedelta(days=1))
    Petition.objects.filter(pk=shared.pk).update(due_on=today + dt.timedelta(days=7))
    Petition.objects.filter(pk=dis.pk).update(due_on=today + dt.timedelta(days=8))
    with django_assert_max_num_queries(2):
        group = selectors.todo_petitions_due(officer, today, 5)
    # The officer: the unassigned 组织部 case; the shared one is the supervisor's to handle.
    assert group.count == 1 and group.items[0].overdue and group.title
    sup = selectors.todo_petitions_due(supervisor, today, 5)
    assert sup.count == 1 and sup.items[0].link.endswith(f"/petitions/{shared.pk}/")
    assert selectors.todo_petitions_due(supervisor, today + dt.timedelta(days=1), 5).count == 2
