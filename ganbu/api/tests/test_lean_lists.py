"""The API lists' lean serialization and request-bound cursors (``ganbu.api.pagination``, decision 0014).

A page's items are written by ``LeanRows`` instead of one pydantic validation per row, and must be
byte for byte what ninja wrote: each list below is fetched both ways and compared. The cursor is
bound to the request (path, filters, user), not to the compiled SQL: still refused anywhere else.
"""

from __future__ import annotations

import datetime as dt
import json
from unittest import mock

import pytest
from django.db import connection
from django.db.models.sql.query import Query
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from ninja.responses import NinjaJSONEncoder
from ninja.schema import DjangoGetter

from ganbu.api import pagination
from ganbu.api.pagination import LeanRows, NotLean
from ganbu.api.schemas import CadreOut, Ref
from ganbu.api.urls import api as ninja_api
from ganbu.registry.choices import Gender
from ganbu.registry.models import Cadre
from ganbu.registry.selectors import SORTS
from ganbu.registry.tests.factories import CadreFactory, PostFactory

from .conftest import id_number

pytestmark = pytest.mark.django_db


def future_birth() -> dt.date:
    """A (mistyped) birth date a year from now."""
    return timezone.localdate() + dt.timedelta(days=400)


@pytest.fixture
def rows(tree):
    """Cadres with nulls, dates, every kind of choice; posts; a document that made tenures."""
    units = [tree.finance, tree.forestry, tree.station, tree.town]
    for i in range(12):
        born = dt.date(1965 + i, 1 + i % 12, 1 + i)
        CadreFactory(
            name=f"干部{i}",
            unit=units[i % 4],
            gender=Gender.FEMALE if i % 3 == 0 else Gender.MALE,
            birth_date=born,
            id_number=id_number(born, seq=10 + i) if i % 2 else None,
            rank=["staff", "section", "deputy_section", "deputy_division"][i % 4],
            is_reserve=i % 5 == 0,
            current_post_text="副局长" if i % 2 else "",
        )
    # A (mistyped) birth date in the future: the list's age is null.
    CadreFactory(name="未来", unit=tree.town, birth_date=future_birth())
    PostFactory(unit=tree.forestry, title="局长", kind="head", rank="section")
    PostFactory(unit=tree.finance, title="副局长")


def _issue_document(api, cadre, post) -> None:
    body = {
        "number": "示组〔2025〕7号",
        "title": "关于任职的通知",
        "issued_on": "2025-03-01",
        "items": [
            {"kind": "appoint", "cadre_id": cadre.pk, "post_id": post.pk, "effective_on": "2025-03-01"},
            {"kind": "rank", "cadre_id": cadre.pk, "rank": "section", "effective_on": "2025-03-01"},
        ],
    }
    response = api.post("/documents", body)
    assert response.status_code == 201, response.content


def _both_ways(api, path, params):
    """The response bodies of ``path`` written by the lean writer and by ninja's pydantic path."""
    lean = api.get(path, params)
    with mock.patch.object(LeanRows, "rows", side_effect=NotLean("forced")):
        pydantic = api.get(path, params)
    assert lean.status_code == pydantic.status_code == 200, lean.content
    assert lean["Content-Type"] == pydantic["Content-Type"]
    return lean.content, pydantic.content


@pytest.mark.parametrize("role", ["org_officer", "committee_member"])
def test_every_list_is_written_byte_for_byte_as_pydantic_wrote_it(rows, make_user, api_as, role):
    officer = make_user("org_officer")
    _issue_document(api_as(officer), Cadre.objects.order_by("id")[1], PostFactory._meta.model.objects.first())
    api = api_as(make_user(role))  # a committee member does not see ID numbers: null in the rows
    cases = [("/cadres", {"sort": sort, "limit": 200}) for sort in SORTS] + [
        ("/cadres", {"gender": "F", "limit": 3}),
        ("/units", {}),
        ("/posts", {}),
        ("/tenures", {}),
        ("/documents", {}),
        ("/exits", {}),
        ("/notifications", {}),
        ("/campaigns", {}),
    ]
    for path, params in cases:
        lean, pydantic = _both_ways(api, path, params)
        assert lean == pydantic, (path, params)
    body = json.loads(api.get("/cadres", {"limit": 200}).content)
    future = next(c for c in body["items"] if c["name"] == "未来")
    assert future["age"] is None and future["birth_date"] == future_birth().isoformat()
    nulls = {c["id_number"] is None for c in body["items"]}
    assert nulls == ({True} if role == "committee_member" else {True, False})
    documents = json.loads(api.get("/documents").content)["items"]
    assert documents and documents[0]["created_at"].endswith(("Z", "+08:00"))


@pytest.mark.parametrize("role", ["org_officer", "committee_member"])
def test_the_cadre_list_read_as_values_is_byte_for_byte_what_pydantic_wrote_from_the_models(
    rows, make_user, api_as, role
):
    from ganbu.registry import selectors
    from ganbu.registry.selectors import CadreFilter

    user = make_user(role)
    api = api_as(user)
    request = mock.Mock(auth=user)
    for sort in SORTS:
        response = api.get("/cadres", {"sort": sort, "limit": 200})
        body = response.json()
        models = list(selectors.cadre_list(user=user, filters=CadreFilter(sort=sort)))
        context = {"request": request, "response_status": 200}
        old = [CadreOut.model_validate(cadre, context=context).model_dump() for cadre in models]
        expected = {**body, "items": old}  # the page's keys in ninja's order, the rows from models
        assert response.content == json.dumps(expected, cls=NinjaJSONEncoder).encode(), sort


