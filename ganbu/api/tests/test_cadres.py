"""The cadre endpoints: filters, pagination, create and change through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ganbu.core.models import AuditEvent
from ganbu.registry.models import Cadre
from ganbu.registry.tests.factories import CadreFactory

from .conftest import id_number

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    """Names of the cadres in a 200 list response, in order."""
    assert response.status_code == 200, response.content
    return [c["name"] for c in response.json()["items"]]


@pytest.fixture
def api(officer, api_as):
    """A county-wide organization-department officer's client."""
    return api_as(officer)


def test_initials_search_finds_zhangsan(api, people):
    assert names(api.get("/cadres", {"q": "zs"})) == ["张三"]
    assert names(api.get("/cadres", {"q": "ZS"})) == ["张三"]
    assert names(api.get("/cadres", {"q": "张"})) == ["张三"]
    assert names(api.get("/cadres", {"q": "lisi"})) == ["李四"]


def test_gender_filter(api, people):
    assert names(api.get("/cadres", {"gender": "F"})) == ["王芳"]
    assert sorted(names(api.get("/cadres", {"gender": "M"}))) == sorted(["张三", "李四"])


def test_age_range_on_a_date(api, people):
    on = "2025-01-01"  # 张三 44, 李四 54, 王芳 34
    assert names(api.get("/cadres", {"age_min": 40, "age_max": 50, "age_on": on})) == ["张三"]
    assert sorted(names(api.get("/cadres", {"age_max": 44, "age_on": on}))) == sorted(["张三", "王芳"])
    assert names(api.get("/cadres", {"age_min": 45, "age_on": on})) == ["李四"]


def test_unit_filter_includes_the_subtree(api, people, tree):
    assert names(api.get("/cadres", {"unit": tree.forestry.pk})) == ["张三"]  # 张三 is in the station
    assert names(api.get("/cadres", {"unit": tree.station.pk})) == ["张三"]
    assert names(api.get("/cadres", {"unit": tree.finance.pk})) == ["李四"]
    assert len(names(api.get("/cadres", {"unit": tree.root.pk}))) == 3


def test_sort_and_other_filters(api, people):
    assert names(api.get("/cadres", {"sort": "age"})) == ["王芳", "张三", "李四"]
    assert names(api.get("/cadres", {"sort": "-age"})) == ["李四", "张三", "王芳"]
    assert names(api.get("/cadres", {"status": "retired"})) == []
    assert len(names(api.get("/cadres", {"leadership": "false", "reserve": "false"}))) == 3
    assert names(api.get("/cadres", {"leadership": "true"})) == []


def test_pagination_in_the_database(api, tree):
    CadreFactory.create_batch(7, unit=tree.finance)
    first = api.get("/cadres", {"limit": 3}).json()
    assert (first["count"], first["count_capped"], first["previous"]) == (7, False, None)
    assert first["next"].startswith("http://testserver/api/v1/cadres?limit=3&cursor=")
    second = api.client.get(first["next"], headers=api.headers).json()
    assert second["count"] == 7  # counted on the first page, carried in the cursor
    assert len(first["items"]) == len(second["items"]) == 3
    assert not {c["id"] for c in first["items"]} & {c["id"] for c in second["items"]}
    back = api.client.get(second["previous"], headers=api.headers).json()
    assert back["items"] == first["items"] and back["previous"] is None
    too_many = api.get("/cadres", {"limit": 201})
    assert too_many.status_code == 422
    assert too_many.json()["errors"] == {"limit": ["不能大于 200。"]}


def test_the_deprecated_offset_still_reads_the_same_rows_and_hands_on_a_cursor(api, tree):
    CadreFactory.create_batch(7, unit=tree.finance)
    first = api.get("/cadres", {"limit": 3}).json()
    by_cursor = api.client.get(first["next"], headers=api.headers).json()
    by_offset = api.get("/cadres", {"limit": 3, "offset": 3}).json()
    assert by_offset["items"] == by_cursor["items"] and by_offset["count"] == 7
    assert "offset" not in by_offset["next"]
    third = api.client.get(by_offset["next"], headers=api.headers).json()
    assert len(third["items"]) == 1 and third["next"] is None


