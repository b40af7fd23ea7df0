"""``GET /todo``, ``GET /notifications`` and ``POST /notifications/{id}/read``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ganbu.todo import services
from ganbu.todo.models import Notification
from ganbu.todo.selectors import Kind
from ganbu.todo.tests import builders as b

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("procedure_todos_only")]
D = dt.date


def populate(officer, tree, n: int) -> None:
    """``n`` notices ending with an open objection each, and ``n`` probations ending on day 30."""
    for _ in range(n):
        rec = b.record(tree.finance, officer)
        b.objection(b.notice(rec, officer, end=D(2024, 9, 11)))
        b.probation(b.record(tree.finance, officer, step="feedback"), end=D(2024, 10, 9))


def test_todo_lists_the_groups_of_the_day_in_scope(officer, tree, api_as, unit_officer):
    populate(officer, tree, 2)
    b.probation(b.record(tree.finance, officer, step="feedback"), end=D(2024, 10, 10))  # day 31
    response = api_as(officer).get("/todo", {"on": "2024-09-09", "limit": 1})
    assert response.status_code == 200
    groups = {g["kind"]: g for g in response.json()}
    probations = groups[Kind.PROBATION_ENDING]
    assert probations["title"] == "试用期30天内届满" and probations["count"] == 2
    assert len(probations["items"]) == 1
    item = probations["items"][0]
    assert item["due_on"] == "2024-10-09" and item["overdue"] is False
    assert item["key"].startswith("probation-end:") and item["link"].startswith("/selection/")
    assert groups[Kind.NOTICE_ENDING]["count"] == 2 and groups[Kind.NOTICE_ENDING]["note"] == ""
    other = api_as(unit_officer).get("/todo", {"on": "2024-09-09"}).json()
    assert [g["kind"] for g in other] == [Kind.EARLY_EXIT, Kind.RETIREMENT]
    assert all(g["count"] == 0 for g in other)


def test_todo_rejects_bad_parameters_in_chinese(officer, api_as):
    api = api_as(officer)
    for params, field in (
        ({"on": "2024-02-30"}, "on"),
        ({"limit": "0"}, "limit"),
        ({"limit": "201"}, "limit"),
    ):
        response = api.get("/todo", params)
        assert response.status_code == 422 and list(response.json()["errors"]) == [field], params


def test_todo_runs_a_fixed_number_of_queries(officer, tree, api_as):
    api = api_as(officer)
    populate(officer, tree, 3)
    api.get("/todo", {"on": "2024-09-09"})

    def measure() -> int:
        """Queries of one ``GET /todo``."""
        with CaptureQueriesContext(connection) as ctx:
            assert api.get("/todo", {"on": "2024-09-09"}).status_code == 200
        return len(ctx.captured_queries)

    small = measure()
    populate(officer, tree, 27)
    assert measure() == small


def test_notifications_are_the_callers_own_and_can_be_marked_read(officer, tree, api_as, make_user):
    supervisor = make_user("supervisor")
    rec = b.record(tree.finance, officer)
    b.objection(b.notice(rec, officer, end=D(2024, 9, 11)))
    b.opinion(rec, addressee=supervisor, sent_on=D(2024, 9, 2))
    services.reminders_send(on=D(2024, 9, 9), email=False)
    api = api_as(officer)
    listed = api.get("/notifications").json()
    assert listed["count"] == 3 and {n["kind"] for n in listed["items"]} == {
        Kind.NOTICE_ENDING,
        Kind.OBJECTION_OPEN,
        Kind.OPINION_OPEN,
    }
    first = listed["items"][0]
    assert first["read_at"] is None and first["emailed_at"] is None
    read = api.post(f"/notifications/{first['id']}/read", {})
    assert read.status_code == 200 and read.json()["read_at"] is not None
    assert api.get("/notifications", {"unread": "true"}).json()["count"] == 2
    theirs = Notification.objects.get(user=supervisor)
    assert api.post(f"/notifications/{theirs.pk}/read", {}).status_code == 404
    assert api.post("/notifications/0/read", {}).status_code == 422
    assert api_as(supervisor).get("/notifications").json()["count"] == 1


def test_anonymous_callers_are_refused(db):
    from django.test import Client

    assert Client().get("/api/v1/todo").status_code == 401
    assert Client().get("/api/v1/notifications").status_code == 401