def test_a_list_page_validates_no_row_through_pydantic(rows, officer, api_as):
    api = api_as(officer)
    api.get("/cadres")  # the first use of a token stamps last_used_at once
    init = DjangoGetter.__init__
    with mock.patch.object(DjangoGetter, "__init__", autospec=True, side_effect=init) as getter:
        response = api.get("/cadres", {"limit": 200})
    assert response.status_code == 200 and len(response.json()["items"]) == 13
    schemas = [call.args[2] for call in getter.call_args_list]
    assert CadreOut not in schemas and Ref not in schemas  # before: one per row and one per unit
    assert len(schemas) <= 2  # the query parameters' schemas


def test_the_lists_written_lean_are_every_paginated_list_whose_schema_allows_it():
    lean, not_lean = set(), set()
    for _prefix, router in ninja_api._routers:
        for operations in router.path_operations.values():
            for op in operations.operations:
                if getattr(op.view_func, "_ninja_is_paginated", False):
                    # ``@paginated``, not ninja's bare ``@paginate``, and a schema the writer takes.
                    written = getattr(op.view_func, "_lean_items", False) and pagination.lean_rows_for(op)
                    (lean if written else not_lean).add(op.operation_id)
    assert {"cadre_list", "unit_list", "post_list", "tenure_list", "document_list", "exit_list"} <= lean
    # ApplicationOut holds a list of findings; SanctionOut its computed state with a list of deadlines;
    # TrainingEnrollmentOut decimal hours (a class's roster: at most its capacity, a few hundred rows).
    assert not_lean == {"campaign_applications", "sanction_list", "training_enrollment_list"}


def test_a_value_the_writer_cannot_reproduce_exactly_leaves_the_row_to_pydantic(tree):
    cadre = CadreFactory(unit=tree.finance)
    cadre.gender = Gender.FEMALE  # an enum member as assigned, not yet the text read back
    writer = LeanRows(CadreOut)
    context = {"request": mock.Mock(auth=None)}
    with pytest.raises(NotLean):
        writer.rows([cadre], context)
    cadre.refresh_from_db()
    written = writer.rows([cadre], context)
    expected = CadreOut.model_validate(cadre, context=context).model_dump()
    assert json.dumps(written, cls=NinjaJSONEncoder) == json.dumps([expected], cls=NinjaJSONEncoder)
    assert LeanRows(Ref).rows([{"id": 1, "name": "县"}], None) == [{"id": 1, "name": "县"}]
    with pytest.raises(NotLean):
        LeanRows(Ref).rows([{"id": "1", "name": "县"}], None)  # pydantic would coerce; the writer does not


def test_a_cursor_fits_only_its_own_path_filters_and_user(tree, make_user, api_as):
    CadreFactory.create_batch(7, unit=tree.finance)
    one, other = api_as(make_user("org_officer")), api_as(make_user("org_officer"))
    first = one.get("/cadres", {"limit": 3}).json()
    cursor = first["next"].split("cursor=")[1]
    assert one.get("/cadres", {"limit": 3, "cursor": cursor}).status_code == 200
    assert one.get("/cadres", {"limit": 5, "cursor": cursor}).status_code == 200  # the size may change
    for client, path, params in (
        (other, "/cadres", {"limit": 3, "cursor": cursor}),  # another user, same scope and filters
        (one, "/cadres", {"limit": 3, "cursor": cursor, "q": "张"}),  # another filter
        (one, "/units", {"limit": 3, "cursor": cursor}),  # another list
    ):
        response = client.get(path, params)
        assert response.status_code == 422, (path, params)
        assert "游标" in response.json()["errors"]["cursor"][0]


def test_following_next_does_not_compile_the_query_to_bind_the_cursor(tree, officer, api_as):
    CadreFactory.create_batch(7, unit=tree.finance)
    api = api_as(officer)
    body = api.get("/cadres", {"limit": 3, "sort": "unit"}).json()
    with mock.patch.object(Query, "sql_with_params", side_effect=AssertionError("compiled to digest")):
        while body["next"]:
            response = api.client.get(body["next"], headers=api.headers)
            assert response.status_code == 200, response.content
            body = response.json()


@pytest.mark.parametrize("sort", sorted(SORTS))
def test_every_sort_of_the_cadre_list_loads_each_page_in_one_query(tree, officer, api_as, sort):
    CadreFactory.create_batch(12, unit=tree.station)
    api = api_as(officer)
    api.get("/cadres")  # the first use of a token stamps last_used_at once
    with CaptureQueriesContext(connection) as first:
        body = api.get("/cadres", {"limit": 5, "sort": sort}).json()
    with CaptureQueriesContext(connection) as second:
        body = api.client.get(body["next"], headers=api.headers).json()
    # The authentication and the page; the first page also counts. A column missing from
    # CADRE_LIST_COLUMNS would be loaded row by row.
    assert len(second.captured_queries) == len(first.captured_queries) - 1 == 2
    assert len(body["items"]) == 5