def test_a_cursor_not_handed_out_for_this_list_is_422_in_chinese(api, tree):
    CadreFactory.create_batch(7, unit=tree.finance)
    cursor = api.get("/cadres", {"limit": 3}).json()["next"].split("cursor=")[1]
    for params in (
        {"cursor": cursor[:-4] + "AAAA"},
        {"cursor": "abc"},
        {"cursor": cursor, "sort": "age"},  # another order
        {"cursor": cursor, "gender": "F"},  # other filters
    ):
        response = api.get("/cadres", params)
        assert response.status_code == 422, params
        assert list(response.json()["errors"]) == ["cursor"]
        assert "游标" in response.json()["errors"]["cursor"][0]
    too_long = api.get("/cadres", {"cursor": "x" * 3000})
    assert too_long.status_code == 422 and too_long.json()["errors"] == {"cursor": ["不能超过 2000 个字符。"]}


@pytest.mark.parametrize("sort", ["name", "-name", "age", "-age", "rank", "unit", "updated"])
def test_walking_every_page_by_next_yields_every_cadre_once_even_with_rows_added_meanwhile(api, tree, sort):
    units = [tree.finance, tree.forestry, tree.station, tree.town]
    ranks = ["staff", "section", "deputy_section", "deputy_division"]
    for i in range(45):
        CadreFactory(
            unit=units[i % 4],
            name="张三" if i % 3 else "李四",
            birth_date=dt.date(1970 + i % 4, 1, 1),
            rank=ranks[i % 4],
        )
    expected = [c["id"] for c in api.get("/cadres", {"sort": sort, "limit": 200}).json()["items"]]
    body = api.get("/cadres", {"sort": sort, "limit": 7}).json()
    seen, requests = [c["id"] for c in body["items"]], 1
    while body["next"]:
        if requests == 3:  # cadres added mid-walk, sorting before, among and after the rows seen
            for i in range(6):
                CadreFactory(
                    unit=units[i % 4],
                    name="阿布" if i % 2 else "张三",
                    birth_date=dt.date(1960 + 5 * i, 1, 1),
                )
        body = api.client.get(body["next"], headers=api.headers).json()
        seen += [c["id"] for c in body["items"]]
        requests += 1
    assert len(seen) == len(set(seen))
    assert [i for i in seen if i in set(expected)] == expected


def _page_queries(api, url, params=None) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as ctx:
        response = api.client.get(url, params or {}, headers=api.headers)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries), response.json()


def test_a_deep_page_runs_the_queries_of_the_second_and_fewer_than_the_first(api, tree):
    CadreFactory.create_batch(60, unit=tree.station)
    api.get("/cadres")  # the first use of a token stamps last_used_at once
    first, body = _page_queries(api, "/api/v1/cadres", {"limit": 5, "sort": "unit"})
    second, body = _page_queries(api, body["next"])
    for _ in range(8):
        body = api.client.get(body["next"], headers=api.headers).json()
    deep, body = _page_queries(api, body["next"])
    assert second == deep == first - 1  # the page without a cursor also counts (capped)
    assert body["count"] == 60


def _list_queries(api) -> int:
    """Queries of one ``GET /cadres`` page of up to 200 rows."""
    with CaptureQueriesContext(connection) as ctx:
        response = api.get("/cadres", {"limit": 200})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_cadre_list_has_a_fixed_number_of_queries(officer, api_as, tree, token_for):
    api = api_as(officer)
    CadreFactory.create_batch(5, unit=tree.finance)
    api.get("/cadres")  # the first use of a token stamps last_used_at once
    small = _list_queries(api)
    CadreFactory.create_batch(35, unit=tree.station)
    assert Cadre.objects.count() == 40
    large = _list_queries(api)
    assert small == large
    assert large <= 4  # token, count, page (+ scope lookups never per row)


def test_scoped_cadre_list_has_a_fixed_number_of_queries(unit_officer, api_as, tree):
    api = api_as(unit_officer)
    CadreFactory.create_batch(5, unit=tree.station)
    api.get("/cadres")
    small = _list_queries(api)
    CadreFactory.create_batch(35, unit=tree.forestry)
    assert api.get("/cadres").json()["count"] == 40
    assert _list_queries(api) == small


