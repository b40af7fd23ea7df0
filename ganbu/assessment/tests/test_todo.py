"""The to-do groups: rounds open past their day, consequences to act on; scoped, one query each."""

from __future__ import annotations

import datetime as dt

from ganbu.assessment import selectors, services

from .conftest import CLOSED, HELD


def test_rounds_open_past_their_day(officer, annual, unit_officer, django_assert_num_queries):
    with django_assert_num_queries(1):
        group = selectors.todo_rounds_open(officer, HELD, 5)
    assert group.count == 1 and group.items[0].link == f"/assessment/{annual.pk}/"
    # Before its day and within its year: not yet due.
    assert selectors.todo_rounds_open(officer, dt.date(2024, 12, 31), 5).count == 0
    # Another unit's officer: not theirs.
    assert selectors.todo_rounds_open(unit_officer, HELD, 5).count == 0


def test_consequences_open(officer, annual, grade, finance_cadres, make_user, django_assert_num_queries):
    grade(annual, {finance_cadres[0]: "incompetent"})
    services.round_close(actor=officer, assessment_round=annual, data=services.CloseInput(closed_on=CLOSED))
    with django_assert_num_queries(1):
        group = selectors.todo_consequences_open(officer, CLOSED, 5)
    assert group.count == 1 and "降低一个职务或职级层次任职" in group.items[0].text
    assert selectors.todo_consequences_open(make_user("org_leader"), CLOSED, 5).count == 0
