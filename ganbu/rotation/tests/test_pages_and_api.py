"""The rotation pages and API: filters, words officers read, the export, fixed queries, who gets 404."""

from __future__ import annotations

import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from ganbu.registry.choices import PostKind, Rank
from ganbu.registry.tests.factories import CadreFactory, PostFactory

from .conftest import years_ago
from .helpers import tenure


def test_due_page_lists_reasons_in_words_and_filters(client, officer, county, tree):
    client.force_login(officer)
    page = client.get("/rotation/due/").content.decode()
    assert "王副县长" in page and "必须交流" in page and "《党政领导干部交流工作规定》(2006) 第五条" in page
    assert "李副镇长" not in page
    assert "ROT-" not in page and "rules.md" not in page and "置信度" not in page
    forestry = client.get("/rotation/due/", {"unit": tree.forestry.pk}).content.decode()
    assert "周站长" in forestry and "张镇长" not in forestry
    must = client.get("/rotation/due/", {"urgency": "must"}).content.decode()
    assert "钱股长" in must and "张镇长" not in must


def test_due_page_queries_do_not_grow_with_the_list(client, officer, county, tree):
    client.force_login(officer)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/rotation/due/").status_code == 200
    for n in range(5):
        post = PostFactory(unit=tree.town, title=f"副镇长{n}", kind=PostKind.DEPUTY, rank=Rank.DEPUTY_SECTION)
        tenure(CadreFactory(unit=tree.town, name=f"新增{n}"), post, years_ago(county.today, 11))
    with CaptureQueriesContext(connection) as many:
        page = client.get("/rotation/due/").content.decode()
    assert len(many) == len(few)
    assert "新增4" in page


def test_due_export_has_every_row_with_the_filters(client, officer, county):
    client.force_login(officer)
    response = client.get("/rotation/due/", {"urgency": "must", "export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert "紧迫程度：必须交流" in values[0][0]
    names = {row[0] for row in values[2:]}
    assert names == {"王副县长", "钱股长"}
    assert all("ROT-" not in (row[5] or "") for row in values[2:])


def test_terms_page(client, officer, county):
    client.force_login(officer)
    page = client.get("/rotation/terms/").content.decode()
    assert "吴副局长" in page and "第1个任期" in page
    assert (
        "吴副局长"
        not in client.get(
            "/rotation/terms/", {"months": "3", "unit": county.town_head.unit_id}
        ).content.decode()
    )


def test_pages_are_404_for_roles_without_allocation(client, make_user, county):
    for role in ("cadre", "committee_member", "supervisor", "admin"):
        client.force_login(make_user(role))
        assert client.get("/rotation/due/").status_code == 404
        assert client.get("/rotation/terms/").status_code == 404


def test_unit_officer_sees_their_subtree(client, forestry_officer, county):
    client.force_login(forestry_officer)
    page = client.get("/rotation/due/").content.decode()
    assert "周站长" in page and "王副县长" not in page


def test_api_due_list_carries_rule_ids_and_full_citations(api_as, officer, county, make_user):
    body = api_as(officer).get("/rotation/due", {"urgency": "must"}).json()
    assert body["count"] == 2
    first = body["items"][0]
    assert first["urgency"] == "must" and first["reasons"][0]["rule"] in ("ROT-07", "ROT-10")
    assert "rules.md" in first["reasons"][0]["citation"]
    sliced = api_as(officer).get("/rotation/due", {"offset": 1, "limit": 1}).json()
    assert len(sliced["items"]) == 1 and sliced["count"] > 1
    terms = api_as(officer).get("/rotation/terms", {"months": 3}).json()
    assert any(t["name"] == "吴副局长" and t["term_number"] == 1 for t in terms["items"])
    assert api_as(make_user("cadre")).get("/rotation/due").status_code == 404
    assert api_as(officer).get("/rotation/due", {"urgency": "soon"}).status_code == 422