def valid_body(tree, **overrides):
    """A valid ``POST /cadres`` body (with a matching ID number), changed by ``overrides``."""
    body = {
        "name": "赵 六",
        "gender": "M",
        "birth_date": "1985-02-03",
        "native_place": "示例县",
        "unit_id": tree.finance.pk,
        "id_number": id_number(dt.date(1985, 2, 3), seq=56),
        "ft_education": "university",
    }
    body.update(overrides)
    return body


def test_create_cadre(api, tree):
    response = api.post("/cadres", valid_body(tree, reason="新录用"))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["name"] == "赵六"  # spaces inside a name are removed by the service
    assert data["unit"] == {"id": tree.finance.pk, "name": "县财政局"}
    assert data["highest_education"] == "university"
    cadre = Cadre.objects.get(pk=data["id"])
    assert cadre.name_initials == "zl"
    event = AuditEvent.objects.get(event_type="cadre.created")
    assert event.cadre_id == cadre.pk and event.reason == "新录用"


def test_create_cadre_with_bad_id_number_writes_nothing(api, tree):
    good = id_number(dt.date(1985, 2, 3), seq=56)
    wrong_check = "0" if good[-1] != "0" else "1"
    bad = valid_body(tree, id_number=good[:-1] + wrong_check)
    before_events = AuditEvent.objects.count()
    response = api.post("/cadres", bad)
    assert response.status_code == 422
    body = response.json()
    assert list(body["errors"]) == ["id_number"]
    assert "校验" in body["errors"]["id_number"][0]
    assert body["detail"] == body["errors"]["id_number"][0]
    assert not Cadre.objects.exists()
    assert AuditEvent.objects.count() == before_events


def test_create_cadre_with_mismatching_birth_date_names_the_field(api, tree):
    response = api.post("/cadres", valid_body(tree, birth_date="1985-02-04"))
    assert response.status_code == 422
    assert "birth_date" in response.json()["errors"]
    assert not Cadre.objects.exists()


def test_create_cadre_input_errors_are_chinese(api, tree):
    response = api.post("/cadres", {"name": "", "gender": "X", "birth_date": "not-a-date", "extra": 1})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["name"] == ["至少需要 1 个字符。"]
    assert errors["gender"][0].startswith("无效的选项，可选值：")
    assert errors["birth_date"] == ["应为日期（YYYY-MM-DD）。"]
    assert errors["native_place"] == ["此项为必填项。"]
    assert errors["unit_id"] == ["此项为必填项。"]
    assert errors["extra"] == ["不认识的字段。"]
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    assert api.post("/cadres", valid_body(tree, birth_date=future, id_number=None)).json()["errors"] == {
        "birth_date": ["出生日期不能晚于今天。"]
    }
    assert not Cadre.objects.exists()


def test_committee_member_cannot_create(committee_member, api_as, tree):
    response = api_as(committee_member).post("/cadres", valid_body(tree))
    assert response.status_code == 422
    assert response.json()["detail"] == "您的角色不能修改干部信息。"
    assert not Cadre.objects.exists()


def test_patch_changes_only_what_was_sent(api, people):
    response = api.patch(f"/cadres/{people.lisi.pk}", {"specialty": "财务管理", "reason": "补充"})
    assert response.status_code == 200, response.content
    assert response.json()["specialty"] == "财务管理"
    people.lisi.refresh_from_db()
    assert people.lisi.specialty == "财务管理"
    assert people.lisi.name == "李四"
    event = AuditEvent.objects.get(event_type="cadre.updated")
    assert event.after == {"specialty": "财务管理"}


def test_patch_null_for_a_required_field_is_422(api, people):
    response = api.patch(f"/cadres/{people.lisi.pk}", {"name": None})
    assert response.status_code == 422
    assert "name" in response.json()["errors"]
    people.lisi.refresh_from_db()
    assert people.lisi.name == "李四"


def test_patch_id_number_that_belongs_to_someone_else(api, people):
    response = api.patch(
        f"/cadres/{people.lisi.pk}", {"id_number": people.zhangsan.id_number, "birth_date": "1980-05-17"}
    )
    assert response.status_code == 422
    assert "已登记给另一名干部" in response.json()["errors"]["id_number"][0]
